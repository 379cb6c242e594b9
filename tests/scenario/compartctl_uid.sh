#!/bin/sh
# Issue 16, hole 1: a sealed compartment is never root. Run as root in its
# world (harness.sh: private /etc, so the users made here vanish), as an
# administrator types it:
#   - the attack: `compartctl run --label unclassified --seal -- cat
#     /etc/shadow` is refused (Permission denied), where the same command
#     unsealed, still uid 0, reads it (the control);
#   - started as root, a sealed compartment's process has its own uid and
#     gid (uid, euid, suid and fsuid alike) from the reserved range, no
#     supplementary group; the same compartment keeps its uid, two
#     compartments never share one;
#   - --user root with --seal, or into a sealed compartment, is refused
#     (125) before anything runs; another --user is kept as it is;
#   - the range comes from compartment_uids (here IXKIT_COMPARTMENT_UIDS):
#     a full range refuses a new sealed compartment, removing one releases
#     its uid to the next, a uid the user database knows is passed over,
#     and a malformed range is a usage error;
#   - a file written by the compartment is owned by its uid;
#   - no compartment is left behind.
# Ends with "N passed, M failed"; exits 1 if any check failed.
name=compartctl_uid.sh
. "$(dirname "$0")/harness.sh"
need_built compartctl/compartctl privtree/privtree
need_tools useradd userdel grep od findmnt stat setfattr
world
world_setup

export IXKIT_CONFIG=/dev/null IXKIT_DB="$tmp/ixkit.db" IXKIT_RUNDIR="$tmp/run"
"$privtree" init >/dev/null 2>&1 && "$privtree" import "$top/etc/demo.policy" >/dev/null 2>&1 ||
	die "cannot build the demo database"
# Compartments live in the host's cgroup tree, not in this world: names
# that no other test's world (whose pids are as small as ours) can take.
tag=u$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
made=
at_exit 'for c in $made; do "$compartctl" remove "$c" >/dev/null 2>&1; done'
show_failure() { sed 's/^/  | /' "$tmp/out"; }
# cc WANT-STATUS ARGS...: compartctl, its status checked, output in $tmp/out
cc() {
	want=$1
	shift
	"$compartctl" "$@" >"$tmp/out" 2>&1
	got=$?
	[ "$got" -eq "$want" ] || { echo "  exit $got, expected $want"; return 1; }
}
create() { made="$made $1"; cc 0 create "$1" --label unclassified --seal; }
uid_in() {	# COMPARTMENT: the uid a root command runs as in it
	"$compartctl" run --compartment "$1" -- /usr/bin/id -u 2>"$tmp/err"
}
# The built-in range (compart_uid.h) and a private one for the range
# checks: a range no other test uses, as every compartment's uid counts.
lo=2000000000 hi=2000065535
r0=2100001000 r1=2100001001
parent=$(findmnt -n -t cgroup2 -o TARGET | head -n 1)/ixkit
at_exit 'setfattr -x trusted.ixkit.uid_next.$r0 "$parent" 2>/dev/null'

# ---- the attack ----
cc 1 run --label unclassified --seal -- /bin/cat /etc/shadow
check "sealed, started as root: cat /etc/shadow is refused (Permission denied)" \
	'grep -q "Permission denied" "$tmp/out" && lacks "$tmp/out" "^root:"'
cc 0 run --label unclassified -- /bin/cat /etc/shadow
check "control: unsealed, uid 0 without capabilities, the same command reads it" \
	'grep -q "^root:" "$tmp/out"'

# ---- its own uid ----
cc 0 run --label unclassified --seal -- /bin/grep -E "^(Uid|Gid|Groups):" /proc/self/status
u=$(sed -n 's/^Uid:[[:space:]]*\([0-9]*\).*/\1/p' "$tmp/out")
check "sealed, started as root: uid, euid, suid and fsuid are one uid of the range" \
	'[ -n "$u" ] && [ "$u" -ge "$lo" ] && [ "$u" -le "$hi" ] && grep -qx "Uid:	$u	$u	$u	$u" "$tmp/out"'
check "... gid, egid, sgid and fsgid the same number, and no supplementary group" \
	'grep -qx "Gid:	$u	$u	$u	$u" "$tmp/out" && grep -qx "Groups:[[:space:]]*" "$tmp/out"'
