/*
 * The public face of the regular-language lattice (liblattice/re.h): the
 * reference-counted objects, literals, the constants, and the lattice
 * operations on top of the automaton code in re_nfa.c, re_min.c,
 * re_prod.c and re_text.c.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "liblattice/re_impl.h"

/* Every object is made here, and is immutable: its automaton is checked
 * once, for all the uses that rely on its canonical form (ix_re_equal
 * compares arrays, re_dfa_subset explores live states only). */
static struct ix_re *
re_new(struct re_dfa *dfa, char *text, struct ix_err *err)
{
	struct ix_re *re;

	assert(re_dfa_check_minimal(dfa));
	re = malloc(sizeof *re);
	if (re == NULL) {
		re_dfa_fini(dfa);
		free(text);
		ix_err_set(err, IX_ENOMEM, "out of memory");
		return NULL;
	}
	re->refs = 1;
	re->dfa = *dfa;
	re->text = text;
	return re;
}

static char *
copy_text(const char *s, size_t len, struct ix_err *err)
{
	char *t = malloc(len + 1);

	if (t == NULL) {
		ix_err_set(err, IX_ENOMEM, "out of memory");
		return NULL;
	}
	if (len > 0)
		memcpy(t, s, len);
	t[len] = '\0';
	return t;
}

int
ix_re_compile(const char *pattern, size_t len, size_t max_states,
	      struct ix_re **out, struct ix_err *err)
{
	struct re_dfa dfa;
	char *text;

	*out = NULL;
	if (re_compile_dfa(pattern, len, max_states, &dfa, err) < 0)
		return -1;
	text = copy_text(pattern, len, err);
	if (text == NULL) {
		re_dfa_fini(&dfa);
		return -1;
	}
	*out = re_new(&dfa, text, err);
	return *out ? 0 : -1;
}

