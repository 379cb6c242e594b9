# Unit tests of liblattice: labels, privilege sets, rights (each with the
# lattice laws of lattice_laws.c) and the regular-language engine, with
# PCRE2 as the oracle for matching.
LATTICE_TEST_LIBS = liblattice/liblattice.la libixutil/libixutil.la $(TEST_LIBS)
LATTICE_LAWS = tests/liblattice/lattice_laws.c tests/liblattice/lattice_laws.h

check_PROGRAMS += tests/liblattice/test_label
UNIT_TESTS += tests/liblattice/test_label
tests_liblattice_test_label_SOURCES = tests/liblattice/test_label.c $(LATTICE_LAWS)
tests_liblattice_test_label_CFLAGS = $(TEST_CFLAGS)
tests_liblattice_test_label_LDADD = $(LATTICE_TEST_LIBS)

check_PROGRAMS += tests/liblattice/test_privset
UNIT_TESTS += tests/liblattice/test_privset
tests_liblattice_test_privset_SOURCES = tests/liblattice/test_privset.c $(LATTICE_LAWS)
tests_liblattice_test_privset_CFLAGS = $(TEST_CFLAGS)
tests_liblattice_test_privset_LDADD = $(LATTICE_TEST_LIBS)

check_PROGRAMS += tests/liblattice/test_rights
UNIT_TESTS += tests/liblattice/test_rights
tests_liblattice_test_rights_SOURCES = tests/liblattice/test_rights.c
tests_liblattice_test_rights_CFLAGS = $(TEST_CFLAGS)
tests_liblattice_test_rights_LDADD = $(LATTICE_TEST_LIBS)

check_PROGRAMS += tests/liblattice/test_rights_laws
UNIT_TESTS += tests/liblattice/test_rights_laws
tests_liblattice_test_rights_laws_SOURCES = tests/liblattice/test_rights_laws.c $(LATTICE_LAWS)
tests_liblattice_test_rights_laws_CFLAGS = $(TEST_CFLAGS)
tests_liblattice_test_rights_laws_LDADD = $(LATTICE_TEST_LIBS)

check_PROGRAMS += tests/liblattice/test_re_parse
UNIT_TESTS += tests/liblattice/test_re_parse
tests_liblattice_test_re_parse_SOURCES = tests/liblattice/test_re_parse.c
tests_liblattice_test_re_parse_CFLAGS = $(TEST_CFLAGS)
tests_liblattice_test_re_parse_LDADD = $(LATTICE_TEST_LIBS)

check_PROGRAMS += tests/liblattice/test_re_oracle
UNIT_TESTS += tests/liblattice/test_re_oracle
tests_liblattice_test_re_oracle_SOURCES = tests/liblattice/test_re_oracle.c
tests_liblattice_test_re_oracle_CFLAGS = $(TEST_CFLAGS) $(PCRE2_CFLAGS)
tests_liblattice_test_re_oracle_LDADD = $(LATTICE_TEST_LIBS) $(PCRE2_LIBS)

# The invariant checks that liblattice asserts (declared in its private
# headers, debug builds only) abort on values that break them.
check_PROGRAMS += tests/liblattice/test_invariants
UNIT_TESTS += tests/liblattice/test_invariants
tests_liblattice_test_invariants_SOURCES = tests/liblattice/test_invariants.c
tests_liblattice_test_invariants_CFLAGS = $(TEST_CFLAGS)
tests_liblattice_test_invariants_LDADD = $(LATTICE_TEST_LIBS)
