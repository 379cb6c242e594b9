/*
 * Predicate evaluation (the hot path of every request) and the questions
 * the tree loader asks of a predicate: its PW users and its login keys.
 *
 * Evaluation must be safe in several threads over one parsed predicate, so
 * nothing reachable from struct ix_pred is written here. The only mutable
 * PCRE2 object, the match data, is created per call (once, at the first
 * regex atom) and freed before returning; literal atoms need none.
 */
#include <stdlib.h>
#include <string.h>

#include "libauthtree/pred_int.h"

struct ectx {
	const struct ix_pred *pred;
	const char *login;
	const char *src;
	ix_pw_oracle pw;
	void *arg;
	pcre2_match_data *md;	/* created at the first regex match, or NULL */
};

static enum ix_tv
match_atom(const struct pnode *n, const char *s, struct ectx *c)
{
	size_t i;
	int rc;

	if (s == NULL)
		return IX_TV_FALSE;
	if (n->nlits > 0) {
		for (i = 0; i < n->nlits; i++)
			if (strcmp(n->lits[i], s) == 0)
				return IX_TV_TRUE;
		return IX_TV_FALSE;
	}
	if (c->md == NULL) {
		/* One pair is enough: only "did it match" is asked, and a too
		 * small ovector still reports a match (rc 0). */
		c->md = pcre2_match_data_create(1, NULL);
		if (c->md == NULL)
			return IX_TV_FALSE;
	}
	if (n->jit)
		rc = pcre2_jit_match(n->code, (PCRE2_SPTR)s, strlen(s), 0, 0, c->md,
				     c->pred->mctx);
	else
		rc = pcre2_match(n->code, (PCRE2_SPTR)s, strlen(s), 0, 0, c->md, c->pred->mctx);
	/* Errors (limits exceeded included) count as no match: with no
	 * negation in the language, false is the answer that grants least. */
	return rc >= 0 ? IX_TV_TRUE : IX_TV_FALSE;
}

static enum ix_tv
eval(const struct pnode *n, struct ectx *c)
{
	enum ix_tv acc, v;
	size_t i;

	switch (n->kind) {
	case PN_ANY:
		return IX_TV_TRUE;
	case PN_NONE:
		return IX_TV_FALSE;
	case PN_ID:
		return match_atom(n, c->login, c);
	case PN_SRC:
		return match_atom(n, c->src, c);
	case PN_PW:
		if (c->pw == NULL)
			return IX_TV_UNKNOWN;
		v = c->pw(c->arg, n->text);
		/* An oracle answering anything else must not widen the result. */
		return v == IX_TV_TRUE || v == IX_TV_UNKNOWN ? v : IX_TV_FALSE;
	case PN_AND:
		acc = IX_TV_TRUE;
		for (i = 0; i < n->nkids; i++) {
			v = eval(n->kids[i], c);
			if (v == IX_TV_FALSE)
				return IX_TV_FALSE;
			if (v == IX_TV_UNKNOWN)
				acc = IX_TV_UNKNOWN;
		}
		return acc;
	case PN_OR:
		acc = IX_TV_FALSE;
		for (i = 0; i < n->nkids; i++) {
			v = eval(n->kids[i], c);
			if (v == IX_TV_TRUE)
				return IX_TV_TRUE;
			if (v == IX_TV_UNKNOWN)
				acc = IX_TV_UNKNOWN;
		}
		return acc;
	}
	return IX_TV_FALSE;
}

enum ix_tv
ix_pred_eval(const struct ix_pred *p, const char *login, const char *src, ix_pw_oracle pw,
	     void *arg)
{
	struct ectx c = { .pred = p, .login = login, .src = src, .pw = pw, .arg = arg };
	enum ix_tv v;

	if (p == NULL)
		return IX_TV_FALSE;
	v = eval(p->root, &c);
	pcre2_match_data_free(c.md);
	return v;
}

void
ix_pred_pw_users(const struct ix_pred *p, void (*fn)(void *arg, const char *user), void *arg)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nusers; i++)
		fn(arg, p->users[i]);
}

/* A set of login names, or "any login" (all). */
struct keys {
	bool all;
	size_t n;
	const char **v;		/* n names, pointing into the tree */
};

static bool
keys_has(const struct keys *k, const char *name)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (strcmp(k->v[i], name) == 0)
			return true;
	return false;
}

static int
keys_add(struct keys *k, const char *name)
{
	const char **v;

	if (keys_has(k, name))
		return 0;
	v = realloc(k->v, (k->n + 1) * sizeof *v);
	if (v == NULL)
		return -1;
	k->v = v;
	k->v[k->n++] = name;
	return 0;
}

/* Fills *out with a superset of the logins for which n can hold (all when
 * unbounded). Returns -1 when out of memory, with nothing left allocated. */
static int
login_keys(const struct pnode *n, struct keys *out)
{
	struct keys k;
	size_t i, j, w;

	memset(out, 0, sizeof *out);
	switch (n->kind) {
	case PN_NONE:
		return 0;	/* holds for no login at all */
	case PN_ID:
		if (n->nlits == 0)
			break;
		for (i = 0; i < n->nlits; i++)
			if (keys_add(out, n->lits[i]) < 0)
				goto fail;
		return 0;
	case PN_AND:
		out->all = true;
		for (i = 0; i < n->nkids; i++) {
			if (login_keys(n->kids[i], &k) < 0)
				goto fail;
			if (k.all)
				continue;
			if (out->all) {
				*out = k;
				continue;
			}
			for (j = w = 0; j < out->n; j++)
				if (keys_has(&k, out->v[j]))
					out->v[w++] = out->v[j];
			out->n = w;
			free(k.v);
		}
		return 0;
	case PN_OR:
		for (i = 0; i < n->nkids; i++) {
			if (login_keys(n->kids[i], &k) < 0)
				goto fail;
			if (k.all) {
				free(out->v);
				memset(out, 0, sizeof *out);
				out->all = true;
				return 0;
			}
			for (j = 0; j < k.n; j++) {
				if (keys_add(out, k.v[j]) < 0) {
					free(k.v);
					goto fail;
				}
			}
			free(k.v);
		}
		return 0;
	case PN_ANY:
	case PN_SRC:
	case PN_PW:
		break;
	}
	out->all = true;
	return 0;
fail:
	free(out->v);
	return -1;
}

int
ix_pred_login_keys(const struct ix_pred *p, void (*fn)(void *arg, const char *name), void *arg)
{
	struct keys k;
	size_t i;

	/* Out of memory answers 0: an unindexed node is only slower. */
	if (p == NULL || login_keys(p->root, &k) < 0)
		return 0;
	if (k.all)
		return 0;
	for (i = 0; i < k.n; i++)
		fn(arg, k.v[i]);
	free(k.v);
	return 1;
}
