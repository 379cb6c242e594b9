/* Canonical text of rights values, and the explanation of a refusal. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "liblattice/privset_int.h"
#include "liblattice/rights_int.h"

int
ix_strbuf_add(struct ix_strbuf *b, const char *s, size_t len, struct ix_err *err)
{
	if (b->n + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 128;
		char *p;

		while (cap < b->n + len + 1)
			cap *= 2;
		if ((p = realloc(b->s, cap)) == NULL)
			return ix_err_set(err, IX_ENOMEM, "out of memory");
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, len);
	b->n += len;
	b->s[b->n] = '\0';
	return 0;
}

static int
add_str(struct ix_strbuf *b, const char *s, struct ix_err *err)
{
	return ix_strbuf_add(b, s, strlen(s), err);
}

/*
 * Appends a regex's text as the value of a rights item. The rights parser
 * reads "$" as a parameter and "\$" as a dollar (rights_parse.c), while
 * the text of a union or intersection may hold an unescaped "$" inside a
 * bracket class ("a[$b]"): such a "$" is written "\$", which the regex
 * engine reads as the same byte. An escape pair is copied whole, so that
 * "\$" already in the text stays as it is.
 */
static int
add_regex_value(struct ix_strbuf *b, const char *s, struct ix_err *err)
{
	size_t i = 0, run;

	if (strchr(s, '$') == NULL)	/* nearly always: no walk */
		return add_str(b, s, err);
	while (s[i] != '\0') {
		run = strcspn(s + i, "\\$");
		if (ix_strbuf_add(b, s + i, run, err) < 0)
			return -1;
		i += run;
		if (s[i] == '$') {
			if (add_str(b, "\\$", err) < 0)
				return -1;
			i++;
		} else if (s[i] == '\\') {
			run = s[i + 1] != '\0' ? 2 : 1;
			if (ix_strbuf_add(b, s + i, run, err) < 0)
				return -1;
			i += run;
		}
	}
	return 0;
}

int
ix_ritem_print(const struct ix_rdecls *d, const struct ix_ritem *it, struct ix_strbuf *b,
	       struct ix_err *err)
{
	char buf[IX_LABEL_TEXT_MAX + 1];
	const char *val = NULL;

	switch (ix_ritem_kind(d, it)) {
	case IX_RK_LABEL:
		if (ix_label_print(d->enc, &it->v.label, buf, sizeof buf, err) < 0)
			return -1;
		val = buf;
		break;
	case IX_RK_REGEX:
		break;
	case IX_RK_PRIVSET:
		if (ix_privset_print(&it->v.ps, buf, sizeof buf, err) < 0)
			return -1;
		val = buf;
		break;
	default:
		return add_str(b, d->v[it->idx].name, err);
	}
	if (add_str(b, d->v[it->idx].name, err) < 0 || add_str(b, "(", err) < 0 ||
	    (val != NULL ? add_str(b, val, err) : add_regex_value(b, ix_re_text(it->v.re), err)) < 0 ||
	    add_str(b, ")", err) < 0)
		return -1;
	return 0;
}

/* The printer proper; ix_rights_print adds the check of its text. */
static char *
print_rights(const struct ix_rights *r, struct ix_err *err)
{
	struct ix_strbuf b = { NULL, 0, 0 };
	size_t i;
	int rc = 0;

	if (ix_rights_is_bottom(r)) {
		rc = add_str(&b, "NONE", err);
	} else if (ix_rights_is_top(r)) {
		rc = add_str(&b, "ALL", err);
	} else {
		for (i = 0; rc == 0 && i < r->n; i++) {
			if (i > 0)
				rc = add_str(&b, " | ", err);
			if (rc == 0)
				rc = ix_ritem_print(r->d, &r->items[i], &b, err);
		}
	}
	if (rc < 0) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

char *
ix_rights_print(const struct ix_rights *r, struct ix_err *err)
{
	char *s = print_rights(r, err);

	assert(s == NULL || ix_rights_check_text(r));
	return s;
}

char *
ix_rights_explain_missing(const struct ix_rights *have, const struct ix_rights *need,
			  struct ix_err *err)
{
	struct ix_strbuf b = { NULL, 0, 0 };
	const struct ix_ritem *h;
	size_t i;
	int rc = 0, le;

	ix_err_clear(err);
	if (have->d != need->d) {
		ix_err_set(err, IX_EINVAL, "rights values of different declarations");
		return NULL;
	}
	for (i = 0; rc == 0 && i < need->n; i++) {
		const struct ix_ritem *n = &need->items[i];

		h = ix_rights_find(have, n->idx);
		if (h != NULL && (le = ix_ritem_le(need->d, n, h, err)) != 0) {
			if (le < 0)
				rc = -1;
			continue;
		}
		if (b.n > 0)
			rc = add_str(&b, "; ", err);
		if (rc == 0)
			rc = add_str(&b, "needs ", err);
		if (rc == 0)
			rc = ix_ritem_print(need->d, n, &b, err);
		if (rc == 0)
			rc = add_str(&b, "; granted ", err);
		if (rc == 0)
			rc = h != NULL ? ix_ritem_print(have->d, h, &b, err) :
					 add_str(&b, "nothing of it", err);
	}
	if (rc < 0) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

#ifndef NDEBUG
bool
ix_rights_check_text(const struct ix_rights *r)
{
	struct ix_rights *back = NULL;
	struct ix_err e = { 0 };
	char *text, *again;
	size_t len;
	int rc;

	assert(ix_rights_check(r));
	text = print_rights(r, &e);
	if (text == NULL) {
		/* a label text past its limit, or memory: errors print reports */
		assert(e.code == IX_ELIMIT || e.code == IX_ENOMEM);
		return true;
	}
	/* a text longer than the parser takes is a limit, not a broken form */
	len = strlen(text);
	if (len <= IX_RIGHTS_TEXT_MAX) {
		rc = ix_rights_parse(r->d, text, len, NULL, 0, &back, &e);
		assert(rc == 0 || e.code == IX_ENOMEM);
		if (rc == 0) {
			assert(ix_rights_eq(back, r, NULL) == 1);
			again = print_rights(back, &e);
			assert(again == NULL || strcmp(again, text) == 0);
			free(again);
		}
	}
	ix_rights_free(back);
	free(text);
	return true;
}
#endif
