#!/bin/sh
# The scenario harness itself, from a clone in a 0700 home (root's home on
# Debian 12): the source tree is copied into DIR/ixkit where DIR has mode
# 0700, as `git clone` into /root makes it (the working tree, so that
# what is tested is what make check was given), this build is mounted at
# DIR/ixkit/_build/default, and two scenario tests run from there, with
# every path under the 0700 directory. They pass only if every program a
# test user runs (priv typed in a pane, priv through as, session typed in
# a pane) is run from where that user can reach it, not from the build.
# First it shows that the set-up is faithful: a test user cannot reach the
# programs of the build in the 0700 directory. Ends with "N passed, M
# failed".
name=harness_home0700.sh
. "$(dirname "$0")/harness.sh"
need_built privd/priv sessiond/session
need_tools tar
world
world_setup

home=$tmp/home
clone=$home/ixkit
mkdir -m 700 "$home" && mkdir -p "$clone/_build/default" || die "cannot make $clone"
tar -C "$top" --exclude=./_build --exclude=./.git -cf - . | tar -C "$clone" -xf - ||
	die "cannot copy $top into $clone"
mount --bind "$build" "$clone/_build/default" || die "cannot mount the build at $clone/_build/default"
at_exit 'umount "$clone/_build/default" 2>/dev/null'

useradd -M -d /nonexistent -s /usr/sbin/nologin ixharness || die "useradd ixharness"
as ixharness "$clone/_build/default/privd/priv" --help >"$tmp/out" 2>&1
st=$?
check "the set-up is faithful: a user cannot run priv from the build in the 0700 home (126)" \
	'[ $st = 126 ] && grep -q "Permission denied" "$tmp/out"'

for t in privd_label.sh sessiond_basic.sh; do
	IXKIT_SRCDIR=$clone IXKIT_BUILDDIR=$clone/_build/default sh "$clone/tests/scenario/$t" \
		>"$tmp/out" 2>&1
	st=$?
	# indented, so that the inner closing line is not counted twice
	grep -E '^(FAILED|[0-9]+ passed|[a-z_0-9]+\.sh: )' "$tmp/out" | sed 's/^/  inner| /'
	check "$t passes from a clone in a 0700 home" \
		'[ $st = 0 ] && grep -Eq "^[1-9][0-9]* passed, 0 failed$" "$tmp/out"'
done
finish
