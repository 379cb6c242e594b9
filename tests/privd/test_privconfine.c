/*
 * privd/confine.c: what a confined privd process can still do, seen from
 * forked children that enter the confinement as privd's main process and
 * its workers do: main and worker keep uid 0 but no capability at all,
 * no_new_privs, one (main) or two (worker) seccomp filters; the database's
 * directory is usable and /etc readable, another root file is not (EACCES
 * from Landlock); a local socket may be made, a network one kills
 * (SIGSYS), as do fork and exec in a worker and ptrace anywhere. Needs
 * root.
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
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "libcompart/landlock.h"
#include "privd/confine.h"
#include "tests/libcompart/test_confined.h"

struct fixture {
	char dir[64];		/* root's 0700 directory */
	char outside[96];	/* a 0600 file of root's beside the database's directory */
	struct privd_server srv;
};

static int
setup(void **state)
{
	static struct fixture f;
	char path[160];
	int fd;

	if (geteuid() != 0)
		fail_msg("test_privconfine must run as root (it drops capabilities); CI runs it as root");
	snprintf(f.dir, sizeof f.dir, "/tmp/ixkit-privconfine-XXXXXX");
	assert_non_null(mkdtemp(f.dir));
	snprintf(path, sizeof path, "%s/db", f.dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(f.srv.cfg.db, sizeof f.srv.cfg.db, "%s/db/ixkit.db", f.dir);
	snprintf(f.srv.cfg.audit_head, sizeof f.srv.cfg.audit_head, "%s/db/ixkit.db-audit.head",
		 f.dir);
	snprintf(f.srv.cfg.rundir, sizeof f.srv.cfg.rundir, "%s/run", f.dir);
	assert_int_equal(mkdir(f.srv.cfg.rundir, 0755), 0);
	snprintf(f.outside, sizeof f.outside, "%s/outside", f.dir);
	fd = open(f.outside, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
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
enum { C_OK, C_CONFINE, C_SYNC, C_DB, C_OUTSIDE, C_ETC, C_UNIX, C_RUN, C_FORK };

/* What the child confines itself as. */
struct who {
	const struct fixture *f;
	int worker;
};

static int
confine(const void *arg)
{
	const struct who *w = arg;
	struct ix_err e;
	int abi;

	if (privd_confine_main(&w->f->srv, &abi, &e) < 0 ||
	    (w->worker && privd_confine_worker(&e) < 0)) {
		fprintf(stderr, "confine: %s\n", e.msg);
		return -1;
	}
	return 0;
}

/* In the child: confine, tell the parent, wait for its look at
 * /proc/PID/status, then try what privd does and what it must not. */
static int
confined_child(const void *arg, int ready, int go)
{
	const struct who *w = arg;
	const struct fixture *f = w->f;
	int worker = w->worker;
	char path[160], c = 'r';
	int fd, st;
	pid_t pid;

	if (confine(arg) < 0)
		return C_CONFINE;
	if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 1)
		return C_SYNC;
	/* The database, its WAL siblings: created, written, removed. */
	snprintf(path, sizeof path, "%s-wal", f->srv.cfg.db);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, "x", 1) != 1 || ftruncate(fd, 0) < 0 || close(fd) < 0 ||
	    unlink(path) < 0)
		return C_DB;
	/* root's, and root is its owner, but outside the domain. */
	fd = open(f->outside, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 || errno != EACCES)
		return C_OUTSIDE;
	/* The user and group databases. */
	fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return C_ETC;
	close(fd);
	/* Nothing may be made in the run directory, only its socket removed. */
	snprintf(path, sizeof path, "%s/new", f->srv.cfg.rundir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0 || errno != EACCES)
		return C_RUN;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return C_UNIX;
	close(fd);
	if (!worker) {	/* main forks its workers */
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
			return C_FORK;
	}
	return C_OK;
}

static void
walled_in(const struct fixture *f, int worker)
{
	const struct who w = { f, worker };
	char status[4096], v[128];
	int st;

	if (ix_landlock_abi() == 0)
		fail_msg("this kernel has no Landlock: privd would run without it (logged); "
			 "the filesystem checks here cannot pass");
	st = test_confined_run(confined_child, &w, status, sizeof status);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), C_OK);
	assert_string_equal(test_status_field(status, "\nUid", v, sizeof v), "0\t0\t0\t0");
	assert_string_equal(test_status_field(status, "\nGroups", v, sizeof v), "");
	assert_string_equal(test_status_field(status, "\nCapInh", v, sizeof v), "0000000000000000");
	assert_string_equal(test_status_field(status, "\nCapPrm", v, sizeof v), "0000000000000000");
	assert_string_equal(test_status_field(status, "\nCapEff", v, sizeof v), "0000000000000000");
	assert_string_equal(test_status_field(status, "\nCapBnd", v, sizeof v), "0000000000000000");
	assert_string_equal(test_status_field(status, "\nCapAmb", v, sizeof v), "0000000000000000");
	assert_string_equal(test_status_field(status, "\nNoNewPrivs", v, sizeof v), "1");
	assert_string_equal(test_status_field(status, "\nSeccomp", v, sizeof v), "2");
	assert_string_equal(test_status_field(status, "\nSeccomp_filters", v, sizeof v),
			    worker ? "2" : "1");
}

static void
main_is_walled_in(void **state)
{
	walled_in(*state, 0);
}

static void
worker_is_walled_in(void **state)
{
	walled_in(*state, 1);
}

/* A call outside the allow-list kills: what must not return at all. */
static void
killed_by(const struct fixture *f, int worker, void (*what)(void))
{
	const struct who w = { f, worker };

	test_killed_by(confine, &w, what);
}

static void
inet_socket(void)
{
	(void)socket(AF_INET, SOCK_STREAM, 0);
}

static void
inet6_socket(void)
{
	(void)socket(AF_INET6, SOCK_DGRAM, 0);
}

static void
netlink_socket(void)
{
	(void)socket(AF_NETLINK, SOCK_RAW, 0);
}

static void
trace_init(void)
{
	(void)ptrace(PTRACE_ATTACH, 1, NULL, NULL);
}

static void
worker_fork(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
}

static void
worker_exec(void)
{
	char *const argv[] = { "/bin/true", NULL };

	execve("/bin/true", argv, argv + 1);
}

static void
no_network_no_tracing(void **state)
{
	for (int worker = 0; worker < 2; worker++) {
		killed_by(*state, worker, inet_socket);
		killed_by(*state, worker, inet6_socket);
		killed_by(*state, worker, netlink_socket);
		killed_by(*state, worker, trace_init);
	}
}

static void
worker_neither_forks_nor_execs(void **state)
{
	killed_by(*state, 1, worker_fork);
	killed_by(*state, 1, worker_exec);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(main_is_walled_in),
		cmocka_unit_test(worker_is_walled_in),
		cmocka_unit_test(no_network_no_tracing),
		cmocka_unit_test(worker_neither_forks_nor_execs),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
