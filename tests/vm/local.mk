# Tier 1 of the compartment kernel (the BPF LSM) cannot load on the
# development and CI hosts, so `make check-vm` runs a guest script in QEMU
# guests booting Debian kernels: the newest of trixie-backports and Debian
# 12's stock kernel (tests/vm/README.md).
#
# To run the real tests, name the guest script and the binaries it needs
# (each lands in the guest's /bin and is built first):
#   make check-vm VM_TEST_SCRIPT=tests/libcompart/vm-test.sh \
#	VM_FILES='compartd/compartd compartctl/compartctl tests/libcompart/test_compart'
EXTRA_PROGRAMS += tests/vm/landlock-abi tests/vm/xattr-probe tests/vm/lsm-probe tests/vm/ptydrive \
	tests/vm/promptpeek tests/vm/licpoke
tests_vm_landlock_abi_SOURCES = tests/vm/landlock-abi.c
tests_vm_xattr_probe_SOURCES = tests/vm/xattr-probe.c
tests_vm_lsm_probe_SOURCES = tests/vm/lsm-probe.c
tests_vm_lsm_probe_LDADD = -lbpf
tests_vm_ptydrive_SOURCES = tests/vm/ptydrive.c
tests_vm_promptpeek_SOURCES = tests/vm/promptpeek.c
tests_vm_promptpeek_LDADD = $(TERM_LIBS)
tests_vm_licpoke_SOURCES = tests/vm/licpoke.c
tests_vm_licpoke_CFLAGS = $(AM_CFLAGS) $(SODIUM_CFLAGS)
tests_vm_licpoke_LDADD = libpcopy/libpcopy.la libixutil/libixutil.la $(SODIUM_LIBS)
CLEANFILES += tests/vm/landlock-abi tests/vm/xattr-probe tests/vm/lsm-probe tests/vm/ptydrive \
	tests/vm/promptpeek tests/vm/licpoke \
	tests/vm/lsm-probe.bpf.o \
	tests/vm/vm-trixie-backports.log tests/vm/vm-bookworm.log
EXTRA_DIST += tests/vm/README.md tests/vm/fetch-kernel tests/vm/mkinitramfs \
	tests/vm/run-guest tests/vm/init tests/vm/smoke.sh tests/vm/lsm-probe.bpf.c

# The probe's BPF object needs only UAPI types and libbpf's headers; the
# guests are amd64 only.
VM_BPF_CLANG = clang
VM_BPF_CFLAGS = -g -O2 -Wall -target bpf -D__TARGET_ARCH_x86 \
	-I/usr/include/x86_64-linux-gnu
tests/vm/lsm-probe.bpf.o: tests/vm/lsm-probe.bpf.c
	@$(MKDIR_P) tests/vm
	$(AM_V_GEN)$(VM_BPF_CLANG) $(VM_BPF_CFLAGS) -c $< -o $@

VM_SUITES = trixie-backports bookworm
# By default the compartment kernel's property tests (tests/libcompart);
# VM_TEST_SCRIPT=tests/vm/smoke.sh VM_FILES= checks the guests alone.
VM_TEST_SCRIPT = tests/libcompart/vm-test.sh
# The sessiond step (issue 6) adds the session stack, a pty driver and
# oathtool, an implementation of one-time codes independent of passwdd's;
# the prompt step (issue 13) pwcheck and promptpeek; the licence step
# (issue 14) pcopy and licpoke; the link step (issue 16) reuses them.
VM_FILES = compartd/compartd compartctl/compartctl tests/libcompart/test_compart $(BPFTOOL) \
	sessiond/sessiond sessiond/session passwdd/passwdd passwdd/passwdd-admin \
	privtree/privtree nosh/nosh tests/vm/ptydrive tests/libcompart/vm-session.sh $(OATHTOOL) \
	passwdd/pwcheck tests/vm/promptpeek tests/libcompart/vm-prompt.sh \
	pcopy/pcopy tests/vm/licpoke tests/libcompart/vm-licence.sh tests/libcompart/vm-link.sh
# The guest's /init prints the Landlock ABI with landlock-abi; smoke.sh
# uses the others.
VM_HELPERS = tests/vm/landlock-abi tests/vm/xattr-probe tests/vm/lsm-probe \
	tests/vm/lsm-probe.bpf.o

# $^ is the script, then the files, each where make found it (build tree,
# or source tree through VPATH). Every suite runs even after a failure; the
# last line of each log is that suite's verdict.
check-vm: $(VM_TEST_SCRIPT) $(VM_HELPERS) $(VM_FILES)
	@status=0; for suite in $(VM_SUITES); do \
		rm -f tests/vm/vm-$$suite.log; \
		IXKIT_VM_LOGDIR=tests/vm $(SHELL) $(srcdir)/tests/vm/run-guest \
			$$suite $^ || status=1; \
	done; \
	echo "check-vm: summary"; \
	for suite in $(VM_SUITES); do \
		tail -n 1 tests/vm/vm-$$suite.log 2>/dev/null || \
			echo "run-guest: $$suite: ERROR: no log (see above)"; \
	done; exit $$status
.PHONY: check-vm
