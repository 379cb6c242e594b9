noinst_LTLIBRARIES += liblattice/liblattice.la
liblattice_liblattice_la_SOURCES = \
	liblattice/label.h liblattice/privset.h liblattice/re.h liblattice/rights.h \
	liblattice/label_int.h liblattice/label.c liblattice/label_enc.c \
	liblattice/label_parse.c \
	liblattice/privset_int.h liblattice/privset.c liblattice/privset_parse.c \
	liblattice/rights_int.h liblattice/rights_decl.c liblattice/rights_item.c \
	liblattice/rights.c liblattice/rights_parse.c liblattice/rights_print.c
liblattice_liblattice_la_CFLAGS = $(AM_CFLAGS)

check_PROGRAMS += tests/unit/test_label
UNIT_TESTS += tests/unit/test_label
tests_unit_test_label_SOURCES = tests/unit/test_label.c \
	tests/unit/lattice_laws.c tests/unit/lattice_laws.h
tests_unit_test_label_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_label_LDADD = liblattice/liblattice.la libixutil/libixutil.la $(TEST_LIBS)

check_PROGRAMS += tests/unit/test_privset
UNIT_TESTS += tests/unit/test_privset
tests_unit_test_privset_SOURCES = tests/unit/test_privset.c \
	tests/unit/lattice_laws.c tests/unit/lattice_laws.h
tests_unit_test_privset_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_privset_LDADD = liblattice/liblattice.la libixutil/libixutil.la $(TEST_LIBS)

if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_label
else
check_PROGRAMS += tests/fuzz/fuzz_label
UNIT_TESTS += tests/fuzz/fuzz_label
endif
tests_fuzz_fuzz_label_SOURCES = tests/fuzz/fuzz_label.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_label_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_label_LDADD = liblattice/liblattice.la libixutil/libixutil.la

check_PROGRAMS += tests/unit/test_rights
UNIT_TESTS += tests/unit/test_rights
tests_unit_test_rights_SOURCES = tests/unit/test_rights.c
tests_unit_test_rights_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_rights_LDADD = liblattice/liblattice.la libixutil/libixutil.la $(TEST_LIBS)

check_PROGRAMS += tests/unit/test_rights_laws
UNIT_TESTS += tests/unit/test_rights_laws
tests_unit_test_rights_laws_SOURCES = tests/unit/test_rights_laws.c \
	tests/unit/lattice_laws.c tests/unit/lattice_laws.h
tests_unit_test_rights_laws_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_rights_laws_LDADD = liblattice/liblattice.la libixutil/libixutil.la $(TEST_LIBS)

if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_rights
else
check_PROGRAMS += tests/fuzz/fuzz_rights
UNIT_TESTS += tests/fuzz/fuzz_rights
endif
tests_fuzz_fuzz_rights_SOURCES = tests/fuzz/fuzz_rights.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_rights_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_rights_LDADD = liblattice/liblattice.la libixutil/libixutil.la
