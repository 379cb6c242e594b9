/* passwdd/lockout.c: back-off, lockout, the console exemption, per-key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <sodium.h>

#include "tests/passwdd/test_pw_util.h"
#include "passwdd/lockout.h"

static const struct pw_lockout_policy pol = { .after = 3, .base_ms = 100, .cap_ms = 1000 };

static void
console_ports_are_recognised_exactly(void **state)
{
	assert_true(pw_port_is_console("/dev/console"));
	assert_true(pw_port_is_console("/dev/tty1"));
	assert_true(pw_port_is_console("/dev/tty63"));
	assert_false(pw_port_is_console("/dev/tty"));
	assert_false(pw_port_is_console("/dev/ttyS0"));
	assert_false(pw_port_is_console("/dev/pts/1"));
	assert_false(pw_port_is_console("/dev/tty1@sshd"));
	assert_false(pw_port_is_console("pipe"));
	assert_false(pw_port_is_console(NULL));
}

static void
backoff_doubles_up_to_cap(void **state)
{
	assert_int_equal(pw_backoff_ms(&pol, 0), 0);
	assert_int_equal(pw_backoff_ms(&pol, 1), 100);
	assert_int_equal(pw_backoff_ms(&pol, 2), 200);
	assert_int_equal(pw_backoff_ms(&pol, 4), 800);
	assert_int_equal(pw_backoff_ms(&pol, 5), 1000);
	assert_int_equal(pw_backoff_ms(&pol, 4000000), 1000);
}

static void
decide_waits_then_locks_except_console(void **state)
{
	int64_t w;

	assert_int_equal(pw_lockout_decide(&pol, "pipe", 0, 0, 0, &w), PW_LOCK_OPEN);
	assert_int_equal(pw_lockout_decide(&pol, "pipe", 1, 1000, 1050, &w), PW_LOCK_WAIT);
	assert_int_equal(w, 50);
	assert_int_equal(pw_lockout_decide(&pol, "pipe", 1, 1000, 1100, &w), PW_LOCK_OPEN);
	assert_int_equal(w, 0);
	assert_int_equal(pw_lockout_decide(&pol, "pipe", 3, 0, 999999, &w), PW_LOCK_LOCKED);
	assert_int_equal(pw_lockout_decide(&pol, "/dev/pts/3", 9, 0, 999999, &w), PW_LOCK_LOCKED);
	/* The console is slowed but never locked. */
	assert_int_equal(pw_lockout_decide(&pol, "/dev/tty1", 9, 1000, 1500, &w), PW_LOCK_WAIT);
	assert_int_equal(w, 500);
	assert_int_equal(pw_lockout_decide(&pol, "/dev/console", 50, 1000, 2000, &w), PW_LOCK_OPEN);
	/* after = 0: never locked. */
	{
		struct pw_lockout_policy p0 = pol;

		p0.after = 0;
		assert_int_equal(pw_lockout_decide(&p0, "pipe", 50, 0, 999999, &w), PW_LOCK_OPEN);
	}
}

static void
three_failures_lock_only_that_key_until_unlock(void **state)
{
	struct pw_fx *f = *state;
	struct pw_lockout_key k = { "root", 1000, "pipe" };
	struct pw_lockout_key other_req = { "root", 0, "pipe" };
	struct pw_lockout_key console = { "root", 1000, "/dev/tty1" };
	struct ix_err e;
	unsigned c;
	int64_t w;
	int i;

	assert_int_equal(pw_lockout_failed(f->st, &pol, &k, 1000, &c, &e), PW_LOCK_WAIT);
	assert_int_equal(pw_lockout_check(f->st, &pol, &k, 1050, &w, &e), PW_LOCK_WAIT);
	assert_int_equal(w, 50);
	assert_int_equal(pw_lockout_failed(f->st, &pol, &k, 2000, &c, &e), PW_LOCK_WAIT);
	assert_int_equal(pw_lockout_failed(f->st, &pol, &k, 3000, &c, &e), PW_LOCK_LOCKED);
	assert_int_equal(c, 3);
	assert_int_equal(pw_lockout_check(f->st, &pol, &k, 99999999, &w, &e), PW_LOCK_LOCKED);
	/* A user failing for root elsewhere does not lock root out of other keys. */
	assert_int_equal(pw_lockout_check(f->st, &pol, &other_req, 4000, &w, &e), PW_LOCK_OPEN);
	for (i = 0; i < 10; i++)
		assert_int_equal(pw_lockout_failed(f->st, &pol, &console, 5000, &c, &e), PW_LOCK_WAIT);
	assert_int_equal(pw_lockout_check(f->st, &pol, &console, 6000, &w, &e), PW_LOCK_OPEN);
	assert_int_equal(pw_store_unlock(f->st, "root", NULL, &e), 0);
	assert_int_equal(pw_lockout_check(f->st, &pol, &k, 99999999, &w, &e), PW_LOCK_OPEN);
}

static void
success_forgets_failures(void **state)
{
	struct pw_fx *f = *state;
	struct pw_lockout_key k = { "alice", 1000, "/dev/pts/2" };
	struct ix_err e;
	unsigned c;
	int64_t w;

	assert_int_equal(pw_lockout_failed(f->st, &pol, &k, 1000, &c, &e), PW_LOCK_WAIT);
	assert_int_equal(pw_lockout_failed(f->st, &pol, &k, 1000, &c, &e), PW_LOCK_WAIT);
	assert_int_equal(pw_lockout_passed(f->st, &k, &e), 0);
	assert_int_equal(pw_lockout_check(f->st, &pol, &k, 1000, &w, &e), PW_LOCK_OPEN);
	assert_int_equal(pw_lockout_failed(f->st, &pol, &k, 1000, &c, &e), PW_LOCK_WAIT);
	assert_int_equal(c, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(console_ports_are_recognised_exactly),
		cmocka_unit_test(backoff_doubles_up_to_cap),
		cmocka_unit_test(decide_waits_then_locks_except_console),
		cmocka_unit_test_setup_teardown(three_failures_lock_only_that_key_until_unlock,
						pw_fx_setup, pw_fx_teardown),
		cmocka_unit_test_setup_teardown(success_forgets_failures, pw_fx_setup, pw_fx_teardown),
	};

	if (sodium_init() < 0)
		return 1;
	umask(077);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
