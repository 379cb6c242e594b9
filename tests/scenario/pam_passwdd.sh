#!/bin/sh
# pam_passwdd.so driven by pamtester against the real passwdd, as root in
# its world (an overlay on /etc for a throwaway user and the PAM services,
# a tmpfs on /run for passwdd's socket). Checks: the
# module exports pam_sm_* only; a TOTP code computed by oathtool, fed on
# a pipe, is accepted; the terminal named by PAM_TTY is passed when it is
# open on 0/1/2 (pamtester in script(1)'s pty), fd 0 when it is not; a
# wrong code is refused (PAM_AUTH_ERR); three failures lock
# (PAM_MAXTRIES); a bad module argument is a service error; with the
# recommended stack (etc/pam.d/ixkit-passwdd-example) a refusal by
# passwdd is final (pam_unix is never asked); with passwdd killed (a
# stale socket) or gone (no socket) the module answers
# PAM_AUTHINFO_UNAVAIL and the recommended stack lets the user in with the
# real unix password (and not with a wrong one); repeated calls in one
# long-lived application leak no descriptor and no memory.
# Runs in private pid and mount namespaces (harness.sh). Needs root,
# pamtester, oathtool, script, nm. Ends with "N passed, M failed"; exits 1
# if any check failed.
name=pam_passwdd.sh
. "$(dirname "$0")/harness.sh"
need_built passwdd/passwdd passwdd/passwdd-admin tests/scenario/pam_fdleak
[ -e "$build/passwdd/pam_passwdd.so" ] || die "$build/passwdd/pam_passwdd.so not built"
need_tools pamtester oathtool script setsid useradd chpasswd nm
world
world_setup
admin=$pwadmin
mod=$build/passwdd/pam_passwdd.so
fdleak=$bin/pam_fdleak
db=$tmp/secrets/passwdd.db	# in a directory of passwdd's user (passwdd(8), PROCESSES)
log=$tmp/passwdd.log
sock=/run/ixkit/passwdd.sock
pid=
at_exit '[ -n "$pid" ] && kill -TERM -"$pid" 2>/dev/null; umount /run 2>/dev/null'
show_failure() { sed 's/^/  | /' "$tmp/out" 2>/dev/null; sed 's/^/  log| /' "$log" 2>/dev/null; }

# ---- the module's exports (nm -D) ----
syms=$(nm -D --defined-only "$mod" | awk '{print $3}' | sort | tr '\n' ' ')
if [ "$syms" = "pam_sm_authenticate pam_sm_setcred " ]; then
	ok "exports pam_sm_authenticate and pam_sm_setcred only"
else
	echo "  exported: $syms"; bad "exports pam_sm_* only"
fi

# ---- the private world ----
mount -t tmpfs -o mode=0755 tmpfs /run || exit 99
useradd -M -d /nonexistent -s /usr/sbin/nologin ixpamt || exit 99
echo 'ixpamt:unix secret 1' | chpasswd || exit 99
useradd -M -d /nonexistent -s /usr/sbin/nologin ixpaml || exit 99
mkdir -m 700 "$tmp/secrets" && chown ixkit-passwd: "$tmp/secrets" || exit 99

