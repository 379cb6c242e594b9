/*
 * Predicate parser: recursive descent over the grammar in pred.h.
 *
 * Recursion happens only through parenthesised groups, and their nesting is
 * capped at IX_PRED_DEPTH_MAX before the recursive call, so the C stack is
 * bounded whatever the input. Every error names the 1-based column of the
 * byte at fault and parsing stops there.
 *
 * ID and SRC patterns made of ordinary characters only ("ches",
 * "/dev/console") or of "|"-separated such words ("alice|bob") are kept as
 * literal strings and never handed to PCRE2: the full-match semantics of
 * such a pattern is string equality with one of the words, and most nodes of
 * a large tree name a single login.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libauthtree/pred_int.h"
#include "libauthtree/pred_user.h"

struct parser {
	const char *s;		/* the text, not NUL-terminated */
	size_t len;		/* its length */
	size_t pos;		/* next byte to read */
	int depth;		/* open parenthesised groups */
	struct ix_pred *pred;	/* the predicate being built */
	pcre2_compile_context *cctx; /* created at the first regex atom */
	struct ix_err *err;
};

#define COL(off) ((int)(off) + 1)

/* A byte for an error message: printable as itself, others as \xNN. */
static const char *
show_byte(unsigned char c, char buf[8])
{
	if (c >= 0x21 && c < 0x7f)
		snprintf(buf, 8, "'%c'", c);
	else
		snprintf(buf, 8, "\\x%02x", c);
	return buf;
}

