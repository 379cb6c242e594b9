#!/bin/sh
# README's first command, scripts/demo, as a newcomer runs it: in a tmux
# pane (a real terminal; CI has no standard input) with the programs of
# this build. The banner says which tier of the compartment kernel runs.
# Typed at its prompt, each step the banner suggests: svc-backup's
# unattended `priv backup` is granted and runs (status 0, audited as an
# exit with status 0), and without </dev/null the refusal says that
# would pass; pat finds priv's manual page and reads the report's label
# (by number: pat cannot read the database); pat's `priv tcpgateway` is
# refused (125, the reason shown); the paper's `priv downgrade projectbit
# report` shows the label before and after, runs on "yes" and the
# report's label is then secret, and a second one has nothing to do
# (124, said plainly); pat's `session secret` with pat's password runs
# and ends; ches's `priv tcpgateway` with ches's password and "yes" runs
# the demo's gateway with its two capabilities (status 0). During the
# demo dev.tty.legacy_tiocsti is 0. After "exit": the demo exits 0, the
# sysctl has its old value, and nothing is left: no daemon of the demo, no
# /tmp or /run entry, the host's /etc, /usr/local and /lib unchanged (no
# demo user, no gateway, no manual page). Without a terminal the demo
# refuses at once (2) and changes nothing; --walkthrough runs without one.
# The demo takes /tmp/ixkit-tiocsti.lock itself. Needs root and tmux.
# Ends with "N passed, M failed".
name=demo.sh
. "$(dirname "$0")/harness.sh"
need_built privd/privd privd/priv privtree/privtree passwdd/passwdd passwdd/passwdd-admin \
	compartctl/compartctl compartd/compartd demo/tcpgateway
need_tools tmux pgrep id sha256sum
[ -e "$sysctl" ] || { echo "$name: no $sysctl on this kernel" >&2; exit 77; }

# The demo runs from the host, as a newcomer starts it: no world of the
# harness here, the demo makes its own.
tmp=$(mktemp -d /tmp/ixkit-demotest-XXXXXX) || exit 99
win=demo
trap 'tm kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
show_failure() { sed 's/^/  | /' "$tmp/out" 2>/dev/null; }

# The sysctl's resting value, read while no test of the private path
# has it changed (they all restore it before letting go of the lock).
resting() { flock /tmp/ixkit-tiocsti.lock cat "$sysctl"; }
old=$(resting)
# Without a terminal: refused before anything changes.
IXKIT_BUILDDIR=$build sh "$top/scripts/demo" < /dev/null > "$tmp/out" 2>&1
st=$?
check "without a terminal: exit 2, says why" '[ $st = 2 ] && grep -q "not a terminal" "$tmp/out"'
check "without a terminal: nothing started, sysctl untouched" \
	'[ "$(resting)" = "$old" ] && lacks "$tmp/out" "setting up"'
IXKIT_DB=$tmp/walk.db IXKIT_BUILDDIR=$build sh "$top/scripts/demo" --walkthrough < /dev/null > "$tmp/out" 2>&1
st=$?
check "--walkthrough without a terminal: privtree grants and refuses" \
	'[ $st = 0 ] && grep -q "^GRANTED" "$tmp/out" && grep -q "^REFUSED" "$tmp/out"'

# What the host has before: the demo must leave it so.
snapshot() {
	for f in passwd group shadow gshadow; do sha256sum "/etc/$f"; done
	ls -d /run/ixkit /run/ixkit-demo* /tmp/ixkit-demo* 2>/dev/null | grep -v '^/tmp/ixkit-demotest-'
	ls -A /usr/local/bin /usr/local/share/man
	ls -d /lib/tcp /usr/lib/tcp 2>/dev/null
	[ -d /sys/fs/bpf/ixkit ] && echo "pins"
}
snapshot > "$tmp/before" 2>&1
had_pat=$(id pat >/dev/null 2>&1 && echo yes)

