# Stream identifiers and terminal holders (DESIGN.md §6), linked into
# libcompart by its owner.
noinst_LTLIBRARIES += libcompart/libixstream.la
libcompart_libixstream_la_SOURCES = \
	libcompart/streamid.c libcompart/streamid.h \
	libcompart/ttyholders.c libcompart/ttyholders.h
libcompart_libixstream_la_CFLAGS = $(AM_CFLAGS)

check_PROGRAMS += tests/unit/test_streamid
UNIT_TESTS += tests/unit/test_streamid
tests_unit_test_streamid_SOURCES = tests/unit/test_streamid.c
tests_unit_test_streamid_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_streamid_LDADD = libcompart/libixstream.la \
	libixutil/libixutil.la $(TEST_LIBS)
