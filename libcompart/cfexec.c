/*
 * The context-free exec routine (cfexec.h).
 *
 * Everything that allocates or can fail in an interesting way happens in
 * the parent: compartment lookup, allowlist (O_PATH descriptors), seccomp
 * program, /dev/null. The child then runs system calls only, in a fixed
 * order: each step needs the privilege the next one removes. The child is
 * born inside its compartment's cgroup (clone3 CLONE_INTO_CGROUP) and
 * waits on a pipe until the parent has written its tier 1 label, so it
 * never runs a single instruction of the program unlabelled. Failures come
 * back over a close-on-exec pipe as (step, errno).
 *
 * An unlabelled child that belongs in a run group is born there too, never
 * moved: a write to cgroup.procs takes the kernel's cgroup threadgroup
 * lock for writing, which waits for an RCU grace period whenever no
 * migration happened in the last moments: 7 to 14 ms here on an idle
 * machine, against 0.1 ms for being born into the group.
 *
 * A child in a compartment is born in the compartment's pid namespace
 * (compart_ns.h: we enter it around the clone, the child cannot) and
 * enters its IPC and mount namespaces first thing, before anything it
 * opens or runs; what the parent opened among its own mounts (the black
 * hole, the starting directory, the /proc rule) is opened again there.
 *
 * Without a compartment there is no label to write and the go byte is in
 * the pipe before the child exists; then, in a single-threaded caller, the
 * child shares the parent's memory until it execs (CLONE_VM | CLONE_VFORK,
 * on a stack of its own, as posix_spawn does; by clone3 when it is born in
 * a run group, clone3vm.h, and by the fork path on other machines): the same
 * steps in the same order, without copying the page tables of a large
 * caller (privd with a big policy) only for exec to throw them away. The
 * parent is suspended until the exec or the failure, and blocks every
 * signal around the clone so that no handler of its own runs in the
 * child; the child resets every disposition before it unblocks them.
 * A multi-threaded caller keeps the fork path: glibc's set*id wrappers
 * would act on the caller's other threads from a child sharing its
 * memory.
 */
#include <errno.h>
#include <fcntl.h>

/* AddressSanitizer's runtime keeps per-thread state that a child sharing
 * the parent's memory would rewrite under it (its noreturn hook resets the
 * signal stack), so sanitizer builds always take the fork path. */
#if defined(__SANITIZE_ADDRESS__)
#define IX_CF_SHARE_VM 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IX_CF_SHARE_VM 0
#endif
#endif
#ifndef IX_CF_SHARE_VM
#define IX_CF_SHARE_VM 1
#endif

#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/single_threaded.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcompart/cfexec.h"
#include "libcompart/clone3vm.h"
#include "libcompart/compart.h"
#include "libcompart/compart_ns.h"
#include "libcompart/flabel.h"
#include "libcompart/seal.h"
#include "libcompart/tier1.h"

/* Capabilities that reach around labels: refused inside a compartment. */
static const int label_caps[] = {
	CAP_SYS_ADMIN, CAP_MAC_ADMIN, CAP_MAC_OVERRIDE, CAP_BPF, CAP_SETFCAP, CAP_SETPCAP,
	CAP_SYS_MODULE, CAP_SYS_RAWIO, CAP_DAC_READ_SEARCH, CAP_SYS_PTRACE, CAP_PERFMON,
};

struct child_err {
	int step;	/* index into steps[] */
	int err;	/* errno */
};

static const char *const steps[] = {
	"waiting for the parent", "entering the compartment's namespaces", "resetting signals",
	"setsid", "setting descriptors", "taking the controlling terminal", "entering the black-hole directory", "setting rlimits",
	"identity and capabilities", "no_new_privs", "entering Landlock", "loading the seal",
	"execve",
};

enum { S_WAIT, S_NS, S_SIG, S_SID, S_FDS, S_CTTY, S_CWD, S_RLIM, S_CAPS, S_NNP, S_LL, S_SEAL, S_EXEC };

