# libpcopy: the paranoid copy on descriptors (copy.h), the attributes it
# carries (attrs.h) and licences on files (licence.h): file capabilities,
# dummy licences bound to a content hash, the immutable seal. Used by
# pcopy(1) and by privd's COPY, LICENSE, UNLICENSE and REQUIRE steps. Of
# libcompart it takes the names of the label xattr (flabel.h) and of tier
# 1's licence mark (compart_maps.h), macros, not the library.
noinst_LTLIBRARIES += libpcopy/libpcopy.la
libpcopy_libpcopy_la_SOURCES = libpcopy/copy.c libpcopy/copy.h libpcopy/attrs.c \
	libpcopy/attrs.h libpcopy/licence.c libpcopy/licence.h
libpcopy_libpcopy_la_CFLAGS = $(AM_CFLAGS) $(SODIUM_CFLAGS)
libpcopy_libpcopy_la_LIBADD = $(SODIUM_LIBS) -lpthread
