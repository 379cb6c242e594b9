# Unit tests of privd: its decisions (act.c, list.c), its own confinement
# and its launcher.
check_PROGRAMS += tests/privd/test_privd
UNIT_TESTS += tests/privd/test_privd
tests_privd_test_privd_SOURCES = tests/privd/test_privd.c privd/act.c privd/list.c privd/server.h
tests_privd_test_privd_CFLAGS = $(TEST_CFLAGS) $(PCRE2_CFLAGS)
tests_privd_test_privd_LDADD = libauthtree/libauthtree.la liblattice/liblattice.la \
	libixutil/libixutil.la $(PCRE2_LIBS) $(SQLITE_LIBS) $(SODIUM_LIBS) $(TEST_LIBS)

# privd's own confinement in forked children: no capability, Landlock,
# seccomp, no network (needs root).
check_PROGRAMS += tests/privd/test_privconfine
UNIT_TESTS += tests/privd/test_privconfine
tests_privd_test_privconfine_SOURCES = tests/privd/test_privconfine.c privd/confine.c \
	privd/confine.h $(CONFINED_TEST_UTIL)
tests_privd_test_privconfine_CFLAGS = $(TEST_CFLAGS) $(PCRE2_CFLAGS) $(SECCOMP_CFLAGS)
tests_privd_test_privconfine_LDADD = $(COMPART_LIBS) libixutil/libixutil.la $(TEST_LIBS)

# privd's launcher asked over a real channel as a compromised worker would
# (needs root).
check_PROGRAMS += tests/privd/test_privlauncher
UNIT_TESTS += tests/privd/test_privlauncher
tests_privd_test_privlauncher_SOURCES = tests/privd/test_privlauncher.c privd/launcher.c \
	privd/lcall.c privd/launcher.h
tests_privd_test_privlauncher_CFLAGS = $(TEST_CFLAGS) $(PCRE2_CFLAGS) $(SQLITE_CFLAGS)
tests_privd_test_privlauncher_LDADD = libauthtree/libauthtree.la $(TERM_LIBS) db/libixdb.la \
	liblattice/liblattice.la libipc/libipc.la libixutil/libixutil.la $(PCRE2_LIBS) \
	$(SQLITE_LIBS) $(SODIUM_LIBS) $(TEST_LIBS)
