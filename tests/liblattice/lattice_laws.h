/*
 * The lattice laws, checked on random elements of any lattice through a
 * table of operations (shared by the label, privset and rights tests).
 * Elements are opaque handles made by the table's functions.
 */
#ifndef TEST_LATTICE_LAWS_H
#define TEST_LATTICE_LAWS_H

#include <stdbool.h>

struct lattice_ops {
	const char *name;					/* printed with the count */
	void *(*random)(void *ctx);				/* a new random element */
	bool (*le)(void *ctx, const void *a, const void *b);
	bool (*eq)(void *ctx, const void *a, const void *b);
	void *(*join)(void *ctx, const void *a, const void *b);	/* a new element */
	void *(*meet)(void *ctx, const void *a, const void *b);	/* a new element */
	void (*free)(void *ctx, void *x);
	void *ctx;						/* passed to each */
};

/*
 * Draws ntriples triples (a, b, c) and asserts, with cmocka, that <= is a
 * partial order, join and meet are least upper and greatest lower bounds,
 * agree with <=, and are commutative, associative, idempotent and
 * absorptive. Prints and returns the number of random elements checked.
 */
unsigned check_lattice_laws(const struct lattice_ops *ops, unsigned ntriples);

#endif
