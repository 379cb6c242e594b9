# compartd: tier 1 of the compartment kernel, the daemon that holds the
# BPF LSM program (compart.bpf.c). The map layout both share with
# libcompart's tier1.c is libcompart/compart_maps.h.
#
# vmlinux.h is generated at build time from the build host's kernel BTF
# (CO-RE relocates field offsets on the running kernel; the program only
# reads fields that exist from 6.1 on). Override BPF_VMLINUX_BTF to build
# on a host without /sys/kernel/btf/vmlinux.
BPF_VMLINUX_BTF = /sys/kernel/btf/vmlinux
BPF_CFLAGS = -g -O2 -Wall -target bpf -D__TARGET_ARCH_$(BPF_TARGET_ARCH) \
	-I$(top_builddir)/compartd -I$(top_srcdir)

compartd/vmlinux.h:
	$(AM_V_GEN)$(MKDIR_P) $(@D) && \
	$(BPFTOOL) btf dump file $(BPF_VMLINUX_BTF) format c >$@.tmp && mv $@.tmp $@

compartd/compart.bpf.o: compartd/compart.bpf.c libcompart/compart_maps.h compartd/vmlinux.h
	$(AM_V_CC)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

compartd/compart.skel.h: compartd/compart.bpf.o
	$(AM_V_GEN)$(BPFTOOL) gen skeleton $< name compart >$@.tmp && mv $@.tmp $@

CLEANFILES += compartd/vmlinux.h compartd/compart.bpf.o compartd/compart.skel.h
EXTRA_DIST += compartd/compart.bpf.c compartd/t1-smoke.sh

sbin_PROGRAMS += compartd/compartd
compartd_compartd_SOURCES = compartd/compartd.c
nodist_compartd_compartd_SOURCES = compartd/compart.skel.h
compartd_compartd_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)
compartd_compartd_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS) $(LIBCAP_CFLAGS)
compartd_compartd_LDADD = libcompart/libixt1.la liblattice/liblattice.la \
	libixutil/libixutil.la $(LIBBPF_LIBS) $(LIBCAP_LIBS)
# The skeleton is generated: compile compartd only once it exists.
compartd/compartd-compartd.$(OBJEXT): compartd/compart.skel.h

# t1ctl: the guest smoke test's helper (make compartd/t1ctl), then
#   tests/vm/run-guest SUITE compartd/t1-smoke.sh \
#	compartd/compartd compartd/t1ctl /usr/bin/setfattr
EXTRA_PROGRAMS += compartd/t1ctl
compartd_t1ctl_SOURCES = compartd/t1ctl.c
compartd_t1ctl_CFLAGS = $(AM_CFLAGS) $(LIBCAP_CFLAGS)
compartd_t1ctl_LDADD = libcompart/libixt1.la liblattice/liblattice.la \
	libixutil/libixutil.la $(LIBCAP_LIBS)
CLEANFILES += compartd/t1ctl
