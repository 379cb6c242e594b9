/*
 * Text form of labels: the parser, the canonical printer, and the raw
 * printer for readers without the names (ix_label_print_raw).
 *
 * Grammar (ws = space or tab; names are looked up in the encodings table,
 * where they are unique across levels and categories):
 *	label = ws* ( "NO" | "TOP" | level [ ws* ":" ws* cats ] | cats ) ws*
 *	level = level-name | "BOTTOM"
 *	cats  = cat ( ws* "," ws* cat )*
 *	cat   = category-name | "#" digit{1,3}		(0..255)
 * A category given twice is the same set. The parser stops at the first
 * error and reports its 1-based column.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "liblattice/label.h"
#include "liblattice/label_int.h"

/* Parser state over one text. */
struct lp {
	const struct ix_label_enc *enc;	/* names */
	const char *s;			/* the text */
	size_t len;			/* its length */
	size_t i;			/* next byte */
	char *why;			/* OUT: message of the first error */
	size_t whysize;			/* size of why */
	size_t *pos;			/* OUT: 0-based offset of the first error */
	enum ix_errcode *code;		/* OUT: its code */
};

static int __attribute__((format(printf, 4, 5)))
fail(struct lp *p, size_t at, enum ix_errcode code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->why, p->whysize, fmt, ap);
	va_end(ap);
	*p->pos = at;
	*p->code = code;
	return -1;
}

static void
skip_ws(struct lp *p)
{
	while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\t'))
		p->i++;
}

static bool
is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool
is_word(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int
unexpected(struct lp *p, size_t at, const char *wanted)
{
	unsigned char c;

	if (at >= p->len)
		return fail(p, at, IX_EINVAL, "expected %s but the label ends", wanted);
	c = (unsigned char)p->s[at];
	if (c > 0x20 && c < 0x7f)
		return fail(p, at, IX_EINVAL, "unexpected '%c', expected %s", c, wanted);
	return fail(p, at, IX_EINVAL, "unexpected byte 0x%02x, expected %s", c, wanted);
}

/* Token kinds of a word. */
enum word { W_NONE, W_LEVEL, W_CAT, W_NO, W_TOP, W_BOTTOM };

/*
 * Reads a name or "#N" at p->i. Sets *val to the level rank or category
 * bit and *start to the word's offset. Returns the kind, or -1.
 */
static int
read_word(struct lp *p, int *val, size_t *start, bool cat_context)
{
	size_t b = p->i, n;
	const char *w;

	*start = b;
	if (b < p->len && p->s[b] == '#') {
		unsigned v = 0;

		p->i++;
		while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9') {
			if (p->i - b > 3)
				return fail(p, b, IX_EINVAL, "category bit '%.*s...' out of range 0..%d",
					    4, p->s + b, IX_CAT_BITS - 1);
			v = v * 10 + (unsigned)(p->s[p->i] - '0');
			p->i++;
		}
		if (p->i == b + 1)
			return unexpected(p, p->i, "a bit number after '#'");
		if (v >= IX_CAT_BITS)
			return fail(p, b, IX_EINVAL, "category bit '%.*s' out of range 0..%d",
				    (int)(p->i - b), p->s + b, IX_CAT_BITS - 1);
		if (p->i < p->len && is_word(p->s[p->i]))
			return unexpected(p, p->i, "',' or the end of the label");
		*val = (int)v;
		return W_CAT;
	}
	if (b >= p->len || !is_alpha(p->s[b]))
		return unexpected(p, b, cat_context ? "a category" : "a level or category");
	while (p->i < p->len && is_word(p->s[p->i]))
		p->i++;
	n = p->i - b;
	w = p->s + b;
	if (n > IX_LABEL_NAME_MAX)
		return fail(p, b, IX_EINVAL, "name '%.16s...' longer than %d bytes", w,
			    IX_LABEL_NAME_MAX);
	if (n == 2 && memcmp(w, "NO", 2) == 0)
		return W_NO;
	if (n == 3 && memcmp(w, "TOP", 3) == 0)
		return W_TOP;
	if (n == 6 && memcmp(w, "BOTTOM", 6) == 0)
		return W_BOTTOM;
	if ((*val = ix_label_enc_level_rank_n(p->enc, w, n)) >= 0)
		return W_LEVEL;
	if ((*val = ix_label_enc_category_bit_n(p->enc, w, n)) >= 0)
		return W_CAT;
	return fail(p, b, IX_EINVAL, "unknown %s '%.*s'",
		    cat_context ? "category" : "level or category", (int)n, w);
}