# until_s SECONDS COMMAND...: COMMAND retried for SECONDS; a demo that has
# ended (before the test typed its "exit") ends the test at once rather
# than having each later step wait out its time.
ending=
until_s() {
	n=$(($1 * 10))
	shift
	i=0
	until "$@"; do
		[ $i -ge $n ] && return 1
		if [ -z "$ending" ] && tm capture-pane -p -S - -t demo | grep -q '^demo-status='; then
			screen
			bad "the demo ended before the test had it end"
			finish
			exit 1
		fi
		sleep 0.1
		i=$((i + 1))
	done
}
# The screen as it is, without history: each step clears it first.
pane_text() { tm capture-pane -p -t demo; }
screen() { pane_text > "$tmp/out"; }
# run TEXT: types a command line (after clearing the screen) and waits for
# the mark it prints at its end, numbered so that no earlier one counts;
# sets st to the command's status
marks=0
marked() { tm capture-pane -p -t demo | grep -q "^mark$marks-[0-9]*-done\$"; }
run() {
	marks=$((marks + 1))
	type_in "clear; $1; echo mark$marks-\$?-done"
	until_s 20 marked
	screen
	st=$(sed -n "s/^mark$marks-\\([0-9]*\\)-done\$/\\1/p" "$tmp/out")
}

tm new-session -d -s demo -x 160 -y 50 \
	"IXKIT_BUILDDIR=$build sh $top/scripts/demo; echo demo-status=\$?; sleep 3600" || exit 99
# The demo waits for /tmp/ixkit-tiocsti.lock while another test holds it
# (minutes at most); a demo that ended instead is not waited for.
up_or_ended() { on_screen "ixkit-demo#" || on_screen "demo-status="; }
until_s 600 up_or_ended
screen
if grep -q "ixkit-demo#" "$tmp/out"; then
	ok "the demo leaves a root prompt in its world"
else
	bad "the demo leaves a root prompt in its world"
	finish
	exit 1
fi
check "the prompt tells what to try and the passwords" \
	'grep -q "priv -l" "$tmp/out" && grep -q "su - pat" "$tmp/out" && grep -q "pat (pat-demo)" "$tmp/out"'
check "the banner says which tier runs, and compartd only where it does" \
	'{ grep -q "^Compartment kernel: tier 1, .*compartd.*: the kernel itself enforces labels" "$tmp/out" ||
	   grep -q "^Compartment kernel: tier 2, no compartd: file labels are checked on entering a compartment" "$tmp/out"; } &&
	 lacks "$tmp/out" "^ixkit demo: .*compartd"'
check "dev.tty.legacy_tiocsti is 0 during the demo" '[ "$(cat "$sysctl")" = 0 ]'
check "the daemons run (seen from the host)" \
	'pgrep -f "privd -f --log /run/ixkit-demo/privd.log" >/dev/null && pgrep -f "passwdd -f --secrets-db /run/ixkit-demo" >/dev/null'

run "su - svc-backup -c 'priv backup </dev/null'"
check "granted: svc-backup's unattended backup runs (status 0)" '[ "$st" = 0 ] && lacks "$tmp/out" "priv:"'
run "grep -c 'privd-exit .*status=0 request=backup' /run/ixkit-demo/privd.log"
check "privd audited the backup's exit" '[ "$st" = 0 ] && grep -qx 1 "$tmp/out"'
run "su - svc-backup -c 'priv -n backup'"
check "without </dev/null: refused (1), and the refusal says what would pass" \
	'[ "$st" = 1 ] && grep -q "^priv: refused: standard input is a terminal" "$tmp/out" && grep -qF "(priv ... </dev/null)" "$tmp/out"'

type_in "clear; su - pat"
until_s 10 on_screen "pat@" || bad "su - pat gives pat's shell"
run "man -w priv && man priv | grep -c 'priv - ask for a privileged action'"
check "pat finds priv's manual page (man -w, man)" \
	'[ "$st" = 0 ] && grep -q "^/usr/local/.*man1/priv\.1" "$tmp/out" && grep -qx 1 "$tmp/out"'
