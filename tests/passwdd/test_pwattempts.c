/* passwdd/store_fail.c: reserved attempts, per-key counts, the budget's
 * window, unlock, listings, and the migration from schema 1. */
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
#include <sqlite3.h>

#include "tests/passwdd/test_pw_util.h"
#include "passwdd/store.h"

#define HOUR PW_BUDGET_WINDOW_MS

/* A decision that allows every attempt at now + *ctx ms (ctx NULL: 0),
 * or refuses when *ctx < 0; it keeps what it saw in last_seen. */
static struct pw_attempt_seen last_seen;

static int
allow(void *ctx, const struct pw_attempt_seen *seen, int64_t now_ms, int64_t *at_ms,
    struct ix_err *err)
{
	int64_t d = ctx != NULL ? *(int64_t *)ctx : 0;

	(void)err;
	last_seen = *seen;
	if (d < 0)
		return 0;
	*at_ms = now_ms + d;
	return 1;
}

static int64_t
reserve(struct pw_store *st, const char *user, uint32_t req, const char *port, int64_t now,
    int64_t *delay)
{
	struct pw_attempt_seen seen;
	struct ix_err e;
	int64_t at, id;
	int rc = pw_store_attempt_reserve(st, user, req, port, now, HOUR, allow, delay, &seen, &at,
					  &id, &e);

	assert_int_not_equal(rc, -1);
	return rc == 1 ? id : -1;
}

static void
reserved_attempts_count_before_their_answer(void **state)
{
	struct pw_fx *f = *state;
	int64_t id1, id2;

	id1 = reserve(f->st, "root", 1000, "pipe", 1000, NULL);
	assert_true(id1 > 0);
	id2 = reserve(f->st, "root", 1000, "pipe", 1000, NULL);
	assert_true(id2 > 0 && id2 != id1);
	/* Neither answered yet: both already count, for the key and the user. */
	reserve(f->st, "root", 1000, "pipe", 1000, NULL);
	assert_int_equal(last_seen.key_count, 2);
	assert_int_equal(last_seen.user_count, 2);
	/* Another requester or port is another key, but the same user. */
	reserve(f->st, "root", 0, "pipe", 1000, NULL);
	assert_int_equal(last_seen.key_count, 0);
	assert_int_equal(last_seen.user_count, 3);
	reserve(f->st, "root", 1000, "/dev/pts/4", 1000, NULL);
	assert_int_equal(last_seen.key_count, 0);
	assert_int_equal(last_seen.user_count, 4);
	/* Another user sees nothing of root's. */
	reserve(f->st, "alice", 1000, "pipe", 1000, NULL);
	assert_int_equal(last_seen.key_count, 0);
	assert_int_equal(last_seen.user_count, 0);
}

static void
refused_attempt_is_not_counted(void **state)
{
	struct pw_fx *f = *state;
	int64_t no = -1;

	assert_int_equal(reserve(f->st, "root", 0, "pipe", 1000, &no), -1);
	assert_int_equal(reserve(f->st, "root", 0, "pipe", 1000, &no), -1);
	assert_int_equal(last_seen.key_count, 0);
	assert_int_equal(last_seen.user_count, 0);
}

static void
reservation_is_placed_at_its_turn(void **state)
{
	struct pw_fx *f = *state;
	int64_t later = 700;

	reserve(f->st, "root", 0, "pipe", 1000, &later);
	reserve(f->st, "root", 0, "pipe", 1000, NULL);
	assert_int_equal(last_seen.key_last_ms, 1700);
	assert_int_equal(last_seen.user_last_ms, 1700);
}

