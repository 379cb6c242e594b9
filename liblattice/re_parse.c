/*
 * Parser of the regular subset (grammar and rationale in liblattice/REGEX.md):
 *
 *   alt   := seq ( '|' seq )*
 *   seq   := ( atom quant? )*
 *   atom  := byte | escape | '.' | class | '(' alt ')'
 *   quant := '*' | '+' | '?' | '{' m '}' | '{' m ',' '}' | '{' m ',' n '}'
 *   class := '[' '^'? item+ ']'        item := byte | escape | byte '-' byte
 *
 * It stops at the first error, whose message names the 1-based column.
 * Anything PCRE would read as a non-regular or context-dependent construct
 * is rejected with the reason rather than silently read as a literal, so
 * that a pattern never means something else here than in PCRE2.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "liblattice/re_ast.h"

struct parser {
	const unsigned char *s;	/* pattern */
	size_t len;		/* its length */
	size_t pos;		/* next byte to read */
	struct re_ast *ast;	/* output */
	struct ix_err *err;	/* where errors go */
};

/* "<what> at column N[: why]" */
static int
fail(struct parser *p, enum ix_errcode code, size_t pos, const char *why,
     const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int
fail(struct parser *p, enum ix_errcode code, size_t pos, const char *why,
     const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return ix_err_set(p->err, code, "%s at column %zu%s%s", what, pos + 1,
			  why ? ": " : "", why ? why : "");
}

static int32_t
new_node(struct parser *p, enum re_node_kind kind)
{
	struct re_ast *a = p->ast;
	struct re_node *n;

	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		struct re_node *nodes = realloc(a->nodes, cap * sizeof *nodes);

		if (nodes == NULL) {
			ix_err_set(p->err, IX_ENOMEM, "out of memory parsing pattern");
			return -1;
		}
		a->nodes = nodes;
		a->cap = cap;
	}
	n = &a->nodes[a->n];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->first = -1;
	n->next = -1;
	return (int32_t)a->n++;
}

/* A SET node with a fresh empty set; *set points at it until the next
 * allocation. */
static int32_t
new_set(struct parser *p, struct re_set **set)
{
	struct re_ast *a = p->ast;
	int32_t id;

	if (a->nsets == a->setcap) {
		size_t cap = a->setcap ? a->setcap * 2 : 32;
		struct re_set *sets = realloc(a->sets, cap * sizeof *sets);

		if (sets == NULL) {
			ix_err_set(p->err, IX_ENOMEM, "out of memory parsing pattern");
			return -1;
		}
		a->sets = sets;
		a->setcap = cap;
	}
	id = new_node(p, RE_N_SET);
	if (id < 0)
		return -1;
	a->nodes[id].set = (uint32_t)a->nsets;
	*set = &a->sets[a->nsets++];
	memset(*set, 0, sizeof **set);
	return id;
}

static void
add_range(struct re_set *s, unsigned lo, unsigned hi)
{
	for (unsigned b = lo; b <= hi; b++)
		re_set_add(s, b);
}

