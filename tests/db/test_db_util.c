/* Fixtures shared by the db/ unit tests (see test_db_util.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/db/test_db_util.h"

char tdb_dir[64];
char tdb_path[256];
char tdb_head[256];

int
tdb_setup(void **state)
{
	(void)state;
	strcpy(tdb_dir, "/tmp/ixkit-test-db-XXXXXX");
	assert_non_null(mkdtemp(tdb_dir));
	snprintf(tdb_path, sizeof tdb_path, "%s/ixkit.db", tdb_dir);
	snprintf(tdb_head, sizeof tdb_head, "%s/audit.head", tdb_dir);
	return 0;
}

int
tdb_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tdb_dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

struct ixdb *
tdb_open(void)
{
	struct ixdb *db = NULL;
	struct ix_err e;

	if (ixdb_open(tdb_path, IXDB_CREATE, &db, &e) < 0)
		fail_msg("ixdb_open: %s", e.msg);
	return db;
}

void
tdb_raw_exec(const char *sql)
{
	sqlite3 *sq;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(tdb_path, &sq), SQLITE_OK);
	if (sqlite3_exec(sq, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(sq);
}
