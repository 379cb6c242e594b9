/*
 * The attributes pcopy carries from a source file to its copy, and the
 * comparison --verify makes: owner, group, mode (set-id and sticky bits
 * included) and the xattrs that make a file privileged in ixkit:
 *
 *	security.capability	the licence (Linux file capabilities)
 *	security.bpf.ixkit	the file label (IX_FLABEL_XATTR, libcompart/flabel.h)
 *	security.ixkit.*	reserved for ixkit marks such as the dummy
 *	trusted.ixkit.*		licence of the two-person install
 *
 * No other xattr (user.*, ACLs, SELinux contexts) is copied or compared,
 * nor is the licence mark security.bpf.ixkit.licensed (IX_T1_LICENCE_XATTR):
 * like the immutable attribute it is the seal, which follows the licences
 * (compared here) and is given to a licensed copy only once it is in
 * place (pc_licence_seal), since tier 1 refuses to rename a marked file;
 * a sealed copy of an unsealed licensed source is the same file.
 * Functions return 0 or -1 with *err filled; they never print or exit.
 */
#ifndef PCOPY_ATTRS_H
#define PCOPY_ATTRS_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "libixutil/ix_err.h"

#define PC_XATTR_MAX 64	/* xattrs copied per file, at most */
#define PC_XATTR_VALUE_MAX 65536	/* XATTR_SIZE_MAX */

struct pc_xattr {
	char *name;		/* owned; NUL-terminated */
	unsigned char *value;	/* owned; len bytes (may be NULL when len 0) */
	size_t len;		/* length of value */
};

struct pc_attrs {
	uid_t uid;		/* owner */
	gid_t gid;		/* group */
	mode_t mode;		/* permission, set-id and sticky bits (07777) */
	size_t n;		/* number of entries in x */
	struct pc_xattr *x;	/* owned; sorted by name */
};

/* True when pcopy copies an xattr of this name (the list above). */
bool pc_xattr_copied(const char *name);

/* Reads the attributes of the regular file open (not O_PATH) on fd into
 * *out, which the caller frees with pc_attrs_free. */
int pc_attrs_collect(int fd, struct pc_attrs *out, struct ix_err *err);

/* Sets a's attributes on the file open on fd, in the order that keeps
 * them: fchown (which clears set-id bits and security.capability), then
 * each xattr, then fchmod last. Copied xattrs present on fd but not in a
 * are removed. */
int pc_attrs_apply(int fd, const struct pc_attrs *a, struct ix_err *err);

/* Calls report(arg, line) once per difference between a (the source) and
 * b (the copy), a line such as "mode: 4755 (source) 0755 (copy)". Returns
 * the number of differences. */
size_t pc_attrs_compare(const struct pc_attrs *a, const struct pc_attrs *b,
			void (*report)(void *arg, const char *line), void *arg);

/* True when a and b are equal in every attribute compared. */
bool pc_attrs_equal(const struct pc_attrs *a, const struct pc_attrs *b);

void pc_attrs_free(struct pc_attrs *a);
#endif
