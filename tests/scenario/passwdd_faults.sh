#!/bin/sh
# passwdd's processes killed with -9 at chosen points (passwdd(8),
# FAULTS): a monitor before the prompt (in its back-off), during the
# prompt (a pipe with no line), and between the verification and the
# lockout write (a wrong password typed on a pty while the database's
# write lock is held elsewhere, so the monitor waits in that write); a
# helper during the password prompt; a worker while its client stalls; a
# spare slot; main itself. After each: the secrets database passes
# integrity_check, an attempt whose monitor or helper died counts as
# exactly one failure (it was reserved before the prompt: passwdd fails
# closed) and nothing is half-recorded, the client got no grant, no process of the slot is left over,
# and passwdd (restarted after main's death) serves. Runs in private pid
# and mount namespaces with dev.tty.legacy_tiocsti 0 (harness.sh), the
# person at a tmux pane. Needs root, tmux, oathtool, sqlite3. Ends with
# "N passed, M failed".
name=passwdd_faults.sh
. "$(dirname "$0")/harness.sh"
need_built passwdd/passwdd passwdd/passwdd-admin passwdd/pwcheck tests/scenario/pwraw
need_tools tmux oathtool sqlite3 useradd setpriv
world tiocsti
world_setup
pid= hold=
at_exit '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$hold" ] && kill "$hold" 2>/dev/null; tmux -S "$tmp/tm" kill-server 2>/dev/null'
mkdir "$tmp/secrets" && chown ixkit-passwd: "$tmp/secrets" && chmod 700 "$tmp/secrets" || exit 99
db=$tmp/secrets/passwdd.db
sock=$tmp/s
log=$tmp/passwdd.log
show_failure() {
	tm capture-pane -p -t "$win" 2>/dev/null | grep . | sed 's/^/  screen| /'
	tail -n 6 "$log" | sed 's/^/  log| /'
	# a holder pex named: who it is
	for h in $(sed -n 's/.*held by pid \([0-9]*\).*/\1/p' "$log" | sort -u); do
		ps -o pid=,ppid=,uid=,args= -p "$h" | sed 's/^/  holder| /'
		ls -l "/proc/$h/fd" 2>/dev/null | sed 's/^/  holder| /'
	done
}
enrol() { "$pwadmin" --secrets-db "$db" enrol-hotp "$1" --no-qr >"$tmp/out" &&
	sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p' "$tmp/out"; }
bp=$(enrol bp) && dp=$(enrol dp) && ok=$(enrol ok) || exit 99
for u in lw hp; do printf 'the right one\n' | "$pwadmin" --secrets-db "$db" set-password --stdin "$u" >/dev/null || exit 99; done
# The password users exist, and their pwcheck runs as them: for a root
# client no pty is a private path (passwdd(8)).
for u in lw hp; do useradd -M -d /nonexistent -s /usr/sbin/nologin "$u" || exit 99; done
pwuid=$(id -u ixkit-passwd) wuid=$(id -u ixkit-passwdd-worker)

field() { sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" 2>/dev/null | tr -s '\t' ' '; }
kids() { cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | grep .; }
of_slot() { for k in $(kids "$1"); do [ "$(field "$k" Uid)" = "$2 $2 $2 $2" ] && echo "$k"; done | head -n 1; }
# serving WHAT: the keeper of the slot whose monitor holds WHAT (pipe:, a
# fifo's name, /dev/pts)
serving() { for k in $(kids "$pid"); do m=$(of_slot "$k" "$pwuid"); [ -n "$m" ] &&
	ls -l "/proc/$m/fd" 2>/dev/null | grep -q "$1" && echo "$k"; done | head -n 1; }
fails() { sqlite3 "$db" "SELECT coalesce(sum(count), 0) FROM failures WHERE user = '$1'"; }
consistent() { [ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ]; }
gone() { s=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null); [ -z "$s" ] || [ "$s" = Z ]; }
# no process of passwdd's or the workers' user but those of a live slot
no_orphans() { ps -eo pid=,ppid=,uid=,stat= | awk -v a="$pwuid" -v b="$wuid" -v m="$pid" \
	'($3 == a || $3 == b) && $4 !~ /^Z/ { print $1, $2 }' | while read -r p pp; do
		[ "$(sed -n 's/^PPid:[[:space:]]*//p' "/proc/$pp/status" 2>/dev/null)" = "$pid" ] || echo "$p"; done | grep -q . && return 1; return 0; }
counter=0
serves() {	# a verification of "ok" with its next code
	code=$(oathtool --hotp -b -c "$counter" "$ok")
	counter=$((counter + 1))
	printf '%s\n' "$code" | "$pwcheck" --socket "$sock" ok >/dev/null 2>"$tmp/err"
}
start() {
	"$passwdd" -f --config /dev/null --socket "$sock" --secrets-db "$db" --log "$log" \
		--provider tmux=/usr/bin/tmux --lockout-after 5 --backoff-ms 4000 --backoff-max-ms 4000 &
	pid=$!
	until_true test -S "$sock" && sleep 0.3
}
after() {	# after WHAT USER COUNT: the state after a kill
	au=$2 ac=$3
	check "$1: the database passes integrity_check" consistent
	check "$1: the attempt counted once, nothing half-recorded ($au has $ac)" '[ "$(fails "$au")" = "$ac" ]'
	check "$1: nothing of the slot is left over" 'until_true no_orphans'
	check "$1: passwdd serves on" serves
}

tm() { tmux -S "$tmp/tm" -f /dev/null "$@"; }
tm new-session -d -s pw -x 120 -y 20 "sleep 3600" \; set-option -g remain-on-exit on || exit 99
n=0 win=pw
run() { n=$((n + 1)); win=pw:w$n
	tm new-window -d -t pw: -n "w$n" "setpriv --reuid=$1 --regid=$1 --init-groups sh -mc '$pwcheck --socket $sock $1; echo pwcheck-status=\$?'"; }
wait_for() { until_true sh -c "tmux -S '$tmp/tm' -f /dev/null capture-pane -p -t '$win' | grep -qF -- '$1'"; }
type_in() { tm send-keys -t "$win" -l "$1"; tm send-keys -t "$win" Enter; }
start

# ---- a monitor, before the prompt: in its back-off ----
printf '000000\n' | "$pwcheck" --socket "$sock" bp >/dev/null 2>&1
before=$(fails bp)
printf '000000\n' | "$pwcheck" --socket "$sock" bp >/dev/null 2>"$tmp/err" &
client=$!
until_true test -n "$(serving pipe:)"
k=$(serving pipe:)
m=$(of_slot "$k" "$pwuid")
sleep 1
kill -KILL "$m"
wait "$client"
st=$?
check "monitor killed in its back-off: the client gets no grant (status $st)" '[ "$st" -eq 3 ]'
check "monitor killed in its back-off: logged" 'until_true grep -q "monitor-killed slot=$k monitor=$m signal=9" "$log"'
after "monitor killed before the prompt" bp "$((before + 1))"

# ---- a monitor, during the prompt: a pipe that never delivers a line ----
mkfifo "$tmp/silent" && { sleep 30 > "$tmp/silent" & hold=$!; }
"$pwcheck" --socket "$sock" dp < "$tmp/silent" >/dev/null 2>"$tmp/err" &
client=$!
until_true test -n "$(serving silent)"
k=$(serving silent)
sleep 0.5
kill -KILL "$(of_slot "$k" "$pwuid")"
wait "$client"
st=$?
kill "$hold"; hold=
check "monitor killed during the prompt: the client gets no grant (status $st)" '[ "$st" -eq 3 ]'
after "monitor killed during the prompt" dp 1

# ---- a monitor, between the verification and the lockout write ----
# The write lock is held elsewhere; the monitor reads the hash (WAL
# readers do not wait), finds the password wrong and waits in the write.
run lw
wait_for "Password for" || bad "lw: a password prompt"
( printf 'BEGIN IMMEDIATE;\n'; sleep 8; printf 'COMMIT;\n' ) | sqlite3 "$db" &
hold=$!
sleep 0.5
type_in "the wrong one"
k=$(serving /dev/pts)
m=$(of_slot "$k" "$pwuid")
sleep 3
read -r nr rest < "/proc/$m/syscall" 2>/dev/null
check "the monitor waits in the lockout write (SQLite's busy sleep, clock_nanosleep)" '[ "$nr" = 230 ]'
kill -KILL "$m"
wait_for "pwcheck-status=" && st=$(tm capture-pane -p -t "$win" | sed -n 's/^pwcheck-status=//p')
check "monitor killed before its lockout write: the client gets no grant (status $st)" '[ "$st" = 3 ]'
wait "$hold"; hold=
after "monitor killed between verification and lockout write" lw 1

# ---- a helper, during the password prompt ----
run hp
wait_for "Password for" || bad "hp: a password prompt"
k=$(serving /dev/pts)
h=$(of_slot "$k" 0)
kill -KILL "$h"
wait_for "pwcheck-status=" && st=$(tm capture-pane -p -t "$win" | sed -n 's/^pwcheck-status=//p')
check "helper killed during the prompt: the client gets no grant (status $st)" '[ "$st" = 3 ]'
check "helper killed during the prompt: its monitor ended with it, logged" \
	'until_true grep -q "helper-died slot=$k uid=$(id -u hp): the slot ended with it; its verification failed" "$log"'
after "helper killed during the prompt" hp 1

# ---- a worker, while its client stalls before HELLO ----
"$pwraw" "$sock" stall 1 6000 1 > "$tmp/stall" 2>&1 &
client=$!
w=
until_true sh -c 'for k in $(cat /proc/'"$pid"'/task/*/children 2>/dev/null); do for c in $(cat /proc/$k/task/*/children 2>/dev/null); do
	[ "$(ls /proc/$c/fd 2>/dev/null | wc -l)" -eq 5 ] && grep -q "^Uid:.*'"$wuid"'" /proc/$c/status && exit 0; done; done; exit 1'
for k in $(kids "$pid"); do c=$(of_slot "$k" "$wuid"); [ -n "$c" ] && [ "$(ls "/proc/$c/fd" | wc -l)" -eq 5 ] && w=$c; done
kill -KILL "$w"
check "worker killed while serving: logged" 'until_true grep -q "worker-killed slot=[0-9]* worker=$w signal=9" "$log"'
wait "$client"
after "worker killed" ok 0

# ---- a spare slot ----
spare=
for k in $(kids "$pid"); do [ -n "$(of_slot "$k" "$wuid")" ] && spare=$k; done
m=$(of_slot "$spare" "$pwuid")
kill -KILL "$spare"
check "a spare's keeper killed: its monitor, worker and helper end with it" 'until_true gone "$m"'
after "spare killed" ok 0

# ---- main ----
kill -KILL "$pid"
wait "$pid"
check "main killed: every slot ends with it" \
	'until_true sh -c "! ps -eo uid=,stat= | awk -v a=$pwuid -v b=$wuid \"(\\\$1 == a || \\\$1 == b) && \\\$2 !~ /^Z/\" | grep -q ."'
start
check "main killed: restarted on the stale socket, it serves" serves
check "main killed: the database passes integrity_check" consistent
kill "$pid"; wait "$pid"; pid=
finish
