#!/bin/sh
# make install, as an administrator building by hand runs it, into a
# DESTDIR: every file lands in the directory this build was configured
# for (tests/scenario/install_dirs.sh, made with the units' substitution;
# no fixed prefix), the units name programs that are installed and pass
# `systemd-analyze verify` with those programs found inside the DESTDIR
# (units_lib.sh, as systemd_units.sh does for the build tree), a second
# install keeps an ixkit.conf the administrator changed, and the installed
# privd, on a database the installed privtree made from the demo policy,
# answers the installed priv. That privd runs in a private mount
# namespace on a tmpfs of its own, with the installed example ixkit.conf
# as its configuration. Last, make uninstall removes everything but the
# changed ixkit.conf. Needs root (the namespace, privd).
set -u
top=${IXKIT_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${IXKIT_BUILDDIR:-$top}

# The request to the installed privd, run by the test itself in its own
# mount namespace: install.sh --request ROOT TMP.
if [ "${1:-}" = --request ]; then
	root=$2
	tmp=$3
	. "$build/tests/scenario/install_dirs.sh"
	ns=$tmp/ns
	conf=$root$sysconfdir/ixkit/ixkit.conf
	mkdir -p "$ns" && mount -t tmpfs -o mode=0755 ixkit-install "$ns" || {
		echo "FAILED: a tmpfs for the installed privd"
		exit 1
	}
	# The system users, as an administrator makes them: systemd-sysusers
	# on the installed file, into an overlay of /etc in this namespace.
	mkdir -p "$ns/etc-up" "$ns/etc-work" &&
	mount -t overlay overlay -o "lowerdir=/etc,upperdir=$ns/etc-up,workdir=$ns/etc-work" /etc || {
		echo "FAILED: an overlay of /etc for the installed privd"
		exit 1
	}
	users=$root$sysusersdir/ixkit.conf
	[ "$sysusersdir" = no ] && users=$top/etc/sysusers.d/ixkit.conf
	if systemd-sysusers "$users" >"$ns/out" 2>&1 && id ixkit-privd-worker >/dev/null 2>&1; then
		echo "ok: systemd-sysusers makes the users of the installed sysusers.d file"
	else
		echo "FAILED: systemd-sysusers makes the users of the installed sysusers.d file"
		sed 's/^/  | /' "$ns/out"
		exit 1
	fi
	if "$root$sbindir/privtree" --config "$conf" --db "$ns/ixkit.db" --log "$ns/privtree.log" \
		import "$top/etc/demo.policy" >"$ns/out" 2>&1; then
		echo "ok: the installed privtree imports the demo policy (with the installed ixkit.conf)"
	else
		echo "FAILED: the installed privtree imports the demo policy"
		sed 's/^/  | /' "$ns/out" "$ns/privtree.log"
		exit 1
	fi
	"$root$sbindir/privd" -f --config "$conf" --db "$ns/ixkit.db" --rundir "$ns/run" \
		--log "$ns/privd.log" --passwdd-socket "$ns/no-passwdd.sock" >"$ns/privd.out" 2>&1 &
	pid=$!
	i=0
	while [ ! -S "$ns/run/privd.sock" ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ ! -S "$ns/run/privd.sock" ]; then
		echo "FAILED: the installed privd starts"
		kill "$pid" 2>/dev/null
		wait "$pid"
		sed 's/^/  | /' "$ns/privd.out" "$ns/privd.log"
		exit 1
	fi
	echo "ok: the installed privd starts"
	# priv finds privd through its run directory, as a user's would.
	IXKIT_CONFIG=$conf IXKIT_RUNDIR=$ns/run "$root$bindir/priv" -n tcpgateway \
		>"$ns/out" 2>&1 </dev/null
	st=$?
	status=0
	if [ $st = 1 ] && grep -q "^REFUSED: tcpgateway" "$ns/out"; then
		echo "ok: the installed priv -n gets the installed privd's decision (refused, 1)"
	else
		echo "FAILED: the installed priv -n gets the installed privd's decision (status $st)"
		sed 's/^/  | /' "$ns/out" "$ns/privd.log"
		status=1
	fi
	kill "$pid"
	wait "$pid"
	if grep -q " start socket=$ns/run/privd.sock db=$ns/ixkit.db " "$ns/privd.log" &&
	   grep -q " privd-request .* uid=0 .* decision=refused .* request=tcpgateway " "$ns/privd.log"; then
		echo "ok: the installed privd logged its start and the request"
	else
		echo "FAILED: the installed privd logged its start and the request"
		sed 's/^/  | /' "$ns/privd.log"
		status=1
	fi
	exit $status
fi

for t in make systemd-analyze systemd-sysusers unshare mount cmp; do
	command -v "$t" >/dev/null 2>&1 ||
		{ echo "install.sh: $t missing (scripts/install-deps)" >&2; exit 99; }
done
if [ "$(id -u)" -ne 0 ]; then
	echo "install.sh: must run as root (privd and its mount namespace)" >&2
	exit 99
fi
. "$top/tests/scenario/units_lib.sh"

tmp=$(mktemp -d /tmp/ixkit-install-XXXXXX) || exit 99
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
root=$tmp/root
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAILED: $1"; [ -s "$tmp/out" ] && sed 's/^/  | /' "$tmp/out"; : >"$tmp/out"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

# The test runs under make check: its make is a new one, not a job of that.
install() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$build" install DESTDIR="$root" \
		>"$tmp/out" 2>&1
}

