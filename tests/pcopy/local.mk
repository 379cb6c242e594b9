# Unit tests of pcopy: which xattrs it copies and what --verify prints
# (attrs.c). The copy itself is tested on real files by
# tests/scenario/pcopy.sh.
check_PROGRAMS += tests/pcopy/test_attrs
UNIT_TESTS += tests/pcopy/test_attrs
tests_pcopy_test_attrs_SOURCES = tests/pcopy/test_attrs.c
tests_pcopy_test_attrs_CFLAGS = $(TEST_CFLAGS)
tests_pcopy_test_attrs_LDADD = libpcopy/libpcopy.la libixutil/libixutil.la $(SODIUM_LIBS) $(TEST_LIBS)

# licence.c on real files (needs root: security.* xattrs, chattr).
check_PROGRAMS += tests/pcopy/test_licence
UNIT_TESTS += tests/pcopy/test_licence
tests_pcopy_test_licence_SOURCES = tests/pcopy/test_licence.c
tests_pcopy_test_licence_CFLAGS = $(TEST_CFLAGS) $(SODIUM_CFLAGS)
tests_pcopy_test_licence_LDADD = libpcopy/libpcopy.la libixutil/libixutil.la $(SODIUM_LIBS) $(TEST_LIBS)
