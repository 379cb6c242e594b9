# Tests of libauthtree (policy text, evaluation, edits, store) and of the
# privtree CLI. The helpers in test_policy_util.c are shared by all four.
AUTHTREE_TEST_LIBS = libauthtree/libauthtree.la db/libixdb.la liblattice/liblattice.la \
	libixutil/libixutil.la $(TEST_LIBS) $(PCRE2_LIBS) $(SQLITE_LIBS) $(SODIUM_LIBS)
AUTHTREE_TEST_CFLAGS = $(TEST_CFLAGS) $(PCRE2_CFLAGS) $(SQLITE_CFLAGS) $(SODIUM_CFLAGS)
AUTHTREE_TEST_UTIL = tests/unit/test_policy_util.c tests/unit/test_policy_util.h
# Temporary databases (db's own fixtures) and what they hold.
AUTHTREE_STORE_UTIL = tests/unit/test_db_util.c tests/unit/test_db_util.h \
	tests/unit/test_store_util.c tests/unit/test_store_util.h

check_PROGRAMS += tests/unit/test_policy
UNIT_TESTS += tests/unit/test_policy
tests_unit_test_policy_SOURCES = tests/unit/test_policy.c $(AUTHTREE_TEST_UTIL)
tests_unit_test_policy_CFLAGS = $(AUTHTREE_TEST_CFLAGS)
tests_unit_test_policy_LDADD = $(AUTHTREE_TEST_LIBS)

check_PROGRAMS += tests/unit/test_eval
UNIT_TESTS += tests/unit/test_eval
tests_unit_test_eval_SOURCES = tests/unit/test_eval.c $(AUTHTREE_TEST_UTIL)
tests_unit_test_eval_CFLAGS = $(AUTHTREE_TEST_CFLAGS)
tests_unit_test_eval_LDADD = $(AUTHTREE_TEST_LIBS)

check_PROGRAMS += tests/unit/test_edit
UNIT_TESTS += tests/unit/test_edit
tests_unit_test_edit_SOURCES = tests/unit/test_edit.c $(AUTHTREE_TEST_UTIL) \
	$(AUTHTREE_STORE_UTIL)
tests_unit_test_edit_CFLAGS = $(AUTHTREE_TEST_CFLAGS)
tests_unit_test_edit_LDADD = $(AUTHTREE_TEST_LIBS)

check_PROGRAMS += tests/unit/test_store
UNIT_TESTS += tests/unit/test_store
tests_unit_test_store_SOURCES = tests/unit/test_store.c $(AUTHTREE_TEST_UTIL) \
	$(AUTHTREE_STORE_UTIL)
tests_unit_test_store_CFLAGS = $(AUTHTREE_TEST_CFLAGS)
tests_unit_test_store_LDADD = $(AUTHTREE_TEST_LIBS)

# The privtree CLI as an administrator uses it (needs the sqlite3 tool).
SCENARIO_TESTS += tests/scenario/privtree.sh
EXTRA_DIST += tests/scenario/privtree.sh

if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_policy
else
check_PROGRAMS += tests/fuzz/fuzz_policy
UNIT_TESTS += tests/fuzz/fuzz_policy
endif
tests_fuzz_fuzz_policy_SOURCES = tests/fuzz/fuzz_policy.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_policy_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS)
tests_fuzz_fuzz_policy_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_policy_LDADD = libauthtree/libauthtree.la liblattice/liblattice.la \
	libixutil/libixutil.la $(PCRE2_LIBS)
