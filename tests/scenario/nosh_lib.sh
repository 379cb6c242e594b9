# Shared by the nosh scenario tests: finds the built nosh, makes a scratch
# directory (the current directory while the test runs) and offers checks.
# A test stops at its first failed check; it closes with "N passed, M
# failed" like every scenario test (M is 1 when a check failed or the test
# died before its end).
set -eu
NOSH=${IXKIT_BUILDDIR:-$(pwd)}/nosh/nosh
[ -x "$NOSH" ] || { echo "FAIL: no nosh at $NOSH" >&2; exit 1; }
checks=0
scratch=$(mktemp -d /tmp/nosh-scenario-XXXXXX)
closing() {
	rc=$?
	rm -rf "$scratch"
	echo "$checks passed, $([ "$rc" -eq 0 ] && echo 0 || echo 1) failed"
	exit "$rc"
}
trap closing EXIT
cd "$scratch"

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { checks=$((checks + 1)); echo "ok $checks - $*"; }

# run_nosh ARGS...: runs nosh, keeping status in $rc and stderr in ./err.
run_nosh() {
	rc=0
	"$NOSH" "$@" 2>err || rc=$?
}

expect_rc() {	# STATUS WHAT
	[ "$rc" -eq "$1" ] || fail "$2: status $rc, want $1 (stderr: $(cat err))"
}

expect_err() {	# TEXT WHAT
	grep -qF -- "$1" err || fail "$2: stderr lacks '$1' (stderr: $(cat err))"
}

expect_file() {	# FILE CONTENT WHAT
	[ -f "$1" ] || fail "$3: $1 missing"
	[ "$(cat "$1")" = "$2" ] || fail "$3: $1 holds '$(cat "$1")', want '$2'"
}

expect_absent() {	# FILE WHAT
	[ ! -e "$1" ] || fail "$2: $1 exists"
}
