/*
 * Schema migrations: one PRAGMA user_version sequence, forward only.
 *
 * Each entry takes the database from version - 1 to version. All pending
 * entries and the new user_version are applied in one transaction, so a
 * crash leaves the old schema or the new one. A file whose version is newer
 * than the last entry was written by a newer build and is refused: this
 * build would not know what its tables mean.
 */
#include <stddef.h>
#include <stdio.h>

#include "db/ixdb_int.h"

/* Generated from db/schema-vN.sql at build time (db/local.mk). */
static const char schema_v1[] =
#include "db/schema-v1.h"
	;
static const char schema_v2[] =
#include "db/schema-v2.h"
	;
static const char schema_v3[] =
#include "db/schema-v3.h"
	;
static const char schema_v4[] =
#include "db/schema-v4.h"
	;
static const char schema_v5[] =
#include "db/schema-v5.h"
	;
static const char schema_v6[] =
#include "db/schema-v6.h"
	;

struct migration {
	int version;		/* user_version after this step */
	const char *sql;	/* statements of the step */
};

static const struct migration migrations[] = {
	{ 1, schema_v1 },
	{ 2, schema_v2 },
	{ 3, schema_v3 },
	{ 4, schema_v4 },
	{ 5, schema_v5 },
	{ 6, schema_v6 },
};

#define NMIGRATIONS (sizeof migrations / sizeof migrations[0])

_Static_assert(NMIGRATIONS > 0 && IXDB_SCHEMA_VERSION == 6,
	       "IXDB_SCHEMA_VERSION must be the last migration's version");

int
ixdb_read_user_version(struct ixdb *db, int *out, struct ix_err *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db->sq, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return ixdb_err_sqlite(db, err, "reading the schema version");
	if (sqlite3_step(st) != SQLITE_ROW) {
		ixdb_err_sqlite(db, err, "reading the schema version");
		sqlite3_finalize(st);
		return -1;
	}
	*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

static int
check_version(int v, int readonly, struct ix_err *err)
{
	if (v > IXDB_SCHEMA_VERSION)
		return ix_err_set(err, IX_EVERSION, "database schema %d is newer than this build's %d",
				  v, IXDB_SCHEMA_VERSION);
	if (v < 0)
		return ix_err_set(err, IX_ECORRUPT, "database schema version %d is negative", v);
	if (v < IXDB_SCHEMA_VERSION && readonly)
		return ix_err_set(err, IX_EVERSION,
				  "database schema %d is older than this build's %d; open it read-write once to migrate",
				  v, IXDB_SCHEMA_VERSION);
	return 0;
}

int
ixdb_migrate(struct ixdb *db, struct ix_err *err)
{
	char sql[64];
	int v;

	if (ixdb_read_user_version(db, &v, err) < 0 || check_version(v, db->readonly, err) < 0)
		return -1;
	if (v == IXDB_SCHEMA_VERSION)
		return 0;
	if (ixdb_begin(db, err) < 0)
		return -1;
	/* Another process may have migrated between the read and the lock. */
	if (ixdb_read_user_version(db, &v, err) < 0 || check_version(v, 0, err) < 0)
		goto fail;
	for (size_t i = 0; i < NMIGRATIONS; i++) {
		if (migrations[i].version <= v)
			continue;
		if (ixdb_exec_raw(db, migrations[i].sql, err) < 0) {
			ix_err_prefix(err, "migrating to schema %d", migrations[i].version);
			goto fail;
		}
	}
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", IXDB_SCHEMA_VERSION);
	if (ixdb_exec_raw(db, sql, err) < 0 || ixdb_commit(db, err) < 0)
		goto fail;
	return 0;
fail:
	ixdb_rollback(db);
	return -1;
}
