#!/bin/sh
# sessiond and session end to end, as a person types them in a terminal
# (a tmux pane; tmux is a trusted provider): a real passwdd, sessiond and
# privd on a private database and run directory, throwaway users in a
# private /etc overlay. Checks: a user cleared to secret opens
# `session secret`, authenticates with a one-time code typed at the
# terminal, and inside is another shell, on another pty, in a compartment
# labelled secret (seen by compartctl ps from outside), listed by
# session -l; a window size change reaches it; `exit` comes back to the
# old shell with the status reported, the terminal cooked again and the
# session recorded (sessions table, audit chain); a wrong code is refused
# (exit 1); a port limited to confidential (a pty held by script(1), a
# provider the policy limits) is refused; a user cleared only to
# confidential is refused with the reason, before any password is asked;
# a session from a pipe is refused; usage errors exit 2; a command after
# -- runs, reads what is typed, and the screen is cleared when its label
# is left downwards; session -a: priv inside needs no password (passwdd
# accepts the session's tag), in a plain session it asks, and the tag is
# withdrawn at the end, and a later session on the same pty number gets
# no tag; a terminal hang-up ends the session; a sessiond
# monitor killed mid-session: main ends the session at once; killed
# together with main, it leaves a row that the next sessiond ends.
# Runs itself in private pid and mount namespaces. Needs root, tmux,
# oathtool, script, setpriv, unshare, useradd, sqlite3.
# Ends with "N passed, M failed".
name=sessiond_basic.sh
. "$(dirname "$0")/sessiond_lib.sh"

for u in ixsesssec ixsessconf ixsesscmd ixsessadm; do
	useradd -m -d "$tmp/home/$u" -s /bin/sh "$u" || exit 99
done

cat > "$tmp/test.policy" <<'POLICY'
ixkit-policy 1
right probe plain
right unattended plain
level unclassified
level confidential
level secret
level topsecret
node /
	predicate NONE
	rights ALL
node /adm
	predicate ID(ixsessadm) & PW(ixsessadm)
	rights probe | unattended
rule exit
	template exit ([0-9]+)
	need probe
	action EXEC(/bin/sh, -c, "exit $1")
clearance ixsessadm unclassified..secret
clearance ixsesssec unclassified..secret
clearance ixsesscmd unclassified..secret
clearance ixsessconf unclassified..confidential
port unclassified..secret /dev/pts/[0-9]+@tmux
port unclassified..confidential /dev/pts/[0-9]+@script
provider tmux /usr/bin/tmux
provider script /usr/bin/script
floor unclassified
POLICY
for u in ixsesssec ixsesscmd ixsessadm; do
	"$pwadmin" --secrets-db "$tmp/secrets/pw.db" enrol-totp "$u" --no-qr > "$tmp/uri" || exit 99
	eval "otp_$u=\$(sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p' \"\$tmp/uri\")"
done
start_daemons "$tmp/test.policy"
check "socket is 0666" '[ "$(stat -c %a "$sock")" = 666 ]'

# Without a terminal, and usage errors.
echo | as ixsesssec "$session" --socket "$sock" secret > "$tmp/out" 2>&1
st=$?
check "from a pipe: refused (1), standard input is not a terminal" '[ $st = 1 ] && grep -q "refused: standard input is not a terminal" "$tmp/out"'
as ixsesssec "$session" --socket "$sock" > "$tmp/out" 2>&1 < /dev/null
st=$?
check "no label: usage, exit 2" '[ $st = 2 ] && grep -q "no label given" "$tmp/out" && grep -q "^usage:" "$tmp/out"'
as ixsesssec "$session" --socket "$sock" secret id > "$tmp/out" 2>&1 < /dev/null
check "a command without --: usage, exit 2" '[ $? = 2 ]'
as ixsesssec "$session" --socket "$sock" -l > "$tmp/out" 2>&1 < /dev/null
st=$?
check "session -l with no session: exit 0, nothing listed" '[ $st = 0 ] && [ ! -s "$tmp/out" ]'


# A user cleared to secret opens a session at secret.
pane ixsesssec
type_in "echo pane-tty=\$(tty)"
wait_for "pane-tty=/dev/pts/"
pane_tty=$(tm capture-pane -p -t "$win" | sed -n 's/^pane-tty=//p' | tail -1)
type_in "$session --socket $sock secret; echo s1-status=\$?"
wait_for "One-time code:" && ok "passwdd asks the person at the terminal (one-time code, the pane is not a private path for sessiond yet)" ||
	{ screen; bad "passwdd asks for a one-time code"; }
