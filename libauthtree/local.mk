noinst_LTLIBRARIES += libauthtree/libauthtree.la
libauthtree_libauthtree_la_SOURCES = \
	libauthtree/pred.h libauthtree/action.h
libauthtree_libauthtree_la_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS) $(SQLITE_CFLAGS)
include libauthtree/pa.mk
