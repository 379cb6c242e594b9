#!/bin/sh
# etc/sysusers.d/ixkit.conf creates, with systemd-sysusers into a private
# root (CI's machine runs no systemd; the binary needs none), every user
# it declares (passwdd's, and each server's worker): a system uid, its own
# group, no login shell, a locked password; systemd-sysusers says nothing but what it creates
# (it skips a line it cannot use with a warning and exit status 0); a
# second run changes nothing; a broken file is reported (the check can
# fail).
set -u
top=${IXKIT_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
conf=$top/etc/sysusers.d/ixkit.conf
if ! command -v systemd-sysusers >/dev/null 2>&1; then
	echo "sysusers.sh: systemd-sysusers missing (package systemd)" >&2
	exit 99
fi
tmp=$(mktemp -d /tmp/ixkit-sysusers-XXXXXX) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0
failed=0
check() { if eval "$2"; then passed=$((passed + 1)); echo "ok: $1"; else failed=$((failed + 1)); echo "FAILED: $1"; sed 's/^/  | /' "$tmp/out"; fi; }

# The user passwdd confines itself to when --user is not given.
user=$(sed -n 's/^#define PW_DEFAULT_USER "\(.*\)"$/\1/p' "$top/passwdd/confine.h")
check "passwdd's default user is known" '[ -n "$user" ]'

root=$tmp/root
mkdir -p "$root/usr/lib/sysusers.d" "$root/etc"
cp "$conf" "$root/usr/lib/sysusers.d/ixkit.conf"
systemd-sysusers --dry-run --root="$root" > "$tmp/out" 2>&1
check "dry run: it would create the user and its group" \
	'grep -q "Creating group .$user. with GID" "$tmp/out" && grep -q "Creating user .$user. " "$tmp/out" && [ ! -s "$root/etc/passwd" ]'
clean_run() {	# clean_run ROOT: succeeds, and every line it prints is a creation
	systemd-sysusers --root="$1" > "$tmp/out" 2>&1 && { grep -qv "^Creating " "$tmp/out"; [ $? = 1 ]; }
}
check "systemd-sysusers creates them without a warning" 'clean_run "$root"'
# Every user the file declares: passwdd's and the three servers' workers.
users=$(sed -n 's/^u \([a-z][-a-z0-9]*\) .*/\1/p' "$conf")
check "the file declares passwdd's user and a worker user per server" \
	'echo "$users" > "$tmp/out"; grep -qx "$user" "$tmp/out" && grep -qx ixkit-privd-worker "$tmp/out" && grep -qx ixkit-sessiond-worker "$tmp/out" && grep -qx ixkit-passwdd-worker "$tmp/out"'
for u in $users; do
	line=$(grep "^$u:" "$root/etc/passwd")
	uid=$(echo "$line" | cut -d: -f3)
	gid=$(echo "$line" | cut -d: -f4)
	echo "$line" > "$tmp/out"
	check "$u exists with a system uid (1..999)" '[ -n "$uid" ] && [ "$uid" -ge 1 ] && [ "$uid" -le 999 ]'
	check "$u's primary group is its own group of the same name" 'grep -q "^$u:x:$gid:$" "$root/etc/group"'
	check "$u has no login shell" '[ "$(echo "$line" | cut -d: -f7)" = /usr/sbin/nologin ]'
	grep "^$u:" "$root/etc/shadow" > "$tmp/out"
	check "$u's password is locked" 'grep -q "^$u:!" "$tmp/out"'
done
n=$(echo "$users" | wc -l)
check "no other user or group is created" '[ "$(wc -l < "$root/etc/passwd")" = "$n" ] && [ "$(wc -l < "$root/etc/group")" = "$n" ]'
cp "$root/etc/passwd" "$tmp/passwd.1"
check "a second run changes nothing" 'clean_run "$root" && cmp -s "$root/etc/passwd" "$tmp/passwd.1"'

# The control: a file systemd-sysusers refuses fails the check.
mkdir -p "$tmp/bad/usr/lib/sysusers.d" "$tmp/bad/etc"
printf 'u bad!name - "x"\n' > "$tmp/bad/usr/lib/sysusers.d/bad.conf"
check "a broken sysusers.d file is reported" '! clean_run "$tmp/bad" && grep -q "not a valid" "$tmp/out"'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
