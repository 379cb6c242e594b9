/*
 * Compartments: the tag every process carries in the compartment kernel.
 *
 * A compartment is a cgroup v2 directory <cgroup2 mount>/ixkit/<name>. The
 * kernel inherits it on fork for free, only a process that may write the
 * cgroup files (root outside every compartment) can move tasks between
 * compartments, and its id is the cgroup id that the BPF LSM program and
 * cgroup BPF see. The compartment's label, ceiling, flags and (sealed)
 * its own uid are kept on the directory itself as trusted.* xattrs
 * (CAP_SYS_ADMIN to write), so no other store can disagree with the
 * kernel's view of membership.
 *
 * Tier 1 (compartd running) also keeps the label of every member task in
 * BPF task storage; libcompart writes both when it starts a process.
 */
#ifndef IX_COMPART_H
#define IX_COMPART_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "libixutil/ix_err.h"
#include "liblattice/label.h"
#include "libcompart/compart_uid.h"
#include "libcompart/tier1.h"

#define IX_COMPART_NAME_MAX 48
#define IX_COMPART_PARENT "ixkit"	/* directory under the cgroup2 mount */

struct ix_compart {
	char name[IX_COMPART_NAME_MAX + 1];	/* [a-z0-9][a-z0-9_.-]* */
	struct ix_label label;		/* label of every process inside */
	struct ix_label ceiling;	/* highest label it may be raised to */
	uint32_t flags;			/* IX_TASK_SEALED */
	uint64_t id;			/* cgroup id, filled by create/get */
	uid_t uid;			/* sealed: its own uid and gid, for what
					 * root starts in it (compart_uid.h);
					 * filled by create/get, 0: none */
};

/* The cgroup2 mount point (found in /proc/self/mountinfo, never assumed). */
int ix_cgroup2_mount(char *buf, size_t size, struct ix_err *err);

/* Checks a compartment name; 0 or -1 with a message naming the fault. */
int ix_compart_name_check(const char *name, struct ix_err *err);

/* Creates c->name with its label, ceiling and flags; fills c->id, and
 * for a sealed compartment c->uid, drawn from uids (NULL: the built-in
 * range). The label must be below the ceiling. IX_EEXIST when it exists,
 * IX_ELIMIT when no uid of the range is free. ix_compart_create draws
 * from the built-in range. */
int ix_compart_create_uids(struct ix_compart *c, const struct ix_uid_range *uids,
			   struct ix_err *err);
int ix_compart_create(struct ix_compart *c, struct ix_err *err);
/* Removes an empty compartment, and with it its uid: IX_ECONFLICT naming
 * a member when not empty, IX_ENOENT when absent. */
int ix_compart_remove(const char *name, struct ix_err *err);
/* Kills every member of the compartment and its descendants (SIGKILL
 * through cgroup.kill, Linux >= 5.14) and waits up to timeout_ms until it
 * is empty, so that ix_compart_remove can follow. Returns 0, or -1
 * (IX_ELIMIT: members remain after the timeout). */
int ix_compart_kill(const char *name, int timeout_ms, struct ix_err *err);
/* Reads a compartment's record. */
int ix_compart_get(const char *name, struct ix_compart *out, struct ix_err *err);
/* Opens the compartment's cgroup directory (O_DIRECTORY|O_CLOEXEC), for
 * clone3(CLONE_INTO_CGROUP). */
int ix_compart_open(const char *name, struct ix_err *err);
/* All compartments, in name order. *out is malloc'ed: free it. */
int ix_compart_list(struct ix_compart **out, size_t *n, struct ix_err *err);
/* Member pids (cgroup.procs of the compartment and of its descendants).
 * *pids is malloc'ed: free it. */
int ix_compart_pids(const char *name, pid_t **pids, size_t *n, struct ix_err *err);

/*
 * The compartment of a process. pidfd must refer to pid (the caller got it
 * from pidfd_open or CLONE_PIDFD); after /proc is read the pidfd is polled
 * again, so an answer about a recycled pid is never returned. *inside is
 * false for a process outside every compartment.
 */
int ix_compart_of(pid_t pid, int pidfd, struct ix_compart *out, bool *inside,
		  struct ix_err *err);

/*
 * The label the kernel enforces for a process: tier 1's task storage when
 * compartd runs (authoritative), else its compartment's label. *labelled
 * is false for an unlabelled process (outside every compartment).
 */
int ix_proc_label(pid_t pid, int pidfd, struct ix_task_label *out, bool *labelled,
		  struct ix_err *err);
#endif
