/*
 * Context-free execution: the one routine privd and sessiond use to start
 * a program with nothing of their own context and exactly what the policy
 * grants. The child gets:
 *	- the environment given (NULL: an empty one), never the caller's;
 *	- descriptors 0, 1, 2 from fds (-1: /dev/null), every other closed;
 *	- current directory the black-hole directory (labelled NO, mode 0):
 *	  a relative path names nothing;
 *	- the identity and exactly the capabilities given (permitted,
 *	  effective, inheritable and ambient; bounding set cut to them;
 *	  securebits locked), no_new_privs, core dumps off; uid 0 in a
 *	  sealed compartment becomes the compartment's own uid (and gid,
 *	  no supplementary group): a sealed compartment is never root;
 *	- inside a compartment: its label (tier 1 task storage), its IPC, pid
 *	  and mount namespaces (compart_ns.h; the compartment's init is
 *	  started with its first member), the Landlock allowlist computed
 *	  from file labels, signal/socket scopes, and when the compartment is
 *	  sealed the seccomp seal.
 * Program paths are absolute; there is no shell and no PATH search.
 */
#ifndef IX_CFEXEC_H
#define IX_CFEXEC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "libixutil/ix_err.h"
#include "libcompart/caps.h"
#include "libcompart/landlock.h"

#define IX_CF_SETSID 0x1u	/* new session */
#define IX_CF_CTTY 0x2u		/* ... with fd 0 as its controlling terminal */
#define IX_CF_NO_SCOPES 0x4u	/* compartment without Landlock signal/socket scopes */

struct ix_cfexec {
	const char *path;		/* absolute program path */
	char *const *argv;		/* argv[0] included; NULL-terminated */
	char *const *envp;		/* NULL: empty environment */
	int fds[3];			/* become 0, 1, 2; -1: /dev/null */
	struct ix_ids ids;		/* identity of the child; uid 0 in a sealed
					 * compartment: its own uid instead */
	uint64_t caps;			/* exact capabilities, bit n = capability n */
	const char *compart;		/* compartment name, NULL: unlabelled */
	const char *const *writable;	/* paths writable inside the compartment */
	size_t nwritable;
	const struct ix_labelled_file *files;	/* label snapshot (ix_flabel_index_load) */
	size_t nfiles;
	const char *blackhole;		/* black-hole directory (ix_blackhole) */
	unsigned flags;			/* IX_CF_* */
	bool in_cgroup;			/* an unlabelled child is born in cgroup:
					 * nothing of it runs outside */
	int cgroup;			/* a cgroup directory (a run group) */
	const char *dir;		/* NULL, or a directory to start in instead of
					 * the black hole, entered with the child's own
					 * identity: where it may not search, the child
					 * stays in the black hole (sessions start at home) */
};

/*
 * Starts spec; on success the child has exec'ed (an exec failure is
 * reported here, with the step that failed, not as an exit status).
 * *pid and *pidfd (CLOEXEC) identify the child; the caller waits for it.
 */
int ix_cfexec_start(const struct ix_cfexec *spec, pid_t *pid, int *pidfd,
		    struct ix_err *err);

/*
 * Makes sure dir exists as the black hole: root-owned, mode 0, labelled
 * NO where the filesystem takes labels. Returns 0 or -1.
 */
int ix_blackhole(const char *dir, struct ix_err *err);
#endif
