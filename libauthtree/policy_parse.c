/*
 * The policy text format (policy(5)), line by line:
 *
 *	ixkit-policy 1                   first non-comment line: the version
 *	right NAME KIND                  KIND: plain, label, regex, privset
 *	relabel NAME                     at most once: the label right NAME
 *	                                 bounds LABEL and DOWNGRADE steps
 *	level NAME                       in increasing order
 *	category NAME BIT [retired]      BIT fixed forever
 *	node PATH                        then, indented, once each:
 *		predicate PREDICATE
 *		rights RIGHTS
 *	rule NAME                        then, indented, once each:
 *		template PCRE2
 *		need RIGHTS
 *		action ACTIONS
 *	clearance USER LOW..HIGH
 *	port LOW..HIGH PCRE2             first matching port wins
 *	provider NAME PATH
 *	floor LABEL
 *	seal LOW..HIGH                   sessions at a label within are sealed
 *
 * A line whose first non-blank character is '#' is a comment; blank lines
 * are ignored. Declarations (right, relabel, level, category) come before
 * everything that uses them, and relabel after the right it names. A field's
 * value is the rest of the line with outer blanks removed, so it needs no
 * quoting. The first error stops the parse and is reported as
 * NAME:LINE:COLUMN.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libauthtree/policy.h"

struct field {
	char *val;		/* malloc'd value, NULL when absent */
	unsigned line;		/* its line */
	unsigned col;		/* column where the value starts */
};

struct block {
	int kind;		/* 0 none, 'n' node, 'r' rule */
	char *name;		/* node path or rule name */
	unsigned line, col;	/* of the header */
	struct field f[3];	/* node: predicate, rights; rule: template, need, action */
};

struct parser {
	const char *name;	/* for messages */
	const struct ix_policy_opts *opts; /* the caller's, may be NULL */
	struct ix_policy *p;
	int decls_closed;	/* a node, rule or table line was seen */
	struct block b;
};

/*
 * Sub-parsers report "column N" relative to the value they were given;
 * turn that into an absolute column and put NAME:LINE:COL in front.
 */
static int
fail_at(struct parser *ps, unsigned line, unsigned col, struct ix_err *err)
{
	char *m = err->msg, *c = strstr(m, "column ");
	unsigned n = 0, abs_col = col;

	if (c != NULL && sscanf(c + 7, "%u", &n) == 1 && n > 0) {
		char *end = c + 7, *start = c;

		abs_col = col + n - 1;
		while (*end >= '0' && *end <= '9')
			end++;
		/* Say the position once: drop " at column N" (keeping what
		 * follows), or "column N: " at the start or after a "prefix: ". */
		if (start - m >= 4 && strncmp(start - 4, " at ", 4) == 0)
			start -= 4;
		else if (end[0] == ':' && end[1] == ' ')
			end += 2;
		memmove(start, end, strlen(end) + 1);
		/* A further position in the message ("the '(' at column 1")
		 * is relative too: rewrite it as LINE:COLUMN of the file. */
		while ((c = strstr(m, "column ")) != NULL && sscanf(c + 7, "%u", &n) == 1) {
			char tail[IX_ERR_MSG_MAX], pos[32];
			size_t used = (size_t)(c - m);

			end = c + 7;
			while (*end >= '0' && *end <= '9')
				end++;
			snprintf(tail, sizeof tail, "%s", end);
			snprintf(pos, sizeof pos, "%u:%u", line, col + n - 1);
			snprintf(c, sizeof err->msg - used, "%s%s", pos, tail);
		}
	}
	return ix_err_prefix(err, "%s:%u:%u", ps->name, line, abs_col);
}

static int
fail(struct parser *ps, unsigned line, unsigned col, struct ix_err *err, const char *msg)
{
	ix_err_set(err, IX_EINVAL, "%s", msg);
	return ix_err_prefix(err, "%s:%u:%u", ps->name, line, col);
}

