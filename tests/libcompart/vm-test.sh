#!/bin/sh
# The compartment kernel's property tests on tier 1, inside a QEMU guest
# (tests/vm/init runs this as /test.sh, as root):
#	make check-vm   (VM_TEST_SCRIPT and VM_FILES default to this test)
# 1. compartd loads the BPF LSM program and pins its maps;
# 2. compartctl status must say tier 1 and list what this kernel lacks;
# 3. test_compart runs the same properties as natively, expecting tier 1;
# 4. the sessiond step (vm-session.sh): a session's leftovers cannot reach
#    the user's terminal after the session (skipped, and said, where this
#    kernel has no tier 1 terminal labels);
# 5. the prompt step (vm-prompt.sh): a terminal under a private prompt is
#    refused TIOCSPGRP, TIOCSTI and reads to all but the prompting process
#    (skipped, and said, where this kernel has no tier 1 prompt guard);
# 6. the licence step (vm-licence.sh): a licensed file stays unchangeable,
#    to root as well, once its immutable attribute is cleared (skipped,
#    and said, where this kernel has no tier 1 licence guard);
# 7. the link step (vm-link.sh): a labelled file gains no name, to root
#    and labelled processes alike, while pcopy's labelled copies still
#    get theirs (skipped, and said, where this kernel has no tier 1 file
#    labels);
# 8. compartd stops: its pins go, no LSM program stays attached, and
#    status falls back to tier 2 (a clean detach).
# Ends with "vm-test: N passed, M failed" (the steps of this script; the
# cmocka cases of test_compart and the checks of vm-session.sh,
# vm-prompt.sh, vm-licence.sh and vm-link.sh have lines of their own).
# Exit status:
# the number of failed steps.
passed=0
failed=0
step() { echo "vm-test: ok: $*"; passed=$((passed + 1)); }
fail() { echo "vm-test: FAIL $*"; failed=$((failed + 1)); }
summary() { echo "vm-test: $passed passed, $failed failed"; }

uname -r
if ! compartd --log /tmp/compartd.log; then
	cat /tmp/compartd.log
	fail "compartd did not start"
	summary
	exit "$failed"
fi
cat /tmp/compartd.log
step "compartd started"
IXKIT_CONFIG=/dev/null compartctl status | tee /tmp/status
grep -q '^tier: 1 ' /tmp/status && step "status reports tier 1" || fail "status does not report tier 1"
# What is not enforced must be said, with the reason, never left out.
grep -E ' (degraded|missing) ' /tmp/status | sed 's/^/vm-test: declared: /'

IXKIT_EXPECT_TIER=1 test_compart && step "property tests (test_compart)" ||
	fail "property tests (test_compart) failed"

vm-session.sh /tmp/status
case $? in
0) step "sessiond: leftovers of a session cannot reach the user's terminal" ;;
77) echo "vm-test: sessiond: not tested on this kernel (see the SKIP line above)" ;;
*) fail "sessiond step (vm-session.sh)" ;;
esac

vm-prompt.sh /tmp/status
case $? in
0) step "prompt: a terminal under a private prompt is the prompter's alone" ;;
77) echo "vm-test: prompt: not tested on this kernel (see the SKIP line above)" ;;
*) fail "prompt step (vm-prompt.sh)" ;;
esac

vm-licence.sh /tmp/status
case $? in
0) step "licence: a licensed file is unchangeable with its immutable attribute cleared" ;;
77) echo "vm-test: licence: not tested on this kernel (see the SKIP line above)" ;;
*) fail "licence step (vm-licence.sh)" ;;
esac

vm-link.sh /tmp/status
case $? in
0) step "link: a labelled file gains no name" ;;
77) echo "vm-test: link: not tested on this kernel (see the SKIP line above)" ;;
*) fail "link step (vm-link.sh)" ;;
esac

pid=$(cat /run/compartd.pid 2>/dev/null || pidof compartd)
if [ -z "$pid" ]; then
	fail "no compartd pid to stop"
else
	kill "$pid"
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
	done
	kill -0 "$pid" 2>/dev/null && fail "compartd still running after SIGTERM" ||
		step "compartd stops on SIGTERM"
fi
left=$(ls -A /sys/fs/bpf/ixkit 2>/dev/null)
[ -n "$left" ] && fail "pins left in /sys/fs/bpf/ixkit after compartd stopped: $left" ||
	step "no pin left in /sys/fs/bpf/ixkit"
# bpftool is one of VM_FILES: without it, or when it cannot list the
# programs, "no LSM program" would be said of nothing.
if progs=$(bpftool prog show 2>&1); then
	left=$(printf '%s\n' "$progs" | grep -c ' lsm ')
	[ "$left" = 0 ] && step "detach: no LSM program attached" ||
		fail "detach: $left LSM programs still loaded"
else
	fail "detach not checked: bpftool prog show failed: $progs"
fi
IXKIT_CONFIG=/dev/null compartctl status | grep -q '^tier: 2 ' &&
	step "status reports tier 2 after compartd stopped" ||
	fail "status still reports tier 1 after compartd stopped"
summary
exit "$failed"
