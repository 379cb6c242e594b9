#!/bin/sh
# passwdd under a hostile local user's floods, as the issue measured them:
# from one user (ixflood), 64 verifications over pipes that never deliver
# a line, 1000 connections at once, and 500 connections that stall (no
# HELLO) and reconnect. Meanwhile another user (ixlegit) verifies with a
# one-time code from oathtool over a pipe through pwcheck, about 20 times
# per flood: each answered, p99 <= 1 s (printed); and pam_passwdd through
# pamtester for a third user still works. The flooding user is held to its
# own limits and told "busy" (pwcheck's status 4; pam_passwdd's
# PAM_AUTHINFO_UNAVAIL with a word to the person), never left in silence.
# The real daemon, limits as shipped (passwdd(8)); AF_UNIX only; bounded
# loops. Runs in private pid and mount namespaces (harness.sh). Needs
# root, oathtool, pamtester. Ends with "N passed, M failed".
name=passwdd_load.sh
. "$(dirname "$0")/harness.sh"
need_built passwdd/passwdd passwdd/passwdd-admin passwdd/pwcheck tests/scenario/pwraw
[ -e "$build/passwdd/pam_passwdd.so" ] || die "$build/passwdd/pam_passwdd.so not built"
need_tools oathtool pamtester useradd awk sort
world
world_setup
pid= floods=
at_exit 'for p in $floods; do kill "$p" 2>/dev/null; done; [ -n "$pid" ] && kill "$pid" 2>/dev/null'
mkdir "$tmp/secrets" && chown ixkit-passwd: "$tmp/secrets" && chmod 700 "$tmp/secrets" || exit 99
db=$tmp/secrets/passwdd.db
sock=$tmp/run/passwdd.sock
log=$tmp/passwdd.log
show_failure() { sed 's/^/  | /' "$tmp/err" 2>/dev/null; grep -v ' busy \| reject ' "$log" | tail -n 8 | sed 's/^/  log| /'; }
useradd -M -d /nonexistent -s /usr/sbin/nologin ixflood || exit 99
useradd -M -d /nonexistent -s /usr/sbin/nologin ixlegit || exit 99
enrol() { "$pwadmin" --secrets-db "$db" "$@" --no-qr >"$tmp/out" &&
	sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p' "$tmp/out"; }
flood_secret=$(enrol enrol-totp ixflood) && legit=$(enrol enrol-hotp ixlegit) &&
	pam=$(enrol enrol-hotp ixpamload) || exit 99
# The module where every user can load it (the build may sit in a 0700 home).
cp "$build/passwdd/pam_passwdd.so" "$bin/" || die "cannot copy pam_passwdd.so"
printf 'auth required %s socket=%s timeout=20\naccount required pam_permit.so\n' \
	"$bin/pam_passwdd.so" "$sock" > /etc/pam.d/ixpw-load

"$passwdd" -f --config /dev/null --rundir "$tmp/run" --secrets-db "$db" --log "$log" \
	--prompt-timeout 60 &
pid=$!
until_true test -S "$sock" || die "passwdd did not start"

counter=0 pcounter=0
# legit_round WHAT: about 20 verifications of ixlegit while WHAT floods;
# each HOTP code is the next counter's. Prints and checks the p99.
legit_round() {
	: > "$tmp/ms"
	okn=0
	for i in $(seq 1 20); do
		code=$(oathtool --hotp -b -c "$counter" "$legit")
		counter=$((counter + 1))
		t0=$(date +%s%N)
		printf '%s\n' "$code" | as ixlegit "$pwcheck" --socket "$sock" --timeout 20 ixlegit \
			>/dev/null 2>"$tmp/err" && okn=$((okn + 1))
		t1=$(date +%s%N)
		echo $(((t1 - t0) / 1000000)) >> "$tmp/ms"
		sleep 0.05
	done
	n=$(wc -l < "$tmp/ms")
	p99=$(sort -n "$tmp/ms" | awk -v n="$n" '{ v[NR] = $1 } END { k = int(n * 0.99); if (k < n * 0.99) k++; print v[k] }')
	med=$(sort -n "$tmp/ms" | awk -v n="$n" '{ v[NR] = $1 } END { print v[int((n + 1) / 2)] }')
	echo "  $1: ixlegit verified $okn of $n, p99 $p99 ms, median $med ms"
	check "$1: another user's $n verifications all answered and granted" '[ "$okn" -eq "$n" ]'
	check "$1: another user's p99 <= 1000 ms (p99 $p99 ms)" '[ "$p99" -le 1000 ]'
	code=$(oathtool --hotp -b -c "$pcounter" "$pam")
	pcounter=$((pcounter + 1))
	printf '%s\n' "$code" | pamtester ixpw-load ixpamload authenticate >"$tmp/err" 2>&1
	check "$1: pam_passwdd through pamtester for a third user still works" \
		'grep -q "successfully authenticated" "$tmp/err"'
}
stop_floods() { for p in $floods; do kill "$p" 2>/dev/null; done; wait $floods 2>/dev/null; floods=; }

legit_round "idle"

# ---- 64 verifications over pipes that never deliver a line ----
# One fifo, its writer silent: every pwcheck reads a pipe with no line.
mkfifo "$tmp/silent" || exit 99
sleep 60 > "$tmp/silent" &
writer=$!
: > "$tmp/pipes"
for i in $(seq 1 64); do
	( as ixflood "$pwcheck" --socket "$sock" --timeout 60 ixflood < "$tmp/silent" >/dev/null 2>&1
	  echo $? >> "$tmp/pipes" ) &
	floods="$floods $!"
done
sleep 1
legit_round "64 silent pipes from one user"
# By now each of them holds a slot of its own (at most per-user), waits
# for one (at most the queue's limit, 5 s), or has been told busy.
until_true test "$(grep -c '^4$' "$tmp/pipes")" -ge 52
busy=$(grep -c '^4$' "$tmp/pipes")
check "64 silent pipes: the flooding user is told busy ($busy of 64, pwcheck's status 4), the rest are served or queued" \
	'[ "$busy" -ge 52 ]'
check "64 silent pipes: the busy answers are logged with the user" \
	'grep -q "busy uid=$(id -u ixflood) reason=" "$log"'
# The flooding user's own PAM application (pam_passwdd in pamtester, run
# as that user) is told busy too: PAM_AUTHINFO_UNAVAIL, and a word to the
# person.
printf '000000\n' | as ixflood pamtester ixpw-load ixflood authenticate >"$tmp/err" 2>&1
check "64 silent pipes: pam_passwdd for the flooding user answers PAM_AUTHINFO_UNAVAIL, saying passwdd is busy" \
	'grep -q "passwdd is busy; try again" "$tmp/err" && grep -q "Authentication service cannot retrieve authentication info" "$tmp/err"'
kill "$writer"
wait $floods 2>/dev/null
floods=

# ---- 1000 connections at once ----
( ulimit -n 4096; as ixflood "$pwraw" "$sock" flood 1000 > "$tmp/flood" 2>&1 ) &
floods=$!
sleep 0.3
legit_round "1000 connections at once from one user"
until_true test -s "$tmp/flood"
until_true test -s "$tmp/flood" && sleep 1
stop_floods
echo "  $(cat "$tmp/flood")"
check "1000 connections: every one answered, a banner or busy, none left in silence" \
	'awk "{ exit !(\$2 == 1000 && \$8 == 0 && \$4 + \$6 == 1000) }" "$tmp/flood"'

# ---- 500 connections that stall and reconnect ----
( ulimit -n 4096; as ixflood "$pwraw" "$sock" stall 500 1500 6 > "$tmp/stall" 2>&1 ) &
floods=$!
sleep 0.3
legit_round "500 stalled connections reconnecting, from one user"
wait $floods
floods=
echo "  $(cat "$tmp/stall")"
check "stalled connections: every one answered, a banner or busy" \
	'awk "{ exit !(\$8 == 0) }" "$tmp/stall"'
check "passwdd is still up" 'kill -0 "$pid"'
kill "$pid"
wait "$pid"
pid=
finish
