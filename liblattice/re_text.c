/*
 * Pattern text of an automaton, by state elimination.
 *
 * The DFA becomes a generalised automaton whose edges carry regex terms
 * (plus a fresh start and final state); states are eliminated one at a
 * time, cheapest first (fewest in x out edges), until one edge from start
 * to final remains. Terms are hash-consed, so structurally equal terms are
 * the same term and the simplifications below (x|x = x, x x* = x+, ...)
 * are exact and cheap. Printing is iterative, so deep terms cannot exhaust
 * the stack. The result must fit in IX_RE_PATTERN_MAX so that it compiles
 * again; otherwise the caller gets IX_ELIMIT.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "liblattice/re_impl.h"

/* Automata with more states are not printed (their text would not fit). */
#define RE_TEXT_STATES_MAX 4096
/* Intermediate terms longer than this are hopeless: give up early. */
#define RE_TEXT_WORK_MAX (16 * IX_RE_PATTERN_MAX)
#define RE_TERMS_MAX (1 << 20)

enum tkind { T_EMPTY, T_EPS, T_SET, T_CAT, T_ALT, T_STAR, T_PLUS, T_OPT };

struct term {
	uint8_t kind;		/* enum tkind */
	int32_t a, b;		/* children (CAT, ALT: both; postfix: a), else -1 */
	int32_t set;		/* SET: index into sets */
	uint32_t len;		/* printed length in a context that needs no parentheses */
};

struct edge {
	int32_t to;		/* target node */
	int32_t term;		/* label */
};

struct node {
	struct edge *out;	/* outgoing edges, at most one per target */
	size_t nout, outcap;	/* used, allocated */
	int32_t *in;		/* sources of incoming edges */
	size_t nin, incap;	/* used, allocated */
	bool gone;		/* eliminated */
};

struct gen {
	struct term *t;		/* terms; 0 = EMPTY, 1 = EPS */
	size_t n, cap;		/* used, allocated */
	struct re_set *sets;	/* byte sets of SET terms (interned with them) */
	size_t nsets, setcap;	/* used, allocated */
	int32_t *tab;		/* hash-consing table of term ids, -1 free */
	size_t tabcap;		/* its size, a power of 2 */
	bool toolong;		/* some term exceeded RE_TEXT_WORK_MAX */
};

size_t
re_escape_byte(unsigned b, bool in_class, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	const char *meta = in_class ? "\\]-^[" : "\\.[]()|*+?{}^$";

	if (b >= 0x20 && b < 0x7f) {
		if (strchr(meta, (int)b)) {
			buf[0] = '\\';
			buf[1] = (char)b;
			return 2;
		}
		buf[0] = (char)b;
		return 1;
	}
	buf[0] = '\\';
	buf[1] = 'x';
	buf[2] = hex[b >> 4];
	buf[3] = hex[b & 15];
	return 4;
}

/* Writes the bracket body of s (ranges) into buf; returns its length. */
static size_t
print_ranges(const struct re_set *s, bool want, char *buf)
{
	size_t n = 0;

	for (unsigned lo = 0; lo < 256; lo++) {
		unsigned hi = lo;

		if (re_set_has(s, lo) != want)
			continue;
		while (hi + 1 < 256 && re_set_has(s, hi + 1) == want)
			hi++;
		n += re_escape_byte(lo, true, buf + n);
		if (hi == lo + 1) {
			n += re_escape_byte(hi, true, buf + n);
		} else if (hi > lo) {
			buf[n++] = '-';
			n += re_escape_byte(hi, true, buf + n);
		}
		lo = hi;
	}
	return n;
}

/* The shortest atom for a non-empty set: '.', a byte, [...] or [^...].
 * buf holds at least 1100 bytes. */
