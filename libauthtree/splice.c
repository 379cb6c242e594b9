/*
 * Where a rule's action puts its parameters (splice.h).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "liblattice/re.h"
#include "libauthtree/action_int.h"
#include "libauthtree/splice.h"

const char *const ix_splice_default_interpreters[] = {
	"sh", "bash", "dash", "zsh", "ksh", "mksh", "csh", "tcsh", "fish", "busybox", "env",
	"python", "python3", "perl", "ruby", "php", "lua", "node", "tclsh", "awk", "gawk",
	"mawk", "sed", "xargs", "su", "sudo", "doas", "ssh", NULL,
};

/* After '[' at p: the index just past the class's closing ']', or 0 when
 * it never closes. A ']' first (or after '^') is literal; "[:name:]"
 * inside is one item. */
static size_t
class_end(const char *s, size_t p)
{
	size_t i = p + 1;

	if (s[i] == '^')
		i++;
	if (s[i] == ']')
		i++;
	for (; s[i] != '\0'; i++) {
		if (s[i] == '\\' && s[i + 1] != '\0')
			i++;
		else if (s[i] == '[' && s[i + 1] == ':') {
			const char *e = strstr(s + i + 2, ":]");

			if (e == NULL)
				return 0;
			i = (size_t)(e - s) + 1;
		} else if (s[i] == ']')
			return i + 1;
	}
	return 0;
}

int
ix_pcre_group_span(const char *s, unsigned n, size_t *start, size_t *len, struct ix_err *err)
{
	size_t open[64];	/* start of each open group's body; SIZE_MAX: not group n */
	unsigned depth = 0, count = 0;
	bool want[64];

	for (size_t i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\\') {
			if (s[i + 1] == 'Q')
				return ix_err_set(err, IX_EINVAL, "template, character %zu: \\Q...\\E is not followed by the parameter check", i + 1);
			if (s[i + 1] != '\0')
				i++;
		} else if (s[i] == '[') {
			size_t e = class_end(s, i);

			if (e == 0)
				return ix_err_set(err, IX_EINVAL, "template, character %zu: unclosed class", i + 1);
			i = e - 1;
		} else if (s[i] == '(') {
			bool capture = true;
			size_t body = i + 1;

			if (depth == sizeof open / sizeof open[0])
				return ix_err_set(err, IX_ELIMIT, "template nests groups too deep");
			if (s[i + 1] == '*')
				return ix_err_set(err, IX_EINVAL, "template, character %zu: verbs are not followed by the parameter check", i + 1);
			if (s[i + 1] == '?') {
				const char *q = s + i + 2;

				if (q[0] == '<' && q[1] != '=' && q[1] != '!') {	/* (?<name> */
					const char *e = strchr(q, '>');

					if (e == NULL)
						return ix_err_set(err, IX_EINVAL, "template, character %zu: unclosed group name", i + 1);
					body = (size_t)(e - s) + 1;
				} else if (q[0] == 'P' && q[1] == '<') {		/* (?P<name> */
					const char *e = strchr(q, '>');

					if (e == NULL)
						return ix_err_set(err, IX_EINVAL, "template, character %zu: unclosed group name", i + 1);
					body = (size_t)(e - s) + 1;
				} else if (q[0] == '\'') {				/* (?'name' */
					const char *e = strchr(q + 1, '\'');

					if (e == NULL)
						return ix_err_set(err, IX_EINVAL, "template, character %zu: unclosed group name", i + 1);
					body = (size_t)(e - s) + 1;
				} else if (q[0] == ':' || q[0] == '=' || q[0] == '!' || q[0] == '>' ||
					   (q[0] == '<' && (q[1] == '=' || q[1] == '!'))) {
					capture = false;
				} else {
					/* inline options, branch reset, recursion, conditions */
					return ix_err_set(err, IX_EINVAL,
							  "template, character %zu: '(?%c' is not followed by the parameter check",
							  i + 1, q[0] ? q[0] : ' ');
				}
			}
			want[depth] = capture && ++count == n;
			open[depth++] = body;
		} else if (s[i] == ')') {
			if (depth == 0)
				return ix_err_set(err, IX_EINVAL, "template, character %zu: unmatched ')'", i + 1);
			depth--;
			if (want[depth]) {
				*start = open[depth];
				*len = i - open[depth];
				return 1;
			}
		}
	}
	return 0;
}

