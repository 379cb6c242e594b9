# Unit tests of nosh: its parser and the opening of redirection targets.
check_PROGRAMS += tests/nosh/test_nosh_parse
UNIT_TESTS += tests/nosh/test_nosh_parse
tests_nosh_test_nosh_parse_SOURCES = tests/nosh/test_nosh_parse.c
tests_nosh_test_nosh_parse_CFLAGS = $(TEST_CFLAGS)
tests_nosh_test_nosh_parse_LDADD = nosh/libnosh.la $(TEST_LIBS)

check_PROGRAMS += tests/nosh/test_nosh_outfile
UNIT_TESTS += tests/nosh/test_nosh_outfile
tests_nosh_test_nosh_outfile_SOURCES = tests/nosh/test_nosh_outfile.c
tests_nosh_test_nosh_outfile_CFLAGS = $(TEST_CFLAGS)
tests_nosh_test_nosh_outfile_LDADD = nosh/libnosh.la $(TEST_LIBS)
