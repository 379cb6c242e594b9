/*
 * Text out of the action language: the canonical text of a template, and
 * the description of a substituted action that the user confirms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libauthtree/action_int.h"

struct sbuf {
	char *p;	/* NUL-terminated text so far, or NULL */
	size_t n;	/* its length */
	size_t cap;	/* bytes allocated at p */
	bool oom;	/* an allocation failed; p is then freed */
};

static void
sb_put(struct sbuf *b, const char *s, size_t len)
{
	if (b->oom)
		return;
	if (b->n + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 128;
		char *p;

		while (cap < b->n + len + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (p == NULL) {
			free(b->p);
			b->p = NULL;
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, len);
	b->n += len;
	b->p[b->n] = '\0';
}

static void
sb_str(struct sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

static char *
sb_finish(struct sbuf *b, struct ix_err *err)
{
	if (b->oom) {
		ix_err_set(err, IX_ENOMEM, "out of memory");
		return NULL;
	}
	if (b->p == NULL)
		sb_put(b, "", 0);
	return b->p;
}

/* Canonical form of one template argument: bare when that reads back the
 * same, else quoted with \" \\ \$ escapes. */
static void
print_targ(struct sbuf *b, const struct targ *a)
{
	bool quote = a->len == 0;
	size_t i;

	for (i = 0; i < a->len && !quote; i++) {
		char c = a->text[i];

		if (c == REF_MARK)
			i++;
		else if (strchr(" \t\r\n,()\"$", c) != NULL)
			quote = true;
	}
	if (quote)
		sb_put(b, "\"", 1);
	for (i = 0; i < a->len; i++) {
		char c = a->text[i];

		if (c == REF_MARK) {
			sb_put(b, "$", 1);
			sb_put(b, &a->text[++i], 1);
		} else if (quote && (c == '"' || c == '\\' || c == '$')) {
			sb_put(b, "\\", 1);
			sb_put(b, &c, 1);
		} else {
			sb_put(b, &c, 1);
		}
	}
	if (quote)
		sb_put(b, "\"", 1);
}

char *
ix_action_tmpl_print(const struct ix_action_tmpl *t, struct ix_err *err)
{
	struct sbuf b = { 0 };
	size_t i, j;

	if (t == NULL) {
		ix_err_set(err, IX_EINVAL, "no action");
		return NULL;
	}
	for (i = 0; i < t->nprims; i++) {
		if (i > 0)
			sb_str(&b, ", ");
		sb_str(&b, ix_prim_name(t->prims[i].kind));
		sb_put(&b, "(", 1);
		for (j = 0; j < t->prims[i].nargs; j++) {
			if (j > 0)
				sb_str(&b, ", ");
			print_targ(&b, &t->prims[i].args[j]);
		}
		sb_put(&b, ")", 1);
	}
	return sb_finish(&b, err);
}

/* One argument as the user sees it: as is when unambiguous, else in double
 * quotes; control characters (which substitution rejects) would show as
 * \xNN rather than reach the terminal. */
static void
show_arg(struct sbuf *b, const char *s)
{
	bool quote = *s == '\0';
	const char *c;
	char hex[8];

	for (c = s; *c != '\0' && !quote; c++)
		if (strchr(" \t,\"\\", *c) != NULL || (unsigned char)*c < 0x20 || *c == 0x7f)
			quote = true;
	if (quote)
		sb_put(b, "\"", 1);
	for (c = s; *c != '\0'; c++) {
		if ((unsigned char)*c < 0x20 || *c == 0x7f) {
			snprintf(hex, sizeof hex, "\\x%02x", (unsigned char)*c);
			sb_str(b, hex);
		} else {
			if (*c == '"' || *c == '\\')
				sb_put(b, "\\", 1);
			sb_put(b, c, 1);
		}
	}
	if (quote)
		sb_put(b, "\"", 1);
}

static void
show_list(struct sbuf *b, const struct ix_prim *pr, size_t from, const char *sep)
{
	size_t i;

	for (i = from; i < pr->nargs; i++) {
		if (i > from)
			sb_str(b, sep);
		show_arg(b, pr->args[i]);
	}
}

/* A file operand, with a note when the executor resolves it relatively. */
static void
show_file(struct sbuf *b, const char *path)
{
	show_arg(b, path);
	if (path[0] != '/')
		sb_str(b, " (in your working directory)");
}

static void
describe_modifier(struct sbuf *b, const struct ix_prim *pr)
{
	switch (pr->kind) {
	case IX_A_PRIV:
		sb_str(b, "  with privileges ");
		show_list(b, pr, 0, ", ");
		break;
	case IX_A_CEILING:
		sb_str(b, "  with label ceiling ");
		show_arg(b, pr->args[0]);
		break;
	case IX_A_AS:
		sb_str(b, "  as user ");
		show_arg(b, pr->args[0]);
		break;
	case IX_A_ENV:
		sb_str(b, "  with environment variable ");
		show_arg(b, pr->args[0]);
		sb_str(b, " set to ");
		show_arg(b, pr->args[1]);
		break;
	default:
		return;
	}
	sb_put(b, "\n", 1);
}

static void
describe_prim(struct sbuf *b, const struct ix_action *a, const struct ix_prim *pr)
{
	size_t i;

	switch (pr->kind) {
	case IX_A_EXEC:
		sb_str(b, "run ");
		show_list(b, pr, 0, " ");
		sb_put(b, "\n", 1);
		for (i = 0; i < a->nprims; i++)
			describe_modifier(b, &a->prims[i]);
		return;
	case IX_A_LABEL:
		sb_str(b, "set the label of ");
		show_file(b, pr->args[0]);
		sb_str(b, " to ");
		show_arg(b, pr->args[1]);
		break;
	case IX_A_DOWNGRADE:
		sb_str(b, "remove category ");
		show_arg(b, pr->args[1]);
		sb_str(b, " from the label of ");
		show_file(b, pr->args[0]);
		break;
	case IX_A_EDIT:
		sb_str(b, "edit the authorization subtree ");
		show_arg(b, pr->args[0]);
		break;
	case IX_A_COPY:
		sb_str(b, "copy ");
		show_file(b, pr->args[0]);
		sb_str(b, " to ");
		show_file(b, pr->args[1]);
		break;
	case IX_A_LICENSE:
		sb_str(b, "add to ");
		show_file(b, pr->args[0]);
		sb_str(b, " the licences ");
		show_list(b, pr, 1, ", ");
		break;
	case IX_A_UNLICENSE:
		sb_str(b, "remove from ");
		show_file(b, pr->args[0]);
		if (pr->nargs == 1) {
			sb_str(b, " every licence");
			break;
		}
		sb_str(b, " the licences ");
		show_list(b, pr, 1, ", ");
		break;
	case IX_A_REQUIRE:
		sb_str(b, "only if ");
		show_file(b, pr->args[0]);
		sb_str(b, " carries the dummy licences ");
		show_list(b, pr, 1, ", ");
		sb_str(b, ", bound to its content");
		break;
	default:
		return;	/* modifiers are shown under their EXEC */
	}
	sb_put(b, "\n", 1);
}

char *
ix_action_describe(const struct ix_action *a, const struct ix_label_enc *enc,
		   struct ix_err *err)
{
	struct sbuf b = { 0 };
	size_t i;

	if (a == NULL) {
		ix_err_set(err, IX_EINVAL, "no action");
		return NULL;
	}
	for (i = 0; i < a->nprims; i++) {
		const struct prim_spec *s = ix_prim_spec(a->prims[i].kind);

		/* a hand-built action must not make us read past its args */
		if (s == NULL || a->prims[i].nargs < s->min) {
			free(b.p);
			ix_err_set(err, IX_EINVAL, "malformed action");
			return NULL;
		}
		describe_prim(&b, a, &a->prims[i]);
	}
	return sb_finish(&b, err);
}
