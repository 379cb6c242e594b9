#!/bin/sh
# Guest smoke test of tier 1 (runs as /test.sh under tests/vm/init, as root):
#   tests/vm/run-guest SUITE compartd/t1-smoke.sh \
#	_build/X/compartd/compartd _build/X/compartd/t1ctl /usr/bin/setfattr
# Starts compartd, then checks each attached feature with a refused case
# and an allowed one (so that a check cannot pass by refusing everything),
# and a clean detach. A feature compartd reports missing is listed with
# compartd's reason, never passed over in silence. Exit status: the number
# of failed checks.
failed=0
pass() { echo "t1-smoke: ok   $*"; }
fail() { echo "t1-smoke: FAIL $*"; failed=$((failed + 1)); }
allowed() {	# DESCRIPTION COMMAND...: COMMAND must succeed
	what=$1
	shift
	if out=$("$@" 2>&1); then pass "$what"; else fail "$what: $out"; fi
}
refused() {	# DESCRIPTION COMMAND...: COMMAND must fail
	what=$1
	shift
	if out=$("$@" 2>&1); then fail "$what: $out"; else pass "$what ($out)"; fi
}
feature() {	# NAME: attached?
	if grep -qx "$1 on" /tmp/features; then
		return 0
	fi
	echo "t1-smoke: MISSING $1: $(grep "name=$1 state=missing" /tmp/compartd.log | sed 's/.*why=//')"
	return 1
}
L() {	# LABEL COMPART [sealed] COMMAND...: run COMMAND labelled
	label=$1 compart=$2
	shift 2
	seal=open
	[ "$1" = sealed ] && seal=sealed && shift
	t1ctl run "$label" "$compart" "$seal" "$@"
}

# The initramfs root comes out of mktemp -d as 0700: uid 1000 (the exec
# checks) must be able to reach /bin and /tmp.
chmod 755 /

# compartd without -f returns once its maps are pinned.
allowed "compartd --once-check loads and attaches" compartd --once-check --log /tmp/once.log
[ ! -e /sys/fs/bpf/ixkit ] && pass "--once-check pinned nothing" || fail "--once-check left /sys/fs/bpf/ixkit"
if ! compartd --log /tmp/compartd.log; then
	cat /tmp/compartd.log
	fail "compartd did not start"
	exit "$failed"
fi
cat /tmp/compartd.log
t1ctl features >/tmp/features
cat /tmp/features
loaded=$(t1ctl progs)
[ "$loaded" -gt 0 ] && pass "$loaded LSM programs attached" || fail "no LSM program loaded"
if [ "$(stat -c %a /sys/fs/bpf/ixkit)" = 700 ]; then pass "pin dir is 0700"; else fail "pin dir mode"; fi
refused "a second compartd refuses the same pin dir" compartd -f --log stderr
[ "$(t1ctl progs)" = "$loaded" ] && pass "the second compartd attached nothing" ||
	fail "$(t1ctl progs) LSM programs after the second compartd, $loaded before"

echo "== inheritance"
L 2:1 7 sh -c 'sleep 60 & echo $! >/tmp/grandchild; wait' &
sleep 1
if t1ctl get "$(cat /tmp/grandchild)" | grep -q '^level=2 flags=0 cats=1 compart=7 seal=0$'; then
	pass "grandchild inherited level 2, category 0, compartment 7"
else
	fail "grandchild label: $(t1ctl get "$(cat /tmp/grandchild)")"
fi
if t1ctl get $$ | grep -qx unlabelled; then pass "the test shell is unlabelled"; else fail "shell labelled"; fi

echo "== seal"
if feature seal-setuid; then
	refused "sealed: setuid(0) with CAP_SETUID" L 1 7 sealed t1ctl try setuid0
	allowed "not sealed: setuid(0) with CAP_SETUID" L 1 7 t1ctl try setuid0