static size_t
print_set(const struct re_set *s, char *buf)
{
	char pos[1100], neg[1100];
	size_t np, nn, count = 0;
	unsigned last = 0;

	for (unsigned b = 0; b < 256; b++)
		if (re_set_has(s, b)) {
			count++;
			last = b;
		}
	if (count == 256) {
		buf[0] = '.';
		return 1;
	}
	if (count == 1)
		return re_escape_byte(last, false, buf);
	np = print_ranges(s, true, pos);
	nn = print_ranges(s, false, neg);
	if (nn + 1 < np) {
		buf[0] = '[';
		buf[1] = '^';
		memcpy(buf + 2, neg, nn);
		buf[nn + 2] = ']';
		return nn + 3;
	}
	buf[0] = '[';
	memcpy(buf + 1, pos, np);
	buf[np + 1] = ']';
	return np + 2;
}

static uint64_t
term_hash(uint8_t kind, int32_t a, int32_t b, const struct re_set *s)
{
	uint64_t h = kind * 0x9e3779b97f4a7c15ull;

	h ^= (uint64_t)(uint32_t)a * 0xc2b2ae3d27d4eb4full;
	h = (h << 31 | h >> 33) ^ (uint64_t)(uint32_t)b * 0x165667b19e3779f9ull;
	if (s)
		for (int i = 0; i < 4; i++)
			h = (h ^ s->w[i]) * 0x100000001b3ull;
	return h ^ (h >> 29);
}

static bool
same(const struct gen *g, int32_t id, uint8_t kind, int32_t a, int32_t b,
     const struct re_set *s)
{
	const struct term *t = &g->t[id];

	if (t->kind != kind || t->a != a || t->b != b)
		return false;
	return !s || memcmp(&g->sets[t->set], s, sizeof *s) == 0;
}

static uint64_t
hash_of(const struct gen *g, int32_t id)
{
	const struct term *t = &g->t[id];

	return term_hash(t->kind, t->a, t->b, t->kind == T_SET ? &g->sets[t->set] : NULL);
}

static int
tab_grow(struct gen *g)
{
	size_t cap = g->tabcap ? g->tabcap * 2 : 1024;
	int32_t *tab = malloc(cap * sizeof *tab);

	if (tab == NULL)
		return -1;
	memset(tab, 0xff, cap * sizeof *tab);
	for (size_t id = 0; id < g->n; id++) {
		size_t i = hash_of(g, (int32_t)id) & (cap - 1);

		while (tab[i] >= 0)
			i = (i + 1) & (cap - 1);
		tab[i] = (int32_t)id;
	}
	free(g->tab);
	g->tab = tab;
	g->tabcap = cap;
	return 0;
}

static bool
needs_parens(const struct gen *g, int32_t id, uint8_t ctx)
{
	uint8_t k = g->t[id].kind;

	if (ctx == T_CAT)
		return k == T_ALT;
	if (ctx == T_STAR)	/* any postfix operator */
		return k != T_SET;
	return false;
}

static uint32_t
plen(const struct gen *g, int32_t id, uint8_t ctx)
{
	return g->t[id].len + (needs_parens(g, id, ctx) ? 2 : 0);
}

/* The unique term (kind, a, b, s); -1 on memory or size failure. */
static int32_t
mk(struct gen *g, uint8_t kind, int32_t a, int32_t b, const struct re_set *s)
{
	uint64_t h = term_hash(kind, a, b, s);
	size_t i;
	struct term *t;
	uint32_t len;

	for (i = h & (g->tabcap - 1); g->tab[i] >= 0; i = (i + 1) & (g->tabcap - 1))
		if (same(g, g->tab[i], kind, a, b, s))
			return g->tab[i];
	switch (kind) {
	case T_SET: {
		char buf[1100];

		len = (uint32_t)print_set(s, buf);
		break;
	}
	case T_CAT:
		len = plen(g, a, T_CAT) + plen(g, b, T_CAT);
		break;
	case T_ALT:
		len = g->t[a].len + 1 + g->t[b].len;
		break;
	case T_STAR: case T_PLUS: case T_OPT:
		len = plen(g, a, T_STAR) + 1;
		break;
	case T_EPS:
		len = 0;
		break;
	default:
		len = 12;	/* [^\x00-\xff] */
		break;
	}
	if (len > RE_TEXT_WORK_MAX || g->n >= RE_TERMS_MAX) {
		g->toolong = true;
		return -1;
	}
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 256;
		struct term *nt = realloc(g->t, cap * sizeof *nt);

		if (nt == NULL)
			return -1;
		g->t = nt;
		g->cap = cap;
	}
	if (s && g->nsets == g->setcap) {
		size_t cap = g->setcap ? g->setcap * 2 : 64;
		struct re_set *ns = realloc(g->sets, cap * sizeof *ns);

		if (ns == NULL)
			return -1;
		g->sets = ns;
		g->setcap = cap;
	}
	t = &g->t[g->n];
	t->kind = kind;
	t->a = a;
	t->b = b;
	t->len = len;
	t->set = -1;
	if (s) {
		t->set = (int32_t)g->nsets;
		g->sets[g->nsets++] = *s;
	}
	g->tab[i] = (int32_t)g->n;
	g->n++;
	if (g->n * 2 > g->tabcap && tab_grow(g) < 0)
		return -1;
	return (int32_t)g->n - 1;
}

