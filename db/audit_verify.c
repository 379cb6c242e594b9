/*
 * Verifying the audit chain: recompute every link, then hold the database
 * against the head file and against what it remembers of itself.
 *
 * The head file is opened (and its size fixed) before the database
 * snapshot is taken: a writer appends a head line only after its commit,
 * so every line within that size names a record the snapshot contains,
 * and one naming a record beyond the chain's end means truncation. Lines
 * appended while the chain is read are read too, but only those naming
 * records of the snapshot count (a later line is a newer commit): so a
 * writer running beside verify does not show up as lag.
 * Both passes stream, so memory stays bounded however long the chain is.
 */
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/audit_head.h"
#include "db/ixdb_int.h"

void
ixdb_finding(int64_t *first_bad, char *reason, size_t size, int64_t seq, const char *fmt,
	     va_list ap)
{
	if (*first_bad != 0 && *first_bad <= seq)
		return;
	*first_bad = seq;
	vsnprintf(reason, size, fmt, ap);
}

static void
found(struct ixdb_verify *out, int64_t seq, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
found(struct ixdb_verify *out, int64_t seq, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ixdb_finding(&out->first_bad, out->reason, sizeof out->reason, seq, fmt, ap);
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
		if (sqlite3_column_bytes(st, 7) == IXDB_HASH_LEN)
			ixdb_hex(sqlite3_column_blob(st, 7), out->chain_hex);
		else
			snprintf(out->chain_hex, sizeof out->chain_hex, "(damaged)");
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
	off_t snapshot_end = r->limit;
	int64_t seq;
	int rc;

	if (ixdb_head_extend(r, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(db->sq, "SELECT hash FROM audit WHERE seq = ?", -1, &st, NULL) != SQLITE_OK)
		return ixdb_err_sqlite(db, err, "reading the audit chain");
	while ((rc = ixdb_head_next(r, &seq, hash, err)) == 1) {
		if (r->line_start >= snapshot_end && seq > last)
			continue;	/* committed after the snapshot */
		if (seq > out->head_seq) {
			out->head_seq = seq;
			ixdb_hex(hash, out->head_hex);
		}
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
	out->head_state = r->format == 2 ? IXDB_HEAD_OK : r->format == 1 ? IXDB_HEAD_OLD
									  : IXDB_HEAD_EMPTY;
	if (last > out->head_seq)
		out->head_lag = last - out->head_seq;
	return 0;
}

/*
 * What the head file and table meta say against the chain, once the lines
 * are checked. last is the chain's last seq.
 */
static void
check_anchors(const char *head_path, const struct ixdb_head_reader *r, int64_t last,
	      struct ixdb_verify *out)
{
	int64_t ever = out->ever > last ? out->ever : last;

	/* Every record is counted in meta in its own transaction: any
	 * difference is an edit, and a higher count names deleted rows. */
	if (out->ever > last)
		found(out, last + 1, "the database has held %lld audit records but its chain ends at "
		      "record %lld: records %lld to %lld were deleted",
		      (long long)out->ever, (long long)last, (long long)last + 1, (long long)out->ever);
	else if (out->ever < last)
		found(out, out->ever + 1, "table meta counts %lld audit records but the chain holds %lld: "
		      "the count was edited", (long long)out->ever, (long long)last);
	/* ixkit creates the head file whole, header included: an empty one
	 * was emptied, whatever the database now says of itself. */
	if (out->head_state == IXDB_HEAD_EMPTY) {
		found(out, 1, "head file %s is empty (ixkit never leaves it without its header) and "
		      "the database has held %lld audit records: it was emptied",
		      head_path, (long long)ever);
		return;
	}
	if (head_path == NULL || ever == 0)
		return;		/* nothing was ever anchored */
	switch (out->head_state) {
	case IXDB_HEAD_MISSING:
		if (last > 0)
			found(out, 1, "head file %s is missing but the database holds %lld audit records",
			      head_path, (long long)last);
		else
			found(out, 1, "head file %s is missing and the database, which has held %lld "
			      "audit records, holds none: both were erased", head_path, (long long)ever);
		return;
	case IXDB_HEAD_OK:
		if (strcmp(r->id, out->id) != 0)
			found(out, 1, "head file %s belongs to the database with audit id %s; this "
			      "database's is %s", head_path, r->id, out->id);
		break;
	default:
		break;
	}
	if (out->head_lag > IXDB_HEAD_LAG_MAX)
		found(out, out->head_seq + 1, "head file %s ends at record %lld, the chain at %lld: "
		      "%lld records without a head line, more than the %d a crash can leave: "
		      "the head file was cut", head_path, (long long)out->head_seq, (long long)last,
		      (long long)out->head_lag, IXDB_HEAD_LAG_MAX);
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
		case 1:
			out->head_state = IXDB_HEAD_MISSING;
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
	if (ixdb_audit_meta(db, out->id, &out->ever, err) < 0 ||
	    check_chain(db, out, &last, err) < 0)
		goto out;
	if (have_head && check_head(db, r, last, out, err) < 0)
		goto out;
	if (head_path != NULL && !have_head)
		out->head_lag = last;
	check_anchors(head_path, r, last, out);
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
