# The compartment kernel's property tests: one program, run natively by
# make check (tier 2) and inside the QEMU guests by make check-vm (tier 1).
# It needs root and creates (and always removes) cgroups under ixkit/.
check_PROGRAMS += tests/compart/test_compart
UNIT_TESTS += tests/compart/test_compart
tests_compart_test_compart_SOURCES = tests/compart/test_compart.c \
	tests/compart/harness.c tests/compart/harness.h \
	tests/compart/probe.c tests/compart/probe.h
tests_compart_test_compart_CFLAGS = $(TEST_CFLAGS) $(LIBCAP_CFLAGS) $(SQLITE_CFLAGS)
tests_compart_test_compart_LDADD = $(TERM_LIBS) $(LIBCAP_LIBS) $(TEST_LIBS)
EXTRA_DIST += tests/compart/vm-test.sh tests/compart/vm-session.sh

# compartctl as an administrator types it (root, private database).
SCENARIO_TESTS += tests/scenario/compartctl.sh
EXTRA_DIST += tests/scenario/compartctl.sh

# The systemd units in etc/systemd pass systemd-analyze verify.
SCENARIO_TESTS += tests/scenario/systemd_units.sh
EXTRA_DIST += tests/scenario/systemd_units.sh tests/scenario/units_lib.sh

# etc/sysusers.d creates passwdd's user (systemd-sysusers into a private root).
SCENARIO_TESTS += tests/scenario/sysusers.sh
EXTRA_DIST += tests/scenario/sysusers.sh etc/sysusers.d/ixkit.conf
