/*
 * A server worker's Landlock and seccomp (workerconf.h). The allow-list is
 * what a worker of the kit does: recvmsg and sendmsg on its two sockets
 * (the descriptors it passes on ride in sendmsg), poll with a timeout,
 * memory, and exit. No open (Landlock would refuse it anyway), no socket
 * or connect, no kill, no ptrace, no fork or exec.
 */
#include <errno.h>

#include "libcompart/landlock.h"
#include "libcompart/selfseccomp.h"
#include "libcompart/workerconf.h"

static const char *const allowed[] = {
	"read", "write", "readv", "writev", "recvmsg", "sendmsg", "recvfrom", "sendto", "close",
	"poll", "ppoll", "clock_gettime", "gettimeofday", "clock_nanosleep", "nanosleep",
	"brk", "mmap", "munmap", "mremap", "madvise", "futex", "getrandom",
	"fstat", "newfstatat", "fcntl", "lseek",
	"getpid", "gettid", "getuid", "geteuid", "getgid", "getegid",
	"rt_sigreturn", "rt_sigprocmask", "restart_syscall", "exit", "exit_group",
#ifdef __SANITIZE_ADDRESS__
	/* the sanitizer runtime: its signal stack, its reports */
	"sigaltstack", "mprotect", "openat", "readlink", "getpid", "sched_yield",
#endif
};

int
ix_worker_confine(const char *who, struct ix_err *err)
{
	struct ix_allowlist al;
	struct ix_err e;

	if (ix_allowlist_init(&al, &e) == 0) {
		int rc = ix_landlock_enter(&al, true, err);

		ix_allowlist_free(&al);
		if (rc < 0)
			return ix_err_prefix(err, "%s: Landlock", who);
	}
	return ix_selfseccomp_allow(who, allowed, sizeof allowed / sizeof allowed[0], 0, err);
}
