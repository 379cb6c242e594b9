#!/bin/sh
# Issue 16, hole 2, on tier 1, in the QEMU guest (vm-test.sh runs it while
# compartd is up; it reads compartctl's status from $1): a labelled file
# gains no name, so that no name of it is one tier 2's allowlist does not
# know. What tier 2 alone gives (labelling refuses a second name, links
# made later are searched for) is tested natively
# (tests/scenario/compartctl_links.sh, test_compart).
# 1. Root outside every compartment cannot link a labelled file, into
#    another directory or its own; the file keeps one name.
# 2. Nor can a labelled process at the file's own label, in a directory it
#    may write.
# 3. A malformed label refuses as a label does (fail closed).
# 4. An unlabelled file is linked as before; once a file's label is
#    removed, it can be linked too.
# 5. pcopy of a labelled file still works: its copy, labelled while it has
#    no name (O_TMPFILE), gets its one name; the copy cannot get another.
# Exit status: the number of failed checks; 77 when this kernel does not
# keep labelled files to one name (or a tool is missing), with a line
# saying why.
status=${1:?usage: vm-link.sh COMPARTCTL-STATUS-FILE}
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "vm-link: ok: $1"; }
bad() { failed=$((failed + 1)); echo "vm-link: FAIL $1"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
skip() { echo "vm-link: SKIP (not tested): $*"; exit 77; }

grep -Eq '^labelled files keep one name +enforced ' "$status" ||
	skip "tier 1 does not keep labelled files to one name on $(uname -r): $(grep '^labelled files keep' "$status")"
for t in compartctl privtree pcopy licpoke ln stat; do
	command -v "$t" >/dev/null || skip "$t is not in the guest"
done

t=/tmp/link
mkdir -m 755 "$t" "$t/a" "$t/b" || exit 1
export IXKIT_CONFIG=/dev/null IXKIT_DB="$t/ixkit.db" IXKIT_RUNDIR="$t/run"
cat >"$t/policy" <<'POLICY'
ixkit-policy 1
level unclassified
level confidential
level secret
level topsecret
node /
	predicate NONE
	rights ALL
POLICY
privtree --log "$t/privtree.log" import "$t/policy" >/dev/null || { cat "$t/privtree.log"; exit 1; }
# refused FILE NAME: ln FILE NAME fails with EPERM, and NAME is not made
refused() { ! ln "$1" "$2" 2>"$t/err" && grep -q "Operation not permitted" "$t/err" && [ ! -e "$2" ]; }
links() { stat -c %h "$1"; }

echo plans >"$t/a/ts"
compartctl label "$t/a/ts" topsecret >/dev/null || exit 1
check "root cannot link a labelled file into another directory (EPERM)" 'refused "$t/a/ts" "$t/b/link"'
check "... nor into its own" 'refused "$t/a/ts" "$t/a/link2"'
check "... and the file keeps one name" '[ "$(links "$t/a/ts")" = 1 ]'

compartctl run --label topsecret --write "$t" -- ln "$t/a/ts" "$t/b/mine" >"$t/err" 2>&1
check "a labelled process at the file's label, in a directory it may write: refused" \
	'grep -q "Operation not permitted" "$t/err" && [ ! -e "$t/b/mine" ]'

echo odd >"$t/a/odd"
licpoke setx "$t/a/odd" security.bpf.ixkit "not-a-label" >/dev/null || exit 1
check "a malformed label refuses as a label does" 'refused "$t/a/odd" "$t/b/odd"'

echo memo >"$t/a/memo"
check "an unlabelled file is linked, here and elsewhere" \
	'ln "$t/a/memo" "$t/b/memo" && ln "$t/a/memo" "$t/a/memo2" && [ "$(links "$t/a/memo")" = 3 ]'
compartctl label "$t/a/memo" secret >"$t/err" 2>&1
check "... and, having three names, is not labelled" 'grep -q "has 3 hard links" "$t/err"'
echo gone >"$t/a/was"
compartctl label "$t/a/was" secret >/dev/null && compartctl label "$t/a/was" --remove >/dev/null || exit 1
check "a file whose label was removed is linked again" 'ln "$t/a/was" "$t/b/was"'

pcopy "$t/a/ts" "$t/b/copy" >"$t/err" 2>&1
check "pcopy puts a labelled copy in place (an unnamed file gets its first name)" \
	'compartctl label "$t/b/copy" | grep -q topsecret && [ "$(links "$t/b/copy")" = 1 ] && cmp -s "$t/a/ts" "$t/b/copy"'
check "... and the copy gains no other name" 'refused "$t/b/copy" "$t/b/copy2"'

if [ "$failed" != 0 ]; then
	sed 's/^/vm-link: | /' "$t/err"
fi
echo "vm-link: $passed passed, $failed failed"
exit "$failed"
