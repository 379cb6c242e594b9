#!/bin/sh
# passwdd as root on a private run directory and secrets database, driven
# by pwcheck over pipes (a pipe never passes pex, so only one-time codes
# count there): a TOTP code computed independently by oathtool is
# accepted once and its replay refused; a correct classical password over
# a pipe is never asked for; a wrong code gets "authentication failed" and
# nothing more; three failures lock (user, requester, port) until
# passwdd-admin unlock; HOTP codes move the counter; malformed and
# oversized frames are rejected and logged while the daemon keeps serving;
# an ordinary uid may ask only about its own name; SIGTERM removes the
# socket; a spare's helper killed ends only its slot. The processes are
# those of passwdd(8): main root with exactly its slots' nine
# capabilities; a slot's keeper root with CAP_KILL alone; its monitor as passwdd's user (created in a private
# /etc overlay) with no capability, no_new_privs and seccomp, holding the
# database; its helper root with exactly CAP_CHOWN, CAP_DAC_READ_SEARCH,
# CAP_FOWNER, CAP_SYS_PTRACE and CAP_BPF; its worker the workers' user with
# nothing, gone before a code is asked; the secrets database belongs to
# passwdd's user. Runs itself in private
# pid and mount namespaces (harness.sh). Needs root, useradd, readelf and
# oathtool (scripts/install-deps installs them).
# Ends with "N passed, M failed"; exits 1 if any check failed.
name=passwdd_basic.sh
. "$(dirname "$0")/harness.sh"
need_built passwdd/passwdd passwdd/passwdd-admin passwdd/pwcheck tests/scenario/pwraw
need_tools oathtool useradd readelf
world
world_setup
admin=$pwadmin
pid= pid2= cg=
at_exit 'for p in $pid $pid2; do kill "$p" 2>/dev/null; done; [ -n "$cg" ] && rmdir "$cg" 2>/dev/null'
# passwdd's own user, in the private /etc; its database in a directory of its own.
pwuid=$(id -u ixkit-passwd)
mkdir "$tmp/secrets" && chown ixkit-passwd: "$tmp/secrets" && chmod 700 "$tmp/secrets" || exit 99
db=$tmp/secrets/passwdd.db
sock=$tmp/run/passwdd.sock
log=$tmp/passwdd.log
show_failure() { sed 's/^/  | /' "$tmp/out" "$tmp/err" 2>/dev/null; }