cc 0 run --label unclassified --seal -- /usr/bin/id -u
check "... as id -u says too" 'grep -qx "[0-9][0-9]*" "$tmp/out" && [ "$(cat "$tmp/out")" -ne 0 ]'
create "$tag-a" && create "$tag-b"
st=$?
check "create two sealed compartments" '[ $st -eq 0 ]'
ua=$(uid_in "$tag-a") ub=$(uid_in "$tag-b") ua2=$(uid_in "$tag-a")
echo "$ua $ub $ua2" > "$tmp/out"
check "two sealed compartments run root's commands under different uids" \
	'[ -n "$ua" ] && [ -n "$ub" ] && [ "$ua" -ne 0 ] && [ "$ub" -ne 0 ] && [ "$ua" -ne "$ub" ]'
check "... and one compartment keeps its uid from run to run" '[ "$ua" = "$ua2" ]'
mkdir -m 1777 "$tmp/pub"
cc 0 run --compartment "$tag-a" --write "$tmp/pub" -- /bin/sh -c "echo x >$tmp/pub/left"
check "a file it writes is owned by its uid" '[ "$(stat -c %u:%g "$tmp/pub/left")" = "$ua:$ua" ]'
"$compartctl" run --compartment "$tag-a" -- /bin/ps -o uid=,comm= -p 1 > "$tmp/out" 2>&1
check "... and so does its init (pid 1 of its namespace): no process of it is root" \
	'[ "$(awk "{print \$1, \$2}" "$tmp/out")" = "$ua ixkit-init" ]'

# ---- never --user root ----
cc 125 run --label unclassified --seal --user root -- /bin/true
check "--user root with --seal: refused (125), saying why" 'grep -q "sealed.*never runs as root" "$tmp/out"'
cc 125 run --compartment "$tag-a" --user root -- /bin/true
check "--user root into a sealed compartment: refused (125)" 'grep -q "sealed.*never runs as root" "$tmp/out"'
cc 0 run --label unclassified --seal --user nobody -- /usr/bin/id -u
check "--user nobody with --seal runs as nobody" 'grep -qx "$(id -u nobody)" "$tmp/out"'

# ---- the range: full, released, passed over ----
export IXKIT_COMPARTMENT_UIDS=$r0-$r1
create "$tag-r1" && create "$tag-r2"
st=$?
check "a range of two uids holds two sealed compartments" '[ $st -eq 0 ]'
u1=$(uid_in "$tag-r1") u2=$(uid_in "$tag-r2")
echo "$u1 $u2" > "$tmp/out"
check "... with the two uids of the range" \
	'{ [ "$u1" = $r0 ] && [ "$u2" = $r1 ]; } || { [ "$u1" = $r1 ] && [ "$u2" = $r0 ]; }'
made="$made $tag-r3"
cc 1 create "$tag-r3" --label unclassified --seal
check "a third is refused: the range is full" 'grep -q "no free compartment uid in $r0-$r1" "$tmp/out"'
made="$made $tag-r4"
cc 0 create "$tag-r4" --label unclassified
st=$?
check "... an unsealed one needs none and is made" '[ $st -eq 0 ]'
cc 0 remove "$tag-r1"
create "$tag-r3"
check "removing one releases its uid to the next" '[ "$(uid_in "$tag-r3")" = "$u1" ]'
cc 0 remove "$tag-r2" && cc 0 remove "$tag-r3"
useradd -M -N -u "$r1" -g nogroup -s /usr/sbin/nologin ixsquat >"$tmp/out" 2>&1 || die "useradd"
create "$tag-r5"
u5=$(uid_in "$tag-r5")
made="$made $tag-r7"
cc 1 create "$tag-r7" --label unclassified --seal
check "a uid the user database knows is passed over: one compartment fits, not two" \
	'[ "$u5" = "$r0" ] && grep -q "no free compartment uid in $r0-$r1 (1 held by compartments, 1 by the user database)" "$tmp/out"'
userdel ixsquat >/dev/null 2>&1
cc 0 remove "$tag-r5"
made="$made $tag-r6"
IXKIT_COMPARTMENT_UIDS=5-1 cc 2 create "$tag-r6" --label unclassified --seal
check "a range whose end is below its start is a usage error" 'grep -q "compartment_uids" "$tmp/out"'
IXKIT_COMPARTMENT_UIDS=0-10 cc 2 create "$tag-r6" --label unclassified --seal
check "a range holding uid 0 is a usage error" 'grep -q "compartment_uids" "$tmp/out"'
unset IXKIT_COMPARTMENT_UIDS

# ---- nothing left behind ----
for c in $made; do "$compartctl" remove "$c" >/dev/null 2>&1; done
made=
ls "$parent" >"$tmp/out" 2>&1
check "no compartment of this test is left" 'lacks "$tmp/out" "$tag"'
finish
