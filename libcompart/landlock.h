/*
 * Landlock for compartments: a filesystem allowlist computed from file
 * labels when a process enters a compartment (tier 2's snapshot of
 * Bell-LaPadula), plus signal and abstract-socket scoping.
 *
 * The allowlist is built by the privileged parent (it must open every
 * path it names) and applied by the child after no_new_privs, just before
 * exec.
 */
#ifndef IX_LANDLOCK_H
#define IX_LANDLOCK_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "libixutil/ix_err.h"
#include "libcompart/landlock_compat.h"
#include "liblattice/label.h"

#define IX_ALLOW_RULES_MAX 20000

/* The running kernel's Landlock ABI, 0 when Landlock is absent/disabled. */
int ix_landlock_abi(void);

struct ix_allow_rule {
	int fd;			/* O_PATH descriptor, owned by the list */
	uint64_t access;	/* IX_LL_FS_* allowed beneath it */
};

struct ix_allowlist {
	int abi;			/* ABI the list was built for */
	uint64_t handled;		/* IX_LL_FS_* the ruleset handles */
	struct ix_allow_rule *rules;
	size_t n, cap;
};

/* A labelled file as the label index knows it, verified by the caller;
 * one entry per name of it. */
struct ix_labelled_file {
	const char *path;	/* absolute, no symlinks */
	struct ix_label label;
	bool is_dir;
	uint64_t dev, ino;	/* identity; both 0: ix_allowlist_build looks path up */
};

/*
 * Builds the allowlist for a process at label proc with ceiling ceiling
 * (NULL: proc): read and execute everywhere except labelled files that
 * proc and ceiling do not both dominate (the ceiling caps the reach, issue
 * 16 hole 3, also for a label recorded above it); write only
 * beneath the writable paths (and on the few harmless devices), never on
 * a labelled file proc's label is not below; /dev only for the harmless
 * devices (never raw disks); nothing of /dev/pts by name. files must name
 * every name of each labelled file (ix_flabel_index_load finds them): a
 * rule lands on an inode, and one for a name not listed would open the
 * file under all its names; no rule is ever put on a labelled inode
 * beyond its label's rights, whatever name it is reached by here.
 * Returns 0 or -1.
 */
int ix_allowlist_build(struct ix_allowlist *al, const struct ix_label *proc,
		       const struct ix_label *ceiling, const char *const *writable, size_t nwritable,
		       const struct ix_labelled_file *files, size_t nfiles,
		       struct ix_err *err);
void ix_allowlist_free(struct ix_allowlist *al);

/*
 * A short allowlist built by hand, for a daemon confining itself to a
 * few paths: ix_allowlist_init handles every filesystem right of the
 * running kernel's ABI (so whatever no rule grants is denied) and adds no
 * rule; ix_allowlist_add grants access (IX_LL_FS_*, landlock_compat.h)
 * beneath path, which must exist and not be a symbolic link (a file gets
 * only the file rights). Rights the ABI lacks are dropped. Both return 0
 * or -1 with *err; release with ix_allowlist_free.
 */
int ix_allowlist_init(struct ix_allowlist *al, struct ix_err *err);

/* What a SQLite database with its WAL (and an audit head file) needs
 * beneath its directory: no execute, no devices, sockets, fifos, links or
 * directories. */
#define IX_LL_FS_DB (IX_LL_FS_READ_FILE | IX_LL_FS_WRITE_FILE | IX_LL_FS_READ_DIR | \
		     IX_LL_FS_MAKE_REG | IX_LL_FS_REMOVE_FILE | IX_LL_FS_TRUNCATE)
int ix_allowlist_add(struct ix_allowlist *al, const char *path, uint64_t access,
		     struct ix_err *err);

/*
 * In the child, after PR_SET_NO_NEW_PRIVS: restricts the calling thread
 * with the allowlist (al may be NULL: scopes only) and, where the ABI has
 * them, the signal and abstract-unix-socket scopes. Fails when the kernel
 * has no Landlock at all: the caller decides whether that is fatal.
 */
int ix_landlock_enter(const struct ix_allowlist *al, bool scopes, struct ix_err *err);
#endif
