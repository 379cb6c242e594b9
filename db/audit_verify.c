/*
 * Verifying the audit chain: recompute every link, then hold the database
 * against the head file.
 *
 * The head file is opened (and its size fixed) before the database
 * snapshot is taken: a writer appends a head line only after its commit,
 * so every line within that size names a record the snapshot contains.
 * Both passes stream, so memory stays bounded however long the chain is.
 */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/audit_head.h"
#include "db/ixdb_int.h"

/* Records a finding; the one with the lowest seq is reported. */
static void
found(struct ixdb_verify *out, int64_t seq, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
found(struct ixdb_verify *out, int64_t seq, const char *fmt, ...)
{
	va_list ap;

	if (out->first_bad != 0 && out->first_bad <= seq)
		return;
	out->first_bad = seq;
	va_start(ap, fmt);
	vsnprintf(out->reason, sizeof out->reason, fmt, ap);
	va_end(ap);
}

/* Checks one row against its predecessor's hash in prev; on return prev
 * holds the row's stored hash. */
static void
check_row(sqlite3_stmt *st, int64_t expect, unsigned char prev[IXDB_HASH_LEN],
	  struct ixdb_verify *out)
{
	struct ixdb_audit_row row;
	unsigned char hash[IXDB_HASH_LEN];
	const void *sprev, *shash;

	row.seq = sqlite3_column_int64(st, 0);
	if (row.seq != expect) {
		found(out, expect, "record %lld is missing (the next record is %lld)",
		      (long long)expect, (long long)row.seq);
		return;
	}
	row.time_us = sqlite3_column_int64(st, 1);
	row.version = sqlite3_column_int64(st, 2);
	row.kind = sqlite3_column_text(st, 3);
	row.kind_len = (size_t)sqlite3_column_bytes(st, 3);
	row.actor = sqlite3_column_text(st, 4);
	row.actor_len = (size_t)sqlite3_column_bytes(st, 4);
	row.text = sqlite3_column_text(st, 5);
	row.text_len = (size_t)sqlite3_column_bytes(st, 5);
	sprev = sqlite3_column_blob(st, 6);
	if (sqlite3_column_bytes(st, 6) != IXDB_HASH_LEN) {
		found(out, row.seq, "record %lld: its previous hash is %d bytes, not %d",
		      (long long)row.seq, sqlite3_column_bytes(st, 6), IXDB_HASH_LEN);
		return;
	}
	shash = sqlite3_column_blob(st, 7);
	if (sqlite3_column_bytes(st, 7) != IXDB_HASH_LEN) {
		found(out, row.seq, "record %lld: its hash is %d bytes, not %d",
		      (long long)row.seq, sqlite3_column_bytes(st, 7), IXDB_HASH_LEN);
		return;
	}
	if (sodium_memcmp(sprev, prev, IXDB_HASH_LEN) != 0) {
		found(out, row.seq, "record %lld: its link to record %lld is broken (previous hash differs)",
		      (long long)row.seq, (long long)row.seq - 1);
		return;
	}
	if (ixdb_audit_hash(prev, &row, hash) < 0) {
		found(out, row.seq, "record %lld: version %lld cannot be hashed",
		      (long long)row.seq, (long long)row.version);
		return;
	}
	if (sodium_memcmp(hash, shash, IXDB_HASH_LEN) != 0) {
		found(out, row.seq, "record %lld: hash does not match its contents", (long long)row.seq);
		return;
	}
	memcpy(prev, shash, IXDB_HASH_LEN);
}

/* Pass 1: every link. Sets nrecords and *last (the highest seq). */
static int
check_chain(struct ixdb *db, struct ixdb_verify *out, int64_t *last, struct ix_err *err)
{
	unsigned char prev[IXDB_HASH_LEN] = { 0 };
	sqlite3_stmt *st = NULL;
	int rc;

	*last = 0;
	if (sqlite3_prepare_v2(db->sq,
			       "SELECT seq, time_us, version, kind, actor, text, prev, hash "
			       "FROM audit ORDER BY seq", -1, &st, NULL) != SQLITE_OK)
		return ixdb_err_sqlite(db, err, "reading the audit chain");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->nrecords++;
		/* After the first break the rest cannot be trusted; count only. */
		if (out->first_bad == 0)
			check_row(st, out->nrecords, prev, out);
		*last = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return ixdb_err_sqlite(db, err, "reading the audit chain");
	return 0;
}

/* Pass 2: every line of the head file must name a record with that hash. */
static int
check_head(struct ixdb *db, struct ixdb_head_reader *r, int64_t last, struct ixdb_verify *out,
	   struct ix_err *err)
{
	sqlite3_stmt *st = NULL;
	unsigned char hash[IXDB_HASH_LEN];
	int64_t seq;
	int rc;

	if (sqlite3_prepare_v2(db->sq, "SELECT hash FROM audit WHERE seq = ?", -1, &st, NULL) != SQLITE_OK)
		return ixdb_err_sqlite(db, err, "reading the audit chain");
	while ((rc = ixdb_head_next(r, &seq, hash, err)) == 1) {
		if (seq > out->head_seq)
			out->head_seq = seq;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, seq);
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE) {
			if (seq > last)
				found(out, last + 1,
				      "head file says record %lld exists, database ends at record %lld (truncated)",
				      (long long)seq, (long long)last);
			else
				found(out, seq, "head file says record %lld exists, database lacks it",
				      (long long)seq);
		} else if (rc == SQLITE_ROW) {
			char want[2 * IXDB_HASH_LEN + 1], have[2 * IXDB_HASH_LEN + 1] = "(damaged)";

			if (sqlite3_column_bytes(st, 0) == IXDB_HASH_LEN &&
			    sodium_memcmp(sqlite3_column_blob(st, 0), hash, IXDB_HASH_LEN) == 0)
				continue;
			ixdb_hex(hash, want);
			if (sqlite3_column_bytes(st, 0) == IXDB_HASH_LEN)
				ixdb_hex(sqlite3_column_blob(st, 0), have);
			found(out, seq, "head file says record %lld has hash %s, database has %s",
			      (long long)seq, want, have);
		} else {
			ixdb_err_sqlite(db, err, "reading the audit chain");
			rc = -1;
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	if (last > out->head_seq)
		out->head_lag = last - out->head_seq;
	return 0;
}

int
ixdb_audit_verify(struct ixdb *db, const char *head_path, struct ixdb_verify *out,
		  struct ix_err *err)
{
	struct ixdb_head_reader *r = NULL;
	int own = 0, rc = -1, have_head = 0;
	int64_t last;

	memset(out, 0, sizeof *out);
	if (head_path != NULL) {
		/* The reader's buffer is large; keep it off the stack. */
		r = malloc(sizeof *r);
		if (r == NULL)
			return ix_err_set(err, IX_ENOMEM, "audit verify: out of memory");
		switch (ixdb_head_open(r, head_path, err)) {
		case 0:
			have_head = 1;
			break;
		case 1:		/* no file yet: every record is lag */
			break;
		default:
			free(r);
			return -1;
		}
	}
	/* One read transaction, so both passes see the same records. */
	if (!ixdb_in_transaction(db)) {
		if (ixdb_exec_raw(db, "BEGIN DEFERRED", err) < 0)
			goto out;
		own = 1;
	}
	if (check_chain(db, out, &last, err) < 0)
		goto out;
	if (have_head) {
		if (check_head(db, r, last, out, err) < 0)
			goto out;
	} else if (head_path != NULL && last > 0) {
		/* Deleting the head file must not make a rewritten chain pass:
		 * records without any anchor outside the database are broken. */
		found(out, 1, "head file %s is missing but the database holds %lld audit records",
		      head_path, (long long)last);
		out->head_lag = last;
	}
	rc = out->first_bad != 0;
out:
	if (own)
		ixdb_exec_raw(db, "ROLLBACK", NULL);
	if (r != NULL) {
		ixdb_head_close(r);
		free(r);
	}
	return rc;
}
