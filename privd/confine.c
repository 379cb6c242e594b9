/*
 * privd's confinement (confine.h). main and its workers keep uid 0, for
 * the database and the run directory are root's, but no capability: what
 * needs one is the launcher's (launcher.h). Without CAP_DAC_OVERRIDE a
 * root process still owns root's files, so Landlock bounds which of them
 * it may open. The seccomp list was taken from strace -f of the scenario
 * tests.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcompart/caps.h"
#include "libcompart/landlock.h"
#include "libcompart/selfseccomp.h"
#include "privd/confine.h"

#define READ_ONLY (IX_LL_FS_READ_FILE | IX_LL_FS_READ_DIR)

static const char *const allowed[] = {
	/* memory: malloc, SQLite's WAL index (mmap of -shm) */
	"brk", "mmap", "munmap", "mremap", "mprotect", "madvise",
	/* files: SQLite (its locks are fcntl), the audit head, the log, the
	 * user and group databases */
	"read", "write", "pread64", "pwrite64", "readv", "writev", "lseek", "openat", "close",
	"newfstatat", "fstat", "fstatfs", "statx", "fcntl", "fsync", "fdatasync", "ftruncate",
	"unlink", "access", "faccessat2", "getcwd", "readlink", "readlinkat", "getdents64", "fgetxattr",
	/* SQLite, as root, gives a new -wal or -shm the database's owner and mode */
	"fchown", "fchmod",
	"getxattr", "lgetxattr",
	/* the connections: clients, passwdd, the launcher, syslog */
	"accept4", "recvmsg", "sendmsg", "recvfrom", "sendto", "socketpair", "getsockopt",
	"connect", "shutdown", "pidfd_open",
	/* waiting: poll, back-off, SQLite's busy sleep, futexes, prompts */
	"poll", "ppoll", "clock_nanosleep", "nanosleep", "futex", "clock_gettime",
	"gettimeofday", "getrandom",
	/* processes and signals: a worker forked per connection, reaping */
	"wait4", "exit", "exit_group", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn",
	"restart_syscall", "alarm", "getpid", "getppid", "gettid", "getuid", "geteuid",
	"getgid", "getegid", "getgroups", "set_robust_list", "sched_yield", "prlimit64",
	/* a spare stacks its worker's filter (privd_confine_worker) */
	"seccomp",
#ifdef __SANITIZE_ADDRESS__
	/* sanitizer builds (--enable-sanitizers): the runtime's alternate
	 * signal stack, torn down at exit */
	"sigaltstack",
#endif
};

/* What a worker may no longer do once its channel is open. */
static const char *const worker_denied[] = {
	"clone", "clone3", "fork", "vfork", "execve", "execveat", "socketpair",
};

/* The directory of path, when path names a file in one. */
static int
parent_of(const char *path, char *dir, size_t size, struct ix_err *err)
{
	char buf[IX_PATH_MAX];

	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
		return ix_err_set(err, IX_ELIMIT, "path too long: %s", path);
	snprintf(dir, size, "%s", dirname(buf));
	return 0;
}

/* Adds path with access when it exists as a directory of its own (not a
 * link: /lib on a merged /usr is one, and /usr covers it). */
static int
add_if_dir(struct ix_allowlist *al, const char *path, uint64_t access, struct ix_err *err)
{
	struct stat st;

	if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return 0;
	return ix_allowlist_add(al, path, access, err);
}

static int
landlock_enter(const struct privd_server *srv, int *abi, struct ix_err *err)
{
	static const char *const readable[] = { "/etc", "/usr", "/lib", "/lib64" };
	char dbdir[IX_PATH_MAX], headdir[IX_PATH_MAX];
	struct ix_allowlist al;
	int rc = -1;

	*abi = 0;
	if (parent_of(srv->cfg.db, dbdir, sizeof dbdir, err) < 0 ||
	    parent_of(srv->cfg.audit_head, headdir, sizeof headdir, err) < 0)
		return -1;
	if (ix_allowlist_init(&al, err) < 0)
		return 0;	/* no Landlock here: the rest applies */
	/* /proc read-only: without SO_PEERPIDFD (kernels before 6.5) a
	 * client's identity is pinned by its start time in /proc/PID/stat
	 * (libipc/peer.c), as in passwdd. Another process's memory, environment
	 * or descriptors stay out of reach: those need ptrace access, which a
	 * process without capabilities and under Landlock does not have. */
	if (ix_allowlist_add(&al, dbdir, IX_LL_FS_DB, err) < 0 ||
	    ix_allowlist_add(&al, headdir, IX_LL_FS_DB, err) < 0 ||
	    ix_allowlist_add(&al, srv->cfg.rundir, IX_LL_FS_REMOVE_FILE, err) < 0 ||
	    ix_allowlist_add(&al, "/proc", IX_LL_FS_READ_FILE, err) < 0)
		goto out;
	for (size_t i = 0; i < sizeof readable / sizeof readable[0]; i++)
		if (add_if_dir(&al, readable[i], READ_ONLY, err) < 0)
			goto out;
	if (ix_landlock_enter(&al, true, err) < 0)
		goto out;
	*abi = al.abi;
	rc = 0;
out:
	ix_allowlist_free(&al);
	return rc;
}

int
privd_confine_main(const struct privd_server *srv, int *landlock, struct ix_err *err)
{
	const struct ix_ids root = { 0, 0, { 0 }, 0 };
	const char *step;
	int rc;

	rc = ix_caps_enter(&root, 0, &step);
	if (rc < 0) {
		errno = -rc;
		return ix_err_sys(err, "dropping every capability: %s", step);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return ix_err_sys(err, "no_new_privs");
	if (landlock_enter(srv, landlock, err) < 0)
		return ix_err_prefix(err, "Landlock");
	return ix_selfseccomp_allow("privd", allowed, sizeof allowed / sizeof allowed[0],
				    IX_SC_FORK | IX_SC_TTY | IX_SC_UNIX, err);
}

int
privd_confine_worker(struct ix_err *err)
{
	return ix_selfseccomp_deny("privd's worker", worker_denied,
				   sizeof worker_denied / sizeof worker_denied[0], err);
}
