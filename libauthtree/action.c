/*
 * Action-language parser (grammar and types in action.h).
 *
 *	action := prim ( "," prim )*
 *	prim   := NAME "(" [ arg ( "," arg )* ] ")"
 *	arg    := bare | '"' ( char | '\"' | '\\' | '\$' )* '"'
 *	bare   := one or more bytes other than whitespace , ( ) "
 * with "$1".."$9" allowed inside both forms, whitespace between tokens.
 *
 * The loop is flat (no recursion: the language has no nesting) and every
 * count is capped before it grows: IX_ACTION_PRIMS_MAX primitives,
 * IX_ACTION_ARGS_MAX arguments, IX_ACTION_ARG_MAX bytes per argument.
 * Constant arguments are type-checked here; arguments with "$n" are
 * checked again after substitution (action_subst.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libauthtree/action_int.h"

struct aparser {
	const char *s;		/* the text, not NUL-terminated */
	size_t len;		/* its length */
	size_t pos;		/* next byte to read */
	int ngroups;		/* capture groups of the template */
	const struct ix_label_enc *enc;
	struct ix_action_tmpl *t; /* being built */
	struct ix_err *err;
};

#define COL(off) ((int)(off) + 1)

static const char *
show_byte(struct aparser *p, char buf[24])
{
	unsigned char c;

	if (p->pos >= p->len)
		return "end of text";
	c = (unsigned char)p->s[p->pos];
	if (c >= 0x21 && c < 0x7f)
		snprintf(buf, 24, "'%c'", c);
	else
		snprintf(buf, 24, "\\x%02x", c);
	return buf;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void
skip_space(struct aparser *p)
{
	while (p->pos < p->len && is_space(p->s[p->pos]))
		p->pos++;
}

static int
is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

void
ix_action_tmpl_bound(const struct ix_action_tmpl *t, uint64_t *caps,
		     void (*prog)(void *arg, const char *path), void *arg)
{
	for (size_t i = 0; i < t->nprims; i++) {
		const struct tprim *p = &t->prims[i];

		if (p->kind == IX_A_EXEC && p->nargs > 0)
			prog(arg, p->args[0].has_ref ? NULL : p->args[0].text);
		if (p->kind != IX_A_PRIV)
			continue;
		for (size_t j = 0; j < p->nargs; j++) {
			int bit = p->args[j].has_ref ? -1
				: ix_priv_bit(p->args[j].text, p->args[j].len);

			if (p->args[j].has_ref)
				*caps |= (1ull << (IX_PRIV_CAP_LAST + 1)) - 1;
			else if (bit >= 0 && bit <= IX_PRIV_CAP_LAST)
				*caps |= 1ull << bit;
		}
	}
}

void
ix_action_tmpl_free(struct ix_action_tmpl *t)
{
	size_t i, j;

	if (t == NULL)
		return;
	for (i = 0; i < t->nprims; i++) {
		for (j = 0; j < t->prims[i].nargs; j++)
			free(t->prims[i].args[j].text);
		free(t->prims[i].args);
	}
	free(t->prims);
	free(t);
}

/* "$" at p->pos: appends REF_MARK and the digit to buf. */
static int
parse_ref(struct aparser *p, char *buf, size_t *n, bool quoted)
{
	char d = p->pos + 1 < p->len ? p->s[p->pos + 1] : '\0';

	if (d < '1' || d > '9')
		return ix_err_set(p->err, IX_EINVAL,
				  "column %d: '$' must be followed by a digit 1 to 9%s",
				  COL(p->pos), quoted ? " (write \\$ for a dollar sign)"
						      : " (write \"\\$\" for a dollar sign)");
	if (d - '0' > p->ngroups)
		return ix_err_set(p->err, IX_EINVAL,
				  "column %d: $%c but the template has %d capture group%s",
				  COL(p->pos), d, p->ngroups, p->ngroups == 1 ? "" : "s");
	buf[(*n)++] = REF_MARK;
	buf[(*n)++] = d;
	p->pos += 2;
	return 0;
}

/*
 * Reads one argument at p->pos into a. The encoded form is never longer
 * than the text it comes from ("$n" is two bytes either way, escapes
 * shrink), so a buffer of the remaining length suffices.
 */
static int
parse_arg(struct aparser *p, struct targ *a)
{
	size_t n = 0, start = p->pos;
	bool quoted = p->pos < p->len && p->s[p->pos] == '"';
	char *buf = malloc(p->len - p->pos + 1);
	char b[24];

	if (buf == NULL)
		return ix_err_set(p->err, IX_ENOMEM, "out of memory");
	a->col = COL(start);
	a->has_ref = false;
	if (quoted)
		p->pos++;
	for (;;) {
		unsigned char c;

		if (p->pos == p->len) {
			if (quoted) {
				ix_err_set(p->err, IX_EINVAL,
					   "column %d: unterminated quoted string", COL(start));
				goto fail;
			}
			break;
		}
		c = (unsigned char)p->s[p->pos];
		if (quoted && c == '"') {
			p->pos++;
			break;
		}
		if (!quoted && (is_space((char)c) || c == ',' || c == '(' || c == ')' || c == '"'))
			break;
		if (is_control(c)) {
			ix_err_set(p->err, IX_EINVAL, "column %d: control character \\x%02x",
				   COL(p->pos), c);
			goto fail;
		}
		if (c == '$') {
			if (parse_ref(p, buf, &n, quoted) < 0)
				goto fail;
			a->has_ref = true;
		} else if (quoted && c == '\\') {
			char e = p->pos + 1 < p->len ? p->s[p->pos + 1] : '\0';

			if (e != '"' && e != '\\' && e != '$') {
				p->pos++;
				if (p->pos == p->len)
					ix_err_set(p->err, IX_EINVAL,
						   "column %d: unterminated quoted string",
						   COL(start));
				else if (is_control((unsigned char)e) || (unsigned char)e >= 0x80)
					ix_err_set(p->err, IX_EINVAL,
						   "column %d: bad escape: '\\' followed by \\x%02x",
						   COL(p->pos - 1), (unsigned char)e);
				else
					ix_err_set(p->err, IX_EINVAL,
						   "column %d: bad escape '\\%c'; only \\\", \\\\ "
						   "and \\$ are known",
						   COL(p->pos - 1), e);
				goto fail;
			}
			buf[n++] = e;
			p->pos += 2;
		} else {
			buf[n++] = (char)c;
			p->pos++;
		}
		if (n > IX_ACTION_ARG_MAX) {
			ix_err_set(p->err, IX_ELIMIT, "column %d: argument longer than %d bytes",
				   COL(start), IX_ACTION_ARG_MAX);
			goto fail;
		}
	}
	if (!quoted && n == 0) {
		ix_err_set(p->err, IX_EINVAL, "column %d: expected an argument, found %s",
			   COL(p->pos), show_byte(p, b));
		goto fail;
	}
	buf[n] = '\0';
	a->text = realloc(buf, n + 1);
	if (a->text == NULL)
		a->text = buf;
	a->len = n;
	return 0;
fail:
	free(buf);
	return -1;
}

/* Reads "(" arg, ... ")" into prim. */
static int
parse_args(struct aparser *p, struct tprim *prim, const char *name)
{
	char b[24];

	if (p->pos == p->len || p->s[p->pos] != '(')
		return ix_err_set(p->err, IX_EINVAL, "column %d: expected '(' after %s",
				  COL(p->pos), name);
	p->pos++;
	skip_space(p);
	if (p->pos < p->len && p->s[p->pos] == ')') {
		p->pos++;
		return 0;
	}
	for (;;) {
		if (prim->nargs == IX_ACTION_ARGS_MAX)
			return ix_err_set(p->err, IX_ELIMIT,
					  "column %d: %s has more than %d arguments", COL(p->pos),
					  name, IX_ACTION_ARGS_MAX);
		if (prim->nargs % 8 == 0) {
			struct targ *a = realloc(prim->args, (prim->nargs + 8) * sizeof *a);

			if (a == NULL)
				return ix_err_set(p->err, IX_ENOMEM, "out of memory");
			prim->args = a;
		}
		if (parse_arg(p, &prim->args[prim->nargs]) < 0)
			return -1;
		prim->nargs++;
		skip_space(p);
		if (p->pos < p->len && p->s[p->pos] == ')') {
			p->pos++;
			return 0;
		}
		if (p->pos == p->len || p->s[p->pos] != ',')
			return ix_err_set(p->err, IX_EINVAL,
					  "column %d: expected ',' or ')' after an argument of %s, "
					  "found %s",
					  COL(p->pos), name, show_byte(p, b));
		p->pos++;
		skip_space(p);
	}
}

static int
check_arity(struct aparser *p, const struct tprim *prim)
{
	const struct prim_spec *s = ix_prim_spec(prim->kind);

	if (prim->nargs >= s->min && prim->nargs <= s->max)
		return 0;
	if (s->min == s->max)
		return ix_err_set(p->err, IX_EINVAL, "column %d: %s takes %zu argument%s, not %zu",
				  prim->col, s->name, s->min, s->min == 1 ? "" : "s",
				  prim->nargs);
	return ix_err_set(p->err, IX_EINVAL,
			  "column %d: %s takes at least %zu argument%s, not %zu", prim->col,
			  s->name, s->min, s->min == 1 ? "" : "s", prim->nargs);
}

/* Type-checks the arguments that hold no "$n" now. */
static int
check_constants(struct aparser *p, const struct tprim *prim)
{
	struct ix_prim scratch;
	char why[IX_ERR_MSG_MAX], sv[128];
	size_t i;

	for (i = 0; i < prim->nargs; i++) {
		const struct targ *a = &prim->args[i];

		memset(&scratch, 0, sizeof scratch);
		if (a->has_ref)
			continue;
		if (ix_action_check_arg(prim->kind, i, a->text, a->len, p->enc, &scratch, why,
					sizeof why) != NULL)
			return ix_err_set(p->err, IX_EINVAL, "column %d: %s: %s '%s' %s",
					  a->col, ix_prim_name(prim->kind),
					  ix_action_param_name(prim->kind, i),
					  ix_action_shown(a->text, a->len, sv, sizeof sv), why);
	}
	return 0;
}

/* Structure rules of action.h, reported at the offending primitive. */
static int
check_structure(struct aparser *p)
{
	const struct ix_action_tmpl *t = p->t;
	int first[IX_A_LAST + 1] = { 0 };	/* column of the first of each kind */
	bool does = false;
	size_t i, j;

	for (i = 0; i < t->nprims; i++) {
		const struct tprim *pr = &t->prims[i];
		const struct prim_spec *s = ix_prim_spec(pr->kind);

		if (s->once && first[pr->kind] != 0)
			return ix_err_set(p->err, IX_EINVAL,
					  "column %d: second %s (the first is at column %d)",
					  pr->col, s->name, first[pr->kind]);
		if (first[pr->kind] == 0)
			first[pr->kind] = pr->col;
		does = does || s->does;
		/* ENV names that are constants must differ */
		for (j = 0; pr->kind == IX_A_ENV && j < i; j++) {
			const struct tprim *q = &t->prims[j];

			if (q->kind == IX_A_ENV && !q->args[0].has_ref && !pr->args[0].has_ref &&
			    strcmp(q->args[0].text, pr->args[0].text) == 0)
				return ix_err_set(p->err, IX_EINVAL,
						  "column %d: ENV %s is set twice", pr->col,
						  pr->args[0].text);
		}
	}
	if (!does)
		return ix_err_set(p->err, IX_EINVAL,
				  "column 1: the action does nothing: it needs EXEC, LABEL, "
				  "DOWNGRADE, EDIT, COPY, LICENSE, UNLICENSE or REQUIRE");
	for (i = 0; i < t->nprims; i++) {
		const struct tprim *pr = &t->prims[i];
		const struct prim_spec *s = ix_prim_spec(pr->kind);

		if (!s->does && first[IX_A_EXEC] == 0)
			return ix_err_set(p->err, IX_EINVAL,
					  "column %d: %s only goes with EXEC", pr->col, s->name);
	}
	return 0;
}

static int
parse_prim(struct aparser *p)
{
	struct ix_action_tmpl *t = p->t;
	struct tprim *prim;
	size_t start;
	int kind;
	char b[24];

	skip_space(p);
	start = p->pos;
	while (p->pos < p->len && ((p->s[p->pos] >= 'A' && p->s[p->pos] <= 'Z') ||
				   (p->s[p->pos] >= 'a' && p->s[p->pos] <= 'z') ||
				   (p->s[p->pos] >= '0' && p->s[p->pos] <= '9') ||
				   p->s[p->pos] == '_'))
		p->pos++;
	if (p->pos == start)
		return ix_err_set(p->err, IX_EINVAL, "column %d: expected a primitive, found %s",
				  COL(start), show_byte(p, b));
	kind = ix_prim_kind_parse(p->s + start, p->pos - start);
	if (kind < 0)
		return ix_err_set(p->err, IX_EINVAL, "column %d: unknown primitive '%.*s'",
				  COL(start), (int)(p->pos - start > 64 ? 64 : p->pos - start),
				  p->s + start);
	if (t->nprims == IX_ACTION_PRIMS_MAX)
		return ix_err_set(p->err, IX_ELIMIT, "column %d: more than %d primitives",
				  COL(start), IX_ACTION_PRIMS_MAX);
	if (t->nprims % 8 == 0) {
		struct tprim *v = realloc(t->prims, (t->nprims + 8) * sizeof *v);

		if (v == NULL)
			return ix_err_set(p->err, IX_ENOMEM, "out of memory");
		t->prims = v;
	}
	prim = &t->prims[t->nprims++];
	memset(prim, 0, sizeof *prim);
	prim->kind = (enum ix_prim_kind)kind;
	prim->col = COL(start);
	if (parse_args(p, prim, ix_prim_name(prim->kind)) < 0)
		return -1;
	if (check_arity(p, prim) < 0 || check_constants(p, prim) < 0)
		return -1;
	return 0;
}

int
ix_action_parse(const struct ix_label_enc *enc, const char *text, size_t len, int ngroups,
		struct ix_action_tmpl **out, struct ix_err *err)
{
	struct aparser p = { .s = text, .len = len, .enc = enc, .err = err };
	const char *nul;
	char *canon;
	char b[24];

	*out = NULL;
	p.ngroups = ngroups < 0 ? 0 : ngroups;
	if (len > IX_ACTION_TEXT_MAX)
		return ix_err_set(err, IX_ELIMIT, "column %d: action longer than %d bytes",
				  IX_ACTION_TEXT_MAX + 1, IX_ACTION_TEXT_MAX);
	nul = memchr(text, '\0', len);
	if (nul != NULL)
		return ix_err_set(err, IX_EINVAL, "column %d: NUL byte", COL(nul - text));
	p.t = calloc(1, sizeof *p.t);
	if (p.t == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	for (;;) {
		if (parse_prim(&p) < 0)
			goto fail;
		skip_space(&p);
		if (p.pos == len)
			break;
		if (text[p.pos] != ',') {
			ix_err_set(err, IX_EINVAL,
				   "column %d: expected ',' between primitives, found %s",
				   COL(p.pos), show_byte(&p, b));
			goto fail;
		}
		p.pos++;
	}
	if (check_structure(&p) < 0)
		goto fail;
	/* The canonical text adds ", " separators; refusing a template whose
	 * canonical text is over the limit keeps parse(print(t)) possible. */
	canon = ix_action_tmpl_print(p.t, err);
	if (canon == NULL)
		goto fail;
	if (strlen(canon) > IX_ACTION_TEXT_MAX) {
		free(canon);
		ix_err_set(err, IX_ELIMIT,
			   "column 1: action's canonical text would be longer than %d bytes",
			   IX_ACTION_TEXT_MAX);
		goto fail;
	}
	free(canon);
	*out = p.t;
	return 0;
fail:
	ix_action_tmpl_free(p.t);
	return -1;
}
