/*
 * The judges of plan.h: facts observed after the decision, checked against
 * the plan. Pure: nothing here opens a file or writes anything.
 */
#include <assert.h>
#include <string.h>

#include "libauthtree/plan.h"

/*
 * Whether the change before -> after stays within bound, the granted value
 * of the policy's relabel right (named right, for messages): every category
 * it removes is in bound, a level it lowers is reached by bound's level, and
 * leaving NO takes TOP.
 */
static int
within_bound(const struct ix_policy *p, const char *right, const struct ix_label *bound,
	     const char *file, const struct ix_label *before, const struct ix_label *after,
	     struct ix_err *err)
{
	struct ix_label top;
	const char *level;

	for (int w = 0; w < IX_CAT_WORDS; w++) {
		uint64_t removed = before->cats[w] & ~after->cats[w] & ~bound->cats[w];
		int bit;
		const char *name;

		if (removed == 0)
			continue;
		bit = w * 64 + __builtin_ctzll(removed);
		name = ix_label_enc_category_name(p->enc, bit);
		if (name != NULL)
			return ix_err_set(err, IX_EDENIED, "%s: removing category %s needs %s(%s), "
					  "which the granting nodes do not give", file, name, right,
					  name);
		return ix_err_set(err, IX_EDENIED, "%s: removing category bit #%d is beyond the "
				  "granted %s right", file, bit, right);
	}
	if (after->level < before->level && !(bound->flags & IX_LABEL_F_NO) &&
	    bound->level < before->level) {
		level = ix_label_enc_level_name(p->enc, before->level);
		return ix_err_set(err, IX_EDENIED, "%s: lowering its level from %s needs a %s right "
				  "at that level, which the granting nodes do not give", file,
				  level ? level : "?", right);
	}
	ix_label_top(p->enc, &top);
	if ((before->flags & IX_LABEL_F_NO) && !(after->flags & IX_LABEL_F_NO) &&
	    !ix_label_le(&top, bound))
		return ix_err_set(err, IX_EDENIED, "%s: leaving the NO label needs %s(TOP), "
				  "which the granting nodes do not give", file, right);
	return 0;
}

int
ix_judge_label(const struct ix_plan *plan, size_t step, bool labelled,
	       const struct ix_label *before, struct ix_label *after, struct ix_err *err)
{
	const struct ix_policy *p = plan->policy;
	const struct ix_step *s;
	const struct ix_step_label *l;
	struct ix_label was;

	if (step >= plan->nsteps || (plan->steps[step].kind != IX_STEP_LABEL &&
				     plan->steps[step].kind != IX_STEP_DOWNGRADE))
		return ix_err_set(err, IX_EINVAL, "step %zu of the plan is not a label step", step);
	s = &plan->steps[step];
	l = &s->label;
	if (labelled)
		was = *before;
	else
		ix_label_bottom(p->enc, &was);
	if (s->kind == IX_STEP_LABEL) {
		*after = l->label;
	} else {
		if (!labelled)
			return ix_err_set(err, IX_EINVAL, "%s carries no label: there is no "
					  "category %s to remove", l->file, l->cat);
		if (l->cat_bit < 0 || !ix_label_has_cat(&was, l->cat_bit))
			return ix_err_set(err, IX_EINVAL, "%s does not carry category %s: "
					  "nothing to downgrade", l->file, l->cat);
		*after = was;
		ix_label_clear_cat(after, l->cat_bit);
	}
	if (l->bound_right < 0)
		return 0;	/* the policy names no relabel right: the need decides */
	return within_bound(p, ix_rdecls_name(p->decls, (size_t)l->bound_right), &l->bound,
			    l->file, &was, after, err);
}

/* The plan's side of an edit: an EDIT step for an edit, an edit for an EDIT
 * step, and the edited node within the step's subtree. */
static int
fits_plan(const struct ix_plan *plan, const struct ix_edit *e, struct ix_err *err)
{
	long first = ix_plan_find(plan, IX_STEP_EDIT, 0), i;

	if (first < 0 && e == NULL)
		return 0;
	if (first < 0)
		return ix_err_set(err, IX_EINVAL, "the request carries an edit, but its action has "
				  "no EDIT: nothing would apply it");
	if (e == NULL)
		return ix_err_set(err, IX_EINVAL, "the action edits the subtree %s, but the request "
				  "carries no edit", plan->steps[first].edit.subtree);
	for (i = first; i >= 0; i = ix_plan_find(plan, IX_STEP_EDIT, (size_t)i + 1))
		if (ix_node_path_within(e->path, plan->steps[i].edit.subtree))
			return 0;
	return ix_err_set(err, IX_EDENIED, "node %s is outside the subtree %s this request may "
			  "edit", e->path, plan->steps[first].edit.subtree);
}

int
ix_judge_edit(const struct ix_plan *plan, const struct ix_policy *p,
	      const struct ix_rights *editor, const struct ix_edit *e, struct ix_err *err)
{
	if (e != NULL && ix_edit_valid(e, err) < 0)
		return -1;
	if (plan != NULL) {
		if (fits_plan(plan, e, err) < 0)
			return -1;
		if (e != NULL && editor == NULL)
			return ix_err_set(err, IX_EINVAL, "an edit of a decided request needs the "
					  "editor's rights");
	}
	if (e == NULL)
		return 0;
	return ix_edit_check(p, e, editor, err);
}

int
ix_judge_licence(const struct ix_plan *plan, size_t step, struct ix_err *err)
{
	const struct ix_step *s;
	const struct ix_rdecls *d = plan->policy->decls;

	if (step >= plan->nsteps || (plan->steps[step].kind != IX_STEP_LICENSE &&
				     plan->steps[step].kind != IX_STEP_UNLICENSE))
		return ix_err_set(err, IX_EINVAL, "step %zu is no LICENSE or UNLICENSE step", step);
	s = &plan->steps[step];
	for (size_t i = 0; i < s->license.nroles; i++) {
		const char *role = s->license.roles[i];
		int r = ix_rdecls_find(d, role, strlen(role));

		if (r < 0)
			return ix_err_set(err, IX_EDENIED, "%s: the dummy licence of %s names no right "
					  "of this policy: a role's approval needs the right of "
					  "that name", s->license.file, role);
		if (!ix_rights_has(plan->granted, (size_t)r))
			return ix_err_set(err, IX_EDENIED, "%s: the dummy licence of %s needs the "
					  "right %s, which the granting nodes do not give",
					  s->license.file, role, role);
	}
	return 0;
}
