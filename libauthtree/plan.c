/*
 * Building the plan of an allowed decision (plan.h) from its substituted
 * action: one step per primitive that does something, in the action's
 * order, the modifiers of EXEC folded into its step.
 *
 * Invariant (asserted in debug and sanitizer builds): the steps match the
 * action, one for one, in order, each with the preconditions of its kind.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libauthtree/plan.h"

/* The step kind of a primitive that does something, -1 for a modifier. */
static int
step_kind(enum ix_prim_kind k)
{
	switch (k) {
	case IX_A_EXEC: return IX_STEP_EXEC;
	case IX_A_LABEL: return IX_STEP_LABEL;
	case IX_A_DOWNGRADE: return IX_STEP_DOWNGRADE;
	case IX_A_EDIT: return IX_STEP_EDIT;
	case IX_A_COPY: return IX_STEP_COPY;
	case IX_A_LICENSE: return IX_STEP_LICENSE;
	case IX_A_UNLICENSE: return IX_STEP_UNLICENSE;
	case IX_A_REQUIRE: return IX_STEP_REQUIRE;
	default: return -1;
	}
}

static unsigned
step_pre(enum ix_step_kind k)
{
	switch (k) {
	case IX_STEP_EXEC: return IX_PRE_USER;
	case IX_STEP_LABEL:
	case IX_STEP_DOWNGRADE: return IX_PRE_FILE | IX_PRE_LABEL;
	case IX_STEP_EDIT: return IX_PRE_EDIT;
	case IX_STEP_COPY: return IX_PRE_FILE | IX_PRE_SOURCE | IX_PRE_UNLICENSED;
	case IX_STEP_LICENSE:
	case IX_STEP_UNLICENSE: return IX_PRE_FILE | IX_PRE_ROLES;
	case IX_STEP_REQUIRE: return IX_PRE_FILE | IX_PRE_LICENSED;
	}
	return 0;
}

#ifndef NDEBUG
/* The invariant of this file, for assert(). */
static bool
plan_matches_action(const struct ix_plan *plan, const struct ix_action *a)
{
	size_t i, s = 0;

	for (i = 0; i < a->nprims; i++) {
		const struct ix_prim *pr = &a->prims[i];
		int k = step_kind(pr->kind);

		if (k < 0)
			continue;
		if (s == plan->nsteps || plan->steps[s].prim != pr ||
		    plan->steps[s].kind != (enum ix_step_kind)k ||
		    plan->steps[s].pre != step_pre((enum ix_step_kind)k))
			return false;
		s++;
	}
	return s == plan->nsteps;
}
#endif

/* "NAME=value" for each ENV, in one allocation behind a NULL-terminated
 * array. */
static int
build_env(const struct ix_action *a, struct ix_plan *plan, struct ix_step_exec *x,
	  struct ix_err *err)
{
	size_t i, n = 0, bytes = 0;
	char *s;

	for (i = 0; i < a->nprims; i++)
		if (a->prims[i].kind == IX_A_ENV) {
			n++;
			bytes += strlen(a->prims[i].args[0]) + strlen(a->prims[i].args[1]) + 2;
		}
	plan->env = malloc((n + 1) * sizeof *plan->env + bytes);
	if (plan->env == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	s = (char *)(plan->env + n + 1);
	for (i = 0, n = 0; i < a->nprims; i++) {
		const struct ix_prim *pr = &a->prims[i];

		if (pr->kind != IX_A_ENV)
			continue;
		plan->env[n++] = s;
		s += sprintf(s, "%s=%s", pr->args[0], pr->args[1]) + 1;
	}
	plan->env[n] = NULL;
	x->envp = plan->env;
	x->nenv = n;
	return 0;
}

/* A licence step: its names told apart, capabilities from roles (the
 * action's types keep ixkit's own privileges and, in REQUIRE, every
 * privilege name out of the roles' place). */
static void
build_license(const struct ix_prim *pr, struct ix_step_license *l)
{
	l->file = pr->args[0];
	l->names = pr->args + 1;
	l->nnames = pr->nargs - 1;
	for (size_t i = 0; i < l->nnames; i++) {
		int bit = ix_priv_bit(l->names[i], strlen(l->names[i]));

		if (bit >= 0 && bit <= IX_PRIV_CAP_LAST && pr->kind != IX_A_REQUIRE)
			l->caps |= UINT64_C(1) << bit;
		else
			l->roles[l->nroles++] = l->names[i];
	}
}

/* The EXEC step: the program and its modifiers, wherever they stand (the
 * action language allows each modifier only beside the one EXEC). */
static int
build_exec(const struct ix_action *a, const struct ix_prim *ex, struct ix_plan *plan,
	   struct ix_step_exec *x, struct ix_err *err)
{
	static char *const no_env[] = { NULL };
	size_t i;

