/* passwdd/lockout.c: back-off, lockout, the budget, the console exemption,
 * reservations before the answer. */
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

static const struct pw_lockout_policy bud = { .after = 3, .base_ms = 100, .cap_ms = 1000,
					       .budget = 5 };

static void
decide_attempt_locks_on_spent_budget_except_console(void **state)
{
	struct pw_attempt_seen s = { 0 };
	int64_t w;

	/* A fresh key on a user with budget left: open. */
	s.user_count = 4;
	s.user_last_ms = 1000;
	assert_int_equal(pw_lockout_decide_attempt(&bud, "pipe", &s, 1000, &w), PW_LOCK_OPEN);
	/* Spent: every non-console port is locked, fresh keys included. */
	s.user_count = 5;
	assert_int_equal(pw_lockout_decide_attempt(&bud, "pipe", &s, 1000, &w), PW_LOCK_BUDGET);
	assert_int_equal(pw_lockout_decide_attempt(&bud, "/dev/pts/9", &s, 999999, &w),
			 PW_LOCK_BUDGET);
	/* The console is slowed to one turn per cap_ms, never locked. */
	assert_int_equal(pw_lockout_decide_attempt(&bud, "/dev/tty1", &s, 1000, &w), PW_LOCK_WAIT);
	assert_int_equal(w, 1000);
	assert_int_equal(pw_lockout_decide_attempt(&bud, "/dev/console", &s, 2000, &w),
			 PW_LOCK_OPEN);
	/* The key's own lock comes first and is named as such. */
	s.key_count = 3;
	assert_int_equal(pw_lockout_decide_attempt(&bud, "pipe", &s, 1000, &w), PW_LOCK_LOCKED);
	/* budget = 0: no budget. */
	{
		struct pw_lockout_policy p0 = bud;

		p0.budget = 0;
		s.key_count = 0;
		s.user_count = 1000;
		assert_int_equal(pw_lockout_decide_attempt(&p0, "pipe", &s, 1000, &w), PW_LOCK_OPEN);
	}
}

static void
decide_attempt_refuses_a_turn_beyond_cap(void **state)
{
	struct pw_attempt_seen s = { .key_count = 5, .key_last_ms = 5000 };
	int64_t w;

	/* The console's key: a pile of attempts in flight ahead of it. */
	assert_int_equal(pw_lockout_decide_attempt(&bud, "/dev/tty2", &s, 3000, &w),
			 PW_LOCK_TOO_SOON);
	assert_int_equal(w, 3000);
	assert_int_equal(pw_lockout_decide_attempt(&bud, "/dev/tty2", &s, 5000, &w), PW_LOCK_WAIT);
	assert_int_equal(w, 1000);
}

/* Reserves an attempt of k at now and returns its state. */
static enum pw_lock_state
try(struct pw_store *st, const struct pw_lockout_policy *p, const struct pw_lockout_key *k,
    int64_t now, struct pw_attempt *a)
{
	struct ix_err e;

	assert_int_equal(pw_lockout_reserve(st, p, k, now, a, &e), 0);
	assert_true((a->id > 0) == (a->state == PW_LOCK_OPEN || a->state == PW_LOCK_WAIT));
	return a->state;
}

static void
burst_on_one_port_reserves_exactly_after(void **state)
{
	struct pw_fx *f = *state;
	struct pw_lockout_policy p = { .after = 5, .base_ms = 10, .cap_ms = 1000, .budget = 20 };
	struct pw_lockout_key k = { "root", 0, "pipe" };
	struct pw_attempt a;
	int i, reserved = 0, locked = 0;
	int64_t last_at = -1;

	/* 60 requests at the same instant, none answered yet. */
	for (i = 0; i < 60; i++) {
		enum pw_lock_state st = try(f->st, &p, &k, 1000, &a);

		if (st == PW_LOCK_OPEN || st == PW_LOCK_WAIT) {
			reserved++;
			/* each turn comes after the one before it */
			assert_true(1000 + a.wait_ms > last_at);
			last_at = 1000 + a.wait_ms;
		} else {
			assert_int_equal(st, PW_LOCK_LOCKED);
			locked++;
		}
	}
	assert_int_equal(reserved, 5);
	assert_int_equal(locked, 55);
	/* Even much later, and whatever the answer would be: locked. */
	assert_int_equal(try(f->st, &p, &k, 99999999, &a), PW_LOCK_LOCKED);
}

