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
bench-compart-vm: bench/bench-compart$(EXEEXT) compartd/compartd$(EXEEXT)
	$(MAKE) $(AM_MAKEFLAGS) check-vm VM_TEST_SCRIPT=$(srcdir)/bench/compart-vm.sh \
		VM_FILES='compartd/compartd bench/bench-compart'

# passwdd's verification throughput and latency over a trusted pty (the
# real path: pex, prompt, argon2id) and over a pipe (one-time codes: its
# own overhead alone), against the raw cost of one argon2id verification
# at the parameters of its store. Starts the built passwdd itself; root.
# BENCH_PASSWDD_FLAGS: e.g. '--runs 9 --paired-only --ref OTHER/passwdd'
# (bench/passwdd.c).
EXTRA_PROGRAMS += bench/bench-passwdd
bench_bench_passwdd_SOURCES = bench/passwdd.c bench/stats.c bench/stats.h
bench_bench_passwdd_CFLAGS = $(AM_CFLAGS) $(SODIUM_CFLAGS) $(SQLITE_CFLAGS)
bench_bench_passwdd_LDADD = passwdd/libpwstore.la passwdd/libpwclient.la libipc/libipc.la \
	libixutil/libixutil.la $(SQLITE_LIBS) $(SODIUM_LIBS)
.PHONY: bench-passwdd
bench: bench-passwdd
bench-passwdd: bench/bench-passwdd$(EXEEXT) passwdd/passwdd$(EXEEXT)
	./bench/bench-passwdd$(EXEEXT) --passwdd passwdd/passwdd$(EXEEXT) $(BENCH_PASSWDD_FLAGS)

# priv against sudo, doas and bare exec, at 1 and 10,000 rules, each run
# as a throwaway user in a private mount namespace with /etc overlaid
# (bench/README.md). Root. bench-priv is built by make check (not run),
# so that CI compiles it.
check_PROGRAMS += bench/bench-priv
bench_bench_priv_SOURCES = bench/priv.c bench/stats.c bench/stats.h
bench_bench_priv_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(SODIUM_CFLAGS)
bench_bench_priv_LDADD = db/libixdb.la libixutil/libixutil.la $(SQLITE_LIBS) $(SODIUM_LIBS)
EXTRA_DIST += bench/priv.sh bench/README.md
.PHONY: bench-priv
bench: bench-priv
bench-priv: bench/bench-priv$(EXEEXT) privd/privd$(EXEEXT) privd/priv$(EXEEXT) privtree/privtree$(EXEEXT)
	IXKIT_BUILDDIR=$(abs_top_builddir) sh $(srcdir)/bench/priv.sh $(BENCH_PRIV_FLAGS)

# make bench-nosh: startup-to-exit time of nosh against dash and execlineb.
noinst_PROGRAMS += bench/nosh_bench
bench_nosh_bench_SOURCES = bench/nosh_bench.c
.PHONY: bench-nosh
bench-nosh: bench/nosh_bench$(EXEEXT) nosh/nosh$(EXEEXT)
	bench/nosh_bench$(EXEEXT) nosh/nosh$(EXEEXT)

# make bench-pcopy: pcopy against cp --preserve=all and install -p, on one
# large file and many small ones, interleaved (bench/pcopy.sh).
EXTRA_DIST += bench/pcopy.sh
.PHONY: bench-pcopy
bench-pcopy: pcopy/pcopy$(EXEEXT)
	IXKIT_BUILDDIR=$(abs_top_builddir) sh $(srcdir)/bench/pcopy.sh $(BENCH_PCOPY_FLAGS)