/* The classes \d \w \s (PCRE2's defaults in byte mode without UCP). */
static void
add_class_escape(struct re_set *s, int c)
{
	struct re_set t = { { 0, 0, 0, 0 } };

	switch (c | 0x20) {
	case 'd':
		add_range(&t, '0', '9');
		break;
	case 'w':
		add_range(&t, '0', '9');
		add_range(&t, 'A', 'Z');
		add_range(&t, 'a', 'z');
		re_set_add(&t, '_');
		break;
	default: /* 's': space, \t \n \v \f \r */
		add_range(&t, 0x09, 0x0d);
		re_set_add(&t, ' ');
		break;
	}
	for (int i = 0; i < 4; i++)
		s->w[i] |= (c >= 'a') ? t.w[i] : ~t.w[i];
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#define ESC_CLASS (-2)	/* parse_escape result for \d \w \s \D \W \S */

/*
 * Reads the escape whose backslash is at p->pos. Returns the byte it
 * stands for, ESC_CLASS (the letter is then at s[pos+1]), or -1 on error.
 */
static int
parse_escape(struct parser *p, bool in_class)
{
	size_t at = p->pos;
	int c, h1, h2;

	if (at + 1 >= p->len)
		return fail(p, IX_EINVAL, at, "write \\\\ for a backslash",
			    "trailing backslash");
	c = p->s[at + 1];
	p->pos = at + 2;
	switch (c) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case 'f': return '\f';
	case 'a': return 0x07;
	case 'e': return 0x1b;
	case 'd': case 'w': case 's': case 'D': case 'W': case 'S':
		return ESC_CLASS;
	case 'x':
		if (at + 2 < p->len && p->s[at + 2] == '{')
			return fail(p, IX_EINVAL, at,
				    "patterns match bytes; write each byte as \\xHH",
				    "unsupported unicode escape \\x{...}");
		h1 = at + 2 < p->len ? hexval(p->s[at + 2]) : -1;
		h2 = at + 3 < p->len ? hexval(p->s[at + 3]) : -1;
		if (h1 < 0 || h2 < 0)
			return fail(p, IX_EINVAL, at, NULL,
				    "\\x must be followed by two hex digits");
		p->pos = at + 4;
		return h1 * 16 + h2;
	case '1': case '2': case '3': case '4': case '5':
	case '6': case '7': case '8': case '9':
		return fail(p, IX_EINVAL, at,
			    "backreferences do not describe regular languages",
			    "unsupported backreference \\%c", c);
	case 'g': case 'k':
		return fail(p, IX_EINVAL, at,
			    "backreferences do not describe regular languages",
			    "unsupported backreference \\%c", c);
	case '0': case 'o':
		return fail(p, IX_EINVAL, at, "write the byte as \\xHH",
			    "unsupported octal escape \\%c", c);
	case 'b': case 'B':
		return fail(p, IX_EINVAL, at,
			    in_class ? "write a backspace as \\x08"
				     : "patterns always match the whole string",
			    "unsupported word boundary \\%c", c);
	case 'A': case 'z': case 'Z': case 'G':
		return fail(p, IX_EINVAL, at, "patterns always match the whole string",
			    "unsupported anchor \\%c", c);
	case 'u': case 'U': case 'N': case 'p': case 'P': case 'X':
		return fail(p, IX_EINVAL, at,
			    "patterns match bytes; write each byte as \\xHH",
			    "unsupported unicode escape \\%c", c);
	case 'Q': case 'E':
		return fail(p, IX_EINVAL, at, "escape each byte with \\ instead",
			    "unsupported quoting \\%c", c);
	case 'K':
		return fail(p, IX_EINVAL, at, "patterns always match the whole string",
			    "unsupported match reset \\K");
	case 'h': case 'H': case 'v': case 'V': case 'R': case 'C': case 'c':
		return fail(p, IX_EINVAL, at, "write the bytes as a bracket class or \\xHH",
			    "unsupported escape \\%c", c);
	default:
		break;
	}
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return fail(p, IX_EINVAL, at, NULL, "unknown escape \\%c", c);
	if (c < 0x20 || c > 0x7e)
		return fail(p, IX_EINVAL, at, "write the byte as \\xHH",
			    "backslash before byte 0x%02x", (unsigned)c);
	return c;
}

/* One byte of a class item, for a range endpoint; -1 on error,
 * ESC_CLASS for \d and friends. */
static int
class_byte(struct parser *p)
{
	size_t at = p->pos;
	int c = p->s[at];

	if (c == '\\')
		return parse_escape(p, true);
	if (c == 0)
		return fail(p, IX_EINVAL, at, "write \\x00 for a NUL byte", "NUL byte");
	if (c == '[') {
		if (at + 1 < p->len && strchr(":=.", p->s[at + 1]) && p->s[at + 1])
			return fail(p, IX_EINVAL, at, "write the bytes as ranges or \\d \\w \\s",
				    "unsupported POSIX class [%c", p->s[at + 1]);
		return fail(p, IX_EINVAL, at, "write \\[ for a literal [",
			    "unescaped [ in bracket class");
	}
	p->pos++;
	return c;
}

/*
 * PCRE2 reads "[" followed by ':', '.' or '=' as POSIX class syntax when
 * the same character followed by "]" comes before any other "]" (its
 * check_posix_syntax), e.g. "[.-/.]". Such a class would mean something
 * else there, so it is rejected here rather than read as a set.
 */
