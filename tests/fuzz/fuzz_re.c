/*
 * Fuzz target of the regular-language engine: compile arbitrary bytes as a
 * pattern; when they compile, the pattern must match the members the
 * automaton itself produces, include itself, survive union and
 * intersection with itself and a literal, and the text of a derived
 * language must compile back to an equal language. Any failed check aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "liblattice/re.h"

#define CHECK(x) do { if (!(x)) abort(); } while (0)

/* Text of a derived language compiles to an equal language. */
static void
round_trip(const struct ix_re *re)
{
	struct ix_re *back = NULL;
	struct ix_err err = { 0 };
	const char *t = ix_re_text(re);

	CHECK(ix_re_compile(t, strlen(t), 0, &back, &err) == 0);
	CHECK(ix_re_equal(back, re));
	ix_re_free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ix_re *re = NULL, *lit = NULL, *u = NULL, *i = NULL, *again = NULL;
	struct ix_err err = { 0 };
	const char *p = (const char *)data;
	size_t half = size / 2;

	/* a small state limit keeps each input fast */
	if (ix_re_compile(p, size, 2000, &re, &err) < 0) {
		CHECK(err.code != IX_OK && err.msg[0] != '\0');
		return 0;
	}
	CHECK(strlen(ix_re_text(re)) == size);
	CHECK(ix_re_subset(re, re, &err) == 1);
	CHECK(ix_re_equal(re, re));
	/* compiling the same text again gives the same canonical automaton */
	CHECK(ix_re_compile(p, size, 2000, &again, &err) == 0);
	CHECK(ix_re_equal(re, again));
	ix_re_free(again);

	/* the input's first half as a literal: member iff it matches */
	CHECK(ix_re_literal(p, half, &lit, &err) == 0);
	CHECK(ix_re_subset(lit, re, &err) == (int)ix_re_match(re, p, half));
	if (ix_re_union(re, lit, &u, &err) == 0) {
		CHECK(ix_re_subset(re, u, &err) == 1);
		CHECK(ix_re_subset(lit, u, &err) == 1);
		CHECK(ix_re_match(u, p, half));
		round_trip(u);
		ix_re_free(u);
	} else {
		CHECK(err.code == IX_ELIMIT);
	}
	if (ix_re_intersect(re, lit, &i, &err) == 0) {
		CHECK(ix_re_subset(i, lit, &err) == 1);
		CHECK(ix_re_is_empty(i) == !ix_re_match(re, p, half));
		round_trip(i);
		ix_re_free(i);
	} else {
		CHECK(err.code == IX_ELIMIT);
	}
	ix_re_free(lit);
	ix_re_free(re);
	return 0;
}
