# Benchmarks are built by `make bench` and never by make check: figures
# are reported, not asserted.
EXTRA_PROGRAMS += bench/bench-decide
bench_bench_decide_SOURCES = bench/decide.c
bench_bench_decide_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS) $(SQLITE_CFLAGS) $(SODIUM_CFLAGS)
bench_bench_decide_LDADD = libauthtree/libauthtree.la db/libixdb.la liblattice/liblattice.la \
	libixutil/libixutil.la $(PCRE2_LIBS) $(SQLITE_LIBS) $(SODIUM_LIBS)
CLEANFILES += $(EXTRA_PROGRAMS)

.PHONY: bench bench-decide
bench: bench-decide
bench-decide: bench/bench-decide$(EXEEXT)
	./bench/bench-decide$(EXEEXT)
