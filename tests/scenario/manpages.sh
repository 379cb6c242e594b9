#!/bin/sh
# Lints every manual page under man/ with groff in its strictest warning
# mode (-ww) and fails on any warning or error, so a page that renders
# wrongly for a reader (unknown macro, bad escape, broken table, text lost
# to a font or number error) never reaches a release.
#
# Also checks that each page carries the parts a reader relies on: a .TH
# line whose name and section match the file name, and the sections NAME,
# SYNOPSIS, DESCRIPTION and SEE ALSO.
#
# A page made from PAGE.in (the pages that name installed paths) is
# checked as made, in the build tree, and must have no @NAME@ left.
#
# usage: manpages.sh [PAGE...]
#   (default: every page man/ installs: man/*.[1-8] of the source tree,
#   and for each man/*.[1-8].in there the page made in the build tree)
set -eu

srcdir=${IXKIT_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${IXKIT_BUILDDIR:-$srcdir}
if ! command -v groff >/dev/null 2>&1; then
	echo "FAIL: groff not found (scripts/install-deps installs groff-base)" >&2
	exit 1
fi

if [ $# -eq 0 ]; then
	for page in "$srcdir"/man/*.[1-8] "$srcdir"/man/*.[1-8].in; do
		case $page in
		*.in)	set -- "$@" "$build/man/$(basename "$page" .in)" ;;
		# In an in-tree build the made page sits beside its .in.
		*)	[ -e "$page" ] && [ ! -e "$page.in" ] && set -- "$@" "$page" ;;
		esac
	done
	[ $# -gt 0 ] || { echo "FAIL: no manual pages under $srcdir/man" >&2; exit 1; }
fi

passed=0
failed=0
out=$(mktemp /tmp/manpages-XXXXXX)
trap 'rm -f "$out"' EXIT

# th_field N PAGE: the Nth word of the first .TH line, without quotes.
th_field() {
	awk -v n="$1" '/^\.TH[ \t]/ { gsub(/"/, ""); print $n; exit }' "$2"
}

bad() {	# PAGE WHY
	echo "FAIL: $1: $2" >&2
	ok=0
}

for page in "$@"; do
	ok=1
	base=$(basename "$page")
	name=${base%.*}
	sect=${base##*.}
	if [ ! -f "$page" ]; then
		echo "FAIL: $page: missing (make builds it from its .in)" >&2
		failed=$((failed + 1))
		continue
	fi
	if grep -n '@[a-z_]*@' "$page" >"$out"; then
		sed "s|^|  |" "$out" >&2
		bad "$page" "a @NAME@ is left unsubstituted"
	fi

	# groff warns on stderr; -z discards the output itself. Any line on
	# stderr is a finding, whatever groff's exit status.
	if ! LC_ALL=C.UTF-8 groff -t -man -Tutf8 -ww -z "$page" >"$out" 2>&1; then
		bad "$page" "groff exited with an error"
	fi
	if [ -s "$out" ]; then
		sed "s|^|  |" "$out" >&2
		bad "$page" "groff -ww reported $(wc -l <"$out") warning line(s)"
	fi

	# The title line must name this page: ".TH NAME SECTION ...".
	th_name=$(th_field 2 "$page")
	th_sect=$(th_field 3 "$page")
	if [ "$th_name" != "$(echo "$name" | tr '[:lower:]' '[:upper:]')" ] &&
	   [ "$th_name" != "$name" ]; then
		bad "$page" ".TH names '$th_name', want '$name'"
	fi
	[ "$th_sect" = "$sect" ] || bad "$page" ".TH section '$th_sect', want '$sect'"

	for s in NAME SYNOPSIS DESCRIPTION "SEE ALSO"; do
		grep -q "^\.SH \"\{0,1\}$s\"\{0,1\}\$" "$page" ||
			bad "$page" "no section $s"
	done

	if [ "$ok" -eq 1 ]; then
		passed=$((passed + 1))
		echo "ok - $base"
	else
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
