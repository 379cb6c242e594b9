#!/bin/sh
# A compromised sessiond worker cannot make the monitor act: the real
# main, slots and monitor (tests/sessiond/sessiond-forged, built from
# every source of sessiond but its worker) with a worker that, instead of
# relaying the client's OPEN, plays a case of a script: REQUEST twice, a
# message of privd's range, a message out of state (in READY and after
# REQUEST), HANGUP before any request, an OPEN with another user's uid
# appended as if it were a field, truncated and oversized messages,
# descriptors that are not what the REQUEST says (/dev/null for the
# client's terminal, two for three), a worker that keeps the client's
# terminal, and a type of sessiond's range no table lists. The client
# types `session CASE` in a tmux pane as a user cleared to secret on a
# port that admits secret, so that a request the monitor let through
# would reach passwdd's prompt. Each case: fatal for that worker (logged
# worker-fatal with its reason), the client told (exit 3), no prompt;
# and after them all nothing was started: no session row, no start
# record, no compartment, the user's terminal untouched, the audit chain
# sound. A last case relays honestly and gets as far as the prompt: the
# forged binary is otherwise sessiond. Ends with "N passed, M failed".
name=sessiond_forged.sh
. "$(dirname "$0")/sessiond_lib.sh"
need_built tests/sessiond/sessiond-forged
cp "$build/tests/sessiond/sessiond-forged" "$bin/" || exit 99
sessiond=$bin/sessiond-forged
IXKIT_FORGE_SCRIPT=$tmp/forge
export IXKIT_FORGE_SCRIPT

useradd -m -d "$tmp/home/ixforge" -s /bin/sh ixforge || exit 99
cat > "$tmp/test.policy" <<'POLICY'
ixkit-policy 1
level unclassified
level confidential
level secret
node /
	predicate NONE
	rights ALL
clearance ixforge unclassified..secret
port unclassified..secret /dev/pts/[0-9]+@tmux
provider tmux /usr/bin/tmux
floor unclassified
POLICY
"$pwadmin" --secrets-db "$tmp/secrets/pw.db" enrol-totp ixforge --no-qr > "$tmp/uri" || exit 99

# CASE STEPS: the case is the label the client asks for.
cat > "$IXKIT_FORGE_SCRIPT" <<'FORGE'
twice label secret; request; request
other-range label secret; type 0101
winch-in-ready winch
winch-after-request label secret; request; winch
hangup-in-ready hangup 0
other-identity label secret; extra-uid 0
truncated truncated
oversized oversized
fds-null label secret; fds-null
fds-two label secret; fds-two
keeps-terminal label secret; keep
unlisted-type type 03ff
honest label secret; request
FORGE
# Each case's reason in the log, as the monitor words it.
cat > "$tmp/reasons" <<'REASONS'
twice	worker sent REQUEST in state 
other-range	worker sent 0x0101, which it may never send
winch-in-ready	worker sent WINCH in state READY
winch-after-request	worker sent WINCH in state 
hangup-in-ready	worker sent HANGUP in state READY
other-identity	REQUEST: message 0x0341: offset 80: 4 trailing bytes
truncated	REQUEST: message 0x0341: offset 6: string needs 7 bytes, 3 left
oversized	packet truncated: longer than the 65544-byte maximum
fds-null	descriptor 0 is not what the worker says it is
fds-two	descriptor 3 expected, 2 received
keeps-terminal	it kept the client's terminal after relaying it
unlisted-type	worker sent 0x03ff, which it may never send
REASONS
start_daemons "$tmp/test.policy"

pane ixforge
type_in "echo pane-tty=\$(tty)"
wait_for "pane-tty=/dev/pts/"
pane_tty=$(tm capture-pane -p -t "$win" | sed -n 's/^pane-tty=//p' | tail -1)
tty_before=$(stat -c '%U:%G %a' "$pane_tty")
ptys_before=$(ls /dev/pts | wc -l)

while IFS='	' read -r case reason; do
	fatals=$(grep -c "worker-fatal " "$log")
	fresh
	type_in "$session --socket $sock $case; echo $case-status=\$?"
	st=$(status_of "$case")
	screen
	until_true [ "$(grep -c "worker-fatal " "$log")" -gt "$fatals" ]
	line=$(grep "worker-fatal " "$log" | tail -1)
	check "$case: fatal for the worker, logged with its reason" \
		'[ "$(grep -c "worker-fatal " "$log")" = $((fatals + 1)) ] && printf "%s\n" "$line" | grep -qF -- "$reason"' ||
		echo "  log| $line"
	check "$case: the client is told, exit 3, and no password is asked" \
		'[ "$st" = 3 ] && grep -q "session: sessiond: its worker broke the protocol; nothing was done" "$tmp/out" && lacks "$tmp/out" "One-time code"'
done < "$tmp/reasons"

# What the monitor said of each worker it killed.
sed -n 's/.* worker-fatal /  fatal| /p' "$log"
check "no session was recorded" '[ "$(sqlite3 "$db" "SELECT count(*) FROM sessions")" = 0 ]'
check "no session start in the log or the audit chain" 'lacks "$log" "sessiond-start" && lacks "$log" " started session="'
check "no compartment was made" 'none session_cgroups'
check "the user's terminal is as it was ($tty_before), no pty left" \
	'[ "$(stat -c "%U:%G %a" "$pane_tty")" = "$tty_before" ] && [ "$(ls /dev/pts | wc -l)" = "$ptys_before" ]'
alive=
for w in $(sed -n 's/.* worker-fatal .* worker=\([0-9]*\) .*/\1/p' "$log"); do
	[ -d "/proc/$w" ] && alive="$alive $w"
done
check "every forged worker was killed: none of them is left" '[ -z "$alive" ] && grep -q " worker-fatal " "$log"'

# The same binary, relaying honestly, reaches passwdd's prompt.
fresh
type_in "$session --socket $sock honest; echo honest-status=\$?"
wait_for "One-time code:" && ok "an honest relay through the same monitor reaches the prompt" ||
	{ screen; bad "an honest relay through the same monitor reaches the prompt"; }
type_in "$(oathtool --totp -b "$(sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p' "$tmp/uri")")"
wait_for "at secret on /dev/pts/" && ok "and, authenticated, its session starts" ||
	{ screen; bad "and, authenticated, its session starts"; }
type_in "exit 4"
st=$(status_of honest)
check "the honest session ends normally" '[ "$st" = 0 ]'

kill "$pid"
wait "$pid"
pid=
"$privtree" --config /dev/null --db "$db" verify > "$tmp/out" 2>&1
check "privtree verify: the audit chain is sound" 'grep -q "chain sound" "$tmp/out"'
finish
