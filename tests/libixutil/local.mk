# Unit tests of libixutil.
check_PROGRAMS += tests/libixutil/test_config
UNIT_TESTS += tests/libixutil/test_config
tests_libixutil_test_config_SOURCES = tests/libixutil/test_config.c
tests_libixutil_test_config_CFLAGS = $(TEST_CFLAGS)
tests_libixutil_test_config_LDADD = libixutil/libixutil.la $(TEST_LIBS)
