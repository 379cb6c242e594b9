#!/bin/sh
# The audit head file and the witness against someone with write access to
# the database (issue 13, hole 6), with real SQLite files and the real
# privtree: drop the append-only triggers with sqlite3, delete the last
# rows or every row, empty or remove the head file, or rewrite database and
# head file consistently; verify must name the damage and exit 1, and
# --witness must catch the consistent rewrite. A crash's lag stays sound
# and the next write repairs it.
# Needs the sqlite3 command-line tool (scripts/install-deps installs it).
# Ends with "N passed, M failed"; exits 1 if any check failed.
set -u
top=${IXKIT_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${IXKIT_BUILDDIR:-$top}
privtree=$build/privtree/privtree
if [ ! -x "$privtree" ]; then
	echo "audit_head.sh: $privtree not built" >&2
	exit 99
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "audit_head.sh: sqlite3 command-line tool missing (scripts/install-deps installs it)" >&2
	exit 99
fi
tmp=$(mktemp -d /tmp/ixkit-audit-head-XXXXXX) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
db=$tmp/ixkit.db
head=$db.head
witness=$tmp/witness.log

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAILED: $1"; sed 's/^/  | /' "$tmp/out" "$tmp/err"; }

# privtree on the private database, witnessing to a file (no /dev/log in CI).
pt() {
	IXKIT_AUDIT_WITNESS=$witness "$privtree" --config /dev/null --db "$db" \
		--audit-head "$head" --log "$tmp/privtree.log" "$@" >"$tmp/out" 2>"$tmp/err"
}

. "$(dirname "$0")/pt_expect.sh"

# A fresh database with five audit records (five imports) and its head.
fresh() {
	rm -f "$db" "$db"-wal "$db"-shm "$head" "$witness"
	pt init && for i in 1 2 3 4 5; do pt import "$top/etc/demo.policy" || return 1; done
}
sq() { sqlite3 "$db" "DROP TRIGGER IF EXISTS audit_no_delete; $1"; }
records() { sqlite3 "$db" 'SELECT count(*) FROM audit'; }

fresh || { echo "audit_head.sh: cannot set up the database" >&2; exit 99; }
expect "verify on a sound chain: both sides, same count and digest" 0 \
	--has "audit: chain: 5 records, last digest " --has "audit: head: 5 records, last digest " \
	--has "chain sound" -- verify
c=$(sed -n 's/^audit: chain: 5 records, last digest \([0-9a-f]*\);.*/\1/p' "$tmp/out")
h=$(sed -n 's/^audit: head: 5 records, last digest \([0-9a-f]*\) .*/\1/p' "$tmp/out")
if [ -n "$c" ] && [ "$c" = "$h" ]; then ok "chain and head name the same last digest"; else bad "chain and head name the same last digest"; fi

# ---- the attacks of hole 6 ----
fresh
sq "DELETE FROM audit WHERE seq >= 4;"
: >"$head"
expect "last rows deleted, head file emptied: damage" 1 --has "BROKEN" -- verify

fresh
sq "DELETE FROM audit WHERE seq >= 4; UPDATE meta SET value = '3' WHERE key = 'audit_records';"
: >"$head"
expect "last rows deleted, count in meta edited, head emptied: damage" 1 \
	--has "BROKEN" --has "was emptied" -- verify

fresh
sq "DELETE FROM audit;"
: >"$head"
expect "every row deleted, head file emptied: damage" 1 --has "BROKEN" -- verify

fresh
sq "DELETE FROM audit;"
rm -f "$head"
expect "every row deleted, head file removed: damage" 1 --has "BROKEN" -- verify

fresh
sq "DELETE FROM audit WHERE seq >= 4;"
rm -f "$head"
expect "last rows deleted, head file removed: damage" 1 --has "BROKEN" --has "is missing" -- verify

fresh
sq "DELETE FROM audit WHERE seq >= 4;"
expect "last rows deleted, head file kept: truncation" 1 --has "truncated" -- verify

fresh
rm -f "$head"
pt import "$top/etc/demo.policy"
if [ ! -e "$head" ]; then ok "a removed head file is not recreated by the next write"; else : >"$tmp/err"; bad "a removed head file is not recreated by the next write"; fi
expect "...and verify still says so" 1 --has "is missing" -- verify

# ---- the witness ----
fresh
expect "verify witnesses the sound head" 0 -- verify
if grep -q "ixkit-audit\[[0-9]*\]: audit head seq=5 digest=$c" "$witness" 2>/dev/null ||
   grep -q "audit head seq=5 digest=[0-9a-f]\{64\} id=[0-9a-f]\{32\} db=$db\$" "$witness" 2>/dev/null; then
	ok "the witness line names seq, digest, id and the database"
else
	cp "$witness" "$tmp/out" 2>/dev/null; : >"$tmp/err"; bad "the witness line names seq, digest, id and the database"
fi
expect "verify --witness FILE on the untouched chain" 0 \
	--has "witness: " --has "all in the chain" -- verify --witness "$witness"
# An attacker who rewrites the database and the head file consistently:
# drop the last two records, cut the head to match, fix the count.
sq "DELETE FROM audit WHERE seq >= 4; UPDATE meta SET value = '3' WHERE key = 'audit_records';"
head -n 4 "$head" >"$tmp/h" && cat "$tmp/h" >"$head"
expect "a consistent rewrite passes the local checks (the documented limit)" 0 -- verify
expect "...but not the witness: truncation named" 1 \
	--has "witness: BROKEN" --has "record 5" --has "truncated" -- verify --witness "$witness"

fresh
printf 'Nov 23 18:20:00 host ixkit-audit[1]: audit head seq=2 digest=%064d id=%032d db=%s\n' 0 0 "$db" >"$witness"
expect "a witnessed head that differs from the chain: damage" 1 --has "witness: BROKEN" -- \
	verify --witness "$witness"

rm -f "$db" "$db"-wal "$db"-shm "$head" "$witness"
IXKIT_AUDIT_WITNESS_EVERY=2 pt init
for i in 1 2 3 4 5; do IXKIT_AUDIT_WITNESS_EVERY=2 pt import "$top/etc/demo.policy"; done
if [ "$(grep -c 'audit head seq=[24] ' "$witness" 2>/dev/null)" = 2 ] &&
   ! grep -q 'audit head seq=[135] ' "$witness"; then
	ok "every N-th record is witnessed (audit_witness_every=2)"
else
	cp "$witness" "$tmp/out" 2>/dev/null; : >"$tmp/err"; bad "every N-th record is witnessed (audit_witness_every=2)"
fi

if ! command -v journalctl >/dev/null 2>&1; then
	expect "--witness journal without journalctl: a clear error" 3 \
		--has "journalctl could not run" -- verify --witness journal
fi

# ---- a crash's lag is not damage, and the next write repairs it ----
fresh
head -n 5 "$head" >"$tmp/h" && cat "$tmp/h" >"$head"
expect "head one record behind (a crash): sound, lag named" 0 \
	--has "1 newer records not yet in the head file" -- verify
pt import "$top/etc/demo.policy"
expect "the next write appended the missing line" 0 --has "head: 6 records" -- verify
if [ "$(records)" = 6 ]; then ok "six records"; else bad "six records"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
