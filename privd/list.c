/*
 * priv -l: what the caller may request, from where they are now.
 *
 * A node is within reach when its predicate can hold for this login and
 * stream if the passwords it demands are given (PW atoms taken as true).
 * A rule is listed with each node within reach that can grant its need on
 * its own: for a constant need, rights that dominate it; for a need with
 * parameters ($1...), rights that hold every right the need names at some
 * value (whether the value suffices depends on the request; priv -n says).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libauthtree/policy.h"
#include "privd/server.h"

static enum ix_tv
pw_true(void *arg, const char *user)
{
	return IX_TV_TRUE;
}

static enum ix_tv
pw_false(void *arg, const char *user)
{
	return IX_TV_FALSE;
}

static void
print_pw_user(void *arg, const char *user)
{
	fprintf(arg, " %s", user);
}

/* Does r hold every right named in need text t ("a | b(x) | c($1)")? */
static int
holds_named(const struct ix_policy *p, const struct ix_rights *r, const char *t)
{
	while (*t != '\0') {
		size_t n;
		int i;

		t += strspn(t, " \t|");
		n = strcspn(t, " \t|(");
		if (n == 0)
			break;
		i = ix_rdecls_find(p->decls, t, n);
		if (i < 0 || !ix_rights_has(r, (size_t)i))
			return 0;
		t += n;
		if (*t == '(')
			t += strcspn(t, ")");
		t += *t == ')';
	}
	return 1;
}

static int
grants(const struct ix_policy *p, const struct ix_rule *ru, const struct ix_node *nd,
       struct ix_err *err)
{
	if (ru->need == NULL)
		return holds_named(p, nd->rights, ru->need_text);
	return ix_rights_le(ru->need, nd->rights, err);
}

char *
privd_list(const struct ix_policy *p, const char *login, const char *src, struct ix_err *err)
{
	char *text = NULL;
	size_t len = 0, nlisted = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL) {
		ix_err_sys(err, "open_memstream");
		return NULL;
	}
	fprintf(f, "requests %s may make from %s:\n", login, src);
	for (size_t r = 0; r < p->nrules; r++) {
		const struct ix_rule *ru = &p->rules[r];
		bool shown = false;

		for (size_t i = 0; i < p->nnodes; i++) {
			const struct ix_node *nd = &p->nodes[i];
			int g;

			if (ix_pred_eval(nd->pred, login, src, pw_true, NULL) != IX_TV_TRUE)
				continue;
			g = grants(p, ru, nd, err);
			if (g < 0)
				goto fail;
			if (g == 0)
				continue;
			if (!shown) {
				char *act = ix_action_tmpl_print(ru->action, err);

				if (act == NULL)
					goto fail;
				fprintf(f, "\n%s\n  rule %s, needs %s\n  action %s\n", ru->tmpl_text,
					ru->name, ru->need_text, act);
				free(act);
				shown = true;
				nlisted++;
			}
			fprintf(f, "  granted by %s", nd->path);
			if (ix_pred_eval(nd->pred, login, src, pw_false, NULL) == IX_TV_TRUE) {
				fprintf(f, " (no password)");
			} else {
				fprintf(f, " (password of");
				ix_pred_pw_users(nd->pred, print_pw_user, f);
				fprintf(f, ")");
			}
			if (ix_pred_has_src(nd->pred))
				fprintf(f, " (only from a stream its SRC names)");
			fprintf(f, "\n");
		}
	}
	if (nlisted == 0)
		fprintf(f, "  none: no node you can reach grants what any rule needs\n");
	if (fclose(f) != 0) {
		free(text);
		ix_err_sys(err, "building the list");
		return NULL;
	}
	return text;
fail:
	fclose(f);
	free(text);
	return NULL;
}
