#!/bin/sh
# Issue 13, hole 1, with sshd as the "trusted provider": a program of the
# user, with no terminal, adds a key of its own to the user's
# ~/.ssh/authorized_keys and runs `ssh -tt user@127.0.0.1 priv ...`,
# answering the confirmation on ssh's standard input. The pty is served by
# the real sshd (/usr/sbin/sshd, a provider the policy names), whose
# session process runs as the user and holds the master. Before, that pty
# counted as the provider's and the program's yes ran the action. Now it
# is not a private path: privd says so, naming the sshd process of the
# user's uid, shows the action and asks a one-time code after yes; the
# program's yes and a guessed code run nothing, the audit says
# outcome=bad-otp. A person on such a connection who types yes and the
# right code (oathtool, the same TOTP enrolment as passwdd's) gets the
# action run, audited as yes-otp; priv -n through ssh says "path: not
# private". privd_provider.sh is the same attack with tmux.
# The test's own sshd (a host key, configuration and pid file in $tmp,
# 127.0.0.1 on a free high port, /run a private tmpfs for its privilege
# separation directory) runs in the test's world (privd_lib.sh: private
# pid and mount namespaces, /etc overlaid); nothing of the host's sshd or
# /etc/ssh is used or changed. A real passwdd checks the codes. Ends with
# "N passed, M failed".
name=privd_provider_ssh.sh
. "$(dirname "$0")/privd_lib.sh"
need_built passwdd/passwdd passwdd/passwdd-admin
need_tools oathtool setsid mkfifo ssh ssh-keygen /usr/sbin/sshd usermod

sshd_bin=/usr/sbin/sshd
u=ixsshuser
cd "$tmp" || exit 99

# The user: a home in $tmp, a shell sshd can run commands with, and a
# password field of "*" (no password): useradd's "!" is what sshd without
# PAM takes for a locked account, and refuses even a key for.
mkdir -m 755 "$tmp/home" || exit 99
id "$u" >/dev/null 2>&1 || useradd -m -d "$tmp/home/$u" -s /bin/sh "$u" || exit 99
usermod -p '*' "$u" || exit 99
home=$tmp/home/$u
uid=$(id -u "$u")

provider_policy "$u" sshd "$sshd_bin" > "$tmp/test.policy"

# passwdd, holding the user's TOTP enrolment, for the one-time codes.
otp_passwdd "$u" "sshd=$sshd_bin"
start_privd "$tmp/test.policy"

# The test's sshd. Its privilege separation directory is /run/sshd: /run
# becomes a tmpfs of this world, so the host's /run is untouched.
mount -t tmpfs -o mode=0755,uid=0,gid=0 tmpfs /run || die "cannot mount a tmpfs on /run"
mkdir -m 755 /run/sshd || exit 99
id sshd >/dev/null 2>&1 ||
	useradd --system -M -d /run/sshd -s /usr/sbin/nologin sshd || exit 99
sdir=$tmp/sshd
mkdir -m 700 "$sdir" || exit 99
ssh-keygen -q -t ed25519 -N '' -C ixkit-test-host -f "$sdir/host_ed25519" || exit 99
port_free() {	# no TCP socket on 127.0.0.1 or any address listens on port $1
	hex=$(printf '%04X' "$1")
	none grep -qiE "^ *[0-9]+: (0100007F|00000000):$hex [0-9A-F:]+ 0A " /proc/net/tcp
}
sshd_pid=
at_exit '[ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null'
tries=0
while [ -z "$sshd_pid" ]; do
	tries=$((tries + 1))
	[ $tries -gt 20 ] && die "no free port for sshd after 20 tries; last log:
$(tail -5 "$sdir/log" 2>/dev/null)"
	port=$(( 20000 + ($(od -An -N2 -tu2 /dev/urandom) % 40000) ))
	port_free "$port" || continue
	cat > "$sdir/config" <<CONFIG
Port $port
ListenAddress 127.0.0.1
HostKey $sdir/host_ed25519
PidFile $sdir/sshd.pid
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
StrictModes yes
PermitRootLogin no
AllowUsers $u
X11Forwarding no
AllowTcpForwarding no
PrintMotd no
PrintLastLog no
LogLevel VERBOSE
CONFIG
	"$sshd_bin" -t -f "$sdir/config" > "$sdir/log" 2>&1 || {
		echo "$name: sshd refuses its configuration here:" >&2
		sed 's/^/  sshd| /' "$sdir/log" >&2
		exit 77
	}
	"$sshd_bin" -D -e -f "$sdir/config" >> "$sdir/log" 2>&1 &
	sshd_pid=$!
	if ! until_true grep -q "Server listening on 127.0.0.1 port $port" "$sdir/log"; then
		kill "$sshd_pid" 2>/dev/null
		wait "$sshd_pid" 2>/dev/null
		sshd_pid=
		# Another program took the port in the meantime: another one.
		grep -q "Bind to port $port .* failed\|Cannot bind any address" "$sdir/log" && continue
		echo "$name: sshd does not start in the test's world:" >&2
		sed 's/^/  sshd| /' "$sdir/log" >&2
		exit 77
	fi
done

