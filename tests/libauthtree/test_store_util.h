/* Helpers shared by the store and edit tests: what a database holds, as
 * the tests compare it before and after a change. */
#ifndef TEST_STORE_UTIL_H
#define TEST_STORE_UTIL_H

#include <stdint.h>

#include "db/ixdb.h"

/* The single integer a query such as "SELECT count(*) FROM audit" gives. */
int64_t ts_count(struct ixdb *db, const char *sql);

/* The policy generation counter. */
int64_t ts_generation(struct ixdb *db);

/* The stored policy's canonical text (ix_store_load, ix_policy_print);
 * fails the test on error. Caller frees. */
char *ts_exported(struct ixdb *db);

#endif