struct prep {
	struct ix_compart comp;
	bool labelled;
	struct ix_ids ids;	/* the child's identity: spec's, or the
				 * compartment's own uid for root in a
				 * sealed one */
	struct ix_allowlist al;
	struct ix_seal_prog seal;
	int fds[3];		/* descriptors to install, /dev/null substituted */
	int null_fd;
	int cwd_fd;
	int dir_fd;		/* spec->dir (O_PATH), -1 when none */
	int cg_fd;		/* the cgroup the child is born in, -1: the caller's */
	int ns[IX_NS_N];	/* the compartment's namespaces (compart_ns.h), -1: none */
	int self_fd;		/* our own pidfd, to come back to our pid namespace */
	ssize_t proc_rule;	/* index of al's rule on our /proc, -1: none */
	ssize_t mq_rule;	/* index of al's rule kept for the compartment's queues */
	const char *caps_step;
};

static void
prep_free(struct prep *p)
{
	ix_allowlist_free(&p->al);
	ix_seal_free(&p->seal);
	if (p->null_fd >= 0)
		close(p->null_fd);
	if (p->cwd_fd >= 0)
		close(p->cwd_fd);
	if (p->dir_fd >= 0)
		close(p->dir_fd);
	if (p->cg_fd >= 0)
		close(p->cg_fd);
	for (int i = 0; i < IX_NS_N; i++)
		if (p->ns[i] >= 0)
			close(p->ns[i]);
	if (p->self_fd >= 0)
		close(p->self_fd);
}

static int
check_spec(const struct ix_cfexec *s, struct ix_err *err)
{
	if (!s->path || s->path[0] != '/')
		return ix_err_set(err, IX_EINVAL, "program path '%s' is not absolute",
				  s->path ? s->path : "(none)");
	if (!s->argv || !s->argv[0])
		return ix_err_set(err, IX_EINVAL, "%s: empty argument vector", s->path);
	if (!s->blackhole || s->blackhole[0] != '/')
		return ix_err_set(err, IX_EINVAL, "no black-hole directory given");
	if (s->ids.ngroups > IX_CAPS_MAX_GROUPS)
		return ix_err_set(err, IX_ELIMIT, "more than %d supplementary groups", IX_CAPS_MAX_GROUPS);
	if (s->caps >> (ix_caps_last() + 1))
		return ix_err_set(err, IX_EINVAL, "capability bit above this kernel's last (%d)",
				  ix_caps_last());
	if ((s->flags & IX_CF_CTTY) && !(s->flags & IX_CF_SETSID))
		return ix_err_set(err, IX_EINVAL, "a controlling terminal needs a new session");
	if (s->compart)
		for (size_t i = 0; i < sizeof label_caps / sizeof label_caps[0]; i++)
			if (s->caps & (1ull << label_caps[i]))
				return ix_err_set(err, IX_EDENIED,
						  "a process in a compartment may not hold capability %d: it reaches around labels",
						  label_caps[i]);
	return 0;
}

/* A sealed compartment is never root: uid 0 without capabilities still
 * owns every root-owned file. What root starts in it runs as the
 * compartment's own uid, its gid of the same number and no supplementary
 * group (compart_uid.h). */
static int
sealed_ids(const struct ix_cfexec *s, struct prep *p, struct ix_err *err)
{
	if (s->ids.uid != 0)
		return 0;
	if (p->comp.uid == 0)
		return ix_err_set(err, IX_EDENIED, "compartment '%s' is sealed but has no uid of its "
				  "own to run root's commands as (made by an older ixkit): remove it "
				  "and create it again", p->comp.name);
	p->ids.uid = p->ids.gid = p->comp.uid;
	p->ids.ngroups = 0;
	return 0;
}

/* Landlock rules hold inodes, and the compartment's /proc is another
 * proc than ours: the child moves the rule the allowlist made for ours
 * (when /proc got one of its own) onto its own once it sees it. */
static void
find_proc_rule(struct prep *p)
{
	struct stat proc, st;

	if (stat("/proc", &proc) < 0)
		return;
	for (size_t i = 0; i < p->al.n; i++)
		if (fstat(p->al.rules[i].fd, &st) == 0 && st.st_dev == proc.st_dev &&
		    st.st_ino == proc.st_ino) {
			p->proc_rule = (ssize_t)i;
			return;
		}
}

