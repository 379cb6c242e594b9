# Unit tests of passwdd: one-time codes, the secrets store, lockout, tags,
# the PAM stack walk and passwdd's own confinement.
PW_TEST_LIBS = passwdd/libpwstore.la libixutil/libixutil.la $(SQLITE_LIBS) $(SODIUM_LIBS) \
	$(TEST_LIBS)
PW_TEST_UTIL = tests/passwdd/test_pw_util.c tests/passwdd/test_pw_util.h

check_PROGRAMS += tests/passwdd/test_otp
UNIT_TESTS += tests/passwdd/test_otp
tests_passwdd_test_otp_SOURCES = tests/passwdd/test_otp.c
tests_passwdd_test_otp_CFLAGS = $(TEST_CFLAGS) $(SODIUM_CFLAGS)
tests_passwdd_test_otp_LDADD = $(PW_TEST_LIBS)

check_PROGRAMS += tests/passwdd/test_pwstore
UNIT_TESTS += tests/passwdd/test_pwstore
tests_passwdd_test_pwstore_SOURCES = tests/passwdd/test_pwstore.c $(PW_TEST_UTIL)
tests_passwdd_test_pwstore_CFLAGS = $(TEST_CFLAGS) $(SODIUM_CFLAGS) $(SQLITE_CFLAGS)
tests_passwdd_test_pwstore_LDADD = $(PW_TEST_LIBS)

# Reserved attempts, the budget's window, unlock and the schema 1 migration.
check_PROGRAMS += tests/passwdd/test_pwattempts
UNIT_TESTS += tests/passwdd/test_pwattempts
tests_passwdd_test_pwattempts_SOURCES = tests/passwdd/test_pwattempts.c $(PW_TEST_UTIL)
tests_passwdd_test_pwattempts_CFLAGS = $(TEST_CFLAGS) $(SODIUM_CFLAGS) $(SQLITE_CFLAGS)
tests_passwdd_test_pwattempts_LDADD = $(PW_TEST_LIBS)

check_PROGRAMS += tests/passwdd/test_lockout
UNIT_TESTS += tests/passwdd/test_lockout
tests_passwdd_test_lockout_SOURCES = tests/passwdd/test_lockout.c $(PW_TEST_UTIL)
tests_passwdd_test_lockout_CFLAGS = $(TEST_CFLAGS) $(SODIUM_CFLAGS)
tests_passwdd_test_lockout_LDADD = $(PW_TEST_LIBS)

check_PROGRAMS += tests/passwdd/test_pwtags
UNIT_TESTS += tests/passwdd/test_pwtags
tests_passwdd_test_pwtags_SOURCES = tests/passwdd/test_pwtags.c $(PW_TEST_UTIL)
tests_passwdd_test_pwtags_CFLAGS = $(TEST_CFLAGS) $(SODIUM_CFLAGS)
tests_passwdd_test_pwtags_LDADD = $(PW_TEST_LIBS)

check_PROGRAMS += tests/passwdd/test_pam_loop
UNIT_TESTS += tests/passwdd/test_pam_loop
tests_passwdd_test_pam_loop_SOURCES = tests/passwdd/test_pam_loop.c
tests_passwdd_test_pam_loop_CFLAGS = $(TEST_CFLAGS)
tests_passwdd_test_pam_loop_LDADD = passwdd/libpwpamloop.la libixutil/libixutil.la $(TEST_LIBS)

# passwdd's own confinement in a forked child: Landlock, seccomp, no
# capability (needs root).
check_PROGRAMS += tests/passwdd/test_pwconfine
UNIT_TESTS += tests/passwdd/test_pwconfine
tests_passwdd_test_pwconfine_SOURCES = tests/passwdd/test_pwconfine.c passwdd/confine.c \
	passwdd/confine.h $(CONFINED_TEST_UTIL)
tests_passwdd_test_pwconfine_CPPFLAGS = $(PW_CPPFLAGS)
tests_passwdd_test_pwconfine_CFLAGS = $(TEST_CFLAGS) $(SECCOMP_CFLAGS)
tests_passwdd_test_pwconfine_LDADD = $(COMPART_LIBS) libixutil/libixutil.la $(TEST_LIBS)

# The slot's inner wire: the monitor's and the helper's machines, the
# helper's answers.
check_PROGRAMS += tests/passwdd/test_pwwire
UNIT_TESTS += tests/passwdd/test_pwwire
tests_passwdd_test_pwwire_SOURCES = tests/passwdd/test_pwwire.c
tests_passwdd_test_pwwire_CPPFLAGS = $(PW_CPPFLAGS)
tests_passwdd_test_pwwire_CFLAGS = $(TEST_CFLAGS)
tests_passwdd_test_pwwire_LDADD = passwdd/libpwwire.la libipc/libipc.la $(PW_TEST_LIBS)

# passwdd with a compromised worker (tests/scenario/passwdd_forge.sh):
# libpwdaemon, the daemon but its worker, linked with a worker that sends
# its monitor forged messages from a script. A check program: never
# installed, and nothing of it is in the production passwdd.
check_PROGRAMS += tests/passwdd/pwforged
tests_passwdd_pwforged_SOURCES = tests/passwdd/pwforged.c
tests_passwdd_pwforged_CPPFLAGS = $(PW_CPPFLAGS)
tests_passwdd_pwforged_LDADD = $(PW_DAEMON_LIBS)
