/*
 * From a decision's plan (libauthtree/plan.h) to the steps privd carries
 * out and the identity its EXEC runs as (server.h). Nothing here opens a
 * file or runs anything, and nothing is decided again: what a step may do
 * is the plan's, judged by libauthtree; the monitor shows the result for
 * confirmation first.
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
own_privs(const struct ix_step_exec *x, struct ix_err *err)
{
	for (int b = IX_PRIV_CAP_LAST + 1; b < IX_PRIV_BITS; b++)
		if (ix_privset_has(&x->priv, b))
			return ix_err_set(err, IX_EINVAL,
					  "PRIV: '%s' is an ixkit privilege, not one a program can be given",
					  ix_priv_name(b) ? ix_priv_name(b) : "?");
	return ix_err_set(err, IX_EINVAL, "PRIV names an ixkit privilege");
}

int
privd_act_build(const struct ix_plan *plan, const char *default_user, struct privd_act *out,
		struct ix_err *err)
{
	bool edit = false;

	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < plan->nsteps; i++) {
		const struct ix_step *st = &plan->steps[i];

		switch (st->kind) {
		case IX_STEP_COPY:
		case IX_STEP_LICENSE:
		case IX_STEP_UNLICENSE:
		case IX_STEP_REQUIRE:
			break;
		case IX_STEP_EDIT:
			/* The request carries one edit block: one EDIT to apply it. */
			if (edit) {
				ix_err_set(err, IX_EINVAL, "the action has more than one EDIT");
				goto fail;
			}
			edit = true;
			break;
		case IX_STEP_EXEC:
			if (st->exec.own_privs) {
				own_privs(&st->exec, err);
				goto fail;
			}
			out->exec = &st->exec;
			break;
		case IX_STEP_LABEL:
		case IX_STEP_DOWNGRADE:
			break;
		}
		if (out->nsteps == IX_ACTION_PRIMS_MAX) {
			ix_err_set(err, IX_ELIMIT, "the action has too many steps");
			goto fail;
		}
		out->steps[out->nsteps++] = (struct privd_step){ .step = st, .index = i, .fd = -1,
							     .dir_fd = -1 };
	}
	if (out->nsteps == 0) {
		ix_err_set(err, IX_EINVAL, "the action does nothing privd carries out");
		goto fail;
	}
	if (out->exec != NULL &&
	    user_ids(out->exec->user ? out->exec->user : default_user, out, err) < 0)
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
	for (size_t i = 0; i < a->nsteps; i++) {
		if (a->steps[i].fd >= 0)
			close(a->steps[i].fd);
		if (a->steps[i].dir_fd >= 0)
			close(a->steps[i].dir_fd);
		a->steps[i].fd = a->steps[i].dir_fd = -1;
	}
}
