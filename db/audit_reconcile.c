/*
 * Bringing the head file up to the chain when a writer starts.
 *
 * A head line is written after its record's commit, so a crash (or a
 * failed write) can leave the head file a few records short. Before
 * anyone calls a short head damage, the next writer (privd's start,
 * privtree's writing commands) appends the missing lines from the chain:
 * at most IXDB_HEAD_LAG_MAX of them, and only when the head's last line
 * matches the chain. Anything else (a missing or emptied head file of a
 * database that has held records, a head beyond the chain, a head of
 * another database, a longer gap) is left exactly as found: repairing it
 * would hide what was done. It also gives a head file written before
 * schema 5 its header. The write lock is held throughout, so no other
 * writer commits meanwhile; a writer that committed just before may
 * still append its own line, which then stands twice (harmless: both
 * name the same record and hash).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/audit_head.h"
#include "db/ixdb_int.h"

/* Reads the hashes of records from+1 .. to into heads. Returns 0 or -1. */
static int
chain_lines(struct ixdb *db, int64_t from, int64_t to, struct ixdb_pending_head *heads,
	    struct ix_err *err)
{
	sqlite3_stmt *st = NULL;
	int64_t want = from + 1;
	int rc;

	if (sqlite3_prepare_v2(db->sq, "SELECT seq, hash FROM audit WHERE seq > ? AND seq <= ? "
			       "ORDER BY seq", -1, &st, NULL) != SQLITE_OK)
		return ixdb_err_sqlite(db, err, "reading the audit chain");
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_int64(st, 0) != want || sqlite3_column_bytes(st, 1) != IXDB_HASH_LEN)
			break;
		heads[want - from - 1].seq = want;
		memcpy(heads[want - from - 1].hash, sqlite3_column_blob(st, 1), IXDB_HASH_LEN);
		want++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return ixdb_err_sqlite(db, err, "reading the audit chain");
	if (want != to + 1)
		return ix_err_set(err, IX_ECORRUPT, "audit record %lld is missing or damaged; "
				  "not extending the head file", (long long)want);
	return 0;
}

/* Whether record seq has hash. Returns 1, 0, or -1. */
static int
chain_has(struct ixdb *db, int64_t seq, const unsigned char hash[IXDB_HASH_LEN],
	  struct ix_err *err)
{
	struct ixdb_pending_head h;

	if (chain_lines(db, seq - 1, seq, &h, err) < 0)
		return -1;
	return memcmp(h.hash, hash, IXDB_HASH_LEN) == 0;
}

/* Reads the head file to its end: its last seq and hash (0 when none). */
static int
head_end(struct ixdb_head_reader *r, int64_t *seq, unsigned char hash[IXDB_HASH_LEN],
	 struct ix_err *err)
{
	unsigned char h[IXDB_HASH_LEN];
	int64_t s;
	int rc;

	*seq = 0;
	while ((rc = ixdb_head_next(r, &s, h, err)) == 1)
		if (s > *seq) {
			*seq = s;
			memcpy(hash, h, IXDB_HASH_LEN);
		}
	return rc;
}

/* The head file r (open) against the chain ending at last. Returns the
 * number of lines to append (0 .. IXDB_HEAD_LAG_MAX) in *lag and the
 * head's end in *from, or -1 when the two disagree (IX_ECORRUPT). */
static int
measure(struct ixdb *db, struct ixdb_head_reader *r, const char *id, int64_t last,
	int64_t *from, int64_t *lag, struct ix_err *err)
{
	unsigned char hash[IXDB_HASH_LEN];
	int rc;

	if (head_end(r, from, hash, err) < 0)
		return -1;
	if (r->format == 0)
		return ix_err_set(err, IX_ECORRUPT, "audit head file %s is empty but the database "
				  "has held records; not rewriting it", r->path);
	if (r->format == 2 && strcmp(r->id, id) != 0)
		return ix_err_set(err, IX_ECORRUPT, "audit head file %s belongs to the database "
				  "with audit id %s, not to this one (%s)", r->path, r->id, id);
	if (*from > last)
		return ix_err_set(err, IX_ECORRUPT, "audit head file %s names record %lld, the "
				  "chain ends at %lld (truncated); not touching it", r->path,
				  (long long)*from, (long long)last);
	if (*from > 0 && (rc = chain_has(db, *from, hash, err)) <= 0)
		return rc < 0 ? -1 : ix_err_set(err, IX_ECORRUPT, "audit head file %s and the chain "
						 "differ at record %lld; not extending it",
						 r->path, (long long)*from);
	*lag = last - *from;
	if (*lag > IXDB_HEAD_LAG_MAX)
		return ix_err_set(err, IX_ECORRUPT, "audit head file %s ends at record %lld, the "
				  "chain at %lld: more than %d records short, it was cut; not "
				  "extending it", r->path, (long long)*from, (long long)last,
				  IXDB_HEAD_LAG_MAX);
	return 0;
}

/* Under the write lock: everything but the lock. */
static int
reconcile(struct ixdb *db, const char *path, struct ixdb_head_reader *r,
	  struct ixdb_reconcile *out, struct ix_err *err)
{
	struct ixdb_pending_head heads[IXDB_HEAD_LAG_MAX];
	unsigned char tail[IXDB_HASH_LEN];
	char id[IXDB_AUDIT_ID_HEX + 1];
	int64_t ever, last = 0, lag = 0;
	int rc;

	memset(heads, 0, sizeof heads);
	if (ixdb_audit_meta(db, id, &ever, err) < 0 || ixdb_audit_tail(db, &last, tail, err) < 0)
		return -1;
	rc = ixdb_head_open(r, path, err);
	if (rc < 0)
		return -1;
	if (rc == 1 || r->limit == 0) {
		if (ever > 0 || last > 0)
			return ix_err_set(err, IX_ECORRUPT, "audit head file %s is %s but the database "
					  "has held %lld records; not recreating it", path,
					  rc == 1 ? "missing" : "empty",
					  (long long)(ever > last ? ever : last));
		out->created = 1;
		return ixdb_head_create(path, id, -1, NULL, 0, rc == 0, err) < 0 ? -1 : 0;
	}
	if (measure(db, r, id, last, &out->from, &lag, err) < 0 ||
	    (lag > 0 && chain_lines(db, out->from, last, heads, err) < 0))
		return -1;
	out->extended = lag;
	if (r->format == 1) {
		out->upgraded = 1;
		return ixdb_head_create(path, id, r->fd, heads, (size_t)lag, 1, err) < 0 ? -1 : 0;
	}
	return lag > 0 ? ixdb_head_append(path, NULL, heads, (size_t)lag, err) : 0;
}

int
ixdb_audit_reconcile(struct ixdb *db, const char *head_path, struct ixdb_reconcile *out,
		     struct ix_err *err)
{
	struct ixdb_head_reader *r;
	int rc;

	memset(out, 0, sizeof *out);
	if (head_path == NULL || head_path[0] == '\0')
		return ix_err_set(err, IX_EINVAL, "empty audit head path");
	/* The reader's buffer is large; keep it off the stack. */
	r = malloc(sizeof *r);
	if (r == NULL)
		return ix_err_set(err, IX_ENOMEM, "audit reconcile: out of memory");
	r->fd = -1;
	if (ixdb_begin(db, err) < 0) {
		free(r);
		return -1;
	}
	rc = reconcile(db, head_path, r, out, err);
	ixdb_rollback(db);	/* nothing was written to the database */
	ixdb_head_close(r);
	free(r);
	return rc;
}
