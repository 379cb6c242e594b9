#!/bin/sh
# privd's processes killed with -9 at chosen points (issue 12: faults):
# the monitor while the person is asked to confirm (an action and an
# edit), the worker then, the monitor and the worker while an action
# runs, a spare before it serves, and main while the person is asked.
# After each: nothing runs that was not confirmed, a running action is
# ended whole (with its background child), what was confirmed and left
# without an end is recorded as abandoned, the tree is entirely as it
# was, the database opens, `privtree verify` passes, and privd (or a
# restarted privd) serves. At the end every row of the actions table has
# its request's decision and confirmation records. Ends with "N passed,
# M failed".
name=privd_faults.sh
. "$(dirname "$0")/privd_lib.sh"

adduser pat ixfault
mkdir -m 1777 "$tmp/mark"
{
	cat "$top/etc/demo.policy"
	cat <<POLICY
node /faults
	predicate ID(ixfault)
	rights probe | unattended
node /asking
	predicate ID(ixfault)
	rights ask
rule hold
	template hold
	need probe
	action EXEC(/bin/sh, -c, "sleep 41 & echo holding; sleep 40")
rule asked
	template asked
	need ask
	action EXEC(/usr/bin/touch, $tmp/mark/ran)
POLICY
} | sed 's/^right backup plain$/right backup plain\nright probe plain\nright ask plain/' > "$tmp/test.policy"
grep -q '^right probe plain$' "$tmp/test.policy" || die "the test policy lacks its rights"
start_privd "$tmp/test.policy"
cd "$tmp" || exit 99
"$privtree" export > "$tmp/tree0"

field() { sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" 2>/dev/null; }
gone() { none kill -0 "$1" 2>/dev/null; }
nothing_ran() { [ -z "$(ls -A "$tmp/mark")" ]; }
sound() { "$privtree" verify > "$tmp/out" 2>&1 && grep -q "chain sound" "$tmp/out"; }
same_tree() { "$privtree" export > "$tmp/tree-now" && cmp -s "$tmp/tree0" "$tmp/tree-now"; }
monitor_of() {	# monitor_of REQUEST: the pid of the monitor that logged its request last
	sed -n "s/.*privd\[\([0-9]*\)\] privd-request .* request=$1 audit_seq=.*/\1/p" "$log" | tail -1
}
worker_of() { cat "/proc/$1/task/$1/children" 2>/dev/null | tr ' ' '\n' | while read -r c; do
	[ -n "$c" ] && [ "$(field "$c" Uid | cut -f1)" = "$(id -u ixkit-privd-worker)" ] && echo "$c"
done | head -1; }

# The monitor killed while the person is asked.
inpane ixfault asked
wait_for "type yes to run it:" || bad "the person is asked"
m=$(monitor_of asked)
kill -KILL "$m"
check "monitor killed at the confirmation: priv ends (127) and nothing ran" \
	'[ "$(status)" = 127 ] && nothing_ran'
check "...the database opens and the chain is sound" sound

# The same for an edit: the tree stays entirely as it was.
inpane pat edit /projects/projectbit/team -- add /projects/projectbit/team "ID(pat)" "downgrade(projectbit)"
wait_for "type yes to run it:" || bad "pat is asked to confirm the edit"
m=$(monitor_of "edit \/projects\/projectbit\/team")
[ -n "$m" ] && kill -KILL "$m"
check "monitor killed at an edit's confirmation: the tree is entirely as it was" \
	'[ -n "$m" ] && [ "$(status)" = 127 ] && same_tree'

# The worker killed while the person is asked: yes starts nothing.
inpane ixfault asked
wait_for "type yes to run it:" || bad "the person is asked again"
m=$(monitor_of asked)
w=$(worker_of "$m")
kill -KILL "$w"
type_in yes
check "worker killed at the confirmation: yes starts nothing (127)" \
	'[ -n "$w" ] && [ "$(status)" = 127 ] && nothing_ran'

# The monitor killed while an action runs: main ends it whole.
as ixfault "$priv" --socket "$run/privd.sock" hold > "$tmp/out" 2> "$tmp/err" < /dev/null &
client=$!
until_true grep -q "started login=ixfault .*request=hold\|started login=ixfault" "$log"
m=$(sed -n 's/.*privd\[\([0-9]*\)\] started login=ixfault .*/\1/p' "$log" | tail -1)
a=$(sed -n 's/.* started login=ixfault .*action_pid=\([0-9]*\) .*/\1/p' "$log" | tail -1)
until_true sh -c "pgrep -f '^sleep 41$' > /dev/null"
bg=$(pgrep -f '^sleep 41$')
kill -KILL "$m"
check "monitor killed mid-action: the action is ended" 'until_true gone "$a"'
check "...and its background child" '[ -n "$bg" ] && until_true gone "$bg"'
check "...and the request is recorded as abandoned by main" \
	'until_true grep -q "privd-exit v1 exit .* monitor=$m abandoned=its monitor died request=hold" "$log"'
wait "$client"

# The worker killed while an action runs: the action is hung up.
as ixfault "$priv" --socket "$run/privd.sock" hold > "$tmp/out" 2> "$tmp/err" < /dev/null &
client=$!
until_true sh -c "[ \"\$(grep -c 'started login=ixfault' '$log')\" -ge 2 ]"
m=$(sed -n 's/.*privd\[\([0-9]*\)\] started login=ixfault .*/\1/p' "$log" | tail -1)
w=$(worker_of "$m")
kill -KILL "$w"
check "worker killed mid-action: the action is hung up (signal 1), recorded" \
	'[ -n "$w" ] && until_true grep -q "privd\[$m\] privd-exit .* signal=1 request=hold" "$log"'
wait "$client"

# A spare killed before it serves: another takes its place.
spare=$(cat "/proc/$pid/task/$pid/children" | tr ' ' '\n' | grep . | head -1)
kill -KILL "$spare"
p ixfault -n hold
check "a spare killed: the next request is served" '[ $st = 0 ]'

# main killed while the person is asked: the monitor goes with it.
inpane ixfault asked
wait_for "type yes to run it:" || bad "the person is asked, main to be killed"
m=$(monitor_of asked)
kill -KILL "$pid"
wait "$pid"
pid=
check "main killed at a confirmation: its monitor ends too" 'until_true gone "$m"'
check "...and priv ends (127), nothing ran" '[ "$(status)" = 127 ] && nothing_ran'
start_privd "$tmp/test.policy" 2>/dev/null
# start_privd imported the policy again: the tree is the test's own.
"$privtree" export > "$tmp/tree0"
p ixfault -n asked
check "a restarted privd serves" '[ $st = 0 ]'

check "the database opens and the audit chain is sound" sound
rows=$(sqlite3 "$db" "SELECT req FROM actions")
orphans=0
for r in $rows; do
	sqlite3 "$db" "SELECT text FROM audit WHERE kind = 'privd-request'" | grep -q "req=$r .*decision=granted" &&
	sqlite3 "$db" "SELECT text FROM audit WHERE kind = 'privd-confirm'" | grep -q "req=$r outcome=\(yes\|unattended\)" ||
		orphans=$((orphans + 1))
done
check "every action privd ran has its decision and confirmation records ($(echo "$rows" | wc -w) actions)" \
	'[ -n "$rows" ] && [ $orphans = 0 ]'
check "no action is left open" '[ "$(sqlite3 "$db" "SELECT count(*) FROM actions WHERE ended IS NULL")" = 0 ]'
finish
