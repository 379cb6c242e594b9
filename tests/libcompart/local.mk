# The compartment kernel's property tests: one program, run natively by
# make check (tier 2) and inside the QEMU guests by make check-vm (tier 1,
# with compartd: vm-test.sh, and the session step vm-session.sh).
# It needs root and creates (and always removes) cgroups under ixkit/.
check_PROGRAMS += tests/libcompart/test_compart
UNIT_TESTS += tests/libcompart/test_compart
tests_libcompart_test_compart_SOURCES = tests/libcompart/test_compart.c \
	tests/libcompart/harness.c tests/libcompart/harness.h \
	tests/libcompart/probe.c tests/libcompart/probe.h
tests_libcompart_test_compart_CFLAGS = $(TEST_CFLAGS) $(LIBCAP_CFLAGS) $(SQLITE_CFLAGS)
tests_libcompart_test_compart_LDADD = $(TERM_LIBS) $(LIBCAP_LIBS) $(TEST_LIBS)
EXTRA_DIST += tests/libcompart/vm-test.sh tests/libcompart/vm-session.sh tests/libcompart/vm-prompt.sh \
	tests/libcompart/vm-licence.sh tests/libcompart/vm-link.sh

# Compartment uids (compart_uid.h): drawn, recorded, released, never
# shared, also by concurrent drawers. Needs root; creates (and removes)
# cgroups under ixkit/.
check_PROGRAMS += tests/libcompart/test_compart_uid
UNIT_TESTS += tests/libcompart/test_compart_uid
tests_libcompart_test_compart_uid_SOURCES = tests/libcompart/test_compart_uid.c
tests_libcompart_test_compart_uid_CFLAGS = $(TEST_CFLAGS)
tests_libcompart_test_compart_uid_LDADD = $(COMPART_LIBS) $(TEST_LIBS)

# A server worker's confinement (workerconf.h): what a taken-over worker
# can no longer do.
check_PROGRAMS += tests/libcompart/test_workerconf
UNIT_TESTS += tests/libcompart/test_workerconf
tests_libcompart_test_workerconf_SOURCES = tests/libcompart/test_workerconf.c
tests_libcompart_test_workerconf_CFLAGS = $(TEST_CFLAGS)
tests_libcompart_test_workerconf_LDADD = $(COMPART_LIBS) $(TEST_LIBS)

# A forked child that confines itself with libcompart (Landlock, seccomp,
# capabilities), looked at from outside: shared by the tests of privd's
# and passwdd's own confinement.
CONFINED_TEST_UTIL = tests/libcompart/test_confined.c tests/libcompart/test_confined.h

# Context-free execution into a run group (cfexec.h), on the shared-memory
# path in a plain build and the fork path in a sanitizer build. Needs root.
check_PROGRAMS += tests/libcompart/test_cfexec
UNIT_TESTS += tests/libcompart/test_cfexec
tests_libcompart_test_cfexec_SOURCES = tests/libcompart/test_cfexec.c
tests_libcompart_test_cfexec_CFLAGS = $(TEST_CFLAGS)
tests_libcompart_test_cfexec_LDADD = $(COMPART_LIBS) $(TEST_LIBS)
