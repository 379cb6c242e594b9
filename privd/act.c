/*
 * From a decided action to its steps and the context-free exec's inputs
 * (server.h), and the pure checks of the label and edit steps: the label
 * a step gives, bounded by the granted rights; an edit block that fits
 * its EDIT. Nothing here opens a file or runs anything: the monitor shows
 * the result for confirmation first.
 */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libauthtree/action.h"
#include "privd/server.h"

static int
user_ids(const char *name, struct privd_act *out, struct ix_err *err)
{
	struct passwd *pw = getpwnam(name);
	int n = IX_CAPS_MAX_GROUPS;

	if (pw == NULL)
		return ix_err_set(err, IX_ENOENT, "the action's user '%s' does not exist", name);
	out->ids.uid = pw->pw_uid;
	out->ids.gid = pw->pw_gid;
	if (getgrouplist(pw->pw_name, pw->pw_gid, out->ids.groups, &n) < 0)
		return ix_err_set(err, IX_ELIMIT, "the action's user '%s' is in more than %d groups",
				  name, IX_CAPS_MAX_GROUPS);
	out->ids.ngroups = (size_t)n;
	snprintf(out->user, sizeof out->user, "%s", name);
	return 0;
}

/* PRIV(...) may name ixkit's own privileges (downgrade, ...): they are
 * powers of privd's own actions, not something a program can hold. */
static int
priv_caps(const struct ix_prim *pr, uint64_t *caps, struct ix_err *err)
{
	for (int b = IX_PRIV_CAP_LAST + 1; b < IX_PRIV_BITS; b++)
		if (ix_privset_has(&pr->priv, b))
			return ix_err_set(err, IX_EINVAL,
					  "PRIV: '%s' is an ixkit privilege, not one a program can be given",
					  ix_priv_name(b) ? ix_priv_name(b) : "?");
	*caps = ix_privset_caps(&pr->priv);
	return 0;
}

/* The modifiers of EXEC (the structure check of the action language puts
 * them only beside an EXEC). */
static int
exec_part(const struct ix_prim *pr, struct privd_act *out, const char **user,
	  struct ix_err *err)
{
	switch (pr->kind) {
	case IX_A_EXEC:
		if (pr->nargs > IX_ACTION_ARGS_MAX)
			return ix_err_set(err, IX_ELIMIT, "the action has too many arguments");
		for (size_t j = 0; j < pr->nargs; j++)
			out->argv[j] = pr->args[j];
		out->exec = true;
		return 0;
	case IX_A_PRIV:
		return priv_caps(pr, &out->caps, err);
	case IX_A_AS:
		*user = pr->args[0];
		return 0;
	case IX_A_ENV: {
		size_t n = strlen(pr->args[0]) + strlen(pr->args[1]) + 2;

		if (out->nenv == IX_ACTION_PRIMS_MAX)
			return ix_err_set(err, IX_ELIMIT, "the action has too many variables");
		out->envp[out->nenv] = malloc(n);
		if (out->envp[out->nenv] == NULL)
			return ix_err_set(err, IX_ENOMEM, "out of memory");
		snprintf(out->envp[out->nenv++], n, "%s=%s", pr->args[0], pr->args[1]);
		return 0;
	}
	case IX_A_CEILING:
		out->has_ceiling = true;
		out->ceiling = pr->label;
		return 0;
	default:
		return ix_err_set(err, IX_EINVAL, "%s actions are not carried out by this privd yet",
				  ix_prim_name(pr->kind));
	}
}

int
privd_act_build(const struct ix_action *a, const char *default_user, struct privd_act *out,
		struct ix_err *err)
{
	const char *user = default_user;

	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < a->nprims; i++) {
		const struct ix_prim *pr = &a->prims[i];

		if (pr->kind == IX_A_EXEC || pr->kind == IX_A_LABEL || pr->kind == IX_A_DOWNGRADE ||
		    pr->kind == IX_A_EDIT) {
			if (out->nsteps == IX_ACTION_PRIMS_MAX) {
				ix_err_set(err, IX_ELIMIT, "the action has too many steps");
				goto fail;
			}
			out->steps[out->nsteps++] = (struct privd_step){ .prim = pr, .fd = -1 };
		}
		if (pr->kind == IX_A_LABEL || pr->kind == IX_A_DOWNGRADE)
			continue;
		if (pr->kind == IX_A_EDIT) {
			/* The request carries one edit block: one EDIT to apply it. */
			if (out->edit_subtree != NULL) {
				ix_err_set(err, IX_EINVAL, "the action has more than one EDIT");
				goto fail;
			}
			out->edit_subtree = pr->args[0];
			continue;
		}
		if (exec_part(pr, out, &user, err) < 0)
			goto fail;
	}
	if (out->nsteps == 0) {
		ix_err_set(err, IX_EINVAL, "the action does nothing privd carries out");
		goto fail;
	}
	if (out->exec && user_ids(user, out, err) < 0)
		goto fail;
	return 0;
fail:
	privd_act_free(out);
	return -1;
}

