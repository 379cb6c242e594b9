/*
 * The worker's prelude (srv.h): what every server's worker is before it
 * reads a byte from a client. Each step narrows, in the order that keeps
 * the next one possible: descriptors and signals first, the parent-death
 * signal, then groups, gid and uid (which, without keep-caps, clears
 * every capability set, and clears the parent-death signal too, so it is
 * set again), the bounding and ambient sets, dumpability and
 * no_new_privs, and last the server's own Landlock and seccomp.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libipc/srv.h"

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif
/* Every capability the running kernel might know, so that the bounding
 * set is emptied even of those newer than our headers. */
#define CAP_PROBE_MAX 63

int
ix_srv_worker_user(const char *name, uid_t *uid, gid_t *gid, struct ix_err *err)
{
	struct passwd *pw = getpwnam(name);

	if (pw == NULL)
		return ix_err_set(err, IX_ENOENT, "the workers' user %s does not exist "
				  "(systemd-sysusers creates it from ixkit's sysusers.d file)", name);
	if (pw->pw_uid == 0 || pw->pw_gid == 0)
		return ix_err_set(err, IX_EDENIED, "the workers' user %s is root's uid or gid", name);
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

static _Noreturn void
worker_child(const struct ix_srv_worker *w, int mon, pid_t parent)
{
	struct ix_err e;
	sigset_t none;
	int null;

	/* Descriptors: 0-2 on /dev/null, the channel as 3, nothing else. */
	if ((mon = fcntl(mon, F_DUPFD_CLOEXEC, 10)) < 0 ||
	    (null = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0 || dup2(null, 0) < 0 ||
	    dup2(null, 1) < 0 || dup2(null, 2) < 0 || dup3(mon, 3, O_CLOEXEC) < 0)
		_exit(127);
	mon = 3;
	if (syscall(SYS_close_range, 4, ~0U, 0) < 0)
		for (int fd = 4; fd < 1024; fd++)
			close(fd);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* A worker never outlives its monitor: set here, and again below,
	 * because the kernel clears it when the uid changes. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(127);
	/* The bounding set while CAP_SETPCAP is still ours. */
	for (int c = 0; c <= CAP_PROBE_MAX; c++)
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			_exit(127);
	if (setgroups(0, NULL) < 0 || setresgid(w->gid, w->gid, w->gid) < 0 ||
	    setresuid(w->uid, w->uid, w->uid) < 0)
		_exit(127);
	/* setresuid away from 0 cleared the permitted and effective sets;
	 * the ambient set goes too, and none may come back. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		_exit(127);
	if (setuid(0) == 0 || geteuid() != w->uid || getegid() != w->gid)
		_exit(127);
	/* commit_creds cleared the parent-death signal with the uid: set it
	 * again, then make sure the monitor did not die in between. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(127);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		_exit(127);
	if (w->confine != NULL && w->confine(w->arg, &e) < 0)
		_exit(127);
	_exit(w->run(w->arg, mon));
}

pid_t
ix_srv_worker_spawn(const struct ix_srv_worker *w, int *mon, struct ix_err *err)
{
	pid_t pid, self = getpid();
	int sv[2];

	if (w->uid == 0 || w->gid == 0)
		return ix_err_set(err, IX_EDENIED, "a worker never runs as root");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return ix_err_sys(err, "worker: socketpair");
	pid = fork();
	if (pid < 0) {
		ix_err_sys(err, "worker: fork");
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		worker_child(w, sv[1], self);
	}
	close(sv[1]);
	*mon = sv[0];
	return pid;
}
