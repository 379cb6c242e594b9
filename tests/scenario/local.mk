# Scenario tests: the real programs run as a user or an administrator
# types them, each in private pid and mount namespaces through the one
# harness (harness.sh: /etc overlay, throwaway users, tmux panes, the
# daemons). Most need root. Listed by the folder they exercise, with the
# helper programs they drive.
EXTRA_DIST += tests/scenario/harness.sh

# The layers: no library includes or links a higher one, and README's
# layout table names every folder (no root, no harness).
SCENARIO_TESTS += tests/scenario/layers.sh
EXTRA_DIST += tests/scenario/layers.sh

# The harness's own test: the suite from a clone in a 0700 home.
SCENARIO_TESTS += tests/scenario/harness_home0700.sh
EXTRA_DIST += tests/scenario/harness_home0700.sh

# The privtree CLI as an administrator uses it (needs the sqlite3 tool).
SCENARIO_TESTS += tests/scenario/privtree.sh
EXTRA_DIST += tests/scenario/privtree.sh tests/scenario/pt_expect.sh
# The audit head file and its witness under attack (needs the sqlite3 tool).
SCENARIO_TESTS += tests/scenario/audit_head.sh
EXTRA_DIST += tests/scenario/audit_head.sh

# privd; privraw sends the malformed and oversized messages.
check_PROGRAMS += tests/scenario/privraw
tests_scenario_privraw_SOURCES = tests/scenario/privraw.c
tests_scenario_privraw_LDADD = libipc/libipc.la libixutil/libixutil.la
# A hostile user's flood of a server's socket (the load scenarios).
check_PROGRAMS += tests/scenario/flood
tests_scenario_flood_SOURCES = tests/scenario/flood.c
tests_scenario_flood_LDADD = libipc/libipc.la libixutil/libixutil.la
PRIVD_SCENARIOS = tests/scenario/privd_basic.sh tests/scenario/privd_tcpgateway.sh \
	tests/scenario/privd_label.sh tests/scenario/privd_edit.sh tests/scenario/privd_confine.sh \
	tests/scenario/privd_forge.sh tests/scenario/privd_load.sh tests/scenario/privd_faults.sh \
	tests/scenario/privd_unattended.sh tests/scenario/privd_splice.sh \
	tests/scenario/privd_provider.sh tests/scenario/privd_provider_ssh.sh \
	tests/scenario/privd_install.sh
SCENARIO_TESTS += $(PRIVD_SCENARIOS)
EXTRA_DIST += $(PRIVD_SCENARIOS) tests/scenario/privd_lib.sh

# sessiond and session end to end: real passwdd and sessiond, a user typing
# in a tmux pane.
SCENARIO_TESTS += tests/scenario/sessiond_basic.sh tests/scenario/sessiond_level.sh
EXTRA_DIST += tests/scenario/sessiond_basic.sh tests/scenario/sessiond_level.sh \
	tests/scenario/sessiond_lib.sh
# A compromised worker (tests/sessiond/sessiond-forged) cannot make the
# monitor act.
SCENARIO_TESTS += tests/scenario/sessiond_forged.sh
EXTRA_DIST += tests/scenario/sessiond_forged.sh
# Load and fairness; sessflood is one user's flood.
check_PROGRAMS += tests/scenario/sessflood
tests_scenario_sessflood_SOURCES = tests/scenario/sessflood.c
tests_scenario_sessflood_LDADD = libipc/libipc.la libixutil/libixutil.la
SCENARIO_TESTS += tests/scenario/sessiond_load.sh
EXTRA_DIST += tests/scenario/sessiond_load.sh
# kill -9 of each of sessiond's processes at chosen points.
SCENARIO_TESTS += tests/scenario/sessiond_faults.sh
EXTRA_DIST += tests/scenario/sessiond_faults.sh
# Issue 13, hole 2, mid-session: a process of the old shell takes the
# user's terminal while a session runs (bgsteal tty and path, below).
SCENARIO_TESTS += tests/scenario/sessiond_fgsteal.sh
EXTRA_DIST += tests/scenario/sessiond_fgsteal.sh

# The real passwdd as root on a private run directory and secrets
# database; pwraw sends the malformed and oversized frames.
check_PROGRAMS += tests/scenario/pwraw
tests_scenario_pwraw_SOURCES = tests/scenario/pwraw.c
tests_scenario_pwraw_CFLAGS = $(AM_CFLAGS) $(SODIUM_CFLAGS)
tests_scenario_pwraw_LDADD = passwdd/libpwclient.la libipc/libipc.la libixutil/libixutil.la \
	$(SODIUM_LIBS)
