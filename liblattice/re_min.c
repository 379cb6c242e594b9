/*
 * DFA minimisation and canonical form.
 *
 * Minimisation is Valmari and Lehtinen's partition refinement ("Fast brief
 * practical DFA minimization", IPL 112(6), 2012): Hopcroft's algorithm
 * over refinable partitions of states (blocks) and of transitions (cords),
 * O(m log n) for m transitions, and correct for partial automata, which is
 * what we keep (the dead state stays implicit). The canonical form
 * (re_impl.h) then makes equal languages equal byte for byte.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "liblattice/re_impl.h"

/* Live transitions an automaton may have while it is minimised. */
#define RE_TRANS_MAX (4u << 20)

void
re_dfa_fini(struct re_dfa *d)
{
	if (d == NULL)
		return;
	free(d->trans);
	free(d->accept);
	memset(d, 0, sizeof *d);
	d->nclasses = 1;
}

static void
make_empty(struct re_dfa *d)
{
	re_dfa_fini(d);
}

/* A refinable partition of the integers 0..n-1. */
struct part {
	int32_t z;	/* number of sets */
	int32_t *E;	/* elements, grouped by set */
	int32_t *L;	/* element -> its index in E */
	int32_t *S;	/* element -> its set */
	int32_t *F;	/* set -> first index in E */
	int32_t *P;	/* set -> one past its last index in E */
};

/* Marking state shared by both partitions, as in the paper. */
struct marks {
	int32_t *M;	/* set -> number of marked elements */
	int32_t *W;	/* sets with marked elements */
	int32_t w;	/* entries in W */
};

static int
part_init(struct part *p, size_t n)
{
	size_t sz = n ? n : 1;

	p->E = malloc(sz * sizeof *p->E);
	p->L = malloc(sz * sizeof *p->L);
	p->S = malloc(sz * sizeof *p->S);
	p->F = malloc(sz * sizeof *p->F);
	p->P = malloc(sz * sizeof *p->P);
	if (!p->E || !p->L || !p->S || !p->F || !p->P)
		return -1;
	for (size_t i = 0; i < n; i++) {
		p->E[i] = p->L[i] = (int32_t)i;
		p->S[i] = 0;
	}
	p->z = n > 0;
	p->F[0] = 0;
	p->P[0] = (int32_t)n;
	return 0;
}

static void
part_fini(struct part *p)
{
	free(p->E);
	free(p->L);
	free(p->S);
	free(p->F);
	free(p->P);
}

static void
part_mark(struct part *p, struct marks *k, int32_t e)
{
	int32_t s = p->S[e], i = p->L[e], j = p->F[s] + k->M[s];

	p->E[i] = p->E[j];
	p->L[p->E[i]] = i;
	p->E[j] = e;
	p->L[e] = j;
	if (!k->M[s]++)
		k->W[k->w++] = s;
}

/* Splits every set with marked elements into marked and unmarked parts;
 * the smaller part becomes a new set. */
static void
part_split(struct part *p, struct marks *k)
{
	while (k->w) {
		int32_t s = k->W[--k->w], j = p->F[s] + k->M[s], z = p->z;

		if (j == p->P[s]) {
			k->M[s] = 0;
			continue;
		}
		if (k->M[s] <= p->P[s] - j) {
			p->F[z] = p->F[s];
			p->P[z] = p->F[s] = j;
		} else {
			p->P[z] = p->P[s];
			p->F[z] = p->P[s] = j;
		}
		for (int32_t i = p->F[z]; i < p->P[z]; i++)
			p->S[p->E[i]] = z;
		k->M[s] = k->M[z] = 0;
		p->z++;
	}
}

/*
 * Canonical form of a trimmed minimal automaton with start state start:
 * merge byte classes with equal columns, then number the states
 * breadth-first. Replaces d's arrays.
 */
