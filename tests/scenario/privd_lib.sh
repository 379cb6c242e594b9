# Shared by privd's scenarios (privd_basic.sh, privd_label.sh,
# privd_edit.sh, privd_confine.sh): sourced with $name set to the test's
# name. Runs the test in its world (harness.sh: private pid and mount
# namespaces, /etc overlaid, the programs in $bin,
# dev.tty.legacy_tiocsti at 0) and offers: throwaway users (adduser), priv
# as a user in the current directory with stdin from /dev/null (p), privd
# on a policy (start_privd; $pwsock is passwdd's socket, daemons a test
# starts itself go in $extra_pids and are killed on exit), and a tmux
# server whose panes are real terminals where a person types (inpane,
# type_in, wait_for, status, screen). Needs root, tmux, useradd, getfattr
# and sqlite3.
. "$(dirname "$0")/harness.sh"
need_built privd/privd privd/priv privtree/privtree compartctl/compartctl
need_tools tmux useradd getfattr sqlite3
world tiocsti
world_setup

db=$tmp/ixkit.db
log=$tmp/privd.log
run=$tmp/run
pid=
extra_pids=
pwsock=$tmp/no-passwdd.sock
at_exit '[ -n "$pid" ] && kill "$pid" 2>/dev/null; for x in $extra_pids; do kill "$x" 2>/dev/null; done; tmux -S "$tmp/tm" kill-server 2>/dev/null'
export IXKIT_CONFIG=/dev/null IXKIT_DB="$db" IXKIT_RUNDIR="$run"
show_failure() {
	sed 's/^/  out| /' "$tmp/out" "$tmp/err" 2>/dev/null
	tail -5 "$log" 2>/dev/null | sed 's/^/  log| /'
}

# adduser USER...: throwaway users in the overlay (the demo policy names pat).
adduser() {
	for u in "$@"; do
		id "$u" >/dev/null 2>&1 || useradd -M -d /nonexistent -s /usr/sbin/nologin "$u" || exit 99
	done
}

# start_privd POLICY: a database holding POLICY, privd serving it.
start_privd() {
	"$privtree" --log "$tmp/privtree.log" import "$1" >/dev/null || exit 99
	run_privd
}
# run_privd: privd serving the tree the database holds.
run_privd() {
	starts=$(grep -c " start socket=" "$log" 2>/dev/null)
	"$privd" -f --rundir "$run" --log "$log" --passwdd-socket "$pwsock" \
		--prompt-timeout 10 &
	pid=$!
	# Its start line, not the socket file: a privd killed with -9 leaves
	# its socket behind, and the next one replaces it only once it listens.
	until_true sh -c "[ \"\$(grep -c ' start socket=' '$log')\" -gt ${starts:-0} ]" ||
		{ echo "privd did not start"; cat "$log"; exit 99; }
}
stop_privd() { kill "$pid"; wait "$pid"; pid=; }

# provider_policy USER NAME PATH: a policy granting USER the right probe,
# whose rule runs /bin/true, with the terminal provider NAME at PATH.
provider_policy() {
	printf '%s\n' "ixkit-policy 1" "right probe plain" "level unclassified" "provider $2 $3" \
		"node /" "	predicate ID($1)" "	rights probe" \
		"rule probe" "	template probe" "	need probe" "	action EXEC(/bin/true)"
}

# otp_passwdd USER NAME=PATH: passwdd on $pwsock (start_privd after it)
# holding USER's TOTP enrolment ($secret), with the terminal provider
# NAME=PATH, and no lockout and a 1 ms back-off so that a wrong code is
# answered at once; code_now and wrong_code are a code it accepts now and
# one it refuses (oathtool). The test needs passwdd/passwdd,
# passwdd/passwdd-admin and oathtool.
otp_passwdd() {
	pwdb=$tmp/secrets/passwdd.db
	mkdir -m 700 "$tmp/secrets" && chown ixkit-passwd: "$tmp/secrets" || exit 99
	"$pwadmin" --secrets-db "$pwdb" enrol-totp "$1" --no-qr > "$tmp/uri" || exit 99
	secret=$(sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p' "$tmp/uri")
	pwsock=$tmp/pw.sock
	"$passwdd" -f --config /dev/null --socket "$pwsock" --secrets-db "$pwdb" \
		--log "$tmp/passwdd.log" --lockout-after 0 --backoff-ms 1 --backoff-max-ms 1 \
		--provider "$2" &
	extra_pids="$extra_pids $!"
	until_true test -S "$pwsock" || { echo "passwdd did not start"; cat "$tmp/passwdd.log"; exit 99; }
}
# pw_passwdd USER:PASSWORD...: passwdd on $pwsock (start_privd after it)
# holding these users' passwords, no lockout, a 1 ms back-off. The test
# needs passwdd/passwdd and passwdd/passwdd-admin.
pw_passwdd() {
	pwdb=$tmp/secrets/passwdd.db
	mkdir -m 700 "$tmp/secrets" && chown ixkit-passwd: "$tmp/secrets" || exit 99
	for up in "$@"; do
		printf '%s\n' "${up#*:}" | "$pwadmin" --secrets-db "$pwdb" set-password --stdin "${up%%:*}" \
			> /dev/null || exit 99
	done
	pwsock=$tmp/pw.sock
	"$passwdd" -f --config /dev/null --socket "$pwsock" --secrets-db "$pwdb" \
		--log "$tmp/passwdd.log" --lockout-after 0 --backoff-ms 1 --backoff-max-ms 1 \
		--provider tmux=/usr/bin/tmux &
	extra_pids="$extra_pids $!"
	until_true test -S "$pwsock" || { echo "passwdd did not start"; cat "$tmp/passwdd.log"; exit 99; }
}
code_now() { oathtool --totp -b "$secret"; }
wrong_code() { printf '%06d' $(( ($(code_now | sed 's/^0*//;s/^$/0/') + 1) % 1000000 )); }

p() {	# p USER ARGS...: priv as USER, stdin /dev/null, output to $tmp/out, $tmp/err; sets st
	u=$1; shift
	as "$u" "$priv" --socket "$run/privd.sock" "$@" > "$tmp/out" 2> "$tmp/err" < /dev/null
	st=$?
}

tm new-session -d -s pv -x 200 -y 40 "sleep 3600" \; set-option -g remain-on-exit on || exit 99
n=0
win=pv
quote() { printf "'%s'" "$(printf %s "$1" | sed "s/'/'\\\\''/g")"; }
inpane() {	# inpane USER ARGS...: priv typed in a fresh pane here, as its own job
	u=$1; shift
	n=$((n + 1))
	win=pv:w$n
	{
		printf 'cd %s || exit 1\n%s --socket %s' "$(quote "$PWD")" "$priv" "$run/privd.sock"
		for w in "$@"; do printf ' %s' "$(quote "$w")"; done
		printf '\necho priv-status=$?\n'
	} > "$tmp/cmd$n.sh"
	chmod 644 "$tmp/cmd$n.sh"
	tm new-window -d -t pv: -n "w$n" "setpriv --reuid=$u --regid=$u --init-groups sh -m $tmp/cmd$n.sh"
}
wait_for() { until_true on_screen "$1"; }
status() {
	wait_for "priv-status=" || { echo "still running"; return; }
	pane_text | sed -n 's/^priv-status=//p'
}
screen() { pane_text > "$tmp/out"; : > "$tmp/err"; }