static int
parse_cats(struct lp *p, struct ix_label *out, int kind, int val, size_t start)
{
	for (;;) {
		if (kind == W_LEVEL)
			return fail(p, start, IX_EINVAL, "'%s' is a level, expected a category",
				    ix_label_enc_level_name(p->enc, val));
		if (kind != W_CAT)
			return fail(p, start, IX_EINVAL, "keyword '%.*s' where a category was expected",
				    (int)(p->i - start), p->s + start);
		ix_label_set_cat(out, val);
		skip_ws(p);
		if (p->i == p->len)
			return 0;
		if (p->s[p->i] != ',')
			return unexpected(p, p->i, "',' or the end of the label");
		p->i++;
		skip_ws(p);
		if ((kind = read_word(p, &val, &start, true)) < 0)
			return -1;
	}
}

/*
 * The parser proper; ix_label_parse_pos adds the check of its result.
 * Inlined there, so that a release build compiles ix_label_parse_pos as
 * it did before the check: as a function of its own, the call and the
 * code it moved cost bench-decide 5% at 10 rules.
 */
static inline __attribute__((always_inline)) int
parse(const struct ix_label_enc *enc, const char *text, size_t len, struct ix_label *out,
      char *why, size_t whysize, size_t *pos, enum ix_errcode *code)
{
	struct lp p = { enc, text, len, 0, why, whysize, pos, code };
	struct ix_label l;
	const void *nul;
	size_t start;
	int kind, val;

	if (len > IX_LABEL_TEXT_MAX)
		return fail(&p, IX_LABEL_TEXT_MAX, IX_ELIMIT, "label longer than %d bytes",
			    IX_LABEL_TEXT_MAX);
	if ((nul = memchr(text, '\0', len)) != NULL)
		return fail(&p, (size_t)((const char *)nul - text), IX_EINVAL, "NUL byte in label");
	if (ix_label_enc_nlevels(enc) == 0)
		return fail(&p, 0, IX_EINVAL, "no label levels are defined");
	skip_ws(&p);
	if (p.i == len)
		return fail(&p, p.i, IX_EINVAL, "empty label");
	ix_label_bottom(enc, &l);
	if ((kind = read_word(&p, &val, &start, false)) < 0)
		return -1;
	switch (kind) {
	case W_NO:
		ix_label_no(&l);
		break;
	case W_TOP:
		ix_label_top(enc, &l);
		break;
	case W_LEVEL:
	case W_BOTTOM:
		l.level = (uint16_t)(kind == W_LEVEL ? val : 0);
		skip_ws(&p);
		if (p.i < len && p.s[p.i] == ':') {
			p.i++;
			skip_ws(&p);
			if ((kind = read_word(&p, &val, &start, true)) < 0)
				return -1;
			if (parse_cats(&p, &l, kind, val, start) < 0)
				return -1;
		}
		break;
	default:
		if (parse_cats(&p, &l, kind, val, start) < 0)
			return -1;
		break;
	}
	skip_ws(&p);
	if (p.i != len)
		return unexpected(&p, p.i, kind == W_LEVEL || kind == W_BOTTOM ?
				  "':' or the end of the label" : "the end of the label");
	*out = l;
	return 0;
}

int
ix_label_parse_pos(const struct ix_label_enc *enc, const char *text, size_t len,
		   struct ix_label *out, char *why, size_t whysize, size_t *pos,
		   enum ix_errcode *code)
{
	if (parse(enc, text, len, out, why, whysize, pos, code) < 0)
		return -1;
	assert(ix_label_check_text(enc, out));
	return 0;
}

int
ix_label_parse(const struct ix_label_enc *enc, const char *text, size_t len,
	       struct ix_label *out, struct ix_err *err)
{
	char why[IX_ERR_MSG_MAX - 32];
	enum ix_errcode code;
	size_t pos;

	if (ix_label_parse_pos(enc, text, len, out, why, sizeof why, &pos, &code) < 0)
		return ix_err_set(err, code, "%s at column %zu", why, pos + 1);
	return 0;
}

/* Appends s to buf at *n; false when it does not fit. */
static bool
put(char *buf, size_t size, size_t *n, const char *s)
{
	size_t l = strlen(s);

	if (*n + l >= size)
		return false;
	memcpy(buf + *n, s, l + 1);
	*n += l;
	return true;
}

static bool
is_top(const struct ix_label_enc *enc, const struct ix_label *l)
{
	struct ix_label t;

	ix_label_top(enc, &t);
	return !(l->flags & IX_LABEL_F_NO) && ix_label_eq(l, &t);
}

