# pcopy, the paranoid copier (issue 14; pcopy(1)): the command over
# libpcopy, which does the work on descriptors.
bin_PROGRAMS += pcopy/pcopy
pcopy_pcopy_SOURCES = pcopy/pcopy.c pcopy/show.c pcopy/show.h
pcopy_pcopy_CFLAGS = $(AM_CFLAGS) $(SODIUM_CFLAGS)
pcopy_pcopy_LDADD = libpcopy/libpcopy.la liblattice/liblattice.la libixutil/libixutil.la $(SODIUM_LIBS)
