/*
 * Reading privd's REQUEST message (privd/proto.h) into what the worker
 * decides on. Pure: it reads the message's fields and takes its
 * descriptors, and makes no system call, so the fuzz target
 * (tests/fuzz/fuzz_request.c) runs exactly the worker's parser.
 */
#ifndef PRIVD_REQUEST_H
#define PRIVD_REQUEST_H

#include <stdint.h>

#include "libauthtree/eval.h"
#include "libipc/ipc.h"

/*
 * Reads flags (only PRIVD_F_DRYRUN and PRIVD_F_LIST), the words (1 to
 * PRIVD_ARGC_MAX of at most PRIVD_ARG_MAX bytes, none with PRIVD_F_LIST)
 * joined by single spaces into req (IX_REQUEST_MAX + 1 bytes; the whole at
 * most IX_REQUEST_MAX), the client's descriptors 0, 1, 2 into cfd and its
 * working directory into *cwd, then the end of the message. Descriptors
 * taken from m are the caller's to close, also when it fails (the others
 * stay -1 if the caller set them so). Returns 0, or -1 with *err
 * (IX_EINVAL malformed, IX_ELIMIT over a limit).
 */
int privd_request_parse(struct ix_msg *m, uint8_t *flags, char *req, int cfd[3], int *cwd,
			struct ix_err *err);

#endif