static int
canonical(struct re_dfa *d, int32_t start, struct ix_err *err)
{
	uint32_t n = d->nstates, k = d->nclasses, nk = 0;
	int16_t group[256], canon[256];
	uint8_t rep[256];	/* canonical class -> one old class */
	uint64_t hash[256];
	int32_t *order = NULL, *num = NULL, *trans = NULL;
	uint8_t *accept = NULL, classmap[256];

	if (n == 0) {
		make_empty(d);
		return 0;
	}
	assert(start >= 0 && (uint32_t)start < n);
	/* group[c]: the first class whose column equals c's */
	for (uint32_t c = 0; c < k; c++) {
		uint64_t h = 1469598103934665603ull;

		for (uint32_t q = 0; q < n; q++) {
			h ^= (uint32_t)d->trans[(size_t)q * k + c];
			h *= 1099511628211ull;
		}
		hash[c] = h;
		group[c] = (int16_t)c;
		for (uint32_t r = 0; r < c; r++) {
			uint32_t q;

			if (group[r] != (int16_t)r || hash[r] != h)
				continue;
			for (q = 0; q < n; q++)
				if (d->trans[(size_t)q * k + c] != d->trans[(size_t)q * k + r])
					break;
			if (q == n) {
				group[c] = (int16_t)r;
				break;
			}
		}
	}
	/* canonical class numbers in the order of their smallest byte */
	memset(canon, 0xff, sizeof canon);
	for (unsigned b = 0; b < 256; b++) {
		int16_t g = group[d->classmap[b]];

		if (canon[g] < 0) {
			canon[g] = (int16_t)nk;
			rep[nk++] = (uint8_t)g;
		}
		classmap[b] = (uint8_t)canon[g];
	}

	order = malloc(n * sizeof *order);
	num = malloc(n * sizeof *num);
	trans = malloc((size_t)n * nk * sizeof *trans);
	accept = malloc(n);
	if (!order || !num || !trans || !accept) {
		free(order);
		free(num);
		free(trans);
		free(accept);
		return ix_err_set(err, IX_ENOMEM, "out of memory minimising automaton");
	}
	for (uint32_t q = 0; q < n; q++)
		num[q] = -1;
	/* breadth-first numbering; order[] doubles as the queue */
	uint32_t head = 0, tail = 0;

	num[start] = 0;
	order[tail++] = start;
	while (head < tail) {
		int32_t q = order[head++];

		for (uint32_t c = 0; c < nk; c++) {
			int32_t t = d->trans[(size_t)q * k + rep[c]];

			if (t >= 0 && num[t] < 0) {
				num[t] = (int32_t)tail;
				order[tail++] = t;
			}
		}
	}
	/* every state of a trimmed automaton is reachable (a literal's chain
	 * or a quotient of live states), so none is lost here */
	assert(tail == n);
	for (uint32_t i = 0; i < tail; i++) {
		int32_t q = order[i];

		accept[i] = d->accept[q];
		for (uint32_t c = 0; c < nk; c++) {
			int32_t t = d->trans[(size_t)q * k + rep[c]];

			trans[(size_t)i * nk + c] = t >= 0 ? num[t] : -1;
		}
	}
	free(order);
	free(num);
	free(d->trans);
	free(d->accept);
	d->trans = trans;
	d->accept = accept;
	d->nstates = tail;
	d->nclasses = nk;
	memcpy(d->classmap, classmap, sizeof classmap);
	return 0;
}

int
re_dfa_canonicalise(struct re_dfa *d, struct ix_err *err)
{
	return canonical(d, 0, err);
}

#ifndef NDEBUG
/*
 * The refinement reached its fixed point: the blocks of B form a
 * congruence of the live part of d (every state of a block accepts alike
 * and moves on each class into one same block, or to the dead state), so
 * that one more refinement step would split nothing and the quotient q,
 * built from the transitions with the last writer winning, recognises d's
 * language. Minimality (no coarser such partition) is checked on the
 * result, by re_dfa_check_minimal.
 */
static bool
blocks_are_stable(const struct re_dfa *d, const int32_t *live, const struct part *B,
		  const struct re_dfa *q)
{
	uint32_t k = d->nclasses;

	for (uint32_t s = 0; s < d->nstates; s++) {
		int32_t b = live[s] >= 0 ? B->S[live[s]] : -1;

		if (b < 0)
			continue;
		assert(q->accept[b] == d->accept[s]);
		for (uint32_t c = 0; c < k; c++) {
			int32_t x = d->trans[(size_t)s * k + c];
			int32_t to = x >= 0 && live[x] >= 0 ? B->S[live[x]] : -1;

			assert(q->trans[(size_t)b * k + c] == to);
		}
	}
	return true;
}
#endif

