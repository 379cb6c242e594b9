/*
 * Appending to the audit chain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/audit_head.h"
#include "db/ixdb_int.h"
#include "libixutil/ix_log.h"

/* Longest kind ("request", "edit", ...) and actor (a login name). */
#define IXDB_KIND_MAX 32
#define IXDB_ACTOR_MAX 256

static int
check_word(const char *what, const char *s, size_t max, struct ix_err *err)
{
	size_t len = strlen(s);

	if (len == 0)
		return ix_err_set(err, IX_EINVAL, "audit %s is empty", what);
	if (len > max)
		return ix_err_set(err, IX_ELIMIT, "audit %s is longer than %zu bytes", what, max);
	/* Control bytes would let a record forge lines in a reader's log. */
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return ix_err_set(err, IX_EINVAL, "audit %s: control byte at column %zu",
					  what, i + 1);
	return 0;
}

int
ixdb_audit_tail(struct ixdb *db, int64_t *seq, unsigned char hash[IXDB_HASH_LEN], struct ix_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*seq = 0;
	memset(hash, 0, IXDB_HASH_LEN);
	if (sqlite3_prepare_v2(db->sq, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return ixdb_err_sqlite(db, err, "reading the audit chain");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) != IXDB_HASH_LEN || *seq <= 0 || *seq == INT64_MAX) {
			sqlite3_finalize(st);
			return ix_err_set(err, IX_ECORRUPT, "audit record %lld is damaged; not appending",
					  (long long)*seq);
		}
		memcpy(hash, sqlite3_column_blob(st, 1), IXDB_HASH_LEN);
	} else if (rc != SQLITE_DONE) {
		ixdb_err_sqlite(db, err, "reading the audit chain");
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

static int
insert(struct ixdb *db, const struct ixdb_audit_row *row, const unsigned char prev[IXDB_HASH_LEN],
       const unsigned char hash[IXDB_HASH_LEN], struct ix_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db->sq,
			       "INSERT INTO audit(seq, time_us, version, kind, actor, text, prev, hash) "
			       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		return ixdb_err_sqlite(db, err, "appending to the audit chain");
	sqlite3_bind_int64(st, 1, row->seq);
	sqlite3_bind_int64(st, 2, row->time_us);
	sqlite3_bind_int64(st, 3, row->version);
	sqlite3_bind_text(st, 4, row->kind, (int)row->kind_len, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, row->actor, (int)row->actor_len, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, row->text, (int)row->text_len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 7, prev, IXDB_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, hash, IXDB_HASH_LEN, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ixdb_err_sqlite(db, err, "appending to the audit chain");
	return 0;
}

static int
pend(struct ixdb *db, const char *head_path, int64_t seq, const unsigned char hash[IXDB_HASH_LEN],
     const char *first_id, struct ix_err *err)
{
	struct ixdb_pending_head *p;

	if (db->npending == db->cpending) {
		size_t n = db->cpending == 0 ? 8 : 2 * db->cpending;

		p = reallocarray(db->pending, n, sizeof *p);
		if (p == NULL)
			return ix_err_set(err, IX_ENOMEM, "audit: out of memory");
		db->pending = p;
		db->cpending = n;
	}
	p = &db->pending[db->npending];
	p->path = strdup(head_path);
	if (p->path == NULL)
		return ix_err_set(err, IX_ENOMEM, "audit: out of memory");
	p->seq = seq;
	memcpy(p->hash, hash, IXDB_HASH_LEN);
	/* Only the first record ever may create the head file, with the
	 * header naming this database. */
	p->first = first_id != NULL;
	snprintf(p->id, sizeof p->id, "%s", first_id != NULL ? first_id : "");
	db->npending++;
	return 0;
}

int
ixdb_audit_append(struct ixdb *db, const char *head_path, const char *kind, const char *actor,
		  const char *text, int64_t *seq_out, char *hex_out, struct ix_err *err)
{
	unsigned char prev[IXDB_HASH_LEN], hash[IXDB_HASH_LEN];
	char id[IXDB_AUDIT_ID_HEX + 1];
	struct ixdb_audit_row row;
	int64_t ever;
	struct timespec ts;
	int own = 0;
	size_t text_len;

	if (check_word("kind", kind, IXDB_KIND_MAX, err) < 0 ||
	    check_word("actor", actor, IXDB_ACTOR_MAX, err) < 0)
		return -1;
	text_len = strnlen(text, IXDB_AUDIT_TEXT_MAX + 1);
	if (text_len > IXDB_AUDIT_TEXT_MAX)
		return ix_err_set(err, IX_ELIMIT, "audit text is longer than %d bytes", IXDB_AUDIT_TEXT_MAX);
	if (head_path != NULL && head_path[0] == '\0')
		return ix_err_set(err, IX_EINVAL, "empty audit head path");
	if (ixdb_in_transaction(db)) {
		/* Its head line could only be written by ixdb_commit. */
		if (!db->in_tx)
			return ix_err_set(err, IX_EINVAL,
					  "audit append inside a transaction not opened by ixdb_begin");
	} else {
		if (ixdb_begin(db, err) < 0)
			return -1;
		own = 1;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	row.time_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	row.version = IXDB_AUDIT_VERSION;
	row.kind = kind;
	row.kind_len = strlen(kind);
	row.actor = actor;
	row.actor_len = strlen(actor);
	row.text = text;
	row.text_len = text_len;
	if (ixdb_audit_tail(db, &row.seq, prev, err) < 0 || ixdb_audit_meta(db, id, &ever, err) < 0)
		goto fail;
	row.seq++;
	if (ixdb_audit_hash(prev, &row, hash) < 0) {
		ix_err_set(err, IX_EINVAL, "audit: cannot hash record %lld", (long long)row.seq);
		goto fail;
	}
	/* Pending first: a row must never be in the transaction without its
	 * head line, and popping a pending head cannot fail. */
	if (head_path != NULL && pend(db, head_path, row.seq, hash, row.seq == 1 && ever == 0 ? id : NULL,
				      err) < 0)
		goto fail;
	if (insert(db, &row, prev, hash, err) < 0 || ixdb_audit_meta_raise(db, row.seq, err) < 0) {
		if (head_path != NULL)
			free(db->pending[--db->npending].path);
		goto fail;
	}
	if (seq_out != NULL)
		*seq_out = row.seq;
	if (hex_out != NULL)
		ixdb_hex(hash, hex_out);
	return own ? ixdb_commit(db, err) : 0;
fail:
	/* A failed append inside the caller's transaction leaves it to the
	 * caller, who must roll back: the row may or may not be in it. */
	if (own)
		ixdb_rollback(db);
	return -1;
}

int
ixdb_audit_log(struct ixdb *db, const char *head_path, struct ix_log *log, const char *kind,
	       const char *actor, const char *text, struct ix_err *err)
{
	int64_t seq;

	if (db == NULL) {
		ix_err_set(err, IX_EDB, "no database");
	} else if (ixdb_audit_append(db, head_path, kind, actor, text, &seq, NULL, err) == 0) {
		ix_log_event(log, kind, "%s audit_seq=%lld", text, (long long)seq);
		return 0;
	}
	ix_log_event(log, "audit-error", "kind=%s error=%s record=%s", kind, err->msg, text);
	return -1;
}

int
ixdb_stmt_fail(struct ixdb *db, sqlite3_stmt *st, struct ix_err *err, const char *what)
{
	ix_err_set(err, IX_EDB, "%s: %s", what, sqlite3_errmsg(ixdb_sqlite(db)));
	sqlite3_finalize(st);
	return -1;
}
