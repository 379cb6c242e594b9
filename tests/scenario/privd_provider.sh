#!/bin/sh
# A program of the user confirms for the person through a "trusted
# provider" (issue 13, hole 1), tried as the attacker would: a process of
# the user's uid with no terminal starts its own tmux server (tmux is a
# provider the policy names), runs priv in it and answers the confirmation
# with `tmux send-keys yes Enter`. Before, the action ran and the audit said
# outcome=yes. Now the user's own tmux is not a private path (its server
# runs as the user, and its socket is the user's): privd says so, shows
# the action and asks a one-time code after yes; the attacker's yes and a
# guessed code run nothing, the audit says outcome=bad-otp. A person at
# such a terminal who types yes and the right code (oathtool, the same
# TOTP enrolment as passwdd's) gets the action run, audited as yes-otp.
# With privd --nonprivate refuse nothing is asked there at all. The
# harness's tmux (root's server, a socket only root reaches) stays a
# private path: yes alone. priv -n and privtree check say which kind of
# path a stream is and why.
# Runs itself in private pid and mount namespaces with /etc overlaid
# (privd_lib.sh); a real passwdd checks the codes. Ends with
# "N passed, M failed".
name=privd_provider.sh
. "$(dirname "$0")/privd_lib.sh"
need_built passwdd/passwdd passwdd/passwdd-admin
need_tools oathtool setsid

adduser ixpvuser
cd "$tmp" || exit 99

provider_policy ixpvuser tmux /usr/bin/tmux > "$tmp/test.policy"

# passwdd, holding the user's TOTP enrolment, for the one-time codes.
otp_passwdd ixpvuser tmux=/usr/bin/tmux
start_privd "$tmp/test.policy"

started() { grep -c "started login=ixpvuser " "$log"; }
outcomes() { sqlite3 "$db" "SELECT text FROM audit WHERE kind = 'privd-confirm'" | sed -n 's/.*outcome=\([a-z-]*\).*/\1/p' | tr '\n' ' '; }

# The attacker: the user's uid, no terminal, its own tmux server.
adir=$tmp/atk
mkdir -m 700 "$adir" && chown ixpvuser: "$adir" || exit 99
# tmux runs a window's command with $SHELL, or else the user's login
# shell, nologin here: name a shell, whatever the environment brings.
atm() { as ixpvuser env SHELL=/bin/sh tmux -S "$adir/sock" -f /dev/null "$@"; }
atk_screen() { atm capture-pane -p -J -S -100 -t "$1"; }
atk_shows() { atk_screen "$1" | grep -qF -- "$2"; }
atk_run() {	# atk_run WIN ARGS...: priv ARGS in a window of the attacker's server
	w=$1; shift
	printf 'cd %s || exit 1\n%s --socket %s %s\necho priv-status=$?\nsleep 600\n' \
		"$tmp" "$priv" "$run/privd.sock" "$*" > "$adir/$w.sh"
	chmod 644 "$adir/$w.sh"
	if atm has-session -t a 2>/dev/null; then
		atm new-window -d -t a: -n "$w" "sh -m $adir/$w.sh"
	else
		as ixpvuser env SHELL=/bin/sh setsid tmux -S "$adir/sock" -f /dev/null new-session -d -s a -n "$w" \
			-x 160 -y 40 "sh -m $adir/$w.sh" < /dev/null > /dev/null 2>&1
	fi
}
atk_status() {
	until_true atk_shows "a:$1" "priv-status=" || { echo "still running"; return; }
	atk_screen "a:$1" | sed -n 's/^priv-status=//p'
}
show_failure() {
	atm list-windows -F '#W' 2>/dev/null | while read -r w; do atk_screen "a:$w" | grep . | sed "s/^/  $w| /"; done
	tail -5 "$log" | sed 's/^/  log| /'
	tail -3 "$tmp/passwdd.log" | sed 's/^/  pwlog| /'
}

# 1. The attack: the program's own yes, and a guessed code.
atk_run w1 probe
until_true atk_shows a:w1 "type yes to run it" || bad "the attacker's pane shows the confirmation"
atm send-keys -t a:w1 yes Enter
if until_true atk_shows a:w1 "One-time code:"; then
	atm send-keys -t a:w1 "$(wrong_code)" Enter
fi
st=$(atk_status w1)
check "the attacker's yes in its own tmux runs nothing (status $st, not 0)" '[ "$st" != 0 ] && [ "$(started)" = 0 ]'
check "... privd said why: the provider runs as the user's uid" \
	'atk_shows a:w1 "is not a private path" && atk_shows a:w1 "runs as uid $(id -u ixpvuser), yours"'
check "... and asked a one-time code after yes" 'atk_shows a:w1 "One-time code:"'
check "... audited as bad-otp, never yes" '[ "$(outcomes)" = "bad-otp " ]'

# 2. The person at such a terminal: yes and the right code.
atk_run w2 probe
until_true atk_shows a:w2 "type yes to run it" || bad "the second confirmation is shown"
atm send-keys -t a:w2 yes Enter
until_true atk_shows a:w2 "One-time code:" || bad "the one-time code is asked"
atm send-keys -t a:w2 "$(code_now)" Enter
st=$(atk_status w2)
check "yes and a fresh one-time code run the action (status $st)" '[ "$st" = 0 ] && [ "$(started)" = 1 ]'
check "... audited as yes-otp" '[ "$(outcomes)" = "bad-otp yes-otp " ]'

# 3. priv -n says which kind of path each stream is.
atk_run w3 -n probe
atk_status w3 > /dev/null
check "priv -n in the user's own tmux: not private, and why" \
	'atk_shows a:w3 "path: not private: " && atk_shows a:w3 "one-time code after yes"'
inpane ixpvuser -n probe
status > /dev/null
check "priv -n in root's tmux: a private path" 'on_screen "path: private: no program of yours"'

# 4. Root's tmux (the harness's) stays a private path: yes alone.
inpane ixpvuser probe
wait_for "type yes to run it" || bad "root's tmux shows the confirmation"
type_in yes
st=$(status)
check "in root's tmux, yes alone runs the action (status $st)" '[ "$st" = 0 ] && [ "$(started)" = 2 ]'
check "... no one-time code asked there" '! on_screen "One-time code:" && ! on_screen "not a private path"'

# 5. --nonprivate refuse: no confirmation over such a path at all.
stop_privd
"$privd" -f --rundir "$run" --log "$log" --passwdd-socket "$pwsock" --prompt-timeout 10 \
	--nonprivate refuse &
pid=$!
until_true test -S "$run/privd.sock" || exit 99
sleep 0.3
atk_run w4 probe
st=$(atk_status w4)
check "with --nonprivate refuse, the user's own tmux is refused (status $st)" \
	'[ "$st" = 125 ] && atk_shows a:w4 "needs your confirmation over a private path" && [ "$(started)" = 2 ]'
check "... and no code is asked" '! atk_shows a:w4 "One-time code:"'

# 6. privtree check says the same from the stream identifier alone.
"$privtree" --log "$tmp/privtree.log" check --user ixpvuser --src /dev/pts/3@tmux probe > "$tmp/out" 2> "$tmp/err"
check "privtree check: a provider's pty is private only if its holder is out of the user's reach" \
	'grep -q "path: private only if" "$tmp/out"'
"$privtree" --log "$tmp/privtree.log" check --user ixpvuser --src /dev/tty2 probe > "$tmp/out" 2> "$tmp/err"
check "privtree check: a virtual console is a private path" 'grep -q "path: private: a local console" "$tmp/out"'

finish
