# nosh, the no-surprise shell (issue 7). It links only libixutil (errors),
# libcap and libedit: a boot shell must not need any ixkit daemon.
noinst_LTLIBRARIES += nosh/libnosh.la
nosh_libnosh_la_SOURCES = \
	nosh/parse.c nosh/parse.h \
	nosh/exec.c nosh/exec.h \
	nosh/outfile.c nosh/outfile.h \
	nosh/priv.c nosh/priv.h
nosh_libnosh_la_CFLAGS = $(AM_CFLAGS) $(LIBCAP_CFLAGS)
nosh_libnosh_la_LIBADD = libixutil/libixutil.la $(LIBCAP_LIBS)

bin_PROGRAMS += nosh/nosh
nosh_nosh_SOURCES = nosh/main.c nosh/interactive.c nosh/interactive.h
nosh_nosh_CFLAGS = $(AM_CFLAGS) $(LIBEDIT_CFLAGS)
nosh_nosh_LDADD = nosh/libnosh.la $(LIBEDIT_LIBS)
EXTRA_DIST += nosh/GRAMMAR.md
