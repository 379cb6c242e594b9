#!/bin/sh
# Issue 5, scenario 2: "priv tcpgateway" as the paper's network
# administrator ches types it, with a real privd and a real, confined
# passwdd (its own user, root helper). The policy is etc/demo.policy with
# two changes, both made with sed below so that everything else is the
# demo's own:
# - rule tcpgateway runs this test's own program instead of
#   /lib/tcp/tcpgateway; it writes a marker with its uid and Cap* lines;
# - the console node /admin/networks/internet keeps its predicate
#   SRC(/dev/(console|tty[0-9]+)) and gains one alternative: the exact
#   stream identifier of one tmux pane (/dev/pts/N@tmux), which stands in
#   for the console in the typed run. A person cannot be made to type on
#   a virtual console here: TIOCSTI must be off for pex, and a keyboard
#   would have to be faked. So the console node is checked twice: on the
#   real /dev/tty1 (its device 4:1, when this machine has virtual
#   consoles; otherwise NOT TESTED is printed) with "priv -n", which needs
#   no typing, and by a typed run from the standing-in pane. No device
#   number is faked.
# Checks: ches in a tmux pane is asked his classical password by passwdd
# on his own pty, through privd (privd holds a copy of the terminal and is
# accepted as passwdd's relay); the right password and "yes" run the
# action with exactly PRIV(net_admin, net_bind_service); the wrong one is
# refused with priv's 125 and nothing runs; another pane is not the
# console; the console node grants without a password.
# Runs itself in private pid and mount namespaces with an /etc overlay;
# sets dev.tty.legacy_tiocsti to 0 and restores it. Needs root, tmux,
# useradd, setsid (harness.sh). Ends with "N passed, M failed".
name=privd_tcpgateway.sh
. "$(dirname "$0")/harness.sh"
need_built privd/privd privd/priv privtree/privtree passwdd/passwdd passwdd/passwdd-admin
need_tools tmux useradd setsid
world tiocsti
world_setup
db=$tmp/ixkit.db
log=$tmp/privd.log
pwlog=$tmp/passwdd.log
run=$tmp/run
pid=
pwpid=
at_exit '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$pwpid" ] && kill "$pwpid" 2>/dev/null; tmux -S "$tmp/tm" kill-server 2>/dev/null'
show_failure() {
	tm capture-pane -p -t "$win" 2>/dev/null | grep . | sed 's/^/  screen| /'
	tail -5 "$log" | sed 's/^/  privd| /'; tail -5 "$pwlog" | sed 's/^/  passwdd| /'
}

for u in ches ixtcpcons; do
	useradd -M -d /nonexistent -s /usr/sbin/nologin "$u" || exit 99
done

# The test's tcpgateway: who ran it, with which capabilities.
mkdir -m 1777 "$tmp/mark"
cat > "$tmp/tcpgateway" <<EOF
#!/bin/sh
{ echo "uid \$(id -u)"; grep '^Cap' /proc/self/status; } > $tmp/mark/ran
EOF
chmod 755 "$tmp/tcpgateway"

mkdir -m 700 "$tmp/secrets" && chown ixkit-passwd: "$tmp/secrets" || exit 99
printf 'ches secret\n' | "$pwadmin" --secrets-db "$tmp/secrets/pw.db" set-password --stdin ches >/dev/null || exit 99
"$passwdd" -f --config /dev/null --socket "$tmp/pw.sock" --secrets-db "$tmp/secrets/pw.db" \
	--log "$pwlog" --lockout-after 0 --backoff-ms 1 --backoff-max-ms 1 \
	--provider tmux=/usr/bin/tmux &
pwpid=$!

tm new-session -d -s gw -x 150 -y 30 "sleep 3600" \; set-option -g remain-on-exit on || exit 99

# A request typed in its own pane, as its own job; the pane starts the
# request only once $tmp/go-N exists, so that its terminal can be named in
# the policy first.
cat > "$tmp/inpane" <<EOF
#!/bin/sh
u=\$1; go=\$2; shift 2
while [ ! -e "\$go" ]; do sleep 0.1; done
exec setpriv --reuid="\$u" --regid="\$u" --init-groups sh -mc '$priv --socket $run/privd.sock "\$@"; echo priv-status=\$?' sh "\$@"
EOF
chmod 755 "$tmp/inpane"
n=0
win=gw
pane_tty=
inpane() {	# inpane USER REQUEST...: sets win and pane_tty; start with go
	u=$1; shift
	n=$((n + 1))
	win=gw:w$n
	pane_tty=$(tm new-window -d -P -F '#{pane_tty}' -t gw: -n "w$n" "$tmp/inpane $u $tmp/go-$n $*")
}
go() { : > "$tmp/go-$n"; }
wait_for() { until_true on_screen "$1"; }
status() {
	wait_for "priv-status=" || { echo "still running"; return; }
	pane_text | sed -n 's/^priv-status=//p'
}

# The pane that stands in for the console, opened before the policy is
# written so that its terminal can be named there.
inpane ixtcpcons tcpgateway
cons_win=$win
cons_n=$n
cons_tty=$pane_tty
case $cons_tty in /dev/pts/[0-9]*) ;; *) echo "no pane tty: $cons_tty"; exit 99;; esac

sed -e "s|EXEC(/lib/tcp/tcpgateway)|EXEC($tmp/tcpgateway)|" \
    -e "s|predicate SRC(/dev/(console\|tty\[0-9\]+))|predicate SRC(/dev/(console\|tty[0-9]+)\|$cons_tty@tmux)|" \
	"$top/etc/demo.policy" > "$tmp/test.policy"
