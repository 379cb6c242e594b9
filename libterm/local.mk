# libterm: the terminal and the private path, above the compartment
# kernel's interface: stream identifiers (streamid.h), who holds a
# terminal open (ttyholders.h), the private path check (pex.h), the
# password and confirmation prompts (prompt.h) and terminal labels
# (tty.h, through libcompart's tier 1 maps).
noinst_LTLIBRARIES += libterm/libterm.la
libterm_libterm_la_SOURCES = \
	libterm/streamid.h libterm/streamid.c \
	libterm/ttyholders.h libterm/ttyholders.c \
	libterm/pex.h libterm/pex.c \
	libterm/prompt.h libterm/prompt.c \
	libterm/tty.h libterm/tty.c
libterm_libterm_la_LIBADD = libcompart/libcompart.la

# Everything a program needs to link libterm.
TERM_LIBS = libterm/libterm.la $(COMPART_LIBS)

check_PROGRAMS += tests/unit/test_streamid
UNIT_TESTS += tests/unit/test_streamid
tests_unit_test_streamid_SOURCES = tests/unit/test_streamid.c
tests_unit_test_streamid_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_streamid_LDADD = $(TERM_LIBS) $(TEST_LIBS)

# Real ptys, real sessions and real holders; changes dev.tty.legacy_tiocsti
# and puts it back. Needs root.
check_PROGRAMS += tests/unit/test_pex
UNIT_TESTS += tests/unit/test_pex
tests_unit_test_pex_SOURCES = tests/unit/test_pex.c
tests_unit_test_pex_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_pex_LDADD = $(TERM_LIBS) $(TEST_LIBS)
