#!/bin/sh
# Issue 13, hole 4: guesses must not multiply with parallelism or with
# ports. The real passwdd as root on a private secrets database, with its
# defaults of 5 failures per (user, requester, port) and a budget of 20
# failures per user and hour across all of them:
#  (a) a burst of 60 wrong one-time codes on one port, each holding its
#      answer back for two seconds, is verified exactly 5 times; the other
#      55 are refused as locked without being asked, and the right code
#      sent inside the burst, after the limit, is refused too;
#  (b) port hopping: wrong codes spread over 11 keys (requesters root,
#      privd's and sessiond's users and the user itself; ports pipe, null
#      and file) are verified 20 times, then every further attempt is
#      refused, and the right code from a fresh key is refused, the person
#      told "across all terminals" and what to do;
#  (c) kill -9 of passwdd with an attempt in flight, then a restart on
#      the same database: the in-flight attempt stays counted, the key's
#      lock and the budget hold; passwdd-admin failures shows them and
#      unlock lifts both;
#  (d) the console exemption (never locked, slowed) is NOT TESTED here: a
#      test cannot own /dev/console or /dev/ttyN without taking them from
#      the machine; tests/passwdd/test_lockout covers the decision.
# Every refusal is logged with user, requester and port. Runs in private
# pid and mount namespaces (harness.sh). Needs root, useradd, oathtool.
# Ends with "N passed, M failed".
name=passwdd_budget.sh
. "$(dirname "$0")/harness.sh"
need_built passwdd/passwdd passwdd/passwdd-admin passwdd/pwcheck
need_tools oathtool useradd
world
world_setup
pid=
at_exit '[ -n "$pid" ] && kill "$pid" 2>/dev/null'
mkdir "$tmp/secrets" && chown ixkit-passwd: "$tmp/secrets" && chmod 700 "$tmp/secrets" || exit 99
for u in hopper pwprivd pwsess; do useradd -M -d /nonexistent -s /usr/sbin/nologin "$u" || exit 99; done
db=$tmp/secrets/passwdd.db
sock=$tmp/run/passwdd.sock
log=$tmp/passwdd.log
show_failure() { sed 's/^/  | /' "$tmp/out" "$tmp/err" 2>/dev/null; tail -n 5 "$log" | sed 's/^/  log| /'; }
adm() { "$pwadmin" --secrets-db "$db" "$@" >"$tmp/out" 2>"$tmp/err"; }
enrol() { adm enrol-totp "$1" --no-qr && sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p' "$tmp/out"; }
burst=$(enrol burst) && hopper=$(enrol hopper) && enrol crashy >/dev/null || exit 99
start() {
	# Its start line, not the socket file: a passwdd killed with -9
	# leaves its socket behind, replaced only once the next one listens.
	starts=$(grep -c " start socket=" "$log" 2>/dev/null)
	"$passwdd" -f --config /dev/null --rundir "$tmp/run" --secrets-db "$db" --log "$log" \
		--backoff-ms 20 --backoff-max-ms 1000 --privd-user pwprivd --sessiond-user pwsess \
		--queue-per-user 64 --queue-ms 20000 --spares 4 &
	pid=$!
	until_true sh -c "[ \"\$(grep -c ' start socket=' '$log' 2>/dev/null)\" -gt ${starts:-0} ]" ||
		exit 99
}
# lines USER RESULT: verify lines of USER with that result
lines() { grep -c "verify user=$1 .*result=$2" "$log"; }
start

# ---- (a) a burst of 60 on one port (root, pipe) ----
# main queues them all (--queue-per-user 64 above) so that every one
# reaches a slot: the burst is decided by the lockout, not by main's limits.
i=0
while [ $i -lt 60 ]; do
	( (sleep 2; echo 000000) | "$pwcheck" --socket "$sock" burst >/dev/null 2>&1; echo $? > "$tmp/b.$i" ) &
	i=$((i + 1))
done
sleep 1
printf '%s\n' "$(oathtool --totp -b "$burst")" | "$pwcheck" --socket "$sock" burst >"$tmp/out" 2>"$tmp/err"
st=$?
check "the right code inside the burst, after the limit, is refused (status $st)" \
	'[ "$st" -eq 1 ] && grep -qx "pwcheck: locked" "$tmp/err"'
# (until_true counts with $i: another name here)
b=0
while [ $b -lt 60 ]; do until_true test -s "$tmp/b.$b" || break; b=$((b + 1)); done
n=$(lines burst failed) l=$(lines burst locked)
busy=$(cat "$tmp"/b.* | grep -cx 4)
echo "  burst statuses:" $(cat "$tmp"/b.* | sort | uniq -c)
echo "  burst: $n verified and failed, $l refused as locked, $busy told busy by main's limits"
check "60 wrong codes at once: exactly 5 verified" '[ "$n" -eq 5 ]'
# main's per-user limits may turn some away before they reach a slot
# (pwcheck status 4, nothing asked); every other one is refused unasked.
check "the other 55 and the right one refused unasked (locked, or busy before a slot)" \
	'[ $((l + busy)) -eq 56 ] && [ "$(grep -c "verify user=burst requester=0 pid=[0-9]* port=pipe result=locked reason=port" "$log")" -eq "$l" ]'
check "no code of the burst was granted" '[ "$(lines burst granted)" -eq 0 ] && ! grep -qx 0 "$tmp"/b.*'
adm failures burst
check "passwdd-admin failures shows the key at 5" 'grep -Eq "^burst +0 +pipe +5 " "$tmp/out"'

# ---- (b) port hopping: 11 keys, 3 wrong codes each ----
# hop REQUESTER PORT: one wrong code for hopper as REQUESTER (root, or a
# user name) on PORT (pipe, null or file)
echo 000000 > "$tmp/wrong" && chmod 644 "$tmp/wrong"
hop() {
	case $1 in root) run= ;; *) run="as $1" ;; esac
	case $2 in
	pipe) echo 000000 | $run "$pwcheck" --socket "$sock" hopper ;;
	null) $run "$pwcheck" --socket "$sock" hopper </dev/null ;;
	file) $run "$pwcheck" --socket "$sock" hopper <"$tmp/wrong" ;;
	esac >/dev/null 2>&1
}
for round in 1 2 3; do
	for r in root pwprivd pwsess; do for p in pipe null file; do hop $r $p; done; done
	hop hopper pipe
	hop hopper null
