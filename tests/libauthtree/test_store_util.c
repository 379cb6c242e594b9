/* Helpers shared by the store and edit tests (see test_store_util.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "libauthtree/store.h"
#include "tests/libauthtree/test_policy_util.h"
#include "tests/libauthtree/test_store_util.h"

int64_t
ts_count(struct ixdb *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n;

	assert_int_equal(sqlite3_prepare_v2(ixdb_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int64_t
ts_generation(struct ixdb *db)
{
	int64_t g = -1;
	struct ix_err e = { 0 };

	assert_int_equal(ixdb_generation(db, &g, &e), 0);
	return g;
}

char *
ts_exported(struct ixdb *db)
{
	struct ix_policy *p = NULL;
	struct ix_err e = { 0 };
	char *s;

	if (ix_store_load(db, &p, &e) != 0)
		fail_msg("ix_store_load: %s", e.msg);
	s = tp_print(p);
	ix_policy_free(p);
	return s;
}
