/*
 * The paranoid copy on descriptors (pcopy(1)): the source opened without
 * following links and checked to be a regular file; the copy written into
 * an unnamed temporary file in the destination's directory, hashed
 * (BLAKE2b-256) against the source before and after, its attributes set
 * (attrs.h), fsynced, linked to a random name and renamed over the
 * destination, the directory fsynced.
 *
 * Functions return a pc_status and fill *err with a message naming the
 * file and the reason; they never print or exit.
 */
#ifndef PCOPY_COPY_H
#define PCOPY_COPY_H
#include <stdbool.h>
#include <stddef.h>
#include "libixutil/ix_err.h"

#define PC_HASH_BYTES 32	/* BLAKE2b-256 */

/* The exit statuses of pcopy(1); the values are its documented table. */
enum pc_status {
	PC_OK = 0,		/* copied; or --verify: same */
	PC_DIFFER = 1,		/* --verify: they differ */
	PC_USAGE = 2,		/* bad command line */
	PC_REFUSED = 3,		/* what pcopy cannot do safely; nothing changed */
	PC_CHANGED = 4,		/* the source changed during the copy; nothing changed */
	PC_SYSERR = 5,		/* a system call failed; nothing changed */
};

struct pc_opts {
	bool split_links;	/* replace a destination with other hard links */
};

/* Copies src to dst. On PC_OK, hash holds the content's BLAKE2b-256. On
 * any other status dst is as it was and no name is left behind. */
enum pc_status pc_copy(const char *src, const char *dst, const struct pc_opts *o,
		       unsigned char hash[PC_HASH_BYTES], struct ix_err *err);

/* Compares src and dst: content (hash), owner, group, mode and the
 * copied xattrs; report(arg, line) once per difference. Returns PC_OK
 * (same), PC_DIFFER, or PC_REFUSED / PC_SYSERR when either cannot be
 * opened as a regular file. */
enum pc_status pc_verify(const char *src, const char *dst,
			 void (*report)(void *arg, const char *line), void *arg,
			 struct ix_err *err);
#endif