fi
mkdir -p /tmp/suid /tmp/fcap
cp /bin/busybox /tmp/suid/true && chmod 4755 /tmp/suid/true
cp /bin/busybox /tmp/fcap/true && chmod 755 /tmp/fcap/true
# VFS_CAP_REVISION_2, effective, permitted = cap_setuid.
setfattr -n security.capability -v 0x0100000280000000000000000000000000000000 /tmp/fcap/true
if feature seal-exec; then
	refused "sealed: exec of a setuid-root file" L 1 7 sealed t1ctl try exec1000 /tmp/suid/true
	allowed "not sealed: exec of a setuid-root file" L 1 7 t1ctl try exec1000 /tmp/suid/true
	refused "sealed: exec of a cap_setuid+ep file" L 1 7 sealed t1ctl try exec1000 /tmp/fcap/true
	allowed "not sealed: exec of a cap_setuid+ep file" L 1 7 t1ctl try exec1000 /tmp/fcap/true
	allowed "sealed: exec of a plain file" L 1 7 sealed t1ctl try exec1000 /bin/true
fi
if feature seal-userns; then
	refused "sealed: unshare -U" L 1 7 sealed unshare -U true
	allowed "not sealed: unshare -U" L 1 7 unshare -U true
fi

echo "== file labels (Bell-LaPadula)"
if feature file-blp; then
	echo data >/tmp/f21 && setfattr -n security.bpf.ixkit -v "$(t1ctl flabel 2:1)" /tmp/f21
	echo data >/tmp/fno && setfattr -n security.bpf.ixkit -v "$(t1ctl flabel NO)" /tmp/fno
	echo data >/tmp/fbad && setfattr -n security.bpf.ixkit -v 0x0200 /tmp/fbad
	echo data >/tmp/fnone
	refused "read up (1 reads 2:1)" L 1 7 t1ctl try read /tmp/f21
	refused "read across categories (2 reads 2:1)" L 2 7 t1ctl try read /tmp/f21
	allowed "read at the same label" L 2:1 7 t1ctl try read /tmp/f21
	allowed "read down (3:3 reads 2:1)" L 3:3 7 t1ctl try read /tmp/f21
	refused "write down (3:1 writes 2:1)" L 3:1 7 t1ctl try write /tmp/f21
	allowed "write up (1 writes 2:1)" L 1 7 t1ctl try write /tmp/f21
	refused "NO file: read by 9:ff" L 9:ff 7 t1ctl try read /tmp/fno
	refused "NO file: write by 0" L 0 7 t1ctl try write /tmp/fno
	refused "undecodable label: read" L 9:ff 7 t1ctl try read /tmp/fbad
	allowed "unlabelled file: read and write" L 2:1 7 t1ctl try write /tmp/fnone
	allowed "unlabelled task reads the NO file" t1ctl try read /tmp/fno
fi

echo "== signals and ptrace"
L 1 8 sh -c 'echo $$ >/tmp/victim; exec sleep 60' &
sleep 1
victim=$(cat /tmp/victim)
t1ctl get "$victim" | grep -q 'compart=8 ' && pass "victim in compartment 8" || fail "victim label"
if feature signal; then
	refused "kill from compartment 7 into 8" L 1 7 kill -0 "$victim"
	allowed "kill inside compartment 8" L 1 8 kill -0 "$victim"
	allowed "kill from a server into compartment 8" kill -0 "$victim"
	refused "kill from compartment 8 out to a server" L 1 8 kill -0 $$
fi
if feature ptrace; then
	# readlink of /proc/PID/exe is a ptrace read check; opening
	# /proc/PID/mem an attach check.
	refused "compartment 7 reads /proc/PID/exe of 8" L 1 7 t1ctl try readlink "/proc/$victim/exe"
	allowed "compartment 8 reads /proc/PID/exe of 8" L 1 8 t1ctl try readlink "/proc/$victim/exe"
	allowed "a server reads /proc/PID/exe of 8" t1ctl try readlink "/proc/$victim/exe"
	refused "compartment 7 opens /proc/PID/mem of 8" L 1 7 t1ctl try open "/proc/$victim/mem"
	refused "a server opens /proc/PID/mem of 8" t1ctl try open "/proc/$victim/mem"
	allowed "a server opens /proc/PID/mem of an unlabelled task" t1ctl try open "/proc/$$/mem"
fi