static void
block_clear(struct block *b)
{
	size_t i;

	free(b->name);
	for (i = 0; i < 3; i++)
		free(b->f[i].val);
	memset(b, 0, sizeof *b);
}

static const char *const node_fields[] = { "predicate", "rights" };
static const char *const rule_fields[] = { "template", "need", "action" };

static int
block_end(struct parser *ps, struct ix_err *err)
{
	struct block *b = &ps->b;
	const char *const *names = b->kind == 'n' ? node_fields : rule_fields;
	size_t nf = b->kind == 'n' ? 2 : 3, i;
	int rc;

	if (b->kind == 0)
		return 0;
	for (i = 0; i < nf; i++)
		if (b->f[i].val == NULL) {
			char msg[128];

			snprintf(msg, sizeof msg, "%s %s has no '%s' line",
				 b->kind == 'n' ? "node" : "rule", b->name, names[i]);
			return fail(ps, b->line, b->col, err, msg);
		}
	if (b->kind == 'n') {
		rc = ix_policy_add_node(ps->p, b->name, b->f[0].val, b->f[1].val, b->line, err);
	} else {
		rc = ix_policy_add_rule(ps->p, b->name, b->f[0].val, b->f[1].val, b->f[2].val,
					b->line, ps->opts, err);
	}
	if (rc < 0) {
		/* Find which field the message is about to point at it. */
		for (i = 0; i < nf; i++) {
			char key[32];

			snprintf(key, sizeof key, "%s of ", names[i]);
			if (strstr(err->msg, key) != NULL)
				return fail_at(ps, b->f[i].line, b->f[i].col, err);
		}
		return fail_at(ps, b->line, b->col, err);
	}
	if (b->kind == 'n')
		ps->p->nodes[ps->p->nnodes - 1].col = 1;	/* the node as a whole */
	else
		ps->p->rules[ps->p->nrules - 1].col = b->col;
	block_clear(b);
	return 0;
}

/* Splits "word rest" at the first blank; *rest points past the blanks. */
static size_t
first_word(const char *s, const char **rest)
{
	size_t n = strcspn(s, " \t");
	const char *r = s + n;

	while (*r == ' ' || *r == '\t')
		r++;
	*rest = r;
	return n;
}

static int
word_is(const char *s, size_t n, const char *kw)
{
	return strlen(kw) == n && memcmp(s, kw, n) == 0;
}

