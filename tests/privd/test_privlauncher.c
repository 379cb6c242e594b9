/*
 * privd's launcher (privd/launcher.c) as a compromised worker would meet
 * it: a real launcher on a real database, asked over a real channel. It
 * runs a launch some rule of the policy could ask for and reports its
 * status; it refuses a capability no PRIV(...) names, a program no EXEC
 * names and a relative program; a rule added to the policy afterwards is
 * honoured on the same channel. Needs root (the launch changes uid).
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
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "libauthtree/store.h"
#include "libcompart/cfexec.h"
#include "privd/launcher.h"

#define NOBODY 65534
#define CAP_BIT(n) (1ull << (n))
#define NET_BIND_SERVICE 10
#define SYS_TIME 25
#define SYS_ADMIN 21

static const char policy_v1[] =
	"ixkit-policy 1\n"
	"right probe plain\n"
	"level unclassified\n"
	"node /\n\tpredicate NONE\n\trights ALL\n"
	"rule exit\n\ttemplate exit ([0-9]+)\n\tneed probe\n"
	"\taction PRIV(net_bind_service), EXEC(/bin/sh, -c, \"exit $1\")\n";

static const char policy_v2[] =
	"ixkit-policy 1\n"
	"right probe plain\n"
	"level unclassified\n"
	"node /\n\tpredicate NONE\n\trights ALL\n"
	"rule exit\n\ttemplate exit ([0-9]+)\n\tneed probe\n"
	"\taction PRIV(net_bind_service), EXEC(/bin/sh, -c, \"exit $1\")\n"
	"rule clock\n\ttemplate clock\n\tneed probe\n"
	"\taction PRIV(sys_time), EXEC(/bin/true)\n";

struct fixture {
	char dir[64];
	struct privd_server srv;
	int shared, ch, null;
	pid_t launcher;
};

static void
store(const struct fixture *f, const char *text)
{
	struct ix_policy *p;
	struct ixdb *db;
	struct ix_err e;

	assert_int_equal(ix_policy_parse("test", text, strlen(text), &p, &e), 0);
	assert_int_equal(ixdb_open(f->srv.cfg.db, IXDB_CREATE, &db, &e), 0);
	assert_int_equal(ix_store_save(db, p, "root", NULL, NULL, &e), 0);
	ixdb_close(db);
	ix_policy_free(p);
}

static int
setup(void **state)
{
	static struct fixture f;
	struct ix_err e;

	if (geteuid() != 0)
		fail_msg("test_privlauncher must run as root (a launch changes uid); CI runs it as root");
	snprintf(f.dir, sizeof f.dir, "/tmp/ixkit-privlauncher-XXXXXX");
	assert_non_null(mkdtemp(f.dir));
	snprintf(f.srv.cfg.db, sizeof f.srv.cfg.db, "%s/ixkit.db", f.dir);
	snprintf(f.srv.blackhole, sizeof f.srv.blackhole, "%s/blackhole", f.dir);
	assert_int_equal(ix_blackhole(f.srv.blackhole, &e), 0);
	f.srv.log = ix_log_open("stderr", "test_privlauncher", &e);
	assert_non_null(f.srv.log);
	store(&f, policy_v1);
	assert_int_equal(privd_launcher_start(&f.srv, 0, &f.shared, &f.launcher, &e), 0);
	f.ch = privd_lcall_channel(f.shared, &e);
	assert_true(f.ch >= 0);
	f.null = open("/dev/null", O_RDWR | O_CLOEXEC);
	assert_true(f.null >= 0);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	close(f->ch);
	close(f->shared);	/* the launcher ends when no one holds it */
	waitpid(f->launcher, NULL, 0);
	close(f->null);
	ix_log_close(f->srv.log);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Asks for a launch of argv with caps as nobody: 0 with its wait status
 * in *st, or -1 with *e. */
static int
launch(const struct fixture *f, const char *const *argv, uint64_t caps, int *st, struct ix_err *e)
{
	static char *const envp[] = { NULL };
	struct privd_exec x = { (char *const *)argv, envp, { NOBODY, NOBODY, { 0 }, 0 }, caps,
				false, { 0 }, { f->null, f->null, f->null } };
	pid_t pid;

	if (privd_lcall_exec(f->ch, &x, &pid, e) < 0)
		return -1;
	assert_true(pid > 0);
	return privd_lcall_exited(f->ch, st, e);
}

static void
runs_what_a_rule_could_ask(void **state)
{
	const char *const argv[] = { "/bin/sh", "-c", "exit 7", NULL };
	struct ix_err e;
	int st;

	assert_int_equal(launch(*state, argv, CAP_BIT(NET_BIND_SERVICE), &st, &e), 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 7);
}

static void
refuses_a_capability_no_rule_names(void **state)
{
	const char *const argv[] = { "/bin/sh", "-c", "exit 0", NULL };
	struct ix_err e;
	int st;

	assert_int_equal(launch(*state, argv, CAP_BIT(NET_BIND_SERVICE) | CAP_BIT(SYS_ADMIN), &st,
				&e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_non_null(strstr(e.msg, "no rule of the policy"));
}

static void
refuses_a_program_no_rule_names(void **state)
{
	const char *const argv[] = { "/usr/bin/id", NULL };
	struct ix_err e;
	int st;

	assert_int_equal(launch(*state, argv, 0, &st, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
}

static void
refuses_a_relative_program(void **state)
{
	const char *const argv[] = { "sh", "-c", "exit 0", NULL };
	struct ix_err e;
	int st;

	assert_int_equal(launch(*state, argv, 0, &st, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
}

static void
follows_a_changed_policy(void **state)
{
	const struct fixture *f = *state;
	const char *const argv[] = { "/bin/true", NULL };
	struct ix_err e;
	int st;

	assert_int_equal(launch(f, argv, CAP_BIT(SYS_TIME), &st, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	store(f, policy_v2);
	assert_int_equal(launch(f, argv, CAP_BIT(SYS_TIME), &st, &e), 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(runs_what_a_rule_could_ask),
		cmocka_unit_test(refuses_a_capability_no_rule_names),
		cmocka_unit_test(refuses_a_program_no_rule_names),
		cmocka_unit_test(refuses_a_relative_program),
		cmocka_unit_test(follows_a_changed_policy),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
