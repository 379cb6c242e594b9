sbin_PROGRAMS += privd/privtree
privd_privtree_SOURCES = privd/privtree.c
privd_privtree_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS) $(SQLITE_CFLAGS) $(SODIUM_CFLAGS)
privd_privtree_LDADD = libauthtree/libauthtree.la db/libixdb.la liblattice/liblattice.la \
	libixutil/libixutil.la $(PCRE2_LIBS) $(SQLITE_LIBS) $(SODIUM_LIBS)
