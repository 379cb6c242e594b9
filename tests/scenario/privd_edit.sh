#!/bin/sh
# Issue scenario 4, typed as a person would: pat, the delegated editor of
# etc/demo.policy (edit(/projects/projectbit/.+) at /projects/projectbit),
# adds a child node within the subtree from a terminal (a tmux pane),
# after seeing the edit and typing yes: privtree export then shows it, pat
# may request through it, privtree verify passes, and it is removed the
# same way. Refused with the node named and the tree unchanged (privtree
# export compared before and after): an edit whose rights exceed pat's
# own, one that would grant more than its parent node, raising the top
# node of the delegated subtree (/projects/projectbit itself) through its
# own subtree or through a subtree below it, an edit named by string
# prefix only. An edit block for an action with no EDIT, and an EDIT
# without one, are refused with the reason; malformed edit blocks (privraw)
# end the conversation and privd keeps serving. Ends with "N passed, M
# failed".
name=privd_edit.sh
. "$(dirname "$0")/privd_lib.sh"
need_built tests/scenario/privraw
raw=$privraw

adduser pat
start_privd "$top/etc/demo.policy"
work=$tmp/work
mkdir -m 755 "$work" && chown pat: "$work" && cd "$work" || exit 99
export_tree() { "$privtree" export > "$1" 2>&1; }
export_tree "$tmp/tree0"
cp "$tmp/tree0" "$tmp/tree-first"

unchanged() { export_tree "$tmp/tree-now"; cmp -s "$tmp/tree0" "$tmp/tree-now"; }
# refused WHAT WANT-STATUS MESSAGE -- ARGS...: pat's request from /dev/null.
refused() {
	what=$1 want=$2 text=$3
	shift 4
	p pat "$@"
	check "$what: $want, \"$text\"" '[ $st = $want ] && grep -qF -- "$text" "$tmp/err"'
	check "... and the tree is unchanged" unchanged
}

refused "rights beyond the editor's own" 125 \
	"priv: edit refused: node /projects/projectbit/team: the new rights exceed your own" -- \
	edit /projects/projectbit/team -- add /projects/projectbit/team 'ID(pat)' 'downgrade(projectbit,otherbit)'
refused "raising the top node of the subtree" 125 \
	"priv: refused: rule edit needs edit(/projects/projectbit)" -- \
	edit /projects/projectbit -- rights /projects/projectbit 'downgrade(projectbit,otherbit) | edit(/projects/projectbit/.+)'
refused "the top node through a subtree below it" 125 \
	"priv: edit refused: node /projects/projectbit is outside the subtree /projects/projectbit/team this request may edit" -- \
	edit /projects/projectbit/team -- rights /projects/projectbit 'downgrade(projectbit)'
refused "a node that shares only a string prefix" 125 \
	"priv: edit refused: node /projects/projectbitx is outside the subtree /projects/projectbit/team" -- \
	edit /projects/projectbit/team -- add /projects/projectbitx 'ID(pat)' NONE
refused "an edit block for an action with no EDIT" 127 \
	"priv: the request carries an edit, but its action has no EDIT" -- \
	downgrade projectbit report -- remove /projects/projectbit/team
refused "an EDIT action without an edit block" 127 \
	"priv: the action edits the subtree /projects/projectbit/team, but the request carries no edit" -- \
	edit /projects/projectbit/team
while IFS='|' read -r c text; do
	"$raw" "$run/privd.sock" "$c" > "$tmp/out" 2>&1
	check "a malformed edit block ($c) ends the conversation: \"$text\"" 'grep -q "^error [0-9]* " "$tmp/out" && grep -qF -- "$text" "$tmp/out"'
done <<'CASES'
editop|unknown edit operation 9
editpath|edit of '/a/../b': node path has a '.' or '..' component
editlong|string of 1025 bytes over its maximum of 1024
editextra|edit remove /a takes no predicate and no rights
editmissing|edit add /a takes a predicate and rights
editlist|a list request carries no edit
editnoblock|message 0x0101: offset 10:
CASES
check "... and the tree is unchanged" unchanged
p pat -n edit /projects/projectbit/team
check "privd still serves after them" '[ $st = 0 ] && grep -q "^GRANTED" "$tmp/out"'
p pat edit /projects/projectbit/team -- add /projects/projectbit/team
check "an incomplete edit: usage, 127" '[ $st = 127 ] && grep -q "^usage: priv" "$tmp/err"'

