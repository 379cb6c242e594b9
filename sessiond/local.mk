# The session supervisor and its client. SESSIOND_MONITOR_SOURCES is
# everything of sessiond but its worker: the compromised-worker test
# (tests/sessiond/) builds it with a worker of its own.
SESSIOND_MONITOR_SOURCES = sessiond/sessiond.c sessiond/slot.c sessiond/serve.c \
	sessiond/open.c sessiond/run.c sessiond/run.h sessiond/monitor.c sessiond/monitor.h \
	sessiond/request.c sessiond/request.h sessiond/mproto.h sessiond/conn.h sessiond/relay.c \
	sessiond/orphan.c sessiond/orphan.h sessiond/check.c sessiond/check.h \
	sessiond/record.c sessiond/record.h sessiond/server.h sessiond/proto.h \
	sessiond/writable.c sessiond/writable.h sessiond/watch.c sessiond/watch.h
SESSIOND_LDADD = passwdd/libpwclient.la libauthtree/libauthtree.la \
	$(TERM_LIBS) db/libixdb.la liblattice/liblattice.la libipc/libipc.la \
	libixutil/libixutil.la $(PCRE2_LIBS) $(SQLITE_LIBS) $(SODIUM_LIBS)
sbin_PROGRAMS += sessiond/sessiond
sessiond_sessiond_SOURCES = $(SESSIOND_MONITOR_SOURCES) sessiond/worker.c
# Sessions below the floor run the nosh this build installs.
sessiond_sessiond_CPPFLAGS = $(AM_CPPFLAGS) -DIX_DEFAULT_NOSH='"$(bindir)/nosh"'
sessiond_sessiond_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS) $(SQLITE_CFLAGS) $(SODIUM_CFLAGS)
sessiond_sessiond_LDADD = $(SESSIOND_LDADD)

bin_PROGRAMS += sessiond/session
sessiond_session_SOURCES = sessiond/session.c sessiond/args.c sessiond/args.h sessiond/proto.h
sessiond_session_LDADD = libipc/libipc.la libixutil/libixutil.la
