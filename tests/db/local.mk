# Unit tests of db/: the database, its label encodings and the audit chain.
# test_db_util.c (a fresh database per test) is shared with the tests of
# libauthtree's store.
DB_TEST_UTIL = tests/db/test_db_util.c tests/db/test_db_util.h

check_PROGRAMS += tests/db/test_db
UNIT_TESTS += tests/db/test_db
tests_db_test_db_SOURCES = tests/db/test_db.c $(DB_TEST_UTIL)
tests_db_test_db_CFLAGS = $(TEST_CFLAGS) $(SQLITE_CFLAGS)
tests_db_test_db_LDADD = db/libixdb.la liblattice/liblattice.la libixutil/libixutil.la \
	$(TEST_LIBS) $(SQLITE_LIBS)

check_PROGRAMS += tests/db/test_db_audit
UNIT_TESTS += tests/db/test_db_audit
tests_db_test_db_audit_SOURCES = tests/db/test_db_audit.c $(DB_TEST_UTIL)
tests_db_test_db_audit_CFLAGS = $(TEST_CFLAGS) $(SQLITE_CFLAGS) $(SODIUM_CFLAGS)
tests_db_test_db_audit_LDADD = db/libixdb.la libixutil/libixutil.la $(TEST_LIBS) \
	$(SQLITE_LIBS) $(SODIUM_LIBS)
