#!/bin/sh
# A session works at its own level, as a person types it in a terminal (a
# tmux pane): real passwdd, sessiond and privd, classical passwords typed
# at the terminal (passwdd takes sessiond as a relay, so the pane is a
# private path). Checks: a user cleared to secret opens `session secret`
# with their password; inside, a secret file reads and a topsecret one
# does not; an unclassified file and directory cannot be written (though
# DAC lets the same user write them outside), while the home directory
# and a directory labelled secret can; the user's own terminal cannot be
# opened by name; a background job of the old shell started before the
# session (holding the terminal through /dev/tty only) reads nothing
# typed in it, password included; a process left
# running in the session writes nothing to the terminal after the end;
# `session -a` then two priv actions ask the password once and the
# confirmation twice; a session at a label the policy seals cannot make a
# user namespace, one outside the seal range can; a client killed
# mid-session ends it and the old shell gets the terminal back as it was;
# sessiond runs with only the capabilities it needs. Ends with "N passed,
# M failed".
name=sessiond_level.sh
tiocsti_off=1
. "$(dirname "$0")/sessiond_lib.sh"

for u in ixlvsec ixlvadm ixlvtop; do
	useradd -m -d "$tmp/home/$u" -s /bin/sh "$u" || exit 99
	printf '%s\n' "pw of $u" | "$pwadmin" --secrets-db "$tmp/secrets/pw.db" set-password --stdin "$u" \
		>/dev/null || exit 99
done

cat > "$tmp/test.policy" <<'POLICY'
ixkit-policy 1
right probe plain
level unclassified
level confidential
level secret
level topsecret
node /
	predicate NONE
	rights ALL
node /adm
	predicate ID(ixlvadm) & PW(ixlvadm)
	rights probe
rule exit
	template exit ([0-9]+)
	need probe
	action EXEC(/bin/sh, -c, "exit $1")
