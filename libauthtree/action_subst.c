/*
 * Substitution of template captures into an action. Each argument of the
 * template becomes exactly one argument of the action: a capture is copied
 * in as bytes, never split, unquoted or parsed again, and the result is
 * type-checked as if it had been written as a constant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libauthtree/action_int.h"

void
ix_action_free(struct ix_action *a)
{
	size_t i, j;

	if (a == NULL)
		return;
	for (i = 0; i < a->nprims; i++) {
		for (j = 0; j < a->prims[i].nargs; j++)
			free(a->prims[i].args[j]);
		free(a->prims[i].args);
	}
	free(a->prims);
	free(a);
}

/* The template argument as written ("/home/$1"), for messages. */
static void
written(const struct targ *ta, char *buf, size_t size)
{
	char tmp[128];
	size_t i, n = 0;

	for (i = 0; i < ta->len && n + 1 < sizeof tmp; i++)
		tmp[n++] = ta->text[i] == REF_MARK ? '$' : ta->text[i];
	ix_action_shown(tmp, n, buf, size);
}

/* Builds the value of template argument ta into a new string. */
static char *
expand(const struct tprim *tp, size_t idx, const char *const *caps, size_t ncaps,
       struct ix_err *err)
{
	const struct targ *ta = &tp->args[idx];
	const char *name = ix_prim_name(tp->kind);
	size_t i, n = 0, len = 0;
	char w[128];
	char *v;

	/* first pass: length, and every reference must name a capture */
	for (i = 0; i < ta->len; i++) {
		if (ta->text[i] == REF_MARK) {
			size_t g = (size_t)(ta->text[++i] - '0');

			if (g >= ncaps || caps[g] == NULL) {
				written(ta, w, sizeof w);
				ix_err_set(err, IX_EINVAL,
					   "%s: '%s' uses $%zu, a group that did not take part in "
					   "the match", name, w, g);
				return NULL;
			}
			len += strnlen(caps[g], IX_ACTION_ARG_MAX + 1);
		} else {
			len++;
		}
		if (len > IX_ACTION_ARG_MAX) {
			written(ta, w, sizeof w);
			ix_err_set(err, IX_ELIMIT, "%s: '%s' is longer than %d bytes once substituted",
				   name, w, IX_ACTION_ARG_MAX);
			return NULL;
		}
	}
	v = malloc(len + 1);
	if (v == NULL) {
		ix_err_set(err, IX_ENOMEM, "out of memory");
		return NULL;
	}
	for (i = 0; i < ta->len; i++) {
		if (ta->text[i] == REF_MARK) {
			const char *c = caps[ta->text[++i] - '0'];
			size_t cl = strlen(c);

			memcpy(v + n, c, cl);
			n += cl;
		} else {
			v[n++] = ta->text[i];
		}
	}
	v[n] = '\0';
	return v;
}

static int
subst_prim(const struct tprim *tp, const struct ix_label_enc *enc, const char *const *caps,
	   size_t ncaps, struct ix_prim *out, struct ix_err *err)
{
	char why[IX_ERR_MSG_MAX], w[128], sv[128];
	size_t i;

	out->kind = tp->kind;
	out->cat_bit = -1;
	ix_privset_empty(&out->priv);
	memset(&out->label, 0, sizeof out->label);
	out->args = calloc(tp->nargs + 1, sizeof *out->args);	/* NULL-terminated */
	if (out->args == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	for (i = 0; i < tp->nargs; i++) {
		char *v = expand(tp, i, caps, ncaps, err);

		if (v == NULL)
			return -1;
		out->args[out->nargs++] = v;
		if (ix_action_check_arg(tp->kind, i, v, strlen(v), enc, out, why, sizeof why) ==
		    NULL)
			continue;
		if (tp->args[i].has_ref) {
			written(&tp->args[i], w, sizeof w);
			return ix_err_set(err, IX_EINVAL, "%s: '%s' = '%s' %s",
					  ix_prim_name(tp->kind), w, ix_action_shown(v, strlen(v), sv, sizeof sv), why);
		}
		return ix_err_set(err, IX_EINVAL, "%s: %s '%s' %s", ix_prim_name(tp->kind),
				  ix_action_param_name(tp->kind, i), ix_action_shown(v, strlen(v), sv, sizeof sv), why);
	}
	return 0;
}

/* ENV names that came from captures may collide; the executor must never
 * have to pick one of two values. */
static int
check_env_names(const struct ix_action *a, struct ix_err *err)
{
	size_t i, j;

	for (i = 0; i < a->nprims; i++) {
		if (a->prims[i].kind != IX_A_ENV)
			continue;
		for (j = 0; j < i; j++)
			if (a->prims[j].kind == IX_A_ENV &&
			    strcmp(a->prims[j].args[0], a->prims[i].args[0]) == 0)
				return ix_err_set(err, IX_EINVAL, "ENV: %s is set twice",
						  a->prims[i].args[0]);
	}
	return 0;
}

int
ix_action_subst(const struct ix_action_tmpl *t, const struct ix_label_enc *enc,
		const char *const *caps, size_t ncaps, struct ix_action **out,
		struct ix_err *err)
{
	struct ix_action *a;
	size_t i;

	*out = NULL;
	if (t == NULL)
		return ix_err_set(err, IX_EINVAL, "no action");
	if (caps == NULL)
		ncaps = 0;
	a = calloc(1, sizeof *a);
	if (a == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	a->prims = calloc(t->nprims ? t->nprims : 1, sizeof *a->prims);
	if (a->prims == NULL) {
		free(a);
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	}
	for (i = 0; i < t->nprims; i++) {
		a->nprims++;
		if (subst_prim(&t->prims[i], enc, caps, ncaps, &a->prims[i], err) < 0)
			goto fail;
	}
	if (check_env_names(a, err) < 0)
		goto fail;
	*out = a;
	return 0;
fail:
	ix_action_free(a);
	return -1;
}
