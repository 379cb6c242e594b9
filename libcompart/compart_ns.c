/*
 * Finding, starting and ending a compartment's init (compart_ns.h).
 *
 * The init is found through its cgroup, <compartment>/ns, where only the
 * starter below ever puts a process (members are born in the compartment
 * itself, and moving a task between cgroups needs root outside every
 * compartment). A pid read there is confirmed through a pidfd, as
 * compart_proc.c does: a pid recycled after the init died names a
 * process that is no longer in that cgroup.
 *
 * A flock on the compartment's directory orders starters and joiners:
 * shared to look up, exclusive to start one or end it, so that no member
 * enters namespaces whose /proc is not mounted yet and two first members
 * do not start two inits.
 *
 * The init is its starter's child, not a daemon's grandchild: the
 * starter of a run's or a session's compartment is also the one that
 * ends it, and reaps it then; an orphan reaper does not run everywhere
 * (a container's pid 1 may never wait), and zombie inits would pile up.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <linux/mount.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

#include "libcompart/caps.h"
#include "libcompart/compart.h"
#include "libcompart/compart_int.h"
#include "libcompart/compart_ns.h"
#include "libcompart/compart_uid.h"

#define PROCS_MAX 256	/* a few pids: the init, and one dying meanwhile */
#define INIT_STOP_MS 5000
#define CGROUP_FILE_MAX 4096

/* Whether /proc says pid is in the init's cgroup of compartment name:
 * the cgroup v2 line, wherever v1 hierarchies put it among theirs. */