adm() { "$admin" --secrets-db "$db" "$@" >"$tmp/out" 2>"$tmp/err"; }
# ask NAME WANT_STATUS INPUT USER: pwcheck with INPUT on a pipe
ask() {
	printf '%s\n' "$3" | "$pwcheck" --socket "$sock" "$4" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ "$st" -eq "$2" ]; then ok "$1"; else echo "  status $st, wanted $2"; bad "$1"; fi
}
has() {	# has NAME FILE TEXT
	if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1"; sed 's/^/  log| /' "$log"; fi
}
secret_of() { sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p' "$tmp/out"; }

# ---- enrolment ----
if adm enrol-totp tess --no-qr && grep -q '^otpauth://totp/ixkit:tess?secret=' "$tmp/out"; then
	ok "enrol-totp prints an otpauth URI"
else
	bad "enrol-totp prints an otpauth URI"
fi
tess=$(secret_of)
adm enrol-totp locky --digits 8 --algo sha256 --no-qr || bad "enrol-totp sha256"
locky=$(secret_of)
adm enrol-hotp hop --no-qr || bad "enrol-hotp"
hop=$(secret_of)
adm enrol-totp other --no-qr || bad "enrol-totp other"
adm enrol-totp race --no-qr || bad "enrol-totp race"
race=$(secret_of)
adm enrol-totp nobody --no-qr || bad "enrol-totp nobody"
nobody=$(secret_of)
if adm enrol-totp qr && grep -q "$(printf '\342\226')" "$tmp/out"; then
	ok "enrol-totp draws a QR code by default"
else
	bad "enrol-totp draws a QR code by default"
fi
printf 'correct horse\n' | "$admin" --secrets-db "$db" set-password --stdin tess >"$tmp/out" 2>"$tmp/err" ||
	bad "set-password --stdin"
if adm list && grep -q '^tess .* own .* set .*totp/sha1/6' "$tmp/out" &&
   grep -q '^locky .*totp/sha256/8' "$tmp/out" && grep -q '^hop .*hotp/sha1/6' "$tmp/out"; then
	ok "list shows backends, passwords and generators"
else
	bad "list shows backends, passwords and generators"
fi
if [ "$(stat -c %a:%U "$db")" = 600:ixkit-passwd ]; then
	ok "secrets database is 0600 and passwdd's user's, also when root administers it"
else
	bad "secrets database is 0600 and passwdd's user's"
fi

# ---- the binary: full RELRO and BIND_NOW (AM_LDFLAGS), which a
# per-program LDFLAGS once silently dropped ----
if readelf -d "$passwdd" | grep -q 'BIND_NOW' && readelf -lW "$passwdd" | grep -q 'GNU_RELRO'; then
	ok "passwdd is linked with full RELRO (BIND_NOW)"
else
	bad "passwdd is linked with full RELRO (BIND_NOW)"
fi

# ---- the daemon ----
"$passwdd" -f --config /dev/null --rundir "$tmp/run" --secrets-db "$db" --log "$log" \
	--lockout-after 3 --backoff-ms 50 --backoff-max-ms 200 --otp-window 1 &
pid=$!
i=0
while [ ! -S "$sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if [ -S "$sock" ] && [ "$(stat -c %a "$sock")" = 666 ] && [ "$(stat -c %a "$tmp/run")" = 755 ]; then
	ok "socket 0666 in a 0755 run directory"
else
	bad "socket 0666 in a 0755 run directory"
fi

# ---- the processes, seen from outside (passwdd(8) "PROCESSES") ----
field() { sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" | tr -s '\t' ' '; }
kids() { cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | grep .; }
shows() {	# shows PID: what a failed check prints of it
	grep -E '^(Uid|Cap|NoNewPrivs|Seccomp)' "/proc/$1/status" 2>/dev/null | sed 's/^/  | /'
}
wuid=$(id -u ixkit-passwdd-worker)
# main: root, exactly what its slots need: setgid, setuid, setpcap, kill
# and the helper's five (chown, dac_read_search, fowner, sys_ptrace, bpf), no_new_privs.
if [ "$(field "$pid" Uid)" = "0 0 0 0" ] && [ "$(field "$pid" CapEff)" = 00000080000801ed ] &&
   [ "$(field "$pid" CapBnd)" = 00000080000801ed ] && [ "$(field "$pid" CapInh)" = 0000000000000000 ] &&
   [ "$(field "$pid" NoNewPrivs)" = 1 ]; then
	ok "main is root with exactly its slots' nine capabilities"
else
	bad "main's privileges"; shows "$pid"
fi
grep -q "start .*user=ixkit-passwd uid=$pwuid worker_user=ixkit-passwdd-worker worker_uid=$wuid landlock_abi=[1-9]" "$log" &&
	ok "Landlock available (logged at start)" || bad "Landlock available"
# Each slot's keeper: root with CAP_KILL alone, no_new_privs.
keeper=$(kids "$pid" | head -n 1)
if [ -n "$keeper" ] && [ "$(field "$keeper" Uid)" = "0 0 0 0" ] && [ "$(field "$keeper" CapEff)" = 0000000000000020 ] &&
   [ "$(field "$keeper" CapBnd)" = 0000000000000020 ] && [ "$(field "$keeper" NoNewPrivs)" = 1 ]; then
	ok "a slot's keeper is root with CAP_KILL alone"
else
	bad "a slot's keeper"; [ -n "$keeper" ] && shows "$keeper"
fi
# of_slot KEEPER UID: its child of that uid
of_slot() { for k in $(kids "$1"); do [ "$(field "$k" Uid)" = "$2 $2 $2 $2" ] && echo "$k"; done | head -n 1; }
# A slot serving a verification whose code never comes: the monitor
# (passwdd's user), its helper (root) and the worker, gone by then.
sleep 3 | "$pwcheck" --socket "$sock" qr >/dev/null 2>&1 &
i=0 mon= helper= serving=
while [ -z "$mon" ] && [ $i -lt 50 ]; do
	sleep 0.1; i=$((i + 1))
	for k in $(kids "$pid"); do
		m=$(of_slot "$k" "$pwuid")
		[ -n "$m" ] && ls -l "/proc/$m/fd" 2>/dev/null | grep -q pipe: || continue
		mon=$m serving=$k helper=$(of_slot "$k" 0)
	done
done
if [ -n "$mon" ] && [ "$(field "$mon" CapEff)" = 0000000000000000 ] && [ "$(field "$mon" CapPrm)" = 0000000000000000 ] &&
   [ "$(field "$mon" CapBnd)" = 0000000000000000 ] && [ "$(field "$mon" NoNewPrivs)" = 1 ] &&
   [ "$(field "$mon" Seccomp)" = 2 ] && ls -l "/proc/$mon/fd" | grep -q "passwdd.db"; then
	ok "the monitor runs as passwdd's user, no capability, no_new_privs, seccomp, and holds the database"
else
	bad "the monitor's confinement"; [ -n "$mon" ] && shows "$mon"
fi
if [ -n "$helper" ] && [ "$(field "$helper" CapEff)" = 000000800008000d ] &&
   [ "$(field "$helper" CapBnd)" = 000000800008000d ] && [ "$(field "$helper" CapAmb)" = 000000800008000d ] &&
   [ "$(field "$helper" NoNewPrivs)" = 1 ] && [ "$(field "$helper" Seccomp)" = 0 ]; then
	ok "the slot's helper is root with exactly its five capabilities"
else
	bad "the helper's privileges"; [ -n "$helper" ] && shows "$helper"
fi
if [ -n "$serving" ] && [ -z "$(of_slot "$serving" "$wuid")" ]; then
	ok "the worker has ended before the code is asked"
else
	bad "the worker has ended before the code is asked"
fi
# A spare's worker: the workers' user, nothing but /dev/null and its channel.
worker=
for k in $(kids "$pid"); do [ "$k" = "$serving" ] || worker=$(of_slot "$k" "$wuid"); [ -n "$worker" ] && break; done
if [ -n "$worker" ] && [ "$(field "$worker" CapEff)" = 0000000000000000 ] && [ "$(field "$worker" CapBnd)" = 0000000000000000 ] &&
   [ "$(field "$worker" NoNewPrivs)" = 1 ] && [ "$(field "$worker" Seccomp)" = 2 ] &&
   [ "$(ls "/proc/$worker/fd" | sort -n | tr '\n' ' ')" = "0 1 2 3 " ] &&
   none sh -c "ls -l /proc/$worker/fd | grep -q passwdd.db"; then
	ok "a worker runs as the workers' user, no capability, seccomp, no file but its channel"
else
	bad "a worker's confinement"; [ -n "$worker" ] && { shows "$worker"; ls -l "/proc/$worker/fd"; }
fi
wait $!

code=$(oathtool --totp -b "$tess")
ask "TOTP code from oathtool accepted over a pipe" 0 "$code" tess
ask "the same code replayed is refused" 1 "$code" tess
has "replay logged" "$log" "otp-replay user=tess"
ask "correct classical password over a pipe is refused" 1 "correct horse" tess
has "pipe fails pex and is logged" "$log" "pex-refused user=tess requester=0 reason="
has "over a pipe only a one-time code is asked" "$log" "port=pipe method=one-time code result=failed"
ask "wrong code refused" 1 "000000" tess
if [ "$(cat "$tmp/err")" = "pwcheck: authentication failed" ] && [ ! -s "$tmp/out" ]; then
	ok "a refusal says 'authentication failed' and nothing more"
else
	bad "a refusal says 'authentication failed' and nothing more"
fi

# ---- lockout: 3 failures of (locky, uid 0, pipe), then unlock ----
ask "locky failure 1" 1 00000000 locky
ask "locky failure 2" 1 00000000 locky
ask "locky failure 3" 1 00000000 locky
code=$(oathtool --totp=sha256 --digits 8 -b "$locky")
ask "locked: even the right code is refused" 1 "$code" locky
if grep -qx "pwcheck: locked" "$tmp/err"; then ok "a locked user is reported as locked"; else bad "a locked user is reported as locked"; fi
has "lockout logged" "$log" "user=locky requester=0 pid="
has "the refusal is logged as locked" "$log" "port=pipe result=locked"
adm unlock locky && grep -q "locky: 1 failure record cleared" "$tmp/out" && ok "unlock clears the record" ||
	bad "unlock clears the record"
ask "after unlock the right code is accepted" 0 "$code" locky
ask "another user is not locked by locky's failures" 1 000000 other
if grep -qx "pwcheck: authentication failed" "$tmp/err"; then ok "other's refusal is not a lock"; else bad "other's refusal is not a lock"; fi
# tess failed three times above (replay, password, wrong code): locked too.
ask "tess's own failures locked her on this requester and port" 1 000000 tess
if grep -qx "pwcheck: locked" "$tmp/err"; then ok "tess reported locked"; else bad "tess reported locked"; fi

# ---- HOTP ----
ask "HOTP counter 0 accepted" 0 "$(oathtool --hotp -b -c 0 "$hop")" hop
ask "HOTP counter 0 again refused" 1 "$(oathtool --hotp -b -c 0 "$hop")" hop

# ---- malformed input: rejected, logged, daemon keeps serving ----
raw() {	# raw CASE EXPECTED-TEXT
	out=$("$pwraw" "$sock" "$1" 2>&1)
	case $out in
	*"$2"*) ok "$1 frame rejected ($out)" ;;
	*) echo "  got: $out"; bad "$1 frame rejected" ;;
	esac
}
raw oversized "error 3 packet truncated"
raw badlen "error 1 message 0x0201: header says 100 payload bytes"
raw unknown "error 5 passwdd: unknown request type 0x02ff"
raw nofds "error 1 message 0x0201: offset 9: descriptor 1 expected, 0 received"
raw badstr "error 1 message 0x0201: offset 8: string not NUL-terminated"
raw nohello "error 1 expected HELLO"
raw tagreg "error 5 only sessiond's user may manage session tags"
n=$(grep -c ' reject stage=' "$log")
if [ "$n" -eq 7 ]; then ok "each of the 7 bad frames logged once"; else echo "  $n reject lines"; bad "each bad frame logged"; fi
ask "still serving after the bad frames" 0 "$(oathtool --hotp -b -c 1 "$hop")" hop

# ---- who may ask ----
printf '000000\n' | as nobody "$pwcheck" --socket "$sock" tess \
	>"$tmp/out" 2>"$tmp/err"
st=$?
if [ $st -eq 3 ] && grep -q "uid 65534 may only verify its own login name" "$tmp/err"; then
	ok "an ordinary uid may not ask about another name"
else
	echo "  status $st"; bad "an ordinary uid may not ask about another name"
fi

# ---- session tags, on a second passwdd where root is also sessiond's user ----
sock2=$tmp/tags.sock
"$passwdd" -f --config /dev/null --socket "$sock2" --secrets-db "$db" --log "$tmp/tags.log" \
	--sessiond-user root &
pid2=$!
i=0
while [ ! -S "$sock2" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
cgmnt=$(findmnt -n -t cgroup2 -o TARGET | head -n 1)
cg=$cgmnt/ixkit-pwtest-$$
# in_cg USER: pwcheck with nothing on stdin, from inside the session's cgroup
in_cg() { sh -c 'echo $$ > "$1/cgroup.procs" && exec "$2" --socket "$3" "$4"' sh "$cg" "$pwcheck" "$sock2" "$1" \
	</dev/null >"$tmp/out" 2>"$tmp/err"; }
if [ -z "$cgmnt" ] || ! mkdir "$cg"; then
	bad "cgroup v2 needed for the session tag checks"
else
	tok=$("$pwraw" "$sock2" tagadd "$cg" 60 root alice 2>"$tmp/err")
	[ -n "$tok" ] && ok "sessiond's user registers a tag" || bad "sessiond's user registers a tag"
	if in_cg root; then ok "tagged session: root verified without a prompt"; else bad "tagged session: root verified without a prompt"; fi
	if grep -q "user=root requester=0 pid=[0-9]* port=null method=session tag result=granted" "$tmp/tags.log"; then
		ok "tag use logged"
	else
		bad "tag use logged"; sed 's/^/  log| /' "$tmp/tags.log"
	fi
	if ! in_cg tess; then ok "an identity not in the tag is still asked (and fails)"; else bad "identity not in the tag"; fi
	if ! "$pwcheck" --socket "$sock2" root </dev/null >"$tmp/out" 2>"$tmp/err"; then
		ok "outside the tagged cgroup the tag does not count"
	else
		bad "outside the tagged cgroup the tag does not count"
	fi
	if "$pwraw" "$sock2" tagdel "$cg" 0000000000000000000000000000000000000000000000000000000000000000 2>"$tmp/err"; then
		bad "a wrong token removes nothing"
	elif grep -q "no tag for cgroup" "$tmp/err"; then
		ok "a wrong token removes nothing"
	else
		bad "a wrong token removes nothing"
	fi
	"$pwraw" "$sock2" tagdel "$cg" "$tok" 2>"$tmp/err" && ok "sessiond's user unregisters the tag" ||
		bad "sessiond's user unregisters the tag"
	if ! in_cg root; then ok "after unregister root is asked again"; else bad "after unregister root is asked again"; fi
	rmdir "$cg"
fi
if "$pwraw" "$sock" tagadd "$tmp" 60 root >/dev/null 2>"$tmp/err"; then
	bad "root is not sessiond's user on the first passwdd"
else
	grep -q "only sessiond's user" "$tmp/err" && ok "tags refused from a peer that is not sessiond's user" ||
		bad "tags refused from a peer that is not sessiond's user"
fi
kill "$pid2"
wait "$pid2"
pid2= cg=

# ---- concurrent workers share one replay state ----
code=$(oathtool --totp -b "$race")
for i in 1 2 3 4 5 6 7 8; do
	( printf '%s\n' "$code" | "$pwcheck" --socket "$sock" race >/dev/null 2>&1; echo $? >"$tmp/race.$i" ) &
done
wait_races() { for i in 1 2 3 4 5 6 7 8; do while [ ! -s "$tmp/race.$i" ]; do sleep 0.1; done; done; }
wait_races
n=$(cat "$tmp"/race.* | grep -c '^0$')
if [ "$n" -eq 1 ]; then ok "8 concurrent uses of one code: exactly one accepted"; else echo "  $n accepted"; bad "8 concurrent uses of one code"; fi

# ---- an ordinary uid asking for itself ----
printf '%s\n' "$(oathtool --totp -b "$nobody")" |
	as nobody "$pwcheck" --socket "$sock" nobody >"$tmp/out" 2>"$tmp/err"
st=$?
if [ $st -eq 0 ] && grep -q "user=nobody requester=65534 .* result=granted" "$log"; then
	ok "an ordinary uid verifies its own name"
else
	echo "  status $st"; bad "an ordinary uid verifies its own name"
fi

# ---- stop ----
kill "$pid"
wait "$pid"
st=$?
pid=
if [ $st -eq 0 ] && [ ! -e "$sock" ]; then ok "SIGTERM stops passwdd and removes its socket"; else bad "SIGTERM stops passwdd (status $st)"; fi

# ---- a spare's helper dies: that slot ends, passwdd serves on ----
adm enrol-totp restarted --no-qr || bad "enrol-totp restarted"
restarted=$(secret_of)
"$passwdd" -f --config /dev/null --rundir "$tmp/run" --secrets-db "$db" --log "$tmp/helper.log" &
pid=$!
i=0
while [ ! -S "$sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.5
hpid=
for k in $(kids "$pid"); do hpid=$(of_slot "$k" 0); [ -n "$hpid" ] && break; done
if [ -n "$hpid" ]; then
	kill -KILL "$hpid"
	until_true grep -q "helper-died slot=[0-9]* uid=0: the slot ended with it" "$tmp/helper.log" &&
		ok "a spare's helper killed: its slot ends, logged" ||
		{ sed 's/^/  log| /' "$tmp/helper.log"; bad "a spare's helper killed: its slot ends, logged"; }
	printf '%s\n' "$(oathtool --totp -b "$restarted")" | "$pwcheck" --socket "$sock" restarted >/dev/null 2>&1
	st=$?
	[ $st -eq 0 ] && ok "passwdd serves on after a helper died" || bad "passwdd serves on after a helper died (status $st)"
	kill "$pid"
	wait "$pid"
	pid=
else
	bad "a spare slot has a root helper"
fi

finish