#define TEMPTY 0
#define TEPS 1

static int32_t
mk_set(struct gen *g, const struct re_set *s)
{
	if ((s->w[0] | s->w[1] | s->w[2] | s->w[3]) == 0)
		return TEMPTY;
	return mk(g, T_SET, -1, -1, s);
}

static int32_t
mk_star(struct gen *g, int32_t x)
{
	if (x < 0)
		return -1;
	switch (g->t[x].kind) {
	case T_EMPTY: case T_EPS: return TEPS;
	case T_STAR: return x;
	case T_PLUS: case T_OPT: return mk_star(g, g->t[x].a);
	default: return mk(g, T_STAR, x, -1, NULL);
	}
}

static int32_t
mk_opt(struct gen *g, int32_t x)
{
	if (x < 0)
		return -1;
	switch (g->t[x].kind) {
	case T_EMPTY: case T_EPS: return TEPS;
	case T_STAR: case T_OPT: return x;
	case T_PLUS: return mk_star(g, g->t[x].a);
	default: return mk(g, T_OPT, x, -1, NULL);
	}
}

static int32_t
mk_plus(struct gen *g, int32_t x)
{
	if (x < 0)
		return -1;
	switch (g->t[x].kind) {
	case T_EMPTY: return TEMPTY;
	case T_EPS: return TEPS;
	case T_STAR: case T_PLUS: return x;
	case T_OPT: return mk_star(g, g->t[x].a);
	default: return mk(g, T_PLUS, x, -1, NULL);
	}
}

static int32_t
mk_cat(struct gen *g, int32_t x, int32_t y)
{
	if (x < 0 || y < 0)
		return -1;
	if (x == TEMPTY || y == TEMPTY)
		return TEMPTY;
	if (x == TEPS)
		return y;
	if (y == TEPS)
		return x;
	if (g->t[y].kind == T_STAR && g->t[y].a == x)
		return mk_plus(g, x);
	if (g->t[x].kind == T_STAR && g->t[x].a == y)
		return mk_plus(g, y);
	/* x (y z) where y = x*: keep right-nested so x x* z finds x x* */
	if (g->t[y].kind == T_CAT && g->t[g->t[y].a].kind == T_STAR &&
	    g->t[g->t[y].a].a == x)
		return mk_cat(g, mk_plus(g, x), g->t[y].b);
	return mk(g, T_CAT, x, y, NULL);
}

static int32_t
mk_alt(struct gen *g, int32_t x, int32_t y)
{
	if (x < 0 || y < 0)
		return -1;
	if (x == TEMPTY)
		return y;
	if (y == TEMPTY || x == y)
		return x;
	if (x == TEPS)
		return mk_opt(g, y);
	if (y == TEPS)
		return mk_opt(g, x);
	if (g->t[x].kind == T_OPT)
		return mk_opt(g, mk_alt(g, g->t[x].a, y));
	if (g->t[y].kind == T_OPT)
		return mk_opt(g, mk_alt(g, x, g->t[y].a));
	if (g->t[x].kind == T_SET && g->t[y].kind == T_SET) {
		struct re_set u;

		for (int i = 0; i < 4; i++)
			u.w[i] = g->sets[g->t[x].set].w[i] | g->sets[g->t[y].set].w[i];
		return mk_set(g, &u);
	}
	/* y already an alternative of the left-nested chain x? */
	for (int32_t z = x; ; z = g->t[z].a) {
		if (z == y || (g->t[z].kind == T_ALT && g->t[z].b == y))
			return x;
		if (g->t[z].kind != T_ALT)
			break;
	}
	return mk(g, T_ALT, x, y, NULL);
}

