# Unit tests of libterm.
check_PROGRAMS += tests/libterm/test_streamid
UNIT_TESTS += tests/libterm/test_streamid
tests_libterm_test_streamid_SOURCES = tests/libterm/test_streamid.c
tests_libterm_test_streamid_CFLAGS = $(TEST_CFLAGS)
tests_libterm_test_streamid_LDADD = $(TERM_LIBS) $(TEST_LIBS)

# pex and the prompts on real ptys, real sessions and real holders;
# changes dev.tty.legacy_tiocsti and puts it back. Needs root.
check_PROGRAMS += tests/libterm/test_pex
UNIT_TESTS += tests/libterm/test_pex
tests_libterm_test_pex_SOURCES = tests/libterm/test_pex.c
tests_libterm_test_pex_CFLAGS = $(TEST_CFLAGS)
tests_libterm_test_pex_LDADD = $(TERM_LIBS) $(TEST_LIBS)