	x->program = ex->args[0];
	x->argv = ex->args;
	x->argc = ex->nargs;
	x->envp = no_env;
	ix_privset_empty(&x->priv);
	for (i = 0; i < a->nprims; i++) {
		const struct ix_prim *pr = &a->prims[i];

		switch (pr->kind) {
		case IX_A_PRIV:
			x->priv = pr->priv;
			break;
		case IX_A_CEILING:
			x->has_ceiling = true;
			x->ceiling = pr->label;
			break;
		case IX_A_AS:
			x->user = pr->args[0];
			break;
		case IX_A_ENV:
			if (plan->env == NULL && build_env(a, plan, x, err) < 0)
				return -1;
			break;
		default:
			break;
		}
	}
	x->caps = ix_privset_caps(&x->priv);
	for (int b = IX_PRIV_CAP_LAST + 1; b < IX_PRIV_BITS; b++)
		if (ix_privset_has(&x->priv, b))
			x->own_privs = true;
	return 0;
}

static void
build_label(const struct ix_policy *p, const struct ix_prim *pr, const struct ix_rights *granted,
	    struct ix_step_label *l)
{
	l->file = pr->args[0];
	l->cat_bit = -1;
	if (pr->kind == IX_A_LABEL) {
		l->label = pr->label;
	} else {
		l->cat_bit = pr->cat_bit;
		l->cat = pr->args[1];
	}
	l->bound_right = p->relabel;
	ix_label_bottom(p->enc, &l->bound);
	if (p->relabel >= 0) {
		const struct ix_label *g = ix_rights_label(granted, (size_t)p->relabel);

		if (g != NULL)
			l->bound = *g;
	}
}

int
ix_plan_build(const struct ix_policy *p, const struct ix_action *a, struct ix_rights *granted,
	      struct ix_rights *held, struct ix_plan *plan, struct ix_err *err)
{
	size_t i, n = 0;

	memset(plan, 0, sizeof *plan);
	plan->policy = p;
	plan->granted = granted;
	plan->held = held;
	for (i = 0; i < a->nprims; i++)
		n += step_kind(a->prims[i].kind) >= 0;
	plan->steps = calloc(n ? n : 1, sizeof *plan->steps);
	if (plan->steps == NULL)
		goto oom;
	for (i = 0; i < a->nprims; i++) {
		const struct ix_prim *pr = &a->prims[i];
		int k = step_kind(pr->kind);
		struct ix_step *s;

		if (k < 0)
			continue;
		s = &plan->steps[plan->nsteps++];
		s->kind = (enum ix_step_kind)k;
		s->pre = step_pre(s->kind);
		s->prim = pr;
		switch (s->kind) {
		case IX_STEP_EXEC:
			if (build_exec(a, pr, plan, &s->exec, err) < 0)
				goto fail;
			break;
		case IX_STEP_LABEL:
		case IX_STEP_DOWNGRADE:
			build_label(p, pr, granted, &s->label);
			break;
		case IX_STEP_EDIT:
			s->edit.subtree = pr->args[0];
			break;
		case IX_STEP_COPY:
			s->copy.src = pr->args[0];
			s->copy.dst = pr->args[1];
			break;
		case IX_STEP_LICENSE:
		case IX_STEP_UNLICENSE:
		case IX_STEP_REQUIRE:
			build_license(pr, &s->license);
			break;
		}
	}
	assert(plan_matches_action(plan, a));
	return 0;
oom:
	ix_err_set(err, IX_ENOMEM, "out of memory");
fail:
	ix_plan_free(plan);
	return -1;
}

void
ix_plan_free(struct ix_plan *plan)
{
	if (plan == NULL)
		return;
	ix_rights_free(plan->granted);
	ix_rights_free(plan->held);
	free(plan->steps);
	free(plan->env);
	memset(plan, 0, sizeof *plan);
}

long
ix_plan_find(const struct ix_plan *plan, enum ix_step_kind k, size_t from)
{
	for (size_t i = from; i < plan->nsteps; i++)
		if (plan->steps[i].kind == k)
			return (long)i;
	return -1;
}
