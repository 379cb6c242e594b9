/*
 * passwdd's confinement (confine.h): identity and capabilities through
 * libcompart/caps.h, Landlock through libcompart/landlock.h, and a
 * seccomp allow-list through libcompart/selfseccomp.h (the list is
 * passwdd's, taken from strace -f of the scenario tests). It is the
 * monitor's (server.h): a monitor killed by SIGSYS is logged by main and
 * leaves its client with a failed verification, never a half-done one.
 */
#include <errno.h>
#include <pwd.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "libcompart/landlock.h"
#include "libcompart/selfseccomp.h"
#include "passwdd/confine.h"

/* Unconditionally allowed. Names, not numbers: a name this architecture
 * lacks is skipped. */
static const char *const allowed[] = {
	/* memory: malloc, sodium_malloc's guard pages and mlock, SQLite's
	 * WAL index (mmap of -shm) */
	"brk", "mmap", "munmap", "mremap", "mprotect", "madvise", "mlock", "munlock",
	/* files: SQLite (its locks are fcntl), the log */
	"read", "write", "pread64", "pwrite64", "openat", "close", "newfstatat", "fstatfs",
	"fcntl", "fsync", "fdatasync", "ftruncate", "unlink", "access", "faccessat2",
	"getcwd", "readlink",
	/* the connection, the worker's and the helper's channels; the
	 * peer's credentials and pidfd; syslog's socket (below) */
	"recvmsg", "sendmsg", "getsockopt", "connect", "sendto",
	/* waiting: poll, back-off, SQLite's busy sleep, futexes */
	"poll", "clock_nanosleep", "futex", "clock_gettime", "gettimeofday", "getrandom",
	/* processes and signals: reaping the worker and the helper, alarm */
	"wait4", "exit", "exit_group", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn",
	"restart_syscall", "alarm", "getpid", "geteuid", "set_robust_list", "pidfd_open",
#ifdef __SANITIZE_ADDRESS__
	/* sanitizer builds (--enable-sanitizers): the runtime's alternate
	 * signal stack, torn down at exit */
	"sigaltstack",
#endif
};

static int
seccomp_enter(struct ix_err *err)
{
	/* No clone: the monitor forks nothing once confined. ioctl: the
	 * terminal of pw_prompt_line; socket: syslog's, and nothing but a
	 * local one. */
	return ix_selfseccomp_allow("passwdd", allowed, sizeof allowed / sizeof allowed[0],
				    IX_SC_TTY | IX_SC_UNIX, err);
}

int
pw_confine_ids(const char *name, struct ix_ids *ids, struct ix_err *err)
{
	struct passwd *pw = getpwnam(name);

	if (pw == NULL)
		return ix_err_set(err, IX_ENOENT, "no such user %s (passwdd runs as its own user)", name);
	if (pw->pw_uid == 0)
		return ix_err_set(err, IX_EDENIED, "user %s is uid 0: passwdd does not run as root", name);
	memset(ids, 0, sizeof *ids);
	ids->uid = pw->pw_uid;
	ids->gid = pw->pw_gid;
	return 0;
}

int
pw_confine_enter(const struct ix_ids *ids, const char *dbdir, int *landlock, struct ix_err *err)
{
	struct ix_allowlist al;
	const char *step;
	int rc, pdeath = 0;

	*landlock = 0;
	if (prctl(PR_GET_PDEATHSIG, &pdeath) < 0)
		return ix_err_sys(err, "PR_GET_PDEATHSIG");
	rc = ix_caps_enter(ids, 0, &step);
	if (rc < 0) {
		errno = -rc;
		return ix_err_sys(err, "becoming uid %u: %s", (unsigned)ids->uid, step);
	}
	/* The kernel clears the parent-death signal with the uid. */
	if (pdeath != 0 && prctl(PR_SET_PDEATHSIG, pdeath) < 0)
		return ix_err_sys(err, "PR_SET_PDEATHSIG");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return ix_err_sys(err, "no_new_privs");
	if (ix_allowlist_init(&al, err) == 0) {
		/* /proc read-only: without SO_PEERPIDFD (kernels before 6.5)
		 * a client's identity is pinned by its start time in
		 * /proc/PID/stat (libipc/peer.c), which Landlock would refuse. */
		if (ix_allowlist_add(&al, dbdir, IX_LL_FS_DB, err) < 0 ||
		    ix_allowlist_add(&al, "/proc", IX_LL_FS_READ_FILE, err) < 0 ||
		    ix_landlock_enter(&al, true, err) < 0) {
			ix_allowlist_free(&al);
			return -1;
		}
		*landlock = al.abi;
		ix_allowlist_free(&al);
	}
	return seccomp_enter(err);
}
