# Tier 1 of the compartment kernel: the BPF LSM program, compartd that
# loads it, and libixt1, the libbpf-free map access linked into libcompart.
#
# vmlinux.h is generated at build time from the build host's kernel BTF
# (CO-RE relocates field offsets on the running kernel; the program only
# reads fields that exist from 6.1 on). Override BPF_VMLINUX_BTF to build
# on a host without /sys/kernel/btf/vmlinux.
BPF_VMLINUX_BTF = /sys/kernel/btf/vmlinux
BPF_CFLAGS = -g -O2 -Wall -target bpf -D__TARGET_ARCH_$(BPF_TARGET_ARCH) \
	-I$(top_builddir)/libcompart/bpf -I$(top_srcdir)/libcompart/bpf

libcompart/bpf/vmlinux.h:
	$(AM_V_GEN)$(MKDIR_P) $(@D) && \
	$(BPFTOOL) btf dump file $(BPF_VMLINUX_BTF) format c >$@.tmp && mv $@.tmp $@

libcompart/bpf/compart.bpf.o: libcompart/bpf/compart.bpf.c libcompart/bpf/compart_maps.h \
		libcompart/bpf/vmlinux.h
	$(AM_V_CC)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

libcompart/bpf/compart.skel.h: libcompart/bpf/compart.bpf.o
	$(AM_V_GEN)$(BPFTOOL) gen skeleton $< name compart >$@.tmp && mv $@.tmp $@

CLEANFILES += libcompart/bpf/vmlinux.h libcompart/bpf/compart.bpf.o \
	libcompart/bpf/compart.skel.h
EXTRA_DIST += libcompart/bpf/compart.bpf.c libcompart/bpf/t1-smoke.sh

noinst_LTLIBRARIES += libcompart/libixt1.la
libcompart_libixt1_la_SOURCES = libcompart/tier1.c libcompart/tier1.h \
	libcompart/bpf/compart_maps.h

sbin_PROGRAMS += libcompart/compartd
libcompart_compartd_SOURCES = libcompart/compartd.c
nodist_libcompart_compartd_SOURCES = libcompart/bpf/compart.skel.h
libcompart_compartd_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)
libcompart_compartd_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS) $(LIBCAP_CFLAGS)
libcompart_compartd_LDADD = libcompart/libixt1.la liblattice/liblattice.la \
	libixutil/libixutil.la $(LIBBPF_LIBS) $(LIBCAP_LIBS)
# The skeleton is generated: compile compartd only once it exists.
libcompart/compartd-compartd.$(OBJEXT): libcompart/bpf/compart.skel.h

# t1ctl: the guest smoke test's helper (make libcompart/bpf/t1ctl), then
#   tests/vm/run-guest SUITE libcompart/bpf/t1-smoke.sh \
#	libcompart/compartd libcompart/bpf/t1ctl /usr/bin/setfattr
EXTRA_PROGRAMS += libcompart/bpf/t1ctl
libcompart_bpf_t1ctl_SOURCES = libcompart/bpf/t1ctl.c
libcompart_bpf_t1ctl_CFLAGS = $(AM_CFLAGS) $(LIBCAP_CFLAGS)
libcompart_bpf_t1ctl_LDADD = libcompart/libixt1.la liblattice/liblattice.la \
	libixutil/libixutil.la $(LIBCAP_LIBS)
CLEANFILES += libcompart/bpf/t1ctl
