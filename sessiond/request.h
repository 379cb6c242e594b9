/*
 * A client's one request, as the worker reads it from the client and as
 * it relays it to the monitor: one canonical message (SESSIOND_MON_REQUEST)
 * whose every field the worker has checked against the same limits as the
 * client's OPEN (proto.h) and the monitor checks again.
 *
 * Canonical payload: u8 kind (SESSIOND_REQ_*); for OPEN then u8 flags,
 * str label, str TERM, u16 argc, argc x str (as the client's OPEN), and
 * for each of the client's descriptors 0, 1, 2 what the worker saw of it
 * (u64 device number, u64 inode, u8 access mode), and the 3 descriptors.
 * LIST carries nothing more and no descriptor. The identity of the client
 * is never in it: the monitor reads that from the connection.
 */
#ifndef SESSIOND_REQUEST_H
#define SESSIOND_REQUEST_H

#include <stdint.h>

#include "libipc/ipc.h"
#include "sessiond/proto.h"

#define SESSIOND_REQ_OPEN 1
#define SESSIOND_REQ_LIST 2

/* What the worker saw of one descriptor; the monitor holds it to it. */
struct sess_fd_claim {
	uint64_t rdev;		/* st_rdev (0 for what is not a device) */
	uint64_t ino;		/* st_ino */
	uint8_t access;		/* O_RDONLY, O_WRONLY, O_RDWR, or 3 for O_PATH */
};

struct sess_request {
	uint8_t kind;			/* SESSIOND_REQ_OPEN or SESSIOND_REQ_LIST */
	uint8_t flags;			/* SESSIOND_F_* (OPEN) */
	char label[SESSIOND_LABEL_MAX + 1];	/* as asked, not yet parsed */
	char term[SESSIOND_TERM_MAX + 1];	/* may be empty */
	int argc;			/* 0: the login shell */
	char *argv[SESSIOND_ARGC_MAX + 1];	/* into words, NULL-terminated */
	char words[SESSIOND_CMD_MAX];	/* the words, each NUL-terminated */
	struct sess_fd_claim claim[3];	/* what the worker saw of fd[] */
	int fd[3];			/* the client's 0, 1, 2 (owned); -1 absent */
};

/* An empty request: no descriptor. */
void sess_request_init(struct sess_request *r);
/* Closes the descriptors r still owns. Accepts NULL. */
void sess_request_close(struct sess_request *r);

/*
 * The worker's side: reads the client's OPEN or LIST (m, of the client's
 * types) into *r, taking OPEN's descriptors and describing each. Returns
 * 0, or -1 with *err (IX_EINVAL, IX_ELIMIT) naming what is wrong; the
 * descriptors taken stay in *r for sess_request_close.
 */
int sess_request_from_client(struct ix_msg *m, struct sess_request *r, struct ix_err *err);
/* Appends r as the canonical REQUEST payload (descriptors borrowed). */
int sess_request_put(struct ix_msg *m, const struct sess_request *r, struct ix_err *err);

/*
 * The monitor's side: reads a canonical REQUEST into *r (fresh), every
 * limit checked again and the message read to its end. Returns 0, or -1
 * with *err; the descriptors taken stay in *r for sess_request_close.
 */
int sess_request_get(struct ix_msg *m, struct sess_request *r, struct ix_err *err);
/* Whether each descriptor is what the worker said it saw (fstat and the
 * open flags, here). Returns 0, or -1 with *err (IX_ECORRUPT) naming it. */
int sess_request_claims_hold(const struct sess_request *r, struct ix_err *err);

#endif
