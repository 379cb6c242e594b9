/*
 * Pattern -> Thompson NFA -> DFA by subset construction -> minimal DFA.
 *
 * Thompson's construction keeps the NFA linear in the pattern (bounded
 * repeats are copied, so their size is capped separately); the subset
 * construction works on byte classes (the coarsest partition of the bytes
 * that every set in the pattern respects), so a state has one transition
 * per class rather than 256. The state limit is checked as states are
 * created, so a pathological pattern fails fast with IX_ELIMIT.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "liblattice/re_ast.h"

/* Thompson states a pattern may expand to (bounded repeats copy). */
#define RE_NFA_MAX 250000
/* NFA state ids stored over all DFA states of one construction. */
#define RE_POOL_MAX (1u << 24)

enum nfa_kind { NFA_SET, NFA_SPLIT, NFA_MATCH };

struct nstate {
	uint8_t kind;		/* enum nfa_kind */
	uint32_t set;		/* SET: index into the AST's sets */
	int32_t out;		/* SET: target; SPLIT: first branch */
	int32_t out1;		/* SPLIT: second branch, or -1 */
};

struct nfa {
	struct nstate *st;	/* states */
	size_t n;		/* used */
	size_t cap;		/* allocated */
	const struct re_ast *ast; /* tree being translated */
	struct ix_err *err;	/* where errors go */
};

static int32_t
nfa_add(struct nfa *m, uint8_t kind, uint32_t set, int32_t out, int32_t out1)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct nstate *st;

		if (m->n >= RE_NFA_MAX) {
			ix_err_set(m->err, IX_ELIMIT,
				   "pattern expands to more than %d automaton nodes "
				   "(repetition bounds too large)", RE_NFA_MAX);
			return -1;
		}
		if (cap > RE_NFA_MAX)
			cap = RE_NFA_MAX;
		st = realloc(m->st, cap * sizeof *st);
		if (st == NULL) {
			ix_err_set(m->err, IX_ENOMEM, "out of memory compiling pattern");
			return -1;
		}
		m->st = st;
		m->cap = cap;
	}
	m->st[m->n] = (struct nstate){ kind, set, out, out1 };
	return (int32_t)m->n++;
}

/* Builds the states of node leading to next; returns the entry state.
 * Recursion depth is bounded by the parser's group nesting limit. */
static int32_t
build(struct nfa *m, int32_t node, int32_t next)
{
	const struct re_node *nd = &m->ast->nodes[node];
	int32_t s, c, t;

	switch (nd->kind) {
	case RE_N_EPS:
		return next;
	case RE_N_SET:
		return nfa_add(m, NFA_SET, nd->set, next, -1);
	case RE_N_CAT: {
		/* Children are a singly linked list; build from the last. */
		int32_t stack_small[64], *order = stack_small;
		size_t k = 0, cap = 64;

		for (c = nd->first; c >= 0; c = m->ast->nodes[c].next) {
			if (k == cap) {
				int32_t *o = malloc(cap * 2 * sizeof *o);

				if (o == NULL) {
					if (order != stack_small)
						free(order);
					ix_err_set(m->err, IX_ENOMEM, "out of memory compiling pattern");
					return -1;
				}
				memcpy(o, order, k * sizeof *o);
				if (order != stack_small)
					free(order);
				order = o;
				cap *= 2;
			}
			order[k++] = c;
		}
		while (k > 0 && next >= 0)
			next = build(m, order[--k], next);
		if (order != stack_small)
			free(order);
		return next;
	}
	case RE_N_ALT:
		/* Each alternative in turn, joined by a chain of splits. */
		s = -1;
		for (c = nd->first; c >= 0; c = m->ast->nodes[c].next) {
			t = build(m, c, next);
			if (t < 0)
				return -1;
			if (s < 0) {
				s = t;
			} else {
				s = nfa_add(m, NFA_SPLIT, 0, s, t);
				if (s < 0)
					return -1;
			}
		}
		return s;
	case RE_N_REPEAT:
		break;
	}
	c = nd->first;
	if (nd->max < 0) {
		/* loop: split(child -> loop, next) */
		s = nfa_add(m, NFA_SPLIT, 0, -1, next);
		if (s < 0)
			return -1;
		t = build(m, c, s);
		if (t < 0)
			return -1;
		m->st[s].out = t;
		if (nd->min == 0)
			return s;
		/* x+ enters the body once before the loop; x{m,} = x^(m-1) x+ */
		next = t;
		for (int i = 1; i < nd->min && next >= 0; i++)
			next = build(m, c, next);
		return next;
	}
	/* x{m,n} = x^m (x(x(...)?)?)? with n-m nested optional copies. */
	t = next;
	for (int i = 0; i < nd->max - nd->min && t >= 0; i++) {
		int32_t body = build(m, c, t);

		if (body < 0)
			return -1;
		t = nfa_add(m, NFA_SPLIT, 0, body, next);
	}
	for (int i = 0; i < nd->min && t >= 0; i++)
		t = build(m, c, t);
	return t;
}

