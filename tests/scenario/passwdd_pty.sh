#!/bin/sh
# passwdd over real terminals, as a person types: pwcheck runs in a tmux
# pane (the tmux server, a root-owned binary, holds the pty's master and is
# named a trusted provider), keys are sent with send-keys and the screen is
# read with capture-pane. Checks: a correct password is accepted and never
# echoed; two verifications in quick succession on one pty both succeed;
# a wrong one fails; the PAM backend verifies a real pam_unix
# password of a throwaway user (in a private /etc overlay); without a
# trusted provider, or with dev.tty.legacy_tiocsti = 1, pex fails, the
# person is told why and only a one-time code (from oathtool) is accepted;
# passwdd changes the sysctl only with --tiocsti-off, and logs it.
# Failures for root from a pipe lock (root, 0, pipe), while root on the
# real virtual console /dev/tty1 is asked every time (NOT TESTED without
# a virtual console).
# passwdd is the confined daemon (its own user, created in the overlaid
# /etc; pex, the prompt and PAM run in its root helper).
# Runs itself in private pid and mount namespaces (pex must be able to read
# every holder, and /etc is overlaid there). Sets dev.tty.legacy_tiocsti
# and restores it; make orders it after test_pex, which does the same.
# Needs root, tmux, oathtool, unshare. Ends with "N passed, M failed".
name=passwdd_pty.sh
. "$(dirname "$0")/harness.sh"
need_built passwdd/passwdd passwdd/passwdd-admin passwdd/pwcheck
need_tools tmux oathtool useradd chpasswd
world tiocsti
world_setup
admin=$pwadmin
db=$tmp/secrets/passwdd.db
log=$tmp/passwdd.log
pid=
at_exit '[ -n "$pid" ] && kill "$pid" 2>/dev/null; tmux -S "$tmp/tm" kill-server 2>/dev/null'
show_failure() { tm capture-pane -p -t "$win" 2>/dev/null | grep . | sed 's/^/  screen| /'; sed 's/^/  log| /' "$log"; }

# A throwaway user with a real pam_unix password, in the private /etc.
useradd -M -d /nonexistent -s /usr/sbin/nologin ixpwtest || exit 99
# pwcheck runs as the user it verifies, as a person would: a root client
# could drive any provider, so no pty is a private path for root.
useradd -M -d /nonexistent -s /usr/sbin/nologin tess || exit 99
tess_uid=$(id -u tess)
mkdir -m 700 "$tmp/secrets" && chown ixkit-passwd: "$tmp/secrets" || exit 99
echo 'ixpwtest:unix secret' | chpasswd || exit 99
printf 'auth required pam_unix.so\naccount required pam_unix.so\n' > /etc/pam.d/ixkit-pwtest

