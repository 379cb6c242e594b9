#!/bin/sh
# Issue scenario 1, the IX paper's example, typed as a person would: the
# project administrator pat holds downgrade(projectbit) (etc/demo.policy);
# in a terminal (a tmux pane) pat types "priv downgrade projectbit report"
# on a file labelled secret:projectbit, sees the file (path, device:inode)
# and its label before and after, types yes, and the kernel then reports
# the lower label (the xattr read back with getfattr, and compartctl).
# Refused, with the file unchanged: the same with otherbit (125), a user
# without the node (125), the request from a pipe (no private path, 125),
# a symbolic link named as the file (its target unchanged), a directory
# link on the way, "../x", a file in a directory pat cannot search, a
# file with a second name (a hard link), an
# answer other than yes (126); a file pat cannot reach is an error (127);
# a category the file does not carry, a missing file and a file that is
# not a regular file or directory are said plainly with a code of their
# own (124: granted, nothing asked or run); a rule whose need asks less
# than its action is held to the granted right.
# The relabel is in the audit chain (before, after, device:inode) and
# privtree verify passes. Ends with "N passed, M failed".
name=privd_label.sh
. "$(dirname "$0")/privd_lib.sh"

adduser pat ixlblnone
start_privd "$top/etc/demo.policy"

work=$tmp/work
mkdir -m 755 "$work" "$tmp/elsewhere" && chown pat: "$work" || exit 99
mkdir -m 700 "$tmp/private" && echo "root's" > "$tmp/private/x" || exit 99
echo "quarterly figures" > "$work/report"
echo "the other project" > "$work/other"
echo "outside" > "$tmp/elsewhere/x"
ln -s report "$work/link"
ln -s "$work" "$tmp/worklink"
mkfifo "$work/fifo"
chown pat: "$work"/*
"$compartctl" label "$work/report" secret:projectbit > /dev/null || exit 99
"$compartctl" label "$work/other" secret:projectbit,otherbit > /dev/null || exit 99
"$compartctl" label "$tmp/elsewhere/x" secret:projectbit > /dev/null || exit 99
"$compartctl" label "$tmp/private/x" secret:projectbit > /dev/null || exit 99
cd "$work" || exit 99	# pat's requests name files relative to it

# The label as the kernel holds it: version 1, flags 0, level rank 2
# (secret), category bit 0 (projectbit) or none.
secret_projectbit=0x0100000002000000$(printf '01%062d' 0)
secret=0x0100000002000000$(printf '%064d' 0)
xattr() { getfattr --absolute-names -n security.bpf.ixkit -e hex "$1" 2>/dev/null | sed -n 's/^security.bpf.ixkit=//p'; }
label_of() { "$compartctl" label "$1" | cut -f2; }
check "report starts labelled secret:projectbit" '[ "$(xattr "$work/report")" = "$secret_projectbit" ] && [ "$(label_of "$work/report")" = secret:projectbit ]'

# Refusals that come before any question.
p pat downgrade otherbit other
check "otherbit: refused (125), the missing right named" '[ $st = 125 ] && grep -q "^priv: refused: rule downgrade needs downgrade(otherbit)" "$tmp/err"'
check "otherbit: the file is unchanged" '[ "$(label_of "$work/other")" = secret:projectbit,otherbit ]'
p ixlblnone downgrade projectbit report
check "a user without the node: refused (125)" '[ $st = 125 ] && grep -q "^priv: refused: rule downgrade needs downgrade(projectbit)" "$tmp/err" && grep -q "ixlblnone" "$tmp/err"'
check "... and the file is unchanged" '[ "$(xattr "$work/report")" = "$secret_projectbit" ]'
echo yes | as pat "$priv" --socket "$run/privd.sock" downgrade projectbit report > "$tmp/out" 2> "$tmp/err"
st=$?
check "from a pipe: refused (125) for lack of a private path" '[ $st = 125 ] && grep -q "^priv: refused: the action needs your confirmation over a private path, and there is none" "$tmp/err"'
check "... and the file is unchanged" '[ "$(xattr "$work/report")" = "$secret_projectbit" ]'
p pat downgrade projectbit link
check "a symbolic link named as the file: refused (125), the link named" '[ $st = 125 ] && grep -q "^priv: link is, or passes through, a symbolic link" "$tmp/err"'
check "... and its target is unchanged" '[ "$(xattr "$work/report")" = "$secret_projectbit" ]'
p pat downgrade projectbit "$tmp/worklink/report"
check "an absolute path through a directory link: refused (125)" '[ $st = 125 ] && grep -q "passes through, a symbolic link" "$tmp/err" && [ "$(xattr "$work/report")" = "$secret_projectbit" ]'
p pat downgrade projectbit ../elsewhere/x
check "../x: refused (125) by the action language" '[ $st = 125 ] && grep -q "action rejects the request" "$tmp/err"'
check "... and the file outside is unchanged" '[ "$(xattr "$tmp/elsewhere/x")" = "$secret_projectbit" ]'
p pat downgrade projectbit "$tmp/private/x"
check "a file pat cannot reach (a root-only directory): 127, Permission denied" '[ $st = 127 ] && grep -q "^priv: $tmp/private/x: Permission denied" "$tmp/err"'
check "... and it is unchanged" '[ "$(xattr "$tmp/private/x")" = "$secret_projectbit" ]'
p pat downgrade projectbit fifo
check "a fifo: 124, only regular files and directories take labels" '[ $st = 124 ] && grep -q "^priv: fifo is not a regular file or a directory" "$tmp/err"'
p pat downgrade projectbit missing
check "a missing file: 124, named" '[ $st = 124 ] && grep -q "^priv: missing: No such file" "$tmp/err"'
# Issue 16: a second name would escape tier 2's allowlists (pat, the
# owner, links it after it was labelled).
echo "twin" > "$work/twin" && chown pat: "$work/twin" &&
	"$compartctl" label "$work/twin" secret:projectbit > /dev/null && as pat ln "$work/twin" "$work/twin2" || exit 99
p pat downgrade projectbit twin
check "a file with a second name (a hard link): refused (125), the count named" '[ $st = 125 ] && grep -q "^priv: twin has 2 hard links: a labelled file has one name" "$tmp/err"'
check "... and it is unchanged" '[ "$(xattr "$work/twin")" = "$secret_projectbit" ]'

# In a terminal: the question names the file and both labels.
ino=$(stat -c %i "$work/report")
dev=$(stat -c '%Hd:%Ld' "$work/report")
inpane pat downgrade projectbit report
wait_for "type yes to run it:" && ok "the pane shows the question" || { screen; bad "the pane shows the question"; }
screen
check "the action is shown" 'grep -q "remove category projectbit from the label of report (in your working directory)" "$tmp/out"'
check "the file (device:inode) and the labels before and after are shown" 'grep -qF "report (device $dev, inode $ino): secret:projectbit -> secret" "$tmp/out"'
type_in no
st=$(status)
check "no: 126, the file unchanged" '[ "$st" = 126 ] && [ "$(xattr "$work/report")" = "$secret_projectbit" ]'

inpane pat downgrade projectbit report
wait_for "type yes to run it:" || { screen; bad "second question"; }
type_in yes
st=$(status)
screen
check "yes: priv exits 0 and reports the new label" '[ "$st" = 0 ] && grep -qF "report (device $dev, inode $ino): now labelled secret" "$tmp/out"'
check "the kernel reports the lower label (getfattr)" '[ "$(xattr "$work/report")" = "$secret" ]'
check "compartctl reads it as secret" '[ "$(label_of "$work/report")" = secret ]'
check "the relabel is in the audit chain with before, after and device:inode" 'grep -qF "privd-label v1 label pid=" "$log" && grep -qF "outcome=done change=report (device $dev, inode $ino): secret:projectbit -> secret" "$log"'

p pat downgrade projectbit report
check "downgrading a category it no longer carries: 124, said plainly" '[ $st = 124 ] && grep -q "^priv: report does not carry category projectbit: nothing to downgrade" "$tmp/err"'

# Defence in depth: a rule whose need asks less than its action does.
{ cat "$top/etc/demo.policy"; printf 'rule sloppy\n\ttemplate sloppy (\\S+)\n\tneed downgrade(projectbit)\n\taction DOWNGRADE($1, otherbit)\n'; } > "$tmp/sloppy.policy"
"$privtree" --log "$tmp/privtree.log" import "$tmp/sloppy.policy" > /dev/null || bad "importing the sloppy rule"
p pat sloppy other
check "a rule granting more than its need: refused (125) by the granted downgrade(projectbit)" '[ $st = 125 ] && grep -q "^priv: other: removing category otherbit needs downgrade(otherbit), which the granting nodes do not give" "$tmp/err"'
check "... and the file is unchanged" '[ "$(label_of "$work/other")" = secret:projectbit,otherbit ]'

stop_privd
"$privtree" verify > "$tmp/out" 2>&1
check "privtree verify passes afterwards" 'grep -q "chain sound" "$tmp/out"'
finish
