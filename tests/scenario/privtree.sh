#!/bin/sh
# privtree as an administrator types it, on a private database: init,
# import the demo policy, export/import round trip, decisions and their
# exit codes (0 granted, 1 refused, 2 usage or parse error), delegated
# edits, verify; then someone with write access to the database file
# tampers with an audit record and with the tree, and verify says so.
# Needs the sqlite3 command-line tool (scripts/install-deps installs it).
# Ends with "N passed, M failed"; exits 1 if any check failed.
set -u
top=${IXKIT_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${IXKIT_BUILDDIR:-$top}
privtree=$build/privtree/privtree
if [ ! -x "$privtree" ]; then
	echo "privtree.sh: $privtree not built" >&2
	exit 99
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "privtree.sh: sqlite3 command-line tool missing (scripts/install-deps installs it)" >&2
	exit 99
fi
tmp=$(mktemp -d /tmp/ixkit-privtree-XXXXXX) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
db=$tmp/ixkit.db

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok: $1"; }
bad() { failed=$((failed + 1)); echo "FAILED: $1"; sed 's/^/  | /' "$tmp/out" "$tmp/err"; }

pt() {	# privtree on the private database; output in $tmp/out, $tmp/err
	"$privtree" --config /dev/null --db "$db" --audit-head "$db.head" \
		--log "$tmp/privtree.log" "$@" >"$tmp/out" 2>"$tmp/err"
}

. "$(dirname "$0")/pt_expect.sh"

audit_count() { sqlite3 "$db" 'SELECT count(*) FROM audit'; }

# ---- the configuration in effect, and where each value comes from ----
expect "config: flags, and the file given as /dev/null" 0 \
	--has "config /dev/null # flag, no file" --has "db $db # flag" \
	--has "audit_head $db.head # flag" --has "log $tmp/privtree.log # flag" \
	--has "policy_interpreters - # default" -- config
printf 'rundir = %s/run-from-file\npolicy_interpreters = myrunner, ruby3.1\n' "$tmp" >"$tmp/conf"
env -u IXKIT_RUNDIR -u IXKIT_LOG -u IXKIT_AUDIT_HEAD -u IXKIT_POLICY_INTERPRETERS \
	IXKIT_CONFIG=$tmp/conf IXKIT_DB=$tmp/env.db \
	"$privtree" config >"$tmp/out" 2>"$tmp/err"
st=$?
if [ $st = 0 ] && grep -qx "config $tmp/conf # environment" "$tmp/out" &&
   grep -qx "rundir $tmp/run-from-file # file" "$tmp/out" &&
   grep -qx "policy_interpreters myrunner,ruby3.1 # file" "$tmp/out" &&
   grep -qx "db $tmp/env.db # environment" "$tmp/out" &&
   grep -qx "audit_head $tmp/env.db-audit.head # default" "$tmp/out"; then
	ok "config: file and environment, each value's source named"
else
	bad "config: file and environment, each value's source named"
fi
printf 'policy_interpreters = ruby /usr/bin/ruby\n' >"$tmp/conf"
env IXKIT_CONFIG=$tmp/conf "$privtree" config >"$tmp/out" 2>"$tmp/err"
st=$?
if [ $st = 2 ] && grep -qF "conf:1:23: policy_interpreters: '/usr/bin/ruby' is not a program name" "$tmp/err"; then
	ok "config: a path in policy_interpreters is a configuration error (2) naming it"
else
	bad "config: a path in policy_interpreters is a configuration error (2) naming it"
fi

# ---- setting up ----
expect "init creates the database" 0 --has "ready (schema 6)" -- init
expect "init again keeps it" 0 -- init
expect "import the demo policy" 0 --has "10 nodes, 10 rules" -- import "$top/etc/demo.policy"

pt export && cp "$tmp/out" "$tmp/export1"
expect "import the exported text" 0 -- import "$tmp/export1"
pt export && cp "$tmp/out" "$tmp/export2"
if [ -s "$tmp/export1" ] && cmp -s "$tmp/export1" "$tmp/export2"; then
	ok "export -> import -> export is a fixed point"
else
	: >"$tmp/out"; diff "$tmp/export1" "$tmp/export2" >"$tmp/err"
	bad "export -> import -> export is a fixed point"
fi
expect "import from standard input" 0 -- import - <"$tmp/export1"

# ---- decisions ----
expect "ches from a pty with his password: granted" 0 \
	--has "GRANTED: tcpgateway" \
	--has "password of ches would be asked: assumed verified" \
	--lacks "password of alice" \
	-- check --user ches --src /dev/pts/3 --password-ok ches tcpgateway
expect "ches from a pty without his password: refused" 1 \
	--has "REFUSED: tcpgateway" \
	--has "password of ches would be asked: assumed NOT verified" \
	-- check --user ches --src /dev/pts/3 tcpgateway
expect "anyone at the console: granted, no password" 0 \
	--has "GRANTED" --has "/admin/networks/internet" --lacks "password of" \
	-- check --user zed --src /dev/console tcpgateway
expect "pat downgrades projectbit" 0 \
	--has "GRANTED: downgrade projectbit report" --has "/projects/projectbit" \
	--lacks "password of" \
	-- check --user pat --src /dev/pts/4 downgrade projectbit report
expect "pat cannot downgrade otherbit" 1 \
	--has "REFUSED" --has "needs downgrade(otherbit)" --has "granted downgrade(projectbit)" \
	-- check --user pat --src /dev/pts/4 downgrade otherbit report
expect "edit / stops at alice's failed password" 1 \
	--has "password of alice would be asked: assumed NOT verified" \
	--lacks "password of bob" \
	-- check --user alice --src /dev/pts/1 --password-ok bob edit /
expect "edit / with alice and bob: granted, and confirmed (ALL does not imply unattended)" 0 \
	--has "password of alice would be asked" --has "password of bob would be asked" \
	--has "shown to the user for confirmation" --lacks "unattended" \
	-- check --user alice --src /dev/pts/1 --password-ok alice --password-ok bob edit /
expect "no rule matches" 1 --has "no rule matches 'rm -rf /'" \
	-- check --user alice --src /dev/console rm -rf /
expect "service account runs unattended" 0 --has "unattended" \
	-- check --user svc-backup --src pipe backup
expect "console gateway is confirmed, not unattended" 0 \
	--has "shown to the user for confirmation" --lacks "unattended" \
	-- check --user ches --src /dev/console tcpgateway

# ---- usage and parse errors ----
expect "check without --user" 2 -- check tcpgateway
expect "check without a request" 2 -- check --user ches
expect "check with an unknown option" 2 -- check --bogus --user ches tcpgateway
expect "unknown command" 2 -- frobnicate
expect "no command" 2 --
expect "edit with too few operands" 2 -- edit add /projects/x ANY
printf 'ixkit-policy 1\nright netoper plane\n' >"$tmp/bad.policy"
expect "import of a policy with a syntax error" 2 \
	--has "bad.policy:2:15: unknown kind" -- import "$tmp/bad.policy"
sed 's/^\trights netoper$/\trights netoper | backup/' "$top/etc/demo.policy" >"$tmp/mono.policy"
expect "import of a policy that breaks monotonicity" 2 \
	--has "mono.policy:" --has "node /admin/networks/internet " \
	--has "/admin/networks " -- import "$tmp/mono.policy"
expect "import of a missing file" 3 -- import "$tmp/nonexistent.policy"
pt export
if cmp -s "$tmp/out" "$tmp/export1"; then
	ok "failed imports left the policy as it was"
else
	bad "failed imports left the policy as it was"
fi

# ---- delegated edits ----
n=$(audit_count)
expect "pat delegates below his node" 0 --has "done" \
	-- edit --editor pat --editor-src /dev/pts/4 \
	add /projects/projectbit/alice 'ID(alice)' 'downgrade(projectbit)'
if [ "$(audit_count)" -eq $((n + 1)) ]; then
	ok "an accepted edit adds one audit record"
else
	bad "an accepted edit adds one audit record"
fi
pt export && cp "$tmp/out" "$tmp/before"
n=$(audit_count)
expect "pat cannot give downgrade(otherbit)" 1 \
	--has "edit refused" --has "/projects/projectbit/x" \
	-- edit --editor pat --editor-src /dev/pts/4 \
	add /projects/projectbit/x 'ID(x)' 'downgrade(otherbit)'
expect "pat cannot raise his own node" 1 --has "/projects/projectbit" \
	-- edit --editor pat --editor-src /dev/pts/4 \
	rights /projects/projectbit 'downgrade(projectbit,otherbit)'
expect "bob cannot raise projectbit beyond his rights" 1 --has "/projects/projectbit" \
	-- edit --editor bob --editor-src /dev/pts/4 --editor-password bob \
	rights /projects/projectbit 'downgrade(projectbit) | netoper'
expect "the owner cannot raise a node above its parent" 1 \
	--has "node /projects/projectbit " --has "node /projects " \
	-- edit rights /projects/projectbit 'downgrade(projectbit) | netoper'
expect "an edit with a bad predicate is a parse error" 2 --has "predicate" \
	-- edit add /projects/y 'ID(' NONE
pt export
if cmp -s "$tmp/out" "$tmp/before" && [ "$(audit_count)" -eq "$n" ]; then
	ok "refused edits changed neither the tree nor the audit chain"
else
	bad "refused edits changed neither the tree nor the audit chain"
fi
expect "bob narrows projectbit" 0 \
	-- edit --editor bob --editor-src /dev/pts/4 --editor-password bob \
	rights /projects/projectbit 'downgrade(projectbit) | edit(/projects/projectbit/.+)'
expect "verify: sound" 0 --has "chain sound" --has "every node's rights are dominated" \
	-- verify
expect "dot draws the tree" 0 --has "digraph" --has "/projects/projectbit/alice" -- dot

# ---- tampering by someone who can write the database file ----
cp "$db" "$tmp/clean.db"
sqlite3 "$db" "DROP TRIGGER audit_no_update;
	UPDATE audit SET text = text || ' (nothing happened)' WHERE seq = 2;"
expect "verify finds a changed audit record" 1 --has "BROKEN" --has "record 2" -- verify

cp "$tmp/clean.db" "$db"
rm -f "$db-wal" "$db-shm"
sqlite3 "$db" "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit);"
expect "verify finds a deleted audit record" 1 --has "BROKEN" -- verify

cp "$tmp/clean.db" "$db"
rm -f "$db-wal" "$db-shm"
sqlite3 "$db" "UPDATE nodes SET rights = 'netadmin | netoper | backup' WHERE path = '/admin/networks';"
expect "verify finds a monotonicity violation written into the nodes table" 1 \
	--has "VIOLATION" --has "node /admin/networks " --has "parent /admin " \
	-- verify
# The database is inconsistent, not the administrator's command: exit 3.
expect "check refuses to decide on an inconsistent stored tree" 3 \
	--has "node /admin/networks " --lacks "GRANTED" \
	-- check --user ches --src /dev/console tcpgateway

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
