/*
 * The sessions table (record.h).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libcompart/flabel.h"
#include "sessiond/record.h"

static int
sq_fail(struct ixdb *db, sqlite3_stmt *st, struct ix_err *err, const char *what)
{
	ix_err_set(err, IX_EDB, "%s: %s", what, sqlite3_errmsg(ixdb_sqlite(db)));
	sqlite3_finalize(st);
	return -1;
}

int
sess_record_start(struct ixdb *db, const struct sess_row *r, int64_t *id, struct ix_err *err)
{
	uint8_t lab[IX_FLABEL_SIZE];
	sqlite3_stmt *st = NULL;

	if (r->user_tty_labelled && ix_flabel_encode(&r->user_tty_label, lab, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(ixdb_sqlite(db),
			       "INSERT INTO sessions (login, uid, label, port, tty, tty_rdev, admin, "
			       "user_tty_rdev, user_tty_label, worker_pid, started) "
			       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
			       -1, &st, NULL) != SQLITE_OK)
		return sq_fail(db, st, err, "recording the session");
	sqlite3_bind_text(st, 1, r->login, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)r->uid);
	sqlite3_bind_text(st, 3, r->label, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->port, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, r->tty, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)r->tty_rdev);
	sqlite3_bind_int(st, 7, r->admin);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)r->user_tty_rdev);
	if (r->user_tty_labelled)
		sqlite3_bind_blob(st, 9, lab, sizeof lab, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 9);
	sqlite3_bind_int64(st, 10, r->worker);
	sqlite3_bind_int64(st, 11, (sqlite3_int64)time(NULL));
	if (sqlite3_step(st) != SQLITE_DONE)
		return sq_fail(db, st, err, "recording the session");
	sqlite3_finalize(st);
	*id = sqlite3_last_insert_rowid(ixdb_sqlite(db));
	return 0;
}

int
sess_record_end(struct ixdb *db, int64_t id, const char *how, struct ix_err *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(ixdb_sqlite(db),
			       "UPDATE sessions SET ended = ?1, how = ?2 WHERE id = ?3 AND ended IS NULL",
			       -1, &st, NULL) != SQLITE_OK)
		return sq_fail(db, st, err, "recording the end of the session");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
	sqlite3_bind_text(st, 2, how, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return sq_fail(db, st, err, "recording the end of the session");
	sqlite3_finalize(st);
	if (sqlite3_changes(ixdb_sqlite(db)) != 1)
		return ix_err_set(err, IX_ENOENT, "session %lld is not live", (long long)id);
	return 0;
}

int
sess_record_live(struct ixdb *db, uid_t uid, char **text, uint32_t *n, struct ix_err *err)
{
	sqlite3_stmt *st = NULL;
	size_t len = 0;
	FILE *f;
	int r;

	*text = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(ixdb_sqlite(db),
			       "SELECT id, label, tty, port, started, admin FROM sessions "
			       "WHERE uid = ?1 AND ended IS NULL ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return sq_fail(db, st, err, "listing sessions");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)uid);
	f = open_memstream(text, &len);
	if (f == NULL) {
		sqlite3_finalize(st);
		return ix_err_sys(err, "open_memstream");
	}
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		time_t t = (time_t)sqlite3_column_int64(st, 4);
		char when[32];
		struct tm tm;

		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime_r(&t, &tm));
		fprintf(f, "%lld %s on %s from %s since %s%s\n", (long long)sqlite3_column_int64(st, 0),
			(const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2),
			(const char *)sqlite3_column_text(st, 3), when,
			sqlite3_column_int(st, 5) ? " (administrator)" : "");
		(*n)++;
	}
	if (fclose(f) != 0 || r != SQLITE_DONE) {
		free(*text);
		*text = NULL;
		if (r != SQLITE_DONE)
			return sq_fail(db, st, err, "listing sessions");
		sqlite3_finalize(st);
		return ix_err_sys(err, "listing sessions");
	}
	sqlite3_finalize(st);
	return 0;
}

int
sess_record_orphans(struct ixdb *db, pid_t only, const char *how,
		    int (*fn)(const struct sess_orphan *o, void *arg), void *arg, struct ix_err *err)
{
	sqlite3_stmt *st = NULL;
	int64_t ids[256];
	size_t nids = 0;
	int r, ended = 0;

	if (sqlite3_prepare_v2(ixdb_sqlite(db),
			       "SELECT id, worker_pid, tty_rdev, user_tty_rdev, user_tty_label "
			       "FROM sessions WHERE ended IS NULL AND (?1 = 0 OR worker_pid = ?1) "
			       "ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return sq_fail(db, st, err, "finding sessions left open");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)only);
	while ((r = sqlite3_step(st)) == SQLITE_ROW && nids < sizeof ids / sizeof ids[0]) {
		struct sess_orphan o = { 0 };
		const void *b = sqlite3_column_blob(st, 4);
		struct ix_err e;

		o.id = sqlite3_column_int64(st, 0);
		o.worker = (pid_t)sqlite3_column_int64(st, 1);
		o.tty_rdev = (dev_t)sqlite3_column_int64(st, 2);
		o.user_tty_rdev = (dev_t)sqlite3_column_int64(st, 3);
		if (b != NULL) {
			if (ix_flabel_decode(b, (size_t)sqlite3_column_bytes(st, 4), &o.user_tty_label,
					     &e) < 0)
				continue;	/* the CHECK makes this unreachable; never guess */
			o.user_tty_labelled = true;
		}
		if (fn(&o, arg) == 0)
			ids[nids++] = o.id;
	}
	if (r != SQLITE_DONE && r != SQLITE_ROW)
		return sq_fail(db, st, err, "finding sessions left open");
	sqlite3_finalize(st);
	for (size_t i = 0; i < nids; i++) {
		if (sess_record_end(db, ids[i], how, err) < 0)
			return -1;
		ended++;
	}
	return ended;
}