/* The coarsest partition of bytes that keeps every set of the pattern
 * whole; fills classmap and returns the number of classes. */
static uint32_t
byte_classes(const struct re_ast *ast, uint8_t classmap[256])
{
	uint32_t nc = 1;
	int16_t map[512];

	memset(classmap, 0, 256);
	for (size_t i = 0; i < ast->nsets && nc < 256; i++) {
		const struct re_set *s = &ast->sets[i];
		uint32_t nn = 0;

		memset(map, 0xff, sizeof map);
		for (unsigned b = 0; b < 256; b++) {
			unsigned k = classmap[b] * 2u + re_set_has(s, b);

			if (map[k] < 0)
				map[k] = (int16_t)nn++;
			classmap[b] = (uint8_t)map[k];
		}
		nc = nn;
	}
	return nc;
}

struct subset {
	struct nfa *m;		/* the NFA */
	uint32_t nc;		/* byte classes */
	struct re_set *setcls;	/* per AST set: the classes it contains */
	int32_t *pool;		/* NFA ids of all DFA states, back to back */
	size_t pooln, poolcap;	/* used, allocated */
	size_t *off;		/* DFA state -> first id in pool */
	uint32_t *cnt;		/* DFA state -> number of ids */
	size_t nd, dcap;	/* DFA states, allocated */
	int32_t *trans;		/* nd * nc */
	uint8_t *accept;	/* nd */
	int32_t *hash;		/* open addressing table of DFA states, -1 free */
	size_t hcap;		/* its size, a power of 2 */
	uint32_t *mark;		/* NFA state -> generation of the last visit */
	uint32_t gen;		/* current generation */
	int32_t *stack;		/* closure work list, m->n entries */
	int32_t *tmp;		/* closure result, m->n entries */
	size_t max_states;	/* limit */
	struct ix_err *err;	/* where errors go */
};

static uint64_t
hash_ids(const int32_t *ids, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++) {
		h ^= (uint32_t)ids[i];
		h *= 1099511628211ull;
	}
	return h ^ (h >> 29);
}

static void
sort_ids(int32_t *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		int32_t v = a[i];
		size_t j = i;

		while (j > 0 && a[j - 1] > v) {
			a[j] = a[j - 1];
			j--;
		}
		a[j] = v;
		if (i == 32 && n > 64) {
			/* long sets: fall back to a heap-free shell sort */
			for (size_t gap = n / 2; gap > 0; gap /= 2)
				for (size_t x = gap; x < n; x++) {
					int32_t y = a[x];
					size_t z = x;

					for (; z >= gap && a[z - gap] > y; z -= gap)
						a[z] = a[z - gap];
					a[z] = y;
				}
			return;
		}
	}
}

static int
grow_hash(struct subset *S)
{
	size_t cap = S->hcap ? S->hcap * 2 : 256;
	int32_t *h = malloc(cap * sizeof *h);

	if (h == NULL)
		return ix_err_set(S->err, IX_ENOMEM, "out of memory compiling pattern");
	memset(h, 0xff, cap * sizeof *h);
	for (size_t d = 0; d < S->nd; d++) {
		size_t i = hash_ids(S->pool + S->off[d], S->cnt[d]) & (cap - 1);

		while (h[i] >= 0)
			i = (i + 1) & (cap - 1);
		h[i] = (int32_t)d;
	}
	free(S->hash);
	S->hash = h;
	S->hcap = cap;
	return 0;
}

