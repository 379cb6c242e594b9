/*
 * The pidfd_open fallback of ix_ipc_peer, declared apart so that the
 * tests can drive it on kernels that have SO_PEERPIDFD.
 */
#ifndef IX_PEER_PRIV_H
#define IX_PEER_PRIV_H

#include "libipc/ipc.h"

/* Same contract as ix_ipc_peer, without trying SO_PEERPIDFD. */
int ix_ipc_peer_fallback(int fd, struct ix_peer *peer, struct ix_err *err);

#endif
