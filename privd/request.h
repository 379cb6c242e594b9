/*
 * Reading privd's REQUEST message (privd/proto.h) into what the worker
 * decides on. Pure: it reads the message's fields and takes its
 * descriptors, and makes no system call, so the fuzz target
 * (tests/fuzz/fuzz_request.c) runs exactly the worker's parser.
 */
#ifndef PRIVD_REQUEST_H
#define PRIVD_REQUEST_H

#include <stdint.h>

#include "libauthtree/edit.h"
#include "libauthtree/eval.h"
#include "libipc/ipc.h"

/*
 * Reads flags (only PRIVD_F_DRYRUN, PRIVD_F_LIST and PRIVD_F_EDIT, the
 * last not with PRIVD_F_LIST), the words (1 to PRIVD_ARGC_MAX of at most
 * PRIVD_ARG_MAX bytes, none with PRIVD_F_LIST) joined by single spaces
 * into req (IX_REQUEST_MAX + 1 bytes; the whole at most IX_REQUEST_MAX),
 * with PRIVD_F_EDIT the edit block into *edit (a known op, a path of at
 * most PRIVD_EDIT_PATH_MAX bytes, predicate and rights of at most
 * PRIVD_EDIT_TEXT_MAX, NULL when sent empty; strings borrowed from m;
 * their meaning is privd_edit_valid's to check), the client's descriptors
 * 0, 1, 2 into cfd and its working directory into *cwd, then the end of
 * the message. Descriptors taken from m are the caller's to close, also
 * when it fails (the others stay -1 if the caller set them so). Returns
 * 0, or -1 with *err (IX_EINVAL malformed, IX_ELIMIT over a limit).
 */
int privd_request_parse(struct ix_msg *m, uint8_t *flags, char *req, struct ix_edit *edit,
			int cfd[3], int *cwd, struct ix_err *err);

#endif