clearance ixlvsec unclassified..secret
clearance ixlvadm unclassified..secret
clearance ixlvtop unclassified..topsecret
port unclassified..topsecret /dev/pts/[0-9]+@tmux
provider tmux /usr/bin/tmux
floor unclassified
seal topsecret..topsecret
POLICY
# The ptys of sessions are held by sessiond: a trusted provider, so that
# privd can ask for confirmation inside a session.
echo "provider sessiond $sessiond" >> "$tmp/test.policy"
start_daemons "$tmp/test.policy" --provider tmux=/usr/bin/tmux
# sessiond narrows itself to CHOWN, DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER,
# KILL, SETGID, SETUID, SETPCAP, SYS_PTRACE, SYS_ADMIN, BPF and SYS_CHROOT.
caps() { [ "$(sed -n "s/^$1:[[:space:]]*//p" "/proc/$pid/status")" = 00000080002c01ef ]; }
until_true caps CapEff
check "sessiond keeps only the capabilities sessions need (effective, permitted, bounding)" \
	'caps CapEff && caps CapPrm && caps CapBnd && [ "$(sed -n "s/^CapInh:[[:space:]]*//p" "/proc/$pid/status")" = 0000000000000000 ]'

# The files: labelled by the administrator (compartctl label keeps the
# index the allowlist is computed from); all the user's own, so that
# only labels stand in the way. They are kept out of the home directory:
# at tier 2 a directory holding a file the session may not write gives
# the files made in it no write right (Landlock only adds rights).
h=$tmp/home/ixlvsec
d=$tmp/docs
mkdir -m 755 "$d"
lab() { "$compartctl" --config /dev/null --db "$db" label "$1" "$2" > /dev/null || exit 99; }
echo sec-content > "$d/sec.txt" && lab "$d/sec.txt" secret
echo ts-content > "$d/ts.txt" && lab "$d/ts.txt" topsecret
echo unc-content > "$d/unc.txt" && lab "$d/unc.txt" unclassified
mkdir "$tmp/share-secret" "$tmp/share-unc" && lab "$tmp/share-secret" secret && lab "$tmp/share-unc" unclassified
chown ixlvsec: "$d"/*.txt "$tmp/share-secret" "$tmp/share-unc"
chmod 644 "$d"/*.txt
echo old-notes > "$h/notes.txt" && chown ixlvsec: "$h/notes.txt"

pane ixlvsec
type_in "echo pane-tty=\$(tty)"
wait_for "pane-tty=/dev/pts/"
pane_tty=$(tm capture-pane -p -t "$win" | sed -n 's/^pane-tty=//p' | tail -1)
# A background job of the old shell that keeps trying to read the
# terminal (SIGTTIN ignored: it gets EIO rather than stopping), in one
# process. It reaches the terminal only through /dev/tty, an alias the
# holder scan cannot see: a job holding the terminal itself makes pex
# refuse the password prompt (passwdd_bgjob.sh), which is not what this
# test is about; job control is what keeps this one out.
cat > "$tmp/bg.pl" <<'PERL'
$SIG{TTIN} = "IGNORE";
open(my $o, ">>", $ARGV[0]) or die "$ARGV[0]: $!";
open(my $t, "<", "/dev/tty") or die "/dev/tty: $!";
while (1) {
	my $n = sysread($t, my $b, 4096);
	syswrite($o, "bg-got:$b") if $n;
	select(undef, undef, undef, 0.05);
}
PERL
install -o ixlvsec -m 600 /dev/null "$tmp/bg.out"
type_in "perl $tmp/bg.pl $tmp/bg.out </dev/null >/dev/null 2>&1 &"
# Outside any session DAC lets the user write the unclassified file.
type_in "echo outside >> $d/unc.txt && cat $d/ts.txt; echo dac-status=\$?"
st=$(status_of dac)
check "outside a session DAC lets the user write the unclassified file and read the topsecret one" '[ "$st" = 0 ] && on_screen ts-content'
lab "$d/unc.txt" unclassified	# writing kept the label; set again all the same
fresh
type_in "$session --socket $sock secret; echo s1-status=\$?"
wait_for "Password for" && ok "sessiond's client is asked a classical password (the pane is a private path through sessiond)" ||
	{ screen; bad "a classical password is asked"; }
type_in "pw of ixlvsec"
wait_for "session: session 1 at secret on /dev/pts/" && ok "the password opens the session at secret" ||
	{ screen; bad "the password opens the session"; finish; exit 1; }
check "passwdd verified a classical password, relayed by sessiond" 'grep -q "verify user=ixlvsec .*method=password.* result=granted" "$tmp/passwdd.log"'
type_in "PS1='new\$ '; echo typed-in-the-session"
wait_for "typed-in-the-session"
try() {	# try TAG COMMAND: typed in the session, prints its status
	type_in "$2; echo $1-status=\$?"
	status_of "$1"
}
st=$(try rsec "cat $d/sec.txt")
screen
check "inside: a secret file reads" '[ "$st" = 0 ] && grep -q "^sec-content" "$tmp/out"'
st=$(try rts "cat $d/ts.txt")
screen
check "inside: a topsecret file does not read" '[ "$st" != 0 ] && lacks "$tmp/out" "^ts-content"'
st=$(try wunc "echo down >> $d/unc.txt")
check "inside: the unclassified file cannot be written (no write down)" '[ "$st" != 0 ] && lacks "$d/unc.txt" down'
st=$(try wuncdir "echo down > $tmp/share-unc/new")
check "inside: nothing can be made in an unclassified directory" '[ "$st" != 0 ] && [ ! -e "$tmp/share-unc/new" ]'
st=$(try whome "echo at-home > $h/new.txt && echo more-notes >> $h/notes.txt")
check "inside: the home directory is writable, new files and old" '[ "$st" = 0 ] && grep -q at-home "$h/new.txt" && grep -q more-notes "$h/notes.txt"'
st=$(try wsec "echo at-level > $tmp/share-secret/new")
check "inside: a directory labelled secret is writable" '[ "$st" = 0 ] && grep -q at-level "$tmp/share-secret/new"'
st=$(try wsecf "echo more >> $d/sec.txt")
check "inside: a secret file is writable" '[ "$st" = 0 ] && grep -q more "$d/sec.txt"'
st=$(try wtty "echo to-the-old-terminal > $pane_tty")
check "inside: the user's own terminal cannot be opened by name" '[ "$st" != 0 ]'
check "the start record says what is writable and that it is not sealed" 'grep -q "sessiond-start .*label=secret .*sealed=no writable=3 " "$log"'
# A process that outlives the shell, to write on the terminal later.
type_in "(trap '' HUP; sleep 2; echo LEAK-OUT; echo LEAK-TTY > /dev/tty) > /dev/null 2>&1 < /dev/null &"
type_in "echo secret-words-typed"
wait_for "secret-words-typed"
type_in "exit"
st=$(status_of s1)
check "exit ends the session (0)" '[ "$st" = 0 ]'
sleep 3
screen
check "nothing left of the session writes on the terminal afterwards" 'lacks "$tmp/out" LEAK-'
check "nothing of the session is left running" 'none pgrep -f "sleep 2" > /dev/null'
check "the background job read nothing typed in the session, password included" \
	'lacks "$tmp/bg.out" "secret-words-typed\|typed-in-the-session\|pw of"'
check "the background job kept running (and trying) all along" 'pgrep -f "perl $tmp/bg.pl" > /dev/null'
type_in "kill %1; echo bg-killed"
wait_for "bg-killed"

# session -a, then two actions: the password once, confirmation twice.
pane ixlvadm
type_in "$session --socket $sock -a secret; echo s2-status=\$?"
wait_for "Password for" || { screen; bad "the administrator session asks the password"; }
type_in "pw of ixlvadm"
wait_for "at secret on /dev/pts/" || { screen; bad "the administrator session starts"; }
confirmed() {	# confirmed N: the Nth confirmation prompt is on screen
	[ "$(tm capture-pane -p -J -S -100 -t "$win" | grep -c "type yes to run it:")" -ge "$1" ]
}
type_in "$priv --socket $run/privd.sock exit 5; echo p1-status=\$?"
until_true confirmed 1 && type_in yes || { screen; bad "the first action asks for confirmation"; }
st1=$(status_of p1)
type_in "$priv --socket $run/privd.sock exit 6; echo p2-status=\$?"
until_true confirmed 2 && type_in yes || { screen; bad "the second action asks for confirmation"; }
st2=$(status_of p2)
screen
check "session -a and two actions: both run" '[ "$st1" = 5 ] && [ "$st2" = 6 ]'
check "the password was asked once" '[ "$(grep -c "Password for" "$tmp/out")" = 1 ]'
check "the confirmation was asked twice" '[ "$(grep -c "type yes to run it:" "$tmp/out")" = 2 ] && [ "$(grep -c "privd-confirm.*outcome=yes" "$tmp/privd.log")" = 2 ]'
check "passwdd took the session's tag for both actions" '[ "$(grep -c "verify user=ixlvadm .*method=session tag result=granted" "$tmp/passwdd.log")" = 2 ]'
type_in "exit"
st=$(status_of s2)
check "the administrator session ends (0)" '[ "$st" = 0 ]'

# Sealed by policy: topsecret sessions may not make a user namespace.
pane ixlvtop
type_in "$session --socket $sock topsecret -- unshare -U true; echo s3-status=\$?"
wait_for "Password for" || { screen; bad "the sealed session asks the password"; }
type_in "pw of ixlvtop"
st=$(status_of s3)
screen
check "a sealed session (topsecret) cannot make a user namespace" '[ "$st" = 0 ] && grep -q "session: ended: exit 1" "$tmp/out"'
check "its start record says sealed" 'grep -q "sessiond-start .*label=topsecret .*sealed=yes " "$log"'
fresh
type_in "$session --socket $sock secret -- unshare -U true; echo s4-status=\$?"
wait_for "Password for" || { screen; bad "the unsealed session asks the password"; }
type_in "pw of ixlvtop"
st=$(status_of s4)
screen
check "outside the seal range (secret) the same command runs" '[ "$st" = 0 ] && grep -q "session: ended: exit 0" "$tmp/out"'

# The client dies mid-session: sessiond ends the session and gives the
# terminal back as it was (cooked, echo on) to the old shell. The old
# shell may print before sessiond clears the screen: the status goes to a
# file, and the check types at a fresh prompt after the end is recorded.
install -o ixlvtop -m 600 /dev/null "$tmp/s5"
fresh
type_in "$session --socket $sock secret; echo \$? > $tmp/s5"
wait_for "Password for" || { screen; bad "the session asks the password"; }
type_in "pw of ixlvtop"
wait_for "at secret on /dev/pts/" || { screen; bad "the session before its client is killed"; }
client=$(sed -n 's/.*sessiond-request v1 request uid=[0-9]* pid=\([0-9]*\) label=secret .*/\1/p' "$log" | tail -1)
ends=$(grep -c "sessiond-end " "$log")
kill -KILL "$client"
until_true [ "$(grep -c "sessiond-end " "$log")" -gt "$ends" ]
check "a client killed mid-session: the session ends, recorded as such" 'tail -3 "$log" | grep -q "sessiond-end .*how=client gone"'
check "its compartment is gone" 'none session_cgroups'
until_true [ -s "$tmp/s5" ]
st=$(cat "$tmp/s5")
type_in ""
type_in "echo alive-\$((6*7))"
until_true on_screen "alive-42"
screen
check "the old shell has the terminal back, cooked with echo on" '[ "$st" = 137 ] && grep -q "^old\$ echo alive-" "$tmp/out" && grep -q "^alive-42" "$tmp/out"'

finish
