/*
 * The life of a compartment's init (compart_ns.h): born by clone3 as pid
 * 1 of fresh pid, IPC and mount namespaces, still root with its starter's
 * capabilities, it makes its mounts, gives up everything, says it is
 * ready and then only pauses. Orphans of the compartment are reparented
 * to it; SIGCHLD ignored has the kernel reap them without waking it.
 *
 * It is a fork of its starter, which may have had threads: system calls
 * only, no allocation, until it pauses for good.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/close_range.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcompart/caps.h"
#include "libcompart/compart_int.h"
#include "libcompart/compart_ns.h"

static const char *const steps[] = {
	[IX_INIT_READY] = "ready", [IX_INIT_START] = "clone3",
	[IX_INIT_FDS] = "closing descriptors", [IX_INIT_SID] = "setsid",
	[IX_INIT_SIG] = "resetting signals", [IX_INIT_SLAVE] = "making its mounts slaves",
	[IX_INIT_PROC] = "mounting /proc", [IX_INIT_MQUEUE] = "mounting /dev/mqueue",
	[IX_INIT_NAME] = "naming itself", [IX_INIT_CAPS] = "dropping identity and capabilities",
	[IX_INIT_NNP] = "no_new_privs", [IX_INIT_SECCOMP] = "loading its seccomp filter",
};

const char *
ix_compart_init_step(int step)
{
	return step >= 0 && step < (int)(sizeof steps / sizeof steps[0]) ? steps[step] : "?";
}

/*
 * pause and exit, and the write and close of its one report: nothing else
 * is left for a process that must only exist. Where the filter is not
 * written for the architecture the init still has no capability, no
 * privileged exec and no way in from its members.
 */
#if defined(__x86_64__) || defined(__aarch64__)
#if defined(__x86_64__)
#define INIT_ARCH AUDIT_ARCH_X86_64
#else
#define INIT_ARCH AUDIT_ARCH_AARCH64
#endif
#define ALLOW(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
		  BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
static const struct sock_filter only_pause[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, INIT_ARCH, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
#ifdef __NR_pause
	ALLOW(__NR_pause),
#endif
	ALLOW(__NR_ppoll), ALLOW(__NR_rt_sigreturn), ALLOW(__NR_restart_syscall),
	ALLOW(__NR_exit), ALLOW(__NR_exit_group), ALLOW(__NR_write), ALLOW(__NR_close),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
};
#endif

static _Noreturn void
fail(int report, int step)
{
	struct ix_init_report r = { step, errno };

	(void)!write(report, &r, sizeof r);
	_exit(127);
}

/* Field n (1-based, n > 2) of /proc/self/stat as a number, 0 when absent.
 * The second field, the command in parentheses, may hold spaces and
 * parentheses itself: counting starts after its last ')'. */
static unsigned long
stat_field(const char *stat, int n)
{
	const char *p = strrchr(stat, ')');
	unsigned long v = 0;

	if (!p)
		return 0;
	for (int f = 2; f < n && *p; p++)
		if (*p == ' ')
			f++;
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (unsigned long)(*p++ - '0');
	return v;
}

/* Its argument strings are its starter's (compartctl run's own options,
 * a server's command line), which /proc shows to every member: written
 * over in its own copy of them. */
static void
retitle(void)
{
	char stat[1024];
	unsigned long start, end;
	ssize_t n;
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	n = read(fd, stat, sizeof stat - 1);
	close(fd);
	if (n <= 0)
		return;
	stat[n] = '\0';
	/* arg_start and arg_end (proc(5)), in our own address space. */
	start = stat_field(stat, 48);
	end = stat_field(stat, 49);
	if (start == 0 || end <= start)
		return;
	memset((void *)start, 0, end - start);
	if (end - start > sizeof IX_COMPART_INIT_NAME)
		memcpy((void *)start, IX_COMPART_INIT_NAME, sizeof IX_COMPART_INIT_NAME);
}

_Noreturn void
ix_compart_init_run(int report, uid_t uid)
{
	/* A sealed compartment is never root, its init included: it runs as
	 * the compartment's own uid, which no process outside it holds. */
	const struct ix_ids ids = { .uid = uid, .gid = (gid_t)uid };
	struct sigaction dfl = { .sa_handler = SIG_DFL }, ign = { .sa_handler = SIG_IGN };
	struct ix_init_report ready = { IX_INIT_READY, 0 };
	const char *step;
	struct stat st;
	sigset_t none;

	/* Nothing of its starter's: no terminal, no socket, no lock. */
	if ((report > 0 && syscall(SYS_close_range, 0, (unsigned)report - 1, 0) < 0) ||
	    syscall(SYS_close_range, (unsigned)report + 1, ~0u, 0) < 0)
		fail(report, IX_INIT_FDS);
	if (setsid() < 0)
		fail(report, IX_INIT_SID);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, sig == SIGCHLD ? &ign : &dfl, NULL);
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		fail(report, IX_INIT_SIG);
	/* Slaves, not copies sharing the host's peer groups: the host's
	 * mounts still arrive, ours never reach the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		fail(report, IX_INIT_SLAVE);
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		fail(report, IX_INIT_PROC);
	/* The host's queues are files there too, openable by name. */
	if (stat("/dev/mqueue", &st) == 0 && S_ISDIR(st.st_mode) &&
	    mount("mqueue", "/dev/mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		fail(report, IX_INIT_MQUEUE);
	if (chdir("/") < 0 || prctl(PR_SET_NAME, IX_COMPART_INIT_NAME, 0, 0, 0) < 0)
		fail(report, IX_INIT_NAME);
	retitle();
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		fail(report, IX_INIT_NAME);
	if (ix_caps_enter(&ids, 0, &step) < 0)
		fail(report, IX_INIT_CAPS);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		fail(report, IX_INIT_NNP);
#ifdef INIT_ARCH
	{
		struct sock_fprog prog = { sizeof only_pause / sizeof only_pause[0],
					   (struct sock_filter *)only_pause };

		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
			fail(report, IX_INIT_SECCOMP);
	}
#endif
	(void)!write(report, &ready, sizeof ready);
	close(report);
	for (;;)
		pause();
}
