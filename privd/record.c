/*
 * The actions table (record.h).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "privd/exec.h"
#include "privd/record.h"

void
privd_req_id(char id[PRIVD_REQ_ID_LEN + 1])
{
	uint64_t v = 0;

	while (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v)
		;
	snprintf(id, PRIVD_REQ_ID_LEN + 1, "%016llx", (unsigned long long)v);
}

int
privd_record_begin(struct ixdb *db, const char *req, pid_t monitor, pid_t client,
		   const char *login, const char *request, struct ix_err *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(ixdb_sqlite(db),
			       "INSERT INTO actions (req, monitor_pid, client_pid, login, request, "
			       "started) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1, &st, NULL) != SQLITE_OK)
		return ixdb_stmt_fail(db, st, err, "recording the action");
	sqlite3_bind_text(st, 1, req, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, monitor);
	sqlite3_bind_int64(st, 3, client);
	sqlite3_bind_text(st, 4, login, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, request, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)time(NULL));
	if (sqlite3_step(st) != SQLITE_DONE)
		return ixdb_stmt_fail(db, st, err, "recording the action");
	sqlite3_finalize(st);
	return 0;
}

int
privd_record_end(struct ixdb *db, const char *req, const char *how, struct ix_err *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(ixdb_sqlite(db),
			       "UPDATE actions SET ended = ?1, how = ?2 WHERE req = ?3 AND ended IS NULL",
			       -1, &st, NULL) != SQLITE_OK)
		return ixdb_stmt_fail(db, st, err, "recording the end of the action");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
	sqlite3_bind_text(st, 2, how, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, req, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		return ixdb_stmt_fail(db, st, err, "recording the end of the action");
	sqlite3_finalize(st);
	return sqlite3_changes(ixdb_sqlite(db)) > 0;
}

struct open_row {
	char req[PRIVD_REQ_ID_LEN + 1];
	pid_t monitor, client;
	char login[64];
	char *request;
};

static int
open_rows(struct ixdb *db, pid_t monitor, struct open_row **out, size_t *n, struct ix_err *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int r;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(ixdb_sqlite(db),
			       "SELECT req, monitor_pid, client_pid, login, request FROM actions "
			       "WHERE ended IS NULL AND (?1 = 0 OR monitor_pid = ?1) ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return ixdb_stmt_fail(db, st, err, "reading the open actions");
	sqlite3_bind_int64(st, 1, monitor);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct open_row *o;

		if (*n == cap) {
			void *g = realloc(*out, (cap = cap ? 2 * cap : 8) * sizeof **out);

			if (g == NULL) {
				sqlite3_finalize(st);
				return ix_err_set(err, IX_ENOMEM, "out of memory");
			}
			*out = g;
		}
		o = &(*out)[(*n)++];
		snprintf(o->req, sizeof o->req, "%s", (const char *)sqlite3_column_text(st, 0));
		o->monitor = (pid_t)sqlite3_column_int64(st, 1);
		o->client = (pid_t)sqlite3_column_int64(st, 2);
		snprintf(o->login, sizeof o->login, "%s", (const char *)sqlite3_column_text(st, 3));
		o->request = strdup((const char *)sqlite3_column_text(st, 4));
		if (o->request == NULL) {
			sqlite3_finalize(st);
			return ix_err_set(err, IX_ENOMEM, "out of memory");
		}
	}
	if (r != SQLITE_DONE)
		return ixdb_stmt_fail(db, st, err, "reading the open actions");
	sqlite3_finalize(st);
	return 0;
}

int
privd_record_abandon(struct ixdb *db, const char *head, struct ix_log *log, pid_t monitor,
		     const char *why, struct ix_err *err)
{
	struct open_row *rows = NULL;
	size_t n = 0;
	int done = 0, rc = 0;

	if (open_rows(db, monitor, &rows, &n, err) < 0) {
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct open_row *o = &rows[i];
		char text[IXDB_AUDIT_TEXT_MAX], how[256];
		struct ix_err e;
		int r;

		if (privd_run_abandon(o->monitor, &e) < 0)
			ix_log_event(log, "warning", "req=%s group of monitor %d not ended: %s", o->req,
				     (int)o->monitor, e.msg);
		snprintf(how, sizeof how, "abandoned: %s", why);
		snprintf(text, sizeof text, "v1 exit pid=%d req=%s monitor=%d abandoned=%s request=%s",
			 (int)o->client, o->req, (int)o->monitor, why, o->request);
		if (ixdb_begin(db, err) < 0) {
			rc = -1;
			break;
		}
		if ((r = privd_record_end(db, o->req, how, err)) < 0 ||
		    (r == 1 && ixdb_audit_log(db, head, log, "privd-exit", o->login, text, err) < 0) ||
		    ixdb_commit(db, err) < 0) {
			if (ixdb_in_transaction(db))
				ixdb_rollback(db);
			rc = -1;
			break;
		}
		done += r == 1;
	}
out:
	for (size_t i = 0; i < n; i++)
		free(rows[i].request);
	free(rows);
	return rc < 0 ? -1 : done;
}