printf 'correct horse\n' | "$admin" --secrets-db "$db" set-password --stdin tess >/dev/null || exit 99
"$admin" --secrets-db "$db" enrol-totp tess --no-qr > "$tmp/uri" || exit 99
secret=$(sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p' "$tmp/uri")
"$admin" --secrets-db "$db" set-backend ixpwtest pam:ixkit-pwtest >/dev/null || exit 99

start() {	# start [PASSWDD-OPTIONS]: (re)start passwdd on $tmp/s
	[ -n "$pid" ] && { kill "$pid"; wait "$pid"; }
	"$passwdd" -f --config /dev/null --socket "$tmp/s" --secrets-db "$db" --log "$log" \
		--lockout-after 0 --backoff-ms 1 --backoff-max-ms 1 "$@" &
	pid=$!
	i=0
	while [ ! -S "$tmp/s" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}
tm() { tmux -S "$tmp/tm" -f /dev/null "$@"; }
tm new-session -d -s pw -x 120 -y 20 "sleep 3600" \; set-option -g remain-on-exit on || exit 99
n=0
win=pw
run() {	# run USER: pwcheck for USER in a fresh window, as its own job (sh -m
	# gives it a process group of its own, in the foreground, as a shell
	# does), then its exit status on the screen
	n=$((n + 1))
	win=pw:w$n
	tm new-window -d -t pw: -n "w$n" "setpriv --reuid=$1 --regid=$1 --init-groups sh -mc '$pwcheck --socket $tmp/s $1; echo pwcheck-status=\$?'"
}
wait_for() {	# wait_for TEXT: until the screen shows it (5 s)
	i=0
	while ! tm capture-pane -p -t "$win" | grep -qF -- "$1"; do
		[ $i -ge 50 ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}
status() {	# the exit status of the window's pwcheck, once it has exited (10 s)
	wait_for "pwcheck-status=" || { echo "still running"; return; }
	tm capture-pane -p -t "$win" | sed -n 's/^pwcheck-status=//p'
}
type_in() { tm send-keys -t "$win" -l "$1"; tm send-keys -t "$win" Enter; }

echo 0 > /proc/sys/dev/tty/legacy_tiocsti
start --provider tmux=/usr/bin/tmux

run tess
wait_for "Password for" && ok "a trusted pty gets a password prompt" || bad "a trusted pty gets a password prompt"
type_in "correct horse"
st=$(status); [ "$st" = 0 ] && ok "correct password accepted" || bad "correct password accepted ($st)"
tm capture-pane -p -t "$win" | grep -q "correct horse" && bad "the password is not echoed" || ok "the password is not echoed"
grep -q "user=tess requester=$tess_uid pid=[0-9]* port=/dev/pts/[0-9]* method=password result=granted" "$log" &&
	ok "logged as a password verification" || bad "logged as a password verification"

# Two verifications in quick succession on the same pty: the second
# connects the moment the first has its answer, so the first's worker must
# have let the terminal go before answering (or pex sees it holding the
# terminal outside the session, and only a one-time code is asked).
n=$((n + 1))
win=pw:w$n
tm new-window -d -t pw: -n "w$n" "setpriv --reuid=tess --regid=tess --init-groups sh -mc '$pwcheck --socket $tmp/s tess; echo first=\$?; $pwcheck --socket $tmp/s tess; echo pwcheck-status=\$?'"
wait_for "Password for" || bad "quick succession: first prompt"
type_in "correct horse"
wait_for "first=" || bad "quick succession: first answer"
i=0
while [ "$(tm capture-pane -p -t "$win" | grep -c "Password for")" -lt 2 ] && [ $i -lt 50 ]; do
	tm capture-pane -p -t "$win" | grep -q "One-time code:" && break
	sleep 0.1
	i=$((i + 1))
done
type_in "correct horse"
st=$(status)
first=$(tm capture-pane -p -t "$win" | sed -n 's/^first=//p')
[ "$first" = 0 ] && [ "$st" = 0 ] && ok "two verifications in quick succession on one pty both succeed" ||
	bad "two verifications in quick succession on one pty both succeed (first=$first second=$st)"

run tess
wait_for "Password for" || bad "second prompt"
type_in "wrong horse"
[ "$(status)" = 1 ] && ok "wrong password refused" || bad "wrong password refused"
wait_for "pwcheck: authentication failed" && ok "the person reads 'authentication failed'" ||
	bad "the person reads 'authentication failed'"

run ixpwtest
wait_for "Password for" || bad "PAM user prompt"
type_in "unix secret"
st=$(status); [ "$st" = 0 ] && ok "PAM backend: the real pam_unix password accepted" || bad "PAM backend accepts ($st)"
run ixpwtest
wait_for "Password for" || bad "PAM user prompt"
type_in "correct horse"
[ "$(status)" = 1 ] && ok "PAM backend: a wrong password refused" || bad "PAM backend refuses"
grep -q "user=ixpwtest .* method=pam result=granted" "$log" && ok "logged as pam" || bad "logged as pam"

# No trusted provider: tmux's master is then held by an unknown program.
start
run tess
wait_for "One-time code:" && ok "untrusted pty: only a one-time code is asked" ||
	bad "untrusted pty: only a one-time code is asked"
tm capture-pane -p -t "$win" | grep -q "^passwdd: .*not a trusted terminal provider" && ok "the person is told why pex failed" ||
	bad "the person is told why pex failed"
grep -q "pex-refused user=tess requester=$tess_uid reason=" "$log" && ok "pex refusal logged" || bad "pex refusal logged"
type_in "$(oathtool --totp -b "$secret")"
[ "$(status)" = 0 ] && ok "a TOTP code typed on an untrusted pty is accepted" || bad "TOTP on an untrusted pty"

# legacy TIOCSTI: anyone could type into the terminal, so no password.
echo 1 > /proc/sys/dev/tty/legacy_tiocsti
start --provider tmux=/usr/bin/tmux
run tess
wait_for "One-time code:" && ok "legacy_tiocsti=1: no password prompt" || bad "legacy_tiocsti=1: no password prompt"
tm capture-pane -p -t "$win" | grep -q "legacy_tiocsti" && ok "legacy_tiocsti named to the person" ||
	bad "legacy_tiocsti named to the person"
type_in "correct horse"
[ "$(status)" = 1 ] && ok "the password typed as a code is refused" || bad "the password typed as a code is refused"
[ "$(cat /proc/sys/dev/tty/legacy_tiocsti)" = 1 ] && lacks "$log" " tiocsti " &&
	ok "without --tiocsti-off passwdd leaves the sysctl alone" || bad "without --tiocsti-off passwdd leaves the sysctl alone"

# --tiocsti-off: set to 0 at start-up, logged; a password can then be asked.
start --provider tmux=/usr/bin/tmux --tiocsti-off
[ "$(cat /proc/sys/dev/tty/legacy_tiocsti)" = 0 ] && ok "--tiocsti-off sets dev.tty.legacy_tiocsti to 0" ||
	bad "--tiocsti-off sets dev.tty.legacy_tiocsti to 0"
grep -q "tiocsti dev.tty.legacy_tiocsti=0 (was 1) set by --tiocsti-off" "$log" && ok "and says so in the log" ||
	bad "and says so in the log"
run tess
wait_for "Password for" && ok "after --tiocsti-off the password is asked" || bad "after --tiocsti-off the password is asked"
type_in "correct horse"
[ "$(status)" = 0 ] && ok "and accepted" || bad "and accepted"
echo 0 > /proc/sys/dev/tty/legacy_tiocsti

# A failing requester elsewhere cannot lock the console out. Failures are
# keyed on (user, requester uid, port); the port is the stream identifier
# of the descriptor, taken from its device numbers (fstat): /dev/console
# is 5:1, /dev/ttyN is 4:N, and those ports are never locked, only slowed
# (passwdd/lockout.c, tests/passwdd/test_lockout.c). Three wrong codes for
# root from a pipe lock (root, 0, pipe); root's verifications on the
# real virtual console /dev/tty1, as login there would ask, are not
# locked, even after more failures there than lock any other port. No one
# can type on the console here, so each of those ends by the prompt's
# timeout, which counts as a failure.
start --provider tmux=/usr/bin/tmux --lockout-after 3 --prompt-timeout 2
for i in 1 2 3; do echo 000000 | "$pwcheck" --socket "$tmp/s" root 2>/dev/null; done
echo 000000 | "$pwcheck" --socket "$tmp/s" root 2>"$tmp/err"
[ $? = 1 ] && grep -q "pwcheck: locked" "$tmp/err" && grep -q "user=root requester=0 pid=[0-9]* port=pipe result=locked" "$log" &&
	ok "three failures for root from a pipe lock (root, 0, pipe)" || bad "three failures for root from a pipe lock (root, 0, pipe)"
if ( exec 3<>/dev/tty1 ) 2>/dev/null; then
	for i in 1 2 3 4; do
		setsid sh -c "exec 0<>/dev/tty1; exec $pwcheck --socket $tmp/s root" 2>"$tmp/err"
		echo "st=$? $(cat "$tmp/err")" >> "$tmp/console"
	done
	sed 's/^/  console| /' "$tmp/console"; grep "port=/dev/tty1" "$log" | sed 's/^/  log| /'
	[ "$(grep -c "^st=1 pwcheck: authentication failed$" "$tmp/console")" = 4 ] &&
	[ "$(grep -c "user=root requester=0 pid=[0-9]* port=/dev/tty1 method=.* result=failed" "$log")" = 4 ] &&
	lacks "$log" "port=/dev/tty1 result=locked" &&
		ok "root on the console /dev/tty1 is not locked out: asked each time, even after 4 failures there" ||
		bad "root on the console /dev/tty1 is not locked out"
else
	echo "NOT TESTED: /dev/tty1 cannot be opened here (no virtual console); the console exemption is covered by tests/passwdd/test_lockout.c"
fi

finish