done
n=$(lines hopper failed) l=$(grep -c "verify user=hopper .*result=locked reason=budget" "$log")
echo "  hopping: $n verified and failed, $l refused on the budget"
check "33 wrong codes over 11 keys: 20 verified (the budget)" '[ "$n" -eq 20 ]'
check "the other 13 refused unasked on the budget" '[ "$l" -eq 13 ]'
check "the refusals name requester and port" \
	'grep -q "verify user=hopper requester=$(id -u pwsess) pid=[0-9]* port=file result=locked reason=budget" "$log"'
# The right code from a fresh key: hopper itself on a file.
printf '%s\n' "$(oathtool --totp -b "$hopper")" > "$tmp/right" && chmod 644 "$tmp/right"
as hopper "$pwcheck" --socket "$sock" hopper <"$tmp/right" >"$tmp/out" 2>"$tmp/err"
st=$?
check "the right code from a fresh port and requester is refused (status $st)" \
	'[ "$st" -eq 1 ] && grep -qx "pwcheck: locked" "$tmp/err"'
# Again on a file it may write, where passwdd tells the person why (a
# refusal before the prompt is not counted).
printf '%s\n' "$(oathtool --totp -b "$hopper")" > "$tmp/rw" && chown hopper "$tmp/rw"
as hopper sh -c '"$1" --socket "$2" hopper 0<>"$3"' sh "$pwcheck" "$sock" "$tmp/rw" >"$tmp/out" 2>"$tmp/err"
check "the person is told what locked and what to do" \
	'grep -qF "passwdd: locked: too many failures for hopper across all terminals; ask an administrator: passwdd-admin unlock hopper" "$tmp/rw"'
adm failures hopper
check "passwdd-admin failures shows hopper's budget spent (20 failed)" 'grep -Eq "^hopper +20 +0 " "$tmp/out"'

# ---- (c) kill -9 with an attempt in flight, then restart ----
mkfifo "$tmp/silent" && { sleep 30 > "$tmp/silent" & hold=$!; }
"$pwcheck" --socket "$sock" crashy < "$tmp/silent" >/dev/null 2>&1 &
client=$!
# reserved: counted before anything is read from the silent pipe
until_true sh -c '"$0" --secrets-db "$1" failures crashy | grep -q "^crashy "' "$pwadmin" "$db"
# passwdd and every process of it, by pid (the namespace's own)
tree() { echo "$1"; for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do tree "$c"; done; }
for p in $(tree "$pid"); do kill -KILL "$p" 2>/dev/null; done
wait "$pid" 2>/dev/null
wait "$client"
kill "$hold" 2>/dev/null
pid=
start
adm failures crashy
check "after kill -9 the attempt in flight is counted" 'grep -Eq "^crashy +0 +[^ ]+ +1 " "$tmp/out"'
printf '%s\n' "$(oathtool --totp -b "$burst")" | "$pwcheck" --socket "$sock" burst >"$tmp/out" 2>"$tmp/err"
check "after restart the burst's port is still locked" 'grep -qx "pwcheck: locked" "$tmp/err"'
printf '%s\n' "$(oathtool --totp -b "$hopper")" > "$tmp/right"
as hopper "$pwcheck" --socket "$sock" hopper <"$tmp/right" >"$tmp/out" 2>"$tmp/err"
check "after restart hopper's budget is still spent" 'grep -qx "pwcheck: locked" "$tmp/err"'
adm unlock hopper
check "unlock clears hopper's keys and budget" 'grep -q "^hopper: 11 failure records cleared, 20 attempts forgotten" "$tmp/out"'
printf '%s\n' "$(oathtool --totp -b "$hopper")" > "$tmp/right"
as hopper "$pwcheck" --socket "$sock" hopper <"$tmp/right" >"$tmp/out" 2>"$tmp/err"
st=$?
check "after unlock the right code is accepted (status $st)" '[ "$st" -eq 0 ]'
kill "$pid"; wait "$pid"; pid=
finish
