/*
 * Licences on files (IX: "a privileged file cannot be changed"), as the
 * privileged side reads and sets them on a descriptor:
 *
 *  - the licence proper: Linux file capabilities (security.capability),
 *    the privileges a program gains when it is executed;
 *  - dummy licences: approval marks by a role ("sysadmin", "secadmin"),
 *    each bound to the file's content hash (BLAKE2b-256) at the moment it
 *    was added: xattr security.ixkit.dummy.ROLE, value
 *    "blake2b-256:<64 hex digits>". Anyone may read them; only a process
 *    with CAP_SYS_ADMIN may write a security.* xattr.
 *
 * A file carrying either is licensed, and a licensed file is sealed:
 * immutable (FS_IMMUTABLE_FL), so that the kernel refuses writes,
 * truncation, renames over it, links to it and its unlinking, to root as
 * well, until the privileged side removes its licences (pc_licence_seal
 * after each change); and it carries the licence mark
 * (IX_T1_LICENCE_XATTR), on which tier 1's BPF LSM refuses the same
 * changes to every task even once the immutable attribute is cleared (by
 * anyone holding CAP_LINUX_IMMUTABLE). The mark is not a licence: it
 * follows the licences, as the immutable attribute does.
 * Descriptors passed here are open for reading (not O_PATH).
 * Functions return 0 or -1 with *err; they never print or exit.
 */
#ifndef LIBPCOPY_LICENCE_H
#define LIBPCOPY_LICENCE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "libcompart/compart_maps.h"
#include "libixutil/ix_err.h"
#include "libpcopy/copy.h"

#define PC_DUMMY_PREFIX "security.ixkit.dummy."
#define PC_ROLE_MAX 64		/* bytes of a role name */
#define PC_DUMMY_MAX 32		/* dummy licences read per file, at most */
#define PC_HASH_TEXT_MAX (12 + 2 * PC_HASH_BYTES + 1)	/* "blake2b-256:" hex NUL */

struct pc_dummy {
	char role[PC_ROLE_MAX + 1];
	bool well_formed;		/* the value parsed as a hash */
	unsigned char hash[PC_HASH_BYTES];	/* when well_formed */
};

/* True for a role name: 1..PC_ROLE_MAX of [A-Za-z0-9_.-], not starting
 * with '.' or '-'. */
bool pc_role_ok(const char *role);

/* "blake2b-256:<hex>" of h into out (PC_HASH_TEXT_MAX bytes). */
void pc_hash_text(const unsigned char h[PC_HASH_BYTES], char out[PC_HASH_TEXT_MAX]);

/* The dummy licences on fd, sorted by role; *n of at most max. */
int pc_dummy_read(int fd, struct pc_dummy *out, size_t max, size_t *n, struct ix_err *err);

/* Adds (or rebinds) role's dummy licence, bound to hash. The file must
 * not be immutable (pc_licence_unseal first). */
int pc_dummy_add(int fd, const char *role, const unsigned char hash[PC_HASH_BYTES],
		 struct ix_err *err);

/* Removes role's dummy licence: IX_ENOENT when the file has none. */
int pc_dummy_remove(int fd, const char *role, struct ix_err *err);

/* The file's capabilities: *present false when it has none; *caps the
 * permitted set as a mask of capability numbers. */
int pc_caps_read(int fd, uint64_t *caps, bool *present, struct ix_err *err);

/* Sets the file's capabilities to caps, permitted and effective (a
 * capability-unaware program gets them at exec); caps 0 removes them. */
int pc_caps_write(int fd, uint64_t caps, struct ix_err *err);

/* Whether fd carries a licence (file capabilities or a dummy licence). */
int pc_licensed(int fd, bool *yes, struct ix_err *err);

/* The immutable attribute (FS_IMMUTABLE_FL). */
int pc_immutable_get(int fd, bool *on, struct ix_err *err);
int pc_immutable_set(int fd, bool on, struct ix_err *err);

/* Whether fd carries the licence mark (whatever its value). */
int pc_licence_marked(int fd, bool *yes, struct ix_err *err);

/* Before changing a licence: clears the immutable attribute (the mark
 * stays: the file is still guarded at tier 1 while its licences change). */
int pc_licence_unseal(int fd, struct ix_err *err);
/* After: marked and immutable exactly when the file is licensed. The mark
 * is set before the immutable attribute and removed after it is cleared,
 * since an immutable file's xattrs cannot change; so a licensed file that
 * is already immutable but unmarked (sealed by hand, or before the mark
 * existed) is refused (IX_EDENIED): unseal it first. */
int pc_licence_seal(int fd, struct ix_err *err);

#endif