type_in "$(oathtool --totp -b "$otp_ixsesssec")"
wait_for "session: session 1 at secret on /dev/pts/" && ok "the session starts and says where" ||
	{ screen; bad "the session starts"; }
type_in "PS1='new\$ '; echo in-label=\$IXKIT_SESSION_LABEL; echo in-tty=\$(tty); echo in-uid=\$(id -un); echo in-pwd=\$(pwd); cat /proc/self/cgroup"
until_true on_screen_re "^0::/" || { screen; bad "the session's shell answers"; }
screen
check "inside: the session's label is secret" 'grep -q "^in-label=secret" "$tmp/out"'
check "inside: the same user" 'grep -q "^in-uid=ixsesssec" "$tmp/out"'
check "inside: the login shell starts at home" 'grep -q "^in-pwd=$tmp/home/ixsesssec$" "$tmp/out"'
in_tty=$(sed -n 's/^in-tty=//p' "$tmp/out" | tail -1)
check "inside: a fresh pty, not the user's terminal" '[ -n "$in_tty" ] && [ "$in_tty" != "$pane_tty" ] && case "$in_tty" in /dev/pts/*) true;; *) false;; esac'
check "inside: the shell lives in the session's compartment" 'grep -q "^0::/ixkit/session-[0-9]*$" "$tmp/out"'
type_in "echo in-ps=\$(ps -eo comm= | sort | tr '\\n' ' ')"
until_true on_screen_re "^in-ps=[a-z]" || { screen; bad "ps inside the session answers"; }
screen
check "inside: ps shows the session's own processes, none of the host's (issue 16)" \
	'grep -q "^in-ps=.*ixkit-init" "$tmp/out" && none grep -Eq "^in-ps=.*(sessiond|tmux|passwdd)" "$tmp/out"'
"$compartctl" --config /dev/null --db "$db" ps > "$tmp/ps" 2>&1
check "compartctl ps (outside, root) shows the shell at secret" 'grep "session-" "$tmp/ps" | grep -q "secret"' || cat "$tmp/ps"
check "the session's pty belongs to the user" '[ "$(stat -c %U "$in_tty")" = ixsesssec ]'
check "the audit chain and the log record the start" 'grep -q "sessiond-start .*label=secret port=/dev/pts/[0-9]*@tmux tty=$in_tty" "$log"'
type_in "$session --socket $sock -l; echo list-status=\$?"
st=$(status_of list)
screen
check "session -l lists the live session" '[ "$st" = 0 ] && grep -q "^1 secret on $in_tty from $pane_tty@tmux since " "$tmp/out"'
type_in "stty size"
tm resize-window -t "$win" -x 120 -y 30 2>/dev/null || tm resize-pane -t "$win" -x 120 -y 30
sleep 0.5
type_in "echo size=\$(stty size)"
until_true on_screen_re "^size=[0-9]" || { screen; bad "window size inside"; }
screen
check "a window size change reaches the session's pty" 'grep -q "^size=30 120" "$tmp/out"'
type_in "exit 7"
st=$(status_of s1)
screen
check "exit ends the session: the status is reported, session exits 0" '[ "$st" = 0 ] && grep -q "session: ended: exit 7" "$tmp/out"'
type_in "echo back=\$\$-\$(tty)"
until_true on_screen_re "^back=[0-9]" || { screen; bad "the old shell answers"; }
screen
check "the old shell is back on the user's terminal" 'grep -q "^old\$ .*" "$tmp/out" && grep -q "^back=[0-9]*-$pane_tty" "$tmp/out"'
check "the terminal is cooked again (echo on)" 'grep -q "^old\$ echo back=" "$tmp/out"'
check "the compartment is gone" 'none session_cgroups'
check "the end is audited" 'grep -q "sessiond-end .*session=1 .*how=shell" "$log" && grep -q "sessiond-exit .*session=1 .*exit 7" "$log"'
as ixsesssec "$session" --socket "$sock" -l > "$tmp/out" 2>&1 < /dev/null
check "session -l after the end lists nothing" '[ ! -s "$tmp/out" ]'
sqlite3 "$db" "SELECT login, label, port, tty, admin, how FROM sessions WHERE id = 1 AND ended >= started" > "$tmp/out"
check "the sessions table holds who, label, port, pty and how it ended" 'grep -q "^ixsesssec|secret|$pane_tty@tmux|$in_tty|0|shell$" "$tmp/out"'