static bool
posix_syntax(const struct parser *p, size_t open)
{
	unsigned char term;

	if (open + 1 >= p->len || !strchr(":.=", p->s[open + 1]) || !p->s[open + 1])
		return false;
	term = p->s[open + 1];
	for (size_t i = open + 2; i + 1 < p->len; i++) {
		if (p->s[i] == '\\' && (p->s[i + 1] == ']' || p->s[i + 1] == '\\'))
			i++;
		else if ((p->s[i] == '[' && p->s[i + 1] == term) || p->s[i] == ']')
			return false;
		else if (p->s[i] == term && p->s[i + 1] == ']')
			return true;
	}
	return false;
}

static int32_t
parse_class(struct parser *p)
{
	size_t open = p->pos;
	struct re_set *set;
	bool negate = false, first = true;
	int32_t id = new_set(p, &set);
	struct re_set acc = { { 0, 0, 0, 0 } };

	if (id < 0)
		return -1;
	if (posix_syntax(p, open))
		return fail(p, IX_EINVAL, open, "escape the first byte of the class",
			    "bracket class read as POSIX syntax [%c...%c] by PCRE",
			    p->s[open + 1], p->s[open + 1]);
	p->pos++;
	if (p->pos < p->len && p->s[p->pos] == '^') {
		negate = true;
		p->pos++;
	}
	for (;;) {
		size_t at = p->pos;
		int lo, hi;

		if (at >= p->len)
			return fail(p, IX_EINVAL, open, NULL, "missing ] for [");
		if (p->s[at] == ']') {
			if (first)
				return fail(p, IX_EINVAL, at, "write \\] for a literal ]",
					    "empty bracket class");
			p->pos++;
			break;
		}
		if (p->s[at] == '-' && !first && at + 1 < p->len && p->s[at + 1] != ']')
			return fail(p, IX_EINVAL, at, "write \\- for a literal -",
				    "ambiguous - in bracket class");
		first = false;
		lo = class_byte(p);
		if (lo == -1)
			return -1;
		if (lo == ESC_CLASS) {
			int letter = p->s[p->pos - 1];

			if (p->pos < p->len && p->s[p->pos] == '-' &&
			    p->pos + 1 < p->len && p->s[p->pos + 1] != ']')
				return fail(p, IX_EINVAL, p->pos, NULL,
					    "range from class escape \\%c", letter);
			add_class_escape(&acc, letter);
			continue;
		}
		if (p->pos + 1 < p->len && p->s[p->pos] == '-' && p->s[p->pos + 1] != ']') {
			size_t dash = p->pos;

			p->pos++;
			hi = class_byte(p);
			if (hi == -1)
				return -1;
			if (hi == ESC_CLASS)
				return fail(p, IX_EINVAL, dash + 1, NULL,
					    "range to class escape \\%c", p->s[p->pos - 1]);
			if (hi < lo)
				return fail(p, IX_EINVAL, at, NULL,
					    "range out of order (0x%02x > 0x%02x)",
					    (unsigned)lo, (unsigned)hi);
			add_range(&acc, (unsigned)lo, (unsigned)hi);
			continue;
		}
		re_set_add(&acc, (unsigned)lo);
	}
	/* new_set may have moved when other sets grew: re-fetch. */
	set = &p->ast->sets[p->ast->nodes[id].set];
	for (int i = 0; i < 4; i++)
		set->w[i] = negate ? ~acc.w[i] : acc.w[i];
	return id;
}

static int32_t parse_alt(struct parser *p, int depth);

