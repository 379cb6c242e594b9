/*
 * privd's REQUEST (privd/proto.h), read into a struct privd_req and
 * written again. The worker reads it from the client, the monitor reads
 * the worker's relay of it (PRIVD_W_REQUEST, the same payload written
 * anew): both run exactly this parser, which is pure — it reads fields and
 * takes descriptors, and makes no system call — so the fuzz target
 * (tests/fuzz/fuzz_request.c) runs it as they do.
 */
#ifndef PRIVD_REQUEST_H
#define PRIVD_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "libauthtree/edit.h"
#include "libauthtree/eval.h"
#include "libipc/ipc.h"
#include "privd/proto.h"

struct privd_req {
	uint8_t flags;				/* PRIVD_F_* */
	uint16_t argc;				/* words (0 with PRIVD_F_LIST) */
	const char *words[PRIVD_ARGC_MAX];	/* borrowed from the message: valid
						 * only while it is */
	char text[IX_REQUEST_MAX + 1];		/* the words joined by single spaces */
	bool has_edit;				/* PRIVD_F_EDIT: edit is set */
	struct ix_edit edit;			/* its strings point into the three below */
	char edit_path[PRIVD_EDIT_PATH_MAX + 1];
	char edit_predicate[PRIVD_EDIT_TEXT_MAX + 1];
	char edit_rights[PRIVD_EDIT_TEXT_MAX + 1];
	int fds[4];				/* the client's 0, 1, 2 and working
						 * directory; the reader's to close */
};

/*
 * Reads flags (only PRIVD_F_DRYRUN, PRIVD_F_LIST and PRIVD_F_EDIT, the
 * last not with PRIVD_F_LIST), the words (1 to PRIVD_ARGC_MAX of at most
 * PRIVD_ARG_MAX bytes, none with PRIVD_F_LIST; joined at most
 * IX_REQUEST_MAX), with PRIVD_F_EDIT the edit block (a known op, a path of
 * at most PRIVD_EDIT_PATH_MAX bytes, predicate and rights of at most
 * PRIVD_EDIT_TEXT_MAX, NULL when sent empty; their meaning is
 * ix_edit_valid's to check), the four descriptors, then the end of the
 * message. Descriptors taken from m are the caller's to close, also when
 * it fails (out->fds starts all -1). Returns 0, or -1 with *err (IX_EINVAL
 * malformed, IX_ELIMIT over a limit).
 */
int privd_request_read(struct ix_msg *m, struct privd_req *out, struct ix_err *err);

/* Writes r as a message of type (REQUEST's payload, the descriptors
 * borrowed). Returns the message (caller frees) or NULL with *err. */
struct ix_msg *privd_request_write(uint16_t type, const struct privd_req *r, struct ix_err *err);

/* Closes r's descriptors that are open. */
void privd_request_close(struct privd_req *r);

#endif
