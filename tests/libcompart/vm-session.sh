#!/bin/sh
# Issue 6 on tier 1, in the QEMU guest (vm-test.sh runs it while compartd
# is up; it reads compartctl's status from $1): a session's leftovers
# cannot reach the user's terminal once the session has ended.
# A user enrolled for HOTP codes (oathtool computes them: an implementation
# independent of passwdd's) types `session secret -- CMD` at a pty
# (ptydrive stands for the person; the guest has no tmux or script). CMD
# leaves a process behind that ignores SIGHUP and keeps trying to read and
# write its own terminal (the session's pty, fd 0..2 and /dev/tty) and the
# user's terminal by name. Checked: the user's terminal carries a tier 1
# label during the session; the session ends normally; afterwards the
# leftover is gone, nothing it wrote reached the user's terminal and it
# read nothing typed there; the user's shell reads the terminal again (a
# label left at secret would refuse an unlabelled reader) and the tty
# label map holds for it what it held before the session. Then a
# second session whose monitor is killed with -9: main ends it, its
# compartment goes and the map holds again what it held before.
# Exit status: the number of failed checks; 77 when this kernel has no
# tier 1 terminal labels (or a tool is missing), with a line saying why.
status=${1:?usage: vm-session.sh COMPARTCTL-STATUS-FILE}
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "vm-session: ok: $1"; }
bad() { failed=$((failed + 1)); echo "vm-session: FAIL $1"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
skip() { echo "vm-session: SKIP (not tested): $*"; exit 77; }

grep -Eq '^terminal labels +enforced ' "$status" ||
	skip "tier 1 terminal labels are not enforced on $(uname -r): $(grep '^terminal labels' "$status")"
for t in sessiond session passwdd passwdd-admin privtree nosh ptydrive oathtool bpftool; do
	command -v "$t" >/dev/null || skip "$t is not in the guest"
done

t=/tmp/sess
run=$t/run
sock=$run/sessiond.sock
mkdir -m 755 "$t" || exit 1
echo 'ixkit-passwd:x:990:990::/nonexistent:/bin/false' >>/etc/passwd
echo 'ixkit-passwd:x:990:' >>/etc/group
# sessiond's worker (etc/sysusers.d/ixkit.conf): sessiond does not start without it.
echo 'ixkit-sessiond-worker:x:991:991::/:/bin/false' >>/etc/passwd
echo 'ixkit-sessiond-worker:x:991:' >>/etc/group
# passwdd's workers have a user of their own (etc/sysusers.d/ixkit.conf)
echo 'ixkit-passwdd-worker:x:989:989::/nonexistent:/bin/false' >>/etc/passwd
echo 'ixkit-passwdd-worker:x:989:' >>/etc/group
echo 'ixvm:x:1000:1000::/home/ixvm:/bin/sh' >>/etc/passwd
echo 'ixvm:x:1000:' >>/etc/group
h=/home/ixvm
mkdir -p "$h" && chown 1000:1000 "$h" && chmod 700 "$h"
mkdir -m 700 "$t/secrets" && chown ixkit-passwd: "$t/secrets" || exit 1
passwdd-admin --secrets-db "$t/secrets/pw.db" enrol-hotp ixvm --no-qr >"$t/uri" || exit 1
key=$(sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p' "$t/uri")

cat >"$t/policy" <<'POLICY'
ixkit-policy 1
level unclassified
level confidential
level secret
level topsecret
node /
	predicate NONE
	rights ALL
clearance ixvm unclassified..secret
port unclassified..secret /dev/pts/[0-9]+
floor unclassified
POLICY
privtree --config /dev/null --db "$t/ixkit.db" --log "$t/privtree.log" import "$t/policy" >/dev/null ||
	{ cat "$t/privtree.log"; exit 1; }
passwdd -f --config /dev/null --socket "$t/pw.sock" --secrets-db "$t/secrets/pw.db" \
	--log "$t/passwdd.log" --sessiond-user root --lockout-after 0 --backoff-ms 1 --backoff-max-ms 1 &
pwpid=$!
sessiond -f --config /dev/null --db "$t/ixkit.db" --rundir "$run" --log "$t/sessiond.log" \
	--passwdd-socket "$t/pw.sock" --nosh "$(command -v nosh)" --prompt-timeout 120 &
sdpid=$!
i=0
while { [ ! -S "$sock" ] || [ ! -S "$t/pw.sock" ]; } && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
[ -S "$sock" ] && [ -S "$t/pw.sock" ] ||
	{ cat "$t/passwdd.log" "$t/sessiond.log"; kill "$pwpid" "$sdpid"; bad "passwdd and sessiond start"; exit 1; }

# The leftover: SIGHUP, SIGTTIN and SIGTTOU ignored, its descriptors on
# the session's pty; every round it writes on them, on /dev/tty and on the
# user's terminal by name, and reads from each into the home directory
# (writable in the session).
cat >"$t/leftover.sh" <<'EOF'
trap '' HUP TTIN TTOU
utty=$1
while :; do
	echo LEAK-FD
	echo LEAK-DEVTTY >/dev/tty
	echo LEAK-USERTTY >"$utty"
	for src in /proc/self/fd/0 /dev/tty "$utty"; do
		read -t 1 -r x <"$src" && echo "$src:$x" >>"$HOME/leak-read"
	done
	sleep 0.2
done
EOF
# CMD: starts the leftover, says so, and ends when the test allows.
cat >"$t/inner.sh" <<EOF
sh $t/leftover.sh "\$1" 2>/dev/null &
echo in-session-ready
while [ ! -e $t/go ]; do sleep 0.2; done
EOF
# The user's login shell: the session, then, the session over, a pause for
# the leftover to try, and a read of what is typed at the terminal.
cat >"$t/outer.sh" <<EOF
echo user-tty=\$(tty)
while [ ! -e $t/go0 ]; do sleep 0.1; done
session --socket $sock secret -- /bin/sh $t/inner.sh "\$(tty)"
echo session-status=\$?
sleep 5
read -r line
echo after-read=\$line
EOF
chmod 644 "$t"/*.sh
code=$(oathtool --hotp -b "$key" -c 0)
ptydrive -u ixvm -t 180 -e 'One-time code:' -s "$code" -e in-session-ready \
	-e session-status= -s typed-after-the-end -- sh "$t/outer.sh" >"$t/drive.out" 2>&1 &
drive=$!

# The user's terminal in the kernel's tty label map (its key is the
# kernel's dev_t, 136 << 20 | N, little-endian): its entry before the
# session (a pty number used before may hold one), the session's label
# during it, the entry as it was afterwards.
tty_key() {
	n=${1#/dev/pts/}
	printf 'hex %02x %02x %x%x 08' $((n & 255)) $(((n >> 8) & 255)) 8 $(((n >> 16) & 15))
}
# bpftool exits 0 for a missing key too: its JSON says null then.
tty_entry() {
	bpftool -j map lookup pinned /sys/fs/bpf/ixkit/tty_label key $(tty_key "$1") 2>&1
}
# until_in TEXT: waits (3 minutes at most) for TEXT on the user's terminal
until_in() { until_in_of "$t/drive.out" "$1"; }
# until_in_of FILE TEXT: the same for what ptydrive copies to FILE
until_in_of() {
	i=0
	until grep -q "$2" "$1" || [ $i -ge 1800 ] || ! kill -0 "$drive" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -q "$2" "$1"
}
# leftover_pid: the pid here of the leftover (the pattern does not match
# grep's own command line).
leftover_pid() {
	for c in /proc/[0-9]*/cmdline; do
		grep -q 'leftover[.]sh' "$c" 2>/dev/null || continue
		c=${c#/proc/}
		echo "${c%/cmdline}"
		return
	done
}
until_in user-tty=
utty=$(sed -n 's/^user-tty=\(\/dev\/pts\/[0-9]*\).*/\1/p' "$t/drive.out" | head -1)
[ -n "$utty" ] && tty_entry "$utty" >"$t/before"
touch "$t/go0"
until_in in-session-ready
if grep -q in-session-ready "$t/drive.out"; then
	ok "the session started with a one-time code (HOTP, counter 0) typed at the user's pty"
	tty_entry "$utty" >"$t/during"
	check "during the session the user's terminal ($utty) is labelled secret in the kernel" \
		'grep -q "\"level\":2," "$t/during"'
	# Found by its command line (the guest has no pgrep): inside, its
	# pid is the session's pid namespace's (issue 16), not this /proc's.
	i=0
	until lpid=$(leftover_pid); [ -n "$lpid" ] || [ $i -ge 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	check "the leftover runs in the session (pid $lpid)" '[ -n "$lpid" ] && grep -q leftover.sh "/proc/$lpid/cmdline" 2>/dev/null'
else
	bad "the session starts"
	lpid=
fi
touch "$t/go"
wait "$drive"
dst=$?
sed 's/^/vm-session: terminal| /' "$t/drive.out"
check "the user's shell ran to its end (ptydrive exit $dst)" '[ "$dst" = 0 ]'
check "the session ended normally (session exit 0)" 'grep -q "^session-status=0" "$t/drive.out"'
check "sessiond recorded the end" 'grep -q "sessiond-end " "$t/sessiond.log"'
check "the leftover is gone" '[ -n "$lpid" ] && ! grep -q leftover.sh "/proc/$lpid/cmdline" 2>/dev/null'
after=$(sed -n '/^session-status=/,$p' "$t/drive.out")
check "nothing of the session wrote on the user's terminal after the end" \
	'[ -n "$after" ] && ! printf "%s\n" "$after" | grep -q LEAK-'
check "the leftover read nothing typed at the user's terminal" \
	'! grep -q typed-after-the-end "$h/leak-read" 2>/dev/null'
check "the user's shell reads its terminal again (label restored)" \
	'grep -q "^after-read=typed-after-the-end" "$t/drive.out"'
[ -n "$utty" ] && tty_entry "$utty" >"$t/after"
check "the user's terminal has its label of before in the kernel's map again" \
	'[ -s "$t/before" ] && cmp -s "$t/before" "$t/after"'
[ -s "$h/leak-read" ] && sed 's/^/vm-session: the leftover read: /' "$h/leak-read"

# A monitor killed while its session runs (sessiond(8), FAULTS): main
# ends the session at once from its record, and the user's terminal has
# its label of before in the kernel's map again.
cat >"$t/outer2.sh" <<EOF
echo user-tty2=\$(tty)
while [ ! -e $t/go2 ]; do sleep 0.1; done
session --socket $sock secret -- /bin/sh -c 'echo in-session2-ready; sleep 600'
echo session2-status=\$?
EOF
chmod 644 "$t/outer2.sh"
code=$(oathtool --hotp -b "$key" -c 1)
ptydrive -u ixvm -t 120 -e 'One-time code:' -s "$code" -e in-session2-ready \
	-e session2-status= -- sh "$t/outer2.sh" >"$t/drive2.out" 2>&1 &
drive=$!
until_in2() { until_in_of "$t/drive2.out" "$1"; }
until_in2 user-tty2=
utty2=$(sed -n 's/^user-tty2=\(\/dev\/pts\/[0-9]*\).*/\1/p' "$t/drive2.out" | head -1)
[ -n "$utty2" ] && tty_entry "$utty2" >"$t/before2"
touch "$t/go2"
monitor=
if until_in2 in-session2-ready; then
	tty_entry "$utty2" >"$t/during2"
	for m in $(cat "/proc/$sdpid/task/$sdpid/children" 2>/dev/null); do
		for f in /proc/"$m"/fd/*; do
			[ "$(readlink "$f" 2>/dev/null)" = "$utty2" ] && monitor=$m
		done
	done
fi
check "a second session runs, its terminal ($utty2) labelled secret, its monitor found" \
	'[ -n "$monitor" ] && grep -q "\"level\":2," "$t/during2"'
[ -n "$monitor" ] && kill -KILL "$monitor"
wait "$drive"
check "the monitor killed: session says so (exit 3)" 'grep -q "^session2-status=3" "$t/drive2.out"'
i=0
until grep -q "orphan session=[0-9]* worker=$monitor ended" "$t/sessiond.log" || [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "main ended the dead monitor's session" 'grep -q "orphan session=[0-9]* worker=$monitor ended" "$t/sessiond.log"'
check "its compartment is gone" '[ ! -e "/sys/fs/cgroup/ixkit/session-$monitor" ]'
[ -n "$utty2" ] && tty_entry "$utty2" >"$t/after2"
check "the user's terminal has its label of before in the kernel's map again" \
	'[ -s "$t/before2" ] && cmp -s "$t/before2" "$t/after2"'
sed 's/^/vm-session: terminal 2| /' "$t/drive2.out"

kill "$sdpid" "$pwpid" 2>/dev/null
wait "$sdpid" "$pwpid" 2>/dev/null
if [ "$failed" = 0 ]; then
	grep -E 'sessiond-(request|start|end)|error|warning' "$t/sessiond.log" | sed 's/^/vm-session: sessiond| /'
else
	for w in before during after before2 during2 after2; do
		sed "s/^/vm-session: tty label $w| /" "$t/$w" 2>/dev/null
	done
	sed 's/^/vm-session: sessiond| /' "$t/sessiond.log"
	sed 's/^/vm-session: passwdd| /' "$t/passwdd.log"
fi
echo "vm-session: $passed passed, $failed failed"
exit "$failed"
