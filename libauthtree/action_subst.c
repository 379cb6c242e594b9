/*
 * Substitution of template captures into an action. Each argument of the
 * template becomes exactly one argument of the action: a capture is copied
 * in as bytes, never split, unquoted or parsed again, and the result is
 * type-checked as if it had been written as a constant.
 *
 * An action is one allocation (it is made for every matching rule of every
 * request): the struct, its primitives, their NULL-terminated argument
 * arrays and the arguments' bytes, measured first and then filled in. The
 * errors are those of a walk that substitutes and checks each argument in
 * turn: the first argument that cannot be substituted or fails its type is
 * the one named.
 */
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libauthtree/action_int.h"

void
ix_action_free(struct ix_action *a)
{
	free(a);	/* one block (ix_action_subst) */
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

/* The length of template argument idx of tp once substituted, or -1 with
 * *err when it uses a group that did not take part or grows too long. */
static long
arg_len(const struct tprim *tp, size_t idx, const char *const *caps, size_t ncaps,
	struct ix_err *err)
{
	const struct targ *ta = &tp->args[idx];
	const char *name = ix_prim_name(tp->kind);
	size_t i, len = 0;
	char w[128];

	for (i = 0; i < ta->len; i++) {
		if (ta->text[i] == REF_MARK) {
			size_t g = (size_t)(ta->text[++i] - '0');

			if (g >= ncaps || caps[g] == NULL) {
				written(ta, w, sizeof w);
				return ix_err_set(err, IX_EINVAL,
						  "%s: '%s' uses $%zu, a group that did not take part in "
						  "the match", name, w, g);
			}
			len += strnlen(caps[g], IX_ACTION_ARG_MAX + 1);
		} else {
			len++;
		}
		if (len > IX_ACTION_ARG_MAX) {
			written(ta, w, sizeof w);
			return ix_err_set(err, IX_ELIMIT, "%s: '%s' is longer than %d bytes once "
					  "substituted", name, w, IX_ACTION_ARG_MAX);
		}
	}
	return (long)len;
}

/* Writes template argument ta, substituted, at v (room measured by
 * arg_len); returns the byte after its NUL. */
static char *
arg_fill(const struct targ *ta, const char *const *caps, char *v)
{
	size_t i;

	for (i = 0; i < ta->len; i++) {
		if (ta->text[i] == REF_MARK) {
			const char *c = caps[ta->text[++i] - '0'];
			size_t cl = strlen(c);

			memcpy(v, c, cl);
			v += cl;
		} else {
			*v++ = ta->text[i];
		}
	}
	*v++ = '\0';
	return v;
}

/* Type-checks argument i of out (substituted from tp) and fills its typed
 * value. Returns 0 or -1 with *err naming the primitive and the argument. */
static int
check_arg(const struct tprim *tp, size_t i, struct ix_prim *out, const struct ix_label_enc *enc,
	  struct ix_err *err)
{
	char why[IX_ERR_MSG_MAX], w[128], sv[128];
	const char *v = out->args[i];

	if (ix_action_check_arg(tp->kind, i, v, strlen(v), enc, out, why, sizeof why) == NULL)
		return 0;
	if (tp->args[i].has_ref) {
		written(&tp->args[i], w, sizeof w);
		return ix_err_set(err, IX_EINVAL, "%s: '%s' = '%s' %s", ix_prim_name(tp->kind), w,
				  ix_action_shown(v, strlen(v), sv, sizeof sv), why);
	}
	return ix_err_set(err, IX_EINVAL, "%s: %s '%s' %s", ix_prim_name(tp->kind),
			  ix_action_param_name(tp->kind, i), ix_action_shown(v, strlen(v), sv,
									     sizeof sv), why);
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

/* Rounds n up to the alignment of a pointer. */
static size_t
ptr_aligned(size_t n)
{
	return (n + alignof(char *) - 1) & ~(alignof(char *) - 1);
}

int
ix_action_subst(const struct ix_action_tmpl *t, const struct ix_label_enc *enc,
		const char *const *caps, size_t ncaps, struct ix_action **out,
		struct ix_err *err)
{
	size_t i, j, nptrs = 0, bytes = 0, head, bad_i = SIZE_MAX, bad_j = 0;
	struct ix_action *a;
	struct ix_err scratch;
	char **ptrs, *text;

	*out = NULL;
	if (t == NULL)
		return ix_err_set(err, IX_EINVAL, "no action");
	if (caps == NULL)
		ncaps = 0;
	/* Measure. The first argument that cannot be substituted is noted;
	 * the walk below stops there (or at an earlier argument's type) and
	 * makes its error again, so the room of those before it is enough. */
	for (i = 0; i < t->nprims; i++) {
		nptrs += t->prims[i].nargs + 1;
		for (j = 0; j < t->prims[i].nargs && bad_i == SIZE_MAX; j++) {
			long n = arg_len(&t->prims[i], j, caps, ncaps, &scratch);

			if (n < 0) {
				bad_i = i;
				bad_j = j;
			} else {
				bytes += (size_t)n + 1;
			}
		}
	}
	head = ptr_aligned(sizeof *a + t->nprims * sizeof *a->prims);
	a = calloc(1, head + nptrs * sizeof *ptrs + bytes);
	if (a == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	a->prims = (struct ix_prim *)(a + 1);
	ptrs = (char **)((char *)a + head);
	text = (char *)(ptrs + nptrs);
	/* Fill and check, argument by argument. */
	for (i = 0; i < t->nprims; i++) {
		const struct tprim *tp = &t->prims[i];
		struct ix_prim *pr = &a->prims[a->nprims++];

		pr->kind = tp->kind;
		pr->cat_bit = -1;
		ix_privset_empty(&pr->priv);
		pr->args = ptrs;
		ptrs += tp->nargs + 1;		/* calloc: args[nargs] is NULL */
		for (j = 0; j < tp->nargs; j++) {
			if (i == bad_i && j == bad_j) {
				arg_len(tp, j, caps, ncaps, err);
				goto fail;
			}
			pr->args[pr->nargs++] = text;
			text = arg_fill(&tp->args[j], caps, text);
			if (check_arg(tp, j, pr, enc, err) < 0)
				goto fail;
		}
	}
	if (check_env_names(a, err) < 0)
		goto fail;
	*out = a;
	return 0;
fail:
	free(a);
	return -1;
}