# A wrong code.
type_in "$session --socket $sock secret; echo s2-status=\$?"
wait_for "One-time code:" || { screen; bad "second prompt"; }
type_in "000000"
st=$(status_of s2)
screen
check "a wrong code: refused (1), authentication failed" '[ "$st" = 1 ] && grep -q "session: refused: authentication failed" "$tmp/out"'

# A port limited to confidential: the same user in a pty held by script(1).
fresh
type_in "script -qc '$session --socket $sock secret; echo s3-status=\$?' /dev/null"
st=$(status_of s3)
screen
check "a port limited to confidential refuses secret, naming the port" '[ "$st" = 1 ] && grep -q "session: refused: the port /dev/pts/[0-9]*@script is suitable only for unclassified..confidential, not secret" "$tmp/out"'

# A user cleared only to confidential.
pane ixsessconf
type_in "$session --socket $sock secret; echo s4-status=\$?"
st=$(status_of s4)
screen
check "a user cleared to confidential is refused secret, before any password" '[ "$st" = 1 ] && grep -q "session: refused: secret is not within the clearance of ixsessconf (unclassified..confidential)" "$tmp/out" && lacks "$tmp/out" "One-time code"'
check "the refusal is audited" 'grep -q "sessiond-request .*label=secret .*decision=refused reason=refused: secret is not within the clearance of ixsessconf" "$log"'

# A command after --, and a terminal that hangs up mid-session.
pane ixsesscmd
type_in "$session --socket $sock confidential -- sh -c 'echo cmd-label=\$IXKIT_SESSION_LABEL; read x; echo got-\$x; read x; exit 3'; echo s5-status=\$?"
wait_for "One-time code:" || { screen; bad "prompt for the command"; }
type_in "$(oathtool --totp -b "$otp_ixsesscmd")"
until_true on_screen_re "^cmd-label=" || { screen; bad "the command runs"; }
screen
check "a command after -- runs in the session at its label" 'grep -q "^cmd-label=confidential" "$tmp/out"'
type_in "typed-in"
until_true on_screen_re "^got-typed-in" && ok "what the person types reaches the command" ||
	{ screen; bad "what the person types reaches the command"; }
type_in "done"
st=$(status_of s5)
screen
check "the command's status is reported, session exits 0" '[ "$st" = 0 ] && grep -q "session: ended: exit 3" "$tmp/out"'
check "leaving confidential for unclassified cleared the screen" 'lacks "$tmp/out" "cmd-label="'
check "each session's pty was taken back and hung up without a fault" 'lacks "$log" "label not removed"'

# An administrator session: passwdd accepts the session's tag for priv.
pane ixsessadm
type_in "$session --socket $sock -a secret; echo s6-status=\$?"
wait_for "One-time code:" || { screen; bad "prompt for the administrator session"; }
type_in "$(oathtool --totp -b "$otp_ixsessadm")"
wait_for "at secret on /dev/pts/" || { screen; bad "the administrator session starts"; }
# The session's shell may print its prompt before session's own line
# reaches the old terminal: the line is found wherever it stands.
adm_tty=$(tm capture-pane -p -J -S -100 -t "$win" | sed -n 's/^.*session: session [0-9]* at secret on \(\/dev\/pts\/[0-9][0-9]*\).*/\1/p' | tail -1)
check "sessiond registered a tag with passwdd" 'grep -q "tag-register cgroup=[0-9]* identities=1 lifetime=3600" "$tmp/passwdd.log"'
type_in "$priv --socket $run/privd.sock exit 5; echo priv-status=\$?"
st=$(status_of priv)
screen
check "inside session -a, PW(...) needs no code: passwdd accepts the tag" '[ "$st" = 5 ] && [ "$(grep -c "One-time code" "$tmp/out")" = 1 ] && grep -q "verify user=ixsessadm .*method=session tag result=granted" "$tmp/passwdd.log"'
type_in "exit"
st=$(status_of s6)
check "the administrator session ends; its tag is withdrawn" '[ "$st" = 0 ] && grep -q "tag-unregister cgroup=" "$tmp/passwdd.log"'
fresh
type_in "$session --socket $sock secret; echo s7-status=\$?"
wait_for "One-time code:" || { screen; bad "prompt for the plain session"; }
sleep 31	# the next one-time code: passwdd never takes one twice
type_in "$(oathtool --totp -b "$otp_ixsessadm")"
wait_for "at secret on /dev/pts/" || { screen; bad "the plain session starts"; }
plain_tty=$(tm capture-pane -p -J -S -100 -t "$win" | sed -n 's/^.*session: session [0-9]* at secret on \(\/dev\/pts\/[0-9][0-9]*\).*/\1/p' | tail -1)
check "the plain session got the administrator session's pty number again ($adm_tty)" '[ -n "$adm_tty" ] && [ "$plain_tty" = "$adm_tty" ]'
fresh
type_in "$priv --socket $run/privd.sock exit 5; echo priv2-status=\$?"
wait_for "One-time code:" && ok "the tag died with its session: on the same pty number priv asks for the code again" ||
	{ screen; bad "the tag died with its session: on the same pty number priv asks for the code again"; }
