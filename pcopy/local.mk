# pcopy, the paranoid copier (issue 14; pcopy(1)). It links only libixutil
# (errors) and libsodium (BLAKE2b); of libcompart it takes the label
# xattr's name (flabel.h), a macro, not the library.
bin_PROGRAMS += pcopy/pcopy
pcopy_pcopy_SOURCES = pcopy/pcopy.c pcopy/copy.c pcopy/copy.h pcopy/attrs.c pcopy/attrs.h
pcopy_pcopy_CFLAGS = $(AM_CFLAGS) $(SODIUM_CFLAGS)
pcopy_pcopy_LDADD = libixutil/libixutil.la $(SODIUM_LIBS)