static void
port_hopping_spends_the_user_budget(void **state)
{
	struct pw_fx *f = *state;
	struct pw_lockout_policy p = { .after = 5, .base_ms = 10, .cap_ms = 1000, .budget = 20 };
	char port[32];
	struct pw_lockout_key k = { "root", 0, port };
	struct pw_lockout_key console = { "root", 0, "/dev/tty1" };
	struct pw_lockout_key other = { "alice", 0, "pipe" };
	struct pw_attempt a;
	struct ix_err e;
	int i, reserved = 0;

	/* Two attempts on each of 40 fresh ports, each failing at once. */
	for (i = 0; i < 80; i++) {
		snprintf(port, sizeof port, "/dev/pts/%d", i / 2);
		if (try(f->st, &p, &k, 1000 + i * 2000, &a) <= PW_LOCK_WAIT) {
			reserved++;
			assert_int_equal(pw_lockout_failed(f->st, &a, &e), 0);
		} else {
			assert_int_equal(a.state, PW_LOCK_BUDGET);
		}
	}
	assert_int_equal(reserved, 20);
	/* A fresh port and requester: refused before anything is asked. */
	snprintf(port, sizeof port, "socket");
	k.requester = 1234;
	assert_int_equal(try(f->st, &p, &k, 200000, &a), PW_LOCK_BUDGET);
	/* The console is slowed, not locked; another user is untouched. */
	assert_int_equal(try(f->st, &p, &console, 200000, &a), PW_LOCK_OPEN);
	assert_int_equal(pw_lockout_failed(f->st, &a, &e), 0);
	assert_int_equal(try(f->st, &p, &console, 200001, &a), PW_LOCK_WAIT);
	assert_int_equal(try(f->st, &p, &other, 200000, &a), PW_LOCK_OPEN);
	/* Unlock refills it at once (the window's end is test_pwattempts'). */
	assert_int_equal(pw_store_unlock(f->st, "root", NULL, NULL, &e), 0);
	assert_int_equal(try(f->st, &p, &k, 200002, &a), PW_LOCK_OPEN);
}

static void
success_releases_its_reservation_and_forgets_the_key(void **state)
{
	struct pw_fx *f = *state;
	struct pw_lockout_key k = { "alice", 1000, "/dev/pts/2" };
	struct pw_attempt a;
	struct ix_err e;

	assert_int_equal(try(f->st, &bud, &k, 1000, &a), PW_LOCK_OPEN);
	assert_int_equal(pw_lockout_failed(f->st, &a, &e), 0);
	assert_int_equal(try(f->st, &bud, &k, 1000, &a), PW_LOCK_WAIT);
	assert_int_equal(a.wait_ms, 100);
	assert_int_equal(pw_lockout_failed(f->st, &a, &e), 0);
	assert_int_equal(try(f->st, &bud, &k, 5000, &a), PW_LOCK_OPEN);
	assert_int_equal(a.seen.key_count, 2);
	assert_int_equal(pw_lockout_passed(f->st, &k, &a, &e), 0);
	assert_int_equal(try(f->st, &bud, &k, 5000, &a), PW_LOCK_OPEN);
	assert_int_equal(a.seen.key_count, 0);
	/* The budget still holds the two failures (not the success). */
	assert_int_equal(a.seen.user_count, 2);
}

static void
unanswered_reservation_stays_counted(void **state)
{
	struct pw_fx *f = *state;
	struct pw_lockout_key k = { "bob", 0, "pipe" };
	struct pw_attempt a;
	int i;

	/* Three monitors that die after reserving, before any answer. */
	for (i = 0; i < 3; i++)
		assert_true(try(f->st, &bud, &k, 1000 + i * 10000, &a) <= PW_LOCK_WAIT);
	assert_int_equal(try(f->st, &bud, &k, 99999, &a), PW_LOCK_LOCKED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(console_ports_are_recognised_exactly),
		cmocka_unit_test(backoff_doubles_up_to_cap),
		cmocka_unit_test(decide_waits_then_locks_except_console),
		cmocka_unit_test(decide_attempt_locks_on_spent_budget_except_console),
		cmocka_unit_test(decide_attempt_refuses_a_turn_beyond_cap),
		cmocka_unit_test_setup_teardown(burst_on_one_port_reserves_exactly_after, pw_fx_setup,
						pw_fx_teardown),
		cmocka_unit_test_setup_teardown(port_hopping_spends_the_user_budget, pw_fx_setup,
						pw_fx_teardown),
		cmocka_unit_test_setup_teardown(success_releases_its_reservation_and_forgets_the_key,
						pw_fx_setup, pw_fx_teardown),
		cmocka_unit_test_setup_teardown(unanswered_reservation_stays_counted, pw_fx_setup,
						pw_fx_teardown),
	};

	if (sodium_init() < 0)
		return 1;
	umask(077);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
