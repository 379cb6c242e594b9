/*
 * A compartment's own IPC, pid and mount namespaces: its members see the
 * SysV objects and POSIX message queues of their compartment alone, and
 * through a /proc of their own the processes of their compartment alone.
 *
 * The namespaces are held by the compartment's init, a small process
 * that is pid 1 of the pid namespace and does nothing but reap: a pid
 * namespace whose pid 1 has gone takes no new process, so a compartment
 * joined over time (compartctl run --compartment, sessions) needs one that
 * lives as long as the compartment, and the command itself as pid 1 would
 * lose the default action of every signal (SIGINT, SIGTERM) and take the
 * namespace down with it. A pinned nsfs file could keep the IPC and mount
 * namespaces alive without a process, but not a usable pid namespace.
 *
 * The init lives in the child cgroup <compartment>/ns, so that it is
 * never counted as a member (cgroup.procs of the compartment) yet is
 * killed with the compartment (cgroup.kill reaches descendants) and a
 * compartment cannot be removed while it runs: no namespace outlives its
 * compartment. It starts with the first member, from the first member's
 * starter, copying that starter's mount namespace with /proc (and
 * /dev/mqueue) mounted afresh; later members enter its namespaces
 * (setns on its namespace files). It runs as uid 0 with no capability,
 * once ready no system call but pause and exit, not dumpable, its
 * command line replaced: a member cannot signal it (pid 1 of their
 * namespace), trace it or read it.
 */
#ifndef IX_COMPART_NS_H
#define IX_COMPART_NS_H
#include <sys/types.h>
#include "libixutil/ix_err.h"

#define IX_COMPART_NS_DIR "ns"		/* the init's cgroup, under the compartment's */
#define IX_COMPART_INIT_NAME "ixkit-init"	/* its comm and command line */

enum { IX_NS_IPC, IX_NS_PID, IX_NS_MNT, IX_NS_N };

/*
 * Descriptors (nsfs, O_CLOEXEC) of the IPC, pid and mount namespaces of
 * the init of compartment name, whose cgroup directory is open on dir, in
 * ns[IX_NS_*]; the init is started when the compartment has none. They
 * are ready (/proc mounted) when this returns. Namespace files, not the
 * init's pidfd: setns through a pidfd asks for ptrace's permission,
 * which tier 1 refuses a labelled member towards its unlabelled init;
 * the caller opens them unlabelled, with CAP_SYS_PTRACE (the init is not
 * dumpable). Returns 0, or -1 with *err and every ns[] -1.
 */
int ix_compart_ns_join(int dir, const char *name, int ns[IX_NS_N], struct ix_err *err);

/* The host pid of compartment name's init in *pid, 0 when it has none.
 * Returns 0, or -1 with *err. */
int ix_compart_ns_init_pid(const char *name, pid_t *pid, struct ix_err *err);

/*
 * In a process that has entered a compartment's IPC namespace: a
 * descriptor of the root of its POSIX message queues (a detached mqueue
 * mount), for a Landlock rule. mq_open reaches the queues through the
 * kernel's own mount of that filesystem, which no allowlist path names,
 * so that without such a rule Landlock refuses every queue. System calls
 * only (CAP_SYS_ADMIN). Returns the descriptor (O_CLOEXEC), or -1 with
 * errno.
 */
int ix_compart_ns_mqueue(void);

/*
 * Ends the init of the compartment open on dir (whatever is left in its
 * pid namespace dies with it) and removes its cgroup, waiting up to
 * timeout_ms. A compartment without one is not an error. Returns 0, or
 * -1 with *err.
 */
int ix_compart_ns_end(int dir, const char *name, int timeout_ms, struct ix_err *err);
#endif
