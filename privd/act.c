/*
 * From a decided action to the context-free exec's inputs (server.h).
 * Nothing here runs anything: the worker shows the result for
 * confirmation first, then hands it to ix_cfexec_start.
 */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int
privd_act_build(const struct ix_action *a, const char *default_user, struct privd_act *out,
		struct ix_err *err)
{
	const char *user = default_user;
	bool exec = false;

	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < a->nprims; i++) {
		const struct ix_prim *pr = &a->prims[i];

		switch (pr->kind) {
		case IX_A_EXEC:
			if (pr->nargs > IX_ACTION_ARGS_MAX)
				goto fail_limit;
			for (size_t j = 0; j < pr->nargs; j++)
				out->argv[j] = pr->args[j];
			exec = true;
			break;
		case IX_A_PRIV:
			if (priv_caps(pr, &out->caps, err) < 0)
				goto fail;
			break;
		case IX_A_AS:
			user = pr->args[0];
			break;
		case IX_A_ENV: {
			size_t n = strlen(pr->args[0]) + strlen(pr->args[1]) + 2;

			if (out->nenv == IX_ACTION_PRIMS_MAX)
				goto fail_limit;
			out->envp[out->nenv] = malloc(n);
			if (out->envp[out->nenv] == NULL) {
				ix_err_set(err, IX_ENOMEM, "out of memory");
				goto fail;
			}
			snprintf(out->envp[out->nenv++], n, "%s=%s", pr->args[0], pr->args[1]);
			break;
		}
		case IX_A_CEILING:
			out->has_ceiling = true;
			out->ceiling = pr->label;
			break;
		default:
			/* Extension point: label, edit, copy and licence actions. */
			ix_err_set(err, IX_EINVAL, "%s actions are not carried out by this privd yet",
				   ix_prim_name(pr->kind));
			goto fail;
		}
	}
	if (!exec) {
		ix_err_set(err, IX_EINVAL, "the action runs no program (no EXEC)");
		goto fail;
	}
	if (user_ids(user, out, err) < 0)
		goto fail;
	return 0;
fail_limit:
	ix_err_set(err, IX_ELIMIT, "the action has too many arguments or variables");
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
}