void
privd_act_free(struct privd_act *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->nenv; i++)
		free(a->envp[i]);
	a->nenv = 0;
	a->envp[0] = NULL;
	for (size_t i = 0; i < a->nsteps; i++)
		if (a->steps[i].fd >= 0) {
			close(a->steps[i].fd);
			a->steps[i].fd = -1;
		}
}

/* Why a label change is lowering and what it takes: every category it
 * removes, the level it lowers from, NO when it leaves the black hole. */
static int
within_downgrade(const struct ix_policy *p, const struct ix_rights *granted, const char *file,
		 const struct ix_label *before, const struct ix_label *after, struct ix_err *err)
{
	int d = ix_rdecls_find(p->decls, "downgrade", 9);
	const struct ix_label *g;
	struct ix_label none, top;

	if (d < 0 || ix_rdecls_kind(p->decls, (size_t)d) != IX_RK_LABEL)
		return 0;	/* the policy has no such right: its rules' needs decide */
	ix_label_bottom(p->enc, &none);
	g = ix_rights_label(granted, (size_t)d);
	if (g == NULL)
		g = &none;
	for (int bit = 0; bit < IX_CAT_BITS; bit++) {
		const char *name;

		if (!ix_label_has_cat(before, bit) || ix_label_has_cat(after, bit) ||
		    ix_label_has_cat(g, bit))
			continue;
		name = ix_label_enc_category_name(p->enc, bit);
		if (name != NULL)
			return ix_err_set(err, IX_EDENIED, "%s: removing category %s needs "
					  "downgrade(%s), which the granting nodes do not give",
					  file, name, name);
		return ix_err_set(err, IX_EDENIED, "%s: removing category bit #%d is beyond the "
				  "granted downgrade right", file, bit);
	}
	if (after->level < before->level && !(g->flags & IX_LABEL_F_NO) && g->level < before->level)
		return ix_err_set(err, IX_EDENIED, "%s: lowering its level from %s needs a downgrade "
				  "right at that level, which the granting nodes do not give", file,
				  ix_label_enc_level_name(p->enc, before->level) ?
				  ix_label_enc_level_name(p->enc, before->level) : "?");
	ix_label_top(p->enc, &top);
	if ((before->flags & IX_LABEL_F_NO) && !(after->flags & IX_LABEL_F_NO) &&
	    !ix_label_le(&top, g))
		return ix_err_set(err, IX_EDENIED, "%s: leaving the NO label needs downgrade(TOP), "
				  "which the granting nodes do not give", file);
	return 0;
}

int
privd_step_label(const struct ix_prim *pr, const struct ix_policy *p,
		 const struct ix_rights *granted, const char *file, bool labelled,
		 const struct ix_label *before, struct ix_label *after, struct ix_err *err)
{
	struct ix_label was;

	if (labelled)
		was = *before;
	else
		ix_label_bottom(p->enc, &was);
	if (pr->kind == IX_A_LABEL) {
		*after = pr->label;
	} else if (pr->kind == IX_A_DOWNGRADE) {
		const char *cat = pr->args[1];

		if (!labelled)
			return ix_err_set(err, IX_EINVAL, "%s carries no label: there is no "
					  "category %s to remove", file, cat);
		if (pr->cat_bit < 0 || !ix_label_has_cat(&was, pr->cat_bit))
			return ix_err_set(err, IX_EINVAL, "%s does not carry category %s: "
					  "nothing to downgrade", file, cat);
		*after = was;
		ix_label_clear_cat(after, pr->cat_bit);
	} else {
		return ix_err_set(err, IX_EINVAL, "%s is not a label step", ix_prim_name(pr->kind));
	}
	return within_downgrade(p, granted, file, &was, after, err);
}

int
privd_edit_valid(const struct ix_edit *e, struct ix_err *err)
{
	return ix_edit_valid(e, err);	/* the one check (libauthtree/edit.h) */
}

int
privd_edit_fits(const struct privd_act *a, const struct ix_edit *e, struct ix_err *err)
{
	if (a->edit_subtree == NULL && e == NULL)
		return 0;
	if (a->edit_subtree == NULL)
		return ix_err_set(err, IX_EINVAL, "the request carries an edit, but its action has "
				  "no EDIT: nothing would apply it");
	if (e == NULL)
		return ix_err_set(err, IX_EINVAL, "the action edits the subtree %s, but the request "
				  "carries no edit (priv edit SUBTREE -- add|remove|predicate|rights ...)",
				  a->edit_subtree);
	if (!ix_node_path_within(e->path, a->edit_subtree))
		return ix_err_set(err, IX_EDENIED, "node %s is outside the subtree %s this request "
				  "may edit", e->path, a->edit_subtree);
	return 0;
}

struct ix_rights *
privd_granted(const struct ix_policy *p, const size_t *nodes, size_t nnodes, struct ix_err *err)
{
	struct ix_rights *r = ix_rights_new(p->decls);

	if (r == NULL) {
		ix_err_set(err, IX_ENOMEM, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < nnodes; i++)
		if (ix_rights_join_into(r, p->nodes[nodes[i]].rights, err) < 0) {
			ix_rights_free(r);
			return NULL;
		}
	return r;
}
