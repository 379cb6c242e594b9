/*
 * Probe actions, run by test_compart inside compartments
 * (test_compart --probe ACTION ARGS...). Each action tries exactly one
 * thing and exits 0 when it succeeded, or with the errno that refused it,
 * so the test asserts the kernel's answer rather than a message.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <mqueue.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "tests/libcompart/probe.h"

static int
res(long r)
{
	return r < 0 ? (errno ? errno : 1) : 0;
}

static int
capeff(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return 2;
	return (d[0].effective | d[1].effective | d[0].permitted | d[1].permitted) ? 0 : 1;
}

/* 0 when every uid and gid (real, effective, saved, filesystem) is want
 * and there is no supplementary group; 1 otherwise. */
static int
ids_are(const char *want)
{
	unsigned long w = strtoul(want, NULL, 10);
	uid_t r, e, s;
	gid_t gr, ge, gs;

	if (getresuid(&r, &e, &s) < 0 || getresgid(&gr, &ge, &gs) < 0)
		return 2;
	/* An invalid id changes nothing and returns the current one. */
	if (r != w || e != w || s != w || (unsigned long)syscall(SYS_setfsuid, -1) != w ||
	    gr != w || ge != w || gs != w || (unsigned long)syscall(SYS_setfsgid, -1) != w)
		return 1;
	return getgroups(0, NULL) == 0 ? 0 : 1;
}

static int
open_mode(const char *path, const char *mode)
{
	int flags = !strcmp(mode, "r") ? O_RDONLY : !strcmp(mode, "w") ? O_WRONLY :
		    O_WRONLY | O_CREAT;
	int fd = open(path, flags | O_CLOEXEC, 0644);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int
unix_connect(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), r;

	if (s < 0)
		return errno;
	if (path[0] == '@') {	/* abstract */
		memcpy(a.sun_path + 1, path + 1, strlen(path + 1));
		r = connect(s, (struct sockaddr *)&a,
			    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path)));
	} else {
		snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
		r = connect(s, (struct sockaddr *)&a, sizeof a);
	}
	r = res(r);
	close(s);
	return r;
}

/* Listens on an abstract socket and accepts until killed. */
static int
unix_listen(const char *name)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memcpy(a.sun_path + 1, name + 1, strlen(name + 1));
	if (s < 0 || bind(s, (struct sockaddr *)&a,
			  (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(name))) < 0 ||
	    listen(s, 8) < 0)
		return errno;
	for (;;) {
		int c = accept(s, NULL, NULL);
		if (c >= 0)
			close(c);
	}
}

/* Waits for gofile, then reports what the held terminal (fds 0/1) still
 * allows, on stderr (a pipe back to the test): "w=ERRNO r=ERRNO". */
static int
ttywait(const char *gofile)
{
	struct timespec t = { 0, 20 * 1000 * 1000 };
	int w, r, rd;
	char c;

	for (int i = 0; i < 500 && access(gofile, F_OK) < 0; i++)
		nanosleep(&t, NULL);
	w = res(write(1, "x", 1));
	fcntl(0, F_SETFL, O_NONBLOCK);
	rd = (int)read(0, &c, 1);
	r = rd < 0 ? errno : rd == 0 ? -1 : 0;	/* -1: end of file (hung up) */
	dprintf(2, "w=%d r=%d\n", w, r);
	return 0;
}

/* Forks a child, signals it: signals inside one's own tree still work. */
static int
kill_own_child(void)
{
	pid_t p = fork();
	int st;

	if (p == 0) {
		pause();
		_exit(0);
	}
	if (p < 0)
		return errno;
	if (kill(p, SIGTERM) < 0)
		return errno;
	waitpid(p, &st, 0);
	return 0;
}

/* 0 when /proc lists exactly want processes, else 100 + how many it
 * lists (capped): the process view of the probe's pid namespace. */
