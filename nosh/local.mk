# nosh, the no-surprise shell (issue 7). It links only libixutil (errors),
# libcap and libedit: a boot shell must not need any ixkit daemon.
noinst_LTLIBRARIES += nosh/libnosh.la
nosh_libnosh_la_SOURCES = \
	nosh/parse.c nosh/parse.h \
	nosh/exec.c nosh/exec.h \
	nosh/outfile.c nosh/outfile.h \
	nosh/priv.c nosh/priv.h
nosh_libnosh_la_CFLAGS = $(AM_CFLAGS) $(LIBCAP_CFLAGS)
nosh_libnosh_la_LIBADD = libixutil/libixutil.la $(LIBCAP_LIBS)

bin_PROGRAMS += nosh/nosh
nosh_nosh_SOURCES = nosh/main.c nosh/interactive.c nosh/interactive.h
nosh_nosh_CFLAGS = $(AM_CFLAGS) $(LIBEDIT_CFLAGS)
nosh_nosh_LDADD = nosh/libnosh.la $(LIBEDIT_LIBS)
dist_man_MANS += man/nosh.1
EXTRA_DIST += nosh/GRAMMAR.md

check_PROGRAMS += tests/unit/test_nosh_parse
UNIT_TESTS += tests/unit/test_nosh_parse
tests_unit_test_nosh_parse_SOURCES = tests/unit/test_nosh_parse.c
tests_unit_test_nosh_parse_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_nosh_parse_LDADD = nosh/libnosh.la $(TEST_LIBS)

check_PROGRAMS += tests/unit/test_nosh_outfile
UNIT_TESTS += tests/unit/test_nosh_outfile
tests_unit_test_nosh_outfile_SOURCES = tests/unit/test_nosh_outfile.c
tests_unit_test_nosh_outfile_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_nosh_outfile_LDADD = nosh/libnosh.la $(TEST_LIBS)

if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_nosh
else
check_PROGRAMS += tests/fuzz/fuzz_nosh
UNIT_TESTS += tests/fuzz/fuzz_nosh
endif
tests_fuzz_fuzz_nosh_SOURCES = tests/fuzz/fuzz_nosh.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_nosh_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_nosh_LDADD = nosh/libnosh.la

# Scenario tests run the built nosh on real scripts (nosh_caps.sh as root).
NOSH_SCENARIOS = \
	tests/scenario/nosh_errexit.sh tests/scenario/nosh_syntax.sh \
	tests/scenario/nosh_redirect.sh tests/scenario/nosh_env.sh \
	tests/scenario/nosh_caps.sh tests/scenario/nosh_interactive.sh
SCENARIO_TESTS += $(NOSH_SCENARIOS)
EXTRA_DIST += $(NOSH_SCENARIOS) tests/scenario/nosh_lib.sh

# make bench-nosh: startup-to-exit time of nosh against dash and execlineb.
noinst_PROGRAMS += bench/nosh_bench
bench_nosh_bench_SOURCES = bench/nosh_bench.c
.PHONY: bench-nosh
bench-nosh: bench/nosh_bench$(EXEEXT) nosh/nosh$(EXEEXT)
	bench/nosh_bench$(EXEEXT) nosh/nosh$(EXEEXT)