run "man -w privd"
check "... and privd's, a page made from its .in file by the build" \
	'[ "$st" = 0 ] && grep -q "^/usr/local/.*man8/privd\.8" "$tmp/out"'
run "compartctl label report"
check "pat reads the report's label, by number (0), saying why" \
	'[ "$st" = 0 ] && grep -q "^report[[:space:]]*level#2:#0\$" "$tmp/out" && grep -q "^compartctl: report: label shown by number" "$tmp/out"'
check "... the database named once" '[ "$(grep -o /run/ixkit-demo/ixkit.db "$tmp/out" | wc -l)" -eq 1 ]'
run "priv tcpgateway"
check "refused: pat's tcpgateway (125), the reason shown" \
	'[ "$st" = 125 ] && grep -q "^priv: refused: rule tcpgateway needs netoper" "$tmp/out"'
run "priv -n downgrade projectbit report"
check "pat's dry run of the paper's downgrade is granted" \
	'[ "$st" = 0 ] && grep -q "^GRANTED: downgrade projectbit report" "$tmp/out" && grep -q "/projects/projectbit" "$tmp/out"'
marks=$((marks + 1))
type_in "clear; priv downgrade projectbit report; echo mark$marks-\$?-done"
if until_s 20 on_screen "type yes"; then
	screen
	check "the downgrade shows the report's label before and after" \
		'grep -q "secret:projectbit -> secret\$" "$tmp/out"'
	type_in "yes"
fi
until_s 20 marked
screen
st=$(sed -n "s/^mark$marks-\\([0-9]*\\)-done\$/\\1/p" "$tmp/out")
check "granted: pat's downgrade confirmed with yes (status 0)" \
	'[ "$st" = 0 ] && grep -q "now labelled secret\$" "$tmp/out"'
run "priv downgrade projectbit report"
check "a second downgrade: nothing to do (124), said plainly" \
	'[ "$st" = 124 ] && grep -q "^priv: report does not carry category projectbit: nothing to downgrade" "$tmp/out"'
run "priv -l"
check "priv -l lists pat's downgrade" '[ "$st" = 0 ] && grep -q "granted by /projects/projectbit" "$tmp/out"'
marks=$((marks + 1))
type_in "clear; session secret -- true; echo mark$marks-\$?-done"
until_s 20 on_screen "Password for" && type_in "pat-demo"
until_s 30 marked
screen
st=$(sed -n "s/^mark$marks-\\([0-9]*\\)-done\$/\\1/p" "$tmp/out")
check "pat's session secret with pat's password runs and ends (0)" \
	'[ "$st" = 0 ] && grep -q "session: ended: exit 0" "$tmp/out"'
type_in "exit"
until_s 10 on_screen "ixkit-demo#" || bad "back at root's prompt"
run "grep -c 'sessiond-start .*label=secret' /run/ixkit-demo/sessiond.log"
check "sessiond recorded the start of pat's session at secret" '[ "$st" = 0 ] && grep -qx 1 "$tmp/out"'
run "grep -c 'sessiond-end .*how=shell' /run/ixkit-demo/sessiond.log"
check "...and its end" '[ "$st" = 0 ] && grep -qx 1 "$tmp/out"'

type_in "clear; su - ches"
until_s 10 on_screen "ches@" || bad "su - ches gives ches's shell"
marks=$((marks + 1))
type_in "clear; priv tcpgateway; echo mark$marks-\$?-done"
until_s 20 on_screen "Password for" && type_in "ches-demo"
if until_s 20 on_screen "type yes"; then
	screen
	check "ches's tcpgateway shows the gateway and its capabilities" \
		'grep -q "^run /lib/tcp/tcpgateway\$" "$tmp/out" && grep -q "with privileges net_admin, net_bind_service" "$tmp/out"'
	type_in "yes"
