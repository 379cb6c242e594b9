/* The lattice laws on random triples; see lattice_laws.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "tests/liblattice/lattice_laws.h"

static void
check_triple(const struct lattice_ops *o, void *a, void *b, void *c)
{
	void *cx = o->ctx;
	void *j = o->join(cx, a, b), *m = o->meet(cx, a, b);
	void *t, *u, *v;

	/* partial order */
	assert_true(o->le(cx, a, a));
	if (o->le(cx, a, b) && o->le(cx, b, a))
		assert_true(o->eq(cx, a, b));
	if (o->le(cx, a, b) && o->le(cx, b, c))
		assert_true(o->le(cx, a, c));
	/* bounds, and the bounds are the least and greatest */
	assert_true(o->le(cx, a, j) && o->le(cx, b, j));
	assert_true(o->le(cx, m, a) && o->le(cx, m, b));
	if (o->le(cx, a, c) && o->le(cx, b, c))
		assert_true(o->le(cx, j, c));
	if (o->le(cx, c, a) && o->le(cx, c, b))
		assert_true(o->le(cx, c, m));
	/* a <= b iff a | b = b iff a & b = a */
	assert_int_equal(o->le(cx, a, b), o->eq(cx, j, b));
	assert_int_equal(o->le(cx, a, b), o->eq(cx, m, a));
	/* commutativity */
	t = o->join(cx, b, a);
	assert_true(o->eq(cx, t, j));
	o->free(cx, t);
	t = o->meet(cx, b, a);
	assert_true(o->eq(cx, t, m));
	o->free(cx, t);
	/* associativity */
	t = o->join(cx, j, c);
	u = o->join(cx, b, c);
	v = o->join(cx, a, u);
	assert_true(o->eq(cx, t, v));
	o->free(cx, t);
	o->free(cx, u);
	o->free(cx, v);
	t = o->meet(cx, m, c);
	u = o->meet(cx, b, c);
	v = o->meet(cx, a, u);
	assert_true(o->eq(cx, t, v));
	o->free(cx, t);
	o->free(cx, u);
	o->free(cx, v);
	/* idempotence */
	t = o->join(cx, a, a);
	assert_true(o->eq(cx, t, a));
	o->free(cx, t);
	t = o->meet(cx, a, a);
	assert_true(o->eq(cx, t, a));
	o->free(cx, t);
	/* absorption */
	t = o->meet(cx, a, j);
	assert_true(o->eq(cx, t, a));
	o->free(cx, t);
	t = o->join(cx, a, m);
	assert_true(o->eq(cx, t, a));
	o->free(cx, t);
	o->free(cx, j);
	o->free(cx, m);
}

unsigned
check_lattice_laws(const struct lattice_ops *o, unsigned ntriples)
{
	unsigned k, comparable = 0;

	for (k = 0; k < ntriples; k++) {
		void *a = o->random(o->ctx), *b = o->random(o->ctx), *c = o->random(o->ctx);

		comparable += o->le(o->ctx, a, b) || o->le(o->ctx, b, a);
		check_triple(o, a, b, c);
		o->free(o->ctx, a);
		o->free(o->ctx, b);
		o->free(o->ctx, c);
	}
	/* A generator whose elements are all comparable (or none are) would
	 * make half of the laws vacuous. */
	assert_true(comparable > ntriples / 10 && comparable < ntriples - ntriples / 10);
	printf("%s lattice: %u random elements checked in %u triples (%u comparable pairs)\n",
	       o->name, 3 * ntriples, ntriples, comparable);
	return 3 * ntriples;
}
