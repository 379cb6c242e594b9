/* Internal to libcompart. */
#ifndef IX_COMPART_INT_H
#define IX_COMPART_INT_H
#include <stdbool.h>
#include "libcompart/compart.h"

/* Opens <cgroup2 mount>/dir (created when create is set); IX_ENOENT when
 * it is absent and not to be created. */
int ix_cgroup_top(const char *dir, bool create, struct ix_err *err);
/* Opens <cgroup2 mount>/ixkit (created when create is set). */
int ix_compart_parent(bool create, struct ix_err *err);
/* Reads the record of the compartment directory open on fd. */
int ix_compart_read(int fd, const char *name, struct ix_compart *out, struct ix_err *err);
/* Kills every member of the cgroup directory open on dir (cgroup.kill)
 * and waits up to timeout_ms until it is empty; what names it in errors.
 * 0, or -1 with *err (IX_ELIMIT: members remain). */
int ix_cgroup_kill_dir(int dir, const char *what, int timeout_ms, struct ix_err *err);
/* True when the process behind pidfd has exited (or pidfd is not a pidfd). */
bool ix_pidfd_gone(int pidfd);

/* What a compartment's init tells its starter (compart_init.c): the step
 * it failed at with errno, or IX_INIT_READY once its namespaces are
 * ready; end of file is an init that died first. */
enum {
	IX_INIT_READY, IX_INIT_START, IX_INIT_FDS, IX_INIT_SID, IX_INIT_SIG, IX_INIT_SLAVE,
	IX_INIT_PROC, IX_INIT_MQUEUE, IX_INIT_NAME, IX_INIT_CAPS, IX_INIT_NNP, IX_INIT_SECCOMP,
};
struct ix_init_report {
	int step;	/* IX_INIT_* */
	int err;	/* errno of a failed step */
};
/* The init's life, in the child of clone3 with fresh namespaces: reports
 * on the descriptor report, then pauses until it is killed. */
_Noreturn void ix_compart_init_run(int report, uid_t uid);
/* A step's name for messages. */
const char *ix_compart_init_step(int step);
/* The pidfd of the live init of the compartment open on dir in *pidfd,
 * -1 when it has none (compart_ns.c). 0, or -1 with *err. */
int ix_compart_ns_find(int dir, const char *name, int *pidfd, struct ix_err *err);
/* Kills the init behind pidfd and waits up to timeout_ms for its end,
 * which is the end of every process of its pid namespace; reaps it when
 * it is our child (we started it); closes pidfd. -1 is ignored. */
void ix_compart_ns_stop(int pidfd, int timeout_ms);
#endif
