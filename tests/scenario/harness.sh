# The one scenario harness: sourced by every scenario test that needs
# root, throwaway users, real terminals or the daemons, with $name set to
# the test's file name. It gives:
#
#   need_tools T...	each tool a test calls; a missing one is an error
#			(exit 99, never a skip: CI would count a skip as
#			nothing tested and stay green)
#   need_built P...	each program of the build the test runs (relative
#			to the build directory)
#   world [tiocsti]	re-runs the test ($0) as pid 1 of private pid and
#			mount namespaces and exits with its status; with
#			"tiocsti", dev.tty.legacy_tiocsti is 0 while it runs
#			(the private path needs it), under
#			/tmp/ixkit-tiocsti.lock, and restored afterwards
#   in the world:	$tmp (0755, removed at exit), /etc overlaid (users
#			made there vanish with the namespace; ixkit's system
#			users of etc/sysusers.d are there), and every
#			program of the build in $bin, a root-owned tmpfs
#			every user can enter: the build tree itself may sit
#			in a 0700 home, and pex trusts a provider only at a
#			path owned by root all the way up
#   at_exit CMD		run CMD at exit, newest first, before the world is
#			taken down
#   ok, bad, check, finish	checks, and the closing "N passed, M failed"
#   none CMD...	true only when CMD exits 1, grep's and pgrep's "no
#			match": a negated check must not pass because its
#			tool is missing (127) or its file is (2)
#   lacks FILE PATTERN	FILE exists and no line of it matches PATTERN
#   tm ARGS...		the test's own tmux server (a root-owned socket in
#			$tmp: a provider no test user can drive)
#   pane_text		what window $win shows, with 100 lines of history
#   on_screen TEXT	whether it shows TEXT (2 when tmux cannot say)
#   type_in TEXT	TEXT typed in $win, then Enter
#   as USER CMD...	CMD as USER (its groups, no capability), looked up
#			with the user's own permissions
#   until_true CMD...	CMD retried every 0.1 s for 10 seconds
#
# Exit statuses follow automake: 0 every check passed, 1 a check failed,
# 77 not testable here (not root, or a kernel without the feature), 99 the
# test could not run (a missing tool or program, a failed set-up step).
set -u
top=${IXKIT_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${IXKIT_BUILDDIR:-$top}
: "${name:?harness.sh: set name before sourcing it}"

die() { echo "$name: $*" >&2; exit 99; }
need_tools() {
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || die "$t missing: scripts/install-deps installs it"
	done
}
need_built() {
	for p in "$@"; do
		[ -x "$build/$p" ] || die "$build/$p not built"
	done
}
if [ "$(id -u)" -ne 0 ]; then
	echo "$name: must run as root (private namespaces, users, daemons); CI runs it as root" >&2
	exit 77
fi
need_tools unshare flock mount setpriv mktemp

sysctl=/proc/sys/dev/tty/legacy_tiocsti
world() {
	[ "${IXKIT_WORLD:-}" = "$name" ] && return 0
	tiocsti_old=
	if [ "${1:-}" = tiocsti ]; then
		[ -e "$sysctl" ] || { echo "$name: no $sysctl on this kernel: nothing to test" >&2; exit 77; }
		# One writer of the sysctl at a time across every build on this
		# machine: the demo and every test that changes it take this lock.
		exec 9>>/tmp/ixkit-tiocsti.lock
		flock 9
		tiocsti_old=$(cat "$sysctl")
		echo 0 > "$sysctl"
	fi
	IXKIT_WORLD=$name IXKIT_BUILDDIR=$build IXKIT_SRCDIR=$top \
		unshare --pid --fork --mount-proc --propagation private sh "$0" 9>&-
	st=$?
	[ -n "$tiocsti_old" ] && echo "$tiocsti_old" > "$sysctl"
	exit $st
}

exits=
at_exit() { exits="$1
$exits"; }
harness_exit() {
	set +e
	[ -n "$exits" ] && eval "$exits"
	umount "$bin" /etc 2>/dev/null
	rm -rf "$tmp"
}
# world_setup: the private /etc, $tmp and $bin; called once the test runs
# inside its world.
bin=/mnt
world_setup() {
	[ "${IXKIT_WORLD:-}" = "$name" ] || die "world_setup outside the test's world"
	tmp=$(mktemp -d "/tmp/ixkit-${name%.sh}-XXXXXX") || die "mktemp failed"
	chmod 755 "$tmp"
	trap harness_exit EXIT
	trap 'exit 1' INT TERM HUP
	mkdir -p "$tmp/etc-up" "$tmp/etc-work"
	mount -t overlay overlay -o "lowerdir=/etc,upperdir=$tmp/etc-up,workdir=$tmp/etc-work" /etc ||
		die "cannot overlay /etc"
	# ixkit's own system users, as etc/sysusers.d/ixkit.conf declares
	# them: the daemons look them up (passwdd's, the workers').
	sed -n 's/^u \([a-z][-a-z0-9]*\) .*/\1/p' "$top/etc/sysusers.d/ixkit.conf" > "$tmp/sysusers"
	[ -s "$tmp/sysusers" ] || die "no user in $top/etc/sysusers.d/ixkit.conf"
	while read -r u; do
		id "$u" >/dev/null 2>&1 || useradd --system -M -d / -s /usr/sbin/nologin "$u" ||
			die "useradd $u"
	done < "$tmp/sysusers"
	mount -t tmpfs -o mode=0755,uid=0,gid=0 tmpfs "$bin" || die "cannot mount a tmpfs on $bin"
	for p in privd/privd privd/priv privtree/privtree sessiond/sessiond sessiond/session \
		passwdd/passwdd passwdd/passwdd-admin passwdd/pwcheck compartctl/compartctl \
		compartd/compartd nosh/nosh tests/scenario/privraw tests/scenario/pwraw \
		tests/scenario/pam_fdleak tests/scenario/flood tests/privd/privd-forge pcopy/pcopy; do
		[ -x "$build/$p" ] && { cp "$build/$p" "$bin/" || die "cannot copy $p into $bin"; }
	done
	privd=$bin/privd priv=$bin/priv privtree=$bin/privtree
	sessiond=$bin/sessiond session=$bin/session
	passwdd=$bin/passwdd pwadmin=$bin/passwdd-admin pwcheck=$bin/pwcheck
	compartctl=$bin/compartctl compartd=$bin/compartd nosh=$bin/nosh
	privraw=$bin/privraw pwraw=$bin/pwraw
}

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
# A test may define show_failure to print what explains a failed check
# (its output files, the daemons' last log lines).
bad() {
	failed=$((failed + 1))
	echo "FAILED: $1"
	command -v show_failure >/dev/null 2>&1 && show_failure
	return 0
}
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
none() { "$@"; [ $? -eq 1 ]; }
lacks() {
	[ -e "$1" ] || { echo "  lacks: $1 does not exist"; return 2; }
	none grep -q -- "$2" "$1"
}
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# setpriv alone would look the program up while it still holds root's
# capabilities; env looks it up as the user, as the user's shell would.
tm() { tmux -S "$tmp/tm" -f /dev/null "$@"; }
win=
pane_text() { tm capture-pane -p -J -S -100 -t "$win"; }
on_screen() {
	screen_now=$(pane_text) || return 2
	printf '%s\n' "$screen_now" | grep -qF -- "$1"
}
type_in() { tm send-keys -t "$win" -l "$1" && tm send-keys -t "$win" Enter; }

as() { u=$1; shift; setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups --inh-caps=-all env -- "$@"; }
until_true() {
	i=0
	until "$@"; do
		[ $i -ge 100 ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}