/* The DFA state of the set tmp[0..n) (sorted), created if new. */
static int32_t
intern(struct subset *S, size_t n)
{
	uint64_t h = hash_ids(S->tmp, n);
	size_t i;
	int32_t d;
	bool acc = false;

	for (i = h & (S->hcap - 1); S->hash[i] >= 0; i = (i + 1) & (S->hcap - 1)) {
		d = S->hash[i];
		if (S->cnt[d] == n && memcmp(S->pool + S->off[d], S->tmp, n * sizeof *S->tmp) == 0)
			return d;
	}
	if (S->nd >= S->max_states) {
		ix_err_set(S->err, IX_ELIMIT,
			   "pattern needs more than %zu DFA states (state limit)", S->max_states);
		return -1;
	}
	if (S->pooln + n > RE_POOL_MAX) {
		ix_err_set(S->err, IX_ELIMIT,
			   "pattern needs more than %u NFA-set entries (memory limit)", RE_POOL_MAX);
		return -1;
	}
	if (S->pooln + n > S->poolcap) {
		size_t cap = S->poolcap ? S->poolcap : 1024;
		int32_t *pool;

		while (cap < S->pooln + n)
			cap *= 2;
		pool = realloc(S->pool, cap * sizeof *pool);
		if (pool == NULL)
			goto nomem;
		S->pool = pool;
		S->poolcap = cap;
	}
	if (S->nd == S->dcap) {
		size_t cap = S->dcap ? S->dcap * 2 : 64;
		size_t *off = realloc(S->off, cap * sizeof *off);
		uint32_t *cnt;
		uint8_t *accept;
		int32_t *trans;

		if (off == NULL)
			goto nomem;
		S->off = off;
		cnt = realloc(S->cnt, cap * sizeof *cnt);
		if (cnt == NULL)
			goto nomem;
		S->cnt = cnt;
		accept = realloc(S->accept, cap);
		if (accept == NULL)
			goto nomem;
		S->accept = accept;
		trans = realloc(S->trans, cap * S->nc * sizeof *trans);
		if (trans == NULL)
			goto nomem;
		S->trans = trans;
		S->dcap = cap;
	}
	d = (int32_t)S->nd++;
	memcpy(S->pool + S->pooln, S->tmp, n * sizeof *S->tmp);
	S->off[d] = S->pooln;
	S->cnt[d] = (uint32_t)n;
	S->pooln += n;
	for (size_t k = 0; k < n; k++)
		if (S->m->st[S->tmp[k]].kind == NFA_MATCH)
			acc = true;
	S->accept[d] = acc;
	for (uint32_t c = 0; c < S->nc; c++)
		S->trans[(size_t)d * S->nc + c] = -1;
	S->hash[i] = d;
	if (S->nd * 2 > S->hcap && grow_hash(S) < 0)
		return -1;
	return d;
nomem:
	ix_err_set(S->err, IX_ENOMEM, "out of memory compiling pattern");
	return -1;
}

/* Epsilon closure of the n states on S->stack; keeps only SET and MATCH
 * states (the ones that matter for the DFA) in S->tmp, sorted. */
static size_t
closure(struct subset *S, size_t n)
{
	size_t out = 0;

	S->gen++;
	for (size_t i = 0; i < n; i++)
		S->mark[S->stack[i]] = S->gen;
	while (n > 0) {
		int32_t s = S->stack[--n];
		const struct nstate *st = &S->m->st[s];

		if (st->kind != NFA_SPLIT) {
			S->tmp[out++] = s;
			continue;
		}
		if (st->out >= 0 && S->mark[st->out] != S->gen) {
			S->mark[st->out] = S->gen;
			S->stack[n++] = st->out;
		}
		if (st->out1 >= 0 && S->mark[st->out1] != S->gen) {
			S->mark[st->out1] = S->gen;
			S->stack[n++] = st->out1;
		}
	}
	sort_ids(S->tmp, out);
	return out;
}

