# Shared by sessiond's scenarios (sessiond_basic.sh, sessiond_level.sh):
# sourced with $name set to the test's name, and $tiocsti_off=1 when the
# test needs dev.tty.legacy_tiocsti at 0 (pex, hence classical passwords;
# taken under /tmp/ixkit-tiocsti.lock and restored). Re-runs the test in
# private pid and mount namespaces with /etc overlaid for throwaway users
# (and the passwdd user), and offers: checks (ok, bad, check, finish), a
# user's command (as), the daemons on a policy (start_daemons POLICY:
# passwdd on $tmp/secrets/pw.db, sessiond, privd, all killed on exit;
# start_sessiond alone), and a tmux server whose windows are real
# terminals where a person types (pane USER, type_in, wait_for,
# on_screen_re, status_of, fresh, screen). Needs root, tmux, oathtool,
# script, setpriv, unshare, useradd, sqlite3 and a writable cgroup2.
set -u
top=${IXKIT_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${IXKIT_BUILDDIR:-$top}
sessiond=$build/sessiond/sessiond
session=$build/sessiond/session
privtree=$build/privd/privtree
passwdd=$build/passwdd/passwdd
pwadmin=$build/passwdd/passwdd-admin
compartctl=$build/libcompart/compartctl
nosh=$build/nosh/nosh
privd=$build/privd/privd
priv=$build/privd/priv
for b in "$sessiond" "$session" "$privtree" "$passwdd" "$pwadmin" "$compartctl" "$nosh" "$privd" "$priv"; do
	[ -x "$b" ] || { echo "$name: $b not built" >&2; exit 99; }
done
if [ "$(id -u)" -ne 0 ]; then
	echo "$name: must run as root" >&2
	exit 77
fi
for t in tmux setpriv unshare useradd oathtool script sqlite3; do
	command -v "$t" >/dev/null 2>&1 || { echo "$name: $t missing (scripts/install-deps)" >&2; exit 77; }
done
[ -d /sys/fs/cgroup ] && [ -w /sys/fs/cgroup ] || { echo "$name: no writable cgroup2" >&2; exit 77; }
sysctl=/proc/sys/dev/tty/legacy_tiocsti
if [ "${SESSIOND_LIB_INNER:-}" != 1 ]; then
	if [ "${tiocsti_off:-0}" = 1 ]; then
		[ -e "$sysctl" ] || { echo "$name: no $sysctl on this kernel" >&2; exit 77; }
		exec 9>/tmp/ixkit-tiocsti.lock
		flock 9
		old=$(cat "$sysctl")
	fi
	SESSIOND_LIB_INNER=1 IXKIT_BUILDDIR=$build IXKIT_SRCDIR=$top \
		unshare --pid --fork --mount-proc --propagation private sh "$0"
	st=$?
	[ "${tiocsti_off:-0}" = 1 ] && echo "$old" > "$sysctl"
	exit $st
fi
[ "${tiocsti_off:-0}" = 1 ] && echo 0 > "$sysctl"

tmp=$(mktemp -d /tmp/ixkit-sessiond-XXXXXX) || exit 99
chmod 755 "$tmp"
db=$tmp/ixkit.db
log=$tmp/sessiond.log
run=$tmp/run
sock=$run/sessiond.sock
pid=
pwpid=
prpid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$pwpid" ] && kill "$pwpid" 2>/dev/null; [ -n "$prpid" ] && kill "$prpid" 2>/dev/null; tmux -S "$tmp/tm" kill-server 2>/dev/null; sleep 0.2; umount /dev/ptmx /dev/pts 2>/dev/null; umount /etc 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAILED: $1"; sed 's/^/  out| /' "$tmp/out" 2>/dev/null; tail -5 "$log" | sed 's/^/  log| /'; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; }

mkdir -p "$tmp/etc-up" "$tmp/etc-work"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$tmp/etc-up,workdir=$tmp/etc-work" /etc || exit 99
useradd --system -M -d /nonexistent -s /usr/sbin/nologin ixkit-passwd || exit 99
# A devpts of our own: pty numbers are then the test's alone, so that a
# pty freed is the next one given out (a tag must not outlive its pty).
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid="$(getent group tty | cut -d: -f3)" \
	devpts /dev/pts && mount --bind /dev/pts/ptmx /dev/ptmx || exit 99
# pex trusts a terminal provider only at a path whose every component is
# root's and writable by no one else, and a build tree under /tmp is not:
# sessiond (a provider in sessiond_level.sh) runs from a copy on a tmpfs
# of this namespace.
mount -t tmpfs -o mode=0755 tmpfs /mnt && cp "$sessiond" /mnt/sessiond || exit 99
sessiond=/mnt/sessiond
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
	i=0
	while { [ ! -S "$sock" ] || [ ! -S "$tmp/pw.sock" ]; } && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	[ -S "$sock" ] || { echo "sessiond did not start"; cat "$log"; exit 99; }
}

as() { u=$1; shift; setpriv --reuid="$u" --regid="$u" --init-groups "$@"; }
until_true() {	# until_true COMMAND...: retried for 10 s
	i=0
	until "$@"; do
		[ $i -ge 100 ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}
tm() { tmux -S "$tmp/tm" -f /dev/null "$@"; }
tm new-session -d -s ss -x 160 -y 40 "sleep 3600" \; set-option -g remain-on-exit on || exit 99
n=0
win=ss
pane() {	# pane USER: a window with the user's old shell (prompt "old$ ")
	n=$((n + 1))
	win=ss:w$n
	tm new-window -d -t ss: -n "w$n" "setpriv --reuid=$1 --regid=$1 --init-groups env -i PATH=/usr/bin:/bin TERM=screen PS1='old\$ ' sh -i"
	wait_for 'old$'
}
on_screen() { tm capture-pane -p -J -S -100 -t "$win" | grep -qF -- "$1"; }
wait_for() { until_true on_screen "$1"; }
on_screen_re() { tm capture-pane -p -J -S -100 -t "$win" | grep -Eq -- "$1"; }
status_of() {	# status_of TAG: waits for the line "TAG-status=N" and prints N
	until_true on_screen_re "^$1-status=[0-9]+" || { echo "still running"; return; }
	tm capture-pane -p -J -S -100 -t "$win" | sed -n "s/^$1-status=//p" | tail -1
}
type_in() { tm send-keys -t "$win" -l "$1"; tm send-keys -t "$win" Enter; }
fresh() {	# a clean screen and no history, so that waits see only what follows
	type_in clear
	sleep 0.3
	tm clear-history -t "$win"
}
screen() { tm capture-pane -p -J -S -100 -t "$win" > "$tmp/out"; }
