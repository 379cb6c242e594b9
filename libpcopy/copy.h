/*
 * The paranoid copy on descriptors (pcopy(1)): the source opened without
 * following links and checked to be a regular file; the copy written into
 * an unnamed temporary file in the destination's directory, hashed
 * (BLAKE2b-256) against the source before and after, its attributes set
 * (attrs.h), fsynced, linked to a random name and renamed over the
 * destination, the directory fsynced.
 *
 * pc_copy_fd starts the copy's writeback with sync_file_range as it
 * copies and, on a source of 1 MiB or more, hashes the source in a thread
 * of its own (every signal blocked in it), joined before it returns: a
 * caller under a seccomp filter must allow those and pthread_create's
 * system calls. When no thread can be made, the steps run one after the
 * other.
 *
 * Functions return a pc_status and fill *err with a message naming the
 * file and the reason; they never print or exit.
 */
#ifndef PCOPY_COPY_H
#define PCOPY_COPY_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
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
	const unsigned char *expect;	/* PC_HASH_BYTES: the content the source must
					 * have (the one a person approved), or NULL */
	bool system_owner;	/* the copy is owned as the file it replaces, or
				 * as its directory when new, not as the source */
};

/* Copies src to dst. On PC_OK, hash holds the content's BLAKE2b-256. On
 * any other status dst is as it was and no name is left behind. */
enum pc_status pc_copy(const char *src, const char *dst, const struct pc_opts *o,
		       unsigned char hash[PC_HASH_BYTES], struct ix_err *err);

/* Copies the regular file open for reading on sfd (named src in
 * messages) to base in the directory open on dfd (O_RDONLY; the whole
 * destination named dst in messages): what pc_copy does once it has
 * opened them, for a caller that opened them itself (privd's COPY step,
 * as its client). A copy carrying a licence is made immutable once in
 * place (licence.h); an immutable destination is refused. */
enum pc_status pc_copy_fd(int sfd, const char *src, int dfd, const char *base, const char *dst,
			  const struct pc_opts *o, unsigned char hash[PC_HASH_BYTES],
			  struct ix_err *err);

/* Opens path for reading as a regular file, following no symbolic link
 * anywhere in it and never opening a FIFO or a device for real; *st its
 * fstat. PC_REFUSED for a link or another kind of file. */
enum pc_status pc_open_regular(const char *path, int *fdp, struct stat *st, struct ix_err *err);

/* "a FIFO", "a directory", ... for a file that is not regular. */
const char *pc_kind_name(mode_t m);

/* BLAKE2b-256 of the whole content of fd (read with pread from 0). */
int pc_hash_fd(int fd, unsigned char out[PC_HASH_BYTES], struct ix_err *err);

/* Compares src and dst: content (hash), owner, group, mode and the
 * copied xattrs; report(arg, line) once per difference. Returns PC_OK
 * (same), PC_DIFFER, or PC_REFUSED / PC_SYSERR when either cannot be
 * opened as a regular file. */
enum pc_status pc_verify(const char *src, const char *dst,
			 void (*report)(void *arg, const char *line), void *arg,
			 struct ix_err *err);
#endif
