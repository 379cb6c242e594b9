/*
 * Debug-build checks of the automaton invariants (re_impl.h), called
 * inside assert() where the invariants must hold, and by the tests.
 *
 * They do not reuse the code they check: the breadth-first numbering is
 * walked again, and minimality is checked with Moore's refinement rather
 * than the Valmari-Lehtinen refinement of re_min.c, so that one mistake
 * cannot hide itself. A release build (NDEBUG) compiles none of this.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "liblattice/re_impl.h"

#ifndef NDEBUG

/* Transitions Moore's refinement may look at before the check gives up:
 * it needs one round per state on a chain, so a 4097-state chain would
 * cost 4097 rounds; such automata are left unchecked for minimality. */
#define RE_CHECK_WORK (1u << 20)

bool
re_dfa_check(const struct re_dfa *d, size_t max_states)
{
	size_t n = d->nstates, k = d->nclasses;

	assert(k >= 1 && k <= 256);
	assert(max_states == 0 || n <= max_states);
	for (unsigned b = 0; b < 256; b++)
		assert(d->classmap[b] < k);
	if (n == 0)
		return true;
	assert(d->trans != NULL && d->accept != NULL);
	for (size_t i = 0; i < n * k; i++)
		assert(d->trans[i] >= -1 && d->trans[i] < (int64_t)n);
	for (size_t q = 0; q < n; q++)
		assert(d->accept[q] <= 1);
	return true;
}

/* The block of the target of s on class c; -1 stands for the dead state. */
static int32_t
target_block(const struct re_dfa *d, const int32_t *blk, uint32_t s, uint32_t c)
{
	int32_t t = d->trans[(size_t)s * d->nclasses + c];

	return t < 0 ? -1 : blk[t];
}

static uint64_t
signature_hash(const struct re_dfa *d, const int32_t *blk, uint32_t s)
{
	uint64_t h = 1469598103934665603ull ^ (uint32_t)blk[s];

	for (uint32_t c = 0; c < d->nclasses; c++) {
		h ^= (uint32_t)target_block(d, blk, s, c);
		h *= 1099511628211ull;
	}
	return h ^ (h >> 29);
}

static bool
same_signature(const struct re_dfa *d, const int32_t *blk, uint32_t s, uint32_t r)
{
	if (blk[s] != blk[r])
		return false;
	for (uint32_t c = 0; c < d->nclasses; c++)
		if (target_block(d, blk, s, c) != target_block(d, blk, r, c))
			return false;
	return true;
}

/*
 * Moore's refinement: from {accepting, other states}, split every block
 * by the blocks its states move to until a round splits nothing. Returns
 * the number of blocks at that fixed point (the number of states of the
 * minimal automaton, when every state of d is live), or 0 when it would
 * take more than RE_CHECK_WORK steps or memory is short.
 */
static uint32_t
moore_blocks(const struct re_dfa *d)
{
	uint32_t n = d->nstates, blocks = 0, next;
	size_t cap = 2, work = 0;
	int32_t *blk = malloc(n * sizeof *blk), *nblk = malloc(n * sizeof *nblk), *tab, *swap;
	bool acc = false, rej = false;

	while (cap < 2 * (size_t)n)
		cap *= 2;
	tab = malloc(cap * sizeof *tab);
	if (blk == NULL || nblk == NULL || tab == NULL)
		goto out;
	for (uint32_t q = 0; q < n; q++) {
		blk[q] = d->accept[q];
		acc |= d->accept[q];
		rej |= !d->accept[q];
	}
	blocks = (uint32_t)acc + (uint32_t)rej;
	for (;;) {
		work += (size_t)n * d->nclasses;
		if (work > RE_CHECK_WORK) {
			blocks = 0;
			break;
		}
		memset(tab, 0xff, cap * sizeof *tab);
		next = 0;
		for (uint32_t s = 0; s < n; s++) {
			size_t i = signature_hash(d, blk, s) & (cap - 1);

			while (tab[i] >= 0 && !same_signature(d, blk, s, (uint32_t)tab[i]))
				i = (i + 1) & (cap - 1);
			if (tab[i] < 0) {
				tab[i] = (int32_t)s;
				nblk[s] = (int32_t)next++;
			} else {
				nblk[s] = nblk[tab[i]];
			}
		}
		swap = blk, blk = nblk, nblk = swap;
		/* each round refines the last: no new block means no split,
		 * and n blocks cannot split further */
		if (next == blocks || next == n) {
			blocks = next;
			break;
		}
		blocks = next;
	}
out:
	free(blk);
	free(nblk);
	free(tab);
	return blocks;
}

/* Asserts that every state can reach an accepting one, walking the
 * transitions backwards from the accepting states. */
