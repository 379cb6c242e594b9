/*
 * Evaluation indexes, built once per policy so that a decision never scans
 * the whole tree: nodes whose predicate pins the login to literal names are
 * found by login, rules whose template starts with a literal word by the
 * request's first word. Everything else is in a short "general" list.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libauthtree/index.h"

static uint64_t
hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

_Static_assert(sizeof(struct ix_map_slot) == 64, "a map slot is one cache line");

static int
vec_push(struct ix_vec *v, size_t x)
{
	const size_t *items = ix_vec_items(v);

	/* Keys may repeat for one node (ID(a)|ID(a)); keep each once. */
	if (v->n > 0 && items[v->n - 1] == x)
		return 0;
	if (v->n == 0) {
		v->one = x;
		v->n = 1;
		return 0;
	}
	if (v->n >= v->cap) {
		uint32_t nc = v->cap ? v->cap * 2 : 4;
		size_t *nv = realloc(v->v, nc * sizeof *nv);

		if (nv == NULL)
			return -1;
		if (v->cap == 0)
			nv[0] = v->one;
		v->v = nv;
		v->cap = nc;
	}
	v->v[v->n++] = x;
	return 0;
}

static const char *
slot_key(const struct ix_map_slot *s)
{
	return s->keylen < IX_MAP_KEY_INLINE ? s->key : s->long_key;
}

static int
map_grow(struct ix_map *m)
{
	size_t ns = m->nslots ? m->nslots * 2 : 64, i;
	struct ix_map_slot *s;

	if (posix_memalign((void **)&s, 64, ns * sizeof *s) != 0)
		return -1;
	memset(s, 0, ns * sizeof *s);
	for (i = 0; i < m->nslots; i++) {
		struct ix_map_slot *o = &m->slots[i];
		size_t j;

		if (!o->used)
			continue;
		for (j = o->hash & (ns - 1); s[j].used; j = (j + 1) & (ns - 1))
			;
		s[j] = *o;
	}
	free(m->slots);
	m->slots = s;
	m->nslots = ns;
	return 0;
}

const struct ix_vec *
ix_map_get(const struct ix_map *m, const char *key, size_t n)
{
	uint64_t h;
	size_t j;

	if (m->nslots == 0)
		return NULL;
	h = hash(key, n);
	for (j = h & (m->nslots - 1); m->slots[j].used; j = (j + 1) & (m->nslots - 1)) {
		const struct ix_map_slot *s = &m->slots[j];

		if (s->hash == h && s->keylen == n && memcmp(slot_key(s), key, n) == 0)
			return &s->vec;
	}
	return NULL;
}

int
ix_map_add(struct ix_map *m, const char *key, size_t x)
{
	size_t n = strlen(key), j;
	uint64_t h = hash(key, n);
	struct ix_map_slot *s;

	if (n > UINT32_MAX)
		return -1;
	if ((m->used + 1) * 2 > m->nslots && map_grow(m) < 0)
		return -1;
	for (j = h & (m->nslots - 1); m->slots[j].used; j = (j + 1) & (m->nslots - 1)) {
		s = &m->slots[j];
		if (s->hash == h && s->keylen == n && memcmp(slot_key(s), key, n) == 0)
			return vec_push(&s->vec, x);
	}
	s = &m->slots[j];
	if (n >= IX_MAP_KEY_INLINE && (s->long_key = strdup(key)) == NULL)
		return -1;
	if (n < IX_MAP_KEY_INLINE)
		memcpy(s->key, key, n + 1);
	s->hash = h;
	s->keylen = (uint32_t)n;
	s->used = 1;
	m->used++;
	return vec_push(&s->vec, x);
}

static void
map_free(struct ix_map *m)
{
	size_t i;

	for (i = 0; i < m->nslots; i++) {
		free(m->slots[i].long_key);
		free(m->slots[i].vec.v);
	}
	free(m->slots);
}

void
ix_policy_index_free(struct ix_policy_index *ix)
{
	if (ix == NULL)
		return;
	map_free(&ix->login);
	map_free(&ix->prefix);
	pcre2_match_context_free(ix->mctx);
	free(ix->general_nodes.v);
	free(ix->general_rules.v);
	free(ix);
}

struct keyctx {
	struct ix_map *m;
	size_t node;
	int failed;
};

static void
add_key(void *arg, const char *name)
{
	struct keyctx *k = arg;

	if (ix_map_add(k->m, name, k->node) < 0)
		k->failed = 1;
}

int
ix_policy_build_index(struct ix_policy *p, struct ix_err *err)
{
	struct ix_policy_index *ix = calloc(1, sizeof *ix);
	size_t i;

	if (ix == NULL || (ix->mctx = ix_pcre_match_context()) == NULL) {
		free(ix);
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	}
	for (i = 0; i < p->nnodes; i++) {
		struct keyctx k = { &ix->login, i, 0 };

		if (ix_pred_login_keys(p->nodes[i].pred, add_key, &k) == 0) {
			if (vec_push(&ix->general_nodes, i) < 0)
				k.failed = 1;
		}
		if (k.failed)
			goto oom;
	}
	for (i = 0; i < p->nrules; i++) {
		int rc = p->rules[i].prefix ? ix_map_add(&ix->prefix, p->rules[i].prefix, i)
					    : vec_push(&ix->general_rules, i);
		if (rc < 0)
			goto oom;
	}
	ix->unattended = ix_rdecls_find(p->decls, "unattended", strlen("unattended"));
	if (ix->unattended >= 0 && ix_rdecls_kind(p->decls, (size_t)ix->unattended) != IX_RK_PLAIN)
		ix->unattended = -1;
	ix_policy_index_free(p->index);
	p->index = ix;
	/* Every parse and every load (so every edit, which the store checks
	 * by loading the edited tree) ends here, after ix_policy_validate. */
	assert(ix_policy_is_monotone(p));
	return 0;
oom:
	ix_policy_index_free(ix);
	return ix_err_set(err, IX_ENOMEM, "out of memory building the index");
}