# The delegated editor adds a child node, confirmed at the terminal.
inpane pat edit /projects/projectbit/team -- add /projects/projectbit/team 'ID(pat)' 'downgrade(projectbit)'
wait_for "type yes to run it:" && ok "the pane shows the question" || { screen; bad "the pane shows the question"; }
screen
check "the edit is shown: node, predicate and rights" 'grep -q "edit the authorization subtree /projects/projectbit/team" "$tmp/out" && grep -q "add node /projects/projectbit/team" "$tmp/out" && grep -q "with predicate ID(pat)" "$tmp/out" && grep -q "and rights downgrade(projectbit)" "$tmp/out"'
type_in no
st=$(status)
check "no: 126, the tree unchanged" '[ "$st" = 126 ] && unchanged'
inpane pat edit /projects/projectbit/team -- add /projects/projectbit/team 'ID(pat)' 'downgrade(projectbit)'
wait_for "type yes to run it:" || { screen; bad "second question"; }
type_in yes
st=$(status)
screen
check "yes: priv exits 0 and reports the edit" '[ "$st" = 0 ] && grep -q "^edit add /projects/projectbit/team: done (audit record [0-9]*)" "$tmp/out"'
export_tree "$tmp/tree1"
check "privtree export shows the new node with its predicate and rights" 'grep -A2 "^node /projects/projectbit/team$" "$tmp/tree1" | grep -q "predicate ID(pat)" && grep -A2 "^node /projects/projectbit/team$" "$tmp/tree1" | grep -q "rights downgrade(projectbit)"'
check "nothing else changed" '{ diff "$tmp/tree0" "$tmp/tree1" > "$tmp/diff"; [ $? = 1 ]; } && [ "$(grep -c "^[<>]" "$tmp/diff")" -le 4 ] && lacks "$tmp/diff" "^<"'
check "the edit is in the audit chain, pat named as its editor" 'sqlite3 "$db" "SELECT actor, text FROM audit WHERE kind = '"'edit'"'" | grep -q "^pat|v1 edit op=add path=/projects/projectbit/team predicate=ID(pat) rights=downgrade(projectbit) editor=pat@/dev/pts/[0-9]*@tmux$"'
p pat -l
check "privd reloaded the tree: the new node grants pat's requests" 'grep -q "/projects/projectbit/team" "$tmp/out"'

# Below the new node: more than its parent grants, though within pat's.
cp "$tmp/tree1" "$tmp/tree0"
refused "rights beyond the parent node's" 125 \
	"monotonicity: node /projects/projectbit/team/sub would grant more than node /projects/projectbit/team" -- \
	edit /projects/projectbit/team -- add /projects/projectbit/team/sub 'ID(pat)' 'edit(/projects/projectbit/team/.+)'

# And removed again, the same way.
inpane pat edit /projects/projectbit/team -- remove /projects/projectbit/team
wait_for "type yes to run it:" || { screen; bad "the removal's question"; }
screen
check "the removal is shown" 'grep -q "remove node /projects/projectbit/team and every node below it" "$tmp/out"'
type_in yes
st=$(status)
export_tree "$tmp/tree2"
check "the node is removed: 0, the tree as it began" '[ "$st" = 0 ] && cmp -s "$tmp/tree-first" "$tmp/tree2"'

stop_privd
"$privtree" verify > "$tmp/out" 2>&1
check "privtree verify passes afterwards" 'grep -q "chain sound" "$tmp/out"'
check "the audit chain holds both edits by pat" '[ "$(grep -c "privd-confirm.*outcome=yes" "$log")" = 2 ] && grep -q "edit login=pat .*op=add path=/projects/projectbit/team outcome=done" "$log" && grep -q "edit login=pat .*op=remove path=/projects/projectbit/team outcome=done" "$log"'
finish
