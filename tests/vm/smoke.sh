#!/bin/sh
# Guest smoke test (the default VM_TEST_SCRIPT of make check-vm): checks
# that the guest offers what the compartment kernel's tier 1 relies on.
# Runs as /test.sh under tests/vm/init; needs xattr-probe, landlock-abi,
# lsm-probe and lsm-probe.bpf.o in /bin.
# Every check runs; the exit status is the number of failed checks.
failed=0
check() {	# DESCRIPTION COMMAND...
	what=$1
	shift
	if "$@"; then
		echo "smoke: ok   $what"
	else
		echo "smoke: FAIL $what"
		failed=$((failed + 1))
	fi
}
fstype() {	# DIR TYPE: DIR is a mount point of TYPE
	awk -v d="$1" -v t="$2" '$2 == d && $3 == t { found = 1 } END { exit !found }' /proc/mounts
}
in_lsm_list() {	# NAME
	tr ',' '\n' </sys/kernel/security/lsm | grep -qx "$1"
}

check "cgroup2 mounted on /sys/fs/cgroup" fstype /sys/fs/cgroup cgroup2
check "bpffs mounted on /sys/fs/bpf" fstype /sys/fs/bpf bpf
check "tmpfs on /tmp" fstype /tmp tmpfs
check "/sys/kernel/btf/vmlinux present" test -s /sys/kernel/btf/vmlinux
check "bpf in the active LSM list" in_lsm_list bpf
check "landlock in the active LSM list" in_lsm_list landlock

echo data >/tmp/labelled
check "root sets and reads security.bpf.ixkit on tmpfs" \
	xattr-probe /tmp/labelled security.bpf.ixkit 0123456789abcdef
check "a BPF LSM program (lsm/file_open) loads, attaches and runs" \
	lsm-probe /bin/lsm-probe.bpf.o
check "cgroup v2 child cgroup can be created" mkdir /sys/fs/cgroup/ixkit-smoke

abi=$(landlock-abi)
echo "smoke: landlock ABI $abi"
check "Landlock ABI >= 2" test "${abi%% *}" -ge 2

echo "smoke: $failed failed"
exit "$failed"
