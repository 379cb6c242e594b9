#!/bin/sh
# Issue 16, hole 2: no read up through a hard link, on tier 2 (the host's
# compartctl run: Landlock allowlist from the label index), as root in the
# harness's world. a/ts is labelled topsecret; a secret compartment must
# not read it under any name:
# 1. a link made after labelling in another directory (b/link), and in the
#    same directory (a/link2), which used to give the inode itself a rule;
#    the compartment itself cannot make a name it could read through;
# 2. labelling a file that already has a second name is refused, and the
#    file stays unlabelled;
# 3. a labelled file renamed away from its indexed name is reported stale
#    by run and by label --check, and a file pcopy put in its place (a new
#    inode, the label copied) is still kept out;
# 4. controls: the compartment reads an unlabelled file with two names, and
#    a topsecret compartment reads a/ts through every name.
# Ends with "N passed, M failed".
name=compartctl_links.sh
. "$(dirname "$0")/harness.sh"
need_built compartctl/compartctl privtree/privtree pcopy/pcopy
world
world_setup

export IXKIT_CONFIG=/dev/null IXKIT_DB="$tmp/ixkit.db" IXKIT_RUNDIR="$tmp/run"
"$privtree" init >/dev/null 2>&1 && "$privtree" import "$top/etc/demo.policy" >/dev/null 2>&1 ||
	die "cannot build the demo database"
at_exit 'for c in $("$compartctl" ps 2>/dev/null | awk "NR > 1 { print \$2 }" | sort -u); do "$compartctl" remove "$c"; done'

d=$tmp/d
mkdir -p "$d/a" "$d/b" "$d/c" || die "mkdir"
echo "plans" >"$d/a/ts"
echo "memo" >"$d/a/memo"
"$compartctl" label "$d/a/ts" topsecret >/dev/null || die "labelling a/ts"

out=$tmp/out
# reads LABEL FILE: a compartment at LABEL prints FILE
reads() { "$compartctl" run --label "$1" -- /bin/cat "$2" >"$out" 2>&1; }
show_failure() { sed 's/^/  | /' "$out"; }

check "control: a secret compartment cannot read a/ts" 'none reads secret "$d/a/ts"'
check "control: it reads a/memo beside it" 'reads secret "$d/a/memo" && grep -qx memo "$out"'

# 1. Links made after labelling (tier 2 cannot refuse them; tier 1 does).
ln "$d/a/ts" "$d/b/link" || die "ln a/ts b/link"
check "a link in another directory: b/link is not readable" 'none reads secret "$d/b/link"'
check "... nor is a/ts" 'none reads secret "$d/a/ts"'
ln "$d/a/ts" "$d/a/link2" || die "ln a/ts a/link2"
check "a link in the same directory: a/link2 is not readable" 'none reads secret "$d/a/link2"'
check "... nor is a/ts itself" 'none reads secret "$d/a/ts"'
check "... nor b/link" 'none reads secret "$d/b/link"'
check "a topsecret compartment reads all three names" \
	'reads topsecret "$d/a/ts" && reads topsecret "$d/b/link" && reads topsecret "$d/a/link2" && grep -qx plans "$out"'
mkdir "$d/w1" "$d/w2" && echo "plans" >"$d/w1/ts" && "$compartctl" label "$d/w1/ts" topsecret >/dev/null ||
	die "labelling w1/ts"
"$compartctl" run --label secret --write "$d/w1" --write "$d/w2" -- \
	/bin/sh -c "ln $d/w1/ts $d/w2/x; ln $d/w1/ts $d/w1/y; cat $d/w2/x $d/w1/y" >"$out" 2>&1
check "a secret compartment may write both directories, yet makes no name it reads through" \
	'lacks "$out" plans'
"$compartctl" label --check >"$out" 2>&1
check "label --check names the links made after labelling" \
	'grep -qF "$d/b/link" "$out" && grep -qF "$d/a/link2" "$out"'

# 2. A file with two names is not labelled.
echo "figures" >"$d/c/two"
ln "$d/c/two" "$d/b/two" || die "ln c/two b/two"
"$compartctl" label "$d/c/two" topsecret >"$out" 2>&1
st=$?
check "labelling a file with two names: refused (1), the count said" \
	'[ "$st" = 1 ] && grep -q "has 2 hard links" "$out"'
check "... and it stays unlabelled" '"$compartctl" label "$d/c/two" | grep -qF "(unlabelled)"'
check "control: a secret compartment reads an unlabelled file through both names" \
	'reads secret "$d/c/two" && reads secret "$d/b/two" && grep -qx figures "$out"'
rm "$d/b/two"
check "with the other name removed it is labelled" '"$compartctl" label "$d/c/two" secret >"$out" 2>&1'

# 3. The indexed name no longer names the labelled file.
mkdir "$d/e" && echo "moved" >"$d/e/f" && "$compartctl" label "$d/e/f" topsecret >/dev/null ||
	die "labelling e/f"
mv "$d/e/f" "$d/e/g" || die "mv"
"$compartctl" run --label secret -- /bin/true >"$out" 2>&1
check "run reports the index entry whose name is gone" \
	'grep -q "warning: .*label index.*stale" "$out"'
"$compartctl" label --check >"$out" 2>&1
check "label --check names it" 'grep -qF "$d/e/f" "$out"'
"$bin/pcopy" "$d/a/ts" "$d/e/f" >/dev/null 2>&1 || die "pcopy a/ts e/f"
check "a labelled file pcopy put at the indexed name (another inode) is kept out" \
	'"$compartctl" label "$d/e/f" | grep -q topsecret && none reads secret "$d/e/f"'
mkdir "$d/h" && echo "kept" >"$d/h/f" && "$compartctl" label "$d/h/f" topsecret >/dev/null &&
	mv "$d/h/f" "$d/h/g" || die "labelling and moving h/f"
"$compartctl" label "$d/h/g" topsecret >/dev/null || die "labelling h/g"
"$compartctl" label --check >"$out" 2>&1
check "labelling a moved file again at its new name refreshes its index entry" \
	'lacks "$out" "$d/h/" && none reads secret "$d/h/g"'
finish