static void
check_coreachable(const struct re_dfa *d)
{
	uint32_t n = d->nstates, k = d->nclasses, head = 0, tail = 0;
	size_t m = 0;
	uint32_t *start = calloc((size_t)n + 1, sizeof *start), *src, *queue;
	uint8_t *done;

	for (size_t i = 0; i < (size_t)n * k; i++)
		m += d->trans[i] >= 0;
	src = malloc((m ? m : 1) * sizeof *src);
	queue = malloc(n * sizeof *queue);
	done = calloc(n, 1);
	if (start == NULL || src == NULL || queue == NULL || done == NULL)
		goto out;	/* nothing to check with; the check is not the program */
	for (size_t i = 0; i < (size_t)n * k; i++)
		if (d->trans[i] >= 0)
			start[d->trans[i] + 1]++;
	for (uint32_t q = 0; q < n; q++)
		start[q + 1] += start[q];
	for (uint32_t q = 0; q < n; q++)
		for (uint32_t c = 0; c < k; c++) {
			int32_t t = d->trans[(size_t)q * k + c];

			if (t >= 0)
				src[start[t]++] = q;
		}
	/* start[t] is now the end of t's sources, start[t - 1] their start */
	for (uint32_t q = 0; q < n; q++)
		if (d->accept[q]) {
			done[q] = 1;
			queue[tail++] = q;
		}
	while (head < tail) {
		uint32_t t = queue[head++];

		for (uint32_t i = t ? start[t - 1] : 0; i < start[t]; i++)
			if (!done[src[i]]) {
				done[src[i]] = 1;
				queue[tail++] = src[i];
			}
	}
	/* the dead state is implicit: a state that accepts nothing is a copy of it */
	assert(tail == n);
out:
	free(start);
	free(src);
	free(queue);
	free(done);
}

/* Orders two classes (uint16_t) of the automaton arg by their columns,
 * the targets of states 0, 1, ... on each. */
static int
compare_columns(const void *x, const void *y, void *arg)
{
	const struct re_dfa *d = arg;
	uint32_t c = *(const uint16_t *)x, r = *(const uint16_t *)y;

	for (uint32_t q = 0; q < d->nstates; q++) {
		int32_t s = d->trans[(size_t)q * d->nclasses + c];
		int32_t t = d->trans[(size_t)q * d->nclasses + r];

		if (s != t)
			return s < t ? -1 : 1;
	}
	return 0;
}

bool
re_dfa_check_minimal(const struct re_dfa *d)
{
	uint32_t n = d->nstates, k = d->nclasses, next = 1, blocks;
	uint16_t cls[256];
	uint8_t *seen;
	int top = -1;

	assert(re_dfa_check(d, 0));
	/* classes numbered in the order of their smallest byte, none empty */
	for (unsigned b = 0; b < 256; b++) {
		assert(d->classmap[b] <= top + 1);
		if (d->classmap[b] == top + 1)
			top++;
	}
	assert((uint32_t)(top + 1) == k);
	/* the empty language has one form only: ix_re_equal compares arrays */
	if (n == 0) {
		assert(k == 1);
		return true;
	}
	/* states numbered breadth-first from 0, classes in increasing order:
	 * walking them again finds each new target under the next number, and
	 * reaches every state before its turn comes (all are reachable) */
	seen = calloc(n, 1);
	if (seen != NULL) {
		seen[0] = 1;
		for (uint32_t q = 0; q < n; q++) {
			assert(q < next);
			for (uint32_t c = 0; c < k; c++) {
				int32_t t = d->trans[(size_t)q * k + c];

				if (t >= 0 && !seen[t]) {
					assert((uint32_t)t == next);
					seen[t] = 1;
					next++;
				}
			}
		}
		free(seen);
	}
	check_coreachable(d);
	/* the coarsest classes: no two classes move every state alike; sorted
	 * by their columns, alike classes would be neighbours */
	for (uint32_t c = 0; c < k; c++)
		cls[c] = (uint16_t)c;
	qsort_r(cls, k, sizeof cls[0], compare_columns, (void *)d);
	for (uint32_t i = 1; i < k; i++)
		assert(compare_columns(&cls[i - 1], &cls[i], (void *)d) != 0);
	/* no two states equivalent: the refinement's fixed point keeps all
	 * n apart (0: not computed, the automaton is too long for the check) */
	blocks = moore_blocks(d);
	assert(blocks == 0 || blocks == n);
	return true;
}

bool
re_dfa_check_product(const struct re_dfa *a, const struct re_dfa *b, enum re_op op,
		     const struct re_dfa *r)
{
	size_t na = a->nstates, nb = b->nstates;

	assert(re_dfa_check(r, 0));
	/* states are pairs of states; a union also pairs a state with the
	 * dead state of the other side, but never two dead states */
	if (op == RE_OP_UNION)
		assert(r->nstates <= (na + 1) * (nb + 1) - 1);
	else
		assert(r->nstates <= na * nb);
	/* the bounds of a lattice (-1 would be memory running short) */
	if (op == RE_OP_UNION) {
		assert(re_dfa_subset(a, r, NULL) != 0);
		assert(re_dfa_subset(b, r, NULL) != 0);
	} else {
		assert(re_dfa_subset(r, a, NULL) != 0);
		assert(re_dfa_subset(r, b, NULL) != 0);
	}
	assert(re_dfa_subset(r, r, NULL) != 0);
	return true;
}

#endif