"$admin" --secrets-db "$db" enrol-totp ixpamt --no-qr > "$tmp/uri" || exit 99
secret=$(sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p' "$tmp/uri")
"$admin" --secrets-db "$db" enrol-totp ixpaml --no-qr > "$tmp/uri" || exit 99
lsecret=$(sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p' "$tmp/uri")
# ixpams, ixpamp and ixpamq exist only in passwdd (a user's code is used
# once per step, so each case that succeeds has its own user).
enrol() { "$admin" --secrets-db "$db" enrol-totp "$1" --no-qr > "$tmp/uri" &&
	sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p' "$tmp/uri"; }
ssecret=$(enrol ixpams)
psecret=$(enrol ixpamp)
qsecret=$(enrol ixpamq)
[ -n "$secret" ] && [ -n "$lsecret" ] && [ -n "$ssecret" ] && [ -n "$psecret" ] && [ -n "$qsecret" ] ||
	exit 99

# The module alone, and the recommended stack: the example shipped in
# etc/pam.d, with the built module by its path.
printf 'auth required %s socket=%s timeout=20 debug\naccount required pam_permit.so\n' \
	"$mod" "$sock" > /etc/pam.d/ixpw-only
sed "s|^\(auth.*\)pam_passwdd\.so|\1$mod socket=$sock|" "$top/etc/pam.d/ixkit-passwdd-example" \
	> /etc/pam.d/ixpw-stack
grep -q "^auth.*$mod socket=" /etc/pam.d/ixpw-stack || exit 99
printf 'auth required %s sockett=%s\n' "$mod" "$sock" > /etc/pam.d/ixpw-typo

# passwdd leads its own session, so that killing it -9 ends its helper and
# workers too (kill -KILL -PID).
start() {
	setsid "$passwdd" -f --config /dev/null --rundir /run/ixkit --secrets-db "$db" --log "$log" \
		--lockout-after 3 --backoff-ms 1 --backoff-max-ms 1 --otp-window 1 &
	pid=$!
	i=0
	while [ ! -S "$sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	[ -S "$sock" ] || { echo "passwdd did not start"; exit 99; }
}
# pt NAME WANT(0|fail) TEXT SERVICE USER INPUT: pamtester with INPUT on a
# pipe; WANT is its exit status (fail: non-zero); TEXT must be in its output
pt() {
	printf '%s\n' "$6" | pamtester "$4" "$5" authenticate >"$tmp/out" 2>&1
	st=$?
	if { [ "$2" = 0 ] && [ $st -eq 0 ]; } || { [ "$2" = fail ] && [ $st -ne 0 ]; }; then
		if grep -qF -- "$3" "$tmp/out"; then ok "$1"; else echo "  no '$3'"; bad "$1"; fi
	else
		echo "  status $st"; bad "$1"
	fi
}
# The pam_unix prompt never appeared (passwdd's answer was final).
no_unix() { if grep -q 'Password:' "$tmp/out"; then bad "$1"; else ok "$1"; fi; }

start

# ---- passwdd up ----
pt "a TOTP code from oathtool on a pipe is accepted" 0 "successfully authenticated" \
	ixpw-only ixpamt "$(oathtool --totp -b "$secret")"
grep -q "user=ixpamt requester=0 pid=[0-9]* port=pipe method=one-time code result=granted" "$log" &&
	ok "passwdd logged the grant for the pipe" || bad "passwdd logged the grant for the pipe"
# The terminal the application talks on: pamtester in a pty of script(1)
# on its fds 1 and 2, PAM_TTY naming it, fd 0 /dev/null (so only PAM_TTY
# can lead the module to the terminal); the code is typed once passwdd has
# prompted on it.
: > "$tmp/tty.out"
(
	i=0
	while ! grep -q "One-time code:" "$tmp/tty.out" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	oathtool --totp -b "$psecret"
) | script -qec 'pamtester -I tty=$(tty) ixpw-only ixpamp authenticate </dev/null' /dev/null >"$tmp/tty.out" 2>&1
st=$?
cp "$tmp/tty.out" "$tmp/out"
if [ $st -eq 0 ] && grep -q "user=ixpamp requester=0 pid=[0-9]* port=/dev/pts/[0-9]* .*result=granted" "$log"; then
	ok "PAM_TTY open on fd 1 (fd 0 /dev/null): passwdd gets that terminal and prompts on it"
else
	echo "  status $st"; bad "PAM_TTY open on 0/1/2: passwdd gets that terminal"
fi
# A PAM_TTY the application does not have open is not followed: fd 0 is.
printf '%s\n' "$(oathtool --totp -b "$qsecret")" | pamtester -I tty=/dev/tty1 ixpw-only ixpamq authenticate \
	>"$tmp/out" 2>&1
st=$?
if [ $st -eq 0 ] && grep -q "user=ixpamq requester=0 pid=[0-9]* port=pipe .*result=granted" "$log"; then
	ok "PAM_TTY not open on 0/1/2 (/dev/tty1): fd 0, the pipe, is passed"
else
	echo "  status $st"; bad "PAM_TTY not open on 0/1/2: fd 0 is passed"
fi
pt "a wrong code is refused (PAM_AUTH_ERR)" fail "Authentication failure" ixpw-only ixpamt 000000
pt "a bad module argument is a service error" fail "Error in service module" ixpw-typo ixpamt \
	"$(oathtool --totp -b "$secret")"

pt "ixpaml failure 1" fail "Authentication failure" ixpw-only ixpaml 000000
pt "ixpaml failure 2" fail "Authentication failure" ixpw-only ixpaml 000000
pt "ixpaml failure 3" fail "Authentication failure" ixpw-only ixpaml 000000
pt "locked: even the right code gives PAM_MAXTRIES" fail "exhausted maximum number of retries" \
	ixpw-only ixpaml "$(oathtool --totp -b "$lsecret")"

# The recommended stack: passwdd's answers are final. The unix password on
# the next line would succeed if pam_unix were asked.
"$admin" --secrets-db "$db" unlock ixpamt >/dev/null
pt "recommended stack: a wrong code is final" fail "Authentication failure" \
	ixpw-stack ixpamt "$(printf '000000\nunix secret 1')"
no_unix "recommended stack: pam_unix is not asked after a refusal"
pt "recommended stack: a right code is enough" 0 "successfully authenticated" ixpw-stack ixpams \
	"$(oathtool --totp -b "$ssecret")"
no_unix "recommended stack: pam_unix is not asked after a grant"

# ---- descriptors and memory of a long-lived application ----
# Without glibc's per-thread cache, freed chunks stop counting as heap in
# use, so the counts before and after are exact.
leak() { env GLIBC_TUNABLES=glibc.malloc.tcache_count=0 "$fdleak" "$@"; }
printf '000000\n%.0s' $(seq 1 30) | leak ixpw-only ixpamt 20 >"$tmp/out" 2>&1 &&
	ok "20 refusals in one process: no descriptor or heap growth ($(cat "$tmp/out"))" ||
	bad "20 refusals in one process leak nothing"

# ---- passwdd killed: its socket is left behind and nobody listens ----
kill -KILL -"$pid"
wait "$pid" 2>/dev/null
pid=
if [ -S "$sock" ]; then
	pt "passwdd killed (stale socket, connection refused): PAM_AUTHINFO_UNAVAIL" fail \
		"cannot retrieve authentication info" ixpw-only ixpamt "$(oathtool --totp -b "$secret")"
	pt "passwdd killed: the recommended stack falls back to the unix password" 0 \
		"successfully authenticated" ixpw-stack ixpamt "unix secret 1"
else
	: >"$tmp/out"; bad "passwdd killed by SIGKILL left no socket: the stale-socket case is untested"
fi

# ---- passwdd gone: no socket at all ----
rm -f "$sock"
pt "passwdd stopped: PAM_AUTHINFO_UNAVAIL" fail "cannot retrieve authentication info" \
	ixpw-only ixpamt "$(oathtool --totp -b "$secret")"
pt "passwdd stopped: the recommended stack falls back to the unix password" 0 \
	"successfully authenticated" ixpw-stack ixpamt "unix secret 1"
pt "passwdd stopped: a wrong unix password is still refused" fail "Authentication failure" \
	ixpw-stack ixpamt "unix secret 2"
leak ixpw-only ixpamt 20 </dev/null >"$tmp/out" 2>&1 &&
	grep -q "cannot retrieve" "$tmp/out" &&
	ok "20 unreachable calls in one process: no descriptor or heap growth ($(cat "$tmp/out"))" ||
	bad "20 unreachable calls in one process leak nothing"

finish
