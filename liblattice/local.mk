# liblattice: labels, privilege sets, the regular-language engine (its own
# minimal-DFA engine, REGEX.md) and rights as their product.
noinst_LTLIBRARIES += liblattice/liblattice.la
liblattice_liblattice_la_SOURCES = \
	liblattice/label.h liblattice/privset.h liblattice/re.h liblattice/rights.h \
	liblattice/label_int.h liblattice/label.c liblattice/label_enc.c \
	liblattice/label_parse.c \
	liblattice/privset_int.h liblattice/privset.c liblattice/privset_parse.c \
	liblattice/re_impl.h liblattice/re_ast.h \
	liblattice/re.c liblattice/re_parse.c liblattice/re_nfa.c \
	liblattice/re_min.c liblattice/re_prod.c liblattice/re_text.c liblattice/re_check.c \
	liblattice/rights_int.h liblattice/rights_decl.c liblattice/rights_item.c \
	liblattice/rights.c liblattice/rights_parse.c liblattice/rights_print.c
liblattice_liblattice_la_CFLAGS = $(AM_CFLAGS)
EXTRA_DIST += liblattice/REGEX.md
