# pam_passwdd.so (man/pam_passwdd.8), and the check passwdd's PAM backend
# makes so that it never uses a stack that loads it (pam_loop.h).
#
# The tree's libtool builds no shared objects (LT_INIT([disable-shared]),
# and libtool refuses -shared then), and its convenience libraries are
# compiled without -fPIC. So the module is an automake program named
# *.so whose link bypasses libtool (the _LINK override), and it compiles
# the few sources it needs itself, with -fPIC (per-target CFLAGS give
# them their own object files). The version script exports pam_sm_* only.
pam_PROGRAMS = passwdd/pam_passwdd.so
passwdd_pam_passwdd_so_SOURCES = passwdd/pam_passwdd.c \
	passwdd/client.c passwdd/client.h passwdd/proto.h \
	libipc/msg.c libipc/decode.c libipc/io.c libipc/sock.c libipc/banner.c \
	libipc/peer.c libipc/dispatch.c libixutil/ix_err.c libixutil/ix_time.c
passwdd_pam_passwdd_so_CFLAGS = $(AM_CFLAGS) -fPIC -fvisibility=hidden
passwdd_pam_passwdd_so_LDFLAGS = $(AM_LDFLAGS) -shared \
	-Wl,--version-script=$(top_srcdir)/passwdd/pam_passwdd.map
if !SANITIZERS
if !FUZZING
# Every symbol resolved at link time (libc, libpam); the sanitizers'
# runtimes are resolved only when the application loads the module.
passwdd_pam_passwdd_so_LDFLAGS += -Wl,-z,defs
endif
endif
passwdd_pam_passwdd_so_LDADD = -lpam
passwdd_pam_passwdd_so_LINK = $(CCLD) $(passwdd_pam_passwdd_so_CFLAGS) $(CFLAGS) \
	$(passwdd_pam_passwdd_so_LDFLAGS) $(LDFLAGS) -o $@
EXTRA_passwdd_pam_passwdd_so_DEPENDENCIES = passwdd/pam_passwdd.map
EXTRA_DIST += passwdd/pam_passwdd.map

# Walks /etc/pam.d stacks; passwdd links it (its PAM backend).
noinst_LTLIBRARIES += passwdd/libpwpamloop.la
passwdd_libpwpamloop_la_SOURCES = passwdd/pam_loop.c passwdd/pam_loop.h

check_PROGRAMS += tests/unit/test_pam_loop
UNIT_TESTS += tests/unit/test_pam_loop
tests_unit_test_pam_loop_SOURCES = tests/unit/test_pam_loop.c
tests_unit_test_pam_loop_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_pam_loop_LDADD = passwdd/libpwpamloop.la libixutil/libixutil.la $(TEST_LIBS)

if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_pam_loop
else
check_PROGRAMS += tests/fuzz/fuzz_pam_loop
UNIT_TESTS += tests/fuzz/fuzz_pam_loop
endif
tests_fuzz_fuzz_pam_loop_SOURCES = tests/fuzz/fuzz_pam_loop.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_pam_loop_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_pam_loop_LDADD = passwdd/libpwpamloop.la libixutil/libixutil.la

# pamtester drives the built module against the real passwdd as root in a
# private mount namespace (overlay /etc, own /run, a throwaway user).
SCENARIO_TESTS += tests/scenario/pam_passwdd.sh
EXTRA_DIST += tests/scenario/pam_passwdd.sh etc/pam.d/ixkit-passwdd-example
# An application that lives on across calls, counting its descriptors
# and heap (the module must leave nothing behind in login or su).
check_PROGRAMS += tests/scenario/pam_fdleak
tests_scenario_pam_fdleak_SOURCES = tests/scenario/pam_fdleak.c
tests_scenario_pam_fdleak_LDADD = -lpam
