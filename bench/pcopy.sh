#!/bin/sh
# bench-pcopy (make bench-pcopy): pcopy against `cp --preserve=all` and
# `install -p`, side by side in one interleaved run (each round runs the
# three in a rotating order, so that whatever else loads the machine
# loads them alike): one large file (default 1 GiB), and many small files
# (default 10,000 of 4 KiB), each copied by its own invocation of the tool,
# as an install script copies file by file. Prints the median time per
# tool and size, pcopy's throughput on the large file as a ratio of cp's,
# and the per-file cost on small files.
# Options: --rounds R (large file, default 5), --small-rounds R (default 3),
# --large-mib N (default 1024), --small N (default 10000), --dir DIR (where
# the files are made, default a directory under /var/tmp: the filesystem
# decides whether copy_file_range can reflink). Needs pcopy built.
set -u
top=${IXKIT_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
build=${IXKIT_BUILDDIR:-$top}
pcopy=$build/pcopy/pcopy
rounds=5 srounds=3 mib=1024 nsmall=10000 base=/var/tmp
while [ $# -gt 0 ]; do
	case $1 in
	--rounds) rounds=$2; shift 2 ;;
	--small-rounds) srounds=$2; shift 2 ;;
	--large-mib) mib=$2; shift 2 ;;
	--small) nsmall=$2; shift 2 ;;
	--dir) base=$2; shift 2 ;;
	*) echo "usage: bench-pcopy [--rounds R] [--small-rounds R] [--large-mib N] [--small N] [--dir DIR]" >&2
	   exit 2 ;;
	esac
done
[ -x "$pcopy" ] || { echo "bench-pcopy: $pcopy not built" >&2; exit 2; }
d=$(mktemp -d "$base/ixkit-bench-pcopy.XXXXXX") || exit 2
trap 'rm -rf "$d"' EXIT INT TERM

now() { date +%s%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
tool() {	# tool NAME SRC DST: one copy
	case $1 in
	pcopy) "$pcopy" "$2" "$3" >/dev/null ;;
	cp) cp --preserve=all "$2" "$3" ;;
	install) install -p "$2" "$3" ;;
	esac
}
order() {	# order ROUND: the three tools, rotated by the round
	case $(($1 % 3)) in
	0) echo "pcopy cp install" ;;
	1) echo "cp install pcopy" ;;
	2) echo "install pcopy cp" ;;
	esac
}

echo "bench-pcopy: files in $d ($(stat -f -c %T "$d")), $(nproc) cores"
head -c $((mib * 1024 * 1024)) /dev/urandom > "$d/large" || exit 2
mkdir "$d/small" "$d/out" || exit 2
i=0
while [ $i -lt "$nsmall" ]; do
	head -c 4096 /dev/urandom > "$d/small/f$i"
	i=$((i + 1))
done
sync

r=0
while [ $r -lt "$rounds" ]; do
	for t in $(order $r); do
		rm -f "$d/out/large"
		sync
		t0=$(now)
		tool "$t" "$d/large" "$d/out/large" || { echo "bench-pcopy: $t failed" >&2; exit 1; }
		t1=$(now)
		echo $((t1 - t0)) >> "$d/large.$t"
	done
	r=$((r + 1))
done
rm -f "$d/out/large"

r=0
while [ $r -lt "$srounds" ]; do
	for t in $(order $r); do
		rm -rf "$d/out/s" && mkdir "$d/out/s"
		t0=$(now)
		i=0
		while [ $i -lt "$nsmall" ]; do
			tool "$t" "$d/small/f$i" "$d/out/s/f$i" || { echo "bench-pcopy: $t failed" >&2; exit 1; }
			i=$((i + 1))
		done
		t1=$(now)
		echo $((t1 - t0)) >> "$d/small.$t"
	done
	r=$((r + 1))
done

echo "large file: $mib MiB, $rounds interleaved rounds, median"
for t in pcopy cp install; do
	m=$(median < "$d/large.$t")
	awk -v t="$t" -v m="$m" -v mib="$mib" 'BEGIN { printf "  %-8s %8.3f s  %8.1f MiB/s\n", t, m / 1e9, mib / (m / 1e9) }'
done
awk -v p="$(median < "$d/large.pcopy")" -v c="$(median < "$d/large.cp")" \
	'BEGIN { printf "  pcopy throughput / cp throughput = %.2f\n", c / p }'
echo "small files: $nsmall of 4 KiB, one invocation each, $srounds interleaved rounds, median"
for t in pcopy cp install; do
	m=$(median < "$d/small.$t")
	awk -v t="$t" -v m="$m" -v n="$nsmall" 'BEGIN { printf "  %-8s %8.3f s  %8.1f us/file\n", t, m / 1e9, m / 1e3 / n }'
done
awk -v p="$(median < "$d/small.pcopy")" -v c="$(median < "$d/small.cp")" \
	'BEGIN { printf "  pcopy time / cp time per file = %.2f\n", p / c }'
