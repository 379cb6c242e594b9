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

# The compartment kernel's overhead on open and connect, inside a
# compartment versus outside, on this host's tier; `make bench-compart-vm`
# runs it in the tier 1 guests (ratios only: the guests are emulated).
EXTRA_PROGRAMS += bench/bench-compart
bench_bench_compart_SOURCES = bench/compart.c
bench_bench_compart_LDADD = $(COMPART_LIBS)
EXTRA_DIST += bench/compart-vm.sh
.PHONY: bench-compart bench-compart-vm
bench: bench-compart
bench-compart: bench/bench-compart$(EXEEXT)
	./bench/bench-compart$(EXEEXT)
bench-compart-vm: bench/bench-compart$(EXEEXT) libcompart/compartd$(EXEEXT)
	$(MAKE) $(AM_MAKEFLAGS) check-vm VM_TEST_SCRIPT=$(srcdir)/bench/compart-vm.sh \
		VM_FILES='libcompart/compartd bench/bench-compart'