static void
failure_stays_success_releases_only_its_key(void **state)
{
	struct pw_fx *f = *state;
	struct ix_err e;
	int64_t a, b, c, d;

	a = reserve(f->st, "root", 0, "pipe", 1000, NULL);
	assert_int_equal(pw_store_attempt_failed(f->st, a, &e), 0);
	b = reserve(f->st, "root", 0, "null", 1000, NULL);
	assert_int_equal(pw_store_attempt_failed(f->st, b, &e), 0);
	c = reserve(f->st, "root", 0, "pipe", 1000, NULL);	/* still pending */
	d = reserve(f->st, "root", 0, "pipe", 1000, NULL);
	assert_int_equal(last_seen.key_count, 2);
	assert_int_equal(pw_store_attempt_passed(f->st, "root", 0, "pipe", d, &e), 0);
	/* The key keeps only c, still pending; the budget keeps a, b and c. */
	reserve(f->st, "root", 0, "pipe", 1000, &(int64_t){ -1 });
	assert_int_equal(last_seen.key_count, 1);
	assert_int_equal(last_seen.user_count, 3);
	/* c fails: it stays. Another success of the key clears it. */
	assert_int_equal(pw_store_attempt_failed(f->st, c, &e), 0);
	d = reserve(f->st, "root", 0, "pipe", 1000, NULL);
	assert_int_equal(pw_store_attempt_passed(f->st, "root", 0, "pipe", d, &e), 0);
	reserve(f->st, "root", 0, "pipe", 1000, &(int64_t){ -1 });
	assert_int_equal(last_seen.key_count, 0);
	/* A success elsewhere does not refill the user's budget. */
	assert_int_equal(last_seen.user_count, 3);
	reserve(f->st, "root", 0, "null", 1000, &(int64_t){ -1 });
	assert_int_equal(last_seen.key_count, 1);
}

static void
budget_forgets_after_its_window_key_does_not(void **state)
{
	struct pw_fx *f = *state;
	struct ix_err e;
	int64_t a;

	a = reserve(f->st, "root", 0, "pipe", 1000, NULL);
	assert_int_equal(pw_store_attempt_failed(f->st, a, &e), 0);
	reserve(f->st, "root", 0, "pipe", 1000 + HOUR - 1, &(int64_t){ -1 });
	assert_int_equal(last_seen.user_count, 1);
	reserve(f->st, "root", 0, "pipe", 1001 + HOUR, &(int64_t){ -1 });
	assert_int_equal(last_seen.user_count, 0);
	/* The key's lock is the administrator's to lift. */
	assert_int_equal(last_seen.key_count, 1);
}

static void
expire_forgets_every_users_old_attempts(void **state)
{
	struct pw_fx *f = *state;
	struct ix_err e;

	reserve(f->st, "root", 0, "pipe", 1000, NULL);
	reserve(f->st, "alice", 0, "pipe", 5000, NULL);
	assert_int_equal(pw_store_attempt_expire(f->st, 2000, &e), 0);
	reserve(f->st, "root", 0, "pipe", 6000, &(int64_t){ -1 });
	assert_int_equal(last_seen.user_count, 0);
	reserve(f->st, "alice", 0, "pipe", 6000, &(int64_t){ -1 });
	assert_int_equal(last_seen.user_count, 1);
	/* Nothing to forget: no error, no change. */
	assert_int_equal(pw_store_attempt_expire(f->st, 2000, &e), 0);
}