static int
parse_decl(struct parser *ps, const char *kw, size_t kwn, const char *rest, unsigned line,
	   unsigned col, struct ix_err *err)
{
	char a[256], b[256], c[32], extra;
	int n;

	if (ps->decls_closed)
		return fail(ps, line, 1, err, word_is(kw, kwn, "relabel") ?
			    "the relabel declaration must come before nodes, rules and tables" :
			    "declarations (right, level, category) must come before nodes, rules and tables");
	n = sscanf(rest, "%255s %255s %31s %c", a, b, c, &extra);
	if (word_is(kw, kwn, "right")) {
		int kind;

		if (n != 2)
			return fail(ps, line, col, err, "expected 'right NAME KIND'");
		kind = ix_right_kind_parse(b);
		if (kind < 0)
			return fail(ps, line, col + (unsigned)(strstr(rest + strlen(a), b) - rest), err,
				    "unknown kind (plain, label, regex, privset)");
		if (ix_rdecls_declare(ps->p->decls, a, (enum ix_right_kind)kind, err) < 0) {
			err->code = IX_EINVAL;	/* a mistake in the text, whatever the cause */
			return fail_at(ps, line, col, err);
		}
		return 0;
	}
	if (word_is(kw, kwn, "relabel")) {
		if (n != 1)
			return fail(ps, line, col, err, "expected 'relabel RIGHT'");
		if (ix_policy_set_relabel(ps->p, a, err) < 0) {
			err->code = IX_EINVAL;	/* a mistake in the text */
			return fail_at(ps, line, col, err);
		}
		return 0;
	}
	if (word_is(kw, kwn, "level")) {
		if (n != 1)
			return fail(ps, line, col, err, "expected 'level NAME'");
		if (ix_label_enc_add_level(ps->p->enc, a, err) < 0)
			return fail_at(ps, line, col, err);
		return 0;
	}
	/* category NAME BIT [retired] */
	{
		char *end;
		long bit;

		if (n != 2 && !(n == 3 && strcmp(c, "retired") == 0))
			return fail(ps, line, col, err, "expected 'category NAME BIT [retired]'");
		bit = strtol(b, &end, 10);
		if (*end != '\0' || bit < 0 || bit >= IX_CAT_BITS)
			return fail(ps, line, col + (unsigned)strlen(a) + 1, err,
				    "category bit must be a number from 0 to 255");
		if (n == 3) {
			if (ix_label_enc_category_bit(ps->p->enc, a) >= 0)
				return fail(ps, line, col, err, "a retired category's name is still in use");
			if (ix_policy_add_retired(ps->p, a, (int)bit, err) < 0)
				return fail_at(ps, line, col, err);
			return 0;
		}
		{
			size_t i;

			for (i = 0; i < ps->p->nretired; i++)
				if (ps->p->retired[i].bit == bit ||
				    strcmp(ps->p->retired[i].name, a) == 0) {
					ix_err_set(err, IX_ECONFLICT,
						   "category bit %ld or name %s belongs to retired category %s",
						   bit, a, ps->p->retired[i].name);
					return ix_err_prefix(err, "%s:%u:%u", ps->name, line, col);
				}
		}
		if (ix_label_enc_add_category(ps->p->enc, a, (int)bit, err) < 0)
			return fail_at(ps, line, col, err);
		return 0;
	}
}

static int
parse_table(struct parser *ps, const char *kw, size_t kwn, const char *rest, unsigned line,
	    unsigned col, struct ix_err *err)
{
	const char *val;
	size_t n = first_word(rest, &val);
	char a[IX_NODE_PATH_MAX + 1];
	int rc;

	if (n == 0 || n > IX_NODE_PATH_MAX)
		return fail(ps, line, col, err, "missing or over-long first operand");
	memcpy(a, rest, n);
	a[n] = '\0';
	if (word_is(kw, kwn, "floor")) {
		if (*val != '\0')
			return fail(ps, line, col + (unsigned)n, err, "expected 'floor LABEL'");
		rc = ix_policy_set_floor(ps->p, a, err);
	} else if (word_is(kw, kwn, "seal")) {
		if (*val != '\0')
			return fail(ps, line, col + (unsigned)n, err, "expected 'seal LOW..HIGH'");
		rc = ix_policy_set_seal(ps->p, a, err);
	} else if (*val == '\0') {
		return fail(ps, line, col + (unsigned)n, err, "missing second operand");
	} else if (word_is(kw, kwn, "clearance")) {
		const char *more;

		if (first_word(val, &more) != strlen(val))
			return fail(ps, line, col, err, "expected 'clearance USER LOW..HIGH'");
		rc = ix_policy_add_clearance(ps->p, a, val, err);
		if (rc < 0 && strncmp(err->msg, "user name", 9) != 0)
			col += (unsigned)(val - rest);
	} else if (word_is(kw, kwn, "port")) {
		rc = ix_policy_add_port(ps->p, val, a, err);
		if (rc < 0 && strstr(err->msg, "port pattern") != NULL)
			col += (unsigned)(val - rest);
	} else {
		const char *more;

		if (first_word(val, &more) != strlen(val))
			return fail(ps, line, col, err, "expected 'provider NAME PATH'");
		rc = ix_policy_add_provider(ps->p, a, val, err);
	}
	return rc < 0 ? fail_at(ps, line, col, err) : 0;
}

