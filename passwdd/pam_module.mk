# pam_passwdd.so (man/pam_passwdd.8), and the check passwdd's PAM backend
# makes so that it never uses a stack that loads it (pam_loop.h).
#
# The tree's libtool builds no shared objects (LT_INIT([disable-shared]),
# and libtool refuses -shared then), and its convenience libraries are
# compiled without -fPIC. So the module is an automake program named
# *.so whose link bypasses libtool (the _LINK override), and it compiles
# the few sources it needs itself, with -fPIC (per-target CFLAGS give
# them their own object files). The version script exports pam_sm_* only.
pam_PROGRAMS = passwdd/pam_passwdd.so
passwdd_pam_passwdd_so_SOURCES = passwdd/pam_passwdd.c \
	passwdd/client.c passwdd/client.h passwdd/proto.h \
	libipc/msg.c libipc/decode.c libipc/io.c libipc/sock.c libipc/banner.c \
	libipc/peer.c libipc/dispatch.c libixutil/ix_err.c libixutil/ix_time.c
passwdd_pam_passwdd_so_CFLAGS = $(AM_CFLAGS) -fPIC -fvisibility=hidden
passwdd_pam_passwdd_so_LDFLAGS = $(AM_LDFLAGS) -shared \
	-Wl,--version-script=$(top_srcdir)/passwdd/pam_passwdd.map
if !SANITIZERS
if !FUZZING
# Every symbol resolved at link time (libc, libpam); the sanitizers'
# runtimes are resolved only when the application loads the module.
passwdd_pam_passwdd_so_LDFLAGS += -Wl,-z,defs
endif
endif
passwdd_pam_passwdd_so_LDADD = -lpam
passwdd_pam_passwdd_so_LINK = $(CCLD) $(passwdd_pam_passwdd_so_CFLAGS) $(CFLAGS) \
	$(passwdd_pam_passwdd_so_LDFLAGS) $(LDFLAGS) -o $@
EXTRA_passwdd_pam_passwdd_so_DEPENDENCIES = passwdd/pam_passwdd.map
EXTRA_DIST += passwdd/pam_passwdd.map

# Walks /etc/pam.d stacks; passwdd links it (its PAM backend).
noinst_LTLIBRARIES += passwdd/libpwpamloop.la
passwdd_libpwpamloop_la_SOURCES = passwdd/pam_loop.c passwdd/pam_loop.h