static int32_t
parse_group(struct parser *p, int depth)
{
	size_t open = p->pos;
	int32_t id;

	if (open + 1 < p->len && p->s[open + 1] == '?') {
		const unsigned char *q = p->s + open + 2;
		size_t rest = p->len - open - 2;

		if (rest >= 1 && (q[0] == '=' || q[0] == '!'))
			return fail(p, IX_EINVAL, open, "lookaround is not regular matching of the whole string",
				    "unsupported lookahead (?%c", q[0]);
		if (rest >= 2 && q[0] == '<' && (q[1] == '=' || q[1] == '!'))
			return fail(p, IX_EINVAL, open, "lookaround is not regular matching of the whole string",
				    "unsupported lookbehind (?<%c", q[1]);
		if (rest >= 1 && (q[0] == '<' || q[0] == '\'' || q[0] == 'P'))
			return fail(p, IX_EINVAL, open, "use a plain group (...)",
				    "unsupported named group");
		if (rest >= 1 && q[0] == ':')
			return fail(p, IX_EINVAL, open, "groups do not capture here; use (...)",
				    "unsupported non-capturing group (?:");
		return fail(p, IX_EINVAL, open, "(?...) constructs are outside the regular subset",
			    "unsupported group syntax (?");
	}
	if (open + 1 < p->len && p->s[open + 1] == '*')
		return fail(p, IX_EINVAL, open, "(*...) verbs are outside the regular subset",
			    "unsupported verb (*");
	if (depth >= RE_DEPTH_MAX)
		return fail(p, IX_ELIMIT, open, NULL,
			    "groups nested deeper than %d", RE_DEPTH_MAX);
	p->pos++;
	id = parse_alt(p, depth + 1);
	if (id < 0)
		return -1;
	if (p->pos >= p->len)
		return fail(p, IX_EINVAL, open, NULL, "missing ) for (");
	p->pos++;	/* ')' */
	return id;
}

static int
parse_number(struct parser *p, int *out)
{
	size_t start = p->pos;
	long v = 0;

	while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') {
		v = v * 10 + (p->s[p->pos] - '0');
		if (v > IX_RE_REPEAT_MAX)
			return fail(p, IX_ELIMIT, start, NULL,
				    "repetition bound greater than %d", IX_RE_REPEAT_MAX);
		p->pos++;
	}
	if (p->pos == start)
		return 1;	/* no digits */
	*out = (int)v;
	return 0;
}

/* Reads a quantifier at p->pos if there is one; *min = -1 when none. */
static int
parse_quant(struct parser *p, int *min, int *max)
{
	size_t at = p->pos;
	int rc;

	*min = -1;
	if (at >= p->len)
		return 0;
	switch (p->s[at]) {
	case '*': *min = 0; *max = -1; p->pos++; return 0;
	case '+': *min = 1; *max = -1; p->pos++; return 0;
	case '?': *min = 0; *max = 1; p->pos++; return 0;
	case '{': break;
	default: return 0;
	}
	p->pos++;
	rc = parse_number(p, min);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return fail(p, IX_EINVAL, at, "write {m}, {m,} or {m,n} with m given",
			    "malformed repetition bound");
	*max = *min;
	if (p->pos < p->len && p->s[p->pos] == ',') {
		p->pos++;
		rc = parse_number(p, max);
		if (rc < 0)
			return -1;
		if (rc > 0)
			*max = -1;
	}
	if (p->pos >= p->len || p->s[p->pos] != '}')
		return fail(p, IX_EINVAL, at, "write {m}, {m,} or {m,n} with m given",
			    "malformed repetition bound");
	p->pos++;
	if (*max >= 0 && *max < *min)
		return fail(p, IX_EINVAL, at, NULL,
			    "repetition bounds out of order {%d,%d}", *min, *max);
	return 0;
}

static int32_t
parse_atom(struct parser *p, int depth)
{
	size_t at = p->pos;
	int c = p->s[at];
	struct re_set *set;
	int32_t id;

	switch (c) {
	case '(':
		return parse_group(p, depth);
	case '[':
		return parse_class(p);
	case '*': case '+': case '?': case '{':
		return fail(p, IX_EINVAL, at, NULL, "nothing to repeat before %c", c);
	case '^': case '$':
		return fail(p, IX_EINVAL, at, c == '^'
			    ? "patterns always match the whole string; write \\^ for a literal"
			    : "patterns always match the whole string; write \\$ for a literal",
			    "unsupported anchor %c", c);
	case ']': case '}':
		return fail(p, IX_EINVAL, at, NULL,
			    "unescaped %c (write \\%c for a literal)", c, c);
	case 0:
		return fail(p, IX_EINVAL, at, "write \\x00 for a NUL byte", "NUL byte");
	default:
		break;
	}
	id = new_set(p, &set);
	if (id < 0)
		return -1;
	if (c == '.') {
		memset(set, 0xff, sizeof *set);
		p->pos++;
	} else if (c == '\\') {
		int b = parse_escape(p, false);

		if (b == -1)
			return -1;
		set = &p->ast->sets[p->ast->nodes[id].set];
		if (b == ESC_CLASS)
			add_class_escape(set, p->s[p->pos - 1]);
		else
			re_set_add(set, (unsigned)b);
	} else {
		re_set_add(set, (unsigned)c);
		p->pos++;
	}
	return id;
}

