#!/bin/sh
# Who skips the confirmation, tried through a real privd from a pipe, as a
# script of the user would send a request with no person to see it. ALL
# holds "unattended" only by implication: an action granted through the
# root (rights ALL) is refused from a pipe for want of a private path and
# nothing runs, where today's tree ran it unattended (the two-person root
# edit too). A node that names "unattended" still waives the question for
# its service's actions, but never for an edit of the tree: an edit sent
# from a pipe by a node's holder that names both is refused and the tree
# stays as it was (privtree export before and after). privtree check says
# the same. Runs itself in private pid and mount namespaces with /etc
# overlaid (privd_lib.sh). Ends with "N passed, M failed".
name=privd_unattended.sh
. "$(dirname "$0")/privd_lib.sh"

adduser ixunroot ixunsvc
cd "$tmp" || exit 99

cat > "$tmp/test.policy" <<'POLICY'
ixkit-policy 1
right probe plain
right edit regex
right unattended plain
level unclassified
node /
	predicate ID(ixunroot)
	rights ALL
node /svc
	predicate ID(ixunsvc)
	rights probe | edit(/svc(/.*)?) | unattended
rule probe
	template probe
	need probe
	action EXEC(/bin/true)
rule edit
	template edit (/\S*)
	need edit($1)
	action EDIT($1)
POLICY
start_privd "$tmp/test.policy"

started() { grep -c "started login=$1 " "$log"; }

# The waiver where it is named: the service account's probe runs.
p ixunsvc probe
check "a node naming unattended: its probe runs from a pipe (0)" '[ $st = 0 ]'
check "... audited as unattended" \
	'sqlite3 "$db" "SELECT text FROM audit WHERE kind = '"'"'privd-confirm'"'"'" | grep -q "outcome=unattended request=probe"'

# Granted through the root's ALL: no waiver.
p ixunroot probe
check "granted through ALL, from a pipe: refused for want of a private path (125)" \
	'[ $st = 125 ] && grep -q "needs your confirmation over a private path" "$tmp/err"'
check "... and nothing ran" '[ "$(started ixunroot)" = 0 ]'
unattended=$(sqlite3 "$db" "SELECT count(*) FROM audit WHERE kind = 'privd-confirm' AND text LIKE '%outcome=unattended%'")
check "... and the only unattended confirmation recorded is the service account's" '[ "$unattended" = 1 ]'
p ixunroot edit / -- add /extra NONE probe
check "an edit of the root through ALL, from a pipe: refused (125)" '[ $st = 125 ]'

# An edit is never unattended, even where the node names it.
"$privtree" --log "$tmp/privtree.log" export > "$tmp/before" || exit 99
p ixunsvc edit /svc -- add /svc/extra NONE probe
check "an edit by a node that names unattended, from a pipe: refused (125) with the reason" \
	'[ $st = 125 ] && grep -q "needs your confirmation over a private path" "$tmp/err"'
"$privtree" --log "$tmp/privtree.log" export > "$tmp/after" || exit 99
check "... and the tree is as it was" 'cmp -s "$tmp/before" "$tmp/after" && lacks "$tmp/after" /svc/extra'

"$privtree" --log "$tmp/privtree.log" check --user ixunroot --src pipe probe > "$tmp/out" 2> "$tmp/err"
check "privtree check: a grant through ALL is shown for confirmation" \
	'grep -q "shown to the user for confirmation" "$tmp/out" && lacks "$tmp/out" "without confirmation" && lacks "$tmp/out" "no confirmation"'
"$privtree" --log "$tmp/privtree.log" check --user ixunsvc --src pipe edit /svc > "$tmp/out" 2> "$tmp/err"
check "privtree check: an edit is shown for confirmation" \
	'grep -q "shown to the user for confirmation" "$tmp/out" && lacks "$tmp/out" "without confirmation" && lacks "$tmp/out" "no confirmation"'
"$privtree" --log "$tmp/privtree.log" verify > "$tmp/out" 2> "$tmp/err"
st=$?
check "privtree verify passes" '[ $st = 0 ]'

finish
