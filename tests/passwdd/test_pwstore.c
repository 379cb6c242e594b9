/* passwdd/store.c: the secrets database on a temporary file. */
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

static void
new_database_is_0600(void **state)
{
	struct pw_fx *f = *state;
	struct stat sb;

	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
}

static void
open_refuses_group_readable_symlink_and_missing(void **state)
{
	struct pw_fx *f = *state;
	struct pw_store *st = NULL;
	struct ix_err e;
	char link[192];

	assert_int_equal(chmod(f->path, 0640), 0);
	assert_int_equal(pw_store_open(f->path, 0, &st, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_non_null(strstr(e.msg, "0640"));
	assert_int_equal(chmod(f->path, 0600), 0);
	snprintf(link, sizeof link, "%s/link.db", f->dir);
	assert_int_equal(symlink(f->path, link), 0);
	assert_int_equal(pw_store_open(link, 0, &st, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	unlink(link);
	snprintf(link, sizeof link, "%s/none.db", f->dir);
	assert_int_equal(pw_store_open(link, 0, &st, &e), -1);
	assert_int_equal(e.code, IX_ENOENT);
	assert_null(st);
}

static void
open_refuses_newer_schema(void **state)
{
	struct pw_fx *f = *state;
	struct pw_store *st = NULL;
	struct ix_err e;
	sqlite3 *sq;

	assert_int_equal(sqlite3_open(f->path, &sq), SQLITE_OK);
	assert_int_equal(sqlite3_exec(sq, "PRAGMA user_version = 3", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(sq);
	assert_int_equal(pw_store_open(f->path, 0, &st, &e), -1);
	assert_int_equal(e.code, IX_EVERSION);
	assert_non_null(strstr(e.msg, "schema 3"));
}

static void
password_round_trip_and_wrong_password(void **state)
{
	struct pw_fx *f = *state;
	struct pw_user u;
	struct ix_err e;

	assert_int_equal(pw_store_set_password(f->st, "alice", "correct horse", &e), 0);
	assert_int_equal(pw_store_get_user(f->st, "alice", &u, &e), 1);
	assert_int_equal(u.has_password, 1);
	assert_int_equal(u.backend, PW_BACKEND_OWN);
	assert_int_equal(pw_store_check_password(f->st, "alice", "correct horse", &e), 1);
	assert_int_equal(pw_store_check_password(f->st, "alice", "correct hors", &e), 0);
	assert_int_equal(pw_store_check_password(f->st, "alice", "", &e), 0);
	/* Unknown users and users without a hash never pass. */
	assert_int_equal(pw_store_check_password(f->st, "bob", "correct horse", &e), 0);
	assert_int_equal(pw_store_get_user(f->st, "bob", &u, &e), 0);
}

static void
stored_hash_is_argon2id_not_the_password(void **state)
{
	struct pw_fx *f = *state;
	struct ix_err e;
	sqlite3 *sq;
	sqlite3_stmt *s;

	assert_int_equal(pw_store_set_password(f->st, "alice", "hunter2hunter2", &e), 0);
	assert_int_equal(sqlite3_open(f->path, &sq), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(sq, "SELECT pwhash FROM users", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_memory_equal(sqlite3_column_text(s, 0), "$argon2id$", 10);
	assert_null(strstr((const char *)sqlite3_column_text(s, 0), "hunter2"));
	sqlite3_finalize(s);
	sqlite3_close(sq);
}

static void
bad_names_and_lengths_are_refused(void **state)
{
	struct pw_fx *f = *state;
	char big[PW_SECRET_MAX + 2];
	struct ix_err e;

	assert_int_equal(pw_store_set_password(f->st, "-rf", "x", &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_int_equal(pw_store_set_password(f->st, "a/b", "x", &e), -1);
	assert_int_equal(pw_store_set_password(f->st, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "x", &e), -1);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(pw_store_set_password(f->st, "alice", big, &e), -1);
	assert_int_equal(pw_store_set_password(f->st, "alice", "", &e), -1);
	assert_int_equal(pw_store_set_backend(f->st, "alice", PW_BACKEND_PAM, "bad/svc", &e), -1);
}

static void
backend_choice_is_stored(void **state)
{
	struct pw_fx *f = *state;
	struct pw_user u;
	struct ix_err e;

	assert_int_equal(pw_store_set_backend(f->st, "carol", PW_BACKEND_PAM, "login", &e), 0);
	assert_int_equal(pw_store_get_user(f->st, "carol", &u, &e), 1);
	assert_int_equal(u.backend, PW_BACKEND_PAM);
	assert_string_equal(u.pam_service, "login");
	assert_int_equal(u.has_password, 0);
	assert_int_equal(pw_store_set_backend(f->st, "carol", PW_BACKEND_OWN, NULL, &e), 0);
	assert_int_equal(pw_store_get_user(f->st, "carol", &u, &e), 1);
	assert_int_equal(u.backend, PW_BACKEND_OWN);
	assert_string_equal(u.pam_service, "");
}

static const uint8_t rfc_key[] = "12345678901234567890";

static void
totp_accepted_once_then_replay_refused(void **state)
{
	struct pw_fx *f = *state;
	struct ix_err e;
	int replay = -1;

	assert_int_equal(pw_store_set_otp(f->st, "alice", PW_OTP_TOTP, PW_OTP_SHA1, 8, 30,
					  rfc_key, 20, &e), 0);
	/* RFC 6238: 1111111109 -> 07081804 */
	assert_int_equal(pw_store_check_otp(f->st, "alice", "07081804", 1111111109, 1, &replay, &e), 1);
	assert_int_equal(replay, 0);
	assert_int_equal(pw_store_check_otp(f->st, "alice", "07081804", 1111111109, 1, &replay, &e), 0);
	assert_int_equal(replay, 1);
	/* An older step inside the window is a replay too, once a later one was used. */
	assert_int_equal(pw_store_check_otp(f->st, "alice", "14050471", 1111111111, 1, &replay, &e), 1);
	assert_int_equal(pw_store_check_otp(f->st, "alice", "07081804", 1111111111, 1, &replay, &e), 0);
	assert_int_equal(replay, 1);
}

static void
totp_outside_window_or_wrong_is_refused(void **state)
{
	struct pw_fx *f = *state;
	struct ix_err e;
	int replay = -1;

	assert_int_equal(pw_store_set_otp(f->st, "alice", PW_OTP_TOTP, PW_OTP_SHA1, 8, 30,
					  rfc_key, 20, &e), 0);
	assert_int_equal(pw_store_check_otp(f->st, "alice", "07081804", 1111111109 + 90, 1, &replay, &e), 0);
	assert_int_equal(replay, 0);
	assert_int_equal(pw_store_check_otp(f->st, "alice", "07081805", 1111111109, 1, &replay, &e), 0);
	assert_int_equal(pw_store_check_otp(f->st, "alice", "0708180", 1111111109, 1, &replay, &e), 0);
	/* One step of drift either side is accepted with window 1. */
	assert_int_equal(pw_store_check_otp(f->st, "alice", "07081804", 1111111109 + 30, 1, &replay, &e), 1);
	/* A user without a generator never passes. */
	assert_int_equal(pw_store_check_otp(f->st, "bob", "07081804", 1111111109, 1, &replay, &e), 0);
}

static void
hotp_counter_moves_past_accepted_code(void **state)
{
	struct pw_fx *f = *state;
	struct pw_user u;
	struct ix_err e;

	assert_int_equal(pw_store_set_otp(f->st, "dave", PW_OTP_HOTP, PW_OTP_SHA1, 6, 30,
					  rfc_key, 20, &e), 0);
	/* counter 2 (359152) is within the look-ahead of 3 * window */
	assert_int_equal(pw_store_check_otp(f->st, "dave", "359152", 0, 1, NULL, &e), 1);
	assert_int_equal(pw_store_get_user(f->st, "dave", &u, &e), 1);
	assert_int_equal(u.counter, 3);
	assert_int_equal(pw_store_check_otp(f->st, "dave", "359152", 0, 1, NULL, &e), 0);
	assert_int_equal(pw_store_check_otp(f->st, "dave", "287082", 0, 1, NULL, &e), 0);
	assert_int_equal(pw_store_check_otp(f->st, "dave", "969429", 0, 1, NULL, &e), 1);
	/* counter 9 is beyond 4 + 3 */
	assert_int_equal(pw_store_check_otp(f->st, "dave", "520489", 0, 1, NULL, &e), 0);
}

static void
enrolment_replaces_generator_and_resets_replay(void **state)
{
	struct pw_fx *f = *state;
	struct pw_user u;
	struct ix_err e;

	assert_int_equal(pw_store_set_otp(f->st, "alice", PW_OTP_TOTP, PW_OTP_SHA1, 8, 30,
					  rfc_key, 20, &e), 0);
	assert_int_equal(pw_store_check_otp(f->st, "alice", "07081804", 1111111109, 0, NULL, &e), 1);
	assert_int_equal(pw_store_set_otp(f->st, "alice", PW_OTP_TOTP, PW_OTP_SHA1, 8, 30,
					  rfc_key, 20, &e), 0);
	assert_int_equal(pw_store_check_otp(f->st, "alice", "07081804", 1111111109, 0, NULL, &e), 1);
	assert_int_equal(pw_store_set_otp(f->st, "alice", PW_OTP_TOTP, PW_OTP_SHA256, 9, 30,
					  rfc_key, 20, &e), -1);
	assert_int_equal(pw_store_set_otp(f->st, "alice", PW_OTP_TOTP, PW_OTP_SHA256, 6, 30,
					  rfc_key, 5, &e), -1);
	assert_int_equal(pw_store_get_user(f->st, "alice", &u, &e), 1);
	assert_int_equal(u.otp, PW_OTP_TOTP);
	assert_int_equal(u.digits, 8);
}

static void
tags_match_cgroup_identity_and_expiry(void **state)
{
	struct pw_fx *f = *state;
	uint8_t tok[PW_TAG_TOKEN_LEN], tok2[PW_TAG_TOKEN_LEN];
	const char *ids[] = { "alice", "root" };
	const char *bad[] = { "ok", "no/slash" };
	struct ix_err e;

	randombytes_buf(tok, sizeof tok);
	randombytes_buf(tok2, sizeof tok2);
	assert_int_equal(pw_store_tag_add(f->st, 77, tok, ids, 2, 1000, &e), 0);
	assert_int_equal(pw_store_tag_check(f->st, 77, "root", 999, &e), 1);
	assert_int_equal(pw_store_tag_check(f->st, 77, "root", 1000, &e), 0);
	assert_int_equal(pw_store_tag_check(f->st, 78, "root", 999, &e), 0);
	assert_int_equal(pw_store_tag_check(f->st, 77, "bob", 999, &e), 0);
	/* Only the right token removes it. */
	assert_int_equal(pw_store_tag_remove(f->st, 77, tok2, &e), 0);
	assert_int_equal(pw_store_tag_check(f->st, 77, "alice", 999, &e), 1);
	assert_int_equal(pw_store_tag_remove(f->st, 77, tok, &e), 1);
	assert_int_equal(pw_store_tag_check(f->st, 77, "alice", 999, &e), 0);
	assert_int_equal(pw_store_tag_add(f->st, 77, tok, bad, 2, 1000, &e), -1);
	assert_int_equal(pw_store_tag_add(f->st, 77, tok, ids, 0, 1000, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
	assert_int_equal(pw_store_tag_add(f->st, 77, tok, ids, 2, 1000, &e), 0);
	assert_int_equal(pw_store_tag_expire(f->st, 1000, &e), 0);
	assert_int_equal(pw_store_tag_check(f->st, 77, "alice", 0, &e), 0);
}

static int
count_user(const struct pw_user *u, void *ctx)
{
	(*(int *)ctx)++;
	return 0;
}

static void
list_visits_every_user(void **state)
{
	struct pw_fx *f = *state;
	struct ix_err e;
	int n = 0;

	assert_int_equal(pw_store_set_backend(f->st, "a", PW_BACKEND_OWN, NULL, &e), 0);
	assert_int_equal(pw_store_set_backend(f->st, "b", PW_BACKEND_PAM, "login", &e), 0);
	assert_int_equal(pw_store_list(f->st, count_user, &n, &e), 0);
	assert_int_equal(n, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(x) cmocka_unit_test_setup_teardown(x, pw_fx_setup, pw_fx_teardown)
		T(new_database_is_0600),
		T(open_refuses_group_readable_symlink_and_missing),
		T(open_refuses_newer_schema),
		T(password_round_trip_and_wrong_password),
		T(stored_hash_is_argon2id_not_the_password),
		T(bad_names_and_lengths_are_refused),
		T(backend_choice_is_stored),
		T(totp_accepted_once_then_replay_refused),
		T(totp_outside_window_or_wrong_is_refused),
		T(hotp_counter_moves_past_accepted_code),
		T(enrolment_replaces_generator_and_resets_replay),
		T(tags_match_cgroup_identity_and_expiry),
		T(list_visits_every_user),
#undef T
	};

	if (sodium_init() < 0)
		return 1;
	umask(077);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
