#!/bin/sh
# compartctl as an administrator types it, as root, on a private database
# and runtime directory: status, create/ps/remove, label, run with its exit
# codes (the command's status, 125, 126, 127), a sealed shell started by
# root (it runs as the compartment's own uid: compartctl_uid.sh) that
# cannot write outside its writable directory, and a labelled file it
# cannot read; a label above its ceiling refused at creation and at run,
# also when the record is raised after creation (issue 16, hole 3); and a
# user who cannot read the database reading a label
# (by number). Compartments it creates are removed on every exit path.
# Ends with "N passed, M failed"; exits 1 if any check failed.
set -u
top=${IXKIT_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${IXKIT_BUILDDIR:-$top}
cc=$build/compartctl/compartctl
privtree=$build/privtree/privtree
if [ ! -x "$cc" ] || [ ! -x "$privtree" ]; then
	echo "compartctl.sh: compartctl or privtree not built" >&2
	exit 99
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "compartctl.sh: must run as root (CI does)" >&2
	exit 99
fi
command -v setpriv >/dev/null 2>&1 || { echo "compartctl.sh: setpriv missing (scripts/install-deps: util-linux)" >&2; exit 99; }
tmp=$(mktemp -d /tmp/ixkit-compartctl-XXXXXX) || exit 99
chmod 755 "$tmp"
name=sc$$
cleanup() {
	for c in "$name" "${name}c" "${name}t"; do
		"$cc" remove "$c" >/dev/null 2>&1
	done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
export IXKIT_CONFIG=/dev/null IXKIT_DB="$tmp/ixkit.db" IXKIT_RUNDIR="$tmp/run"
"$privtree" init >/dev/null 2>&1 && "$privtree" import "$top/etc/demo.policy" >/dev/null 2>&1 || {
	echo "compartctl.sh: cannot build the demo database" >&2
	exit 99
}

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAILED: $1"; sed 's/^/  | /' "$tmp/out"; }
# check NAME WANT-STATUS TEXT|"" -- ARGS...: compartctl's status and output
check() {
	what=$1 want=$2 text=$3
	shift 4
	"$cc" "$@" >"$tmp/out" 2>&1
	got=$?
	if [ "$got" -ne "$want" ]; then
		bad "$what: exit $got, expected $want"
	elif [ -n "$text" ] && ! grep -qF -- "$text" "$tmp/out"; then
		bad "$what: output lacks '$text'"
	else
		ok "$what"
	fi
}

check "status names the tier" 0 "tier: " -- status
check "status says what file labels are" 0 "file labels" -- status
check "create a sealed compartment" 0 "" -- create "$name" --label secret --seal
check "create it twice" 1 "already exists" -- create "$name" --label secret
check "create with a bad label" 2 "unknown level or category 'bogus'" -- create x$name --label bogus
"$cc" run --compartment "$name" -- /bin/sleep 30 &
runner=$!
sleep 0.5
check "ps lists the member with its label" 0 "secret" -- ps
check "remove a busy compartment" 1 "still holds 1 process" -- remove "$name"
kill "$runner" 2>/dev/null
wait "$runner" 2>/dev/null
sleep 0.2
check "remove it once empty" 0 "" -- remove "$name"
check "remove what is gone" 1 "no compartment" -- remove "$name"

mkdir -p "$tmp/w" "$tmp/r"
echo plans >"$tmp/r/ts"
echo memo >"$tmp/r/memo"
check "label a file" 0 "" -- label "$tmp/r/ts" topsecret
check "show its label" 0 "topsecret" -- label "$tmp/r/ts"
check "an unlabelled file" 0 "(unlabelled)" -- label "$tmp/r/memo"
check "label a missing file" 1 "No such file" -- label "$tmp/r/none" secret

# A user who cannot read the database (mode 0600, root's) still reads a
# file's label: by number, saying why, the database named once. The user
# runs a copy in $tmp: the build may sit in a directory only root can search.
as_nobody() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"; }
install -m 755 "$cc" "$tmp/compartctl" || exit 99
as_nobody "$tmp/compartctl" label "$tmp/r/ts" >"$tmp/out" 2>&1
st=$?
if [ "$st" -eq 0 ] && grep -qxF "$tmp/r/ts	level#3" "$tmp/out"; then
	ok "a user without the database reads a label by number (topsecret is level#3)"
else
	bad "a user without the database reads a label by number: exit $st"
fi
if grep -q "^compartctl: $tmp/r/ts: label shown by number" "$tmp/out" &&
   grep -q "$IXKIT_DB: unable to open database file: Permission denied\$" "$tmp/out" &&
   [ "$(grep -o "$IXKIT_DB" "$tmp/out" | wc -l)" -eq 1 ]; then
	ok "... says why, naming the database once"
else
	bad "... says why, naming the database once"
fi
as_nobody "$tmp/compartctl" label "$tmp/r/memo" >"$tmp/out" 2>&1
st=$?
if [ "$st" -eq 0 ] && grep -qxF "$tmp/r/memo	(unlabelled)" "$tmp/out" && ! grep -q "compartctl:" "$tmp/out"; then
	ok "a user without the database sees an unlabelled file as such, without a word of the database"
else
	bad "a user without the database sees an unlabelled file as such: exit $st"
fi
as_nobody "$tmp/compartctl" label "$tmp/r/memo" secret >"$tmp/out" 2>&1
st=$?
if [ "$st" -eq 3 ] && grep -q "Permission denied" "$tmp/out"; then
	ok "a user without the database cannot label (3, Permission denied)"
else
	bad "a user without the database cannot label: exit $st"
fi
check "run returns the command's status" 3 "" -- run --label secret -- /bin/sh -c 'exit 3'
check "run a missing command" 127 "No such file" -- run --label secret -- /nonexistent
check "run with a bad label" 125 "unknown level" -- run --label bogus -- /bin/true
check "run: the environment is built" 0 "PATH=/usr/local/sbin" -- run --label secret -- /usr/bin/env
check "run: no caller variables" 1 "" -- run --label secret -- /bin/sh -c 'test -n "${IXKIT_DB:-}"'
# Started by root, a sealed command runs as its compartment's own uid: its
# writable place must be one that uid may write.
chmod 1777 "$tmp/w"
check "sealed, started by root, reads a lower file" 0 "memo" -- run --label secret --seal -- /bin/cat "$tmp/r/memo"
check "sealed, started by root, cannot read up" 1 "Permission denied" -- run --label secret --seal -- /bin/cat "$tmp/r/ts"
# Issue 16, hole 3: the ceiling bounds the label, at creation and at
# every run, also for a record raised above its ceiling after creation
# (as a relabel would; trusted.* needs root).
check "create with the label above the ceiling: refused" 1 "not below its ceiling" -- \
	create "${name}c" --label topsecret --ceiling secret
check "run with the label above the ceiling: refused" 125 "not below its ceiling" -- \
	run --label topsecret --ceiling secret -- /bin/cat "$tmp/r/ts"
cg=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)/ixkit
"$cc" create "${name}c" --label secret >/dev/null 2>&1 && "$cc" create "${name}t" --label topsecret >/dev/null 2>&1 ||
	bad "creating the ceiling compartments"
check "control: a secret compartment with ceiling secret reads memo" 0 "memo" -- \
	run --compartment "${name}c" -- /bin/cat "$tmp/r/memo"
setfattr -n trusted.ixkit.label -v "$(getfattr --absolute-names -e hex -n trusted.ixkit.label "$cg/${name}t" |
	sed -n 's/^trusted.ixkit.label=//p')" \
	"$cg/${name}c" 2>"$tmp/out" || bad "raising the record's label"
check "its record raised to topsecret over ceiling secret: not run" 125 "above its ceiling" -- \
	run --compartment "${name}c" -- /bin/cat "$tmp/r/ts"
check "sealed, started by root, writes its writable place" 0 "" -- \
	run --label secret --seal --write "$tmp/w" -- /bin/sh -c "echo x >$tmp/w/f"
check "sealed, started by root, cannot write elsewhere" 2 "Permission denied" -- \
	run --label secret --seal --write "$tmp/w" -- /bin/sh -c "echo x >$tmp/r/memo"
check "unsealed root, owner of the file, cannot write it either (the allowlist)" 2 "Permission denied" -- \
	run --label secret --write "$tmp/w" -- /bin/sh -c "echo x >$tmp/r/memo"
check "sealed, started by root, has no capabilities" 0 "CapEff:	0000000000000000" -- \
	run --label secret --seal -- /bin/grep CapEff /proc/self/status
check "a compartment may not hold CAP_SYS_ADMIN" 125 "reaches around labels" -- \
	run --label secret --caps cap_sys_admin -- /bin/true
check "no compartment left behind by run" 0 "" -- ps
if grep -q "run-" "$tmp/out"; then bad "run left its compartment"; else ok "run removed its compartment"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
