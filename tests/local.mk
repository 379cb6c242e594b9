# Shared test infrastructure. Each component lists its own unit tests
# (tests/unit/test_*.c) and fuzz targets in its local.mk, with the helpers
# below.
#
# A fuzz target tests/fuzz/fuzz_X.c defines LLVMFuzzerTestOneInput. Without
# --enable-fuzzing it is linked with tests/fuzz/replay.c and run by make
# check over tests/fuzz/corpus/X/; with it, it is a libFuzzer binary.
EXTRA_DIST += tests/fuzz/corpus
if FUZZING
FUZZ_DRIVER =
FUZZ_LINK = -fsanitize=fuzzer
else
FUZZ_DRIVER = tests/fuzz/replay.c
FUZZ_LINK =
endif

check_PROGRAMS += tests/unit/test_config
UNIT_TESTS += tests/unit/test_config
tests_unit_test_config_SOURCES = tests/unit/test_config.c
tests_unit_test_config_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_config_LDADD = libixutil/libixutil.la $(TEST_LIBS)
include tests/authtree.mk

# The one scenario harness, and its own test: the suite from a clone in a
# 0700 home.
SCENARIO_TESTS += tests/scenario/harness_home0700.sh
EXTRA_DIST += tests/scenario/harness.sh tests/scenario/harness_home0700.sh

# README's first command, typed at through a pty.
SCENARIO_TESTS += tests/scenario/demo.sh
EXTRA_DIST += tests/scenario/demo.sh scripts/demo scripts/demo-world scripts/demo-walkthrough

# sessiond and session end to end: real passwdd and sessiond, a user typing
# in a tmux pane.
SCENARIO_TESTS += tests/scenario/sessiond_basic.sh tests/scenario/sessiond_level.sh
EXTRA_DIST += tests/scenario/sessiond_basic.sh tests/scenario/sessiond_level.sh \
	tests/scenario/sessiond_lib.sh
