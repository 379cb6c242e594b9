/*
 * The inside of struct ix_msg, shared by the files of libipc only.
 *
 * The buffer holds the 8-byte header followed by the payload, so that
 * sending needs no copy: ix_ipc_send fills the header in place.
 */
#ifndef IX_MSG_PRIV_H
#define IX_MSG_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "libipc/ipc.h"

struct ix_msg {
	uint16_t type;		/* message type, never 0 */
	uint8_t *buf;		/* header + payload, heap */
	size_t cap;		/* bytes allocated in buf */
	size_t len;		/* payload bytes (buf + IX_MSG_HDR_LEN) */
	size_t pos;		/* reader: next payload byte */
	int fds[IX_MSG_MAX_FDS]; /* descriptors carried */
	unsigned nfds;		/* descriptors in fds */
	unsigned fd_next;	/* reader: next descriptor to hand out */
	bool owns_fds;		/* received: close untaken fds on free */
	bool broken;		/* writer: an append failed, refuse to send */
	bool ended;		/* reader: ix_msg_end succeeded */
};

/* Writes the header of m into m->buf (before sending). */
void ix_msg_seal(struct ix_msg *m);

#endif
