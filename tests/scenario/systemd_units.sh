#!/bin/sh
# Every unit in etc/systemd/ passes `systemd-analyze verify` (CI's machine
# has no systemd running; verify needs none). ExecStart paths under
# /usr/sbin are pointed at the build tree, where the programs exist, so
# the check is of the units themselves. A unit verify complains about
# fails the test; a bad unit is detected (checked on a broken copy).
set -u
top=${IXKIT_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${IXKIT_BUILDDIR:-$top}
if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "systemd_units.sh: systemd-analyze missing (package systemd)" >&2
	exit 99
fi
tmp=$(mktemp -d /tmp/ixkit-units-XXXXXX) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
failed=0
for unit in "$top"/etc/systemd/*.service; do
	name=$(basename "$unit")
	sed -e "s|/usr/sbin/compartd|$build/libcompart/compartd|" \
		-e "s|/usr/sbin/passwdd|$build/passwdd/passwdd|" \
		-e "s|/usr/sbin/privd|$build/privd/privd|" \
		-e "s|/usr/sbin/sessiond|$build/sessiond/sessiond|" "$unit" >"$tmp/$name"
	if systemd-analyze verify --man=no "$tmp/$name" >"$tmp/out" 2>&1 && [ ! -s "$tmp/out" ]; then
		echo "ok: $name"
	else
		echo "FAILED: $name"
		sed 's/^/  | /' "$tmp/out"
		failed=$((failed + 1))
	fi
done
# The check can fail: a unit with an unknown directive is reported.
printf '[Service]\nExecStart=/bin/true\nNoSuchDirective=1\n' >"$tmp/broken.service"
if systemd-analyze verify --man=no "$tmp/broken.service" >"$tmp/out" 2>&1 && [ ! -s "$tmp/out" ]; then
	echo "FAILED: a broken unit passed verify"
	failed=$((failed + 1))
else
	echo "ok: a broken unit is reported"
fi
[ "$failed" -eq 0 ]
