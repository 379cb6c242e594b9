#!/bin/sh
# privd and priv end to end, as users type them: a real privd on a private
# database and run directory, clients running as throwaway users (in a
# private /etc overlay) whose login names the test policy's ID(...) atoms
# name. Checks: priv -n granted and refused with the explanation; priv -l;
# an action's steps (label, EXEC, label) run in order and stop at the
# first failure, what went before staying done;
# an unattended action observed from inside (environment exactly ENV(...),
# descriptors 0-2 only, cwd the black hole, Cap* lines exactly PRIV(...),
# uid/gid from AS(...)); a rule without ENV(...) gives an empty
# environment, and the client's umask, open-files limit, priority, extra
# descriptor and directory stay behind; the action's exit status through
# priv; a request
# needing confirmation from a pipe refused for lack of a private path;
# malformed, oversized, truncated and out-of-order messages and a client
# that hangs up mid-request leave privd serving; Ctrl-C (SIGINT to priv)
# reaches the action; a confirmation typed in a tmux pane: "yes" runs the
# action, anything else gives 126; Ctrl-C typed in the pane reaches the
# action and closing the pane hangs it up; privtree verify passes
# afterwards.
# Runs itself in private pid and mount namespaces with /etc overlaid
# (privd_lib.sh). A PW(...) atom is answered through a real passwdd with a
# one-time code from a pipe (a classical password typed in a pane, with
# privd as passwdd's relay, is privd_tcpgateway.sh's). Needs oathtool
# besides what privd_lib.sh needs. Ends with "N passed, M failed".
name=privd_basic.sh
. "$(dirname "$0")/privd_lib.sh"
need_built tests/scenario/privraw passwdd/passwdd passwdd/passwdd-admin
need_tools oathtool
raw=$privraw

adduser ixprivsvc ixprivusr ixprivnone ixprivotp
daemon_gid=$(id -g daemon)
cd "$tmp" || exit 99	# where the clients stand

cat > "$tmp/test.policy" <<'POLICY'
ixkit-policy 1
right probe plain
right ask plain
right unattended plain
level unclassified
level secret
category projectbit 0
node /
	predicate NONE
	rights ALL
node /svc
	predicate ID(ixprivsvc)
	rights probe | unattended
node /otp
	predicate ID(ixprivotp) & PW(ixprivotp)
	rights probe | unattended
node /users
	predicate ID(ixprivusr)
	rights ask
rule probe
	template probe
	need probe
	action PRIV(net_bind_service, sys_time), AS(daemon), ENV(GREETING, "hello world"), EXEC(/bin/sh, -c, "tr '\\0' '\\n' < /proc/\$\$/environ | sed 's/^/env /'; echo fds-begin; ls /proc/\$\$/fd; echo fds-end; echo cwd \$(pwd); grep -E '^(Cap|NoNewPrivs)' /proc/\$\$/status; echo uid \$(id -u) gid \$(id -g) groups \$(id -G)")
rule bare
	template bare
	need probe
	action EXEC(/bin/sh, -c, "tr '\\0' '\\n' < /proc/\$\$/environ | sed 's/^/env /'; echo umask \$(umask); echo nofile \$(ulimit -n); echo core \$(ulimit -c); echo nice \$(cut -d' ' -f19 /proc/\$\$/stat); echo fds-begin; ls /proc/\$\$/fd; echo fds-end; echo cwd \$(pwd)")
rule exit
	template exit ([0-9]+)
	need probe
	action EXEC(/bin/sh, -c, "exit $1")
rule sleep
	template sleep
	need probe
	action EXEC(/bin/sh, -c, "trap 'echo got INT; exit 42' INT; echo sleeping; while :; do sleep 0.1; done")
rule ask
	template ask (\S+)
	need ask
	action EXEC(/bin/echo, ran, $1)
rule whoami
	template whoami
	need probe
	action EXEC(/usr/bin/id, -u)