static void
unlock_clears_keys_and_budget_of_that_user_only(void **state)
{
	struct pw_fx *f = *state;
	struct ix_err e;
	unsigned n, a;

	reserve(f->st, "root", 0, "pipe", 1000, NULL);
	reserve(f->st, "root", 1000, "/dev/tty1", 1000, NULL);
	reserve(f->st, "alice", 0, "pipe", 1000, NULL);
	assert_int_equal(pw_store_unlock(f->st, "root", &n, &a, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(a, 2);
	reserve(f->st, "root", 0, "pipe", 1000, &(int64_t){ -1 });
	assert_int_equal(last_seen.key_count, 0);
	assert_int_equal(last_seen.user_count, 0);
	reserve(f->st, "alice", 0, "pipe", 1000, &(int64_t){ -1 });
	assert_int_equal(last_seen.key_count, 1);
}

static int
count_fail(const struct pw_fail_row *r, void *ctx)
{
	unsigned *n = ctx;

	assert_string_equal(r->user, "root");
	n[0]++;
	n[1] += r->count;
	return 0;
}

static int
count_budget(const struct pw_budget_row *r, void *ctx)
{
	unsigned *n = ctx;

	assert_string_equal(r->user, "root");
	n[0] = r->failed;
	n[1] = r->pending;
	return 0;
}

static void
listings_show_keys_and_budget(void **state)
{
	struct pw_fx *f = *state;
	unsigned k[2] = { 0, 0 }, b[2] = { 0, 0 };
	struct ix_err e;
	int64_t a;

	a = reserve(f->st, "root", 0, "pipe", 1000, NULL);
	assert_int_equal(pw_store_attempt_failed(f->st, a, &e), 0);
	reserve(f->st, "root", 0, "null", 1000, NULL);
	reserve(f->st, "alice", 0, "null", 1000, NULL);
	assert_int_equal(pw_store_fail_list(f->st, "root", count_fail, k, &e), 0);
	assert_int_equal(k[0], 2);
	assert_int_equal(k[1], 2);
	assert_int_equal(pw_store_budget_list(f->st, "root", 0, count_budget, b, &e), 0);
	assert_int_equal(b[0], 1);
	assert_int_equal(b[1], 1);
}

static void
schema_1_database_is_migrated_keeping_its_counts(void **state)
{
	struct pw_fx *f = *state;
	struct pw_store *st = NULL;
	struct ix_err e;
	sqlite3 *sq;
	sqlite3_stmt *s;

	/* A database as schema 1 left it: no attempts table, a count. */
	pw_store_close(f->st);
	f->st = NULL;
	assert_int_equal(sqlite3_open(f->path, &sq), SQLITE_OK);
	assert_int_equal(sqlite3_exec(sq, "DROP TABLE attempts; PRAGMA user_version = 1;"
				      "INSERT INTO failures VALUES ('root', 0, 'pipe', 4, 1000)",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(sq);
	assert_int_equal(pw_store_open(f->path, 0, &st, &e), 0);
	f->st = st;
	reserve(f->st, "root", 0, "pipe", 2000, NULL);
	assert_int_equal(last_seen.key_count, 4);
	assert_int_equal(last_seen.user_count, 0);
	assert_int_equal(sqlite3_open(f->path, &sq), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(sq, "PRAGMA user_version", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), PW_SCHEMA_VERSION);
	sqlite3_finalize(s);
	sqlite3_close(sq);
}

static void
overlong_port_is_refused(void **state)
{
	struct pw_fx *f = *state;
	struct pw_attempt_seen seen;
	char port[PW_PORT_MAX + 2];
	struct ix_err e;
	int64_t at, id;

	memset(port, 'p', sizeof port - 1);
	port[sizeof port - 1] = '\0';
	assert_int_equal(pw_store_attempt_reserve(f->st, "root", 0, port, 1000, HOUR, allow, NULL,
						  &seen, &at, &id, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(x) cmocka_unit_test_setup_teardown(x, pw_fx_setup, pw_fx_teardown)
		T(reserved_attempts_count_before_their_answer),
		T(refused_attempt_is_not_counted),
		T(reservation_is_placed_at_its_turn),
		T(failure_stays_success_releases_only_its_key),
		T(budget_forgets_after_its_window_key_does_not),
		T(expire_forgets_every_users_old_attempts),
		T(unlock_clears_keys_and_budget_of_that_user_only),
		T(listings_show_keys_and_budget),
		T(schema_1_database_is_migrated_keeping_its_counts),
		T(overlong_port_is_refused),
#undef T
	};

	if (sodium_init() < 0)
		return 1;
	umask(077);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
