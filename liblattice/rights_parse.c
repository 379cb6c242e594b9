/*
 * The text form of rights, with typed substitution of "$1".."$9".
 *
 * Grammar (ws = space or tab):
 *	rights = ws* [ item ( ws* "|" ws* item )* ] ws*
 *	item   = "ALL" | "NONE" | plain-name | name "(" value ")"
 * A value extends to the matching ")": in a regex value parentheses nest,
 * and a byte after "\" or inside a bracket class never closes it; label and
 * privset values contain no parentheses, so theirs is the first ")".
 *
 * The extent of every value is fixed on the text as written, before any
 * "$n" is replaced, so a capture can never change the structure of the
 * text around it. A capture then becomes an escaped literal in a regex
 * value, and must be a list of names in a label or privset value.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "liblattice/label_int.h"
#include "liblattice/privset_int.h"
#include "liblattice/rights_int.h"

/* Parser state over one text. */
struct rp {
	const struct ix_rdecls *d;	/* declarations */
	const char *s;			/* the text */
	size_t len;			/* its length */
	size_t i;			/* next byte */
	const char *const *caps;	/* captures, caps[n] = "$n"; NULL = none */
	size_t ncaps;			/* entries of caps */
	struct ix_err *err;		/* where the first error goes */
};

/* Room for a value of ordinary length on the stack: a need is parsed in
 * every decision whose rule has parameters, and two heap buffers sized for
 * the longest value allowed (8 KiB of text, 64 KiB of map) cost more than
 * the rest of the parse. */
#define VAL_SMALL 256

/* A value after substitution, with the column of each of its bytes. */
struct val {
	char *text;		/* substituted text, NUL-terminated */
	size_t *map;		/* offset in the rights text of each byte */
	size_t len;		/* bytes in text */
	size_t cap;		/* bytes text and map have room for, NUL aside */
	size_t limit;		/* most bytes allowed for the kind */
	bool heap;		/* text and map are malloc'd (cap == limit) */
	size_t start;		/* offset of the value in the rights text */
	size_t end;		/* offset of its closing ")" */
	const char *name;	/* the right's name, for messages */
};

