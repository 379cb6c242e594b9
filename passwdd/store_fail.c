/*
 * Failure counters and reserved attempts of the secrets store (store.h,
 * schema-2.sql). The per-key counts (failures) lock a key for good, until
 * passwdd-admin unlock; the attempts table feeds the user-wide budget and
 * is forgotten after its window.
 */
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>

#include "passwdd/store_int.h"

#define KEY_WHERE " WHERE user = ?1 AND requester = ?2 AND port = ?3"

static sqlite3_stmt *
prep_key(struct pw_store *st, const char *sql, const char *user, uint32_t requester,
    const char *port, struct ix_err *err)
{
	sqlite3_stmt *s = pw_sq_prep(st, sql, err);

	if (s != NULL) {
		sqlite3_bind_text(s, 1, user, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, requester);
		sqlite3_bind_text(s, 3, port, -1, SQLITE_STATIC);
	}
	return s;
}

/* Reads one row of two integers from s (finalized here) into *n and
 * *last; no row leaves both 0. */
static int
two_ints(struct pw_store *st, sqlite3_stmt *s, unsigned *n, int64_t *last, struct ix_err *err)
{
	int rc;

	if (s == NULL)
		return -1;
	*n = 0;
	*last = 0;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*n = (unsigned)sqlite3_column_int(s, 0);
		*last = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pw_sq_err(st, err, "reading failure counters");
	return 0;
}

/* The user's attempts made before before_ms go. */
static int
forget_old(struct pw_store *st, const char *user, int64_t before_ms, struct ix_err *err)
{
	sqlite3_stmt *s = pw_sq_prep(st, "DELETE FROM attempts WHERE user = ?1 AND at_ms < ?2", err);

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, before_ms);
	return pw_sq_run(st, s, err);
}

static int
seen_now(struct pw_store *st, const char *user, uint32_t requester, const char *port,
    struct pw_attempt_seen *seen, struct ix_err *err)
{
	sqlite3_stmt *s;

	if (two_ints(st, prep_key(st, "SELECT count, last_ms FROM failures" KEY_WHERE, user,
				  requester, port, err),
		     &seen->key_count, &seen->key_last_ms, err) < 0)
		return -1;
	s = pw_sq_prep(st, "SELECT count(*), coalesce(max(at_ms), 0) FROM attempts WHERE user = ?1",
		       err);
	if (s != NULL)
		sqlite3_bind_text(s, 1, user, -1, SQLITE_STATIC);
	return two_ints(st, s, &seen->user_count, &seen->user_last_ms, err);
}

/* Counts the reserved attempt: one more failure of the key, and a
 * pending row of the user's. */
static int
record(struct pw_store *st, const char *user, uint32_t requester, const char *port,
    int64_t at_ms, int64_t *id, struct ix_err *err)
{
	sqlite3_stmt *s = prep_key(st, "INSERT INTO failures(user, requester, port, count, last_ms)"
				       " VALUES (?1, ?2, ?3, 1, ?4) ON CONFLICT DO UPDATE SET"
				       " count = min(count + 1, 1000000), last_ms = max(last_ms, ?4)",
				   user, requester, port, err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 4, at_ms);
	if (pw_sq_run(st, s, err) < 0)
		return -1;
	s = prep_key(st, "INSERT INTO attempts(user, requester, port, at_ms, pending)"
			 " VALUES (?1, ?2, ?3, ?4, 1)", user, requester, port, err);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 4, at_ms);
	if (pw_sq_run(st, s, err) < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(st->sq);
	return 0;
}

int
pw_store_attempt_reserve(struct pw_store *st, const char *user, uint32_t requester,
    const char *port, int64_t now_ms, int64_t window_ms, pw_attempt_decide_fn *decide,
    void *ctx, struct pw_attempt_seen *seen, int64_t *at_ms, int64_t *id, struct ix_err *err)
{
	int rc;

	*id = -1;
	*at_ms = now_ms;
	if (strnlen(port, PW_PORT_MAX + 1) > PW_PORT_MAX)
		return ix_err_set(err, IX_ELIMIT, "a port has at most %d bytes", PW_PORT_MAX);
	if (pw_sq_begin(st, err) < 0)
		return -1;
	rc = forget_old(st, user, now_ms - window_ms, err);
	if (rc == 0)
		rc = seen_now(st, user, requester, port, seen, err);
	if (rc == 0)
		rc = decide(ctx, seen, now_ms, at_ms, err);
	if (rc == 1 && record(st, user, requester, port, *at_ms, id, err) < 0)
		rc = -1;
	if (pw_sq_finish(st, rc < 0 ? -1 : 0, err) < 0)
		return -1;
	return rc;
}