if install; then
	ok "make install DESTDIR=... succeeds"
else
	bad "make install DESTDIR=... succeeds"
	echo "$passed passed, $failed failed"
	exit 1
fi
: >"$tmp/out"

# Each program where configure said.
for p in priv session nosh pwcheck pcopy; do
	check "$bindir/$p installed" '[ -f "$root$bindir/$p" ] && [ -x "$root$bindir/$p" ]'
done
for p in privd privtree passwdd passwdd-admin sessiond compartd compartctl; do
	check "$sbindir/$p installed" '[ -f "$root$sbindir/$p" ] && [ -x "$root$sbindir/$p" ]'
done
# libpam loads it from pamdir only: an ELF shared object with pam_sm_*.
check "pam_passwdd.so in libpam's directory $pamdir" \
	'[ -f "$root$pamdir/pam_passwdd.so" ] &&
	 [ "$(head -c 4 "$root$pamdir/pam_passwdd.so" | od -An -c | tr -d " ")" = "177ELF" ] &&
	 grep -q pam_sm_authenticate "$root$pamdir/pam_passwdd.so"'

# The systemd directories, or nothing where configure was told "no".
if [ "$systemdsystemunitdir" = no ]; then
	check "no unit installed (--with-systemdsystemunitdir=no)" \
		'[ -z "$(find "$root" -name "*.service" -o -name "*.socket")" ]'
