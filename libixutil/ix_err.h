/*
 * Errors returned by every ixkit library.
 *
 * A library never prints and never exits: it fills a struct ix_err that the
 * caller owns and returns -1 (or NULL). The message is complete enough to be
 * shown to an administrator as is ("policy.txt:12:8: unknown category
 * 'projcetbit'").
 */
#ifndef IX_ERR_H
#define IX_ERR_H

#include <stddef.h>

enum ix_errcode {
	IX_OK = 0,
	IX_EINVAL,	/* malformed input: parse or validation error */
	IX_ENOMEM,	/* allocation failed */
	IX_ELIMIT,	/* a size, count or state limit was exceeded */
	IX_ESYS,	/* a system call failed; sys_errno holds errno */
	IX_EDENIED,	/* refused by policy */
	IX_ENOENT,	/* named thing does not exist */
	IX_EEXIST,	/* named thing already exists */
	IX_ECONFLICT,	/* would break an invariant (monotonicity, bit reuse) */
	IX_EVERSION,	/* version mismatch (wire, schema, policy text) */
	IX_EDB,		/* the database failed or is inconsistent */
	IX_ECORRUPT,	/* stored data failed an integrity check */
};

#define IX_ERR_MSG_MAX 512

struct ix_err {
	enum ix_errcode code;	/* IX_OK when nothing failed */
	int sys_errno;		/* errno for IX_ESYS, else 0 */
	char msg[IX_ERR_MSG_MAX]; /* NUL-terminated, human readable */
};

/* Sets *e (when e is not NULL) and returns -1, so that callers can write
 * "return ix_err_set(e, IX_EINVAL, "...", ...);". */
int ix_err_set(struct ix_err *e, enum ix_errcode code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like ix_err_set with code IX_ESYS; appends ": strerror(errno)" and keeps
 * errno in sys_errno. Reads errno itself, so call it right after the failing
 * call. Returns -1. */
int ix_err_sys(struct ix_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prefixes the message already in *e with "fmt: " (for adding context such
 * as a file name on the way up). Returns -1. */
int ix_err_prefix(struct ix_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void ix_err_clear(struct ix_err *e);

#endif