started() { grep -c "started login=$u " "$log"; }
outcomes() { sqlite3 "$db" "SELECT text FROM audit WHERE kind = 'privd-confirm'" | sed -n 's/.*outcome=\([a-z-]*\).*/\1/p' | tr '\n' ' '; }

# The attacker: a program of the user's uid with no terminal. It makes a
# key pair and authorizes it for its own account: nothing of the person's.
adir=$tmp/atk
mkdir -m 700 "$adir" && chown "$u": "$adir" || exit 99
as "$u" sh -c 'umask 077 && mkdir -p "$1/.ssh" &&
	ssh-keygen -q -t ed25519 -N "" -C attacker -f "$2/key" < /dev/null &&
	cat "$2/key.pub" >> "$1/.ssh/authorized_keys"' sh "$home" "$adir" < /dev/null > "$adir/keygen.out" 2>&1 ||
	{ cat "$adir/keygen.out"; exit 99; }

# ssh_priv K ARGS...: priv ARGS through `ssh -tt` as the user, in a new
# session (no terminal here), in the background ($spid). The remote shell
# execs priv, so that priv is alone on the pty sshd gives it and ssh exits
# with priv's status. ssh's standard input is the fifo $adir/inK, held open
# here on descriptor 4 (answer writes to it); its output goes to
# $adir/outK.
ssh_priv() {
	k=$1; shift
	mkfifo -m 600 "$adir/in$k" && chown "$u": "$adir/in$k" || exit 99
	exec 4<> "$adir/in$k"
	as "$u" setsid -w ssh -tt -F /dev/null -e none -p "$port" -i "$adir/key" \
		-o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=10 \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
		"$u@127.0.0.1" "IXKIT_CONFIG=/dev/null exec $priv --socket $run/privd.sock $*" \
		< "$adir/in$k" > "$adir/out$k" 2>&1 4>&- &
	spid=$!
	out=$adir/out$k
}
shows() { grep -qF -- "$1" "$out"; }
answer() {	# answer PROMPT TEXT: TEXT and Enter once ssh's output shows PROMPT
	until_true shows "$1" || return 1
	printf '%s\r' "$2" >&4
}
ssh_done() {	# waits (20 s at most) for ssh to end; st: priv's status (ssh's own)
	i=0
	while kill -0 "$spid" 2>/dev/null; do
		[ $i -ge 200 ] && { echo "  ssh still running after 20 s: killed"; kill "$spid"; break; }
		sleep 0.1
		i=$((i + 1))
	done
	wait "$spid"
	st=$?
	exec 4>&-
	[ "$st" = 255 ] && st="255, ssh's own failure"
}
show_failure() {
	[ -n "${out:-}" ] && tr -d '\r' < "$out" | grep . | sed 's/^/  ssh| /'
	tail -5 "$log" | sed 's/^/  log| /'
	tail -3 "$tmp/passwdd.log" | sed 's/^/  pwlog| /'
	tail -5 "$sdir/log" | sed 's/^/  sshd| /'
}
# The pid privd names as the terminal's provider, while the prompt is up:
# is it /usr/sbin/sshd, running as the user's uid?
named_sshd_is_users() {
	np=$(tr -d '\r' < "$out" | sed -n 's/.*the terminal.s provider, pid \([0-9]*\) (sshd), runs as uid \([0-9]*\), yours.*/\1 \2/p' | head -1)
	[ -n "$np" ] || return 1
	set -- $np
	[ "$2" = "$uid" ] && [ "$(readlink "/proc/$1/exe")" = "$sshd_bin" ] &&
		[ "$(stat -c %u "/proc/$1")" = "$uid" ]
}

# 1. The attack: the program's own yes over its ssh session, then a
# guessed code.
ssh_priv 1 probe
until_true shows "type yes to run it" || bad "the confirmation reaches the program through ssh"
check "privd names the pty's provider: sshd, running as the user's uid $uid" named_sshd_is_users
answer "type yes to run it" yes
answer "One-time code:" "$(wrong_code)"
ssh_done
check "the program's yes through its own ssh runs nothing (status $st, not 0)" \
	'[ "$st" != 0 ] && [ "$(started)" = 0 ]'
check "... privd said why: sshd's pty is not a private path" \
	'shows "this terminal is not a private path" && shows "runs as uid $uid, yours"'
check "... and asked a one-time code after yes" 'shows "One-time code:"'
check "... audited as bad-otp, never yes" '[ "$(outcomes)" = "bad-otp " ]'

# 2. A person on such a connection: yes and the right code.
ssh_priv 2 probe
answer "type yes to run it" yes || bad "the second confirmation is shown"
until_true shows "One-time code:" || bad "the one-time code is asked"
answer "One-time code:" "$(code_now)"
ssh_done
check "yes and a fresh one-time code through ssh run the action (status $st)" \
	'[ "$st" = 0 ] && [ "$(started)" = 1 ]'
check "... audited as yes-otp" '[ "$(outcomes)" = "bad-otp yes-otp " ]'

# 3. priv -n through ssh says which kind of path it is.
ssh_priv 3 -n probe
ssh_done
check "priv -n through ssh: not private, and why" \
	'shows "path: not private: " && shows "runs as uid $uid, yours"'

finish
