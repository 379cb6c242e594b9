# Unit tests of sessiond: session's arguments, the clearance and port
# checks and the writable-directory rules.
check_PROGRAMS += tests/sessiond/test_sessiond
UNIT_TESTS += tests/sessiond/test_sessiond
tests_sessiond_test_sessiond_SOURCES = tests/sessiond/test_sessiond.c sessiond/check.c \
	sessiond/args.c sessiond/writable.c sessiond/check.h sessiond/args.h sessiond/writable.h
tests_sessiond_test_sessiond_CFLAGS = $(TEST_CFLAGS) $(PCRE2_CFLAGS)
tests_sessiond_test_sessiond_LDADD = libauthtree/libauthtree.la $(COMPART_LIBS) \
	liblattice/liblattice.la libixutil/libixutil.la $(PCRE2_LIBS) $(SQLITE_LIBS) \
	$(SODIUM_LIBS) $(TEST_LIBS)

# sessiond with a compromised worker (tests/scenario/sessiond_forged.sh):
# every source of sessiond but its worker, and a worker that sends forged
# messages from a script. Built for make check only, never installed.
check_PROGRAMS += tests/sessiond/sessiond-forged
tests_sessiond_sessiond_forged_SOURCES = $(SESSIOND_MONITOR_SOURCES) tests/sessiond/forged_worker.c
tests_sessiond_sessiond_forged_CPPFLAGS = $(AM_CPPFLAGS) -DIX_DEFAULT_NOSH='"$(bindir)/nosh"'
tests_sessiond_sessiond_forged_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS) $(SQLITE_CFLAGS) $(SODIUM_CFLAGS)
tests_sessiond_sessiond_forged_LDADD = $(SESSIOND_LDADD)

# The worker's request and the monitor's table (sessiond/request.c,
# sessiond/monitor.c).
check_PROGRAMS += tests/sessiond/test_sessiond_mon
UNIT_TESTS += tests/sessiond/test_sessiond_mon
tests_sessiond_test_sessiond_mon_SOURCES = tests/sessiond/test_sessiond_mon.c sessiond/monitor.c \
	sessiond/monitor.h sessiond/request.c sessiond/request.h
tests_sessiond_test_sessiond_mon_CFLAGS = $(TEST_CFLAGS)
tests_sessiond_test_sessiond_mon_LDADD = libipc/libipc.la libixutil/libixutil.la $(TEST_LIBS)
