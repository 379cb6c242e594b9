#!/bin/sh
# A parameter never reaches a shell, tried as the issue's attack: a rule
# EXEC(/bin/sh, -c, "echo shx-$1") with template 'shx (\S+)' would run
# `priv shx 'x;id'` as id. privtree import refuses such a policy, naming
# the line, the column, the rule and the group, and the database keeps the
# tree it held (privtree export before and after); the running privd then
# finds no rule for the request and nothing runs. A splice whose group can only hold safe
# characters ('exit ([0-9]+)' into "exit $1") is accepted and works.
# Runs itself in private pid and mount namespaces with /etc overlaid
# (privd_lib.sh). Ends with "N passed, M failed".
name=privd_splice.sh
. "$(dirname "$0")/privd_lib.sh"

adduser ixspl
cd "$tmp" || exit 99

head='ixkit-policy 1
right probe plain
right unattended plain
node /
	predicate NONE
	rights ALL
node /svc
	predicate ID(ixspl)
	rights probe | unattended
rule exit
	template exit ([0-9]+)
	need probe
	action EXEC(/bin/sh, -c, "exit $1")'
printf '%s\n' "$head" > "$tmp/safe.policy"
printf '%s\n%s\n' "$head" 'rule shx
	template shx (\S+)
	need probe
	action EXEC(/bin/sh, -c, "echo shx-$1")' > "$tmp/splice.policy"

start_privd "$tmp/safe.policy"
"$privtree" --log "$tmp/privtree.log" export > "$tmp/before" || exit 99
"$privtree" --log "$tmp/privtree.log" import "$tmp/splice.policy" > "$tmp/out" 2> "$tmp/err"
st=$?
check "import of a policy splicing \$1 into a shell command: refused (2)" '[ $st = 2 ]'
check "... naming line 17, the rule, the argument and the group" \
	'grep -q "splice.policy:17:[0-9]*: action of rule shx: EXEC: \$1 reaches the interpreter as .echo shx-\$1., and group 1 .\\\\S+. allows characters outside" "$tmp/err"'
"$privtree" --log "$tmp/privtree.log" export > "$tmp/after" || exit 99
check "... and the database holds the tree it held" 'cmp -s "$tmp/before" "$tmp/after"'

# privd serves whatever tree the database holds now (it reloads a newer one).
p ixspl shx 'x;id'
check "the attack's request finds no rule and runs nothing" \
	'[ $st = 125 ] && grep -q "no rule matches" "$tmp/err" && lacks "$tmp/out" "uid="'
p ixspl exit 7
check "a splice of digits into sh -c is accepted and runs: exit 7" '[ $st = 7 ]'
p ixspl exit '7;id'
check "... and its template lets nothing else through" \
	'[ $st = 125 ] && lacks "$tmp/out" "uid="'

# An interpreter the host names (ixkit.conf policy_interpreters, or
# IXKIT_POLICY_INTERPRETERS) is one where a tree is written: privtree
# import refuses a rule that hands it a '(\S+)' group, which the built-in
# list lets through as a whole argument. Where a tree is loaded (privd's
# start and reload, privtree export) only the built-in list counts, so the
# tree imported without the setting still loads with it.
printf '%s\n%s\n' "$head" 'rule runner
	template runner (\S+)
	need probe
	action EXEC(/usr/local/bin/myrunner, $1)' > "$tmp/runner.policy"
"$privtree" --log "$tmp/privtree.log" export > "$tmp/before" || exit 99
IXKIT_POLICY_INTERPRETERS=myrunner "$privtree" --log "$tmp/privtree.log" \
	import "$tmp/runner.policy" > "$tmp/out" 2> "$tmp/err"
st=$?
check "with IXKIT_POLICY_INTERPRETERS=myrunner, import of EXEC(/usr/local/bin/myrunner, \$1): refused (2)" \
	'[ $st = 2 ]'
check "... naming line 17, column 39, the rule and the group" \
	'grep -q "runner.policy:17:39: action of rule runner: EXEC: \$1 reaches the interpreter as .\$1., and group 1 .\\\\S+. allows characters outside" "$tmp/err"'
"$privtree" --log "$tmp/privtree.log" export > "$tmp/after" || exit 99
check "... and the database holds the tree it held" 'cmp -s "$tmp/before" "$tmp/after"'

"$privtree" --log "$tmp/privtree.log" import "$tmp/runner.policy" > "$tmp/out" 2> "$tmp/err"
st=$?
check "without the setting, the same import is accepted" '[ $st = 0 ]'
p ixspl -n runner x
check "... and privd, started without the setting, reloads it: runner is granted (priv -n)" \
	'[ $st = 0 ]'
stop_privd
IXKIT_POLICY_INTERPRETERS=myrunner
export IXKIT_POLICY_INTERPRETERS
run_privd
p ixspl -n runner x
check "privd started with IXKIT_POLICY_INTERPRETERS=myrunner loads that tree: runner is granted" \
	'[ $st = 0 ] && grep " start socket=" "$log" | tail -1 | grep -q " rules=2 "'
"$privtree" --log "$tmp/privtree.log" export > "$tmp/out" 2> "$tmp/err"
st=$?
check "... and privtree export with the setting loads it too" \
	'[ $st = 0 ] && grep -q "^rule runner" "$tmp/out"'
stop_privd

IXKIT_POLICY_INTERPRETERS='myrunner,my/runner'
timeout 20 "$privd" -f --rundir "$run" --log "$log" --passwdd-socket "$pwsock" > "$tmp/out" 2> "$tmp/err"
st=$?
check "privd with a malformed IXKIT_POLICY_INTERPRETERS: a configuration error (2) naming the key and the name" \
	'[ $st = 2 ] && grep -q "policy_interpreters.*my/runner" "$tmp/err"'
"$privtree" --log "$tmp/privtree.log" import "$tmp/safe.policy" > "$tmp/out" 2> "$tmp/err"
st=$?
check "... and privtree import with it: 2, naming the key and the name" \
	'[ $st = 2 ] && grep -q "policy_interpreters.*my/runner" "$tmp/err"'
unset IXKIT_POLICY_INTERPRETERS

finish
