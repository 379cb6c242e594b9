# The regular-language engine of liblattice (owned apart from label/privset/rights).
liblattice_liblattice_la_SOURCES += \
	liblattice/re_impl.h liblattice/re_ast.h \
	liblattice/re.c liblattice/re_parse.c liblattice/re_nfa.c \
	liblattice/re_min.c liblattice/re_prod.c liblattice/re_text.c
EXTRA_DIST += liblattice/REGEX.md