static bool
in_init_cgroup(pid_t pid, const char *name)
{
	char path[64], buf[CGROUP_FILE_MAX], want[IX_COMPART_NAME_MAX + 32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/cgroup", (int)pid);
	snprintf(want, sizeof want, "\n0::/%s/%s/%s\n", IX_COMPART_PARENT, name, IX_COMPART_NS_DIR);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	buf[0] = '\n';
	n = read(fd, buf + 1, sizeof buf - 2);
	close(fd);
	if (n <= 0)
		return false;
	buf[n + 1] = '\0';
	return strstr(buf, want) != NULL;
}

/* 1 with *pidfd (and *pid) of the live init, 0 when there is none, -1
 * with *err. */
static int
find_init(int dir, const char *name, int *pidfd, pid_t *pid, struct ix_err *err)
{
	char buf[PROCS_MAX];
	ssize_t n;
	int fd = openat(dir, IX_COMPART_NS_DIR "/cgroup.procs", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? 0 : ix_err_sys(err, "compartment '%s': its init's cgroup", name);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0)
		return ix_err_sys(err, "compartment '%s': reading its init's cgroup", name);
	buf[n] = '\0';
	for (char *p = buf, *e; *p; p = e) {
		long v = strtol(p, &e, 10);
		int pfd;

		if (e == p || v <= 0)
			break;
		while (*e == '\n')
			e++;
		if ((pfd = (int)syscall(SYS_pidfd_open, (pid_t)v, 0)) < 0)
			continue;	/* gone meanwhile */
		if (in_init_cgroup((pid_t)v, name) && !ix_pidfd_gone(pfd)) {
			*pidfd = pfd;
			*pid = (pid_t)v;
			return 1;
		}
		close(pfd);
	}
	return 0;
}

/*
 * Starts the init in the cgroup open on nsdir and waits until it reports;
 * *pidfd and *pid are its pidfd and pid. It is our child: we reap it when
 * we end it (ix_compart_ns_stop), and once we have gone it is reparented
 * to whoever reaps orphans here (init, a subreaper).
 */
static int
start_init(int nsdir, const char *name, uid_t uid, int *pidfd, pid_t *pid, struct ix_err *err)
{
	struct ix_init_report r = { IX_INIT_START, 0 };
	struct clone_args ca = {
		.flags = CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNS | CLONE_INTO_CGROUP | CLONE_PIDFD,
		.pidfd = (uint64_t)(uintptr_t)pidfd,
		.exit_signal = SIGCHLD,
		.cgroup = (uint64_t)nsdir,
	};
	sigset_t all, old;
	int rep[2];
	ssize_t n;
	long c;

	*pidfd = -1;
	if (pipe2(rep, O_CLOEXEC) < 0)
		return ix_err_sys(err, "compartment '%s': pipe", name);
	/* Read now, not in the child, where it would allocate. */
	(void)ix_caps_last();
	/* No handler of the caller's runs in the child. */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	c = syscall(SYS_clone3, &ca, sizeof ca);
	if (c == 0) {
		close(rep[0]);
		ix_compart_init_run(rep[1], uid);
	}
	r.err = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(rep[1]);
	if (c < 0) {
		close(rep[0]);
		errno = r.err;
		return ix_err_sys(err, "compartment '%s': starting its init", name);
	}
	do
		n = read(rep[0], &r, sizeof r);
	while (n < 0 && errno == EINTR);
	close(rep[0]);
	*pid = (pid_t)c;
	if (n == sizeof r && r.step == IX_INIT_READY)
		return 0;
	ix_compart_ns_stop(*pidfd, INIT_STOP_MS);
	*pidfd = -1;
	if (n != sizeof r)
		return ix_err_set(err, IX_ESYS, "compartment '%s': its init died before it was ready",
				  name);
	errno = r.err;
	return ix_err_sys(err, "compartment '%s': its init: %s", name, ix_compart_init_step(r.step));
}

/* Opens the namespace files of the init pid, confirmed by its pidfd
 * afterwards: a pid recycled in between would lend another process's. */
static int
open_ns(pid_t pid, int pidfd, const char *name, int ns[IX_NS_N], struct ix_err *err)
{
	static const char *const names[IX_NS_N] = { [IX_NS_IPC] = "ipc", [IX_NS_PID] = "pid",
						    [IX_NS_MNT] = "mnt" };
	char path[64];

	for (int i = 0; i < IX_NS_N; i++) {
		snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)pid, names[i]);
		if ((ns[i] = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			ix_err_sys(err, "compartment '%s': its init's %s namespace", name, names[i]);
			goto fail;
		}
	}
	if (!ix_pidfd_gone(pidfd))
		return 0;
	ix_err_set(err, IX_ESYS, "compartment '%s': its init went away", name);
fail:
	for (int i = 0; i < IX_NS_N; i++) {
		if (ns[i] >= 0)
			close(ns[i]);
		ns[i] = -1;
	}
	return -1;
}

