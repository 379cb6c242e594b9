#!/bin/sh
# bench-priv (make bench-priv): priv with an unattended rule running
# /usr/bin/true, `sudo -n /usr/bin/true` (NOPASSWD), `doas -n /usr/bin/true`
# (nopass) and bare /usr/bin/true, each started as the same throwaway
# user, side by side in one run (bench/priv.c: round-robin), at 1 rule and
# at 10,000 rules. At 10,000 each tool has the same one matching rule and
# 9,999 rules for other users and commands: 10,000 nodes and 10,000 rules
# in privd's policy, 10,000 lines in sudoers, 10,000 rules in doas.conf.
# Then the cost of one durable audit record alone (bench-priv audit), and
# privtree verify over the chain the runs appended to.
#
# Never touches the host: runs itself in private mount and pid namespaces
# with an overlay on /etc (users, sudoers, doas.conf land in its upper
# directory and vanish with it) and a tmpfs on /run; privd runs on a
# private database and run directory. Needs root, sudo, doas (opendoas),
# useradd, unshare. Options: --rounds R (default 200), --budget S (seconds
# per tool and size, default 20), --sizes "1 10000", --keep (leave the
# temporary directory, with privd's logs, for profiling), --ref
# [LABEL=]BUILDDIR, up to three times (also the privd and priv of another
# build, on their own database and run directory, as the row LABEL,
# default priv-ref: a before/after comparison in the same interleaved
# run, fair under whatever else loads the machine; paths without spaces).
set -u
top=${IXKIT_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
build=${IXKIT_BUILDDIR:-$top}
bench=$build/bench/bench-priv
privd=$build/privd/privd
priv=$build/privd/priv
privtree=$build/privtree/privtree
for b in "$bench" "$privd" "$priv" "$privtree"; do
	[ -x "$b" ] || { echo "bench-priv: $b not built" >&2; exit 2; }
done
if [ "$(id -u)" -ne 0 ]; then
	echo "bench-priv: must run as root (it starts privd and changes users)" >&2
	exit 2
fi
for t in sudo doas visudo useradd unshare; do
	command -v "$t" >/dev/null 2>&1 ||
		{ echo "bench-priv: $t missing (scripts/install-deps installs sudo and opendoas)" >&2; exit 2; }
done
rounds=200 budget=20 sizes="1 10000" keep= ref=
while [ $# -gt 0 ]; do
	case $1 in
	--rounds) rounds=$2; shift 2 ;;
	--budget) budget=$2; shift 2 ;;
	--sizes) sizes=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	--ref)
		case $2 in *=*) l=${2%%=*} d=${2#*=} ;; *) l=priv-ref d=$2 ;; esac
		d=$(cd "$d" && pwd) || exit 2
		ref="$ref $l=$d"
		shift 2 ;;
	*) echo "usage: priv.sh [--rounds R] [--budget S] [--sizes \"N...\"] [--keep] [--ref [LABEL=]BUILDDIR]..." >&2; exit 2 ;;
	esac
done
if [ "${BENCH_PRIV_INNER:-}" != 1 ]; then
	BENCH_PRIV_INNER=1 IXKIT_BUILDDIR=$build unshare --mount --pid --fork --mount-proc \
		--propagation private sh "$0" --rounds "$rounds" --budget "$budget" --sizes "$sizes" \
		${keep:+--keep} $(for r in $ref; do printf ' --ref %s' "$r"; done)
	exit $?
fi

tmp=$(mktemp -d /tmp/ixkit-bench-priv-XXXXXX) || exit 2
chmod 755 "$tmp"
run=/run/ixkit
user=ixbench
pid=
refpid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$refpid" ] && kill $refpid 2>/dev/null; umount /run 2>/dev/null; umount /etc 2>/dev/null; [ -n "$keep" ] || rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

mkdir -p "$tmp/etc-up" "$tmp/etc-work"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$tmp/etc-up,workdir=$tmp/etc-work" /etc || exit 2
mount -t tmpfs -o mode=755 tmpfs /run || exit 2
useradd -M -d /nonexistent -s /usr/sbin/nologin "$user" || exit 2
# ixkit's system users (privd's workers run as one of them).
for u in $(sed -n 's/^u \([a-z][-a-z0-9]*\) .*/\1/p' "$top/etc/sysusers.d/ixkit.conf"); do
	id "$u" >/dev/null 2>&1 || useradd --system -M -d / -s /usr/sbin/nologin "$u" || exit 2
done
cp /etc/sudoers "$tmp/sudoers.orig" || exit 2

