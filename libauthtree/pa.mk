# Predicate and action-language parsers of libauthtree (pred.h, action.h).
libauthtree_libauthtree_la_SOURCES += \
	libauthtree/pred_int.h libauthtree/pred_user.h \
	libauthtree/pred.c libauthtree/pred_print.c libauthtree/pred_eval.c \
	libauthtree/pred_user.c

check_PROGRAMS += tests/unit/test_pred
UNIT_TESTS += tests/unit/test_pred
tests_unit_test_pred_SOURCES = tests/unit/test_pred.c
tests_unit_test_pred_CFLAGS = $(TEST_CFLAGS) $(PCRE2_CFLAGS)
tests_unit_test_pred_LDADD = libauthtree/libauthtree.la libixutil/libixutil.la \
	$(TEST_LIBS) $(PCRE2_LIBS) -lpthread

if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_pred
else
check_PROGRAMS += tests/fuzz/fuzz_pred
UNIT_TESTS += tests/fuzz/fuzz_pred
endif
tests_fuzz_fuzz_pred_SOURCES = tests/fuzz/fuzz_pred.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_pred_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS)
tests_fuzz_fuzz_pred_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_pred_LDADD = libauthtree/libauthtree.la libixutil/libixutil.la $(PCRE2_LIBS)

libauthtree_libauthtree_la_SOURCES += \
	libauthtree/action_int.h libauthtree/action.c libauthtree/action_check.c \
	libauthtree/action_subst.c libauthtree/action_print.c

check_PROGRAMS += tests/unit/test_action
UNIT_TESTS += tests/unit/test_action
tests_unit_test_action_SOURCES = tests/unit/test_action.c
tests_unit_test_action_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_action_LDADD = libauthtree/libauthtree.la liblattice/liblattice.la \
	libixutil/libixutil.la $(TEST_LIBS)

if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_action
else
check_PROGRAMS += tests/fuzz/fuzz_action
UNIT_TESTS += tests/fuzz/fuzz_action
endif
tests_fuzz_fuzz_action_SOURCES = tests/fuzz/fuzz_action.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_action_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_action_LDADD = libauthtree/libauthtree.la liblattice/liblattice.la \
	libixutil/libixutil.la