static int
count_procs(int want)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	if (!d)
		return errno;
	while ((de = readdir(d)))
		n += de->d_name[0] >= '1' && de->d_name[0] <= '9';
	closedir(d);
	return n == want ? 0 : 100 + (n > 99 ? 99 : n);
}

static int
try_bpf(void)
{
	union bpf_attr a = { .map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4,
			     .max_entries = 1 };

	return res(syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof a));
}

int
probe_main(int argc, char **argv)
{
	const char *a = argc > 0 ? argv[0] : "";
	const char *x = argc > 1 ? argv[1] : "", *y = argc > 2 ? argv[2] : "";

	errno = 0;
	if (!strcmp(a, "setuid"))
		return res(syscall(SYS_setuid, strtoull(x, NULL, 0)));
	if (!strcmp(a, "setresuid0"))
		return res(syscall(SYS_setresuid, 0, 0, 0));
	if (!strcmp(a, "userns"))
		return res(unshare(CLONE_NEWUSER));
	if (!strcmp(a, "euid"))		/* 0: running with euid 0 */
		return geteuid() == 0 ? 0 : 1;
	if (!strcmp(a, "capeff"))	/* 0: holds some capability */
		return capeff();
	if (!strcmp(a, "ids"))		/* ids N: 0 when every id is N, no groups */
		return ids_are(x);
	if (!strcmp(a, "exec")) {
		execv(x, argv + 1);
		return errno;
	}
	if (!strcmp(a, "open"))
		return open_mode(x, y);
	if (!strcmp(a, "mkdir"))
		return res(mkdir(x, 0700));
	if (!strcmp(a, "kill"))
		return res(kill((pid_t)atoi(x), SIGCONT));
	if (!strcmp(a, "killfd"))	/* a pidfd on standard input */
		return res(syscall(SYS_pidfd_send_signal, 0, SIGCONT, NULL, 0));
	if (!strcmp(a, "procs"))
		return count_procs(atoi(x));
	if (!strcmp(a, "shmget"))	/* shmget KEY [create] */
		return res(shmget((key_t)strtol(x, NULL, 0), 4096, *y ? IPC_CREAT | 0600 : 0));
	if (!strcmp(a, "mqopen")) {	/* mqopen NAME [create] */
		mqd_t q = mq_open(x, O_RDWR | (*y ? O_CREAT : 0), 0600, NULL);
		if (q == (mqd_t)-1)
			return errno;
		mq_close(q);
		return 0;
	}
	if (!strcmp(a, "killchild"))
		return kill_own_child();
	if (!strcmp(a, "ptrace"))
		return res(ptrace(PTRACE_SEIZE, (pid_t)atoi(x), NULL, NULL));
	if (!strcmp(a, "setxattr"))
		return res(setxattr(x, y, "\1", 1, 0));
	if (!strcmp(a, "rmxattr"))
		return res(removexattr(x, y));
	if (!strcmp(a, "chmod"))
		return res(chmod(x, 0777));
	if (!strcmp(a, "bpf"))
		return try_bpf();
	if (!strcmp(a, "unix"))
		return unix_connect(x);
	if (!strcmp(a, "listen"))
		return unix_listen(x);
	if (!strcmp(a, "sleep")) {
		for (;;)
			pause();
	}
	if (!strcmp(a, "ttywait"))
		return ttywait(x);
	if (!strcmp(a, "waitopen")) {	/* waitopen GOFILE PATH MODE */
		struct timespec t = { 0, 20 * 1000 * 1000 };
		for (int i = 0; i < 500 && access(x, F_OK) < 0; i++)
			nanosleep(&t, NULL);
		return open_mode(y, argc > 3 ? argv[3] : "r");
	}
	if (!strcmp(a, "cgmove")) {	/* write own pid into a cgroup.procs */
		int fd = open(x, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return errno;
		int r = res(dprintf(fd, "%d\n", (int)getpid()) < 0 ? -1 : 0);
		close(fd);
		return r;
	}
	fprintf(stderr, "probe: unknown action '%s'\n", a);
	return 120;
}
