# The regular-language engine of liblattice (owned apart from label/privset/rights).
liblattice_liblattice_la_SOURCES += \
	liblattice/re_impl.h liblattice/re_ast.h \
	liblattice/re.c liblattice/re_parse.c liblattice/re_nfa.c \
	liblattice/re_min.c liblattice/re_prod.c liblattice/re_text.c
EXTRA_DIST += liblattice/REGEX.md

check_PROGRAMS += tests/unit/test_re_parse
UNIT_TESTS += tests/unit/test_re_parse
tests_unit_test_re_parse_SOURCES = tests/unit/test_re_parse.c
tests_unit_test_re_parse_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_re_parse_LDADD = liblattice/liblattice.la libixutil/libixutil.la $(TEST_LIBS)

check_PROGRAMS += tests/unit/test_re_oracle
UNIT_TESTS += tests/unit/test_re_oracle
tests_unit_test_re_oracle_SOURCES = tests/unit/test_re_oracle.c
tests_unit_test_re_oracle_CFLAGS = $(TEST_CFLAGS) $(PCRE2_CFLAGS)
tests_unit_test_re_oracle_LDADD = liblattice/liblattice.la libixutil/libixutil.la $(TEST_LIBS) $(PCRE2_LIBS)

if FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_re
else
check_PROGRAMS += tests/fuzz/fuzz_re
UNIT_TESTS += tests/fuzz/fuzz_re
endif
tests_fuzz_fuzz_re_SOURCES = tests/fuzz/fuzz_re.c $(FUZZ_DRIVER)
tests_fuzz_fuzz_re_LDFLAGS = $(FUZZ_LINK)
tests_fuzz_fuzz_re_LDADD = liblattice/liblattice.la libixutil/libixutil.la
