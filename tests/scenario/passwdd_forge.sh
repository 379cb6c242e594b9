#!/bin/sh
# A compromised passwdd worker: tests/passwdd/pwforged is passwdd built
# from its own daemon sources with a worker that sends its monitor forged
# messages from a script (see its head comment), the case named by the
# user the client asks about. Each forgery — a VERIFY for another user
# than the peer may ask about, a TAG_REGISTER from a peer that is not
# sessiond's, two VERIFYs, messages of another range or of the client's
# or the monitor's own types, out of state (before the connection),
# truncated, with trailing bytes, oversized, a party descriptor the
# peer does not hold, silence — is fatal for that worker: logged as
# worker-fatal with the monitor's state, the worker gone, the client told
# that nothing was carried out, nothing verified (no verify line, the
# one-time code still unused). The worker can never read the secrets
# database: opening it kills the worker (seccomp, SIGSYS, logged), and it
# holds no descriptor that reads as SQLite (a sanitizer build lets open(2)
# through seccomp, and Landlock refuses it). The honest case still
# verifies. Runs in private pid and mount namespaces (harness.sh). Needs
# root and oathtool. Ends with "N passed, M failed".
name=passwdd_forge.sh
. "$(dirname "$0")/harness.sh"
need_built tests/passwdd/pwforged passwdd/passwdd-admin passwdd/pwcheck
need_tools oathtool
world
world_setup
cp "$build/tests/passwdd/pwforged" "$bin/" || die "cannot copy pwforged"
forged=$bin/pwforged
pid=
at_exit '[ -n "$pid" ] && kill "$pid" 2>/dev/null'
mkdir "$tmp/secrets" && chown ixkit-passwd: "$tmp/secrets" && chmod 700 "$tmp/secrets" || exit 99
db=$tmp/secrets/passwdd.db
sock=$tmp/run/passwdd.sock
log=$tmp/passwdd.log
show_failure() { sed 's/^/  | /' "$tmp/err" 2>/dev/null; tail -n 5 "$log" | sed 's/^/  log| /'; }
"$pwadmin" --secrets-db "$db" enrol-hotp nobody --no-qr >"$tmp/out" || exit 99
secret=$(sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p' "$tmp/out")
code0=$(oathtool --hotp -b -c 0 "$secret")

start() {	# start [ENV=VALUE...]: pwforged as passwdd
	env IXKIT_PWFORGE_DB="$db" "$@" "$forged" -f --config /dev/null --rundir "$tmp/run" \
		--secrets-db "$db" --log "$log" &
	pid=$!
	until_true test -S "$sock" || die "pwforged did not start"
}
stop() { kill "$pid"; wait "$pid"; pid=; }
# forge CASE: nobody asks about CASE with the unused code on a pipe.
forge() {
	before=$(grep -c . "$log")
	printf '%s\n' "$code0" | as nobody "$pwcheck" --socket "$sock" "$1" >"$tmp/out" 2>"$tmp/err"
	st=$?
	sleep 0.2
	tail -n +"$((before + 1))" "$log" > "$tmp/new"
}
# gone PID: the process has ended (a zombie waiting for this shell, pid 1
# of the world, to reap it, counts: it runs no more).
gone() { s=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null); [ -z "$s" ] || [ "$s" = Z ]; }
fatal() {	# fatal CASE STATE WORDS: the case is fatal, as said
	forge "$1"
	w=$(sed -n 's/.* worker-fatal .* worker=\([0-9]*\) .*/\1/p' "$tmp/new" | head -n 1)
	if [ "$st" -eq 3 ] && grep -q "the request was not carried out" "$tmp/err" &&
	   grep -q "worker-fatal uid=65534 pid=[0-9]* worker=[0-9]* state=$2 error=.*$3" "$tmp/new" &&
	   none grep -q " verify user=" "$tmp/new" && [ -n "$w" ] && until_true gone "$w"; then
		ok "$1: fatal in state $2, logged, the worker gone, the client told, nothing verified"
	else
		echo "  status $st"; sed 's/^/  new| /' "$tmp/new"; [ -n "$w" ] && sed 's/^/  worker| /' "/proc/$w/status" 2>/dev/null | grep -E "State|PPid|Uid"
		bad "$1: fatal for the worker"
	fi
}

start
fatal other RELAYING "VERIFY relayed against the checks: uid 65534 may only verify its own login name"
fatal tagreg RELAYING "TAG_REGISTER relayed against the checks: only sessiond's user"
fatal twice VERIFY "worker sent VERIFY in state VERIFY"
fatal range RELAYING "worker sent 0x0101, which it may never send"
fatal clienttype RELAYING "worker sent 0x0201, which it may never send"
fatal monitortype RELAYING "worker sent 0x0280, which it may never send"
fatal truncated RELAYING "descriptor [0-9] expected, 0 received"
fatal trailing RELAYING "1 trailing bytes"
fatal oversized RELAYING "packet truncated"
fatal notparty VERIFY "a relayed descriptor is not one the peer (pid [0-9]*) holds"
fatal silent RELAYING "the worker said nothing in state RELAYING"

forge opendb
# seccomp kills the worker at open(2); in a sanitizer build, whose
# runtime needs openat, Landlock refuses it (EACCES): never a descriptor.
if [ "$st" -eq 3 ] && { grep -q "worker-killed slot=[0-9]* worker=[0-9]* signal=31 (a system call outside its seccomp allow-list)" "$tmp/new" ||
   grep -q "reject stage=forge uid=65534 pid=[0-9]* error=opendb fd=-1 errno=13" "$tmp/new"; } &&
   none grep -q "opendb fd=[0-9]" "$tmp/new"; then
	ok "opening the secrets database kills the worker (SIGSYS) or is refused (Landlock), logged"
else
	echo "  status $st"; sed 's/^/  new| /' "$tmp/new"; bad "opening the secrets database"
fi
forge scanfds
if grep -q "reject stage=forge uid=65534 pid=[0-9]* error=fds: 0 1 2 3 4 5 6 sqlite=none" "$tmp/new"; then
	ok "the worker holds /dev/null, its channel, the connection and the client's two descriptors: none reads as SQLite"
else
	sed 's/^/  new| /' "$tmp/new"; bad "the worker's descriptors"
fi
# Nothing above used the code: it is still the next one.
forge nobody
if [ "$st" -eq 0 ] && grep -q "verify user=nobody requester=65534 .* result=granted" "$tmp/new"; then
	ok "the honest case verifies, with the code no forgery used up"
else
	echo "  status $st"; sed 's/^/  new| /' "$tmp/new"; bad "the honest case verifies"
fi
stop

# A worker that speaks before its monitor hands it a connection.
start IXKIT_PWFORGE_EARLY=1
fatal nobody START "worker sent VERIFY in state START"
stop
workers() { ps -eo uid=,stat= | awk -v u="$(id -u ixkit-passwdd-worker)" '$1 == u && $2 !~ /^Z/' | grep -q .; }
until_true none workers && ok "no worker outlives its daemon" ||
	{ ps -eo pid,ppid,uid,stat,args | sed 's/^/  ps| /'; bad "no worker outlives its daemon"; }
finish