echo "== unix sockets"
if feature unix; then
	L 1 8 t1ctl listen /tmp/s8 &
	t1ctl listen /tmp/s0 &
	sleep 1
	refused "compartment 7 connects to 8's socket" L 1 7 t1ctl try connect /tmp/s8
	allowed "compartment 8 connects to its own socket" L 1 8 t1ctl try connect /tmp/s8
	allowed "a server connects to 8's socket" t1ctl try connect /tmp/s8
	allowed "compartment 7 connects to a server's socket" L 1 7 t1ctl try connect /tmp/s0
	L 1 8 t1ctl dgram /tmp/d8 &
	t1ctl dgram /tmp/d0 &
	sleep 1
	refused "compartment 7 sends a datagram to 8" L 1 7 t1ctl try sendto /tmp/d8
	allowed "compartment 8 sends a datagram to 8" L 1 8 t1ctl try sendto /tmp/d8
	allowed "compartment 7 sends a datagram to a server" L 1 7 t1ctl try sendto /tmp/d0
fi

echo "== xattrs and bpf()"
echo data >/tmp/fx
cp /tmp/fcap/true /tmp/fx2
if feature xattr; then
	refused "labelled root sets security.bpf.ixkit" L 0 7 t1ctl try setxattr /tmp/fx security.bpf.ixkit
	refused "labelled root runs setfattr on the label" L 0 7 setfattr -n security.bpf.ixkit -v 0x00 /tmp/fx
	refused "labelled root removes security.capability" L 0 7 t1ctl try removexattr /tmp/fx2 security.capability
	allowed "labelled root sets trusted.other" L 0 7 t1ctl try setxattr /tmp/fx trusted.other
	allowed "a server sets security.bpf.ixkit" t1ctl try setxattr /tmp/fx security.bpf.ixkit
	refused "labelled root removes security.bpf.ixkit" L 0 7 t1ctl try removexattr /tmp/fx security.bpf.ixkit
fi
if feature bpf; then
	refused "labelled root calls bpf()" L 0 7 t1ctl try bpf
	allowed "a server calls bpf()" t1ctl try bpf
fi

echo "== terminals"
if feature tty; then
	t1ctl pty >/tmp/pty &
	sleep 1
	pts=$(cat /tmp/pty)
	t1ctl tty-label "$pts" 2
	refused "1 reads a level 2 terminal" L 1 7 t1ctl try tty-read "$pts"
	allowed "1 writes a level 2 terminal" L 1 7 t1ctl try tty-write "$pts"
	refused "3 writes a level 2 terminal" L 3 7 t1ctl try tty-write "$pts"
	allowed "3 reads a level 2 terminal" L 3 7 t1ctl try tty-read "$pts"
	allowed "2 writes its own terminal" L 2 7 t1ctl try tty-write "$pts"
	# /dev/tty stands for the controlling terminal: same rule.
	refused "3 writes a level 2 terminal through /dev/tty" \
		t1ctl setctty "$pts" t1ctl run 3 7 open t1ctl try tty-write /dev/tty
	allowed "2 writes its level 2 terminal through /dev/tty" \
		t1ctl setctty "$pts" t1ctl run 2 7 open t1ctl try tty-write /dev/tty
fi

echo "== detach"
kill -TERM "$(pidof compartd)"
i=0
while pidof compartd >/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
tail -n 1 /tmp/compartd.log
i=0
while [ "$(t1ctl progs)" -ne 0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ "$(t1ctl progs)" -eq 0 ] && pass "no LSM program left after SIGTERM" || fail "$(t1ctl progs) LSM programs left"
[ -z "$(ls /sys/fs/bpf/ixkit)" ] && pass "pins removed" || fail "pins left: $(ls /sys/fs/bpf/ixkit)"
refused "tier 1 reported inactive after exit" t1ctl features

echo "== stale pins after SIGKILL"
compartd -f --log /tmp/compartd2.log &
cd2=$!
i=0
while ! grep -q ' ready ' /tmp/compartd2.log 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -KILL "$cd2"
wait "$cd2" 2>/dev/null
refused "pins of a killed compartd are not believed" t1ctl features
allowed "the next compartd starts over stale pins" compartd --log /tmp/compartd3.log
grep -q stale-pin /tmp/compartd3.log && pass "stale pins logged" || fail "no stale-pin line"
kill -TERM "$(pidof compartd)"

echo "t1-smoke: $failed failed"
exit "$failed"
