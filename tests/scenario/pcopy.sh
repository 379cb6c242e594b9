#!/bin/sh
# pcopy(1) as an administrator types it, on real files in a scratch
# directory: what the copy carries (content, owner, group, mode with
# set-id bits, licence, label, ixkit xattrs), the hash it prints, --verify,
# every refusal with the destination left untouched, a source written to
# during the copy (status 4), and kill -9 mid-copy (the destination old or
# new, whole, and no temporary name left).
#
# Needs root (chown to other ids, setcap, security.* and trusted.*
# xattrs, a tmpfs in a private mount namespace): CI runs the suite as root,
# so a non-root run is a failure, not a skip. No user is created: owners
# are numeric ids.
set -eu
PCOPY=${IXKIT_BUILDDIR:-$(pwd)}/pcopy/pcopy
[ -x "$PCOPY" ] || { echo "FAIL: no pcopy at $PCOPY" >&2; exit 1; }
checks=0
writer=
scratch=$(mktemp -d /tmp/pcopy-scenario-XXXXXX)
closing() {
	rc=$?
	[ -z "$writer" ] || kill "$writer" 2>/dev/null || :
	chattr -R -i "$scratch" 2>/dev/null || :
	rm -rf "$scratch"
	echo "$checks passed, $([ "$rc" -eq 0 ] && echo 0 || echo 1) failed"
	exit "$rc"
}
trap closing EXIT
cd "$scratch"

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { checks=$((checks + 1)); echo "ok $checks - $*"; }

[ "$(id -u)" -eq 0 ] || fail "pcopy.sh must run as root (chown, setcap, security.* xattrs)"
for t in setcap getcap setfattr getfattr b2sum unshare lsattr chattr; do
	command -v "$t" >/dev/null || fail "$t not found (scripts/install-deps)"
done

# run_pcopy ARGS...: status in $rc, stdout in ./out, stderr in ./err.
run_pcopy() {
	rc=0
	"$PCOPY" "$@" >out 2>err || rc=$?
}
expect_rc() {	# STATUS WHAT
	[ "$rc" -eq "$1" ] || fail "$2: status $rc, want $1 (stdout: $(cat out); stderr: $(cat err))"
}
expect_err() {	# TEXT WHAT
	grep -qF -- "$1" err || fail "$2: stderr lacks '$1' (stderr: $(cat err))"
}
b2() { b2sum -l 256 "$1" | cut -d' ' -f1; }
no_tmp_names() {	# DIR WHAT
	! ls -a "$1" | grep -q '^\.pcopy\.' || fail "$2: a temporary name is left: $(ls -a "$1")"
}

# The source: random content, other owner and group, set-uid, a licence,
# a label, a dummy-licence-like trusted.ixkit.* mark and a user.* xattr
# that pcopy does not copy.
head -c 300000 /dev/urandom >src
chown 4242:4343 src
chmod 4750 src
setcap cap_net_raw+ep src
setfattr -n security.bpf.ixkit -v 0x01000000000000000000000000000000000000000000000000000000000000000000000000000000 src
setfattr -n trusted.ixkit.approval -v alice src
setfattr -n user.note -v not-copied src

run_pcopy src dst
expect_rc 0 "plain copy"
[ "$(cat out)" = "blake2b-256:$(b2 src)  dst" ] || fail "printed '$(cat out)', want the b2sum -l 256 of src"
pass "pcopy prints blake2b-256:HASH  DST, the hash b2sum -l 256 gives"
cmp -s src dst || fail "content differs"
pass "the content is copied"
[ "$(stat -c '%u %g %a' dst)" = "4242 4343 4750" ] || fail "owner/group/mode: $(stat -c '%u %g %a' dst)"
pass "owner, group and mode with the set-uid bit are copied (mode set after chown)"
getcap dst | grep -q 'cap_net_raw=ep' || fail "licence: $(getcap dst)"
pass "the licence (security.capability) is copied: $(getcap dst)"
label=$(getfattr -e hex -n security.bpf.ixkit dst 2>/dev/null | grep =) || fail "label xattr missing on the copy"
[ "$(getfattr -e hex -n security.bpf.ixkit src | grep =)" = "$label" ] || fail "label xattr differs: $label"
pass "the label (security.bpf.ixkit) is copied"
[ "$(getfattr --only-values -n trusted.ixkit.approval dst)" = alice ] || fail "trusted.ixkit.approval not copied"
pass "a trusted.ixkit.* mark is copied"
! getfattr -n user.note dst >/dev/null 2>&1 || fail "user.note was copied"
pass "a user.* xattr is not copied"
no_tmp_names . "after a copy"
pass "no temporary name is left after a copy"

