# passwdd's prompts (prompt.h): the classical secret over a private path
# and the one-time code over any descriptor. A convenience library that
# passwdd links (passwdd/local.mk) together with $(COMPART_LIBS), where
# pex lives.
noinst_LTLIBRARIES += passwdd/libpwprompt.la
passwdd_libpwprompt_la_SOURCES = passwdd/prompt.c passwdd/prompt.h

# Real ptys, real sessions and real holders; changes dev.tty.legacy_tiocsti
# and puts it back. Needs root.
check_PROGRAMS += tests/unit/test_pex
UNIT_TESTS += tests/unit/test_pex
tests_unit_test_pex_SOURCES = tests/unit/test_pex.c
tests_unit_test_pex_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_pex_LDADD = passwdd/libpwprompt.la $(COMPART_LIBS) $(TEST_LIBS)