static bool
in_list(const char *base, const char *const *list)
{
	for (; list != NULL && *list != NULL; list++)
		if (strcmp(base, *list) == 0)
			return true;
	return false;
}

/* The built-in list always, extra besides: a configuration can add an
 * interpreter, never take one away. */
static bool
is_interpreter(const char *prog, const char *const *extra)
{
	const char *base = strrchr(prog, '/');

	base = base ? base + 1 : prog;
	return in_list(base, ix_splice_default_interpreters) || in_list(base, extra);
}

/* Whether group g of tmpl only ever captures IX_SPLICE_SAFE; *safe is
 * that language, compiled on first use and kept for the rule's other
 * references. Returns 1 yes, 0 no (*why says what), -1 with *err. */
static int
group_is_safe(const char *tmpl, unsigned g, struct ix_re **safe, char *why, size_t whysize,
	      struct ix_err *err)
{
	struct ix_re *group = NULL;
	struct ix_err e = { 0 };
	size_t start, len;
	int r;

	if ((r = ix_pcre_group_span(tmpl, g, &start, &len, err)) <= 0) {
		if (r == 0)
			ix_err_set(err, IX_EINVAL, "the template has no group %u", g);
		return -1;
	}
	if (ix_re_compile(tmpl + start, len, 0, &group, &e) < 0) {
		snprintf(why, whysize, "group %u '%.*s' cannot be checked (%s)", g, (int)len,
			 tmpl + start, e.msg);
		return 0;
	}
	if (*safe == NULL && ix_re_compile(IX_SPLICE_SAFE, strlen(IX_SPLICE_SAFE), 0, safe, err) < 0) {
		ix_re_free(group);
		return -1;
	}
	r = ix_re_subset(group, *safe, err);
	if (r == 0)
		snprintf(why, whysize, "group %u '%.*s' allows characters outside %s", g, (int)len,
			 tmpl + start, IX_SPLICE_SAFE);
	ix_re_free(group);
	return r;
}

/* The argument as written, "$n" for each reference. */
static void
shown(const struct targ *a, char *buf, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < a->len && o + 3 < size; i++) {
		if (a->text[i] == REF_MARK && i + 1 < a->len) {
			buf[o++] = '$';
			buf[o++] = a->text[++i];
		} else {
			buf[o++] = a->text[i];
		}
	}
	buf[o] = '\0';
}

int
ix_action_tmpl_check_splices(const struct ix_action_tmpl *t, const char *tmpl,
			     const char *const *extra, struct ix_err *err)
{
	struct ix_re *safe = NULL;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < t->nprims; i++) {
		const struct tprim *p = &t->prims[i];
		bool interp;

		if (p->kind != IX_A_EXEC || p->nargs == 0)
			continue;
		interp = !p->args[0].has_ref && is_interpreter(p->args[0].text, extra);
		for (size_t j = 0; rc == 0 && j < p->nargs; j++) {
			const struct targ *a = &p->args[j];
			bool alone = a->len == 2 && a->text[0] == REF_MARK;

			if (!a->has_ref || (alone && !interp))
				continue;
			for (size_t k = 0; rc == 0 && k + 1 < a->len; k++) {
				char why[512], arg[256];
				int r;

				if (a->text[k] != REF_MARK)
					continue;
				r = group_is_safe(tmpl, (unsigned)(a->text[k + 1] - '0'), &safe, why,
						  sizeof why, err);
				if (r < 0) {
					rc = -1;
				} else if (r == 0) {
					shown(a, arg, sizeof arg);
					rc = ix_err_set(err, IX_EINVAL, "EXEC at column %d: $%c %s '%s', and %s",
							a->col, a->text[k + 1],
							interp ? "reaches the interpreter as" : "is spliced into",
							arg, why);
				}
			}
		}
	}
	ix_re_free(safe);
	return rc;
}
