# The session supervisor and its client.
sbin_PROGRAMS += sessiond/sessiond
sessiond_sessiond_SOURCES = sessiond/sessiond.c sessiond/worker.c sessiond/relay.c \
	sessiond/check.c sessiond/check.h sessiond/record.c sessiond/record.h \
	sessiond/server.h sessiond/proto.h sessiond/writable.c sessiond/writable.h
# Sessions below the floor run the nosh this build installs.
sessiond_sessiond_CPPFLAGS = $(AM_CPPFLAGS) -DIX_DEFAULT_NOSH='"$(bindir)/nosh"'
sessiond_sessiond_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS) $(SQLITE_CFLAGS) $(SODIUM_CFLAGS)
sessiond_sessiond_LDADD = passwdd/libpwclient.la libauthtree/libauthtree.la \
	$(TERM_LIBS) db/libixdb.la liblattice/liblattice.la libipc/libipc.la \
	libixutil/libixutil.la $(PCRE2_LIBS) $(SQLITE_LIBS) $(SODIUM_LIBS)

bin_PROGRAMS += sessiond/session
sessiond_session_SOURCES = sessiond/session.c sessiond/args.c sessiond/args.h sessiond/proto.h
sessiond_session_LDADD = libipc/libipc.la libixutil/libixutil.la