/* ---- the generalised automaton ---- */

static int
add_edge(struct node *nodes, struct gen *g, int32_t from, int32_t to, int32_t term)
{
	struct node *f = &nodes[from], *t = &nodes[to];

	if (term < 0)
		return -1;
	if (term == TEMPTY)
		return 0;
	for (size_t i = 0; i < f->nout; i++)
		if (f->out[i].to == to) {
			f->out[i].term = mk_alt(g, f->out[i].term, term);
			return f->out[i].term < 0 ? -1 : 0;
		}
	if (f->nout == f->outcap) {
		size_t cap = f->outcap ? f->outcap * 2 : 4;
		struct edge *e = realloc(f->out, cap * sizeof *e);

		if (e == NULL)
			return -1;
		f->out = e;
		f->outcap = cap;
	}
	f->out[f->nout++] = (struct edge){ to, term };
	if (t->nin == t->incap) {
		size_t cap = t->incap ? t->incap * 2 : 4;
		int32_t *in = realloc(t->in, cap * sizeof *in);

		if (in == NULL)
			return -1;
		t->in = in;
		t->incap = cap;
	}
	t->in[t->nin++] = from;
	return 0;
}

static int32_t
edge_term(const struct node *f, int32_t to)
{
	for (size_t i = 0; i < f->nout; i++)
		if (f->out[i].to == to)
			return f->out[i].term;
	return TEMPTY;
}

static void
drop_out(struct node *f, int32_t to)
{
	for (size_t i = 0; i < f->nout; i++)
		if (f->out[i].to == to) {
			f->out[i] = f->out[--f->nout];
			return;
		}
}

static void
drop_in(struct node *t, int32_t from)
{
	for (size_t i = 0; i < t->nin; i++)
		if (t->in[i] == from) {
			t->in[i] = t->in[--t->nin];
			return;
		}
}

static int
eliminate(struct node *nodes, struct gen *g, int32_t k)
{
	struct node *K = &nodes[k];
	int32_t loop = mk_star(g, edge_term(K, k));
	size_t nin;
	int32_t *ins;

	if (loop < 0)
		return -1;
	drop_out(K, k);
	drop_in(K, k);
	/* the in-list changes under us (add_edge appends): copy it */
	nin = K->nin;
	ins = malloc((nin ? nin : 1) * sizeof *ins);
	if (ins == NULL)
		return -1;
	memcpy(ins, K->in, nin * sizeof *ins);
	for (size_t i = 0; i < nin; i++) {
		int32_t from = ins[i], pre = mk_cat(g, edge_term(&nodes[from], k), loop);

		for (size_t j = 0; j < K->nout; j++)
			if (add_edge(nodes, g, from, K->out[j].to,
				     mk_cat(g, pre, K->out[j].term)) < 0) {
				free(ins);
				return -1;
			}
		drop_out(&nodes[from], k);
	}
	for (size_t j = 0; j < K->nout; j++)
		drop_in(&nodes[K->out[j].to], k);
	free(ins);
	K->nout = K->nin = 0;
	K->gone = true;
	return 0;
}

/*
 * How much text eliminating k adds (Delgado and Morais, "Approximation to
 * the smallest regular expression for a given regular language", CIAA
 * 2004): each in-term is copied once per out-edge and vice versa, the loop
 * once per pair. Eliminating the cheapest state first keeps texts short.
 */
