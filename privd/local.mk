# The privilege server and its client.
sbin_PROGRAMS += privd/privd
# Everything but the worker: tests/privd/privd-forge links the same with a
# compromised worker in its place.
PRIVD_MONITOR_SOURCES = privd/privd.c privd/slot.c privd/monitor.c privd/monitor.h \
	privd/request.c privd/act.c privd/apply.c privd/list.c privd/exec.c \
	privd/exec.h privd/record.c privd/record.h privd/apply.h privd/server.h privd/proto.h \
	privd/request.h privd/licence.c privd/licence.h
privd_privd_SOURCES = $(PRIVD_MONITOR_SOURCES) privd/worker.c
privd_privd_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS) $(SQLITE_CFLAGS) $(SODIUM_CFLAGS) $(SECCOMP_CFLAGS)
privd_privd_LDADD = passwdd/libpwclient.la libauthtree/libauthtree.la libpcopy/libpcopy.la \
	$(TERM_LIBS) db/libixdb.la liblattice/liblattice.la libipc/libipc.la \
	libixutil/libixutil.la $(PCRE2_LIBS) $(SQLITE_LIBS) $(SODIUM_LIBS)

bin_PROGRAMS += privd/priv
privd_priv_SOURCES = privd/priv.c privd/proto.h
privd_priv_LDADD = libipc/libipc.la libixutil/libixutil.la