static int
determinise(struct subset *S, int32_t start)
{
	struct nfa *m = S->m;
	uint32_t *count = calloc(S->nc + 1, sizeof *count);
	int32_t *bytarget = NULL;	/* targets grouped by class */
	uint8_t *pcls = NULL;
	int32_t *ptgt = NULL;
	size_t pcap = 0;
	int rc = -1;

	if (count == NULL)
		goto nomem;
	S->stack[0] = start;
	if (intern(S, closure(S, 1)) < 0)
		goto out;
	for (size_t d = 0; d < S->nd; d++) {
		size_t np = 0;

		/* (class, target) pairs of every SET state in d */
		for (uint32_t k = 0; k < S->cnt[d]; k++) {
			const struct nstate *st = &m->st[S->pool[S->off[d] + k]];
			const struct re_set *cls;

			if (st->kind != NFA_SET)
				continue;
			cls = &S->setcls[st->set];
			for (int w = 0; w < 4; w++) {
				for (uint64_t bits = cls->w[w]; bits; bits &= bits - 1) {
					if (np == pcap) {
						size_t cap = pcap ? pcap * 2 : 256;
						uint8_t *c2 = realloc(pcls, cap);
						int32_t *t2;

						if (c2 == NULL)
							goto nomem;
						pcls = c2;
						t2 = realloc(ptgt, cap * sizeof *t2);
						if (t2 == NULL)
							goto nomem;
						ptgt = t2;
						t2 = realloc(bytarget, cap * sizeof *t2);
						if (t2 == NULL)
							goto nomem;
						bytarget = t2;
						pcap = cap;
					}
					pcls[np] = (uint8_t)(w * 64 + __builtin_ctzll(bits));
					ptgt[np++] = st->out;
				}
			}
		}
		if (np == 0)
			continue;
		/* group the targets by class; one closure per class */
		memset(count, 0, (S->nc + 1) * sizeof *count);
		for (size_t i = 0; i < np; i++)
			count[pcls[i] + 1]++;
		for (uint32_t c = 0; c < S->nc; c++)
			count[c + 1] += count[c];
		for (size_t i = 0; i < np; i++)
			bytarget[count[pcls[i]]++] = ptgt[i];
		/* count[c] is now the end of class c; starts are count[c-1] */
		for (uint32_t c = 0; c < S->nc; c++) {
			size_t lo = c ? count[c - 1] : 0, hi = count[c], n = 0;
			int32_t to;

			if (lo == hi)
				continue;
			S->gen++;
			for (size_t i = lo; i < hi; i++) {
				if (S->mark[bytarget[i]] != S->gen) {
					S->mark[bytarget[i]] = S->gen;
					S->stack[n++] = bytarget[i];
				}
			}
			to = intern(S, closure(S, n));
			if (to < 0)
				goto out;
			S->trans[d * S->nc + c] = to;
		}
	}
	rc = 0;
	goto out;
nomem:
	ix_err_set(S->err, IX_ENOMEM, "out of memory compiling pattern");
out:
	free(count);
	free(bytarget);
	free(pcls);
	free(ptgt);
	return rc;
}

int
re_compile_dfa(const char *pattern, size_t len, size_t max_states,
	       struct re_dfa *out, struct ix_err *err)
{
	struct re_ast ast;
	struct nfa m = { NULL, 0, 0, &ast, err };
	struct subset S;
	int32_t match, start;
	int rc = -1;

	memset(out, 0, sizeof *out);
	memset(&S, 0, sizeof S);
	if (re_parse(pattern, len, &ast, err) < 0)
		return -1;
	match = nfa_add(&m, NFA_MATCH, 0, -1, -1);
	start = match < 0 ? -1 : build(&m, ast.root, match);
	if (start < 0)
		goto out;

	S.m = &m;
	S.err = err;
	S.max_states = max_states ? max_states : IX_RE_STATES_MAX;
	S.nc = byte_classes(&ast, out->classmap);
	S.setcls = calloc(ast.nsets ? ast.nsets : 1, sizeof *S.setcls);
	S.mark = calloc(m.n, sizeof *S.mark);
	S.stack = malloc(m.n * sizeof *S.stack);
	S.tmp = malloc(m.n * sizeof *S.tmp);
	if (S.setcls == NULL || S.mark == NULL || S.stack == NULL || S.tmp == NULL) {
		ix_err_set(err, IX_ENOMEM, "out of memory compiling pattern");
		goto out;
	}
	for (size_t i = 0; i < ast.nsets; i++)
		for (unsigned b = 0; b < 256; b++)
			if (re_set_has(&ast.sets[i], b))
				re_set_add(&S.setcls[i], out->classmap[b]);
	if (grow_hash(&S) < 0 || determinise(&S, start) < 0)
		goto out;

	out->nstates = (uint32_t)S.nd;
	out->nclasses = S.nc;
	out->trans = S.trans;
	out->accept = S.accept;
	S.trans = NULL;
	S.accept = NULL;
	/* nfa_add() and intern() refuse a node, a state or an NFA-set entry
	 * past its limit, so the construction ends within all of them, and
	 * every target it wrote is a state it made */
	assert(m.n <= RE_NFA_MAX && S.pooln <= RE_POOL_MAX);
	assert(re_dfa_check(out, S.max_states));
	rc = re_dfa_minimise(out, 0, err);
out:
	if (rc < 0)
		re_dfa_fini(out);
	re_ast_fini(&ast);
	free(m.st);
	free(S.setcls);
	free(S.mark);
	free(S.stack);
	free(S.tmp);
	free(S.pool);
	free(S.off);
	free(S.cnt);
	free(S.trans);
	free(S.accept);
	free(S.hash);
	return rc;
}
