/*
 * Between the kit's main and a slot (srv_main.c, srv_slot.c): the slot
 * says one byte, 'r', once it is prepared; main answers with one TAKE
 * message (u32 key, u64 accepted at, the connection). The socket closing
 * says the rest: main retired the slot, or the slot ended.
 */
#ifndef IX_SRV_INT_H
#define IX_SRV_INT_H

#include "libipc/srv.h"

#define IX_SRV_SLOT_READY 'r'
/* Never on a client's socket: a type of the common range no client or
 * server dispatch table lists. */
#define IX_MSG_SLOT_TAKE 0x00f0

/* main's side: gives c to the slot on ctl. 0 or -1 with *err. */
int ix_srv_ctl_give(int ctl, const struct ix_fq_entry *c, struct ix_err *err);

#endif
