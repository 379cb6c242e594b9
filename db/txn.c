/*
 * Transactions, plain statements and the policy generation.
 *
 * Audit rows appended inside a transaction leave head lines pending until
 * the commit is durable. Two sqlite hooks keep that honest whatever the
 * caller does with the raw connection: a rollback of any kind drops the
 * pending heads, and a commit that does not come from ixdb_commit while
 * heads are pending is turned into a rollback (otherwise records would be
 * committed without ever reaching the head file).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/ixdb_int.h"

void
ixdb_pending_clear(struct ixdb *db)
{
	for (size_t i = 0; i < db->npending; i++)
		free(db->pending[i].path);
	db->npending = 0;
}

static void
on_rollback(void *arg)
{
	struct ixdb *db = arg;

	ixdb_pending_clear(db);
	db->in_tx = 0;
}

static int
on_commit(void *arg)
{
	struct ixdb *db = arg;

	return db->npending > 0 && !db->committing;
}

void
ixdb_install_hooks(struct ixdb *db)
{
	sqlite3_rollback_hook(db->sq, on_rollback, db);
	sqlite3_commit_hook(db->sq, on_commit, db);
}

/* The first few words of sql, for error messages. */
static void
first_words(const char *sql, char *buf, size_t len)
{
	size_t n = 0;

	while (*sql == ' ' || *sql == '\t' || *sql == '\n')
		sql++;
	while (sql[n] != '\0' && sql[n] != '\n' && n < 40)
		n++;
	snprintf(buf, len, "%.*s%s", (int)n, sql, sql[n] != '\0' ? "..." : "");
}

int
ixdb_exec_raw(struct ixdb *db, const char *sql, struct ix_err *err)
{
	const char *tail = sql;
	char what[64];

	while (tail != NULL && *tail != '\0') {
		sqlite3_stmt *st = NULL;
		const char *at = tail;
		int rc;

		if (sqlite3_prepare_v2(db->sq, at, -1, &st, &tail) != SQLITE_OK) {
			first_words(at, what, sizeof what);
			return ixdb_err_sqlite(db, err, what);
		}
		if (st == NULL)		/* only whitespace or a comment was left */
			continue;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		if (rc != SQLITE_DONE) {
			first_words(at, what, sizeof what);
			ixdb_err_sqlite(db, err, what);
			sqlite3_finalize(st);
			return -1;
		}
		sqlite3_finalize(st);
	}
	return 0;
}

int
ixdb_exec(struct ixdb *db, const char *sql, struct ix_err *err)
{
	return ixdb_exec_raw(db, sql, err);
}

int
ixdb_in_transaction(struct ixdb *db)
{
	return !sqlite3_get_autocommit(db->sq);
}

int
ixdb_begin(struct ixdb *db, struct ix_err *err)
{
	if (ixdb_in_transaction(db))
		return ix_err_set(err, IX_ELIMIT, "a transaction is already open (transactions do not nest)");
	/* IMMEDIATE takes the write lock now, so the transaction cannot fail
	 * with SQLITE_BUSY half-way through its edit. */
	if (ixdb_exec_raw(db, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	db->in_tx = 1;
	return 0;
}

int
ixdb_commit(struct ixdb *db, struct ix_err *err)
{
	int rc = 0;

	if (!db->in_tx || !ixdb_in_transaction(db)) {
		db->in_tx = 0;
		return ix_err_set(err, IX_EINVAL, "commit without an open transaction");
	}
	db->committing = 1;
	if (ixdb_exec_raw(db, "COMMIT", err) < 0) {
		db->committing = 0;
		/* A failed COMMIT may leave the transaction open (the caller
		 * rolls back) or have rolled it back already (the hook then
		 * dropped the heads). */
		if (!ixdb_in_transaction(db)) {
			ixdb_pending_clear(db);
			db->in_tx = 0;
		}
		return -1;
	}
	db->committing = 0;
	db->in_tx = 0;
	/* The records are durable now; only then may the head file name them.
	 * Heads for the same file go out in one write. */
	for (size_t i = 0; i < db->npending && rc == 0;) {
		size_t j = i + 1;

		while (j < db->npending && strcmp(db->pending[j].path, db->pending[i].path) == 0)
			j++;
		rc = ixdb_head_append(db->pending[i].path, db->pending[i].first ? db->pending[i].id : NULL,
				      db->pending + i, j - i, err);
		i = j;
	}
	if (rc < 0)
		ix_err_prefix(err, "committed, but the audit head was not recorded");
	else
		ixdb_witness_due(db);
	ixdb_pending_clear(db);
	return rc;
}

void
ixdb_rollback(struct ixdb *db)
{
	if (db == NULL)
		return;
	if (ixdb_in_transaction(db))
		ixdb_exec_raw(db, "ROLLBACK", NULL);
	ixdb_pending_clear(db);
	db->in_tx = 0;
}

int
ixdb_generation(struct ixdb *db, int64_t *out, struct ix_err *err)
{
	sqlite3_stmt *st = NULL;
	const char *sql = "SELECT value FROM meta WHERE key = 'generation'";
	const char *text;
	char *end;
	int rc;

	if (sqlite3_prepare_v2(db->sq, sql, -1, &st, NULL) != SQLITE_OK)
		return ixdb_err_sqlite(db, err, "reading the policy generation");
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		if (rc == SQLITE_DONE)
			ix_err_set(err, IX_ECORRUPT, "table meta has no generation");
		else
			ixdb_err_sqlite(db, err, "reading the policy generation");
		sqlite3_finalize(st);
		return -1;
	}
	text = (const char *)sqlite3_column_text(st, 0);
	errno = 0;
	*out = text != NULL ? strtoll(text, &end, 10) : 0;
	if (text == NULL || end == text || *end != '\0' || errno != 0 || *out < 0) {
		ix_err_set(err, IX_ECORRUPT, "table meta: generation '%s' is not a number",
			   text != NULL ? text : "");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

static int
bump(struct ixdb *db, struct ix_err *err)
{
	int64_t g;
	char sql[96];

	/* Read, check and write rather than arithmetic in SQL, so a damaged
	 * value is reported instead of silently becoming 1. */
	if (ixdb_generation(db, &g, err) < 0)
		return -1;
	if (g == INT64_MAX)
		return ix_err_set(err, IX_ELIMIT, "policy generation overflows");
	snprintf(sql, sizeof sql, "UPDATE meta SET value = '%" PRId64 "' WHERE key = 'generation'", g + 1);
	return ixdb_exec_raw(db, sql, err);
}

int
ixdb_bump_generation(struct ixdb *db, struct ix_err *err)
{
	if (ixdb_in_transaction(db))
		return bump(db, err);
	/* On its own, the read and the write still form one transaction. */
	if (ixdb_begin(db, err) < 0)
		return -1;
	if (bump(db, err) < 0) {
		ixdb_rollback(db);
		return -1;
	}
	return ixdb_commit(db, err);
}