int
ix_re_literal(const char *s, size_t len, struct ix_re **out, struct ix_err *err)
{
	struct re_dfa dfa = { 0 };
	bool used[256] = { false };
	char *text;
	int n;
	uint32_t nc = 1;

	*out = NULL;
	if (len > IX_RE_PATTERN_MAX)
		return ix_err_set(err, IX_ELIMIT, "literal longer than %d bytes",
				  IX_RE_PATTERN_MAX);
	text = malloc(IX_RE_PATTERN_MAX + 1);
	if (text == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	n = ix_re_escape(s, len, text, IX_RE_PATTERN_MAX + 1, err);
	if (n < 0) {
		free(text);
		return -1;
	}
	/* The chain 0 -s[0]-> 1 ... -> len, accepting len, is minimal and
	 * trimmed; one class per distinct byte plus class 0 for the rest. */
	for (size_t i = 0; i < len; i++) {
		unsigned char b = (unsigned char)s[i];

		if (!used[b]) {
			used[b] = true;
			dfa.classmap[b] = (uint8_t)nc++;
		}
	}
	if (nc > 256) {	/* all 256 bytes used: no "rest" class */
		for (unsigned b = 0; b < 256; b++)
			dfa.classmap[b]--;
		nc = 256;
	}
	dfa.nclasses = nc;
	dfa.nstates = (uint32_t)len + 1;
	dfa.trans = malloc((size_t)dfa.nstates * nc * sizeof *dfa.trans);
	dfa.accept = calloc(dfa.nstates, 1);
	if (dfa.trans == NULL || dfa.accept == NULL) {
		re_dfa_fini(&dfa);
		free(text);
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	}
	memset(dfa.trans, 0xff, (size_t)dfa.nstates * nc * sizeof *dfa.trans);
	for (size_t i = 0; i < len; i++)
		dfa.trans[i * nc + dfa.classmap[(unsigned char)s[i]]] = (int32_t)i + 1;
	dfa.accept[len] = 1;
	if (re_dfa_canonicalise(&dfa, err) < 0) {
		re_dfa_fini(&dfa);
		free(text);
		return -1;
	}
	*out = re_new(&dfa, text, err);
	return *out ? 0 : -1;
}

int
ix_re_none(struct ix_re **out, struct ix_err *err)
{
	struct re_dfa dfa = { 0 };
	char *text;

	*out = NULL;
	dfa.nclasses = 1;
	text = copy_text("[^\\x00-\\xff]", 12, err);
	if (text == NULL)
		return -1;
	*out = re_new(&dfa, text, err);
	return *out ? 0 : -1;
}

int
ix_re_all(struct ix_re **out, struct ix_err *err)
{
	struct re_dfa dfa = { 0 };
	char *text;

	*out = NULL;
	dfa.nclasses = 1;
	dfa.nstates = 1;
	dfa.trans = malloc(sizeof *dfa.trans);
	dfa.accept = malloc(1);
	text = copy_text(".*", 2, err);
	if (dfa.trans == NULL || dfa.accept == NULL || text == NULL) {
		re_dfa_fini(&dfa);
		free(text);
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	}
	dfa.trans[0] = 0;
	dfa.accept[0] = 1;
	*out = re_new(&dfa, text, err);
	return *out ? 0 : -1;
}

struct ix_re *
ix_re_ref(struct ix_re *re)
{
	if (re != NULL)
		__atomic_add_fetch(&re->refs, 1, __ATOMIC_RELAXED);
	return re;
}

void
ix_re_free(struct ix_re *re)
{
	if (re == NULL || __atomic_sub_fetch(&re->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	re_dfa_fini(&re->dfa);
	free(re->text);
	free(re);
}

bool
ix_re_match(const struct ix_re *re, const char *s, size_t len)
{
	const struct re_dfa *d = &re->dfa;
	int32_t q = 0;

	if (d->nstates == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		q = d->trans[(size_t)q * d->nclasses + d->classmap[(unsigned char)s[i]]];
		if (q < 0)
			return false;
	}
	return d->accept[q];
}

bool
ix_re_is_empty(const struct ix_re *re)
{
	return re->dfa.nstates == 0;
}

/* Canonical minimal automata of equal languages are identical. */
bool
ix_re_equal(const struct ix_re *a, const struct ix_re *b)
{
	const struct re_dfa *x = &a->dfa, *y = &b->dfa;

	if (a == b)
		return true;
	if (x->nstates != y->nstates || x->nclasses != y->nclasses ||
	    memcmp(x->classmap, y->classmap, sizeof x->classmap) != 0)
		return false;
	return x->nstates == 0 ||
	       (memcmp(x->accept, y->accept, x->nstates) == 0 &&
		memcmp(x->trans, y->trans,
		       (size_t)x->nstates * x->nclasses * sizeof *x->trans) == 0);
}

int
ix_re_subset(const struct ix_re *a, const struct ix_re *b, struct ix_err *err)
{
	return re_dfa_subset(&a->dfa, &b->dfa, err);
}

/*
 * Text for the result r of a op b. When r is a or b, their text serves.
 * Otherwise the text comes from r's automaton by state elimination; for a
 * union "A|B" is also a pattern of the language (| binds loosest, so no
 * parentheses and no extra nesting), and the shorter of the two is kept.
 */
static char *
combined_text(const struct ix_re *a, const struct ix_re *b, enum re_op op,
	      const struct re_dfa *r, struct ix_err *err)
{
	struct ix_re tmp = { 0, *r, NULL };
	size_t la = strlen(a->text), lb = strlen(b->text);
	char *text;

	if (ix_re_equal(&tmp, a))
		return copy_text(a->text, la, err);
	if (ix_re_equal(&tmp, b))
		return copy_text(b->text, lb, err);
	text = re_dfa_to_text(r, err);
	if (op != RE_OP_UNION || la + 1 + lb > IX_RE_PATTERN_MAX)
		return text;
	if (text != NULL && strlen(text) <= la + 1 + lb)
		return text;
	if (text == NULL && err != NULL && err->code != IX_ELIMIT)
		return NULL;
	free(text);
	ix_err_clear(err);
	text = malloc(la + lb + 2);
	if (text == NULL) {
		ix_err_set(err, IX_ENOMEM, "out of memory");
		return NULL;
	}
	memcpy(text, a->text, la);
	text[la] = '|';
	memcpy(text + la + 1, b->text, lb + 1);
	return text;
}

#ifndef NDEBUG
/* The text of a union or intersection compiles back to its language, as
 * ix_re_text promises: the state elimination of re_text.c is the part of
 * the engine most easily wrong without anything else noticing. */
static bool
text_compiles_back(const char *text, const struct re_dfa *d)
{
	struct ix_re x = { 0, *d, NULL }, y = { 0, { 0 }, NULL };
	struct ix_err e = { 0 };

	if (re_compile_dfa(text, strlen(text), 0, &y.dfa, &e) < 0) {
		assert(e.code == IX_ENOMEM);
		return true;
	}
	assert(ix_re_equal(&x, &y));
	re_dfa_fini(&y.dfa);
	return true;
}
#endif

static int
combine(const struct ix_re *a, const struct ix_re *b, enum re_op op,
	struct ix_re **out, struct ix_err *err)
{
	struct re_dfa dfa;
	char *text;

	*out = NULL;
	if (re_dfa_product(&a->dfa, &b->dfa, op, 0, &dfa, err) < 0)
		return -1;
	text = combined_text(a, b, op, &dfa, err);
	if (text == NULL) {
		re_dfa_fini(&dfa);
		return ix_err_prefix(err, "%s", op == RE_OP_UNION ? "union" : "intersection");
	}
	assert(text_compiles_back(text, &dfa));
	*out = re_new(&dfa, text, err);
	return *out ? 0 : -1;
}

int
ix_re_union(const struct ix_re *a, const struct ix_re *b, struct ix_re **out,
	    struct ix_err *err)
{
	return combine(a, b, RE_OP_UNION, out, err);
}

int
ix_re_intersect(const struct ix_re *a, const struct ix_re *b, struct ix_re **out,
		struct ix_err *err)
{
	return combine(a, b, RE_OP_INTERSECT, out, err);
}

const char *
ix_re_text(const struct ix_re *re)
{
	return re->text;
}

size_t
ix_re_nstates(const struct ix_re *re)
{
	return re->dfa.nstates;
}

int
ix_re_escape(const char *s, size_t len, char *buf, size_t size, struct ix_err *err)
{
	size_t n = 0;
	char e[5];

	for (size_t i = 0; i < len; i++) {
		size_t l = re_escape_byte((unsigned char)s[i], false, e);

		if (n + l >= size || n + l > IX_RE_PATTERN_MAX)
			return ix_err_set(err, IX_ELIMIT,
					  "escaped literal does not fit in %zu bytes",
					  size < IX_RE_PATTERN_MAX + 1 ? size : IX_RE_PATTERN_MAX + 1);
		memcpy(buf + n, e, l);
		n += l;
	}
	if (size == 0)
		return ix_err_set(err, IX_ELIMIT, "escaped literal does not fit in 0 bytes");
	buf[n] = '\0';
	return (int)n;
}