static size_t
weight(const struct gen *g, const struct node *nodes, int32_t k)
{
	const struct node *K = &nodes[k];
	size_t nin = 0, nout = 0, win = 0, wout = 0, loop = 0;

	for (size_t i = 0; i < K->nout; i++) {
		if (K->out[i].to == k) {
			loop = g->t[K->out[i].term].len;
			continue;
		}
		nout++;
		wout += g->t[K->out[i].term].len;
	}
	for (size_t i = 0; i < K->nin; i++) {
		if (K->in[i] == k)
			continue;
		nin++;
		win += g->t[edge_term(&nodes[K->in[i]], k)].len;
	}
	return win * (nout ? nout - 1 : 0) + wout * (nin ? nin - 1 : 0) +
	       loop * ((nin && nout) ? nin * nout - 1 : 0);
}

/* ---- printing ---- */

struct pitem {
	int32_t term;		/* term to print, or -1 for the text below */
	uint8_t ctx;		/* context of term */
	const char *lit;	/* text to emit when term is -1 */
};

static int
push(struct pitem **st, size_t *n, size_t *cap, struct pitem it)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		struct pitem *s = realloc(*st, c * sizeof *s);

		if (s == NULL)
			return -1;
		*st = s;
		*cap = c;
	}
	(*st)[(*n)++] = it;
	return 0;
}

/* Prints term root into out, which has room for size bytes. */
static int
print_term(const struct gen *g, int32_t root, char *out, size_t size)
{
	char set[1100];

	struct pitem *st = NULL;
	size_t n = 0, cap = 0, len = 0;
	int rc = 0;

	if (push(&st, &n, &cap, (struct pitem){ root, T_ALT, NULL }) < 0)
		return -1;
	while (n > 0 && rc == 0) {
		struct pitem it = st[--n];
		const struct term *t;
		bool par;

		if (it.term < 0) {
			size_t l = strlen(it.lit);

			if (len + l >= size) {
				rc = -1;
				break;
			}
			memcpy(out + len, it.lit, l);
			len += l;
			continue;
		}
		t = &g->t[it.term];
		par = needs_parens(g, it.term, it.ctx);
		if (par)
			rc |= push(&st, &n, &cap, (struct pitem){ -1, 0, ")" });
		switch (t->kind) {
		case T_EMPTY:
			rc |= push(&st, &n, &cap, (struct pitem){ -1, 0, "[^\\x00-\\xff]" });
			break;
		case T_EPS:
			if (it.ctx != T_ALT)
				rc |= push(&st, &n, &cap, (struct pitem){ -1, 0, "()" });
			break;
		case T_SET: {
			size_t l = print_set(&g->sets[t->set], set);

			if (len + l >= size) {
				rc = -1;
				break;
			}
			memcpy(out + len, set, l);
			len += l;
			break;
		}
		case T_CAT:
			rc |= push(&st, &n, &cap, (struct pitem){ t->b, T_CAT, NULL });
			rc |= push(&st, &n, &cap, (struct pitem){ t->a, T_CAT, NULL });
			break;
		case T_ALT:
			rc |= push(&st, &n, &cap, (struct pitem){ t->b, T_ALT, NULL });
			rc |= push(&st, &n, &cap, (struct pitem){ -1, 0, "|" });
			rc |= push(&st, &n, &cap, (struct pitem){ t->a, T_ALT, NULL });
			break;
		default:
			rc |= push(&st, &n, &cap, (struct pitem){ -1, 0,
				t->kind == T_STAR ? "*" : t->kind == T_PLUS ? "+" : "?" });
			rc |= push(&st, &n, &cap, (struct pitem){ t->a, T_STAR, NULL });
			break;
		}
		if (par)
			rc |= push(&st, &n, &cap, (struct pitem){ -1, 0, "(" });
	}
	free(st);
	out[len] = '\0';
	return rc;
}