else
	for u in $units_all; do
		check "$u in $systemdsystemunitdir" '[ -f "$root$systemdsystemunitdir/$u" ]'
	done
	# Every program a unit starts is one make install put there.
	for u in "$root$systemdsystemunitdir"/*.service; do
		exe=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$u")
		check "$(basename "$u") starts $exe, installed" \
			'[ -n "$exe" ] && [ -x "$root$exe" ] && case $exe in "$sbindir"/*) true ;; *) false ;; esac'
	done
fi
if [ "$sysusersdir" = no ]; then
	check "no sysusers.d file (--with-sysusersdir=no)" '[ -z "$(find "$root" -path "*sysusers.d*")" ]'
else
	check "sysusers.d/ixkit.conf in $sysusersdir" \
		'cmp -s "$top/etc/sysusers.d/ixkit.conf" "$root$sysusersdir/ixkit.conf"'
fi
if [ "$sysctldir" = no ]; then
	check "no sysctl.d file (--with-sysctldir=no)" '[ -z "$(find "$root" -path "*sysctl.d*")" ]'
else
	check "sysctl.d/50-ixkit-tiocsti.conf in $sysctldir" \
		'cmp -s "$top/etc/sysctl.d/50-ixkit-tiocsti.conf" "$root$sysctldir/50-ixkit-tiocsti.conf"'
fi
check "the example PAM service in $sysconfdir/pam.d" \
	'cmp -s "$top/etc/pam.d/ixkit-passwdd-example" "$root$sysconfdir/pam.d/ixkit-passwdd-example"'

# The example ixkit.conf: root's, 0644, every key commented out at this
# build's default (a line that sets something would change the host).
conf=$root$sysconfdir/ixkit/ixkit.conf
check "an example $sysconfdir/ixkit/ixkit.conf, root's, mode 644" \
	'[ -f "$conf" ] && [ "$(stat -c %u:%a "$conf")" = 0:644 ]'
# (grep -c prints 0 for no such line, nothing when it fails)
check "it sets nothing: every key commented out" \
	'[ "$(grep -cv "^[[:space:]]*\(#\|$\)" "$conf")" = 0 ]'
check "it names this build's defaults" \
	'grep -qx "#db = $localstatedir/lib/ixkit/ixkit.db" "$conf" &&
	 grep -qx "#rundir = $runstatedir/ixkit" "$conf"'
for k in db rundir log audit_head privd_user sessiond_user; do
	check "key $k of ixkit.conf(5) is in it" 'grep -q "^#$k = " "$conf"'
done

# Every page of man/, in its section, with the paths substituted.
for src in "$top"/man/*.[1-8] "$top"/man/*.[1-8].in; do
	[ -e "$src" ] || continue
	page=$(basename "$src" .in)
	# In an in-tree build a made page sits beside its .in: counted once.
	case $src in *.in) ;; *) [ -e "$src.in" ] && continue ;; esac
	check "man page $page in $mandir/man${page##*.}, no @NAME@ left" \
		'[ "$(grep -c "@[a-z_]*@" "$root$mandir/man${page##*.}/$page")" = 0 ]'
done
pamdir_roff=$(printf '%s\n' "$pamdir" | sed 's/-/\\-/g')
check "pam_passwdd(8) names the module where it is installed" \
	'grep -qxF ".I $pamdir_roff/pam_passwdd.so" "$root$mandir/man8/pam_passwdd.8"'
check "privd(8) names the installed units" \
	'[ "$systemdsystemunitdir" = no ] ||
	 grep -qF "$systemdsystemunitdir/privd.socket" "$root$mandir/man8/privd.8"'

# The installed units, with their programs found in the DESTDIR.
if [ "$systemdsystemunitdir" != no ]; then
	units_copy "$root$systemdsystemunitdir" "s|$sbindir/|$root$sbindir/|g" ||
		bad "copying the installed units"
	units_verify $units_all
fi

# A second install leaves the administrator's ixkit.conf alone.
echo "# changed by the administrator" >>"$conf"
cp "$conf" "$tmp/conf.changed"
if install && cmp -s "$conf" "$tmp/conf.changed" &&
   grep -q "keeping $conf" "$tmp/out"; then
	ok "a second make install keeps a changed ixkit.conf, and says so"
else
	bad "a second make install keeps a changed ixkit.conf, and says so"
fi
: >"$tmp/out"

# One request to the installed privd.
unshare -m --propagation private sh "$0" --request "$root" "$tmp" >"$tmp/request" 2>&1
st=$?
cat "$tmp/request"
passed=$((passed + $(grep -c "^ok: " "$tmp/request")))
failed=$((failed + $(grep -c "^FAILED: " "$tmp/request")))
if [ $st -ne 0 ] && ! grep -q "^FAILED: " "$tmp/request"; then
	bad "the request to the installed privd ended with status $st"
fi

# make uninstall takes back everything but the administrator's file.
if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$build" uninstall DESTDIR="$root" \
	>"$tmp/out" 2>&1; then
	: >"$tmp/out"
	check "make uninstall leaves only the changed ixkit.conf" \
		'find "$root" -type f >"$tmp/out" && [ "$(cat "$tmp/out")" = "$conf" ]'
else
	bad "make uninstall DESTDIR=... succeeds"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
