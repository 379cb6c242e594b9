# Unit tests of libauthtree: predicates, the action language, policy text,
# evaluation and its plan, the session decision, edits and the store. The
# helpers in test_policy_util.c are shared by all but the first two, the
# store's fixtures with db's tests.
AUTHTREE_TEST_LIBS = libauthtree/libauthtree.la db/libixdb.la liblattice/liblattice.la \
	libixutil/libixutil.la $(TEST_LIBS) $(PCRE2_LIBS) $(SQLITE_LIBS) $(SODIUM_LIBS)
AUTHTREE_TEST_CFLAGS = $(TEST_CFLAGS) $(PCRE2_CFLAGS) $(SQLITE_CFLAGS) $(SODIUM_CFLAGS)
AUTHTREE_TEST_UTIL = tests/libauthtree/test_policy_util.c tests/libauthtree/test_policy_util.h
# Temporary databases (db's own fixtures) and what they hold.
AUTHTREE_STORE_UTIL = $(DB_TEST_UTIL) \
	tests/libauthtree/test_store_util.c tests/libauthtree/test_store_util.h

check_PROGRAMS += tests/libauthtree/test_pred
UNIT_TESTS += tests/libauthtree/test_pred
tests_libauthtree_test_pred_SOURCES = tests/libauthtree/test_pred.c
tests_libauthtree_test_pred_CFLAGS = $(TEST_CFLAGS) $(PCRE2_CFLAGS)
tests_libauthtree_test_pred_LDADD = libauthtree/libauthtree.la libixutil/libixutil.la \
	$(TEST_LIBS) $(PCRE2_LIBS) -lpthread

check_PROGRAMS += tests/libauthtree/test_action
UNIT_TESTS += tests/libauthtree/test_action
tests_libauthtree_test_action_SOURCES = tests/libauthtree/test_action.c
tests_libauthtree_test_action_CFLAGS = $(TEST_CFLAGS)
tests_libauthtree_test_action_LDADD = libauthtree/libauthtree.la liblattice/liblattice.la \
	libixutil/libixutil.la $(TEST_LIBS)

check_PROGRAMS += tests/libauthtree/test_policy
UNIT_TESTS += tests/libauthtree/test_policy
tests_libauthtree_test_policy_SOURCES = tests/libauthtree/test_policy.c $(AUTHTREE_TEST_UTIL)
tests_libauthtree_test_policy_CFLAGS = $(AUTHTREE_TEST_CFLAGS)
tests_libauthtree_test_policy_LDADD = $(AUTHTREE_TEST_LIBS)

check_PROGRAMS += tests/libauthtree/test_eval
UNIT_TESTS += tests/libauthtree/test_eval
tests_libauthtree_test_eval_SOURCES = tests/libauthtree/test_eval.c $(AUTHTREE_TEST_UTIL)
tests_libauthtree_test_eval_CFLAGS = $(AUTHTREE_TEST_CFLAGS)
tests_libauthtree_test_eval_LDADD = $(AUTHTREE_TEST_LIBS)

check_PROGRAMS += tests/libauthtree/test_edit
UNIT_TESTS += tests/libauthtree/test_edit
tests_libauthtree_test_edit_SOURCES = tests/libauthtree/test_edit.c $(AUTHTREE_TEST_UTIL) \
	$(AUTHTREE_STORE_UTIL)
tests_libauthtree_test_edit_CFLAGS = $(AUTHTREE_TEST_CFLAGS)
tests_libauthtree_test_edit_LDADD = $(AUTHTREE_TEST_LIBS)

check_PROGRAMS += tests/libauthtree/test_store
UNIT_TESTS += tests/libauthtree/test_store
tests_libauthtree_test_store_SOURCES = tests/libauthtree/test_store.c $(AUTHTREE_TEST_UTIL) \
	$(AUTHTREE_STORE_UTIL)
tests_libauthtree_test_store_CFLAGS = $(AUTHTREE_TEST_CFLAGS)
tests_libauthtree_test_store_LDADD = $(AUTHTREE_TEST_LIBS)

check_PROGRAMS += tests/libauthtree/test_plan
UNIT_TESTS += tests/libauthtree/test_plan
tests_libauthtree_test_plan_SOURCES = tests/libauthtree/test_plan.c $(AUTHTREE_TEST_UTIL)
tests_libauthtree_test_plan_CFLAGS = $(AUTHTREE_TEST_CFLAGS)
tests_libauthtree_test_plan_LDADD = $(AUTHTREE_TEST_LIBS)

check_PROGRAMS += tests/libauthtree/test_session
UNIT_TESTS += tests/libauthtree/test_session
tests_libauthtree_test_session_SOURCES = tests/libauthtree/test_session.c $(AUTHTREE_TEST_UTIL)
tests_libauthtree_test_session_CFLAGS = $(AUTHTREE_TEST_CFLAGS)
tests_libauthtree_test_session_LDADD = $(AUTHTREE_TEST_LIBS)

# ix_decide's answers against the old procedure's, kept in a golden file
# (the file's head comment says how it was made).
check_PROGRAMS += tests/libauthtree/test_decide_same
UNIT_TESTS += tests/libauthtree/test_decide_same
tests_libauthtree_test_decide_same_SOURCES = tests/libauthtree/test_decide_same.c \
	$(AUTHTREE_TEST_UTIL)
tests_libauthtree_test_decide_same_CFLAGS = $(AUTHTREE_TEST_CFLAGS)
tests_libauthtree_test_decide_same_LDADD = $(AUTHTREE_TEST_LIBS)
EXTRA_DIST += tests/libauthtree/decide_same.golden tests/libauthtree/decide_same.demo.policy