# A licensed copy is sealed: immutable, so that the kernel refuses every
# change to it, root's included, until its licences are removed; and
# marked, so that tier 1 refuses them even once the attribute is cleared.
immutable() { lsattr -d "$1" | cut -c5 | grep -qx i; }
mark=security.bpf.ixkit.licensed
marked() { getfattr -n "$mark" "$1" >/dev/null 2>&1; }
# unseal FILE: root taking a sealed file back by hand, both halves.
unseal() { chattr -i "$1" && setfattr -x "$mark" "$1"; }
immutable dst || fail "the licensed copy is not immutable: $(lsattr -d dst)"
[ "$(getfattr --only-values -n "$mark" dst 2>/dev/null)" = 1 ] ||
	fail "the licensed copy lacks the licence mark $mark=1"
! marked src || fail "the source (licensed, not sealed) has the mark"
pass "the licensed copy carries the licence mark ($mark), set by the seal, not copied"
run_pcopy --verify src dst
expect_rc 0 "--verify of a sealed copy of an unsealed source"
pass "--verify of a sealed, marked copy of an unsealed source: the same (the seal is not compared)"
echo other >other
! sh -c 'printf x >>dst' 2>/dev/null && ! mv -f other dst 2>/dev/null && ! rm -f dst 2>/dev/null &&
	! ln dst dst-link 2>/dev/null && cmp -s src dst || fail "the sealed copy was changed"
pass "the licensed copy is sealed (immutable): root's append, rename over it, unlink and link are refused"
run_pcopy src dst
expect_rc 3 "pcopy over a sealed file"
expect_err "dst: refused: the destination is immutable" "pcopy over a sealed file"
pass "pcopy over a sealed (licensed) file is refused, status 3: $(cat err)"
run_pcopy --show dst
expect_rc 0 "--show"
grep -qx "  content: blake2b-256:$(b2 src)" out && grep -qx '  capabilities: net_raw (permitted, effective)' out &&
	grep -qx '  sealed (immutable): yes' out && grep -qx '  licence mark (tier 1): yes' out &&
	grep -qx '  dummy licences: none' out || fail "--show: $(cat out)"
pass "--show prints the content hash, the capabilities, the seal, the mark and the dummy licences"
# Immutable attribute cleared by hand, mark left: still refused.
chattr -i dst
run_pcopy src dst
expect_rc 3 "pcopy over a marked file"
expect_err "dst: refused: the destination carries the licence mark" "pcopy over a marked file"
cmp -s src dst || fail "the marked destination was changed"
no_tmp_names . "pcopy over a marked file"
pass "pcopy over a file with the licence mark but no immutable attribute is refused, status 3"
setfattr -x "$mark" dst
run_pcopy other plain
expect_rc 0 "copy of an unlicensed file"
! immutable plain && ! marked plain || fail "the unlicensed copy is sealed: $(lsattr -d plain)"
pass "an unlicensed copy is neither immutable nor marked"

# Started with standard output closed, nothing lands in the copy.
rc=0
"$PCOPY" src dst-closed >&- 2>err || rc=$?
expect_rc 0 "copy with stdout closed"
cmp -s src dst-closed || fail "copy with stdout closed differs from src"
unseal dst-closed
pass "with standard output closed, the copy is still exact"

