#!/bin/sh
# Every unit ixkit ships (etc/systemd/, the services as make made them
# from their .in) passes `systemd-analyze verify` (CI's machine has no
# systemd running; verify needs none). ExecStart paths under this build's
# sbindir are pointed at the build tree, where the programs exist, so the
# check is of the units themselves (units_lib.sh; install.sh checks the
# installed ones). A unit verify complains about fails the test; a bad
# unit is detected (checked on a broken copy).
# Units that name each other (privd.service requires privd.socket) are
# verified side by side. Then, as root, in a mount namespace of its own
# whose /etc overlay has the users etc/sysusers.d/ixkit.conf declares
# (made by systemd-sysusers), privd started the way
# privd.socket starts it (systemd-socket-activate passing a listening
# SOCK_SEQPACKET socket) answers priv on that socket and leaves it in
# place when stopped; a socket at another path is refused at start.
set -u
top=${IXKIT_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${IXKIT_BUILDDIR:-$top}
if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "systemd_units.sh: systemd-analyze missing (package systemd)" >&2
	exit 99
fi
. "$top/tests/scenario/units_lib.sh"
tmp=$(mktemp -d /tmp/ixkit-units-XXXXXX) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
verify_units() {
	# The socket from the source, the services as made (in an in-tree build
	# the same directory: the edited copies come last).
	units_copy "$top/etc/systemd" "" &&
		units_copy "$build/etc/systemd" \
		"s|$sbindir/compartd|$build/compartd/compartd|
		 s|$sbindir/passwdd|$build/passwdd/passwdd|
		 s|$sbindir/privd|$build/privd/privd|
		 s|$sbindir/sessiond|$build/sessiond/sessiond|" || exit 99
	units_verify $units_all
	# The check can fail: a unit with an unknown directive is reported.
	printf '[Service]\nExecStart=/bin/true\nNoSuchDirective=1\n' >"$tmp/broken.service"
	if systemd-analyze verify --man=no "$tmp/broken.service" >"$tmp/out" 2>&1 && [ ! -s "$tmp/out" ]; then
		echo "FAILED: a broken unit passed verify"
		failed=$((failed + 1))
	else
		ok "a broken unit is reported"
	fi
	# The check sees across units: privd.service without its socket fails.
	mkdir "$tmp/alone" && cp "$tmp/units/privd.service" "$tmp/alone/"
	if systemd-analyze verify --man=no "$tmp/alone/privd.service" >"$tmp/out" 2>&1 && [ ! -s "$tmp/out" ]; then
		echo "FAILED: privd.service passed verify without privd.socket"
		failed=$((failed + 1))
	else
		ok "privd.service needs privd.socket"
	fi
}

# Socket activation, as privd.socket does it.
activation() {
	run=$tmp/run
	mkdir -m 755 "$run"
	"$build/privtree/privtree" --config /dev/null --db "$tmp/ixkit.db" --log "$tmp/privtree.log" \
		import "$top/etc/demo.policy" >/dev/null || { echo "FAILED: importing the demo policy"; return 1; }
	# -E keeps the environment privd needs; LISTEN_* are set by the tool.
	systemd-socket-activate -E IXKIT_CONFIG=/dev/null --seqpacket -l "$run/privd.sock" \
		"$build/privd/privd" -f --db "$tmp/ixkit.db" --rundir "$run" --log "$tmp/privd.log" \
		>"$tmp/sa.out" 2>&1 &
	sa=$!
	i=0
	while [ ! -S "$run/privd.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	"$build/privd/priv" --socket "$run/privd.sock" -n tcpgateway >"$tmp/out" 2>&1 </dev/null
	st=$?
	if [ $st = 1 ] && grep -q "^REFUSED: tcpgateway" "$tmp/out" && grep -q "privd.sock (activated)" "$tmp/privd.log"; then
		ok "privd serves on the socket passed to it"
	else
		echo "FAILED: privd serves on the socket passed to it (priv status $st)"
		sed 's/^/  | /' "$tmp/out" "$tmp/sa.out" "$tmp/privd.log"
		failed=$((failed + 1))
	fi
	kill "$sa" 2>/dev/null
	wait "$sa"
	if [ -S "$run/privd.sock" ]; then
		ok "a stopped privd leaves the activated socket in place"
	else
		echo "FAILED: a stopped privd removed the activated socket"
		failed=$((failed + 1))
	fi
	rm -f "$run/privd.sock"
	systemd-socket-activate -E IXKIT_CONFIG=/dev/null --seqpacket -l "$run/other.sock" \
		"$build/privd/privd" -f --db "$tmp/ixkit.db" --rundir "$run" --log stderr \
		>"$tmp/sa.out" 2>&1 &
	sa=$!
	i=0
	while [ ! -S "$run/other.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	"$build/privd/priv" --socket "$run/other.sock" -l >/dev/null 2>&1 </dev/null
	wait "$sa"
	st=$?
	if [ $st = 3 ] && grep -q "bound to '$run/other.sock', not $run/privd.sock" "$tmp/sa.out"; then
		ok "a socket at another path is refused, named"
	else
		echo "FAILED: a socket at another path is refused (privd status $st)"
		sed 's/^/  | /' "$tmp/sa.out"
		failed=$((failed + 1))
	fi
}
if [ "${1:-}" = --activation ]; then
	# In a mount namespace of its own: an overlay of /etc where
	# systemd-sysusers makes the users ixkit's sysusers.d file declares
	# (privd's workers run as one of them).
	mkdir -p "$tmp/etc-up" "$tmp/etc-work" &&
	mount -t overlay overlay -o "lowerdir=/etc,upperdir=$tmp/etc-up,workdir=$tmp/etc-work" /etc &&
	systemd-sysusers "$top/etc/sysusers.d/ixkit.conf" >"$tmp/out" 2>&1 || {
		echo "FAILED: the users of etc/sysusers.d/ixkit.conf in an overlay of /etc"
		sed 's/^/  | /' "$tmp/out"
		exit 1
	}
	activation || exit 1
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	verify_units
	echo "skip: privd's socket activation (needs root)"
elif ! command -v systemd-socket-activate >/dev/null 2>&1; then
	verify_units
	echo "FAILED: systemd-socket-activate missing (package systemd)"
	failed=$((failed + 1))
else
	verify_units
	unshare -m --propagation private sh "$0" --activation >"$tmp/activation" 2>&1
	st=$?
	cat "$tmp/activation"
	passed=$((passed + $(grep -c "^ok: " "$tmp/activation")))
	failed=$((failed + $(grep -c "^FAILED: " "$tmp/activation")))
	[ $st -ne 0 ] && ! grep -q "^FAILED: " "$tmp/activation" && failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