rule label
	template label
	need probe
	action LABEL(/tmp/nothing, secret)
rule mixed
	template mixed (\S+) (\S+) ([0-9]+)
	need probe
	action LABEL($1, secret), EXEC(/bin/sh, -c, "exit $3"), LABEL($2, secret)
rule ceiling
	template ceiling
	need probe
	action CEILING(secret:projectbit), EXEC(/bin/cat, /proc/self/cgroup)
provider tmux /usr/bin/tmux
POLICY
mkdir -m 700 "$tmp/secrets" && chown ixkit-passwd: "$tmp/secrets" || exit 99
"$pwadmin" --secrets-db "$tmp/secrets/pw.db" enrol-totp ixprivotp --no-qr > "$tmp/uri" || exit 99
otp=$(sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p' "$tmp/uri")
pwsock=$tmp/pw.sock
"$passwdd" -f --config /dev/null --socket "$pwsock" --secrets-db "$tmp/secrets/pw.db" \
	--log "$tmp/passwdd.log" --lockout-after 0 --backoff-ms 1 --backoff-max-ms 1 &
extra_pids=$!
start_privd "$tmp/test.policy"
check "socket is 0666" '[ "$(stat -c %a "$run/privd.sock")" = 666 ]'

# Dry runs and listing.
p ixprivsvc -n probe
check "priv -n granted: exit 0" '[ $st = 0 ]'
check "priv -n granted: says GRANTED and names the node" 'grep -q "^GRANTED: probe" "$tmp/out" && grep -q "/svc" "$tmp/out"'
check "priv -n shows the exact action" 'grep -q "net_bind_service" "$tmp/out" && grep -q "/bin/sh" "$tmp/out"'
p ixprivnone -n probe
check "priv -n refused: exit 1" '[ $st = 1 ]'
check "priv -n refused: says REFUSED with the explanation" 'grep -q "^REFUSED: probe" "$tmp/out" && grep -q "rule probe .*no node.s predicate holds for login ixprivnone from null" "$tmp/out"'
p ixprivsvc -n nosuchthing
check "priv -n with no rule: exit 1, no rule matches" '[ $st = 1 ] && grep -qi "no rule" "$tmp/out"'
p ixprivsvc -l
check "priv -l: exit 0" '[ $st = 0 ]'
check "priv -l lists probe, exit and sleep granted by /svc" 'grep -q "^probe$" "$tmp/out" && grep -q "^exit (\[0-9\]+)$" "$tmp/out" && grep -q "granted by /svc (no password)" "$tmp/out"'
check "priv -l does not list what the caller cannot request" 'lacks "$tmp/out" "^ask"'
p ixprivusr -l
check "priv -l for another user lists only ask" 'grep -q "^ask" "$tmp/out" && lacks "$tmp/out" "^probe$"'
p ixprivsvc
check "priv without a request: usage, 127" '[ $st = 127 ] && grep -q usage "$tmp/err"'

# The action's descriptors, as ls (a simple command: the shell holds no
# pipe of its own meanwhile) listed them from its /proc entry.
fds_listed() { sed -n '/^fds-begin$/,/^fds-end$/p' "$tmp/out" | grep -vx 'fds-begin\|fds-end' | tr '\n' ' '; }

# An unattended action observed from inside: nothing of the client arrives.
as ixprivsvc env PLANTED=leak "$priv" --socket "$run/privd.sock" probe > "$tmp/out" 2> "$tmp/err" < /dev/null 7</etc/hostname
st=$?
check "unattended probe ran: exit 0" '[ $st = 0 ]'
check "environment is exactly ENV(...)" '[ "$(grep "^env " "$tmp/out")" = "env GREETING=hello world" ]'
check "the planted variable did not arrive" 'lacks "$tmp/out" PLANTED'
check "only descriptors 0, 1, 2 are open" '[ "$(fds_listed)" = "0 1 2 " ]'
check "cwd is the black hole" 'grep -qx "cwd $run/blackhole" "$tmp/out"'
for c in CapInh CapPrm CapEff CapBnd CapAmb; do
	check "$c is exactly PRIV(net_bind_service, sys_time)" 'grep -q "^$c:[[:space:]]*0000000002000400$" "$tmp/out"'
done
check "no_new_privs is set" 'grep -q "^NoNewPrivs:[[:space:]]*1$" "$tmp/out"'
check "uid and gid from AS(daemon)" 'grep -q "^uid 1 gid $daemon_gid groups $daemon_gid$" "$tmp/out"'

# A rule without ENV(...): the action's environment is empty, and the
# client's umask, limits, priority, descriptors and directory stay behind
# (the action gets privd's: umask 077, no core dumps).
as ixprivsvc sh -c 'cd /tmp && umask 000 && ulimit -n 77 && exec nice -n 7 env PLANTED=leak "$0" --socket "$1" bare' \
	"$priv" "$run/privd.sock" > "$tmp/out" 2> "$tmp/err" < /dev/null 7</etc/hostname
st=$?
privd_nofile=$(sed -n 's/^Max open files *\([0-9]*\) .*/\1/p' "/proc/$pid/limits")
check "a rule without ENV(...): exit 0" '[ $st = 0 ]'
check "...its environment is empty" 'lacks "$tmp/out" "^env"'
check "...umask 0077, not the client's 000" 'grep -qx "umask 0077" "$tmp/out"'
check "...privd's open-files limit ($privd_nofile), not the client's 77" \
	'[ -n "$privd_nofile" ] && [ "$privd_nofile" != 77 ] && grep -qx "nofile $privd_nofile" "$tmp/out"'
check "...no core dumps" 'grep -qx "core 0" "$tmp/out"'
check "...priority 0, not the client's nice 7" 'grep -qx "nice 0" "$tmp/out"'
check "...only descriptors 0, 1, 2 (the client's 7 stays behind)" '[ "$(fds_listed)" = "0 1 2 " ]'
check "...the black hole as its directory, not the client's /tmp" 'grep -qx "cwd $run/blackhole" "$tmp/out"'

p ixprivsvc exit 7
check "the action's exit status comes back through priv" '[ $st = 7 ]'
p ixprivnone exit 7
check "a refused request exits 125 with the reason" '[ $st = 125 ] && grep -q "^priv: refused: rule exit needs probe.*no node.s predicate holds" "$tmp/err"'

sleeper() {	# priv sleep in the background (cpid), once the action runs
	: > "$tmp/out"	# emptied now: the background job's own truncation may come late
	setpriv --reuid=ixprivsvc --regid=ixprivsvc --init-groups "$priv" --socket "$run/privd.sock" \
		sleep > "$tmp/out" 2> "$tmp/err" < /dev/null &
	cpid=$!
	until_true grep -q sleeping "$tmp/out"
}

p ixprivsvc whoami
check "without AS(...) the action runs as the action user (nobody)" '[ $st = 0 ] && [ "$(cat "$tmp/out")" = "$(id -u nobody)" ]'
p ixprivsvc label
check "a label action on a missing file: 124 (granted, nothing to apply it to), the file named" '[ $st = 124 ] && grep -q "^priv: /tmp/nothing: No such file" "$tmp/err"'
# Steps in the action's order, stopping at the first that fails.
touch a b c d
p ixprivsvc mixed a b 3
check "steps in order: the first label done, the EXEC's 3 ends the action" '[ $st = 3 ] && [ "$("$compartctl" label a | cut -f2)" = secret ] && [ "$("$compartctl" label b | cut -f2)" = "(unlabelled)" ]'
check "the label step reported what it did" 'grep -q "^a (device [0-9]*:[0-9]*, inode [0-9]*): now labelled secret$" "$tmp/out"'
p ixprivsvc mixed c d 0
check "all steps done: exit 0, both files labelled" '[ $st = 0 ] && [ "$("$compartctl" label c | cut -f2)" = secret ] && [ "$("$compartctl" label d | cut -f2)" = secret ]'
p ixprivsvc ceiling
check "CEILING(...): the action runs in a compartment of its own" '[ $st = 0 ] && grep -q "/ixkit/privd-[0-9]*$" "$tmp/out"'
cg=$(sed -n 's|^0::||p' "$tmp/out")
check "the compartment is removed after the action" '[ -n "$cg" ] && [ ! -e "/sys/fs/cgroup$cg" ]'

# A PW(...) atom: passwdd asks the person at the client's fd 0 (here a
# pipe, so only a one-time code will do).
oathtool --totp -b "$otp" | as ixprivotp "$priv" --socket "$run/privd.sock" exit 5 > "$tmp/out" 2> "$tmp/err"
st=$?
check "PW(...) answered with the right one-time code: granted, the action ran" '[ $st = 5 ]'
check "passwdd verified it for privd" 'grep -q "verify user=ixprivotp requester=0 .*method=one-time code result=granted" "$tmp/passwdd.log" && grep -q "privd-password .*user=ixprivotp .*verdict=granted" "$log"'
echo 000000 | as ixprivotp "$priv" --socket "$run/privd.sock" exit 5 > "$tmp/out" 2> "$tmp/err"
st=$?
check "PW(...) with a wrong code: refused (125), the password named" '[ $st = 125 ] && grep -q "privd-password .*user=ixprivotp .*verdict=authentication failed" "$log"'

# Ctrl-C: SIGINT to priv reaches the action.
sleeper
kill -INT $cpid
wait $cpid
st=$?
check "SIGINT forwarded to the action, its status returned" '[ $st = 42 ] && grep -q "got INT" "$tmp/out"'

# A new tree while an action runs: the running request is not dropped,
# the next one is decided on the new tree.
sleeper
sed 's/predicate ID(ixprivsvc)/predicate ID(ixprivsvc|ixprivnone)/' "$tmp/test.policy" > "$tmp/new.policy"
"$privtree" --config /dev/null --db "$db" --log "$tmp/privtree.log" import "$tmp/new.policy" >/dev/null || bad "importing a new tree"
p ixprivnone -n probe
check "the changed tree is used for the next request" '[ $st = 0 ] && grep -q "^GRANTED" "$tmp/out"'
check "privd logged the reload" 'grep -q "reload by=main generation=" "$log"'
kill -INT $cpid
wait $cpid
st=$?
check "the action started on the old tree ran on, undisturbed" '[ $st = 42 ]'

# Confirmation needed, request from a pipe: no private path.
echo yes | as ixprivusr "$priv" --socket "$run/privd.sock" ask x > "$tmp/out" 2> "$tmp/err"
st=$?
check "confirmation from a pipe refused (125) with the reason" '[ $st = 125 ] && grep -q "^priv: refused: the action needs your confirmation over a private path, and there is none: ." "$tmp/err"'
check "nothing ran" 'lacks "$tmp/out" "ran x"'

# Bad input leaves privd serving.
for c in oversized badlen truncated unknown nofds notdir signalfirst badflags toomany hangup; do
	"$raw" "$run/privd.sock" "$c" > "$tmp/out" 2>&1
	check "a $c message ends the conversation" 'grep -Eq "^(error [0-9]+ |closed$)" "$tmp/out"'
	p ixprivsvc exit 3
	check "after a $c message privd still serves" '[ $st = 3 ]'
done
"$raw" "$run/privd.sock" truncated > "$tmp/out" 2>&1
check "a truncated request is answered with an ERROR" 'grep -q "^error " "$tmp/out"'
"$raw" "$run/privd.sock" notdir > "$tmp/out" 2>&1
check "a file in the working directory's place is refused" 'grep -q "^error .*not a directory" "$tmp/out"'
# A client that vanishes while its action runs: the action is hung up.
sleeper
kill -KILL $cpid
wait $cpid 2>/dev/null
until_true grep -q "privd-exit.*signal=1 " "$log"
check "a client killed mid-action: the action is hung up and audited" 'grep -q "privd-exit.*signal=1 " "$log"'
p ixprivsvc exit 4
check "privd still serves after it" '[ $st = 4 ]'

# Confirmation over a real terminal: a tmux pane (tmux is a trusted provider).
inpane ixprivusr ask yes-please
wait_for "type yes to run it:" && ok "the pane shows the confirmation prompt" || { screen; bad "the pane shows the confirmation prompt"; }
screen
check "the exact action is shown" 'grep -q "/bin/echo" "$tmp/out" && grep -q "yes-please" "$tmp/out"'
type_in yes
st=$(status)
screen
check "yes typed at the terminal runs the action" '[ "$st" = 0 ] && grep -q "^ran yes-please" "$tmp/out"'

inpane ixprivusr ask no-thanks
wait_for "type yes to run it:" || { screen; bad "second prompt"; }
type_in no
st=$(status)
screen
check "any other answer: 126, nothing run" '[ "$st" = 126 ] && lacks "$tmp/out" "^ran no-thanks"'

# A terminal on standard input must be the client's controlling terminal,
# even for an unattended request: here the first pane's terminal, opened
# by a client in a session of its own, is refused before any decision.
ptty=$(tm display-message -p -t pv:0 '#{pane_tty}')
reqs=$(grep -c "privd-request" "$log")
as ixprivsvc setsid -w "$priv" --socket "$run/privd.sock" probe < "$ptty" > "$tmp/out" 2> "$tmp/err"
st=$?
check "a terminal that is not the client's controlling terminal: 125, the reason given" \
	'[ $st = 125 ] && grep -q "^priv: refused: standard input is a terminal, and you have no controlling terminal" "$tmp/err"'
check "...and what would pass: the controlling terminal, or another standard input" \
	'grep -q "run priv from your controlling terminal, or give it a standard input that is not a terminal (priv ... </dev/null)" "$tmp/err"'
check "...and nothing was decided or run" '[ "$(grep -c "privd-request" "$log")" = "$reqs" ] && lacks "$tmp/out" "^env "'

# Ctrl-C typed at the terminal reaches the action; a hang-up kills it.
inpane ixprivsvc sleep
wait_for "sleeping" || { screen; bad "the sleeper runs in the pane"; }
tm send-keys -t "$win" C-c
st=$(status)
screen
check "Ctrl-C typed at the terminal reaches the action" '[ "$st" = 42 ] && grep -q "got INT" "$tmp/out"'
inpane ixprivsvc sleep
wait_for "sleeping" || { screen; bad "the sleeper runs in the pane"; }
hups=$(grep -c "privd-exit.*signal=1 request=sleep" "$log")
tm kill-window -t "$win"
until_true [ "$(grep -c "privd-exit.*signal=1 request=sleep" "$log")" -gt "$hups" ]
check "a terminal hang-up kills the action (SIGHUP)" '[ "$(grep -c "privd-exit.*signal=1 request=sleep" "$log")" -gt "$hups" ]'

stop_privd
"$privtree" --config /dev/null --db "$db" verify > "$tmp/out" 2>&1
check "privtree verify passes after the run" 'grep -q "chain sound" "$tmp/out"'
check "the audit chain holds requests, confirmations and exits" \
	'grep -q "privd-request.*decision=granted" "$log" && grep -q "privd-confirm.*outcome=unattended" "$log" && grep -q "privd-confirm.*outcome=yes" "$log" && grep -q "privd-confirm.*outcome=no " "$log" && grep -q "privd-exit.*status=7" "$log"'

finish
