# privtree: the administrator's tool for the authorization tree and the
# audit chain (privtree(8)). It uses libauthtree and db, and no privd code.
sbin_PROGRAMS += privtree/privtree
privtree_privtree_SOURCES = privtree/privtree.c
privtree_privtree_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS) $(SQLITE_CFLAGS) $(SODIUM_CFLAGS)
privtree_privtree_LDADD = libauthtree/libauthtree.la db/libixdb.la liblattice/liblattice.la \
	libixutil/libixutil.la $(PCRE2_LIBS) $(SQLITE_LIBS) $(SODIUM_LIBS)