SCENARIO_TESTS += tests/scenario/passwdd_basic.sh tests/scenario/passwdd_pty.sh
EXTRA_DIST += tests/scenario/passwdd_basic.sh tests/scenario/passwdd_pty.sh
# A compromised worker (tests/passwdd/pwforged): every forgery is fatal
# for it, and it never reads the secrets database.
SCENARIO_TESTS += tests/scenario/passwdd_forge.sh
EXTRA_DIST += tests/scenario/passwdd_forge.sh
# A hostile user's floods (pwraw flood, stall; silent pipes) while another
# user verifies (p99 <= 1 s) and pam_passwdd serves a third.
SCENARIO_TESTS += tests/scenario/passwdd_load.sh
EXTRA_DIST += tests/scenario/passwdd_load.sh
# Guesses do not multiply with parallelism or ports (issue 13, hole 4): a
# burst on one port, port hopping against the per-user budget, kill -9 and
# restart with an attempt in flight.
SCENARIO_TESTS += tests/scenario/passwdd_budget.sh
EXTRA_DIST += tests/scenario/passwdd_budget.sh
# kill -9 of each of passwdd's processes at chosen points (it changes
# dev.tty.legacy_tiocsti too: after passwdd_pty.sh).
SCENARIO_TESTS += tests/scenario/passwdd_faults.sh
EXTRA_DIST += tests/scenario/passwdd_faults.sh
PASSWDD_FAULTS_LOG = tests/scenario/passwdd_faults.sh.log
$(PASSWDD_FAULTS_LOG): $(PASSWDD_PTY_LOG)
# Both change dev.tty.legacy_tiocsti: never at the same time. The target
# is named through a variable so that the prerequisite is added to
# automake's rule for the log rather than replacing it.
PASSWDD_PTY_LOG = tests/scenario/passwdd_pty.sh.log
$(PASSWDD_PTY_LOG): tests/libterm/test_pex.log

# pamtester drives the built module against the real passwdd as root in a
# private mount namespace (overlay /etc, own /run, a throwaway user).
SCENARIO_TESTS += tests/scenario/pam_passwdd.sh
EXTRA_DIST += tests/scenario/pam_passwdd.sh etc/pam.d/ixkit-passwdd-example
# An application that lives on across calls, counting its descriptors
# and heap (the module must leave nothing behind in login or su).
check_PROGRAMS += tests/scenario/pam_fdleak
tests_scenario_pam_fdleak_SOURCES = tests/scenario/pam_fdleak.c
tests_scenario_pam_fdleak_LDADD = -lpam

# The built nosh on real scripts (nosh_caps.sh as root).
NOSH_SCENARIOS = \
	tests/scenario/nosh_errexit.sh tests/scenario/nosh_syntax.sh \
	tests/scenario/nosh_redirect.sh tests/scenario/nosh_env.sh \
	tests/scenario/nosh_caps.sh tests/scenario/nosh_interactive.sh
SCENARIO_TESTS += $(NOSH_SCENARIOS)
EXTRA_DIST += $(NOSH_SCENARIOS) tests/scenario/nosh_lib.sh

# compartctl as an administrator types it (root, private database).
SCENARIO_TESTS += tests/scenario/compartctl.sh
EXTRA_DIST += tests/scenario/compartctl.sh
# Issue 16, hole 1: a sealed compartment is never root (harness world).
SCENARIO_TESTS += tests/scenario/compartctl_uid.sh
EXTRA_DIST += tests/scenario/compartctl_uid.sh
# Issue 16, hole 2: no read up through a hard link on tier 2.
SCENARIO_TESTS += tests/scenario/compartctl_links.sh
EXTRA_DIST += tests/scenario/compartctl_links.sh
# Issue 16, hole 4: each compartment's own IPC, pid and mount namespaces
# (the attack: the host's SysV objects and processes seen from inside).
SCENARIO_TESTS += tests/scenario/compart_ns.sh
EXTRA_DIST += tests/scenario/compart_ns.sh

# etc/: the systemd units pass systemd-analyze verify; sysusers.d creates
# passwdd's user (systemd-sysusers into a private root); make install
# into a DESTDIR: the layout, the example ixkit.conf kept, the installed
# units verified, one request to the installed privd. install_dirs.sh
# holds the build's directories for them (SUBST_FILES in Makefile.am).
SCENARIO_TESTS += tests/scenario/systemd_units.sh tests/scenario/sysusers.sh \
	tests/scenario/install.sh
EXTRA_DIST += tests/scenario/systemd_units.sh tests/scenario/units_lib.sh \
	tests/scenario/sysusers.sh etc/sysusers.d/ixkit.conf tests/scenario/install.sh
SUBST_FILES += tests/scenario/install_dirs.sh
EXTRA_DIST += tests/scenario/install_dirs.sh.in

# man/: lints every page with groff -ww.
SCENARIO_TESTS += tests/scenario/manpages.sh
EXTRA_DIST += tests/scenario/manpages.sh

# README's first command, typed at through a pty.
SCENARIO_TESTS += tests/scenario/demo.sh
EXTRA_DIST += tests/scenario/demo.sh scripts/demo scripts/demo-world scripts/demo-walkthrough

# Issue 13, hole 2: a background job of the person's own session (and a
# shell turning on its job) takes the foreground mid-prompt to read the
# password; bgsteal is that attacker.
check_PROGRAMS += tests/scenario/bgsteal
tests_scenario_bgsteal_SOURCES = tests/scenario/bgsteal.c
SCENARIO_TESTS += tests/scenario/passwdd_bgjob.sh
EXTRA_DIST += tests/scenario/passwdd_bgjob.sh
# It changes dev.tty.legacy_tiocsti too.
PASSWDD_BGJOB_LOG = tests/scenario/passwdd_bgjob.sh.log
$(PASSWDD_BGJOB_LOG): $(PASSWDD_PTY_LOG)

# pcopy on real files as root: what the copy carries, --verify, every
# refusal, a source written to mid-copy, kill -9 mid-copy.
SCENARIO_TESTS += tests/scenario/pcopy.sh
EXTRA_DIST += tests/scenario/pcopy.sh