static void
skip_space(struct parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
				   p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

void
ix_pnode_free(struct pnode *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		ix_pnode_free(n->kids[i]);
	free(n->kids);
	free(n->text);
	if (n->lits != NULL)
		free(n->lits[0]);
	free(n->lits);
	pcre2_code_free(n->code);
	free(n);
}

static struct pnode *
node_new(struct parser *p, enum pnode_kind kind)
{
	struct pnode *n = calloc(1, sizeof *n);

	if (n == NULL)
		ix_err_set(p->err, IX_ENOMEM, "out of memory");
	else
		n->kind = kind;
	return n;
}

/* Appends k to the operator node n, splicing k's operands in when k is the
 * same operator (a group such as "a & (b & c)"), so the tree stays flat. */
static int
node_add(struct parser *p, struct pnode *n, struct pnode *k)
{
	size_t add = k->kind == n->kind ? k->nkids : 1;
	struct pnode **kids = realloc(n->kids, (n->nkids + add) * sizeof *kids);

	if (kids == NULL) {
		ix_pnode_free(k);
		return ix_err_set(p->err, IX_ENOMEM, "out of memory");
	}
	n->kids = kids;
	if (k->kind == n->kind) {
		memcpy(kids + n->nkids, k->kids, add * sizeof *kids);
		k->nkids = 0;
		ix_pnode_free(k);
	} else {
		kids[n->nkids] = k;
	}
	n->nkids += add;
	return 0;
}

/* Bytes that mean something to PCRE2 outside a class. */
static int
is_meta(unsigned char c)
{
	return strchr("\\^$.[]|()?*+{}", c) != NULL && c != '\0';
}

/* If pat is "w1|w2|..." with every wi non-empty and free of metacharacters,
 * stores the words in n->lits and returns 1; 0 when pat needs PCRE2. */
static int
literal_words(struct parser *p, struct pnode *n, const char *pat, size_t len)
{
	size_t i, k, nwords = 1;
	char *block;

	for (i = 0; i < len; i++) {
		if (pat[i] == '|') {
			if (i == 0 || i + 1 == len || pat[i + 1] == '|')
				return 0;
			nwords++;
		} else if (is_meta((unsigned char)pat[i])) {
			return 0;
		}
	}
	block = malloc(len + 1);
	n->lits = calloc(nwords, sizeof *n->lits);
	if (block == NULL || n->lits == NULL) {
		free(block);
		free(n->lits);
		n->lits = NULL;
		return ix_err_set(p->err, IX_ENOMEM, "out of memory");
	}
	memcpy(block, pat, len);
	block[len] = '\0';
	n->lits[0] = block;
	for (i = 0, k = 1; i < len; i++) {
		if (block[i] == '|') {
			block[i] = '\0';
			n->lits[k++] = block + i + 1;
		}
	}
	n->nlits = nwords;
	return 1;
}

static int
compile_pattern(struct parser *p, struct pnode *n, const char *name, size_t start, size_t len)
{
	const uint32_t opts = PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_NEVER_UTF |
			      PCRE2_NEVER_UCP | PCRE2_NEVER_BACKSLASH_C;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE erroff;
	int errcode, rc;

	rc = literal_words(p, n, p->s + start, len);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (p->cctx == NULL) {
		p->cctx = pcre2_compile_context_create(NULL);
		if (p->cctx == NULL)
			return ix_err_set(p->err, IX_ENOMEM, "out of memory");
		pcre2_set_parens_nest_limit(p->cctx, IX_PRED_DEPTH_MAX);
	}
	if (p->pred->mctx == NULL) {
		p->pred->mctx = pcre2_match_context_create(NULL);
		if (p->pred->mctx == NULL)
			return ix_err_set(p->err, IX_ENOMEM, "out of memory");
		pcre2_set_match_limit(p->pred->mctx, IX_PRED_MATCH_LIMIT);
		pcre2_set_depth_limit(p->pred->mctx, IX_PRED_DEPTH_LIMIT);
		pcre2_set_heap_limit(p->pred->mctx, IX_PRED_HEAP_LIMIT_KB);
	}
	n->code = pcre2_compile((PCRE2_SPTR)(p->s + start), len, opts, &errcode, &erroff, p->cctx);
	if (n->code == NULL) {
		if (pcre2_get_error_message(errcode, msg, sizeof msg) < 0)
			snprintf((char *)msg, sizeof msg, "error %d", errcode);
		if (erroff > len)
			erroff = len;
		return ix_err_set(p->err, IX_EINVAL, "column %d: bad pattern in %s(): %s",
				  COL(start + erroff), name, (const char *)msg);
	}
	/* JIT may be refused (no executable memory under some confinement);
	 * the interpreter then gives the same answers, only slower. */
	n->jit = pcre2_jit_compile(n->code, PCRE2_JIT_COMPLETE) == 0;
	return 0;
}

/* Skips a bracket class starting at s[i] == '['; returns the offset after
 * its closing ']', or len when the class is not closed. */
static size_t
skip_class(const char *s, size_t len, size_t i)
{
	i++;
	if (i < len && s[i] == '^')
		i++;
	if (i < len && s[i] == ']')
		i++;	/* a leading ']' is a member, not the end */
	while (i < len) {
		if (s[i] == '\\') {
			i += 2;
		} else if (s[i] == '[' && i + 1 < len && s[i + 1] == ':') {
			const char *e = memmem(s + i + 2, len - i - 2, ":]", 2);
			const char *b = memchr(s + i + 2, ']', len - i - 2);

			/* "[:alpha:]" is skipped whole; otherwise '[' is a member */
			i = e != NULL && (b == NULL || e < b) ? (size_t)(e - s) + 2 : i + 1;
		} else if (s[i] == ']') {
			return i + 1;
		} else {
			i++;
		}
	}
	return len;
}

/*
 * Finds the ")" that balances the atom's "(" (pattern starts at s[start]):
 * escaped characters, \Q...\E quotes, bracket classes and (?#...) comments
 * do not count. Returns the offset of that ")" or len when there is none.
 */
static size_t
pattern_end(const char *s, size_t len, size_t start)
{
	size_t i = start;
	int depth = 0;

	while (i < len) {
		if (s[i] == '\\') {
			if (i + 1 < len && s[i + 1] == 'Q') {
				const char *e = memmem(s + i + 2, len - i - 2, "\\E", 2);

				i = e == NULL ? len : (size_t)(e - s) + 2;
			} else {
				i += 2;
			}
		} else if (s[i] == '[') {
			i = skip_class(s, len, i);
		} else if (s[i] == '(' && i + 2 < len && s[i + 1] == '?' && s[i + 2] == '#') {
			const char *e = memchr(s + i, ')', len - i);

			i = e == NULL ? len : (size_t)(e - s) + 1;
		} else if (s[i] == '(') {
			depth++;
			i++;
		} else if (s[i] == ')') {
			if (depth == 0)
				return i;
			depth--;
			i++;
		} else {
			i++;
		}
	}
	return len;
}

/* Parses the argument of ID(, SRC( or PW( whose text starts at p->pos. */
static struct pnode *
parse_arg_atom(struct parser *p, enum pnode_kind kind, const char *name, size_t open)
{
	size_t start = p->pos, end, i;
	struct pnode *n;

	if (kind == PN_PW) {
		const char *e = memchr(p->s + start, ')', p->len - start);

		end = e == NULL ? p->len : (size_t)(e - p->s);
	} else {
		end = pattern_end(p->s, p->len, start);
	}
	if (end > p->len)
		end = p->len;
	for (i = start; i < end; i++) {
		unsigned char c = (unsigned char)p->s[i];

		if (c < 0x20 || c == 0x7f) {
			ix_err_set(p->err, IX_EINVAL, "column %d: control character \\x%02x in %s()",
				   COL(i), c, name);
			return NULL;
		}
	}
	if (end == p->len) {
		ix_err_set(p->err, IX_EINVAL, "column %d: no ')' closes %s( at column %d",
			   COL(p->len), name, COL(open));
		return NULL;
	}
	if (end == start) {
		ix_err_set(p->err, IX_EINVAL, "column %d: empty %s()", COL(start), name);
		return NULL;
	}
	if (kind == PN_PW) {
		size_t bad;
		const char *why = ix_user_name_check(p->s + start, end - start, &bad);

		if (why != NULL) {
			ix_err_set(p->err, IX_EINVAL, "column %d: user name '%.*s' in PW() %s",
				   COL(start + bad), (int)(end - start), p->s + start, why);
			return NULL;
		}
	}
	n = node_new(p, kind);
	if (n == NULL)
		return NULL;
	n->text = strndup(p->s + start, end - start);
	if (n->text == NULL) {
		ix_err_set(p->err, IX_ENOMEM, "out of memory");
		ix_pnode_free(n);
		return NULL;
	}
	if (kind != PN_PW && compile_pattern(p, n, name, start, end - start) < 0) {
		ix_pnode_free(n);
		return NULL;
	}
	p->pos = end + 1;
	return n;
}

static int
is_word(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static struct pnode *parse_or(struct parser *p);

static struct pnode *
parse_prim(struct parser *p)
{
	static const struct {
		const char *name;
		enum pnode_kind kind;
	} atoms[] = {
		{ "ID", PN_ID }, { "SRC", PN_SRC }, { "PW", PN_PW },
		{ "ANY", PN_ANY }, { "NONE", PN_NONE },
	};
	size_t start, wlen, i;
	char b[8];

	skip_space(p);
	if (p->pos == p->len) {
		ix_err_set(p->err, IX_EINVAL, "column %d: expected an atom at end of text",
			   COL(p->pos));
		return NULL;
	}
	start = p->pos;
	if (p->s[start] == '(') {
		struct pnode *n;

		if (p->depth == IX_PRED_DEPTH_MAX) {
			ix_err_set(p->err, IX_ELIMIT,
				   "column %d: parentheses nested deeper than %d",
				   COL(start), IX_PRED_DEPTH_MAX);
			return NULL;
		}
		p->depth++;
		p->pos++;
		n = parse_or(p);
		if (n == NULL)
			return NULL;
		skip_space(p);
		if (p->pos == p->len || p->s[p->pos] != ')') {
			ix_err_set(p->err, IX_EINVAL, "column %d: no ')' closes '(' at column %d",
				   COL(p->pos), COL(start));
			ix_pnode_free(n);
			return NULL;
		}
		p->pos++;
		p->depth--;
		return n;
	}
	while (p->pos < p->len && is_word((unsigned char)p->s[p->pos]))
		p->pos++;
	wlen = p->pos - start;
	if (wlen == 0) {
		ix_err_set(p->err, IX_EINVAL, "column %d: expected an atom, found %s", COL(start),
			   show_byte((unsigned char)p->s[start], b));
		return NULL;
	}
	for (i = 0; i < sizeof atoms / sizeof atoms[0]; i++) {
		if (strlen(atoms[i].name) != wlen || memcmp(atoms[i].name, p->s + start, wlen) != 0)
			continue;
		if (atoms[i].kind == PN_ANY || atoms[i].kind == PN_NONE)
			return node_new(p, atoms[i].kind);
		if (p->pos == p->len || p->s[p->pos] != '(') {
			ix_err_set(p->err, IX_EINVAL, "column %d: expected '(' after %s",
				   COL(p->pos), atoms[i].name);
			return NULL;
		}
		if (atoms[i].kind == PN_SRC)
			p->pred->has_src = true;
		if (atoms[i].kind == PN_PW)
			p->pred->has_pw = true;
		p->pos++;
		return parse_arg_atom(p, atoms[i].kind, atoms[i].name, p->pos - 1);
	}
	ix_err_set(p->err, IX_EINVAL, "column %d: unknown atom '%.*s'", COL(start),
		   (int)(wlen > 64 ? 64 : wlen), p->s + start);
	return NULL;
}

/* One operator level: operands of `kind` separated by `op`, each parsed by
 * `sub`. A single operand is returned as is. */
static struct pnode *
parse_list(struct parser *p, enum pnode_kind kind, char op, struct pnode *(*sub)(struct parser *))
{
	struct pnode *first, *n, *k;

	first = sub(p);
	if (first == NULL)
		return NULL;
	skip_space(p);
	if (p->pos == p->len || p->s[p->pos] != op)
		return first;
	n = node_new(p, kind);
	if (n == NULL || node_add(p, n, first) < 0) {
		if (n == NULL)
			ix_pnode_free(first);
		ix_pnode_free(n);
		return NULL;
	}
	while (p->pos < p->len && p->s[p->pos] == op) {
		p->pos++;
		k = sub(p);
		if (k == NULL || node_add(p, n, k) < 0) {
			ix_pnode_free(n);
			return NULL;
		}
		skip_space(p);
	}
	return n;
}

static struct pnode *
parse_and(struct parser *p)
{
	return parse_list(p, PN_AND, '&', parse_prim);
}

static struct pnode *
parse_or(struct parser *p)
{
	return parse_list(p, PN_OR, '|', parse_and);
}

/* Records each distinct PW user once, in order of first appearance. */
static int
collect_users(struct ix_pred *pred, const struct pnode *n, struct ix_err *err)
{
	size_t i;

	for (i = 0; i < n->nkids; i++)
		if (collect_users(pred, n->kids[i], err) < 0)
			return -1;
	if (n->kind != PN_PW)
		return 0;
	for (i = 0; i < pred->nusers; i++)
		if (strcmp(pred->users[i], n->text) == 0)
			return 0;
	if (pred->nusers % 8 == 0) {
		const char **u = realloc(pred->users, (pred->nusers + 8) * sizeof *u);

		if (u == NULL)
			return ix_err_set(err, IX_ENOMEM, "out of memory");
		pred->users = u;
	}
	pred->users[pred->nusers++] = n->text;
	return 0;
}

int
ix_pred_parse(const char *text, size_t len, struct ix_pred **out, struct ix_err *err)
{
	struct parser p = { .s = text, .len = len, .err = err };
	const char *nul;
	char b[8];

	*out = NULL;
	if (len > IX_PRED_TEXT_MAX)
		return ix_err_set(err, IX_ELIMIT, "column %d: predicate longer than %d bytes",
				  IX_PRED_TEXT_MAX + 1, IX_PRED_TEXT_MAX);
	nul = memchr(text, '\0', len);
	if (nul != NULL)
		return ix_err_set(err, IX_EINVAL, "column %d: NUL byte", COL(nul - text));
	p.pred = calloc(1, sizeof *p.pred);
	if (p.pred == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	p.pred->root = parse_or(&p);
	if (p.pred->root == NULL)
		goto fail;
	if (p.pos < len) {
		if (text[p.pos] == ')')
			ix_err_set(err, IX_EINVAL, "column %d: ')' without a matching '('",
				   COL(p.pos));
		else
			ix_err_set(err, IX_EINVAL,
				   "column %d: expected '&', '|' or end of text, found %s",
				   COL(p.pos), show_byte((unsigned char)text[p.pos], b));
		goto fail;
	}
	/* Spaces around operators can make the canonical text longer than the
	 * input; refusing that here keeps parse(print(p)) always possible. */
	if (ix_pred_canon_len(p.pred) > IX_PRED_TEXT_MAX) {
		ix_err_set(err, IX_ELIMIT,
			   "column 1: predicate's canonical text would be longer than %d bytes",
			   IX_PRED_TEXT_MAX);
		goto fail;
	}
	if (collect_users(p.pred, p.pred->root, err) < 0)
		goto fail;
	pcre2_compile_context_free(p.cctx);
	*out = p.pred;
	return 0;
fail:
	pcre2_compile_context_free(p.cctx);
	ix_pred_free(p.pred);
	return -1;
}

void
ix_pred_free(struct ix_pred *p)
{
	if (p == NULL)
		return;
	ix_pnode_free(p->root);
	pcre2_match_context_free(p->mctx);
	free(p->users);
	free(p);
}

bool
ix_pred_has_src(const struct ix_pred *p)
{
	return p != NULL && p->has_src;
}

bool
ix_pred_has_pw(const struct ix_pred *p)
{
	return p != NULL && p->has_pw;
}