# --verify.
run_pcopy --verify src dst
expect_rc 0 "--verify of a fresh copy"
[ "$(cat out)" = "same: src dst" ] || fail "--verify said '$(cat out)'"
pass "--verify of a fresh copy: status 0, 'same'"
chmod 0755 dst
setcap -r dst
setfattr -n trusted.ixkit.extra -v x dst
printf x >>dst
run_pcopy --verify src dst
expect_rc 1 "--verify after changes"
grep -q '^content: blake2b-256:' out || fail "--verify: no content line: $(cat out)"
grep -qx 'mode: 4750 (source) 0755 (copy)' out || fail "--verify: no mode line: $(cat out)"
grep -qx 'xattr security.capability: only on the source' out || fail "--verify: no licence line: $(cat out)"
grep -qx 'xattr trusted.ixkit.extra: only on the copy' out || fail "--verify: no extra line: $(cat out)"
[ "$(wc -l <out)" -eq 4 ] || fail "--verify: want 4 lines: $(cat out)"
pass "--verify lists each difference on its own line (content, mode, licence, extra mark) and exits 1"

# Replacing an existing destination.
old_ino=$(stat -c %i dst)
run_pcopy src dst
expect_rc 0 "copy over an existing file"
cmp -s src dst && [ "$(stat -c %i dst)" != "$old_ino" ] || fail "dst not replaced"
unseal dst
run_pcopy --verify src dst
expect_rc 0 "--verify after a replace"
pass "an existing destination is replaced by a new inode, and --verify finds it the same"

# Refusals: status 3, a message naming the file, the destination intact.
echo old >keep
keep_hash=$(b2 keep)
refused() {	# WHAT TEXT ARGS...: pcopy ARGS is refused and ./keep unchanged
	what=$1 text=$2
	shift 2
	run_pcopy "$@"
	expect_rc 3 "$what"
	expect_err "$text" "$what"
	[ "$(b2 keep)" = "$keep_hash" ] && [ "$(stat -c %h keep)" -ge 1 ] || fail "$what: keep changed"
	no_tmp_names . "$what"
	pass "refused, status 3: $what ($(cat err))"
}
ln -s src srclink
refused "a symbolic link as source" "srclink: refused: it is a symbolic link" srclink keep
ln -s keep keeplink
refused "a symbolic link as destination" "keeplink: refused: the destination is a symbolic link" src keeplink
[ -L keeplink ] || fail "keeplink replaced"
mkfifo fifo
refused "a FIFO as source (never opened: no hang)" "fifo: refused: it is a FIFO" fifo keep
refused "a device as source" "refused: it is a character device" /dev/null keep
mkdir sub
ln -s sub sublink
refused "a symbolic link in the destination's path" "refused: its path has a symbolic link" src sublink/keep
refused "a symbolic link in the source's path" "refused: its path has a symbolic link" sublink/../src keep
refused "a directory as destination" "sub: refused: the destination is a directory" src sub
refused "the destination is the source" "keep: refused: the destination is the source" keep keep
ln keep keep2
refused "a hard-linked destination" "has 2 hard links" src keep
run_pcopy --split-links src keep
expect_rc 0 "--split-links"
cmp -s src keep && [ "$(cat keep2)" = old ] || fail "--split-links: keep/keep2 wrong"
pass "--split-links replaces the name given; the other hard link keeps the old file"
unseal keep
echo old >keep && rm -f keep2

# A destination that is a mount point (another file system than its
# directory), and a copy from another file system (copy_file_range's
# read/write fallback), in a private mount namespace.
mkdir mnt
echo mounted >mnt-target
unshare -m sh -c '
	set -e
	mount --make-rprivate /
	mount -t tmpfs -o size=16m pcopy-test mnt
	echo on-tmpfs >mnt/file
	head -c 100000 /dev/urandom >mnt/other
	head -c 6000000 /dev/urandom >mnt/large
	mount --bind mnt/file mnt-target
	rc=0; "$1" src mnt-target >out 2>err || rc=$?
	echo "$rc" >rc-mount
	cat mnt-target >after-mount
	echo same-fs >same-target
	echo other >same-source
	mount --bind same-source same-target
	rc=0; "$1" src same-target >out3 2>err3 || rc=$?
	echo "$rc" >rc-same
	cat same-target >after-same
	rc=0; "$1" mnt/other fromtmpfs >out2 2>err2 || rc=$?
	echo "$rc" >rc-xdev
	cmp -s mnt/other fromtmpfs && echo same >cmp-xdev || echo differ >cmp-xdev
	rc=0; "$1" mnt/large largefromtmpfs >out4 2>err4 || rc=$?
	echo "$rc" >rc-xdev-large
	cmp -s mnt/large largefromtmpfs && echo same >cmp-xdev-large || echo differ >cmp-xdev-large