fi
until_s 20 marked
screen
st=$(sed -n "s/^mark$marks-\\([0-9]*\\)-done\$/\\1/p" "$tmp/out")
check "granted: ches's tcpgateway with ches's password and yes runs the gateway (status 0)" \
	'[ "$st" = 0 ] && grep -q "^tcpgateway: running as nobody" "$tmp/out" && lacks "$tmp/out" "^priv:.*execve"'
check "... with exactly net_admin and net_bind_service, binding a privileged port" \
	'grep -q "^tcpgateway: capabilities cap_net_[a-z_]*,cap_net_[a-z_]*=eip\$" "$tmp/out" &&
	 grep -q "^tcpgateway: capabilities .*cap_net_admin" "$tmp/out" &&
	 grep -q "^tcpgateway: capabilities .*cap_net_bind_service" "$tmp/out" &&
	 { grep -q "^tcpgateway: bound TCP port [0-9]* on 127.0.0.1" "$tmp/out" ||
	   grep -q "^tcpgateway: this host lets anyone bind any port" "$tmp/out"; }'
type_in "exit"
until_s 10 on_screen "ixkit-demo#" || bad "back at root's prompt"
run "compartctl label ~pat/report"
check "the kernel-visible label of the report is now secret" \
	'[ "$st" = 0 ] && grep -q "report[[:space:]]*secret\$" "$tmp/out"'

# The two-person install as README lists it: P licensed and sealed, and
# step 2 typed by sysadmin in the demo's world (its overlay of /usr/local).
run "pcopy --show /usr/local/bin/netprobe"
check "P (netprobe) is licensed cap_net_raw and sealed" \
	'[ "$st" = 0 ] && grep -q "capabilities: net_raw" "$tmp/out" && grep -q "sealed (immutable): yes" "$tmp/out"'
type_in "clear; su - sysadmin"
until_s 10 on_screen "sysadmin@" || bad "su - sysadmin gives sysadmin's shell"
marks=$((marks + 1))
type_in "clear; priv install approve sysadmin netprobe; echo mark$marks-\$?-done"
until_s 20 on_screen "type yes" && type_in "yes"
until_s 20 marked
screen
st=$(sed -n "s/^mark$marks-\\([0-9]*\\)-done\$/\\1/p" "$tmp/out")
check "step 2: sysadmin approves P' (status 0)" '[ "$st" = 0 ] && grep -q "licences added" "$tmp/out"'
run "pcopy --show /usr/local/stage/netprobe"
check "... P' carries sysadmin's dummy licence, bound to its content, sealed" \
	'grep -q "dummy licence sysadmin: blake2b-256:[0-9a-f]*, bound to this content" "$tmp/out" && grep -q "sealed (immutable): yes" "$tmp/out"'
type_in "exit"
until_s 10 on_screen "ixkit-demo#" || bad "back at root's prompt"

ending=1
type_in "exit"
if until_s 30 on_screen "demo-status="; then
	screen
	check "leaving the shell ends the demo: exit 0" 'grep -qx "demo-status=0" "$tmp/out"'
else
	screen
	bad "leaving the shell ends the demo"
fi
check "dev.tty.legacy_tiocsti restored" '[ "$(resting)" = "$old" ] && grep -qx "scripts/demo: dev.tty.legacy_tiocsti restored to $old" "$tmp/out"'
check "no daemon of the demo is left" 'none pgrep -f "/run/ixkit-demo/" >/dev/null'
snapshot > "$tmp/after" 2>&1
diff "$tmp/before" "$tmp/after" > "$tmp/out"
check "the host's /etc, /run, /tmp, /usr/local, /lib and bpffs are as before" '[ ! -s "$tmp/out" ]'
check "no demo user on the host" '[ -n "$had_pat" ] || none id pat >/dev/null 2>&1'

finish