tm send-keys -t "$win" C-c

# The user's terminal hangs up mid-session (the window is closed).
ends=$(grep -c "sessiond-end " "$log")
tm kill-window -t "$win"
until_true [ "$(grep -c "sessiond-end " "$log")" -gt "$ends" ]
check "a terminal hang-up ends the session, recorded" 'tail -3 "$log" | grep -q "sessiond-end .*how=terminal hung up"'
check "its compartment is gone" 'none session_cgroups'

# session_at_secret TAG USER: USER's session at secret in a new pane;
# $monitor is the monitor serving it (the pid of its "started" line).
session_at_secret() {
	pane "$2"
	type_in "$session --socket $sock secret; echo $1-status=\$?"
	wait_for "One-time code:" || { screen; bad "$1: the prompt"; }
	eval "type_in \"\$(oathtool --totp -b \"\$otp_$2\")\""
	wait_for "at secret on /dev/pts/" || { screen; bad "$1: the session starts"; }
	monitor=$(sed -n "s/.*sessiond\[\([0-9]*\)\] started session=.* login=$2 .*/\1/p" "$log" | tail -1)
}

# A monitor killed mid-session: main ends the session at once.
session_at_secret s8 ixsesssec
kill -KILL "$monitor"
st=$(status_of s8)
screen
check "a killed monitor: session says so (3), the terminal works again" '[ "$st" = 3 ] && grep -q "session: sessiond closed the connection" "$tmp/out"'
type_in "echo alive-\$((6*7))"
until_true on_screen "alive-42" && ok "the old shell reads the terminal again (cooked, echo on)" || { screen; bad "the old shell reads the terminal again"; }
# the log line comes as the terminal is restored, the record just after
until_true grep -q "orphan session=[0-9]* worker=$monitor ended" "$log"
until_true [ -n "$(sqlite3 "$db" "SELECT how FROM sessions WHERE worker_pid = $monitor AND ended IS NOT NULL")" ]
check "main ends the dead monitor's session at once" 'grep -q "orphan session=[0-9]* worker=$monitor ended" "$log"'
check "the sessions table says how" '[ "$(sqlite3 "$db" "SELECT how FROM sessions WHERE worker_pid = $monitor")" = "monitor died" ]'
check "no compartment is left" 'none session_cgroups'

# A monitor and main killed together (main stopped first, so that it
# cannot end the session itself): the next sessiond ends it.
session_at_secret s9 ixsesscmd
kill -STOP "$pid"
kill -KILL "$monitor"
kill -KILL "$pid"
wait "$pid"
st=$(status_of s9)
check "monitor and main killed: session says so (3)" '[ "$st" = 3 ]'
start_sessiond
# the log line comes as the terminal is restored, the record just after
until_true grep -q "orphan session=[0-9]* worker=$monitor ended" "$log"
until_true [ -n "$(sqlite3 "$db" "SELECT how FROM sessions WHERE worker_pid = $monitor AND ended IS NOT NULL")" ]
check "the restarted sessiond ends the dead monitor's session" 'grep -q "orphan session=[0-9]* worker=$monitor ended" "$log"'
check "the sessions table says how" '[ "$(sqlite3 "$db" "SELECT how FROM sessions WHERE worker_pid = $monitor")" = "sessiond restarted" ]'
check "no compartment is left" 'none session_cgroups'
check "no session is left live" '[ "$(sqlite3 "$db" "SELECT count(*) FROM sessions WHERE ended IS NULL")" = 0 ]'

kill "$pid"
wait "$pid"
pid=
"$privtree" --config /dev/null --db "$db" verify > "$tmp/out" 2>&1
check "privtree verify: the audit chain is sound after the run" 'grep -q "chain sound" "$tmp/out"'

finish
