# Shared by privd's scenarios (privd_basic.sh, privd_label.sh,
# privd_edit.sh): sourced with $name set to the test's name. Re-runs the
# test in private pid and mount namespaces (pex must see every holder of
# the terminal) with /etc overlaid for throwaway users, sets
# dev.tty.legacy_tiocsti to 0 under /tmp/ixkit-tiocsti.lock and restores
# it, and offers: checks (ok, bad, check, finish), priv as a user in the
# current directory with stdin from /dev/null (p), privd on a policy
# (start_privd; $pwsock is passwdd's socket, $extra_pids daemons the test
# started, killed on exit), and a tmux server whose panes are real
# terminals where a person types (inpane, type_in, wait_for, status,
# screen). Needs root, tmux, setpriv, unshare, useradd, getfattr, sqlite3.
set -u
top=${IXKIT_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${IXKIT_BUILDDIR:-$top}
privd=$build/privd/privd
priv=$build/privd/priv
privtree=$build/privd/privtree
compartctl=$build/libcompart/compartctl
for b in "$privd" "$priv" "$privtree" "$compartctl"; do
	[ -x "$b" ] || { echo "$name: $b not built" >&2; exit 99; }
done
if [ "$(id -u)" -ne 0 ]; then
	echo "$name: must run as root" >&2
	exit 77
fi
for t in tmux setpriv unshare useradd getfattr sqlite3; do
	command -v "$t" >/dev/null 2>&1 || { echo "$name: $t missing (scripts/install-deps)" >&2; exit 77; }
done
sysctl=/proc/sys/dev/tty/legacy_tiocsti
[ -e "$sysctl" ] || { echo "$name: no $sysctl on this kernel" >&2; exit 77; }
if [ "${PRIVD_LIB_INNER:-}" != 1 ]; then
	exec 9>/tmp/ixkit-tiocsti.lock
	flock 9
	old=$(cat "$sysctl")
	PRIVD_LIB_INNER=1 IXKIT_BUILDDIR=$build IXKIT_SRCDIR=$top \
		unshare --pid --fork --mount-proc --propagation private sh "$0"
	st=$?
	echo "$old" > "$sysctl"
	exit $st
fi

tmp=$(mktemp -d /tmp/ixkit-privd-XXXXXX) || exit 99
chmod 755 "$tmp"
db=$tmp/ixkit.db
log=$tmp/privd.log
run=$tmp/run
pid=
extra_pids=
pwsock=$tmp/no-passwdd.sock
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; for x in $extra_pids; do kill "$x" 2>/dev/null; done; tmux -S "$tmp/tm" kill-server 2>/dev/null; umount /etc 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
export IXKIT_CONFIG=/dev/null IXKIT_DB="$db" IXKIT_RUNDIR="$run"

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAILED: $1"; sed 's/^/  out| /' "$tmp/out" "$tmp/err" 2>/dev/null; tail -5 "$log" | sed 's/^/  log| /'; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; }

mkdir -p "$tmp/etc-up" "$tmp/etc-work"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$tmp/etc-up,workdir=$tmp/etc-work" /etc || exit 99
# adduser USER...: throwaway users in the overlay (the demo policy names pat).
adduser() {
	for u in "$@"; do
		id "$u" >/dev/null 2>&1 || useradd -M -d /nonexistent -s /usr/sbin/nologin "$u" || exit 99
	done
}

# start_privd POLICY: a database holding POLICY, privd serving it.
start_privd() {
	"$privtree" --log "$tmp/privtree.log" import "$1" >/dev/null || exit 99
	"$privd" -f --rundir "$run" --log "$log" --passwdd-socket "$pwsock" \
		--prompt-timeout 10 &
	pid=$!
	i=0
	while [ ! -S "$run/privd.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	[ -S "$run/privd.sock" ] || { echo "privd did not start"; cat "$log"; exit 99; }
}
stop_privd() { kill "$pid"; wait "$pid"; pid=; }

as() { u=$1; shift; setpriv --reuid="$u" --regid="$u" --init-groups "$@"; }
p() {	# p USER ARGS...: priv as USER, stdin /dev/null, output to $tmp/out, $tmp/err; sets st
	u=$1; shift
	as "$u" "$priv" --socket "$run/privd.sock" "$@" > "$tmp/out" 2> "$tmp/err" < /dev/null
	st=$?
}
until_true() {	# until_true COMMAND...: retried for 5 s
	i=0
	until "$@"; do
		[ $i -ge 50 ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}

echo 0 > "$sysctl"
tm() { tmux -S "$tmp/tm" -f /dev/null "$@"; }
tm new-session -d -s pv -x 200 -y 40 "sleep 3600" \; set-option -g remain-on-exit on || exit 99
n=0
win=pv
quote() { printf "'%s'" "$(printf %s "$1" | sed "s/'/'\\\\''/g")"; }
inpane() {	# inpane USER ARGS...: priv typed in a fresh pane here, as its own job
	u=$1; shift
	n=$((n + 1))
	win=pv:w$n
	{
		printf 'cd %s || exit 1\n%s --socket %s' "$(quote "$PWD")" "$priv" "$run/privd.sock"
		for w in "$@"; do printf ' %s' "$(quote "$w")"; done
		printf '\necho priv-status=$?\n'
	} > "$tmp/cmd$n.sh"
	chmod 644 "$tmp/cmd$n.sh"
	tm new-window -d -t pv: -n "w$n" "setpriv --reuid=$u --regid=$u --init-groups sh -m $tmp/cmd$n.sh"
}
on_screen() { tm capture-pane -p -J -t "$win" | grep -qF -- "$1"; }
wait_for() { until_true on_screen "$1"; }
status() {
	wait_for "priv-status=" || { echo "still running"; return; }
	tm capture-pane -p -J -t "$win" | sed -n 's/^priv-status=//p'
}
type_in() { tm send-keys -t "$win" -l "$1"; tm send-keys -t "$win" Enter; }
screen() { tm capture-pane -p -J -t "$win" > "$tmp/out"; : > "$tmp/err"; }