check "the test policy differs from the demo only in the gateway and the console pane" \
	'[ "$(diff "$top/etc/demo.policy" "$tmp/test.policy" | grep -c "^>")" = 2 ] && grep -q "EXEC($tmp/tcpgateway)" "$tmp/test.policy" && grep -qF "SRC(/dev/(console|tty[0-9]+)|$cons_tty@tmux)" "$tmp/test.policy"'
"$privtree" --config /dev/null --db "$db" --log "$tmp/privtree.log" import "$tmp/test.policy" >/dev/null || exit 99
"$privd" -f --config /dev/null --db "$db" --rundir "$run" --log "$log" \
	--passwdd-socket "$tmp/pw.sock" --prompt-timeout 20 &
pid=$!
until_true [ -S "$run/privd.sock" ] || { echo "privd did not start"; cat "$log"; exit 99; }
until_true [ -S "$tmp/pw.sock" ] || { echo "passwdd did not start"; cat "$pwlog"; exit 99; }

caps=0000000000001400	# net_admin (12) and net_bind_service (10)
ran_ok() {	# the marker shows the gateway ran as nobody with exactly $caps
	[ -f "$tmp/mark/ran" ] && grep -qx "uid $(id -u nobody)" "$tmp/mark/ran" &&
	for c in CapInh CapPrm CapEff CapBnd CapAmb; do
		grep -q "^$c:[[:space:]]*$caps$" "$tmp/mark/ran" || return 1
	done
}

# ches, the right password.
inpane ches tcpgateway
go
wait_for "Password for" && ok "ches is asked his classical password on his own pty (through privd)" ||
	bad "ches is asked his classical password on his own pty (through privd)"
on_screen "One-time code:" && bad "no one-time code is asked (privd is a relay)"
type_in "ches secret"
wait_for "type yes to run it:" && ok "the right password: the action is shown for confirmation" ||
	bad "the right password: the action is shown for confirmation"
check "the action shown names the gateway and its capabilities" \
	'on_screen "$tmp/tcpgateway" && on_screen "net_admin"'
type_in yes
st=$(status)
check "granted and confirmed: priv exits 0" '[ "$st" = 0 ]'
check "the gateway ran as nobody with exactly PRIV(net_admin, net_bind_service)" ran_ok
check "passwdd asked the password itself, for privd (requester 0), on ches's pty" \
	'grep -q "verify user=ches requester=0 pid=[0-9]* port=${pane_tty} method=password result=granted" "$pwlog"'
check "passwdd refused nothing on the way" 'lacks "$pwlog" pex-refused'
check "privd audited the password as granted" 'grep -q "privd-password .*user=ches .*verdict=granted" "$log"'
rm -f "$tmp/mark/ran"

# ches, a wrong password.
inpane ches tcpgateway
go
wait_for "Password for" || bad "second password prompt"
type_in "not ches secret"
st=$(status)
check "a wrong password: priv exits 125" '[ "$st" = 125 ]'
check "... says it was refused, and nothing ran" 'on_screen "priv: refused" && [ ! -e "$tmp/mark/ran" ]'
check "... no confirmation was asked" 'none on_screen "type yes to run it:"'
check "passwdd logged the failure" 'grep -q "verify user=ches requester=0 .*method=password result=failed" "$pwlog"'

# Not the console: another pane of a user without ches's node.
inpane ixtcpcons tcpgateway
go
st=$(status)
check "another pane is not the console: 125, no password asked, nothing ran" \
	'[ "$st" = 125 ] && none on_screen "Password for" && [ ! -e "$tmp/mark/ran" ]'

# The console node: the standing-in pane, no password, "yes", it runs.
win=$cons_win
n=$cons_n
go
wait_for "type yes to run it:" && ok "the console node grants without a password" ||
	bad "the console node grants without a password"
check "no password was asked at the console" 'none on_screen "Password for"'
type_in yes
st=$(status)
check "confirmed at the console: the gateway ran with exactly its capabilities" '[ "$st" = 0 ] && ran_ok'
check "privd granted it from the pane's identifier by the console node" \
	'grep -q "privd-request .*src=${cons_tty}@tmux .*decision=granted rule=tcpgateway nodes=/admin/networks/internet " "$log"'
rm -f "$tmp/mark/ran"

# The real console node, on a real virtual console, decided without typing.
if ( exec 3<>/dev/tty1 ) 2>/dev/null; then
	out=$(setsid sh -c "exec 0<>/dev/tty1; exec setpriv --reuid=ixtcpcons --regid=ixtcpcons --init-groups $priv --socket $run/privd.sock -n tcpgateway" 2>&1)
	st=$?
	echo "$out" | sed 's/^/  tty1| /'
	check "from /dev/tty1 (a real virtual console) the console node grants tcpgateway" \
		'[ $st = 0 ] && echo "$out" | grep -q "^GRANTED: tcpgateway" && echo "$out" | grep -q "/admin/networks/internet"'
else
	echo "NOT TESTED: /dev/tty1 cannot be opened here (no virtual console)"
fi

kill "$pid"
wait "$pid"
pid=
"$privtree" --config /dev/null --db "$db" verify > "$tmp/out" 2>&1
check "privtree verify passes afterwards" 'grep -q "chain sound" "$tmp/out"'

finish
