#!/bin/sh
# Run as root with capabilities, nosh passes none to a plain command and
# exactly the named ones to a command with a + prefix. Needs root: CI runs
# the suite as root, so a non-root run is a failure, not a skip.
. "$(dirname "$0")/nosh_lib.sh"

[ "$(id -u)" -eq 0 ] || fail "nosh_caps.sh must run as root (it tests nosh holding capabilities)"
# cap_chown (0), cap_net_bind_service (10) and cap_setpcap (8) are used below.
eff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)
[ $((0x$eff & 0x501)) -eq $((0x501)) ] || fail "this root shell lacks cap_chown/cap_setpcap/cap_net_bind_service (CapEff $eff)"

caps_of() {	# FILE: "Inh Prm Eff Amb" from a /proc/self/status copy
	for f in CapInh CapPrm CapEff CapAmb; do
		sed -n "s/^$f:[[:space:]]*//p" "$1"
	done | tr '\n' ' '
}
none="0000000000000000 0000000000000000 0000000000000000 0000000000000000 "
two="0000000000000401 0000000000000401 0000000000000401 0000000000000401 "

cat >script <<'NOSH'
/bin/grep ^Cap /proc/self/status > plain
+cap_chown,cap_net_bind_service /bin/grep ^Cap /proc/self/status > prefixed
/bin/sh -c 'exec /usr/sbin/getpcaps $$' > getpcaps-plain
+cap_chown,cap_net_bind_service /bin/sh -c 'exec /usr/sbin/getpcaps $$' > getpcaps-prefixed
NOSH
run_nosh -e script
expect_rc 0 "capability script"
[ "$(caps_of plain)" = "$none" ] || fail "plain command as root holds capabilities: $(cat plain)"
pass "as root, a plain command has empty inheritable, permitted, effective and ambient sets"
[ "$(caps_of prefixed)" = "$two" ] || fail "prefixed command: $(cat prefixed)"
pass "a +cap_chown,cap_net_bind_service command has exactly those two, in all four sets"
grep -q ': =$' getpcaps-plain || fail "getpcaps of plain command: $(cat getpcaps-plain)"
grep -q ': cap_chown,cap_net_bind_service=eip$' getpcaps-prefixed ||
	fail "getpcaps of prefixed command: $(cat getpcaps-prefixed)"
pass "getpcaps agrees, also after the command execs another program as uid 0"

echo data >owned
run_nosh -c '/bin/chown 65534 ./owned'
[ "$rc" -ne 0 ] || fail "root chown without +cap_chown succeeded"
[ "$(stat -c %u owned)" -eq 0 ] || fail "owner changed without +cap_chown"
run_nosh -e -c '+cap_chown /bin/chown 65534 ./owned'
expect_rc 0 "chown with +cap_chown"
[ "$(stat -c %u owned)" -eq 65534 ] || fail "owner not changed with +cap_chown"
pass "root's chown fails without +cap_chown and works with it"

# A nosh started with only cap_chown cannot hand out what it does not hold.
run_nosh -c "+cap_chown $NOSH -e -c '+cap_net_bind_service /bin/true'"
expect_rc 125 "inner nosh asking for a capability it lacks"
expect_err "cap_net_bind_service requested but nosh does not hold it" "message"
pass "a capability nosh does not hold is refused (status 125) and the command not run"

cat >inner <<'NOSH'
/bin/grep ^Cap /proc/self/status > inner-plain
+cap_chown /bin/grep ^Cap /proc/self/status > inner-chown
NOSH
run_nosh -c "+cap_chown $NOSH -e ./inner"
expect_rc 0 "inner nosh with cap_chown"
[ "$(caps_of inner-plain)" = "$none" ] || fail "inner plain: $(cat inner-plain)"
[ "$(caps_of inner-chown)" = "0000000000000001 0000000000000001 0000000000000001 0000000000000001 " ] ||
	fail "inner +cap_chown: $(cat inner-chown)"
pass "a nosh holding only cap_chown passes none, or cap_chown when asked"
