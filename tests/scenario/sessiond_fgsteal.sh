#!/bin/sh
# Issue 13, hole 2, sessiond's tier-2 gap: a process of the user's old
# shell takes the user's terminal in the middle of a session, to read what
# the person types for the session (a higher label). The person is a user
# typing in a job-control shell (bash -i) in a pane of root's tmux server
# (a trusted provider the user cannot drive); the password is typed at
# the pane (a private path through sessiond). The attacker is bgsteal
# (tests/scenario/bgsteal.c), holding no descriptor on the terminal when
# the session starts, so that every check at the start passes, and
# striking once the session runs (the test creates the file it waits for):
# - a background job of the old shell (bgsteal tty) opens /dev/tty, makes
#   itself the terminal's foreground group (tcsetpgrp, SIGTTOU ignored)
#   and reads: sessiond must end the session at once, saying who took the
#   foreground and that nothing typed after reached the session, record
#   how it ended, and the old shell must get the terminal back, so that
#   what the person types after the end (the test types only then: at
#   tier 2 a line typed while the thief holds the foreground is the
#   thief's, sessiond(8)) reaches the old shell and not the thief;
# - a process of the user outside the terminal's session (bgsteal path,
#   started with setsid) opens the terminal by its name, where job
#   control does not stop it reading: sessiond must end the session,
#   naming it, within its holder period.
# A session with no attacker runs past several periods and ends as usual.
# Ends with "N passed, M failed".
name=sessiond_fgsteal.sh
tiocsti_off=1
. "$(dirname "$0")/sessiond_lib.sh"
need_built tests/scenario/bgsteal
need_tools bash
cp "$build/tests/scenario/bgsteal" "$bin/" || die "cannot copy bgsteal into $bin"
bgsteal=$bin/bgsteal

useradd -m -d "$tmp/home/ixfg" -s /bin/sh ixfg || exit 99
printf 'pw of ixfg\n' | "$pwadmin" --secrets-db "$tmp/secrets/pw.db" set-password --stdin ixfg \
	>/dev/null || exit 99
secret_policy ixfg
start_daemons "$tmp/test.policy" --provider tmux=/usr/bin/tmux
mkdir -m 0777 "$tmp/loot" || exit 99

bpane() {	# bpane USER: a window with the user's bash, job control on (prompt "old$ ")
	n=$((n + 1))
	win=ss:w$n
	tm new-window -d -t ss: -n "w$n" "setpriv --reuid=$1 --regid=$1 --init-groups --inh-caps=-all env -i HOME=$tmp/home/$1 PATH=/usr/bin:/bin TERM=screen PS1='old\$ ' bash --norc --noprofile -i"
	wait_for 'old$'
}
# open_session TAG: session secret typed at the old shell, the password,
# then a command typed in the session that shows it relays.
open_session() {
	fresh
	type_in "$session --socket $sock secret; echo $1-status=\$?"
	wait_for "Password for" || { screen; bad "$1: the password is asked"; return 1; }
	type_in "pw of ixfg"
	wait_for "at secret on /dev/pts/" || { screen; bad "$1: the session starts"; return 1; }
	type_in "echo in-session-\$IXKIT_SESSION_LABEL"
	wait_for "in-session-secret" || { screen; bad "$1: the session relays"; return 1; }
}
# ended_soon: "session: ended:" on the screen within 3 s (never, on a
# sessiond that does not watch).
ended_soon() {
	i=0
	until on_screen "session: ended:"; do
		[ $i -ge 30 ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}

# 0. No attacker: the watch ends nothing by itself.
bpane ixfg
open_session s0
sleep 2.5	# past several holder periods
type_in "echo still-in-\$IXKIT_SESSION_LABEL"
wait_for "still-in-secret"
type_in "exit 4"
st=$(status_of s0)
screen
check "with no attacker a session runs past the watch's periods and ends as usual" \
	'[ "$st" = 0 ] && grep -q "session: ended: exit 4" "$tmp/out"'

# 1. A background job of the old shell takes the foreground mid-session.
bpane ixfg
type_in "$bgsteal tty $tmp/loot/job $tmp/loot/job.go </dev/null >/dev/null 2>&1 &"
wait_for '[1]'
open_session s1
ends=$(grep -c "sessiond-end " "$log")
touch "$tmp/loot/job.go"
until_true test -s "$tmp/loot/job.took" || bad "the thief took the foreground"
thief=$(cat "$tmp/loot/job.took")
ended_soon && ok "the session ended once the foreground was taken" ||
	bad "the session ended once the foreground was taken"
# The person types only now: the session has said it ended (or, on a
# sessiond that does not watch, 3 s have passed and it still runs).
for k in 1 2 3; do
	type_in "echo typed-after-the-theft-$k"
	sleep 0.3
done
st=$(status_of s1)
screen
check "the session says who took the foreground and that nothing typed after reached it" \
	'grep -q "session: ended: the foreground process group changed (pid $thief (bgsteal) took the terminal); nothing typed after that reached the session" "$tmp/out"'
check "session exits 3 (ended by sessiond)" '[ "$st" = 3 ]'
check "the end is recorded as the foreground taken, with the thief named in the log" \
	'[ "$(grep -c "sessiond-end " "$log")" -gt "$ends" ] && grep -q "sessiond-end .*how=foreground taken" "$log" && grep -q "pid $thief (bgsteal) took the terminal" "$log"'
check "its compartment is gone" 'none session_cgroups'
check "the thief read nothing (typed after the session said it ended)" '[ ! -s "$tmp/loot/job" ]'
check "what was typed after the end reached the old shell" \
	'grep -q "^typed-after-the-theft-1" "$tmp/out" && grep -q "^typed-after-the-theft-3" "$tmp/out"'
[ -s "$tmp/loot/job" ] && echo "info: the thief read: $(tr '\r' ' ' < "$tmp/loot/job")"
type_in "kill %1 2>/dev/null; echo job-gone"
wait_for "job-gone"

# 2. A process of the user outside the terminal's session opens it by
# its name (as login makes it, the terminal is the user's).
bpane ixfg
type_in "echo pane-tty=\$(tty)"
wait_for "pane-tty=/dev/pts/"
pane_tty=$(pane_text | sed -n 's/^pane-tty=//p' | tail -1)
chown ixfg "$pane_tty" || exit 99
open_session s2
ends=$(grep -c "sessiond-end " "$log")
as ixfg setsid "$bgsteal" path "$tmp/loot/path" "$tmp/loot/path.go" "$pane_tty" \
	</dev/null >/dev/null 2>&1 &
reader=$!
touch "$tmp/loot/path.go"
until_true test -s "$tmp/loot/path.took" || bad "the reader opened the terminal"
opener=$(cat "$tmp/loot/path.took")
ended_soon && ok "the session ended once a process outside it opened the terminal" ||
	bad "the session ended once a process outside it opened the terminal"
st=$(status_of s2)
screen
check "the session names the process that opened the terminal" \
	'grep -q "session: ended: pid $opener opened your terminal during the session; nothing typed after that reached the session" "$tmp/out"'
check "session exits 3, the end recorded as the terminal opened" \
	'[ "$st" = 3 ] && [ "$(grep -c "sessiond-end " "$log")" -gt "$ends" ] && grep -q "sessiond-end .*how=terminal opened" "$log"'
kill "$reader" "$opener" 2>/dev/null

finish
