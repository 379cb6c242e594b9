/*
 * Product constructions: union (join), intersection (meet) and the
 * inclusion test. Pairs of states are explored breadth-first from the pair
 * of start states, over the byte classes of the common refinement of both
 * class maps; -1 stands for the (implicit) dead state on either side.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "liblattice/re_impl.h"

struct pairs {
	int64_t *key;		/* table of packed pairs, -2 for free */
	int32_t *id;		/* pair number, parallel to key */
	size_t cap;		/* table size, a power of 2 */
	int64_t *list;		/* pair number -> packed pair (the BFS queue) */
	size_t n;		/* pairs found */
	size_t listcap;		/* list allocated */
};

static int64_t
pack(int32_t p, int32_t q)
{
	return ((int64_t)(p + 1) << 32) | (uint32_t)(q + 1);
}

/* Both halves of the pair must reach the low bits: one side often stays in
 * the same state for long runs (murmur3's finaliser). */
static size_t
slot(int64_t key, size_t cap)
{
	uint64_t h = (uint64_t)key;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return (size_t)h & (cap - 1);
}

static int
pairs_grow(struct pairs *P)
{
	size_t cap = P->cap ? P->cap * 2 : 64;
	int64_t *key = malloc(cap * sizeof *key);
	int32_t *id = malloc(cap * sizeof *id);

	if (!key || !id) {
		free(key);
		free(id);
		return -1;
	}
	for (size_t i = 0; i < cap; i++)
		key[i] = -2;
	for (size_t j = 0; j < P->n; j++) {
		size_t i = slot(P->list[j], cap);

		while (key[i] != -2)
			i = (i + 1) & (cap - 1);
		key[i] = P->list[j];
		id[i] = (int32_t)j;
	}
	free(P->key);
	free(P->id);
	P->key = key;
	P->id = id;
	P->cap = cap;
	return 0;
}

/* Number of pair (p,q), added when new; -1 on memory failure. */
static int32_t
pairs_get(struct pairs *P, int32_t p, int32_t q)
{
	int64_t k = pack(p, q);
	size_t i;

	if (P->n * 2 >= P->cap && pairs_grow(P) < 0)
		return -1;
	for (i = slot(k, P->cap); P->key[i] != -2; i = (i + 1) & (P->cap - 1))
		if (P->key[i] == k)
			return P->id[i];
	if (P->n == P->listcap) {
		size_t cap = P->listcap ? P->listcap * 2 : 64;
		int64_t *l = realloc(P->list, cap * sizeof *l);

		if (l == NULL)
			return -1;
		P->list = l;
		P->listcap = cap;
	}
	P->key[i] = k;
	P->id[i] = (int32_t)P->n;
	P->list[P->n] = k;
	return (int32_t)P->n++;
}

static void
pairs_fini(struct pairs *P)
{
	free(P->key);
	free(P->id);
	free(P->list);
}

/* Classes of the common refinement: for each new class, one class of a
 * and one of b. Returns their number. */
static uint32_t
refine(const struct re_dfa *a, const struct re_dfa *b, uint8_t classmap[256],
       uint8_t ca[256], uint8_t cb[256])
{
	int16_t table[4096];	/* (class of a, class of b) -> new class */
	bool small = a->nclasses * b->nclasses <= 4096;
	uint32_t n = 0;

	if (small)
		memset(table, 0xff, a->nclasses * b->nclasses * sizeof *table);
	for (unsigned x = 0; x < 256; x++) {
		uint8_t u = a->classmap[x], v = b->classmap[x];
		uint32_t c;

		if (small) {
			int16_t *t = &table[u * b->nclasses + v];

			if (*t < 0) {
				*t = (int16_t)n;
				ca[n] = u;
				cb[n] = v;
				n++;
			}
			c = (uint32_t)*t;
		} else {
			for (c = 0; c < n; c++)
				if (ca[c] == u && cb[c] == v)
					break;
			if (c == n) {
				ca[n] = u;
				cb[n] = v;
				n++;
			}
		}
		classmap[x] = (uint8_t)c;
	}
	return n;
}

static int32_t
step(const struct re_dfa *d, int32_t s, uint8_t c)
{
	return s < 0 ? -1 : d->trans[(size_t)s * d->nclasses + c];
}

static bool
accepts(const struct re_dfa *d, int32_t s)
{
	return s >= 0 && d->accept[s];
}

