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
	bool secret;		/* buf holds a secret: wiped when freed or moved */
};

/* Writes the header of m into m->buf (before sending). */
void ix_msg_seal(struct ix_msg *m);

/* Waits until fd is ready for events (poll's) or the deadline (ms on the
 * monotonic clock, timeout_ms after the start) passes. Returns 0, or -1
 * with *err set: IX_ELIMIT (and nothing else) when the deadline passed,
 * IX_ESYS when poll failed. */
int ix_ipc_wait(int fd, short events, long long deadline, int timeout_ms,
    struct ix_err *err);

#endif
