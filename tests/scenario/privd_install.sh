#!/bin/sh
# The two-person software install (issue 14; IX's pcopy scenario), typed
# by two administrators in terminals (panes of root's tmux) on the demo
# policy's rules (etc/demo.policy): the program P (demo/netprobe, version
# 1, licensed cap_net_raw and sealed) at /usr/local/bin/netprobe is
# replaced by P' (version 2), staged by sysadmin in /usr/local/stage.
#
#   1 sysadmin stages P'              (no privilege)
#   2 sysadmin approves P'            priv install approve sysadmin netprobe
#   3 sysadmin checks P'              pcopy --show (no privilege)
#   4 secadmin approves P'            priv install approve secadmin netprobe
#   5 secadmin checks P'              pcopy --show (no privilege)
#   6 sysadmin unlicenses P, copies   priv install copy netprobe
#   7 secadmin compares P and P'      pcopy --verify (no privilege)
#   8 secadmin licenses P             priv install license netprobe net_raw
#   9 either clears P''s approvals    priv install clear sysadmin netprobe
#
# P then runs version 2 with cap_net_raw for an unprivileged user, its
# content the one both approved. Refused, with nothing changed: each
# administrator's attempts at the other's steps; a write, a rename over
# and a hard link to P' once approved (by the kernel: sealed, root's
# write too); P's content changed by other means before step 8 (hash
# mismatch named); P' changed between the question of step 6 and its
# "yes" (P stays the old program); a symbolic link as the file; the
# subtree /install edited with one password. Each privileged step is in
# the audit chain. /usr/local is a tmpfs of this test's mount namespace.
# Ends with "N passed, M failed".
name=privd_install.sh
. "$(dirname "$0")/privd_lib.sh"
need_built demo/netprobe demo/netprobe-v2 pcopy/pcopy passwdd/passwdd passwdd/passwdd-admin
need_tools b2sum chattr lsattr getcap setcap setfattr

adduser sysadmin secadmin
cd "$tmp" || exit 99	# the panes start here: the build tree may be in a 0700 home
mount -t tmpfs -o mode=755 ixkit-install /usr/local || exit 99
mkdir -p /usr/local/bin /usr/local/stage || exit 99
chown sysadmin: /usr/local/stage || exit 99
cp "$build/pcopy/pcopy" /usr/local/bin/pcopy || exit 99
P=/usr/local/bin/netprobe
Pn=/usr/local/stage/netprobe
# Licensed and sealed as pc_licence_seal does it: the mark, then immutable.
install -m 755 "$build/demo/netprobe" "$P" && setcap cap_net_raw+ep "$P" &&
	setfattr -n security.bpf.ixkit.licensed -v 1 "$P" && chattr +i "$P" || exit 99
old_hash=$(b2sum -l 256 "$P" | cut -d' ' -f1)

pw_passwdd sysadmin:sys-secret secadmin:sec-secret
start_privd "$top/etc/demo.policy"

hash_of() { b2sum -l 256 "$1" | cut -d' ' -f1; }
# Sealed: immutable and carrying tier 1's licence mark; unsealed: neither.
immutable() { lsattr -d "$1" 2>/dev/null | cut -c5 | grep -qx i; }
marked() { [ "$(getfattr --absolute-names --only-values -n security.bpf.ixkit.licensed "$1" 2>/dev/null)" = 1 ]; }
sealed() { immutable "$1" && marked "$1"; }
unsealed() { ! immutable "$1" && ! marked "$1"; }
dummies() { getfattr --absolute-names -d -m '^security\.ixkit\.dummy\.' "$1" 2>/dev/null | sed -n 's/^security\.ixkit\.dummy\.\([^=]*\)=.*/\1/p' | sort | tr '\n' ' '; }
bound_to() { getfattr --absolute-names --only-values -n "security.ixkit.dummy.$2" "$1" 2>/dev/null; }
step() {	# step USER ARGS...: priv ARGS typed in a fresh pane as USER, confirmed with yes; sets st
	inpane "$@"
	wait_for "type yes to run it" || { st="no question"; return; }
	type_in yes
	st=$(status)
}
audits() { sqlite3 "$db" "SELECT count(*) FROM audit WHERE kind = 'privd-licence' AND text LIKE '%outcome=done%'"; }
show_failure() {
	pane_text 2>/dev/null | grep . | tail -12 | sed 's/^/  pane| /'
	sed 's/^/  out| /' "$tmp/out" "$tmp/err" 2>/dev/null | tail -8
	tail -4 "$log" | sed 's/^/  log| /'
}

