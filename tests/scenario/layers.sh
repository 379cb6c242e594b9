#!/bin/sh
# The layers of the design (DESIGN.md §2, README's layout table), checked
# on the source tree so that they stay true:
#
#   1. a library includes headers of its own folder and of lower layers
#      only: never of a higher library, a program or the tests;
#   2. a program includes any library's headers, and of the other programs
#      only what ALLOWED below names;
#   3. a library's _LIBADD names libraries of its own folder and lower
#      layers only, and a program's _LDADD no other program's libraries
#      beyond ALLOWED (a make variable such as $(TERM_LIBS) counts as
#      the libraries it names);
#   4. README's layout table names every top-level folder, and only those.
#
# Layers, bottom up (a library may use those before it):
libs="libixutil liblattice libipc db libcompart libpcopy libterm libauthtree"
# Programs, each in its own folder (a program's client and daemon live
# together); they may use every library.
progs="privd privtree sessiond passwdd nosh pcopy compartd compartctl demo"
# Edges between programs: passwdd's client half (passwdd/libpwclient.la,
# client.h), through which privd and sessiond ask passwdd.
allowed="privd:passwdd/client.h sessiond:passwdd/client.h
privd:passwdd/libpwclient.la sessiond:passwdd/libpwclient.la"
#
# usage: layers.sh (IXKIT_SRCDIR names the source tree; default: this
# script's). Ends with "N passed, M failed"; exit 0 only when nothing
# failed.
set -u
top=${IXKIT_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAILED: $1"; }

# rank FOLDER: its layer (0 = libixutil), 100 for a program, 200 otherwise.
rank() {
	r=0
	for l in $libs; do
		[ "$l" = "$1" ] && { echo $r; return; }
		r=$((r + 1))
	done
	for p in $progs; do
		[ "$p" = "$1" ] && { echo 100; return; }
	done
	echo 200
}

# may FROM TARGET: whether folder FROM may use TARGET (a header or .la path,
# FOLDER/NAME).
may() {
	to=${2%%/*}
	[ "$to" = "$1" ] && return 0
	rf=$(rank "$1") rt=$(rank "$to")
	[ "$rt" -lt 100 ] && [ "$rt" -lt "$rf" ] && return 0
	if [ "$rf" -eq 100 ] && [ "$rt" -eq 100 ]; then
		printf '%s\n' $allowed | grep -qxF "$1:$2" && return 0
	fi
	return 1
}

for f in $libs $progs; do
	[ -d "$top/$f" ] || { bad "$f/ is missing from the source tree"; continue; }
	# 1, 2: every quoted include that names a folder.
	found=$(cd "$top" && grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"/]*/' \
		$(find "$f" -name '*.[ch]' | sort) /dev/null)
	n=0 wrong=
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		h=${line#*\"}
		h=${h%%\"*}
		n=$((n + 1))
		may "$f" "$h" || wrong="$wrong
  ${line%%:*}:$(echo "$line" | cut -d: -f2): includes $h"
	done <<EOF
$found
EOF
	if [ -z "$wrong" ]; then
		ok "$f/ includes only its own and lower layers' headers ($n project includes)"
	else
		bad "$f/ includes a header of a higher layer or another program:$wrong"
	fi

	# 3: the libraries each target of FOLDER/local.mk links.
	mk=$top/$f/local.mk
	[ -f "$mk" ] || { bad "$f/local.mk is missing"; continue; }
	links=$(cat "$top"/*/local.mk "$top"/tests/*/local.mk | awk -v folder="$f" '
		# join continued lines
		/\\$/ { sub(/\\$/, ""); held = held $0 " "; next }
		{ line = held $0; held = "" }
		# VAR = ... naming libraries: remembered for expansion
		match(line, /^[A-Z_]+[[:space:]]*\+?=/) {
			name = line; sub(/[[:space:]]*\+?=.*/, "", name)
			val = line; sub(/^[^=]*=/, "", val)
			vars[name] = vars[name] " " val
		}
		{ all[++n] = line }
		END {
			for (i = 1; i <= n; i++) {
				line = all[i]
				if (line !~ /^[A-Za-z0-9_]+_(LIBADD|LDADD)[[:space:]]*\+?=/) continue
				target = line; sub(/_(LIBADD|LDADD).*/, "", target)
				if (index(target, folder "_") != 1) continue
				val = line; sub(/^[^=]*=/, "", val)
				# expand $(VAR) twice (TERM_LIBS names $(COMPART_LIBS))
				for (pass = 0; pass < 2; pass++)
					while (match(val, /\$\([A-Z_]+\)/)) {
						v = substr(val, RSTART + 2, RLENGTH - 3)
						val = substr(val, 1, RSTART - 1) " " vars[v] " " \
							substr(val, RSTART + RLENGTH)
					}
				k = split(val, w, /[[:space:]]+/)
				for (j = 1; j <= k; j++)
					if (w[j] ~ /^[a-z0-9_]+\/[A-Za-z0-9_]+\.la$/)
						print target " " w[j]
			}
		}')
	n=0 wrong=
	while read -r target la; do
		[ -n "$la" ] || continue
		n=$((n + 1))
		may "$f" "$la" || wrong="$wrong
  $f/local.mk: ${target} links $la"
	done <<EOF
$links
EOF
	if [ -z "$wrong" ]; then
		ok "$f/ links only its own and lower layers' libraries ($n)"
	else
		bad "$f/ links a library of a higher layer or another program:$wrong"
	fi
done

# 4: README's layout table and the folders of the tree. Made folders
# (build-aux, autom4te.cache, a build directory) and hidden ones are not
# part of the layout.
table=$(sed -n '/^## Layout/,/^## /p' "$top/README.md" | sed -n 's/^| *\([^|]*\)|.*/\1/p' |
	grep -o '`[^`]*/`' | tr -d '`/' | sort -u)
tree=$(cd "$top" && for d in */; do
	d=${d%/}
	case $d in build-aux|autom4te.cache|_build|_*) continue ;; esac
	[ -f "$d/local.mk" ] || [ -n "$(find "$d" -type f ! -name '*.o' | head -n 1)" ] && echo "$d"
done | sort -u)
only_table= only_tree=
for d in $table; do printf '%s\n' "$tree" | grep -qxF "$d" || only_table="$only_table $d"; done
for d in $tree; do printf '%s\n' "$table" | grep -qxF "$d" || only_tree="$only_tree $d"; done
if [ -n "$table" ] && [ -z "$only_table$only_tree" ]; then
	ok "README's layout table names every top-level folder:" $tree
else
	bad "README's layout table and the tree differ: in the table only:${only_table:- none}; in the tree only:${only_tree:- none}"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
