/*
 * What the database remembers of its own audit chain, apart from the rows
 * (table meta, schema 5): its audit id and the number of records ever
 * appended. Both live in the file an attacker with write access edits
 * anyway; they make a deletion need one more edit, and they let the head
 * file and the witness name the database they belong to.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/ixdb_int.h"

/* Reads one meta value into buf (size bytes). Returns 0, or -1
 * (IX_ECORRUPT when the row is missing or too long). */
static int
meta_text(struct ixdb *db, const char *key, char *buf, size_t size, struct ix_err *err)
{
	sqlite3_stmt *st = NULL;
	const unsigned char *v;
	int rc;

	if (sqlite3_prepare_v2(db->sq, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) !=
	    SQLITE_OK)
		return ixdb_err_sqlite(db, err, "reading table meta");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		if (rc == SQLITE_DONE)
			ix_err_set(err, IX_ECORRUPT, "table meta has no %s", key);
		else
			ixdb_err_sqlite(db, err, "reading table meta");
		sqlite3_finalize(st);
		return -1;
	}
	v = sqlite3_column_text(st, 0);
	if (v == NULL || (size_t)sqlite3_column_bytes(st, 0) >= size) {
		sqlite3_finalize(st);
		return ix_err_set(err, IX_ECORRUPT, "table meta: %s is malformed", key);
	}
	memcpy(buf, v, (size_t)sqlite3_column_bytes(st, 0) + 1);
	sqlite3_finalize(st);
	return 0;
}

int
ixdb_audit_meta(struct ixdb *db, char id[IXDB_AUDIT_ID_HEX + 1], int64_t *records,
		struct ix_err *err)
{
	char n[32], *end;

	if (meta_text(db, "audit_id", id, IXDB_AUDIT_ID_HEX + 1, err) < 0)
		return -1;
	if (strlen(id) != IXDB_AUDIT_ID_HEX || strspn(id, "0123456789abcdef") != IXDB_AUDIT_ID_HEX)
		return ix_err_set(err, IX_ECORRUPT, "table meta: audit_id '%s' is not %d hex digits",
				  id, IXDB_AUDIT_ID_HEX);
	if (records == NULL)
		return 0;
	if (meta_text(db, "audit_records", n, sizeof n, err) < 0)
		return -1;
	errno = 0;
	*records = strtoll(n, &end, 10);
	if (end == n || *end != '\0' || errno != 0 || *records < 0)
		return ix_err_set(err, IX_ECORRUPT, "table meta: audit_records '%s' is not a count", n);
	return 0;
}

int
ixdb_audit_meta_raise(struct ixdb *db, int64_t records, struct ix_err *err)
{
	char sql[96];

	/* Never lowered: an append after deleted rows must not make the
	 * count agree with the shortened chain again. */
	snprintf(sql, sizeof sql,
		 "UPDATE meta SET value = '%" PRId64 "' WHERE key = 'audit_records' "
		 "AND CAST(value AS INTEGER) < %" PRId64, records, records);
	return ixdb_exec_raw(db, sql, err);
}