# Step 1: sysadmin stages P'.
# (root puts it there: the build tree may be in a home sysadmin cannot enter)
install -m 755 -o sysadmin -g sysadmin "$build/demo/netprobe-v2" "$Pn" || exit 99
approved=$(hash_of "$Pn")

# Step 2.
p secadmin install approve sysadmin netprobe
check "secadmin cannot do step 2 (125, sysadmin's right named)" \
	'[ "$st" = 125 ] && grep -q "needs sysadmin" "$tmp/err" && [ -z "$(dummies "$Pn")" ]'
step sysadmin install approve sysadmin netprobe
check "step 2: sysadmin approves P' (status $st)" '[ "$st" = 0 ]'
check "... the question showed P''s content hash" 'on_screen "content blake2b-256:$approved"'
check "... P' carries sysadmin's dummy licence, bound to its content, and is sealed" \
	'[ "$(dummies "$Pn")" = "sysadmin " ] && [ "$(bound_to "$Pn" sysadmin)" = "blake2b-256:$approved" ] && sealed "$Pn"'

# A sealed P' cannot be changed, by its owner or by root.
echo "not the approved program" > "$tmp/other" && chmod 644 "$tmp/other"
check "a write to P' by its owner is refused by the kernel" '! as sysadmin sh -c "printf x >> $Pn" 2>/dev/null'
check "... and by root" '! sh -c "printf x >> $Pn" 2>/dev/null'
check "a rename over P' is refused" '! as sysadmin mv -f "$tmp/other" "$Pn" 2>/dev/null'
check "a hard link to P' is refused" '! as sysadmin ln "$Pn" /usr/local/stage/link 2>/dev/null'
check "... P' is still the approved content" '[ "$(hash_of "$Pn")" = "$approved" ]'

# Step 3 (no privilege), and sysadmin's attempt at step 4.
as sysadmin /usr/local/bin/pcopy --show "$Pn" > "$tmp/out" 2> "$tmp/err"
check "step 3: pcopy --show names the dummy licence and its binding" \
	'grep -qx "  dummy licence sysadmin: blake2b-256:$approved, bound to this content" "$tmp/out" && grep -qx "  sealed (immutable): yes" "$tmp/out"'
p sysadmin install approve secadmin netprobe
check "sysadmin cannot do step 4 (125)" '[ "$st" = 125 ] && grep -q "needs secadmin" "$tmp/err" && [ "$(dummies "$Pn")" = "sysadmin " ]'

# Step 4, step 5, and secadmin's attempt at step 6.
step secadmin install approve secadmin netprobe
check "step 4: secadmin approves P' (status $st)" '[ "$st" = 0 ] && [ "$(dummies "$Pn")" = "secadmin sysadmin " ]'
as secadmin /usr/local/bin/pcopy --show "$Pn" > "$tmp/out" 2> "$tmp/err"
check "step 5: both dummy licences bound to P''s content" \
	'[ "$(grep -c ", bound to this content" "$tmp/out")" = 2 ]'
p secadmin install copy netprobe
check "secadmin cannot do step 6 (125)" '[ "$st" = 125 ] && grep -q "needs sysadmin" "$tmp/err" && [ "$(hash_of "$P")" = "$old_hash" ]'

# A symbolic link is never the file acted on.
as sysadmin ln -s netprobe /usr/local/stage/lnk || exit 99
inpane sysadmin install approve sysadmin lnk
st=$(status)
check "a symbolic link as the file: refused (125), nothing asked" \
	'[ "$st" = 125 ] && on_screen "symbolic link" && ! on_screen "type yes"'

# A file with a second name is not licensed through one of them.
as sysadmin cp "$Pn" /usr/local/stage/twin && as sysadmin ln /usr/local/stage/twin /usr/local/stage/twin2 || exit 99
inpane sysadmin install approve sysadmin twin
st=$(status)
check "a hard-linked file: refused (125), nothing asked, not sealed" \
	'[ "$st" = 125 ] && on_screen "has 2 hard links" && ! on_screen "type yes" && ! sealed /usr/local/stage/twin'

# Step 6 with P' changed after the question: P stays the old program.
inpane sysadmin install copy netprobe
wait_for "type yes to run it" || bad "step 6 shows its question"
check "... the question shows P' and P" 'on_screen "to /usr/local/bin/netprobe: replacing inode"'
chattr -i "$Pn" && printf 'x' >> "$Pn" && chattr +i "$Pn" || exit 99
type_in yes
st=$(status)
check "P' changed after step 6's question: refused after yes (status $st), the hash mismatch named" \
	'[ "$st" != 0 ] && [ "$st" != "still running" ] && on_screen "hash mismatch"'
