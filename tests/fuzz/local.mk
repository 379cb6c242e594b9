# Fuzz targets, one per parser of outside input. A target
# tests/fuzz/fuzz_X.c defines LLVMFuzzerTestOneInput. Without
# --enable-fuzzing it is linked with replay.c and make check runs it over
# every input of tests/fuzz/corpus/X/ (each file named for what it
# probes); with it, it is a libFuzzer binary.
EXTRA_DIST += tests/fuzz/corpus
if FUZZING
FUZZ_DRIVER =
FUZZ_LINK = -fsanitize=fuzzer
else
FUZZ_DRIVER = tests/fuzz/replay.c
FUZZ_LINK =
endif

# liblattice's parsers: labels, rights, regular languages.
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_label
else
check_PROGRAMS += tests/fuzz/fuzz_label
UNIT_TESTS += tests/fuzz/fuzz_label
endif
tests_fuzz_fuzz_label_SOURCES = tests/fuzz/fuzz_label.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_label_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_label_LDADD = liblattice/liblattice.la libixutil/libixutil.la

if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_rights
else
check_PROGRAMS += tests/fuzz/fuzz_rights
UNIT_TESTS += tests/fuzz/fuzz_rights
endif
tests_fuzz_fuzz_rights_SOURCES = tests/fuzz/fuzz_rights.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_rights_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_rights_LDADD = liblattice/liblattice.la libixutil/libixutil.la

if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_re
else
check_PROGRAMS += tests/fuzz/fuzz_re
UNIT_TESTS += tests/fuzz/fuzz_re
endif
tests_fuzz_fuzz_re_SOURCES = tests/fuzz/fuzz_re.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_re_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_re_LDADD = liblattice/liblattice.la libixutil/libixutil.la

# libipc's decoder (every message a server reads).
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_ipc
else
check_PROGRAMS += tests/fuzz/fuzz_ipc
UNIT_TESTS += tests/fuzz/fuzz_ipc
endif
tests_fuzz_fuzz_ipc_SOURCES = tests/fuzz/fuzz_ipc.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_ipc_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_ipc_LDADD = libipc/libipc.la libixutil/libixutil.la

# The audit head file comes from outside the database: its reader.
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_db_head
else
check_PROGRAMS += tests/fuzz/fuzz_db_head
UNIT_TESTS += tests/fuzz/fuzz_db_head
endif
tests_fuzz_fuzz_db_head_SOURCES = tests/fuzz/fuzz_db_head.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_db_head_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
tests_fuzz_fuzz_db_head_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_db_head_LDADD = db/libixdb.la libixutil/libixutil.la $(SQLITE_LIBS) $(SODIUM_LIBS)

# libauthtree's parsers: predicates, actions, policy text.
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_pred
else
check_PROGRAMS += tests/fuzz/fuzz_pred
UNIT_TESTS += tests/fuzz/fuzz_pred
endif
tests_fuzz_fuzz_pred_SOURCES = tests/fuzz/fuzz_pred.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_pred_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS)
tests_fuzz_fuzz_pred_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_pred_LDADD = libauthtree/libauthtree.la libixutil/libixutil.la $(PCRE2_LIBS)

if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_action
else
check_PROGRAMS += tests/fuzz/fuzz_action
UNIT_TESTS += tests/fuzz/fuzz_action
endif
tests_fuzz_fuzz_action_SOURCES = tests/fuzz/fuzz_action.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_action_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_action_LDADD = libauthtree/libauthtree.la liblattice/liblattice.la \
	libixutil/libixutil.la

if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_policy
else
check_PROGRAMS += tests/fuzz/fuzz_policy
UNIT_TESTS += tests/fuzz/fuzz_policy
endif
tests_fuzz_fuzz_policy_SOURCES = tests/fuzz/fuzz_policy.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_policy_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS)
tests_fuzz_fuzz_policy_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_policy_LDADD = libauthtree/libauthtree.la liblattice/liblattice.la \
	libixutil/libixutil.la $(PCRE2_LIBS)

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