static int32_t
parse_seq(struct parser *p, int depth)
{
	int32_t cat = -1, last = -1;

	while (p->pos < p->len && p->s[p->pos] != '|' && p->s[p->pos] != ')') {
		int32_t atom = parse_atom(p, depth), rep;
		int min, max;

		if (atom < 0)
			return -1;
		if (parse_quant(p, &min, &max) < 0)
			return -1;
		if (min >= 0) {
			if (p->pos < p->len) {
				int c = p->s[p->pos];

				if (c == '?')
					return fail(p, IX_EINVAL, p->pos,
						    "matching the whole string makes laziness meaningless",
						    "unsupported lazy quantifier");
				if (c == '+')
					return fail(p, IX_EINVAL, p->pos,
						    "possessive matching is not regular",
						    "unsupported possessive quantifier");
				if (c == '*' || c == '{')
					return fail(p, IX_EINVAL, p->pos,
						    "put the repeated part in parentheses",
						    "quantifier after quantifier");
			}
			rep = new_node(p, RE_N_REPEAT);
			if (rep < 0)
				return -1;
			p->ast->nodes[rep].first = atom;
			p->ast->nodes[rep].min = min;
			p->ast->nodes[rep].max = max;
			atom = rep;
		}
		if (cat < 0) {
			cat = new_node(p, RE_N_CAT);
			if (cat < 0)
				return -1;
			p->ast->nodes[cat].first = atom;
		} else {
			p->ast->nodes[last].next = atom;
		}
		last = atom;
	}
	if (cat < 0)
		return new_node(p, RE_N_EPS);
	return cat;
}

static int32_t
parse_alt(struct parser *p, int depth)
{
	int32_t alt, first = parse_seq(p, depth), last = first;

	if (first < 0)
		return -1;
	if (p->pos >= p->len || p->s[p->pos] != '|')
		return first;
	alt = new_node(p, RE_N_ALT);
	if (alt < 0)
		return -1;
	p->ast->nodes[alt].first = first;
	while (p->pos < p->len && p->s[p->pos] == '|') {
		int32_t next;

		p->pos++;
		next = parse_seq(p, depth);
		if (next < 0)
			return -1;
		p->ast->nodes[last].next = next;
		last = next;
	}
	return alt;
}

int
re_parse(const char *pattern, size_t len, struct re_ast *ast, struct ix_err *err)
{
	struct parser p = { (const unsigned char *)pattern, len, 0, ast, err };

	memset(ast, 0, sizeof *ast);
	ast->root = -1;
	if (len > IX_RE_PATTERN_MAX)
		return ix_err_set(err, IX_ELIMIT, "pattern longer than %d bytes at column %d",
				  IX_RE_PATTERN_MAX, IX_RE_PATTERN_MAX + 1);
	if (len > 0 && pattern == NULL)
		return ix_err_set(err, IX_EINVAL, "no pattern");
	ast->root = parse_alt(&p, 0);
	if (ast->root < 0)
		goto fail;
	if (p.pos < len) {	/* only a ')' stops the top level early */
		fail(&p, IX_EINVAL, p.pos, NULL, "unmatched )");
		goto fail;
	}
	return 0;
fail:
	re_ast_fini(ast);
	return -1;
}

void
re_ast_fini(struct re_ast *ast)
{
	if (ast == NULL)
		return;
	free(ast->nodes);
	free(ast->sets);
	memset(ast, 0, sizeof *ast);
	ast->root = -1;
}
