# Shared by privtree's scenarios (privtree.sh, audit_head.sh): sourced
# after pt (privtree on the test's database, output in $tmp/out and
# $tmp/err), ok and bad are defined.
#
# expect NAME STATUS [--has TEXT]... [--lacks TEXT]... -- PRIVTREE-ARGS...
# Runs privtree and checks its exit status and what it printed (stdout
# and stderr together, fixed strings).
expect() {
	name=$1 want=$2
	shift 2
	has=$tmp/has lacks=$tmp/lacks
	: >"$has"
	: >"$lacks"
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		case $1 in
		--has) printf '%s\n' "$2" >>"$has" ;;
		--lacks) printf '%s\n' "$2" >>"$lacks" ;;
		esac
		shift 2
	done
	shift
	pt "$@"
	got=$?
	if [ "$got" -ne "$want" ]; then
		bad "$name: exit $got, expected $want"
		return
	fi
	while IFS= read -r s; do
		if ! cat "$tmp/out" "$tmp/err" | grep -qF -- "$s"; then
			bad "$name: output lacks '$s'"
			return
		fi
	done <"$has"
	while IFS= read -r s; do
		if cat "$tmp/out" "$tmp/err" | grep -qF -- "$s"; then
			bad "$name: output has '$s'"
			return
		fi
	done <"$lacks"
	ok "$name"
}
