/*
 * passwdd/confine.c: what a confined passwdd process (the main daemon and
 * its workers) can still do, seen from a forked child that enters the
 * confinement as the daemon does: the database's directory is usable;
 * any other file (even one its uid could read), /etc and another
 * process's /proc descriptors are not (EACCES from Landlock), its
 * /proc/PID/stat is (a client's start time, libipc/peer.c); an unlisted
 * system call kills it (SIGSYS); /proc/PID/status shows the uid, no
 * capability, no_new_privs and seccomp. Needs root.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "libcompart/landlock.h"
#include "passwdd/confine.h"
#include "tests/libcompart/test_confined.h"

#define NOBODY "nobody"

struct fixture {
	char dir[64];		/* root's 0755 directory */
	char dbdir[96];		/* nobody's 0700 directory inside */
	char outside[96];	/* a 0644 file of root's, readable by nobody */
	struct ix_ids ids;
};

static int
setup(void **state)
{
	static struct fixture f;
	struct ix_err e;
	int fd;

	if (geteuid() != 0)
		fail_msg("test_pwconfine must run as root (it changes uid); CI runs it as root");
	snprintf(f.dir, sizeof f.dir, "/tmp/ixkit-pwconfine-XXXXXX");
	assert_non_null(mkdtemp(f.dir));
	assert_int_equal(chmod(f.dir, 0755), 0);
	assert_int_equal(pw_confine_ids(NOBODY, &f.ids, &e), 0);
	snprintf(f.dbdir, sizeof f.dbdir, "%s/db", f.dir);
	assert_int_equal(mkdir(f.dbdir, 0700), 0);
	assert_int_equal(chown(f.dbdir, f.ids.uid, f.ids.gid), 0);
	snprintf(f.outside, sizeof f.outside, "%s/outside", f.dir);
	fd = open(f.outside, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(fchmod(fd, 0644), 0);
	close(fd);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The child's exit codes: which step went wrong. */
enum { C_OK, C_CONFINE, C_SYNC, C_DB, C_OUTSIDE, C_ETC, C_PROC1, C_SHADOW, C_PROCSTAT };

static int
errno_is(int fd, int want)
{
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return errno == want;
}

/* In the child: confine, tell the parent, wait for its look at
 * /proc/PID/status, then try the filesystem. */
static int
confined_child(const void *arg, int ready, int go)
{
	const struct fixture *f = arg;
	char path[128], c = 'r';
	struct ix_err e;
	int abi, fd;

	if (pw_confine_enter(&f->ids, f->dbdir, &abi, &e) < 0) {
		fprintf(stderr, "confine: %s\n", e.msg);
		return C_CONFINE;
	}
	if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 1)
		return C_SYNC;
	/* The database, its WAL siblings: created, written, removed. */
	snprintf(path, sizeof path, "%s/passwdd.db-wal", f->dbdir);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, "x", 1) != 1 || ftruncate(fd, 0) < 0 || close(fd) < 0 ||
	    unlink(path) < 0)
		return C_DB;
	/* Readable for its uid, but outside the domain. */
	if (!errno_is(open(f->outside, O_RDONLY | O_CLOEXEC), EACCES))
		return C_OUTSIDE;
	if (!errno_is(open("/etc/passwd", O_RDONLY | O_CLOEXEC), EACCES))
		return C_ETC;
	if (!errno_is(open("/etc/shadow", O_RDONLY | O_CLOEXEC), EACCES))
		return C_SHADOW;
	if (!errno_is(open("/proc/1/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC), EACCES))
		return C_PROC1;
	/* What a client's identity rests on where SO_PEERPIDFD is missing. */
	fd = open("/proc/1/stat", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, path, sizeof path) <= 0 || close(fd) < 0)
		return C_PROCSTAT;
	return C_OK;
}

static void
confined_process_is_walled_in(void **state)
{
	const struct fixture *f = *state;
	char status[4096], v[128], uid[64];
	int st;

	if (ix_landlock_abi() == 0)
		fail_msg("this kernel has no Landlock: passwdd would run without it (logged); "
			 "the filesystem checks here cannot pass");
	st = test_confined_run(confined_child, f, status, sizeof status);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), C_OK);
	snprintf(uid, sizeof uid, "%u\t%u\t%u\t%u", (unsigned)f->ids.uid, (unsigned)f->ids.uid,
		 (unsigned)f->ids.uid, (unsigned)f->ids.uid);
	assert_string_equal(test_status_field(status, "\nUid", v, sizeof v), uid);
	assert_string_equal(test_status_field(status, "\nGroups", v, sizeof v), "");
	assert_string_equal(test_status_field(status, "\nCapPrm", v, sizeof v), "0000000000000000");
	assert_string_equal(test_status_field(status, "\nCapEff", v, sizeof v), "0000000000000000");
	assert_string_equal(test_status_field(status, "\nCapBnd", v, sizeof v), "0000000000000000");
	assert_string_equal(test_status_field(status, "\nCapAmb", v, sizeof v), "0000000000000000");
	assert_string_equal(test_status_field(status, "\nNoNewPrivs", v, sizeof v), "1");
	assert_string_equal(test_status_field(status, "\nSeccomp", v, sizeof v), "2");
}

/* A call outside the allow-list kills: what must not return at all. */
static int
confine(const void *arg)
{
	const struct fixture *f = arg;
	struct ix_err e;
	int abi;

	return pw_confine_enter(&f->ids, f->dbdir, &abi, &e);
}

static void
killed_by(const struct fixture *f, void (*what)(void))
{
	test_killed_by(confine, f, what);
}

static void
inet_socket(void)
{
	(void)socket(AF_INET, SOCK_STREAM, 0);
}

static void
back_to_root(void)
{
	if (setuid(0) == 0)
		_exit(C_OK);	/* reached only if the filter let it through */
}

static void
make_directory(void)
{
	(void)mkdir("/tmp/ixkit-pwconfine-never", 0700);
}

static void
unlisted_calls_kill(void **state)
{
	killed_by(*state, inet_socket);
	killed_by(*state, back_to_root);
	killed_by(*state, make_directory);
}

static void
ids_refuse_root_and_unknown_users(void **state)
{
	struct ix_ids ids;
	struct ix_err e;

	(void)state;
	assert_int_equal(pw_confine_ids("root", &ids, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_int_equal(pw_confine_ids("ixkit-no-such-user", &ids, &e), -1);
	assert_int_equal(e.code, IX_ENOENT);
	assert_int_equal(pw_confine_ids(NOBODY, &ids, &e), 0);
	assert_true(ids.uid != 0);
	assert_int_equal(ids.ngroups, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ids_refuse_root_and_unknown_users),
		cmocka_unit_test(confined_process_is_walled_in),
		cmocka_unit_test(unlisted_calls_kill),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