static int __attribute__((format(printf, 4, 5)))
fail(struct rp *p, size_t at, enum ix_errcode code, const char *fmt, ...)
{
	char why[IX_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return ix_err_set(p->err, code, "%s at column %zu", why, at + 1);
}

static int
unexpected(struct rp *p, size_t at, const char *wanted)
{
	unsigned char c;

	if (at >= p->len)
		return fail(p, at, IX_EINVAL, "expected %s but the text ends", wanted);
	c = (unsigned char)p->s[at];
	if (c > 0x20 && c < 0x7f)
		return fail(p, at, IX_EINVAL, "unexpected '%c', expected %s", c, wanted);
	return fail(p, at, IX_EINVAL, "unexpected byte 0x%02x, expected %s", c, wanted);
}

static void
skip_ws(struct rp *p)
{
	while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\t'))
		p->i++;
}

static bool
is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Offset of the ")" that closes the "(" at open, or len when none does. */
static size_t
find_close(const char *s, size_t len, size_t open, bool regex)
{
	size_t j = open + 1;
	int depth = 1;

	if (!regex) {
		const char *c = memchr(s + j, ')', len - j);

		return c ? (size_t)(c - s) : len;
	}
	while (j < len) {
		if (s[j] == '\\') {
			j += 2;
			continue;
		}
		if (s[j] == '[') {
			for (j++; j < len && s[j] != ']'; j++)
				if (s[j] == '\\')
					j++;
		} else if (s[j] == '(') {
			depth++;
		} else if (s[j] == ')' && --depth == 0) {
			return j;
		}
		j++;
	}
	return len;
}

/* Makes room for n more bytes, as far as the limit: past the stack's
 * room, text and map move to the heap, sized for the limit. */
static int
reserve(struct rp *p, struct val *v, size_t n)
{
	char *text;
	size_t *map;

	if (v->heap || n <= v->cap - v->len)
		return 0;
	text = malloc(v->limit + 1);
	map = malloc((v->limit + 1) * sizeof *map);
	if (text == NULL || map == NULL) {
		free(text);
		free(map);
		return ix_err_set(p->err, IX_ENOMEM, "out of memory");
	}
	memcpy(text, v->text, v->len + 1);
	memcpy(map, v->map, v->len * sizeof *map);
	v->text = text;
	v->map = map;
	v->cap = v->limit;
	v->heap = true;
	return 0;
}

/* Appends n bytes from src, each attributed to offset at. */
static int
emit(struct rp *p, struct val *v, const char *src, size_t n, size_t at)
{
	size_t k;

	if (n > v->limit - v->len)
		return fail(p, v->start, IX_ELIMIT, "value of '%s' longer than %zu bytes%s", v->name,
			    v->limit, p->caps ? " after substitution" : "");
	if (reserve(p, v, n) < 0)
		return -1;
	for (k = 0; k < n; k++) {
		v->text[v->len] = src[k];
		v->map[v->len++] = at;
	}
	v->text[v->len] = '\0';
	return 0;
}

/*
 * Checks that capture c of parameter n is a comma-separated list of names
 * of the given kind: label names (letters, digits, '_', '-'; no keyword)
 * or privilege names (letters, digits, '_'; not ALL).
 */
static int
check_names(struct rp *p, const char *c, int n, enum ix_right_kind kind, size_t at)
{
	const char *what = kind == IX_RK_LABEL ? "label name" : "privilege name";
	size_t len = strlen(c), b = 0, k;

	if (len == 0)
		return fail(p, at, IX_EINVAL, "parameter $%d is empty, expected a %s", n, what);
	for (k = 0; k <= len; k++) {
		unsigned char ch = (unsigned char)c[k];

		if (k < len && ch != ',') {
			if (is_word((char)ch) || (kind == IX_RK_LABEL && ch == '-'))
				continue;
			if (ch > 0x20 && ch < 0x7f)
				return fail(p, at, IX_EINVAL,
					    "parameter $%d contains '%c', which a %s cannot", n, ch,
					    what);
			return fail(p, at, IX_EINVAL,
				    "parameter $%d contains byte 0x%02x, which a %s cannot", n, ch,
				    what);
		}
		if (k == b)
			return fail(p, at, IX_EINVAL, "parameter $%d has an empty %s", n, what);
		if (kind == IX_RK_LABEL && ix_label_is_keyword(c + b, k - b))
			return fail(p, at, IX_EINVAL, "parameter $%d is the keyword '%.*s', not a %s",
				    n, (int)(k - b), c + b, what);
		if (kind == IX_RK_PRIVSET && k - b == 3 && strncasecmp(c + b, "ALL", 3) == 0)
			return fail(p, at, IX_EINVAL, "parameter $%d is the keyword '%.*s', not a %s",
				    n, (int)(k - b), c + b, what);
		b = k + 1;
	}
	return 0;
}

/* Substitutes "$n" at offset j (in class: inside a regex bracket class). */
static int
substitute(struct rp *p, struct val *v, enum ix_right_kind kind, size_t j, bool in_class)
{
	const char *c;
	int n;

	if (p->caps == NULL)
		return fail(p, j, IX_EINVAL, "'$' outside an action rule (write \\$ for a dollar)");
	if (j + 1 >= v->end || p->s[j + 1] < '1' || p->s[j + 1] > '9')
		return unexpected(p, j + 1, "a parameter number 1-9 after '$'");
	n = p->s[j + 1] - '0';
	if (in_class)
		return fail(p, j, IX_EINVAL, "parameter $%d inside a bracket class", n);
	if ((size_t)n >= p->ncaps || (c = p->caps[n]) == NULL)
		return fail(p, j, IX_EINVAL, "parameter $%d is not set", n);
	if (kind == IX_RK_REGEX) {
		struct ix_err e;
		size_t k;
		int w;

		/* grouped when a quantifier follows "$n", so that it repeats
		 * the whole literal as it would a single character; elsewhere
		 * concatenation binds tighter than anything around it */
		bool group = j + 2 < v->end && strchr("*+?{", p->s[j + 2]) != NULL;

		if (group && emit(p, v, "(", 1, j) < 0)
			return -1;
		/* An escaped byte takes at most 4; what does not fit the
		 * limit fails as before, in the heap's room for it. */
		if (reserve(p, v, 4 * strlen(c) + 1) < 0)
			return -1;
		w = ix_re_escape(c, strlen(c), v->text + v->len, v->cap - v->len + 1, &e);
		if (w < 0)
			return fail(p, v->start, IX_ELIMIT,
				    "value of '%s' longer than %zu bytes after substitution", v->name,
				    v->limit);
		for (k = 0; k < (size_t)w; k++)
			v->map[v->len + k] = j;
		v->len += (size_t)w;
		return group ? emit(p, v, ")", 1, j) : 0;
	}
	if (check_names(p, c, n, kind, j) < 0)
		return -1;
	return emit(p, v, c, strlen(c), j);
}

/* Builds v->text from the value text between v->start and v->end. */
static int
expand(struct rp *p, struct val *v, enum ix_right_kind kind)
{
	bool in_class = false;
	size_t j = v->start;

	while (j < v->end) {
		char c = p->s[j];

		if (c == '\\' && j + 1 < v->end && p->s[j + 1] == '$') {
			/* the regex engine reads "\$" as a dollar; the other kinds
			 * have no dollar and will reject it by name */
			if (kind == IX_RK_REGEX ? emit(p, v, "\\$", 2, j) : emit(p, v, "$", 1, j + 1))
				return -1;
			j += 2;
		} else if (c == '\\' && kind == IX_RK_REGEX && j + 1 < v->end) {
			if (emit(p, v, p->s + j, 1, j) < 0 || emit(p, v, p->s + j + 1, 1, j + 1) < 0)
				return -1;
			j += 2;
		} else if (c == '$') {
			if (substitute(p, v, kind, j, in_class) < 0)
				return -1;
			j += 2;
		} else {
			if (kind == IX_RK_REGEX && c == '[')
				in_class = true;
			else if (c == ']')
				in_class = false;
			if (emit(p, v, &c, 1, j) < 0)
				return -1;
			j++;
		}
	}
	return 0;
}

/* Offset in the rights text of byte pos of the value (its ")" at the end). */
static size_t
column_of(const struct val *v, size_t pos)
{
	return pos < v->len ? v->map[pos] : v->end;
}

/* Reports a regex engine error with its column moved into the rights text. */
static int
regex_fail(struct rp *p, const struct val *v, const struct ix_err *e)
{
	const char *at = strstr(e->msg, " at column ");
	char *rest;
	unsigned long col;

	if (at != NULL) {
		col = strtoul(at + 11, &rest, 10);
		if (rest != at + 11 && col > 0)
			return ix_err_set(p->err, e->code, "%.*s at column %zu%s",
					  (int)(at - e->msg), e->msg,
					  column_of(v, (size_t)col - 1) + 1, rest);
	}
	return ix_err_set(p->err, e->code, "%s in the value of '%s' at column %zu", e->msg, v->name,
			  v->start + 1);
}

static int
parse_value(struct rp *p, struct val *v, enum ix_right_kind kind, struct ix_ritem *it)
{
	char why[IX_ERR_MSG_MAX - 32];
	enum ix_errcode code;
	struct ix_err e;
	size_t pos;

	if (expand(p, v, kind) < 0)
		return -1;
	switch (kind) {
	case IX_RK_LABEL:
		if (ix_label_parse_pos(p->d->enc, v->text, v->len, &it->v.label, why, sizeof why,
				       &pos, &code) < 0)
			return fail(p, column_of(v, pos), code, "%s", why);
		if (it->v.label.flags & IX_LABEL_F_NO)
			return fail(p, v->start, IX_EINVAL, "the label NO is not a value of '%s'",
				    v->name);
		return 0;
	case IX_RK_PRIVSET:
		if (ix_privset_parse_pos(v->text, v->len, &it->v.ps, why, sizeof why, &pos,
					 &code) < 0)
			return fail(p, column_of(v, pos), code, "%s", why);
		return 0;
	default:
		if (ix_re_compile(v->text, v->len, 0, &it->v.re, &e) < 0)
			return regex_fail(p, v, &e);
		return 0;
	}
}

/* Parses "(value)" at p->i for declaration idx into it. */
static int
parse_item_value(struct rp *p, size_t idx, struct ix_ritem *it)
{
	enum ix_right_kind kind = p->d->v[idx].kind;
	char text[VAL_SMALL + 1];
	size_t map[VAL_SMALL + 1];
	struct val v;
	size_t open = p->i;
	int rc;

	memset(&v, 0, sizeof v);
	v.name = p->d->v[idx].name;
	v.start = open + 1;
	v.end = find_close(p->s, p->len, open, kind == IX_RK_REGEX);
	if (v.end == p->len)
		return fail(p, open, IX_EINVAL, "missing ')' for the '(' of '%s'", v.name);
	v.limit = kind == IX_RK_LABEL ? IX_LABEL_TEXT_MAX :
		  kind == IX_RK_PRIVSET ? IX_PRIVSET_TEXT_MAX : IX_RE_PATTERN_MAX;
	v.text = text;
	v.map = map;
	v.cap = VAL_SMALL;
	text[0] = '\0';
	rc = parse_value(p, &v, kind, it);
	if (v.heap) {
		free(v.text);
		free(v.map);
	}
	p->i = v.end + 1;
	return rc;
}

static int
parse_item(struct rp *p, struct ix_rights *r)
{
	size_t b = p->i, idx, n;
	struct ix_ritem it;
	int k;

	while (p->i < p->len && is_word(p->s[p->i]))
		p->i++;
	n = p->i - b;
	if (n == 0)
		return unexpected(p, b, "a right name");
	if ((n == 3 && memcmp(p->s + b, "ALL", 3) == 0) ||
	    (n == 4 && memcmp(p->s + b, "NONE", 4) == 0)) {
		struct ix_rights *top;

		if (p->i < p->len && p->s[p->i] == '(')
			return fail(p, p->i, IX_EINVAL, "'%.*s' takes no value", (int)n, p->s + b);
		if (n == 4)
			return 0;
		if ((top = ix_rights_top(p->d)) == NULL)
			return ix_err_set(p->err, IX_ENOMEM, "out of memory");
		k = ix_rights_join_into(r, top, p->err);
		ix_rights_free(top);
		return k;
	}
	if ((k = ix_rdecls_find(p->d, p->s + b, n)) < 0)
		return fail(p, b, IX_EINVAL, "unknown right '%.*s'", (int)(n > 64 ? 64 : n),
			    p->s + b);
	idx = (size_t)k;
	memset(&it, 0, sizeof it);
	it.idx = (uint32_t)idx;
	if (p->d->v[idx].kind == IX_RK_PLAIN) {
		if (p->i < p->len && p->s[p->i] == '(')
			return fail(p, p->i, IX_EINVAL, "'%s' is a plain right and takes no value",
				    p->d->v[idx].name);
	} else {
		if (p->i >= p->len || p->s[p->i] != '(')
			return fail(p, p->i, IX_EINVAL, "'%s' is a %s right and needs a value: %s(...)",
				    p->d->v[idx].name, ix_right_kind_name(p->d->v[idx].kind),
				    p->d->v[idx].name);
		if (parse_item_value(p, idx, &it) < 0)
			return -1;
	}
	return ix_rights_put(r, &it, p->err);
}

int
ix_rights_parse(const struct ix_rdecls *d, const char *text, size_t len,
		const char *const *caps, size_t ncaps, struct ix_rights **out, struct ix_err *err)
{
	struct rp p = { d, text, len, 0, caps, caps ? ncaps : 0, err };
	struct ix_rights *r;
	const char *nul;

	*out = NULL;
	if (len > IX_RIGHTS_TEXT_MAX)
		return fail(&p, IX_RIGHTS_TEXT_MAX, IX_ELIMIT, "rights longer than %d bytes",
			    IX_RIGHTS_TEXT_MAX);
	if ((nul = memchr(text, '\0', len)) != NULL)
		return fail(&p, (size_t)(nul - text), IX_EINVAL, "NUL byte in rights");
	if ((r = ix_rights_new(d)) == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	skip_ws(&p);
	while (p.i < len) {
		if (parse_item(&p, r) < 0)
			goto fail;
		skip_ws(&p);
		if (p.i == len)
			break;
		if (text[p.i] != '|') {
			unexpected(&p, p.i, "'|' or the end of the rights");
			goto fail;
		}
		p.i++;
		skip_ws(&p);
		if (p.i == len) {
			unexpected(&p, p.i, "a right name");
			goto fail;
		}
	}
	*out = r;
	return 0;
fail:
	ix_rights_free(r);
	return -1;
}
