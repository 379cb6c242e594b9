#!/bin/sh
# Issue 14 on tier 1, in the QEMU guest (vm-test.sh runs it while compartd
# is up; it reads compartctl's status from $1): a licensed file cannot be
# changed even once root, holding CAP_LINUX_IMMUTABLE, has cleared its
# immutable attribute, since the BPF LSM refuses every change to a file
# carrying the licence mark, to every task. What tier 2 alone gives (the
# attribute) is tested natively (tests/scenario/pcopy.sh).
# 1. pcopy copies a source carrying a dummy licence, and one carrying file
#    capabilities: each copy is sealed (immutable) and marked.
# 2. licpoke unseal clears the attribute (pc_licence_unseal, root); then
#    a write, an O_RDONLY|O_TRUNC open, truncate(2), chmod, chown, a rename
#    over it, a rename of it, a RENAME_EXCHANGE and an unlink are refused
#    with EPERM, and the file is unchanged.
# 3. The same calls on an unlicensed file in the same directory work.
# 4. A malformed mark (another value) refuses as the mark does: fail
#    closed.
# 5. Unlicensed the privileged side's way (licence removed, pc_licence_seal
#    again), the mark goes and the file can be changed and removed.
# Exit status: the number of failed checks; 77 when this kernel has no
# tier 1 licence guard (or a tool is missing), with a line saying why.
status=${1:?usage: vm-licence.sh COMPARTCTL-STATUS-FILE}
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "vm-licence: ok: $1"; }
bad() { failed=$((failed + 1)); echo "vm-licence: FAIL $1"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
skip() { echo "vm-licence: SKIP (not tested): $*"; exit 77; }

grep -Eq '^licensed files unchangeable +enforced ' "$status" ||
	skip "tier 1 does not guard licensed files on $(uname -r): $(grep '^licensed files' "$status")"
for t in pcopy licpoke; do
	command -v "$t" >/dev/null || skip "$t is not in the guest"
done

t=/tmp/licence
mark=security.bpf.ixkit.licensed
mkdir -m 755 "$t" && cd "$t" || exit 1
# poke OP FILE [OTHER]: licpoke's line into the log, its status returned
poke() { licpoke "$@" | tee -a "$t/pokes"; }
refused() { poke "$@" | grep -q ': EPERM (' ; }
worked() { poke "$@" | grep -q ': ok$'; }
# every change to FILE refused with EPERM (OTHER, a plain file, is
# renamed over it and exchanged with it)
all_refused() {
	n=0
	for op in write rdtrunc truncate chmod chown unlink; do
		refused "$op" "$1" && n=$((n + 1))
	done
	refused rename-over "$1" "$2" && n=$((n + 1))
	refused rename-away "$1" "$1.moved" && n=$((n + 1))
	refused exchange "$1" "$2" && n=$((n + 1))
	[ "$n" = 9 ] && [ -e "$2" ] && [ ! -e "$1.moved" ]
}
shown() { pcopy --show "$1" | grep -qx "  $2"; }
# kept FILE MODE: FILE's content (FILE.was), mode, licence and mark as
# they were
kept() {
	cmp -s "$1" "$1.was" && [ "$(stat -c %a "$1")" = "$2" ] &&
		shown "$1" "licence mark (tier 1): yes" || return 1
	case $1 in
	lic-caps) shown "$1" "capabilities: net_raw (permitted, effective)" ;;
	*) pcopy --show "$1" | grep -q "^  dummy licence sysadmin: .*, bound to this content$" ;;
	esac
}

# 1. Two licensed sources, copied into place by pcopy.
printf 'licensed program\n' >src-dummy
hash=$(pcopy --show src-dummy | sed -n 's/^  content: //p')
licpoke setx src-dummy security.ixkit.dummy.sysadmin "$hash" >/dev/null || exit 1
printf 'capable program\n' >src-caps
licpoke setcap src-caps >/dev/null || exit 1
pcopy src-dummy lic-dummy >/dev/null && pcopy src-caps lic-caps >/dev/null || exit 1
for f in lic-dummy lic-caps; do
	check "pcopy seals the licensed copy $f: immutable and carrying $mark" \
		'shown $f "sealed (immutable): yes" && shown $f "licence mark (tier 1): yes"'
done

# 2. Root clears the attribute; the kernel still refuses every change.
printf 'plain\n' >other
for f in lic-dummy lic-caps; do
	cp "$f" "$f.was"
	mode=$(stat -c %a "$f")
	check "root (CAP_LINUX_IMMUTABLE) clears the immutable attribute of $f" \
		'worked unseal $f && shown $f "sealed (immutable): no"'
	check "$f, not immutable but marked: write, O_TRUNC, truncate, chmod, chown, rename over, rename away, exchange and unlink all refused with EPERM" \
		'all_refused $f other'
	check "... $f is unchanged: content, mode, licence and mark" 'kept $f $mode'
done

# 3. An unlicensed file next to them.
printf 'plain file\n' >plain
printf 'another\n' >other2
check "an unlicensed file in the same directory: write, O_TRUNC, truncate, chmod and chown work" \
	'worked write plain && worked rdtrunc plain && worked truncate plain && worked chmod plain &&
	 worked chown plain'
check "... as do exchange, rename away, rename over and unlink" \
	'worked exchange plain other2 && worked rename-away plain plain.moved &&
	 worked rename-over plain.moved other2 && worked unlink plain.moved && [ ! -e other2 ]'

# 4. A mark that pc_licence_seal never writes is still a mark.
printf 'odd\n' >odd
licpoke setx odd "$mark" "not-the-value" >/dev/null || exit 1
printf 'another\n' >other3
check "a malformed mark (another value) refuses every change too (fail closed)" 'all_refused odd other3'
check "... root with CAP_SYS_ADMIN removes it, then the file can be changed" \
	'worked rmx odd $mark && worked write odd && worked unlink odd'

# 5. The licence removed as privd removes it: unsealed, licence gone,
# sealed again, which removes the mark.
check "lic-dummy unlicensed the privileged side's way: the mark goes" \
	'worked rmx lic-dummy security.ixkit.dummy.sysadmin && worked seal lic-dummy &&
	 shown lic-dummy "licence mark (tier 1): no" && shown lic-dummy "sealed (immutable): no"'
check "... and the file can be written and removed" 'worked write lic-dummy && worked unlink lic-dummy'

if [ "$failed" != 0 ]; then
	sed 's/^/vm-licence: | /' "$t/pokes"
fi
echo "vm-licence: $passed passed, $failed failed"
exit "$failed"