# passwdd's walk of /etc/pam.d stacks.
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_pam_loop
else
check_PROGRAMS += tests/fuzz/fuzz_pam_loop
UNIT_TESTS += tests/fuzz/fuzz_pam_loop
endif
tests_fuzz_fuzz_pam_loop_SOURCES = tests/fuzz/fuzz_pam_loop.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_pam_loop_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_pam_loop_LDADD = passwdd/libpwpamloop.la libixutil/libixutil.la

# nosh's parser.
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_nosh
else
check_PROGRAMS += tests/fuzz/fuzz_nosh
UNIT_TESTS += tests/fuzz/fuzz_nosh
endif
tests_fuzz_fuzz_nosh_SOURCES = tests/fuzz/fuzz_nosh.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_nosh_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_nosh_LDADD = nosh/libnosh.la

# privd's monitor: its dispatch of what a worker sends, in every state.
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_privd_mon
else
check_PROGRAMS += tests/fuzz/fuzz_privd_mon
UNIT_TESTS += tests/fuzz/fuzz_privd_mon
endif
tests_fuzz_fuzz_privd_mon_SOURCES = tests/fuzz/fuzz_privd_mon.c privd/monitor.c privd/request.c \
	privd/act.c privd/apply.c privd/list.c privd/exec.c privd/record.c privd/licence.c \
	$(FUZZ_DRIVER)
tests_fuzz_fuzz_privd_mon_CFLAGS = $(privd_privd_CFLAGS)
tests_fuzz_fuzz_privd_mon_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_privd_mon_LDADD = $(privd_privd_LDADD)

# ixkit.conf's parser.
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_config
else
check_PROGRAMS += tests/fuzz/fuzz_config
UNIT_TESTS += tests/fuzz/fuzz_config
endif
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz_config.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_config_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_config_LDADD = libixutil/libixutil.la

# sessiond's monitor: its dispatch of what the worker sends, in every state.
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_sessiond_mon
else
check_PROGRAMS += tests/fuzz/fuzz_sessiond_mon
UNIT_TESTS += tests/fuzz/fuzz_sessiond_mon
endif
tests_fuzz_fuzz_sessiond_mon_SOURCES = tests/fuzz/fuzz_sessiond_mon.c sessiond/monitor.c \
	sessiond/monitor.h sessiond/request.c sessiond/request.h $(FUZZ_DRIVER)
tests_fuzz_fuzz_sessiond_mon_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_sessiond_mon_LDADD = libipc/libipc.la libixutil/libixutil.la

# session's command line.
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_session_args
else
check_PROGRAMS += tests/fuzz/fuzz_session_args
UNIT_TESTS += tests/fuzz/fuzz_session_args
endif
tests_fuzz_fuzz_session_args_SOURCES = tests/fuzz/fuzz_session_args.c sessiond/args.c \
	sessiond/args.h $(FUZZ_DRIVER)
tests_fuzz_fuzz_session_args_LDFLAGS = $(FUZZ_LINK)

# passwdd's monitor: its dispatch of worker messages in every state.
PW_FUZZ_LIBS = passwdd/libpwwire.la passwdd/libpwstore.la libipc/libipc.la libixutil/libixutil.la \
	$(SQLITE_LIBS) $(SODIUM_LIBS)
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_passwdd_mon
else
check_PROGRAMS += tests/fuzz/fuzz_passwdd_mon
UNIT_TESTS += tests/fuzz/fuzz_passwdd_mon
endif
tests_fuzz_fuzz_passwdd_mon_SOURCES = tests/fuzz/fuzz_passwdd_mon.c tests/fuzz/packets.h $(FUZZ_DRIVER)
tests_fuzz_fuzz_passwdd_mon_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_passwdd_mon_LDADD = $(PW_FUZZ_LIBS)

# passwdd's helper wire: the helper's dispatch of its monitor's requests,
# and the monitor's reading of the answers (secrets among them).
if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_passwdd_helper
else
check_PROGRAMS += tests/fuzz/fuzz_passwdd_helper
UNIT_TESTS += tests/fuzz/fuzz_passwdd_helper
endif
tests_fuzz_fuzz_passwdd_helper_SOURCES = tests/fuzz/fuzz_passwdd_helper.c tests/fuzz/packets.h $(FUZZ_DRIVER)
tests_fuzz_fuzz_passwdd_helper_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_passwdd_helper_LDADD = $(PW_FUZZ_LIBS)