int
re_dfa_minimise(struct re_dfa *d, int32_t start, struct ix_err *err)
{
	uint32_t n = d->nstates, k = d->nclasses;
	int32_t *live = NULL, *queue = NULL, *rstart = NULL, *radj = NULL;
	int32_t *T = NULL, *Lb = NULL, *H = NULL, *A = NULL, *Fa = NULL;
	struct part B = { 0 }, C = { 0 };
	struct marks mk = { NULL, NULL, 0 };
	struct re_dfa q = { 0 };
	size_t mm = 0, nn = 0, ntr = 0;
	int rc = -1;

	if (start < 0 || n == 0) {
		make_empty(d);
		return 0;
	}
	assert((uint32_t)start < n);
	assert(re_dfa_check(d, 0));
	live = malloc(n * sizeof *live);
	queue = malloc(n * sizeof *queue);
	rstart = calloc((size_t)n + 1, sizeof *rstart);
	if (!live || !queue || !rstart)
		goto nomem;

	/* forward reachability: live[] = 1 for reachable */
	memset(live, 0, n * sizeof *live);
	{
		uint32_t h = 0, t = 0;

		live[start] = 1;
		queue[t++] = start;
		while (h < t) {
			int32_t s = queue[h++];

			for (uint32_t c = 0; c < k; c++) {
				int32_t x = d->trans[(size_t)s * k + c];

				if (x >= 0) {
					ntr++;
					if (!live[x]) {
						live[x] = 1;
						queue[t++] = x;
					}
				}
			}
		}
	}
	/* backward from accepting states over reachable ones: live = 2 */
	radj = malloc((ntr ? ntr : 1) * sizeof *radj);
	if (radj == NULL)
		goto nomem;
	for (uint32_t s = 0; s < n; s++)
		if (live[s])
			for (uint32_t c = 0; c < k; c++)
				if (d->trans[(size_t)s * k + c] >= 0)
					rstart[d->trans[(size_t)s * k + c] + 1]++;
	for (uint32_t s = 0; s < n; s++)
		rstart[s + 1] += rstart[s];
	for (uint32_t s = 0; s < n; s++)
		if (live[s])
			for (uint32_t c = 0; c < k; c++) {
				int32_t x = d->trans[(size_t)s * k + c];

				if (x >= 0)
					radj[rstart[x]++] = (int32_t)s;
			}
	/* rstart[x] is now the end of x's list; its start is rstart[x-1] */
	{
		uint32_t h = 0, t = 0;

		for (uint32_t s = 0; s < n; s++)
			if (live[s] && d->accept[s]) {
				live[s] = 2;
				queue[t++] = (int32_t)s;
			}
		while (h < t) {
			int32_t s = queue[h++];

			for (int32_t i = s ? rstart[s - 1] : 0; i < rstart[s]; i++)
				if (live[radj[i]] == 1) {
					live[radj[i]] = 2;
					queue[t++] = radj[i];
				}
		}
	}
	if (live[start] != 2) {
		make_empty(d);
		rc = 0;
		goto out;
	}
	/* number the live states; live[s] becomes the new number or -1 */
	for (uint32_t s = 0; s < n; s++)
		live[s] = live[s] == 2 ? (int32_t)nn++ : -1;
	for (uint32_t s = 0; s < n; s++)
		if (live[s] >= 0)
			for (uint32_t c = 0; c < k; c++) {
				int32_t x = d->trans[(size_t)s * k + c];

				if (x >= 0 && live[x] >= 0)
					mm++;
			}
	if (mm > RE_TRANS_MAX) {
		ix_err_set(err, IX_ELIMIT, "automaton has more than %u transitions", RE_TRANS_MAX);
		goto out;
	}
	T = malloc((mm ? mm : 1) * sizeof *T);
	Lb = malloc((mm ? mm : 1) * sizeof *Lb);
	H = malloc((mm ? mm : 1) * sizeof *H);
	A = malloc((mm ? mm : 1) * sizeof *A);
	Fa = calloc(nn + 1, sizeof *Fa);
	mk.M = calloc((mm > nn ? mm : nn) + 1, sizeof *mk.M);
	mk.W = malloc(((mm > nn ? mm : nn) + 1) * sizeof *mk.W);
	if (!T || !Lb || !H || !A || !Fa || !mk.M || !mk.W)
		goto nomem;
	{
		size_t t = 0;

		for (uint32_t s = 0; s < n; s++)
			if (live[s] >= 0)
				for (uint32_t c = 0; c < k; c++) {
					int32_t x = d->trans[(size_t)s * k + c];

					if (x >= 0 && live[x] >= 0) {
						T[t] = live[s];
						Lb[t] = (int32_t)c;
						H[t] = live[x];
						t++;
					}
				}
	}

	/* blocks: accepting states apart from the others */
	if (part_init(&B, nn) < 0 || part_init(&C, mm) < 0)
		goto nomem;
	for (uint32_t s = 0; s < n; s++)
		if (live[s] >= 0 && d->accept[s])
			part_mark(&B, &mk, live[s]);
	part_split(&B, &mk);

	/* cords: transitions grouped by label (counting sort) */
	if (mm > 0) {
		uint32_t cnt[257] = { 0 };

		for (size_t t = 0; t < mm; t++)
			cnt[Lb[t] + 1]++;
		for (uint32_t c = 0; c < k; c++)
			cnt[c + 1] += cnt[c];
		C.z = 0;
		for (uint32_t c = 0; c < k; c++)
			if (cnt[c + 1] > cnt[c]) {
				C.F[C.z] = (int32_t)cnt[c];
				C.P[C.z] = (int32_t)cnt[c + 1];
				C.z++;
			}
		for (size_t t = 0; t < mm; t++) {
			int32_t at = (int32_t)cnt[Lb[t]]++;

			C.E[at] = (int32_t)t;
			C.L[t] = at;
		}
		for (int32_t z = 0; z < C.z; z++)
			for (int32_t i = C.F[z]; i < C.P[z]; i++)
				C.S[C.E[i]] = z;
	}

	/* incoming transitions of each state: A[Fa[s] .. Fa[s+1]) */
	for (size_t t = 0; t < mm; t++)
		Fa[H[t] + 1]++;
	for (size_t s = 0; s < nn; s++)
		Fa[s + 1] += Fa[s];
	{
		int32_t *fill = malloc((nn + 1) * sizeof *fill);

		if (fill == NULL)
			goto nomem;
		memcpy(fill, Fa, (nn + 1) * sizeof *fill);
		for (size_t t = 0; t < mm; t++)
			A[fill[H[t]]++] = (int32_t)t;
		free(fill);
	}

	{
		int32_t b = 1, c = 0;

		while (c < C.z) {
			for (int32_t i = C.F[c]; i < C.P[c]; i++)
				part_mark(&B, &mk, T[C.E[i]]);
			part_split(&B, &mk);
			c++;
			while (b < B.z) {
				for (int32_t i = B.F[b]; i < B.P[b]; i++) {
					int32_t s = B.E[i];

					for (int32_t j = Fa[s]; j < Fa[s + 1]; j++)
						part_mark(&C, &mk, A[j]);
				}
				part_split(&C, &mk);
				b++;
			}
		}
	}

	/* the quotient automaton: one state per block */
	assert((size_t)B.z <= nn);
	q.nstates = (uint32_t)B.z;
	q.nclasses = k;
	memcpy(q.classmap, d->classmap, sizeof q.classmap);
	q.trans = malloc((size_t)B.z * k * sizeof *q.trans);
	q.accept = malloc((size_t)B.z);
	if (!q.trans || !q.accept)
		goto nomem;
	memset(q.trans, 0xff, (size_t)B.z * k * sizeof *q.trans);
	for (size_t t = 0; t < mm; t++)
		q.trans[(size_t)B.S[T[t]] * k + Lb[t]] = B.S[H[t]];
	for (uint32_t s = 0; s < n; s++)
		if (live[s] >= 0)
			q.accept[B.S[live[s]]] = d->accept[s];
	assert(blocks_are_stable(d, live, &B, &q));
	if (canonical(&q, B.S[live[start]], err) < 0)
		goto out;
	re_dfa_fini(d);
	*d = q;
	memset(&q, 0, sizeof q);
	/* minimising never adds a state, so the caller's state limit holds */
	assert(d->nstates <= n);
	rc = 0;
	goto out;
nomem:
	ix_err_set(err, IX_ENOMEM, "out of memory minimising automaton");
out:
	re_dfa_fini(&q);
	free(live);
	free(queue);
	free(rstart);
	free(radj);
	free(T);
	free(Lb);
	free(H);
	free(A);
	free(Fa);
	free(mk.M);
	free(mk.W);
	part_fini(&B);
	part_fini(&C);
	return rc;
}