static int
parse_line(struct parser *ps, char *s, unsigned line, struct ix_err *err)
{
	const char *rest, *kw;
	size_t kwn;
	unsigned col;
	char *end;

	kw = s;
	while (*kw == ' ' || *kw == '\t')
		kw++;
	if (*kw == '\0' || *kw == '#')
		return 0;
	end = s + strlen(s);
	while (end > kw && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	kwn = first_word(kw, &rest);
	col = (unsigned)(rest - s) + 1;

	if (word_is(kw, kwn, "predicate") || word_is(kw, kwn, "rights") ||
	    word_is(kw, kwn, "template") || word_is(kw, kwn, "need") ||
	    word_is(kw, kwn, "action")) {
		struct block *b = &ps->b;
		const char *const *names = b->kind == 'n' ? node_fields : rule_fields;
		size_t nf = b->kind == 'n' ? 2 : b->kind == 'r' ? 3 : 0, i;

		for (i = 0; i < nf; i++)
			if (word_is(kw, kwn, names[i]))
				break;
		if (i == nf)
			return fail(ps, line, (unsigned)(kw - s) + 1, err,
				    b->kind == 'n' ? "a node takes only 'predicate' and 'rights'" :
				    b->kind == 'r' ? "a rule takes only 'template', 'need' and 'action'" :
				    "field outside a node or rule");
		if (b->f[i].val != NULL)
			return fail(ps, line, (unsigned)(kw - s) + 1, err, "field given twice");
		if (*rest == '\0')
			return fail(ps, line, col, err, "empty value");
		b->f[i].val = strdup(rest);
		if (b->f[i].val == NULL)
			return ix_err_set(err, IX_ENOMEM, "out of memory");
		b->f[i].line = line;
		b->f[i].col = col;
		return 0;
	}
	if (block_end(ps, err) < 0)
		return -1;
	if (word_is(kw, kwn, "right") || word_is(kw, kwn, "relabel") ||
	    word_is(kw, kwn, "level") || word_is(kw, kwn, "category"))
		return parse_decl(ps, kw, kwn, rest, line, col, err);
	ps->decls_closed = 1;
	if (word_is(kw, kwn, "node") || word_is(kw, kwn, "rule")) {
		const char *more;
		size_t n = first_word(rest, &more);

		if (n == 0 || *more != '\0')
			return fail(ps, line, col, err, word_is(kw, kwn, "node") ?
				    "expected 'node PATH'" : "expected 'rule NAME'");
		ps->b.kind = word_is(kw, kwn, "node") ? 'n' : 'r';
		ps->b.name = strndup(rest, n);
		if (ps->b.name == NULL)
			return ix_err_set(err, IX_ENOMEM, "out of memory");
		ps->b.line = line;
		ps->b.col = col;
		return 0;
	}
	if (word_is(kw, kwn, "clearance") || word_is(kw, kwn, "port") ||
	    word_is(kw, kwn, "provider") || word_is(kw, kwn, "floor") ||
	    word_is(kw, kwn, "seal"))
		return parse_table(ps, kw, kwn, rest, line, col, err);
	{
		char msg[128];

		snprintf(msg, sizeof msg, "unknown keyword '%.*s'", (int)(kwn > 40 ? 40 : kwn), kw);
		return fail(ps, line, (unsigned)(kw - s) + 1, err, msg);
	}
}

static int
parse_version(struct parser *ps, const char *s, unsigned line, struct ix_err *err)
{
	unsigned v;
	char extra;

	if (sscanf(s, " ixkit-policy %u %c", &v, &extra) != 1)
		return fail(ps, line, 1, err, "the first line must be 'ixkit-policy VERSION'");
	if (v != IX_POLICY_VERSION) {
		const char *num = strstr(s, "ixkit-policy") + strlen("ixkit-policy");

		while (*num == ' ' || *num == '\t')
			num++;
		ix_err_set(err, IX_EVERSION, "policy version %u is not supported (this build reads %d)",
			   v, IX_POLICY_VERSION);
		return ix_err_prefix(err, "%s:%u:%u", ps->name, line, (unsigned)(num - s) + 1);
	}
	return 0;
}

int
ix_policy_parse(const char *name, const char *text, size_t len,
		const struct ix_policy_opts *opts, struct ix_policy **out, struct ix_err *err)
{
	struct parser ps;
	size_t off = 0;
	unsigned line = 0;
	int have_version = 0, rc = -1;
	char *buf;

	memset(&ps, 0, sizeof ps);
	ps.name = name;
	ps.opts = opts;
	if (len > IX_POLICY_TEXT_MAX)
		return ix_err_set(err, IX_ELIMIT, "%s: policy larger than %u bytes", name,
				  IX_POLICY_TEXT_MAX);
	buf = malloc(IX_POLICY_LINE_MAX + 1);
	ps.p = ix_policy_new(err);
	if (buf == NULL || ps.p == NULL) {
		free(buf);
		ix_policy_free(ps.p);
		return buf == NULL ? ix_err_set(err, IX_ENOMEM, "out of memory") : -1;
	}
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - text - off) : len - off, i;

		line++;
		if (n > IX_POLICY_LINE_MAX) {
			fail(&ps, line, 1, err, "line too long");
			goto out;
		}
		memcpy(buf, text + off, n);
		buf[n] = '\0';
		off += n + (nl != NULL);
		if (n > 0 && buf[n - 1] == '\r')
			buf[--n] = '\0';
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)buf[i];

			if ((c < 0x20 && c != '\t') || c == 0x7f) {
				fail(&ps, line, (unsigned)i + 1, err,
				     c == 0 ? "NUL byte in policy text" : "control character in policy text");
				goto out;
			}
		}
		if (!have_version) {
			const char *t = buf;

			while (*t == ' ' || *t == '\t')
				t++;
			if (*t == '\0' || *t == '#')
				continue;
			if (parse_version(&ps, buf, line, err) < 0)
				goto out;
			have_version = 1;
			continue;
		}
		if (parse_line(&ps, buf, line, err) < 0)
			goto out;
	}
	if (!have_version) {
		fail(&ps, line ? line : 1, 1, err, "empty policy: the first line must be 'ixkit-policy VERSION'");
		goto out;
	}
	if (block_end(&ps, err) < 0)
		goto out;
	if (ix_policy_link(ps.p, err) < 0 || ix_policy_validate(ps.p, err) < 0) {
		/* Name the line of the node the message is about, when known. */
		size_t i;

		for (i = ps.p->nnodes; i-- > 0;) {
			char key[IX_NODE_PATH_MAX + 8];

			snprintf(key, sizeof key, "node %s ", ps.p->nodes[i].path);
			if (strstr(err->msg, key) != NULL && ps.p->nodes[i].line > 0) {
				ix_err_prefix(err, "%s:%u:%u", name, ps.p->nodes[i].line,
					      ps.p->nodes[i].col);
				goto out;
			}
		}
		for (i = ps.p->nrules; i-- > 0;) {
			char key[IX_RULE_NAME_MAX + 16];

			snprintf(key, sizeof key, "rule %s defined", ps.p->rules[i].name);
			if (strstr(err->msg, key) != NULL) {
				ix_err_prefix(err, "%s:%u:%u", name, ps.p->rules[i].line,
					      ps.p->rules[i].col);
				goto out;
			}
		}
		ix_err_prefix(err, "%s", name);
		goto out;
	}
	if (ix_policy_build_index(ps.p, err) < 0)
		goto out;
	*out = ps.p;
	ps.p = NULL;
	rc = 0;
out:
	block_clear(&ps.b);
	ix_policy_free(ps.p);
	free(buf);
	return rc;
}