int
ix_compart_ns_join(int dir, const char *name, int ns[IX_NS_N], struct ix_err *err)
{
	int lk = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), nsdir, pfd = -1, r;
	pid_t pid;

	for (int i = 0; i < IX_NS_N; i++)
		ns[i] = -1;
	if (lk < 0)
		return ix_err_sys(err, "compartment '%s'", name);
	if (flock(lk, LOCK_SH) < 0) {
		close(lk);
		return ix_err_sys(err, "compartment '%s': locking it", name);
	}
	r = find_init(dir, name, &pfd, &pid, err);
	if (r == 0) {
		/* The first member: the exclusive lock may wait for another
		 * first member, which may have started it meanwhile. */
		if (flock(lk, LOCK_EX) < 0)
			r = ix_err_sys(err, "compartment '%s': locking it", name);
		else
			r = find_init(dir, name, &pfd, &pid, err);
	}
	if (r == 0) {
		uid_t uid;

		if (ix_compart_uid_read(dir, name, &uid, err) < 0)
			r = -1;
		else if (mkdirat(dir, IX_COMPART_NS_DIR, 0755) < 0 && errno != EEXIST)
			r = ix_err_sys(err, "compartment '%s': creating its init's cgroup", name);
		else if ((nsdir = openat(dir, IX_COMPART_NS_DIR,
					 O_DIRECTORY | O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
			r = ix_err_sys(err, "compartment '%s': opening its init's cgroup", name);
		else {
			r = start_init(nsdir, name, uid, &pfd, &pid, err) == 0 ? 1 : -1;
			close(nsdir);
		}
	}
	if (r == 1) {
		r = open_ns(pid, pfd, name, ns, err);
		close(pfd);
	}
	close(lk);	/* the lock with it */
	return r < 0 ? -1 : 0;
}

int
ix_compart_ns_find(int dir, const char *name, int *pidfd, struct ix_err *err)
{
	pid_t pid;

	*pidfd = -1;
	return find_init(dir, name, pidfd, &pid, err) < 0 ? -1 : 0;
}

void
ix_compart_ns_stop(int pidfd, int timeout_ms)
{
	struct pollfd p = { pidfd, POLLIN, 0 };
	siginfo_t si;

	if (pidfd < 0)
		return;
	/* Its pidfd says when it has gone, at once; cgroup.events says so
	 * up to 10 ms late (the kernel rate-limits its notifications), a
	 * delay every run's compartment would pay. It goes only once every
	 * other process of its namespace has been reaped: bounded, so that a
	 * caller still holding an unreaped member does not wait on itself. */
	syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
	while (poll(&p, 1, timeout_ms) < 0 && errno == EINTR)
		;
	/* ECHILD: not ours, its starter's or the orphan reaper's to reap;
	 * still running after the timeout: reaped by nobody here. */
	while (waitid(P_PIDFD, (id_t)pidfd, &si, WEXITED | WNOHANG) < 0 && errno == EINTR)
		;
	close(pidfd);
}

int
ix_compart_ns_mqueue(void)
{
	int fs = (int)syscall(SYS_fsopen, "mqueue", FSOPEN_CLOEXEC), m, e;

	if (fs < 0)
		return -1;
	/* The superblock is keyed by the IPC namespace: this mount's root is
	 * the root the kernel's own mount of the namespace's queues has. */
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		e = errno;
		close(fs);
		errno = e;
		return -1;
	}
	m = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
	e = errno;
	close(fs);
	errno = e;
	return m;
}

int
ix_compart_ns_init_pid(const char *name, pid_t *pid, struct ix_err *err)
{
	int dir = ix_compart_open(name, err), pfd = -1, r;

	*pid = 0;
	if (dir < 0)
		return -1;
	r = find_init(dir, name, &pfd, pid, err);
	close(dir);
	if (r < 0)
		return -1;
	if (r == 1)
		close(pfd);
	return 0;
}

int
ix_compart_ns_end(int dir, const char *name, int timeout_ms, struct ix_err *err)
{
	char what[IX_COMPART_NAME_MAX + 32];
	int lk = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), nsdir, init = -1, r = 0;

	if (lk < 0)
		return ix_err_sys(err, "compartment '%s'", name);
	/* Not while a first member is starting one. */
	if (flock(lk, LOCK_EX) < 0) {
		close(lk);
		return ix_err_sys(err, "compartment '%s': locking it", name);
	}
	nsdir = openat(dir, IX_COMPART_NS_DIR, O_DIRECTORY | O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (nsdir < 0) {
		if (errno != ENOENT)
			r = ix_err_sys(err, "compartment '%s': opening its init's cgroup", name);
	} else if ((r = ix_compart_ns_find(dir, name, &init, err)) == 0) {
		snprintf(what, sizeof what, "the init of compartment '%s'", name);
		ix_compart_ns_stop(init, timeout_ms);
		r = ix_cgroup_kill_dir(nsdir, what, timeout_ms, err);
		if (r == 0 && unlinkat(dir, IX_COMPART_NS_DIR, AT_REMOVEDIR) < 0 && errno != ENOENT)
			r = ix_err_sys(err, "compartment '%s': removing its init's cgroup", name);
	}
	if (nsdir >= 0)
		close(nsdir);
	close(lk);
	return r;
}