check "... P is still the old program, licensed and sealed" \
	'[ "$(hash_of "$P")" = "$old_hash" ] && getcap "$P" | grep -q cap_net_raw && sealed "$P"'
# Put P' back as approved (root, by other means; its licences still bind).
chattr -i "$Pn" && truncate -s -1 "$Pn" && chattr +i "$Pn" || exit 99

# Step 6.
step sysadmin install copy netprobe
check "step 6: sysadmin unlicenses P and copies P' over it (status $st)" '[ "$st" = 0 ]'
check "... P holds the approved content, both dummy licences, no capability, sealed, owned by root" \
	'[ "$(hash_of "$P")" = "$approved" ] && [ "$(dummies "$P")" = "secadmin sysadmin " ] && [ -z "$(getcap "$P")" ] && sealed "$P" && [ "$(stat -c %u:%g "$P")" = 0:0 ]'
check "... the report names the hash" 'on_screen "copied /usr/local/stage/netprobe to /usr/local/bin/netprobe: blake2b-256:$approved"'

# Step 7: secadmin compares; only the owner differs (a system file).
as secadmin /usr/local/bin/pcopy --verify "$Pn" "$P" > "$tmp/out" 2> "$tmp/err"
check "step 7: pcopy --verify finds the same content and licences (only owner and group differ)" \
	'! grep -q "^content\|^xattr" "$tmp/out" && grep -q "^owner: " "$tmp/out"'

# sysadmin's attempt at step 8.
p sysadmin install license netprobe net_raw
check "sysadmin cannot do step 8 (125)" '[ "$st" = 125 ] && [ -z "$(getcap "$P")" ]'

# Step 8.
step secadmin install license netprobe net_raw
check "step 8: secadmin licenses P (status $st)" '[ "$st" = 0 ]'
check "... P carries cap_net_raw, no dummy licence, sealed, the approved content" \
	'getcap "$P" | grep -q "cap_net_raw=ep" && [ -z "$(dummies "$P")" ] && sealed "$P" && [ "$(hash_of "$P")" = "$approved" ]'
as sysadmin "$P" > "$tmp/out" 2>&1
check "... and runs as version 2 with its licence for an unprivileged user" \
	'grep -qx "netprobe version 2" "$tmp/out" && grep -qx "raw ICMP socket: open" "$tmp/out"'

# Step 9.
step sysadmin install clear sysadmin netprobe
check "step 9: P' loses its approvals and its seal (status $st)" '[ "$st" = 0 ] && [ -z "$(dummies "$Pn")" ] && unsealed "$Pn"'
check "every privileged step is in the audit chain (2 approvals, 3+3 steps of 6 and 8, 1 clear)" '[ "$(audits)" = 9 ]'

# A second round, where P's content is changed by other means between
# steps 6 and 8: step 8 is refused and names the mismatch.
as sysadmin sh -c "printf 'v3' >> $Pn" || exit 99
step sysadmin install approve sysadmin netprobe
step secadmin install approve secadmin netprobe
step sysadmin install copy netprobe
[ "$st" = 0 ] || bad "round 2: step 6 (status $st)"
chattr -i "$P" && printf 'tampered' >> "$P" && chattr +i "$P" || exit 99
inpane secadmin install license netprobe net_raw
st=$(status)
check "P changed after step 6: step 8 refused (125) naming the hash mismatch, nothing asked" \
	'[ "$st" = 125 ] && on_screen "hash mismatch: the dummy licence of" && ! on_screen "type yes"'
check "... and P gains no capability" '[ -z "$(getcap "$P")" ]'

# The subtree of the install rules takes both passwords to edit.
qa_node() { sqlite3 "$db" "SELECT path FROM nodes WHERE path = '/install/qa'"; }
p sysadmin edit /install -- add /install/qa 'ID(qa)' NONE
check "editing /install with one administrator's password: refused (125)" \
	'[ "$st" = 125 ] && grep -q "PW(sysadmin) & PW(secadmin)" "$tmp/err" && [ -z "$(qa_node)" ]'
inpane sysadmin edit /install -- add /install/qa 'ID(qa)' NONE
wait_for "Password for sysadmin: " && type_in sys-secret
wait_for "Password for secadmin: " && type_in sec-secret
wait_for "type yes to run it" && type_in yes
st=$(status)
check "... with both administrators' passwords typed, the edit is made (status $st)" \
	'[ "$st" = 0 ] && [ "$(qa_node)" = /install/qa ]'

"$privtree" --log "$tmp/privtree.log" verify > "$tmp/out" 2>&1
vst=$?
check "privtree verify: the audit chain holds" '[ "$vst" = 0 ]'
finish
