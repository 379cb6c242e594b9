# The privilege server and its client.
sbin_PROGRAMS += privd/privd
privd_privd_SOURCES = privd/privd.c privd/worker.c privd/request.c privd/act.c privd/apply.c \
	privd/list.c privd/launcher.c privd/lcall.c privd/confine.c privd/apply.h \
	privd/server.h privd/proto.h privd/request.h privd/launcher.h privd/confine.h
privd_privd_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS) $(SQLITE_CFLAGS) $(SODIUM_CFLAGS)
privd_privd_LDADD = passwdd/libpwclient.la libauthtree/libauthtree.la \
	$(TERM_LIBS) db/libixdb.la liblattice/liblattice.la libipc/libipc.la \
	libixutil/libixutil.la $(PCRE2_LIBS) $(SQLITE_LIBS) $(SODIUM_LIBS)

bin_PROGRAMS += privd/priv
privd_priv_SOURCES = privd/priv.c privd/proto.h
privd_priv_LDADD = libipc/libipc.la libixutil/libixutil.la
