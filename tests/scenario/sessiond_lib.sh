# Shared by sessiond's scenarios (sessiond_basic.sh, sessiond_level.sh):
# sourced with $name set to the test's name, and $tiocsti_off=1 when the
# test needs dev.tty.legacy_tiocsti at 0 (pex, hence classical
# passwords). Runs the test in its world (harness.sh: private pid and
# mount namespaces, /etc overlaid, the programs in $bin) with the passwdd
# user and a devpts of its own, and offers: the daemons on a policy
# (start_daemons POLICY: passwdd on $tmp/secrets/pw.db, sessiond, privd,
# all killed on exit; start_sessiond alone), and a tmux server whose
# windows are real terminals where a person types (pane USER, type_in,
# wait_for, on_screen_re, status_of, fresh, screen). Needs root, tmux,
# oathtool, script, useradd, sqlite3 and a writable cgroup2.
. "$(dirname "$0")/harness.sh"
need_built sessiond/sessiond sessiond/session privtree/privtree passwdd/passwdd \
	passwdd/passwdd-admin compartctl/compartctl nosh/nosh privd/privd privd/priv
need_tools tmux oathtool script useradd sqlite3
[ -d /sys/fs/cgroup ] && [ -w /sys/fs/cgroup ] || { echo "$name: no writable cgroup2" >&2; exit 77; }
if [ "${tiocsti_off:-0}" = 1 ]; then world tiocsti; else world; fi
world_setup

db=$tmp/ixkit.db
log=$tmp/sessiond.log
run=$tmp/run
sock=$run/sessiond.sock
pid=
pwpid=
prpid=
at_exit '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$pwpid" ] && kill "$pwpid" 2>/dev/null; [ -n "$prpid" ] && kill "$prpid" 2>/dev/null; tmux -S "$tmp/tm" kill-server 2>/dev/null; sleep 0.2; umount /dev/ptmx /dev/pts 2>/dev/null'
show_failure() {
	sed 's/^/  out| /' "$tmp/out" 2>/dev/null
	tail -5 "$log" 2>/dev/null | sed 's/^/  log| /'
}

# A devpts of our own: pty numbers are then the test's alone, so that a
# pty freed is the next one given out (a tag must not outlive its pty).
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid="$(getent group tty | cut -d: -f3)" \
	devpts /dev/pts && mount --bind /dev/pts/ptmx /dev/ptmx || exit 99
mkdir -m 755 "$tmp/home"
mkdir -m 700 "$tmp/secrets" && chown ixkit-passwd: "$tmp/secrets" || exit 99

start_sessiond() {
	"$sessiond" -f --config /dev/null --db "$db" --rundir "$run" --log "$log" \
		--passwdd-socket "$tmp/pw.sock" --nosh "$nosh" --prompt-timeout 20 &
	pid=$!
}
# start_daemons POLICY [PASSWDD-OPTION...]: the database holds POLICY;
# passwdd (with the options given), sessiond and privd serve it.
start_daemons() {
	"$privtree" --config /dev/null --db "$db" --log "$tmp/privtree.log" import "$1" >/dev/null || exit 99
	shift
	"$passwdd" -f --config /dev/null --socket "$tmp/pw.sock" --secrets-db "$tmp/secrets/pw.db" \
		--log "$tmp/passwdd.log" --sessiond-user root --lockout-after 0 --backoff-ms 1 \
		--backoff-max-ms 1 "$@" &
	pwpid=$!
	start_sessiond
	"$privd" -f --config /dev/null --db "$db" --rundir "$run" --log "$tmp/privd.log" \
		--passwdd-socket "$tmp/pw.sock" --prompt-timeout 20 &
	prpid=$!
	until_true [ -S "$sock" ] && until_true [ -S "$tmp/pw.sock" ] ||
		{ echo "sessiond or passwdd did not start"; cat "$log"; exit 99; }
}

tm new-session -d -s ss -x 160 -y 40 "sleep 3600" \; set-option -g remain-on-exit on || exit 99
n=0
win=ss
pane() {	# pane USER: a window with the user's old shell (prompt "old$ ")
	n=$((n + 1))
	win=ss:w$n
	tm new-window -d -t ss: -n "w$n" "setpriv --reuid=$1 --regid=$1 --init-groups env -i PATH=/usr/bin:/bin TERM=screen PS1='old\$ ' sh -i"
	wait_for 'old$'
}
wait_for() { until_true on_screen "$1"; }
on_screen_re() { pane_text | grep -Eq -- "$1"; }
status_of() {	# status_of TAG: waits for the line "TAG-status=N" and prints N
	until_true on_screen_re "^$1-status=[0-9]+" || { echo "still running"; return; }
	pane_text | sed -n "s/^$1-status=//p" | tail -1
}
fresh() {	# a clean screen and no history, so that waits see only what follows
	type_in clear
	sleep 0.3
	tm clear-history -t "$win"
}
screen() { pane_text > "$tmp/out"; }
# session_cgroups: the compartments of sessions still there (none, a "no
# match", is the answer a test wants after a session ends).
session_cgroups() { ls /sys/fs/cgroup/ixkit/ 2>/dev/null | grep -q "^session-"; }

# secret_policy USER: $tmp/test.policy clearing USER up to secret on
# root's tmux panes, nothing else.
secret_policy() {
	cat > "$tmp/test.policy" <<POLICY
ixkit-policy 1
level unclassified
level secret
node /
	predicate NONE
	rights ALL
clearance $1 unclassified..secret
port unclassified..secret /dev/pts/[0-9]+@tmux
provider tmux /usr/bin/tmux
floor unclassified
POLICY
}