' sh "$PCOPY"
[ "$(cat rc-mount)" -eq 3 ] && grep -q "mnt-target: refused: the destination is a mount point" err &&
	[ "$(cat after-mount)" = on-tmpfs ] || fail "mount point: status $(cat rc-mount), $(cat err)"
pass "a destination that is a mount point (file bind-mounted from a tmpfs) is refused"
[ "$(cat rc-same)" -eq 3 ] && grep -q "same-target: refused: the destination is a mount point" err3 &&
	[ "$(cat after-same)" = other ] || fail "same-fs mount point: status $(cat rc-same), $(cat err3)"
pass "a destination bind-mounted from the same file system (same st_dev) is refused too"
[ "$(cat rc-xdev)" -eq 0 ] && [ "$(cat cmp-xdev)" = same ] || fail "copy from tmpfs: status $(cat rc-xdev), $(cat err2)"
pass "a copy from another file system (tmpfs) is exact"
[ "$(cat rc-xdev-large)" -eq 0 ] && [ "$(cat cmp-xdev-large)" = same ] ||
	fail "large copy from tmpfs: status $(cat rc-xdev-large), $(cat err4)"
pass "a large copy from another file system (read and write, the source hashed in a thread) is exact"

# The source written to during the copy: status 4, the destination intact.
# A 256 MiB sparse file takes long enough to hash and copy for a writer
# appending in a loop to land in the middle; retried a few times.
truncate -s 256M big
head -c 4096 /dev/urandom | dd of=big conv=notrunc status=none
echo old >keep
(while :; do printf x >>big; done) &
writer=$!
changed=0
for i in 1 2 3 4 5; do
	run_pcopy big keep
	if [ "$rc" -eq 4 ]; then changed=1; break; fi
done
kill "$writer"; wait "$writer" 2>/dev/null || :
writer=
[ "$changed" -eq 1 ] || fail "a source written to during the copy: status $rc ($(cat err))"
expect_err "the source changed during the copy" "changed source"
[ "$(b2 keep)" = "$keep_hash" ] || fail "changed source: keep changed"
no_tmp_names . "changed source"
pass "a source appended to during the copy: status 4, destination unchanged, no temporary name"

# kill -9 mid-copy: the destination is the old file or the new one, whole,
# each with its own attributes (the new one licensed and set-uid, the old
# one neither); a kill between the rename and the seal leaves the new one
# in place unsealed, which pcopy --seal repairs (pcopy(1)).
truncate -s 512M big
chown 4242:4343 big && chmod 4750 big && setcap cap_net_raw+ep big
new_hash=$(b2 big)
killed=0
for delay in 0.05 0.1 0.2 0.4 0.8 1.2; do
	chattr -i keep 2>/dev/null || :
	rm -f keep && echo old >keep && chmod 644 keep
	"$PCOPY" big keep >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
	wait "$pid" 2>/dev/null || :
	h=$(b2 keep)
	if [ "$h" = "$new_hash" ]; then
		[ "$(stat -c '%u %g %a' keep)" = "4242 4343 4750" ] && getcap keep | grep -q cap_net_raw ||
			fail "kill -9 after ${delay}s: the new file lacks its attributes: $(stat -c '%u %g %a' keep) $(getcap keep)"
		"$PCOPY" --seal keep >/dev/null 2>&1 && immutable keep ||
			fail "kill -9 after ${delay}s: pcopy --seal does not seal the licensed copy"
	else
		[ "$h" = "$keep_hash" ] && [ "$(stat -c '%u %g %a' keep)" = "0 0 644" ] && [ -z "$(getcap keep)" ] ||
			fail "kill -9 after ${delay}s: keep is neither old nor new, whole with its attributes"
	fi
	no_tmp_names . "kill -9 after ${delay}s"
done
[ "$killed" -ge 2 ] || fail "pcopy finished before every kill ($killed killed): the file is too small to test"
pass "kill -9 mid-copy ($killed times): the destination old or new, whole, with its own attributes; no temporary name"
