#!/bin/sh
# privd's processes seen from outside (libipc/SERVER.md), in
# /proc/PID/status while they serve: main is root and does not parse; a
# slot forked ahead is a monitor (root) with its worker already confined
# before any client exists; the worker is ixkit-privd-worker with no
# capability in any set, no_new_privs, a seccomp filter, not dumpable
# (the files of its /proc entry are root's), and holds no descriptor but /dev/null
# and its two sockets; the action is the monitor's child in a run group
# of its own (/ixkit-run/privd-<monitor>), under no filter of privd's,
# with exactly the capabilities of PRIV(...); a background child the
# action leaves is ended with it; privd's main killed with -9 ends the
# running action whole, the request is recorded as abandoned, and a
# restarted privd serves and finds nothing more to abandon. Runs itself in
# private pid and mount namespaces with /etc overlaid (privd_lib.sh).
# Ends with "N passed, M failed".
name=privd_confine.sh
. "$(dirname "$0")/privd_lib.sh"

adduser ixconfsvc
cd "$tmp" || exit 99

cat > "$tmp/test.policy" <<'POLICY'
ixkit-policy 1
right probe plain
right unattended plain
level unclassified
node /
	predicate NONE
	rights ALL
node /svc
	predicate ID(ixconfsvc)
	rights probe | unattended
rule hold
	template hold
	need probe
	action PRIV(net_bind_service), AS(daemon), EXEC(/bin/sh, -c, "echo holding; sleep 31 & sleep 30")
POLICY
start_privd "$tmp/test.policy"

field() { sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status"; }
zero=0000000000000000
full=$(field $$ CapEff)
wuid=$(id -u ixkit-privd-worker)
children() { cat "/proc/$1/task/$1/children" 2>/dev/null; }

check "main: root, every capability it hands on, no filter" \
	'[ "$(field "$pid" Uid)" = "0	0	0	0" ] && [ "$(field "$pid" CapEff)" = "$full" ] && [ "$(field "$pid" Seccomp)" = 0 ]'
until_true sh -c "[ -n \"\$(cat /proc/$pid/task/$pid/children)\" ]"
spare=$(children "$pid" | tr ' ' '\n' | head -1)
check "a slot forked ahead: its monitor is root" '[ -n "$spare" ] && [ "$(field "$spare" Uid)" = "0	0	0	0" ]'
until_true sh -c "[ -n \"\$(cat /proc/$spare/task/$spare/children 2>/dev/null)\" ]"
worker=$(children "$spare" | tr ' ' '\n' | head -1)
confined() {	# the worker: its own user, no capability, no_new_privs, a filter, not dumpable
	[ "$(field "$1" Uid)" = "$wuid	$wuid	$wuid	$wuid" ] && [ "$(field "$1" CapInh)" = $zero ] &&
	[ "$(field "$1" CapPrm)" = $zero ] && [ "$(field "$1" CapEff)" = $zero ] &&
	[ "$(field "$1" CapBnd)" = $zero ] && [ "$(field "$1" CapAmb)" = $zero ] &&
	[ "$(field "$1" NoNewPrivs)" = 1 ] && [ "$(field "$1" Seccomp)" = 2 ] &&
	[ "$(stat -c %U "/proc/$1/status")" = root ]
}
check "its worker, before any client: ixkit-privd-worker, no capability, no_new_privs, a filter, not dumpable" \
	'[ -n "$worker" ] && confined "$worker"'
check "the worker holds /dev/null on 0-2 and its channel, nothing else" \
	'[ "$(ls "/proc/$worker/fd" | sort -n | tr "\n" " ")" = "0 1 2 3 " ] && [ "$(readlink "/proc/$worker/fd/0")" = /dev/null ]'

as ixconfsvc "$priv" --socket "$run/privd.sock" hold > "$tmp/out" 2> "$tmp/err" < /dev/null &
client=$!
until_true grep -q "started login=ixconfsvc" "$log"
monitor=$(sed -n 's/.*privd\[\([0-9]*\)\] started login=ixconfsvc.*/\1/p' "$log" | tail -1)
action=$(sed -n 's/.* started login=ixconfsvc .*action_pid=\([0-9]*\) .*/\1/p' "$log" | tail -1)
check "the action is its monitor's child, and the monitor main's" \
	'[ -n "$action" ] && [ "$(field "$action" PPid)" = "$monitor" ] && [ "$(field "$monitor" PPid)" = "$pid" ]'
check "the action runs in a run group of its own" \
	'grep -qx "0::/ixkit-run/privd-$monitor" "/proc/$action/cgroup"'
check "the action runs under no filter of privd's" '[ "$(field "$action" Seccomp)" = 0 ]'
check "the action's bounding set is exactly PRIV(net_bind_service)" \
	'[ "$(field "$action" CapBnd)" = 0000000000000400 ] && [ "$(field "$action" CapEff)" = 0000000000000400 ]'
until_true sh -c "pgrep -f '^sleep 31$' >/dev/null"
bg=$(pgrep -f '^sleep 31$')
kill -TERM "$action"
wait "$client"
st=$?
check "priv reports the action's end (killed by SIGTERM: 143)" '[ $st = 143 ]'
check "the background child the action left is ended with it" \
	'[ -n "$bg" ] && until_true none kill -0 "$bg"'
check "its run group is gone" '[ ! -e "/sys/fs/cgroup/ixkit-run/privd-$monitor" ]'

# main killed with -9 while an action runs.
as ixconfsvc "$priv" --socket "$run/privd.sock" hold > "$tmp/out" 2> "$tmp/err" < /dev/null &
client=$!
until_true sh -c "[ \"\$(grep -c 'started login=ixconfsvc' '$log')\" -ge 2 ]"
monitor=$(sed -n 's/.*privd\[\([0-9]*\)\] started login=ixconfsvc.*/\1/p' "$log" | tail -1)
action=$(sed -n 's/.* started login=ixconfsvc .*action_pid=\([0-9]*\) .*/\1/p' "$log" | tail -1)
kill -KILL "$pid"
wait "$pid"
pid=
check "main killed with -9: the running action is ended" 'until_true none kill -0 "$action"'
check "... and so is everything in its group" \
	'until_true sh -c "[ ! -e /sys/fs/cgroup/ixkit-run/privd-$monitor ]"'
wait "$client"
check "... and the request is recorded as abandoned" \
	'until_true grep -q "privd-exit v1 exit pid=.* req=.* action_pid=$action abandoned=privd stopped request=hold" "$log"'
open_rows() { sqlite3 "$db" "SELECT count(*) FROM actions WHERE ended IS NULL"; }
check "no action row is left open" '[ "$(open_rows)" = 0 ]'
start_privd "$tmp/test.policy"
check "a restarted privd finds nothing more to abandon, and serves" \
	'none grep -q "privd stopped before it ended" "$log" && p ixconfsvc -n hold && [ $st = 0 ]'
"$privtree" verify > "$tmp/out" 2>&1
check "privtree verify: the audit chain is sound" 'grep -q "chain sound" "$tmp/out"'
finish