static int
prepare(const struct ix_cfexec *s, struct prep *p, struct ix_err *err)
{
	memset(p, 0, sizeof *p);
	p->null_fd = p->cwd_fd = p->dir_fd = p->cg_fd = p->self_fd = -1;
	for (int i = 0; i < IX_NS_N; i++)
		p->ns[i] = -1;
	p->proc_rule = p->mq_rule = -1;
	if (check_spec(s, err) < 0)
		return -1;
	p->ids = s->ids;
	if (s->in_cgroup && !s->compart &&
	    (p->cg_fd = fcntl(s->cgroup, F_DUPFD_CLOEXEC, 3)) < 0)
		return ix_err_sys(err, "the run group's cgroup descriptor");
	for (int i = 0; i < 3; i++) {
		if (s->fds[i] >= 0) {
			p->fds[i] = s->fds[i];
			continue;
		}
		if (p->null_fd < 0 && (p->null_fd = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
			return ix_err_sys(err, "opening /dev/null");
		p->fds[i] = p->null_fd;
	}
	p->cwd_fd = open(s->blackhole, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (p->cwd_fd < 0)
		return ix_err_sys(err, "opening the black-hole directory %s", s->blackhole);
	/* A directory that is missing or not one is not an error: the child
	 * starts in the black hole, as it does where it may not search. */
	if (s->dir && s->dir[0] == '/')
		p->dir_fd = open(s->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (!s->compart)
		return 0;
	if (ix_compart_get(s->compart, &p->comp, err) < 0)
		return -1;
	/* A record whose label is above its ceiling (created past
	 * ix_compart_create's check, or edited since) is not run: the
	 * ceiling bounds the label, whatever wrote it (issue 16, hole 3). */
	if (!ix_label_le(&p->comp.label, &p->comp.ceiling))
		return ix_err_set(err, IX_EDENIED, "compartment '%s': its label is above its ceiling; "
				  "not run", s->compart);
	p->labelled = true;
	p->cg_fd = ix_compart_open(s->compart, err);
	if (p->cg_fd < 0)
		return -1;
	/* The child enters the IPC and mount namespaces itself; a pid
	 * namespace is entered by the children of whoever enters it, so we
	 * enter it around the clone and come back by our own pidfd. */
	if (ix_compart_ns_join(p->cg_fd, s->compart, p->ns, err) < 0)
		return -1;
	if ((p->self_fd = (int)syscall(SYS_pidfd_open, getpid(), 0)) < 0)
		return ix_err_sys(err, "a pidfd of our own");
	if (ix_allowlist_build(&p->al, &p->comp.label, &p->comp.ceiling, s->writable, s->nwritable,
			       s->files, s->nfiles, err) < 0)
		return ix_err_prefix(err, "compartment '%s'", s->compart);
	find_proc_rule(p);
	/* A rule for the compartment's POSIX queues, whose filesystem only
	 * the child can open (in their namespace): a harmless one until it
	 * does, as the list cannot grow after the fork. */
	if (ix_allowlist_add(&p->al, "/", IX_LL_FS_READ_DIR, err) < 0)
		return ix_err_prefix(err, "compartment '%s'", s->compart);
	p->mq_rule = (ssize_t)p->al.n - 1;
	if ((p->comp.flags & IX_TASK_SEALED) && sealed_ids(s, p, err) < 0)
		return -1;
	return ix_seal_prepare(IX_SEAL_LABELLED | (p->comp.flags & IX_TASK_SEALED ? IX_SEAL_SEALED : 0),
			       &p->seal, err);
}

static _Noreturn void
child_fail(int errfd, int step, int e)
{
	struct child_err ce = { step, e };

	(void)!write(errfd, &ce, sizeof ce);
	_exit(127);
}

static _Noreturn void
child(const struct ix_cfexec *s, struct prep *p, int syncfd, int errfd)
{
	static char *const empty[] = { NULL };
	struct rlimit core = { 0, 0 };
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t all;
	int fds[3], r, fd;
	char go;

	/* Out of the way of 0..2, which are about to be replaced. */
	if ((errfd = fcntl(errfd, F_DUPFD_CLOEXEC, 3)) < 0)
		_exit(127);
	if (read(syncfd, &go, 1) != 1)
		child_fail(errfd, S_WAIT, EPIPE);
	if (p->ns[IX_NS_MNT] >= 0) {
		if (setns(p->ns[IX_NS_IPC], CLONE_NEWIPC) < 0 ||
		    setns(p->ns[IX_NS_MNT], CLONE_NEWNS) < 0)
			child_fail(errfd, S_NS, errno);
		/* Opened among the caller's mounts: a walk up from there would
		 * leave the compartment's, and reach the host's /proc. */
		close(p->cwd_fd);
		if ((p->cwd_fd = open(s->blackhole, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
			child_fail(errfd, S_CWD, errno);
		if (p->dir_fd >= 0) {
			close(p->dir_fd);
			p->dir_fd = open(s->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		}
		if (p->proc_rule >= 0) {
			if ((fd = open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
				child_fail(errfd, S_NS, errno);
			close(p->al.rules[p->proc_rule].fd);
			p->al.rules[p->proc_rule].fd = fd;
		}
		/* The queues are the compartment's own: one label shares them.
		 * A kernel without them keeps the harmless rule. */
		if ((fd = ix_compart_ns_mqueue()) >= 0) {
			close(p->al.rules[p->mq_rule].fd);
			p->al.rules[p->mq_rule].fd = fd;
			p->al.rules[p->mq_rule].access = p->al.handled &
				(IX_LL_FS_READ_FILE | IX_LL_FS_WRITE_FILE | IX_LL_FS_READ_DIR |
				 IX_LL_FS_MAKE_REG | IX_LL_FS_REMOVE_FILE | IX_LL_FS_TRUNCATE);
		}
	}
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &dfl, NULL);
	sigemptyset(&all);
	if (sigprocmask(SIG_SETMASK, &all, NULL) < 0)
		child_fail(errfd, S_SIG, errno);
	if ((s->flags & IX_CF_SETSID) && setsid() < 0)
		child_fail(errfd, S_SID, errno);
	for (int i = 0; i < 3; i++)
		if ((fds[i] = fcntl(p->fds[i], F_DUPFD_CLOEXEC, 3)) < 0)
			child_fail(errfd, S_FDS, errno);
	for (int i = 0; i < 3; i++)
		if (dup2(fds[i], i) < 0)
			child_fail(errfd, S_FDS, errno);
	/* Everything above 2 goes at exec; the rule and error descriptors
	 * are still needed until then. */
	if (syscall(SYS_close_range, 3, ~0u, CLOSE_RANGE_CLOEXEC) < 0)
		child_fail(errfd, S_FDS, errno);
	if ((s->flags & IX_CF_CTTY) && ioctl(0, TIOCSCTTY, 0) < 0)
		child_fail(errfd, S_CTTY, errno);
	if (fchdir(p->cwd_fd) < 0)
		child_fail(errfd, S_CWD, errno);
	umask(077);
	if (setrlimit(RLIMIT_CORE, &core) < 0)
		child_fail(errfd, S_RLIM, errno);
	if ((r = ix_caps_enter(&p->ids, s->caps, &p->caps_step)) < 0)
		child_fail(errfd, S_CAPS, -r);
	/* As the child's own identity: its permission decides. */
	if (p->dir_fd >= 0 && fchdir(p->dir_fd) < 0) {
		/* not ours to enter: the black hole it stays */
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		child_fail(errfd, S_NNP, errno);
	if (p->labelled) {
		struct ix_err e;
		if (ix_landlock_enter(&p->al, !(s->flags & IX_CF_NO_SCOPES), &e) < 0)
			child_fail(errfd, S_LL, e.sys_errno ? e.sys_errno : ENOSYS);
		if ((r = ix_seal_load(&p->seal)) < 0)
			child_fail(errfd, S_SEAL, -r);
	}
	execve(s->path, s->argv, s->envp ? s->envp : empty);
	child_fail(errfd, S_EXEC, errno);
}

/* Stack of a child that shares our memory until it execs. */
#define VFORK_STACK (256 * 1024)

struct vchild_arg {
	const struct ix_cfexec *s;
	struct prep *p;
	int sync[2];
	int errp[2];
};

static int
vchild(void *arg)
{
	struct vchild_arg *a = arg;

	close(a->sync[1]);
	close(a->errp[0]);
	child(a->s, a->p, a->sync[0], a->errp[1]);
}

/* The child shares our memory until it execs or exits, which is when
 * this returns. Returns its pid (and *pidfd), or -1 with errno. */
static pid_t
vfork_child(const struct ix_cfexec *s, struct prep *p, int sync[2], int errp[2], int *pidfd)
{
	struct vchild_arg a = { s, p, { sync[0], sync[1] }, { errp[0], errp[1] } };
	sigset_t all, old;
	char *stack;
	pid_t pid;
	int saved;

	stack = mmap(NULL, VFORK_STACK, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		return -1;
	/* A guard page: an overflow faults rather than writing below. */
	if (mprotect(stack, 4096, PROT_NONE) < 0) {
		saved = errno;
		munmap(stack, VFORK_STACK);
		errno = saved;
		return -1;
	}
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	if (p->cg_fd >= 0) {
		struct clone_args ca = {
			.flags = CLONE_VM | CLONE_VFORK | CLONE_PIDFD | CLONE_INTO_CGROUP,
			.pidfd = (uint64_t)(uintptr_t)pidfd,
			.exit_signal = SIGCHLD,
			.stack = (uint64_t)(uintptr_t)stack,
			.stack_size = VFORK_STACK,
			.cgroup = (uint64_t)p->cg_fd,
		};

		pid = ix_clone3_fn(&ca, sizeof ca, vchild, &a);
	} else {
		pid = clone(vchild, stack + VFORK_STACK, CLONE_VM | CLONE_VFORK | CLONE_PIDFD | SIGCHLD,
			    &a, pidfd);
	}
	saved = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	munmap(stack, VFORK_STACK);
	errno = saved;
	return pid;
}

/*
 * Makes our children be born in the compartment's pid namespace (enter),
 * or our own again (!enter). Signals stay blocked in between, so that no
 * handler of the caller's starts a process of its own in the
 * compartment. Coming back cannot be left undone: every later child of
 * the caller would be born inside, so a failure there aborts. Returns 0,
 * or -1 with errno (entering only).
 */
static int
pidns_for_children(const struct prep *p, bool enter, sigset_t *oldmask)
{
	sigset_t all;

	if (!enter) {
		if (setns(p->self_fd, CLONE_NEWPID) < 0)
			abort();
		sigprocmask(SIG_SETMASK, oldmask, NULL);
		return 0;
	}
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, oldmask);
	if (setns(p->ns[IX_NS_PID], CLONE_NEWPID) < 0) {
		int e = errno;

		sigprocmask(SIG_SETMASK, oldmask, NULL);
		errno = e;
		return -1;
	}
	return 0;
}

static int
tier1_label(struct prep *p, int pidfd, struct ix_err *err)
{
	struct ix_task_label tl = { p->comp.label, p->comp.ceiling, p->comp.flags, p->comp.id };
	struct ix_t1 *t1;
	int r;

	if (ix_t1_open(NULL, &t1, err) < 0)
		return err->code == IX_ENOENT ? 0 : -1;	/* tier 2 only */
	r = ix_t1_task_set(t1, pidfd, &tl, err);
	ix_t1_close(t1);
	return r;
}

int
ix_cfexec_start(const struct ix_cfexec *s, pid_t *pid, int *pidfd, struct ix_err *err)
{
	int sync[2] = { -1, -1 }, errp[2] = { -1, -1 }, pfd = -1;
	struct clone_args ca = { 0 };
	struct child_err ce;
	sigset_t oldmask;
	struct prep p;
	ssize_t n;
	long c;

	if (prepare(s, &p, err) < 0) {
		prep_free(&p);
		return -1;
	}
	if (pipe2(sync, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		ix_err_sys(err, "pipe");
		goto fail;
	}
	if (IX_CF_SHARE_VM && !p.labelled && (p.cg_fd < 0 || IX_HAVE_CLONE3_FN) &&
	    __libc_single_threaded) {
		if (write(sync[1], "g", 1) != 1) {
			ix_err_sys(err, "releasing the child");
			goto fail;
		}
		c = vfork_child(s, &p, sync, errp, &pfd);
		if (c < 0) {
			ix_err_sys(err, "starting %s", s->path);
			goto fail;
		}
		close(sync[0]);
		close(sync[1]);
		close(errp[1]);
		sync[0] = sync[1] = errp[1] = -1;
		goto started;
	}
	ca.flags = CLONE_PIDFD | (p.cg_fd >= 0 ? CLONE_INTO_CGROUP : 0);
	ca.pidfd = (uint64_t)(uintptr_t)&pfd;
	ca.exit_signal = SIGCHLD;
	ca.cgroup = p.cg_fd >= 0 ? (uint64_t)p.cg_fd : 0;
	if (p.ns[IX_NS_PID] >= 0 && pidns_for_children(&p, true, &oldmask) < 0) {
		ix_err_sys(err, "entering the pid namespace of compartment '%s'", s->compart);
		goto fail;
	}
	c = syscall(SYS_clone3, &ca, sizeof ca);
	if (c == 0) {
		close(sync[1]);
		close(errp[0]);
		child(s, &p, sync[0], errp[1]);
	}
	if (p.ns[IX_NS_PID] >= 0) {
		int e = errno;

		pidns_for_children(&p, false, &oldmask);
		errno = e;
	}
	if (c < 0) {
		ix_err_sys(err, "starting %s", s->path);
		goto fail;
	}
	close(sync[0]);
	close(errp[1]);
	sync[0] = errp[1] = -1;
	if (p.labelled && tier1_label(&p, pfd, err) < 0) {
		/* No go byte: the child sees EOF and exits 127 unlabelled
		 * but before running anything of the program. */
		close(sync[1]);
		sync[1] = -1;
		waitpid((pid_t)c, NULL, 0);
		goto fail;
	}
	if (write(sync[1], "g", 1) != 1) {
		ix_err_sys(err, "releasing the child");
		waitpid((pid_t)c, NULL, 0);
		goto fail;
	}
	close(sync[1]);
	sync[1] = -1;
started:
	do
		n = read(errp[0], &ce, sizeof ce);
	while (n < 0 && errno == EINTR);
	close(errp[0]);
	errp[0] = -1;
	if (n == sizeof ce) {
		waitpid((pid_t)c, NULL, 0);
		close(pfd);
		errno = ce.err;
		if (ce.step == S_CAPS)
			ix_err_sys(err, "%s: identity and capabilities", s->path);
		else
			ix_err_sys(err, "%s: %s", s->path,
				   ce.step >= 0 && ce.step <= S_EXEC ? steps[ce.step] : "?");
		prep_free(&p);
		return -1;
	}
	prep_free(&p);
	*pid = (pid_t)c;
	*pidfd = pfd;
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (sync[i] >= 0)
			close(sync[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	if (pfd >= 0)
		close(pfd);
	prep_free(&p);
	return -1;
}

int
ix_blackhole(const char *dir, struct ix_err *err)
{
	struct ix_label no;
	struct stat st;
	int fd;

	if (mkdir(dir, 0) < 0 && errno != EEXIST)
		return ix_err_sys(err, "creating the black-hole directory %s", dir);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return ix_err_sys(err, "opening the black-hole directory %s", dir);
	if (fstat(fd, &st) < 0 || st.st_uid != 0 || (st.st_mode & 07777) != 0) {
		close(fd);
		return ix_err_set(err, IX_EINVAL, "%s exists but is not a root-owned directory of mode 0",
				  dir);
	}
	ix_label_no(&no);
	if (ix_flabel_set_fd(fd, &no, err) < 0 && err->sys_errno != ENOTSUP) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}
