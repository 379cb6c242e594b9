# passwdd: the password server, its client library, pwcheck,
# passwdd-admin and the PAM module pam_passwdd.so. The prompts and pex are
# libterm's.

PW_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir) \
	-DPW_DEFAULT_SECRETS_DB='"$(localstatedir)/lib/ixkit/passwdd/passwdd.db"'

# The secrets store, one-time codes, lockout and tags: everything but the
# prompts and the daemon's main, shared by passwdd, passwdd-admin and tests.
noinst_LTLIBRARIES += passwdd/libpwstore.la
passwdd_libpwstore_la_SOURCES = \
	passwdd/store.h passwdd/store_int.h passwdd/store.c passwdd/store_fail.c \
	passwdd/otp.h passwdd/otp.c \
	passwdd/sha1.h passwdd/sha1.c passwdd/lockout.h passwdd/lockout.c \
	passwdd/tags.h passwdd/tags.c
nodist_passwdd_libpwstore_la_SOURCES = passwdd/schema.h passwdd/schema-2.h
passwdd_libpwstore_la_CPPFLAGS = $(PW_CPPFLAGS)
passwdd_libpwstore_la_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(SODIUM_CFLAGS)
passwdd_libpwstore_la_LIBADD = libixutil/libixutil.la $(SQLITE_LIBS) $(SODIUM_LIBS)
EXTRA_DIST += passwdd/schema.sql passwdd/schema-2.sql

# schema.sql and its migrations compiled in as C strings, by db/'s
# SCHEMA_TO_C.
passwdd/schema.h: $(top_srcdir)/passwdd/schema.sql
	$(AM_V_GEN)$(MKDIR_P) passwdd && $(SCHEMA_TO_C) $(top_srcdir)/passwdd/schema.sql > $@-t && mv $@-t $@
passwdd/schema-2.h: $(top_srcdir)/passwdd/schema-2.sql
	$(AM_V_GEN)$(MKDIR_P) passwdd && $(SCHEMA_TO_C) $(top_srcdir)/passwdd/schema-2.sql > $@-t && mv $@-t $@
$(passwdd_libpwstore_la_OBJECTS): passwdd/schema.h passwdd/schema-2.h
CLEANFILES += passwdd/schema.h passwdd/schema-2.h

# The client half, for privd, sessiond, pam_passwdd and pwcheck.
noinst_LTLIBRARIES += passwdd/libpwclient.la
passwdd_libpwclient_la_SOURCES = passwdd/client.h passwdd/client.c passwdd/proto.h
passwdd_libpwclient_la_LIBADD = libipc/libipc.la libixutil/libixutil.la

# Walks /etc/pam.d stacks: the check passwdd's PAM backend makes so that
# it never uses a stack that loads pam_passwdd (pam_loop.h).
noinst_LTLIBRARIES += passwdd/libpwpamloop.la
passwdd_libpwpamloop_la_SOURCES = passwdd/pam_loop.c passwdd/pam_loop.h

# The slot's inner wire (wire.h): the monitor's and the helper's
# machines and the reading of the helper's answers; pure, shared by the
# daemon, its compromised-worker test and the fuzz targets.
noinst_LTLIBRARIES += passwdd/libpwwire.la
passwdd_libpwwire_la_SOURCES = passwdd/wire.h passwdd/wire.c passwdd/proto.h
passwdd_libpwwire_la_CPPFLAGS = $(PW_CPPFLAGS)

# The daemon but its worker: main, the slot, the monitor and the helper.
# passwdd links it with the production worker (worker.c); the
# compromised-worker test (tests/passwdd/pwforged) with its own.
noinst_LTLIBRARIES += passwdd/libpwdaemon.la
passwdd_libpwdaemon_la_SOURCES = passwdd/daemon.c passwdd/server.h passwdd/slot.c \
	passwdd/monitor.c passwdd/pam.h passwdd/pam.c passwdd/proto.h passwdd/helper.h \
	passwdd/helper.c passwdd/hcall.c passwdd/confine.h passwdd/confine.c
passwdd_libpwdaemon_la_CPPFLAGS = $(PW_CPPFLAGS)
passwdd_libpwdaemon_la_CFLAGS = $(AM_CFLAGS) $(SODIUM_CFLAGS) $(SECCOMP_CFLAGS)
PW_DAEMON_LIBS = passwdd/libpwdaemon.la passwdd/libpwwire.la passwdd/libpwstore.la \
	passwdd/libpwpamloop.la libipc/libipc.la \
	$(TERM_LIBS) libixutil/libixutil.la -lpam $(SQLITE_LIBS) $(SODIUM_LIBS)

sbin_PROGRAMS += passwdd/passwdd
passwdd_passwdd_SOURCES = passwdd/passwdd.c passwdd/worker.c passwdd/server.h passwdd/wire.h
passwdd_passwdd_CPPFLAGS = $(PW_CPPFLAGS)
passwdd_passwdd_CFLAGS = $(AM_CFLAGS) $(SODIUM_CFLAGS)
passwdd_passwdd_LDADD = $(PW_DAEMON_LIBS)

# Set in every build: a per-program LDFLAGS replaces AM_LDFLAGS, and
# automake takes the variable from either branch of a conditional, so
# without this line passwdd lost full RELRO and BIND_NOW outside sanitizer
# builds (with them, each forked helper server also resolved every libc
# symbol again on its first request).
passwdd_passwdd_LDFLAGS = $(AM_LDFLAGS)
if SANITIZERS
# ASan intercepts crypt(3) but resolves the real one only when libcrypt is
# loaded at start; pam_unix brings it in later through dlopen, and its
# first crypt call would jump to address 0.
passwdd_passwdd_LDFLAGS += -Wl,--push-state,--no-as-needed,-lcrypt,--pop-state
endif

sbin_PROGRAMS += passwdd/passwdd-admin
passwdd_passwdd_admin_SOURCES = passwdd/admin.c
passwdd_passwdd_admin_CPPFLAGS = $(PW_CPPFLAGS)
passwdd_passwdd_admin_CFLAGS = $(AM_CFLAGS) $(SODIUM_CFLAGS) $(QRENCODE_CFLAGS)
passwdd_passwdd_admin_LDADD = passwdd/libpwstore.la libixutil/libixutil.la \
	$(QRENCODE_LIBS) $(SQLITE_LIBS) $(SODIUM_LIBS)

bin_PROGRAMS += passwdd/pwcheck
passwdd_pwcheck_SOURCES = passwdd/pwcheck.c
passwdd_pwcheck_LDADD = passwdd/libpwclient.la libipc/libipc.la libixutil/libixutil.la

# pam_passwdd.so (man/pam_passwdd.8).
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
