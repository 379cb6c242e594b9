#!/bin/sh
# privd with a compromised worker (tests/privd/privd-forge: privd's own
# main, slots and monitors, with tests/privd/forge_worker.c as the
# worker), as an attacker who took the worker over through a parsing bug
# would use it. Each forgery is fatal for that worker and logged
# (worker-fatal, or the worker killed by its own filter), and nothing is
# decided, run or written: a request type outside the monitor's table
# (the old launcher's EXEC with every capability, a LABEL), a second
# REQUEST, SIGNAL or HANGUP before anything runs, a message of another
# server's range, a REQUEST cut short, a REQUEST never followed by
# DROPPED, opening the database or /etc/shadow. A worker that keeps the
# client's terminal while saying it let go makes the confirmation
# impossible (no private path) instead of letting it read what is typed.
# The same daemon relays honest requests, which do run: the forgeries
# fail because the monitor refuses them, not because nothing can run.
# Ends with "N passed, M failed".
name=privd_forge.sh
. "$(dirname "$0")/privd_lib.sh"
need_built tests/privd/privd-forge
privd=$bin/privd-forge

adduser ixforge
mkdir -m 1777 "$tmp/mark"
cat > "$tmp/test.policy" <<POLICY
ixkit-policy 1
right probe plain
right ask plain
right unattended plain
level unclassified
node /
	predicate NONE
	rights ALL
node /svc
	predicate ID(ixforge)
	rights probe | unattended
node /asker
	predicate ID(ixforge)
	rights ask
rule mark
	template mark
	need probe
	action EXEC(/usr/bin/touch, $tmp/mark/ran-mark)
rule cmark
	template cmark
	need ask
	action EXEC(/usr/bin/touch, $tmp/mark/ran-cmark)
rule forge
	template forge-.*
	need probe
	action EXEC(/usr/bin/touch, $tmp/mark/ran-forge)
provider tmux /usr/bin/tmux
POLICY
start_privd "$tmp/test.policy"
cd "$tmp" || exit 99
"$privtree" export > "$tmp/tree-before"

nothing_ran() { [ -z "$(ls -A "$tmp/mark")" ]; }
requests() { grep -c " privd-request " "$log"; }
fatal_seen() {	# a worker-fatal or reject line with $want since line $since of the log
	tail -n +"$since" "$log" | grep -E " (worker-fatal|reject) " | grep -qF -- "$want"
}

try() {	# try WORD WANT-IN-LOG: priv WORD through the forging worker
	since=$(($(wc -l < "$log") + 1))
	before=$(requests)
	want=$2
	p ixforge "$1"
	until_true fatal_seen
	check "$1: fatal for the worker, logged ($2)" fatal_seen
	check "$1: nothing decided or run" '[ "$(requests)" = "$before" ] && nothing_ran'
	check "$1: the client is told, not left waiting (status $st)" '[ "$st" = 127 ]'
}
try forge-exec "worker sent 0x01c0, which it may never send"
try forge-label "worker sent 0x01c1, which it may never send"
try forge-twice "worker sent REQUEST in state REQUESTED"
try forge-signal "worker sent SIGNAL in state READY"
try forge-range "worker sent 0x0201, which it may never send"
try forge-hangup "worker sent HANGUP in state READY"
try forge-short "descriptor 1 expected, 0 received"
try forge-nodrop "timed out"
try forge-db "the worker ended (killed by signal 31)"
try forge-shadow "the worker ended (killed by signal 31)"
"$privtree" export > "$tmp/tree-after"
check "the tree is as it was" 'cmp -s "$tmp/tree-before" "$tmp/tree-after"'

# The same daemon serves honest requests: the control.
p ixforge mark
check "an honest request through the same daemon runs (the control)" \
	'[ $st = 0 ] && [ -e "$tmp/mark/ran-mark" ]'
rm -f "$tmp/mark/ran-mark"

# A confirmation over a real terminal (a pane of the root-owned tmux): the
# honest relay gets the question; a worker that keeps the client's
# terminal makes it a path that is not private: privd says so and wants
# a one-time code after yes (no passwdd here, so none can be checked);
# a plain yes runs nothing.
inpane ixforge cmark
wait_for "type yes to run it:" && ok "honest: the person is asked in the pane (the control)" ||
	bad "honest: the person is asked in the pane (the control)"
type_in no
check "honest: no runs nothing (126)" '[ "$(status)" = 126 ] && nothing_ran'
inpane ixforge forge-keep
wait_for "type yes to run it:"
check "a worker that keeps the terminal: not a private path, and the person is told why" \
	'on_screen "this terminal is not a private path: terminal held by pid" && on_screen "one-time code"'
type_in yes
check "... a plain yes runs nothing" '[ "$(status)" != 0 ] && nothing_ran'
"$privtree" verify > "$tmp/out" 2>&1
check "privtree verify: the audit chain is sound" 'grep -q "chain sound" "$tmp/out"'
finish
