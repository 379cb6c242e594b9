noinst_LTLIBRARIES += liblattice/liblattice.la
liblattice_liblattice_la_SOURCES = \
	liblattice/label.h liblattice/privset.h liblattice/re.h liblattice/rights.h \
	liblattice/label_int.h liblattice/label.c liblattice/label_enc.c \
	liblattice/label_parse.c \
	liblattice/privset_int.h liblattice/privset.c liblattice/privset_parse.c \
	liblattice/rights_int.h liblattice/rights_decl.c liblattice/rights_item.c \
	liblattice/rights.c liblattice/rights_parse.c liblattice/rights_print.c
liblattice_liblattice_la_CFLAGS = $(AM_CFLAGS)