int
re_dfa_product(const struct re_dfa *a, const struct re_dfa *b, enum re_op op,
	       size_t max_states, struct re_dfa *out, struct ix_err *err)
{
	struct pairs P = { 0 };
	uint8_t ca[256], cb[256];
	size_t tcap = 0;
	int32_t sa = a->nstates ? 0 : -1, sb = b->nstates ? 0 : -1;
	int rc;

	memset(out, 0, sizeof *out);
	out->nclasses = refine(a, b, out->classmap, ca, cb);
	if (max_states == 0)
		max_states = IX_RE_STATES_MAX;
	if (op == RE_OP_INTERSECT ? (sa < 0 || sb < 0) : (sa < 0 && sb < 0)) {
		rc = re_dfa_minimise(out, -1, err);
		assert(rc < 0 || re_dfa_check_product(a, b, op, out));
		return rc;
	}
	if (pairs_get(&P, sa, sb) < 0)
		goto nomem;
	for (size_t i = 0; i < P.n; i++) {
		int32_t p = (int32_t)((P.list[i] >> 32) - 1);
		int32_t q = (int32_t)((P.list[i] & 0xffffffff) - 1);

		if (i >= max_states) {
			ix_err_set(err, IX_ELIMIT,
				   "result needs more than %zu DFA states (state limit)", max_states);
			goto fail;
		}
		if (i == tcap) {
			size_t cap = tcap ? tcap * 2 : 64;
			int32_t *t = realloc(out->trans, cap * out->nclasses * sizeof *t);
			uint8_t *acc;

			if (t == NULL)
				goto nomem;
			out->trans = t;
			acc = realloc(out->accept, cap);
			if (acc == NULL)
				goto nomem;
			out->accept = acc;
			tcap = cap;
		}
		out->accept[i] = op == RE_OP_INTERSECT ? accepts(a, p) && accepts(b, q)
						       : accepts(a, p) || accepts(b, q);
		for (uint32_t c = 0; c < out->nclasses; c++) {
			int32_t np = step(a, p, ca[c]), nq = step(b, q, cb[c]), to = -1;

			if (op == RE_OP_INTERSECT ? (np >= 0 && nq >= 0) : (np >= 0 || nq >= 0)) {
				to = pairs_get(&P, np, nq);
				if (to < 0)
					goto nomem;
			}
			out->trans[i * out->nclasses + c] = to;
		}
		out->nstates = (uint32_t)(i + 1);
	}
	pairs_fini(&P);
	/* the loop ended when every pair it named had a row, each one under
	 * the limit: every target is a state */
	assert(re_dfa_check(out, max_states));
	rc = re_dfa_minimise(out, 0, err);
	assert(rc < 0 || re_dfa_check_product(a, b, op, out));
	return rc;
nomem:
	ix_err_set(err, IX_ENOMEM, "out of memory in product automaton");
fail:
	pairs_fini(&P);
	re_dfa_fini(out);
	return -1;
}

int
re_dfa_subset(const struct re_dfa *a, const struct re_dfa *b, struct ix_err *err)
{
	struct pairs P = { 0 };
	uint8_t ca[256], cb[256], classmap[256];
	uint32_t nc;
	int rc = 1;

	if (a->nstates == 0)
		return 1;
	if (b->nstates == 0)
		return 0;	/* a is not empty */
	nc = refine(a, b, classmap, ca, cb);
	if (pairs_get(&P, 0, 0) < 0)
		goto nomem;
	/* a's dead state reaches nothing accepting: never explored */
	for (size_t i = 0; i < P.n && rc == 1; i++) {
		int32_t p = (int32_t)((P.list[i] >> 32) - 1);
		int32_t q = (int32_t)((P.list[i] & 0xffffffff) - 1);

		/* every state of a is live: from p some word reaches acceptance,
		 * and it cannot be in b once b is dead */
		if (q < 0 || (a->accept[p] && !b->accept[q])) {
			rc = 0;
			break;
		}
		for (uint32_t c = 0; c < nc; c++) {
			int32_t np = step(a, p, ca[c]);

			if (np >= 0 && pairs_get(&P, np, step(b, q, cb[c])) < 0)
				goto nomem;
		}
	}
	pairs_fini(&P);
	return rc;
nomem:
	pairs_fini(&P);
	return ix_err_set(err, IX_ENOMEM, "out of memory in inclusion test");
}
