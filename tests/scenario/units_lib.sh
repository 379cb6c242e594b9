# Shared by systemd_units.sh and install.sh: this build's installation
# directories, and `systemd-analyze verify` on the systemd units with their
# ExecStart paths pointed at programs that exist (the build tree's, or the
# ones installed into a DESTDIR), so that the check is of the units
# themselves. Sourced with $build set; the functions want $tmp, a scratch
# directory, and the counters passed and failed.

# bindir, sbindir, ..., systemdsystemunitdir as make expanded them.
if [ ! -f "$build/tests/scenario/install_dirs.sh" ]; then
	echo "$build/tests/scenario/install_dirs.sh not built (make)" >&2
	exit 99
fi
. "$build/tests/scenario/install_dirs.sh"

# units_copy DIR SED-SCRIPT: copies every unit of DIR (*.service,
# *.socket) into $tmp/units, edited by SED-SCRIPT.
units_copy() {
	mkdir -p "$tmp/units" || return 1
	for unit in "$1"/*.service "$1"/*.socket; do
		[ -f "$unit" ] || continue
		sed -e "$2" "$unit" >"$tmp/units/$(basename "$unit")" || return 1
	done
}

# units_verify NAME...: each unit passes verify side by side with the
# others in $tmp/units (privd.service requires privd.socket), without a
# word of output: a warning is a failure.
units_verify() {
	for name in "$@"; do
		if [ ! -f "$tmp/units/$name" ]; then
			echo "FAILED: $name: no such unit"
			failed=$((failed + 1))
		elif systemd-analyze verify --man=no "$tmp/units/$name" >"$tmp/verify.out" 2>&1 &&
		     [ ! -s "$tmp/verify.out" ]; then
			echo "ok: $name"
			passed=$((passed + 1))
		else
			echo "FAILED: $name"
			sed 's/^/  | /' "$tmp/verify.out"
			failed=$((failed + 1))
		fi
	done
}

# The units ixkit ships; a test that finds fewer fails on the missing one.
units_all="compartd.service passwdd.service privd.service privd.socket sessiond.service"
