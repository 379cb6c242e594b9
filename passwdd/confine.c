/*
 * passwdd's confinement (confine.h): identity and capabilities through
 * libcompart/caps.h, Landlock through libcompart/landlock.h, and a
 * seccomp allow-list built here with libseccomp.
 *
 * The seccomp default is to kill the process, not EPERM: the main daemon
 * and its workers do a small, fixed set of things (the list was taken
 * from strace -f of the scenario tests), so an unlisted call is a bug or
 * an attack, and a worker killed by SIGSYS is logged by its parent and
 * leaves its client with a failed verification, never a half-done one.
 * EPERM would let an attacker probe calls one by one and would send the
 * code down error paths nobody tested under confinement.
 */
#include <errno.h>
#include <linux/sched.h>
#include <pwd.h>
#include <seccomp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libcompart/landlock.h"
#include "libcompart/landlock_compat.h"
#include "passwdd/confine.h"

/* Everything a SQLite database with its WAL needs beneath its directory;
 * no execute, no devices, sockets, fifos, links or directories. */
#define DB_RIGHTS (IX_LL_FS_READ_FILE | IX_LL_FS_WRITE_FILE | IX_LL_FS_READ_DIR | \
		   IX_LL_FS_MAKE_REG | IX_LL_FS_REMOVE_FILE | IX_LL_FS_TRUNCATE)

#define NS_FLAGS (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | \
		  CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET)

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
	/* the connection, the helper's channels; syslog's socket (below) */
	"accept4", "recvmsg", "sendmsg", "socketpair", "getsockopt", "connect", "sendto",
	/* waiting: poll, back-off, SQLite's busy sleep, futexes */
	"poll", "clock_nanosleep", "futex", "clock_gettime", "gettimeofday", "getrandom",
	/* processes and signals: fork per connection, reaping, alarm */
	"wait4", "exit", "exit_group", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn",
	"restart_syscall", "alarm", "getpid", "geteuid", "set_robust_list", "pidfd_open",
#ifdef __SANITIZE_ADDRESS__
	/* sanitizer builds (--enable-sanitizers): the runtime's alternate
	 * signal stack, torn down at exit */
	"sigaltstack",
#endif
};

static int
add_rules(scmp_filter_ctx c)
{
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
		int nr = seccomp_syscall_resolve_name(allowed[i]);

		if (nr != __NR_SCMP_ERROR && seccomp_rule_add(c, SCMP_ACT_ALLOW, nr, 0) < 0)
			return -1;
	}
	/* fork, but no new namespace; clone3 hides its flags from seccomp,
	 * and ENOSYS makes libc fall back to clone. */
	if (seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
			     SCMP_A0(SCMP_CMP_MASKED_EQ, NS_FLAGS, 0)) < 0 ||
	    seccomp_rule_add(c, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) < 0)
		return -1;
	/* The terminal of pw_prompt_line (tcgetattr, tcsetattr, tcflush):
	 * ioctl is otherwise a door to every driver. */
	if (seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
			     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffull, 0x5401 /* TCGETS */)) < 0 ||
	    seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
			     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffull, 0x5402 /* TCSETS */)) < 0 ||
	    seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
			     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffull, 0x5403 /* TCSETSW */)) < 0 ||
	    seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
			     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffull, 0x5404 /* TCSETSF */)) < 0 ||
	    seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
			     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffull, 0x540B /* TCFLSH */)) < 0)
		return -1;
	/* syslog's socket, and nothing but a local one. */
	if (seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
			     SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffull, AF_UNIX)) < 0)
		return -1;
	return 0;
}

static int
seccomp_enter(struct ix_err *err)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int rc;

	if (c == NULL)
		return ix_err_set(err, IX_ENOMEM, "seccomp: out of memory");
	if (add_rules(c) < 0) {
		seccomp_release(c);
		return ix_err_set(err, IX_ESYS, "seccomp: building passwdd's allow-list failed");
	}
	rc = seccomp_load(c);
	seccomp_release(c);
	if (rc < 0) {
		errno = -rc;
		return ix_err_sys(err, "seccomp: loading passwdd's allow-list");
	}
	return 0;
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
	int rc;

	*landlock = 0;
	rc = ix_caps_enter(ids, 0, &step);
	if (rc < 0) {
		errno = -rc;
		return ix_err_sys(err, "becoming uid %u: %s", (unsigned)ids->uid, step);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return ix_err_sys(err, "no_new_privs");
	if (ix_allowlist_init(&al, err) == 0) {
		/* /proc read-only: without SO_PEERPIDFD (kernels before 6.5)
		 * a client's identity is pinned by its start time in
		 * /proc/PID/stat (libipc/peer.c), which Landlock would refuse. */
		if (ix_allowlist_add(&al, dbdir, DB_RIGHTS, err) < 0 ||
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
