# libcompart: the compartment kernel's user-side interface (compart.h, compart_uid.h,
# cfexec.h, flabel.h, flabel_index.h, landlock.h, seal.h, caps.h,
# licence.h, status.h, tier1.h, workerconf.h).

# libixt1: tier 1's map access (tier1.h) by raw bpf(2) calls, without
# libbpf; linked into libcompart, and alone into compartd/. The map layout
# (compart_maps.h) is shared with the BPF LSM program in compartd/.
noinst_LTLIBRARIES += libcompart/libixt1.la
libcompart_libixt1_la_SOURCES = libcompart/tier1.c libcompart/tier1.h \
	libcompart/compart_maps.h

noinst_LTLIBRARIES += libcompart/libcompart.la
libcompart_libcompart_la_SOURCES = \
	libcompart/compart.h libcompart/compart_int.h libcompart/cgroup.c libcompart/compart_uid.h libcompart/compart_uid.c libcompart/compart_kill.c libcompart/compart_proc.c \
	libcompart/flabel.h libcompart/flabel.c libcompart/flabel_index.h libcompart/flabel_index.c \
	libcompart/flabel_links.h libcompart/flabel_links.c \
	libcompart/landlock.h libcompart/landlock_compat.h libcompart/landlock.c libcompart/allowlist.c \
	libcompart/seal.h libcompart/seal.c libcompart/selfseccomp.h libcompart/selfseccomp.c libcompart/caps.h libcompart/caps.c \
	libcompart/cfexec.h libcompart/cfexec.c libcompart/clone3vm.h libcompart/clone3vm.c libcompart/status.h libcompart/status.c \
	libcompart/licence.h libcompart/licence.c libcompart/workerconf.h libcompart/workerconf.c libcompart/rungroup.h libcompart/rungroup.c
# Each compartment's own IPC, pid and mount namespaces, held by its init.
libcompart_libcompart_la_SOURCES += libcompart/compart_ns.h libcompart/compart_ns.c \
	libcompart/compart_init.c
libcompart_libcompart_la_CFLAGS = $(AM_CFLAGS) $(SECCOMP_CFLAGS) $(SQLITE_CFLAGS) $(LIBCAP_CFLAGS)
libcompart_libcompart_la_LIBADD = libcompart/libixt1.la \
	db/libixdb.la liblattice/liblattice.la libixutil/libixutil.la $(SECCOMP_LIBS) $(LIBCAP_LIBS)

# Everything a program needs to link libcompart.
COMPART_LIBS = libcompart/libcompart.la $(SECCOMP_LIBS) $(SQLITE_LIBS) $(SODIUM_LIBS) $(LIBCAP_LIBS)