/* Appends l's categories in increasing bit order, each by its name in
 * enc or, unnamed or with enc NULL, as "#bit"; false when they do not fit. */
static bool
put_cats(const struct ix_label_enc *enc, const struct ix_label *l, char *buf, size_t size,
	 size_t *n)
{
	const char *name;
	char num[8];
	bool first = true;

	/* Word by word, set bits only: a label is printed in every
	 * explanation of a decision, and most carry one or two categories. */
	for (int w = 0; w < IX_CAT_WORDS; w++) {
		for (uint64_t m = l->cats[w]; m != 0; m &= m - 1) {
			int bit = w * 64 + __builtin_ctzll(m);

			name = enc != NULL ? ix_label_enc_category_name(enc, bit) : NULL;
			if (name == NULL) {
				snprintf(num, sizeof num, "#%d", bit);
				name = num;
			}
			if ((!first && !put(buf, size, n, ",")) || !put(buf, size, n, name))
				return false;
			first = false;
		}
	}
	return true;
}

int
ix_label_print(const struct ix_label_enc *enc, const struct ix_label *l,
	       char *buf, size_t size, struct ix_err *err)
{
	const char *name;
	size_t n = 0;
	bool any = false;

	if (size == 0)
		return ix_err_set(err, IX_ELIMIT, "no room to print a label");
	buf[0] = '\0';
	if (l->flags & IX_LABEL_F_NO)
		name = "NO";
	else if (is_top(enc, l))
		name = "TOP";
	else
		name = NULL;
	if (name != NULL) {
		if (!put(buf, size, &n, name))
			goto toolong;
		return (int)n;
	}
	for (int w = 0; w < IX_CAT_WORDS; w++)
		any |= l->cats[w] != 0;
	if (l->level != 0 || !any) {
		if ((name = ix_label_enc_level_name(enc, l->level)) == NULL)
			return ix_err_set(err, IX_EINVAL, "label level %u has no name", l->level);
		if (!put(buf, size, &n, name) || (any && !put(buf, size, &n, ":")))
			goto toolong;
	}
	if (!put_cats(enc, l, buf, size, &n))
		goto toolong;
	return (int)n;
toolong:
	return ix_err_set(err, IX_ELIMIT, "label text does not fit in %zu bytes", size);
}

int
ix_label_print_raw(const struct ix_label *l, char *buf, size_t size, struct ix_err *err)
{
	char level[16];
	size_t n = 0;
	bool any = false;

	if (size == 0)
		return ix_err_set(err, IX_ELIMIT, "no room to print a label");
	buf[0] = '\0';
	if (l->flags & IX_LABEL_F_NO) {
		if (!put(buf, size, &n, "NO"))
			goto toolong;
		return (int)n;
	}
	for (int w = 0; w < IX_CAT_WORDS; w++)
		any |= l->cats[w] != 0;
	snprintf(level, sizeof level, "level#%u", (unsigned)l->level);
	if (!put(buf, size, &n, level) || (any && !put(buf, size, &n, ":")) ||
	    !put_cats(NULL, l, buf, size, &n))
		goto toolong;
	return (int)n;
toolong:
	return ix_err_set(err, IX_ELIMIT, "label text does not fit in %zu bytes", size);
}

#ifndef NDEBUG
bool
ix_label_check_text(const struct ix_label_enc *enc, const struct ix_label *l)
{
	char text[IX_LABEL_TEXT_MAX + 1], again[IX_LABEL_TEXT_MAX + 1], why[IX_ERR_MSG_MAX];
	struct ix_label back;
	struct ix_err e = { 0 };
	enum ix_errcode code;
	size_t pos;
	int n, rc;

	n = ix_label_print(enc, l, text, sizeof text, &e);
	/* a label of this table has a text (its level has a name), but names
	 * of up to 64 bytes on 256 categories may not fit in
	 * IX_LABEL_TEXT_MAX: a limit the printer reports, not a broken form */
	assert(n >= 0 || e.code == IX_ELIMIT);
	if (n < 0)
		return true;
	rc = parse(enc, text, (size_t)n, &back, why, sizeof why, &pos, &code);
	assert(rc == 0);
	assert(ix_label_eq(&back, l) && back.flags == l->flags);
	rc = ix_label_print(enc, &back, again, sizeof again, &e);
	assert(rc == n && strcmp(again, text) == 0);
	return true;
}
#endif
