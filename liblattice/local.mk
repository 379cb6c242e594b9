noinst_LTLIBRARIES += liblattice/liblattice.la
liblattice_liblattice_la_SOURCES = \
	liblattice/label.h liblattice/privset.h liblattice/re.h liblattice/rights.h
liblattice_liblattice_la_CFLAGS = $(AM_CFLAGS)
