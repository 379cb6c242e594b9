/* Fixtures shared by the db/ unit tests: a fresh directory per test with
 * the database and head file paths inside it. */
#ifndef TEST_DB_UTIL_H
#define TEST_DB_UTIL_H

#include "db/ixdb.h"

extern char tdb_dir[64];	/* this test's directory under /tmp */
extern char tdb_path[256];	/* tdb_dir/ixkit.db */
extern char tdb_head[256];	/* tdb_dir/audit.head */

int tdb_setup(void **state);		/* cmocka setup: makes tdb_dir */
int tdb_teardown(void **state);		/* cmocka teardown: removes it */

/* ixdb_open(tdb_path, IXDB_CREATE); fails the test on error. */
struct ixdb *tdb_open(void);

/* Runs sql on a separate plain sqlite connection, as another tool (or
 * someone with write access to the file) would. */
void tdb_raw_exec(const char *sql);

#endif
