#!/bin/sh
# kill -9 of each of sessiond's processes at chosen points of a request
# (issue 12), with the real daemons and a person typing in a tmux pane
# (one-time codes by HOTP, computed by oathtool): the monitor and the
# worker while the monitor checks (held there by a writer that keeps the
# database locked, so that the request's record waits), while passwdd
# asks for the code, and while the session runs; a spare slot while a
# session runs. After each: the client says so and gives the terminal
# back, the database opens and passes its integrity check, privtree
# verify passes, no session is left live (those that ran are ended with
# how=...), the user's terminal is as it was, no compartment is left,
# and sessiond serves the next request. Last, sessiond stopped and
# started again serves. Ends with "N passed, M failed".
name=sessiond_faults.sh
. "$(dirname "$0")/sessiond_lib.sh"

useradd -m -d "$tmp/home/ixfault" -s /bin/sh ixfault || exit 99
secret_policy ixfault
"$pwadmin" --secrets-db "$tmp/secrets/pw.db" enrol-hotp ixfault --no-qr > "$tmp/uri" || exit 99
key=$(sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p' "$tmp/uri")
counter=0
# type_code: the next HOTP code, typed in the pane.
type_code() { type_in "$(oathtool --hotp -b "$key" -c "$counter")"; counter=$((counter + 1)); }
# passwdd gives up a prompt after 5 s: see the monitor killed in it.
start_daemons "$tmp/test.policy" --prompt-timeout 5
show_failure() {
	sed 's/^/  out| /' "$tmp/out" 2>/dev/null | grep -v "|  *$"
	tail -5 "$log" 2>/dev/null | sed 's/^/  log| /'
	tail -3 "$tmp/passwdd.log" 2>/dev/null | sed 's/^/  passwdd| /'
}

# The processes: main's children are slots; the one serving the pane
# holds its terminal; its child of the workers' user is its worker.
children() { cat "/proc/$1/task/$1/children" 2>/dev/null; }
monitor_of_tty() {
	for m in $(children "$pid"); do
		for f in /proc/"$m"/fd/*; do
			[ "$(readlink "$f" 2>/dev/null)" = "$pane_tty" ] && { echo "$m"; return 0; }
		done
	done
	return 1
}
worker_of() {
	for w in $(children "$1"); do
		[ "$(stat -c %U "/proc/$w")" = ixkit-sessiond-worker ] && { echo "$w"; return 0; }
	done
	return 1
}
find_monitor() { until_true monitor_of_tty > /dev/null && monitor=$(monitor_of_tty); }

# A writer holding the database, so that the monitor waits in its checks
# (the request's audit record) until unlock.
lock_db() {
	rm -f "$tmp/unlock"
	( echo "BEGIN EXCLUSIVE;"; echo "SELECT 'locked';"
	  i=0; while [ ! -e "$tmp/unlock" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	  echo "COMMIT;" ) | sqlite3 "$db" > "$tmp/lock.out" 2>&1 &
	locker=$!
	until_true grep -q locked "$tmp/lock.out"
}
unlock_db() { touch "$tmp/unlock"; wait "$locker"; }

# after WHAT: the checks every fault ends with.
after() {
	check "$1: the database opens and is sound" '[ "$(sqlite3 "$db" "PRAGMA integrity_check")" = ok ]'
	"$privtree" --config /dev/null --db "$db" verify > "$tmp/verify" 2>&1
	check "$1: privtree verify passes" 'grep -q "chain sound" "$tmp/verify"'
	check "$1: no session is left live" '[ "$(sqlite3 "$db" "SELECT count(*) FROM sessions WHERE ended IS NULL")" = 0 ]'
	check "$1: no compartment is left" 'none session_cgroups'
	check "$1: the user's terminal is as it was" '[ "$(stat -c "%U:%G %a" "$pane_tty")" = "$tty_before" ]'
	as ixfault "$session" --socket "$sock" -l > "$tmp/list" 2>&1 < /dev/null
	check "$1: sessiond serves the next request" '[ $? = 0 ]'
}

pane ixfault
type_in "echo pane-tty=\$(tty)"
wait_for "pane-tty=/dev/pts/"
pane_tty=$(tm capture-pane -p -t "$win" | sed -n 's/^pane-tty=//p' | tail -1)
tty_before=$(stat -c '%U:%G %a' "$pane_tty")
rows=0

# 1. The monitor, during the checks.
fresh
lock_db
type_in "$session --socket $sock secret; echo f1-status=\$?"
find_monitor
kill -KILL "$monitor"
unlock_db
st=$(status_of f1)
screen
check "monitor killed in the checks: session says so (3), no prompt" \
	'[ "$st" = 3 ] && grep -q "sessiond closed the connection" "$tmp/out" && lacks "$tmp/out" "One-time code"'
check "monitor killed in the checks: main saw it" 'grep -q "slot-killed pid=$monitor signal=9" "$log"'
check "monitor killed in the checks: no session recorded" '[ "$(sqlite3 "$db" "SELECT count(*) FROM sessions")" = $rows ]'
after "monitor killed in the checks"

# 2. The worker, during the checks.
fresh
lock_db
type_in "$session --socket $sock secret; echo f2-status=\$?"
find_monitor
worker=$(worker_of "$monitor")
kill -KILL "$worker"
unlock_db
st=$(status_of f2)
screen
check "worker killed in the checks: the monitor tells the client (3), no prompt" \
	'[ "$st" = 3 ] && grep -q "sessiond: its worker ended; nothing was done" "$tmp/out" && lacks "$tmp/out" "One-time code"'
check "worker killed in the checks: logged" 'grep -q "worker-gone .* worker=$worker state=" "$log"'
check "worker killed in the checks: no session recorded" '[ "$(sqlite3 "$db" "SELECT count(*) FROM sessions")" = $rows ]'
after "worker killed in the checks"

# 3. The monitor, during the password prompt.
fresh
type_in "$session --socket $sock secret; echo f3-status=\$?"
wait_for "One-time code:" || { screen; bad "the prompt before the monitor is killed"; }
find_monitor
kill -KILL "$monitor"
st=$(status_of f3)
screen
check "monitor killed in the prompt: session says so (3)" '[ "$st" = 3 ] && grep -q "sessiond closed the connection" "$tmp/out"'
check "monitor killed in the prompt: no session recorded" '[ "$(sqlite3 "$db" "SELECT count(*) FROM sessions")" = $rows ]'
# passwdd, its own process, still asks on the terminal until its prompt
# times out, reading it along with the old shell: nothing is typed until
# then.
sleep 6
after "monitor killed in the prompt"

# 4. The worker, during the password prompt: the code is right, and
# still nothing starts.
fresh
type_in "$session --socket $sock secret; echo f4-status=\$?"
wait_for "One-time code:" || { screen; bad "the prompt before the worker is killed"; }
find_monitor
worker=$(worker_of "$monitor")
kill -KILL "$worker"
type_code
st=$(status_of f4)
screen
check "worker killed in the prompt: the monitor tells the client (3)" \
	'[ "$st" = 3 ] && grep -q "sessiond: its worker ended; nothing was done" "$tmp/out"'
check "worker killed in the prompt: no session recorded, though the code was right" \
	'[ "$(sqlite3 "$db" "SELECT count(*) FROM sessions")" = $rows ] && grep -q "worker-gone .* worker=$worker state=AUTHENTICATED" "$log"'
after "worker killed in the prompt"

# start_session TAG: a running session at secret in the pane.
start_session() {
	fresh
	type_in "$session --socket $sock secret; echo $1-status=\$?"
	wait_for "One-time code:" || { screen; bad "$1: the prompt"; }
	type_code
	wait_for "at secret on /dev/pts/" || { screen; bad "$1: the session starts"; }
	rows=$((rows + 1))
	find_monitor
}

# 5. The monitor, while the session runs: main ends it.
start_session f5
kill -KILL "$monitor"
st=$(status_of f5)
check "monitor killed in the session: session says so (3)" '[ "$st" = 3 ]'
# the log line comes as the terminal is restored, the record just after
until_true grep -q "orphan session=[0-9]* worker=$monitor ended" "$log"
until_true [ -n "$(sqlite3 "$db" "SELECT how FROM sessions WHERE worker_pid = $monitor AND ended IS NOT NULL")" ]
check "monitor killed in the session: ended by main, how=monitor died" \
	'[ "$(sqlite3 "$db" "SELECT how FROM sessions WHERE worker_pid = $monitor AND ended IS NOT NULL")" = "monitor died" ]'
after "monitor killed in the session"

# 6. The worker, while the session runs: the monitor ends it.
start_session f6
worker=$(worker_of "$monitor")
kill -KILL "$worker"
st=$(status_of f6)
screen
check "worker killed in the session: ended, the client told (3)" '[ "$st" = 3 ] && grep -q "session: ended: worker gone" "$tmp/out"'
check "worker killed in the session: recorded how=worker gone" \
	'[ "$(sqlite3 "$db" "SELECT how FROM sessions WHERE worker_pid = $monitor")" = "worker gone" ]'
after "worker killed in the session"

# 7. A spare, while a session runs: the session goes on.
start_session f7
spare=
for s in $(children "$pid"); do [ "$s" != "$monitor" ] && { spare=$s; break; }; done
check "a spare slot is there to kill" '[ -n "$spare" ]'
kill -KILL "$spare"
until_true grep -q "slot-killed pid=$spare signal=9" "$log"
type_in "echo still-\$((6*7))"
until_true on_screen "still-42" && ok "spare killed: the running session goes on" || { screen; bad "spare killed: the running session goes on"; }
type_in "exit 5"
st=$(status_of f7)
screen
check "spare killed: the session ends normally later" '[ "$st" = 0 ] && grep -q "session: ended: exit 5" "$tmp/out"'
after "spare killed"

# sessiond stopped and started again.
kill "$pid"
wait "$pid"
start_sessiond
until_true [ -S "$sock" ]
after "sessiond restarted"
kill "$pid"
wait "$pid"
pid=
finish