char *
re_dfa_to_text(const struct re_dfa *d, struct ix_err *err)
{
	struct gen g = { 0 };
	struct node *nodes = NULL;
	int32_t n = (int32_t)d->nstates, S = n, F = n + 1, result = -1;
	struct re_set *acc = NULL;
	int32_t *touched = NULL, *slot = NULL;
	size_t *cost = NULL;
	char *text = NULL;

	if (d->nstates > RE_TEXT_STATES_MAX) {
		ix_err_set(err, IX_ELIMIT,
			   "automaton of %u states is too large to print as a pattern",
			   d->nstates);
		return NULL;
	}
	if (tab_grow(&g) < 0 ||
	    mk(&g, T_EMPTY, -1, -1, NULL) != TEMPTY || mk(&g, T_EPS, -1, -1, NULL) != TEPS)
		goto nomem;
	nodes = calloc((size_t)n + 2, sizeof *nodes);
	acc = malloc(((size_t)n + 1) * sizeof *acc);
	touched = malloc(2 * ((size_t)n + 2) * sizeof *touched);
	slot = malloc(((size_t)n + 1) * sizeof *slot);
	cost = malloc(((size_t)n + 1) * sizeof *cost);
	if (!nodes || !acc || !touched || !slot || !cost)
		goto nomem;
	for (int32_t q = 0; q < n; q++)
		slot[q] = -1;

	if (n > 0 && add_edge(nodes, &g, S, 0, TEPS) < 0)
		goto fail;
	for (int32_t q = 0; q < n; q++) {
		size_t nt = 0;

		/* bytes grouped by target state */
		for (unsigned b = 0; b < 256; b++) {
			int32_t t = d->trans[(size_t)q * d->nclasses + d->classmap[b]];

			if (t < 0)
				continue;
			if (slot[t] < 0) {
				slot[t] = (int32_t)nt;
				touched[nt++] = t;
				memset(&acc[slot[t]], 0, sizeof *acc);
			}
			re_set_add(&acc[slot[t]], b);
		}
		for (size_t i = 0; i < nt; i++) {
			if (add_edge(nodes, &g, q, touched[i], mk_set(&g, &acc[i])) < 0)
				goto fail;
			slot[touched[i]] = -1;
		}
		if (d->accept[q] && add_edge(nodes, &g, q, F, TEPS) < 0)
			goto fail;
	}
	/* weights change only around an eliminated state: keep them */
	for (int32_t q = 0; q < n; q++)
		cost[q] = weight(&g, nodes, q);
	for (int32_t left = n; left > 0; left--) {
		int32_t best = -1;
		size_t bestcost = SIZE_MAX, nnb = 0;

		for (int32_t q = 0; q < n; q++)
			if (!nodes[q].gone && cost[q] < bestcost) {
				bestcost = cost[q];
				best = q;
			}
		/* only the neighbours' weights change */
		for (size_t i = 0; i < nodes[best].nin; i++)
			touched[nnb++] = nodes[best].in[i];
		for (size_t i = 0; i < nodes[best].nout; i++)
			touched[nnb++] = nodes[best].out[i].to;
		if (eliminate(nodes, &g, best) < 0)
			goto fail;
		for (size_t i = 0; i < nnb; i++) {
			int32_t q = touched[i];

			if (q < n && !nodes[q].gone)
				cost[q] = weight(&g, nodes, q);
		}
	}
	result = edge_term(&nodes[S], F);
	if (g.t[result].len > IX_RE_PATTERN_MAX) {
		g.toolong = true;
		goto fail;
	}
	text = malloc(g.t[result].len + 1);
	if (text == NULL || print_term(&g, result, text, g.t[result].len + 1) < 0) {
		free(text);
		text = NULL;
		goto nomem;
	}
	/* the length kept with each term is the printed length: the limit
	 * check above relied on it */
	assert(strlen(text) == g.t[result].len);
	goto out;
fail:
	if (g.toolong) {
		ix_err_set(err, IX_ELIMIT,
			   "no pattern of at most %d bytes found for this language",
			   IX_RE_PATTERN_MAX);
		goto out;
	}
nomem:
	ix_err_set(err, IX_ENOMEM, "out of memory printing a pattern");
out:
	if (nodes)
		for (int32_t i = 0; i < n + 2; i++) {
			free(nodes[i].out);
			free(nodes[i].in);
		}
	free(nodes);
	free(acc);
	free(touched);
	free(slot);
	free(cost);
	free(g.t);
	free(g.sets);
	free(g.tab);
	return text;
}