int
pw_store_attempt_failed(struct pw_store *st, int64_t id, struct ix_err *err)
{
	sqlite3_stmt *s = pw_sq_prep(st, "UPDATE attempts SET pending = 0 WHERE id = ?1", err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	return pw_sq_run(st, s, err);
}

int
pw_store_attempt_passed(struct pw_store *st, const char *user, uint32_t requester,
    const char *port, int64_t id, struct ix_err *err)
{
	sqlite3_stmt *s;
	int rc = -1;

	if (pw_sq_begin(st, err) < 0)
		return -1;
	s = pw_sq_prep(st, "DELETE FROM attempts WHERE id = ?1", err);
	if (s == NULL)
		goto out;
	sqlite3_bind_int64(s, 1, id);
	if (pw_sq_run(st, s, err) < 0 ||
	    pw_sq_run(st, prep_key(st, "UPDATE failures SET count = (SELECT count(*) FROM attempts"
				       KEY_WHERE " AND pending = 1)" KEY_WHERE,
				   user, requester, port, err), err) < 0 ||
	    pw_sq_run(st, prep_key(st, "DELETE FROM failures" KEY_WHERE " AND count = 0", user,
				   requester, port, err), err) < 0)
		goto out;
	rc = 0;
out:
	return pw_sq_finish(st, rc, err);
}

int
pw_store_attempt_expire(struct pw_store *st, int64_t before_ms, struct ix_err *err)
{
	return pw_sq_delete_found(st, "SELECT 1 FROM attempts WHERE at_ms < ?1 LIMIT 1",
				  "DELETE FROM attempts WHERE at_ms < ?1", before_ms, err);
}

int
pw_store_unlock(struct pw_store *st, const char *user, unsigned *keys, unsigned *attempts,
    struct ix_err *err)
{
	static const char *const sql[] = { "DELETE FROM failures WHERE user = ?1",
					   "DELETE FROM attempts WHERE user = ?1" };
	unsigned n[2] = { 0, 0 };
	size_t i;

	if (pw_sq_begin(st, err) < 0)
		return -1;
	for (i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		sqlite3_stmt *s = pw_sq_prep(st, sql[i], err);

		if (s == NULL)
			return pw_sq_finish(st, -1, err);
		sqlite3_bind_text(s, 1, user, -1, SQLITE_STATIC);
		if (pw_sq_run(st, s, err) < 0)
			return pw_sq_finish(st, -1, err);
		n[i] = (unsigned)sqlite3_changes(st->sq);
	}
	if (pw_sq_finish(st, 0, err) < 0)
		return -1;
	if (keys != NULL)
		*keys = n[0];
	if (attempts != NULL)
		*attempts = n[1];
	return 0;
}

/* Binds user (NULL: every user) to ?1 of s: the statements below read
 * "?1 IS NULL OR user = ?1". */
static sqlite3_stmt *
prep_user(struct pw_store *st, const char *sql, const char *user, struct ix_err *err)
{
	sqlite3_stmt *s = pw_sq_prep(st, sql, err);

	if (s != NULL && user != NULL)
		sqlite3_bind_text(s, 1, user, -1, SQLITE_STATIC);
	return s;
}

int
pw_store_fail_list(struct pw_store *st, const char *user,
    int (*fn)(const struct pw_fail_row *, void *), void *ctx, struct ix_err *err)
{
	sqlite3_stmt *s = prep_user(st, "SELECT user, requester, port, count, last_ms FROM failures"
				    " WHERE ?1 IS NULL OR user = ?1 ORDER BY user, requester, port",
				    user, err);
	struct pw_fail_row r;
	int rc;

	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof r);
		snprintf(r.user, sizeof r.user, "%s", (const char *)sqlite3_column_text(s, 0));
		r.requester = (uint32_t)sqlite3_column_int64(s, 1);
		snprintf(r.port, sizeof r.port, "%s", (const char *)sqlite3_column_text(s, 2));
		r.count = (unsigned)sqlite3_column_int(s, 3);
		r.last_ms = sqlite3_column_int64(s, 4);
		if (fn(&r, ctx) != 0)
			break;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pw_sq_err(st, err, "listing failures");
	return 0;
}

int
pw_store_budget_list(struct pw_store *st, const char *user, int64_t since_ms,
    int (*fn)(const struct pw_budget_row *, void *), void *ctx, struct ix_err *err)
{
	sqlite3_stmt *s = prep_user(st, "SELECT user, sum(pending = 0), sum(pending), max(at_ms)"
				    " FROM attempts WHERE (?1 IS NULL OR user = ?1) AND at_ms >= ?2"
				    " GROUP BY user ORDER BY user", user, err);
	struct pw_budget_row r;
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 2, since_ms);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof r);
		snprintf(r.user, sizeof r.user, "%s", (const char *)sqlite3_column_text(s, 0));
		r.failed = (unsigned)sqlite3_column_int(s, 1);
		r.pending = (unsigned)sqlite3_column_int(s, 2);
		r.last_ms = sqlite3_column_int64(s, 3);
		if (fn(&r, ctx) != 0)
			break;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pw_sq_err(st, err, "listing the budget");
	return 0;
}
