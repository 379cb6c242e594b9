# The privilege server and its client.
sbin_PROGRAMS += privd/privd
privd_privd_SOURCES = privd/privd.c privd/worker.c privd/request.c privd/act.c privd/apply.c \
	privd/list.c privd/launcher.c privd/lcall.c privd/confine.c privd/apply.h \
	privd/server.h privd/proto.h privd/request.h privd/launcher.h privd/confine.h
privd_privd_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS) $(SQLITE_CFLAGS) $(SODIUM_CFLAGS)
privd_privd_LDADD = passwdd/libpwclient.la libauthtree/libauthtree.la \
	$(TERM_LIBS) db/libixdb.la liblattice/liblattice.la libipc/libipc.la \
	libixutil/libixutil.la $(PCRE2_LIBS) $(SQLITE_LIBS) $(SODIUM_LIBS)

bin_PROGRAMS += privd/priv
privd_priv_SOURCES = privd/priv.c privd/proto.h
privd_priv_LDADD = libipc/libipc.la libixutil/libixutil.la

# privd's scenario: privraw sends the malformed and oversized messages.
check_PROGRAMS += tests/scenario/privraw
tests_scenario_privraw_SOURCES = tests/scenario/privraw.c
tests_scenario_privraw_LDADD = libipc/libipc.la libixutil/libixutil.la
SCENARIO_TESTS += tests/scenario/privd_basic.sh tests/scenario/privd_tcpgateway.sh \
	tests/scenario/privd_label.sh tests/scenario/privd_edit.sh tests/scenario/privd_confine.sh
EXTRA_DIST += tests/scenario/privd_basic.sh tests/scenario/privd_tcpgateway.sh \
	tests/scenario/privd_label.sh tests/scenario/privd_edit.sh tests/scenario/privd_confine.sh \
	tests/scenario/privd_lib.sh

check_PROGRAMS += tests/unit/test_privd
UNIT_TESTS += tests/unit/test_privd
tests_unit_test_privd_SOURCES = tests/unit/test_privd.c privd/act.c privd/list.c privd/server.h
tests_unit_test_privd_CFLAGS = $(TEST_CFLAGS) $(PCRE2_CFLAGS)
tests_unit_test_privd_LDADD = libauthtree/libauthtree.la liblattice/liblattice.la \
	libixutil/libixutil.la $(PCRE2_LIBS) $(SQLITE_LIBS) $(SODIUM_LIBS) $(TEST_LIBS)

# privd's REQUEST parser, shared by the worker and its fuzz target.
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_request
else
check_PROGRAMS += tests/fuzz/fuzz_request
UNIT_TESTS += tests/fuzz/fuzz_request
endif
tests_fuzz_fuzz_request_SOURCES = tests/fuzz/fuzz_request.c privd/request.c privd/request.h \
	$(FUZZ_DRIVER)
tests_fuzz_fuzz_request_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_request_LDADD = libipc/libipc.la libixutil/libixutil.la

# privd's own confinement in forked children: no capability, Landlock,
# seccomp, no network (needs root).
check_PROGRAMS += tests/unit/test_privconfine
UNIT_TESTS += tests/unit/test_privconfine
tests_unit_test_privconfine_SOURCES = tests/unit/test_privconfine.c privd/confine.c \
	privd/confine.h tests/unit/test_confined.c tests/unit/test_confined.h
tests_unit_test_privconfine_CFLAGS = $(TEST_CFLAGS) $(PCRE2_CFLAGS) $(SECCOMP_CFLAGS)
tests_unit_test_privconfine_LDADD = $(COMPART_LIBS) libixutil/libixutil.la $(TEST_LIBS)

# privd's launcher asked over a real channel as a compromised worker would
# (needs root).
check_PROGRAMS += tests/unit/test_privlauncher
UNIT_TESTS += tests/unit/test_privlauncher
tests_unit_test_privlauncher_SOURCES = tests/unit/test_privlauncher.c privd/launcher.c \
	privd/lcall.c privd/launcher.h
tests_unit_test_privlauncher_CFLAGS = $(TEST_CFLAGS) $(PCRE2_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_test_privlauncher_LDADD = libauthtree/libauthtree.la $(TERM_LIBS) db/libixdb.la \
	liblattice/liblattice.la libipc/libipc.la libixutil/libixutil.la $(PCRE2_LIBS) \
	$(SQLITE_LIBS) $(SODIUM_LIBS) $(TEST_LIBS)
