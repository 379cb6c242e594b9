# Unit tests of privd: its decisions (act.c, list.c).
check_PROGRAMS += tests/privd/test_privd
UNIT_TESTS += tests/privd/test_privd
tests_privd_test_privd_SOURCES = tests/privd/test_privd.c privd/act.c privd/list.c privd/server.h
tests_privd_test_privd_CFLAGS = $(TEST_CFLAGS) $(PCRE2_CFLAGS)
tests_privd_test_privd_LDADD = libauthtree/libauthtree.la liblattice/liblattice.la \
	libixutil/libixutil.la $(PCRE2_LIBS) $(SQLITE_LIBS) $(SODIUM_LIBS) $(TEST_LIBS)


# privd with a compromised worker (forge_worker.c in place of
# privd/worker.c), for privd_forge.sh only: never installed.
check_PROGRAMS += tests/privd/privd-forge
tests_privd_privd_forge_SOURCES = $(PRIVD_MONITOR_SOURCES) tests/privd/forge_worker.c
tests_privd_privd_forge_CFLAGS = $(privd_privd_CFLAGS)
tests_privd_privd_forge_LDADD = $(privd_privd_LDADD)