# configure N: privd's policy in $tmp/policy-N, /etc/sudoers, /etc/doas.conf.
# Others are benchuK (no such user) asking for /usr/bin/cmdK; the one
# matching rule comes last (sudo and doas take the last match anyway).
configure() {
	n=$1
	others=$((n - 1))
	{
		printf 'ixkit-policy 1\nright backup plain\nright op plain\nright unattended plain\n'
		printf 'node /\n\tpredicate NONE\n\trights ALL\n'
		printf 'node /u\n\tpredicate NONE\n\trights op\n'
		seq 1 "$others" | awk '{ printf "node /u/benchu%05d\n\tpredicate ID(benchu%05d)\n\trights op\n", $1, $1 }'
		printf 'node /svc\n\tpredicate ID(%s)\n\trights backup | unattended\n' "$user"
		seq 1 "$others" | awk '{ printf "rule c%05d\n\ttemplate cmd%05d\n\tneed op\n\taction EXEC(/usr/bin/cmd%05d)\n", $1, $1, $1 }'
		printf 'rule backup\n\ttemplate backup\n\tneed backup\n\taction EXEC(/usr/bin/true)\n'
	} > "$tmp/policy-$n"
	{
		cat "$tmp/sudoers.orig"
		seq 1 "$others" | awk '{ printf "benchu%05d ALL=(root) NOPASSWD: /usr/bin/cmd%05d\n", $1, $1 }'
		printf '%s ALL=(root) NOPASSWD: /usr/bin/true\n' "$user"
	} > /etc/sudoers
	chmod 440 /etc/sudoers
	visudo -cq -f /etc/sudoers || { echo "bench-priv: visudo refuses the generated sudoers" >&2; exit 2; }
	{
		seq 1 "$others" | awk '{ printf "permit nopass benchu%05d as root cmd /usr/bin/cmd%05d\n", $1, $1 }'
		printf 'permit nopass %s as root cmd /usr/bin/true\n' "$user"
	} > /etc/doas.conf
	chmod 600 /etc/doas.conf
	doas -C /etc/doas.conf || { echo "bench-priv: doas -C refuses the generated doas.conf" >&2; exit 2; }
	printf '%s: %s lines in /etc/sudoers (%s ours), %s rules in /etc/doas.conf, ' "$n" \
		"$(wc -l < /etc/sudoers)" "$n" "$(wc -l < /etc/doas.conf)"
}

start_privd() {	# start_privd PRIVD DB RUNDIR LOG; sets started
	"$1" -f --config /dev/null --db "$2" --rundir "$3" --log "$4" &
	started=$!
	i=0
	while [ ! -S "$3/privd.sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	[ -S "$3/privd.sock" ] || { echo "bench-priv: $1 did not start" >&2; cat "$4" >&2; exit 2; }
}

stop_privd() {
	kill "$pid" $refpid
	wait "$pid" $refpid
	pid= refpid=
}

echo "bench-priv: $(nproc) CPUs, $(uname -r), /tmp on $(df -T "$tmp" | awk 'NR==2 { print $2 }'); $rounds rounds, budget ${budget}s per tool and size"
echo "sudo $(sudo -V | sed -n 's/^Sudo version //p'), doas $(dpkg-query -W -f='${Version}' opendoas 2>/dev/null)"
for n in $sizes; do
	configure "$n"
	db=$tmp/ixkit-$n.db
	"$privtree" --config /dev/null --db "$db" --log "$tmp/privtree.log" import "$tmp/policy-$n" \
		> /dev/null || exit 2
	start_privd "$privd" "$db" "$run" "$tmp/privd-$n.log"
	pid=$started
	sed -n 's/.* start .*\(nodes=[0-9]* rules=[0-9]*\).*/privd: \1/p' "$tmp/privd-$n.log"
	set --
	for r in $ref; do
		l=${r%%=*} d=${r#*=}
		# a reference build from before privtree had its own folder
		# (issue 12) has it in privd/
		pt=$d/privtree/privtree
		[ -x "$pt" ] || pt=$d/privd/privtree
		"$pt" --config /dev/null --db "$tmp/$l-$n.db" --log "$tmp/privtree.log" \
			import "$tmp/policy-$n" > /dev/null || exit 2
		start_privd "$d/privd/privd" "$tmp/$l-$n.db" "$run-$l" "$tmp/privd-$l-$n.log"
		refpid="$refpid $started"
		set -- "$@" "$l" "$d/privd/priv --socket $run-$l/privd.sock backup"
	done
	"$bench" run --user "$user" --size "$n" --rounds "$rounds" --budget "$budget" \
		bare /usr/bin/true \
		priv "$priv --socket $run/privd.sock backup" "$@" \
		sudo "/usr/bin/sudo -n /usr/bin/true" \
		doas "/usr/bin/doas -n /usr/bin/true" || exit 1
	stop_privd
	records=$(sqlite3 "$db" 'SELECT count(*) FROM audit')
	"$privtree" --config /dev/null --db "$db" --log "$tmp/privtree.log" verify > "$tmp/verify" 2>&1 ||
		{ echo "bench-priv: privtree verify fails after the run:" >&2; cat "$tmp/verify" >&2; exit 1; }
	echo "audit chain of size $n: $records records, privtree verify passes"
	echo
done
"$bench" audit --db "$tmp/ixkit-$n.db" --head "$tmp/ixkit-$n.db-audit.head" || exit 1
[ -n "$keep" ] && echo "kept $tmp"
exit 0
