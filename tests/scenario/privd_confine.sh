#!/bin/sh
# privd's confinement seen from outside, in /proc/PID/status of its
# processes while they serve: main and a worker (the spare waiting for a
# connection, and a worker whose action runs) are uid 0 with no
# capability in any set, no_new_privs, under seccomp (one filter for
# main, two for a worker); the launcher alone keeps every capability and
# no filter; an action is the launcher's grandchild (through the server
# of its worker's channel), under no filter of privd's, with exactly the
# capabilities of PRIV(...) in its bounding set. A launcher that dies
# stops privd with status 3 and says so. Runs itself in private pid and
# mount namespaces with /etc overlaid (privd_lib.sh). Ends with
# "N passed, M failed".
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
	action PRIV(net_bind_service), AS(daemon), EXEC(/bin/sh, -c, "echo holding; sleep 30")
POLICY
start_privd "$tmp/test.policy"

field() { sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status"; }
zero=0000000000000000
confined() {	# confined PID FILTERS: no capability, no_new_privs, seccomp with FILTERS filters
	[ "$(field "$1" Uid)" = "0	0	0	0" ] && [ "$(field "$1" CapInh)" = $zero ] &&
	[ "$(field "$1" CapPrm)" = $zero ] && [ "$(field "$1" CapEff)" = $zero ] &&
	[ "$(field "$1" CapBnd)" = $zero ] && [ "$(field "$1" CapAmb)" = $zero ] &&
	[ "$(field "$1" NoNewPrivs)" = 1 ] && [ "$(field "$1" Seccomp)" = 2 ] &&
	[ "$(field "$1" Seccomp_filters)" = "$2" ]
}
full=$(field $$ CapEff)

check "main: uid 0, no capability, no_new_privs, one seccomp filter" 'confined $pid 1'
launcher=$(sed -n 's/.* start .* launcher=\([0-9]*\) .*/\1/p' "$log")
check "the log names the launcher, a child of main" \
	'[ -n "$launcher" ] && [ "$(field "$launcher" PPid)" = "$pid" ]'
check "the launcher keeps every capability and no filter" \
	'[ "$(field "$launcher" CapEff)" = "$full" ] && [ "$(field "$launcher" CapBnd)" = "$full" ] && [ "$(field "$launcher" Seccomp)" = 0 ] && [ "$(field "$launcher" NoNewPrivs)" = 0 ]'
spare_of() { for c in $(cat "/proc/$pid/task/$pid/children"); do [ "$c" != "$launcher" ] && echo "$c"; done; }
until_true sh -c "[ -n \"\$(cat /proc/$pid/task/$pid/children | tr ' ' '\n' | grep -vx '$launcher')\" ]"
spare=$(spare_of | head -1)
check "the spare worker: no capability, no_new_privs, two seccomp filters" \
	'[ -n "$spare" ] && confined "$spare" 2'

as ixconfsvc "$priv" --socket "$run/privd.sock" hold > "$tmp/out" 2> "$tmp/err" < /dev/null &
client=$!
until_true grep -q "started login=ixconfsvc" "$log"
worker=$(sed -n 's/.*privd\[\([0-9]*\)\] started login=ixconfsvc.*/\1/p' "$log")
action=$(sed -n 's/.* started login=ixconfsvc .*action_pid=\([0-9]*\) .*/\1/p' "$log")
check "the worker serving the request: no capability, two seccomp filters" \
	'[ -n "$worker" ] && confined "$worker" 2'
server=$(field "$action" PPid)
check "the action is the launcher's grandchild, through its channel's server" \
	'[ -n "$server" ] && [ "$(field "$server" PPid)" = "$launcher" ]'
check "the action runs under no filter of privd's" '[ "$(field "$action" Seccomp)" = 0 ]'
check "the action's bounding set is exactly PRIV(net_bind_service)" \
	'[ "$(field "$action" CapBnd)" = 0000000000000400 ] && [ "$(field "$action" CapEff)" = 0000000000000400 ]'
kill -TERM "$action"
wait "$client"
st=$?
check "priv reports the action's end (killed by SIGTERM: 143)" '[ $st = 143 ]'

kill -KILL "$launcher"
wait "$pid"
st=$?
pid=
check "privd stops with status 3 when its launcher dies, and says so" \
	'[ $st = 3 ] && grep -q "launcher (pid $launcher) has ended: privd stops" "$log"'
finish
