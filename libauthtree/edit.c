#include <stdlib.h>
#include <string.h>

#include "libauthtree/edit.h"

const char *
ix_edit_op_name(enum ix_edit_op op)
{
	switch (op) {
	case IX_EDIT_ADD: return "add";
	case IX_EDIT_REMOVE: return "remove";
	case IX_EDIT_PREDICATE: return "predicate";
	case IX_EDIT_RIGHTS: return "rights";
	}
	return "?";
}

int
ix_edit_op_parse(const char *s)
{
	int i;

	for (i = IX_EDIT_ADD; i <= IX_EDIT_RIGHTS; i++)
		if (strcmp(s, ix_edit_op_name((enum ix_edit_op)i)) == 0)
			return i;
	return -1;
}

/* A control character in an edit would reach the terminal that shows it. */
static int
printable(const char *what, const char *s, struct ix_err *err)
{
	for (size_t i = 0; s != NULL && s[i] != '\0'; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return ix_err_set(err, IX_EINVAL, "the edit's %s has a control character at "
					  "byte %zu", what, i + 1);
	return 0;
}

int
ix_edit_valid(const struct ix_edit *e, struct ix_err *err)
{
	bool pred = e->op == IX_EDIT_ADD || e->op == IX_EDIT_PREDICATE;
	bool rights = e->op == IX_EDIT_ADD || e->op == IX_EDIT_RIGHTS;

	if (e->op != IX_EDIT_ADD && e->op != IX_EDIT_REMOVE && e->op != IX_EDIT_PREDICATE &&
	    e->op != IX_EDIT_RIGHTS)
		return ix_err_set(err, IX_EINVAL, "unknown edit operation %d", (int)e->op);
	if (e->path == NULL)
		return ix_err_set(err, IX_EINVAL, "missing node path");
	if (printable("path", e->path, err) < 0 || printable("predicate", e->predicate, err) < 0 ||
	    printable("rights", e->rights, err) < 0)
		return -1;
	if (ix_node_path_check(e->path, strlen(e->path), err) < 0)
		return ix_err_prefix(err, "edit of '%s'", e->path);
	if (pred != (e->predicate != NULL) || rights != (e->rights != NULL))
		return ix_err_set(err, IX_EINVAL, "edit %s %s takes %s", ix_edit_op_name(e->op),
				  e->path, e->op == IX_EDIT_ADD ? "a predicate and rights" :
				  e->op == IX_EDIT_REMOVE ? "no predicate and no rights" :
				  pred ? "a predicate only" : "rights only");
	return 0;
}

/* The editor's edit(L) right must contain path. */
static int
may_edit(const struct ix_policy *p, const struct ix_rights *editor, const char *path,
	 struct ix_err *err)
{
	int i;
	const struct ix_re *l;

	if (editor == NULL)
		return 0;
	i = ix_rdecls_find(p->decls, "edit", 4);
	if (i < 0 || ix_rdecls_kind(p->decls, (size_t)i) != IX_RK_REGEX)
		return ix_err_set(err, IX_EDENIED,
				  "edits need the regex right edit(...), which this policy does not declare");
	l = ix_rights_regex(editor, (size_t)i);
	if (l == NULL || !ix_re_match(l, path, strlen(path)))
		return ix_err_set(err, IX_EDENIED, "node %s is outside the subtrees you may edit (%s)",
				  path, l ? ix_re_text(l) : "you hold no edit right");
	return 0;
}

/* The editor cannot give a node rights it does not hold itself. */
static int
within_editor(const struct ix_policy *p, const struct ix_rights *editor, const char *path,
	      const struct ix_rights *r, struct ix_err *err)
{
	char *why;
	int le;

	if (editor == NULL)
		return 0;
	le = ix_rights_le(r, editor, err);
	if (le < 0)
		return -1;
	if (le)
		return 0;
	why = ix_rights_explain_missing(editor, r, err);
	ix_err_set(err, IX_EDENIED, "node %s: the new rights exceed your own (%s)", path,
		   why ? why : "not dominated");
	free(why);
	return -1;
}

static int
below(const struct ix_policy *p, const char *path, const struct ix_rights *r,
      const char *upper_path, const struct ix_rights *upper, struct ix_err *err)
{
	char *why;
	int le = ix_rights_le(r, upper, err);

	if (le < 0)
		return -1;
	if (le)
		return 0;
	why = ix_rights_explain_missing(upper, r, err);
	ix_err_set(err, IX_ECONFLICT, "monotonicity: node %s would grant more than node %s (%s)",
		   path, upper_path, why ? why : "not dominated");
	free(why);
	return -1;
}

int
ix_edit_check(const struct ix_policy *p, const struct ix_edit *e,
	      const struct ix_rights *editor, struct ix_err *err)
{
	struct ix_rights *r = NULL;
	struct ix_pred *pr = NULL;
	long at;
	int rc = -1;
	size_t i;

	if (ix_node_path_check(e->path, strlen(e->path), err) < 0)
		return -1;
	at = ix_policy_find_node(p, e->path);
	if (e->op == IX_EDIT_ADD ? at >= 0 : at < 0)
		return ix_err_set(err, e->op == IX_EDIT_ADD ? IX_EEXIST : IX_ENOENT,
				  e->op == IX_EDIT_ADD ? "node %s already exists" : "no node %s",
				  e->path);
	if (may_edit(p, editor, e->path, err) < 0)
		return -1;
	if ((e->op == IX_EDIT_ADD || e->op == IX_EDIT_PREDICATE) &&
	    (e->predicate == NULL ||
	     ix_pred_parse(e->predicate, strlen(e->predicate), &pr, err) < 0))
		return e->predicate ? ix_err_prefix(err, "predicate") :
		       ix_err_set(err, IX_EINVAL, "missing predicate");
	if ((e->op == IX_EDIT_ADD || e->op == IX_EDIT_RIGHTS) &&
	    (e->rights == NULL ||
	     ix_rights_parse(p->decls, e->rights, strlen(e->rights), NULL, 0, &r, err) < 0)) {
		ix_pred_free(pr);
		return e->rights ? ix_err_prefix(err, "rights") :
		       ix_err_set(err, IX_EINVAL, "missing rights");
	}

	switch (e->op) {
	case IX_EDIT_ADD: {
		char parent[IX_NODE_PATH_MAX + 1];
		long pi;

		if (ix_node_path_parent(e->path, parent, sizeof parent) < 0 ||
		    (pi = ix_policy_find_node(p, parent)) < 0) {
			ix_err_set(err, IX_ENOENT, "node %s has no parent node", e->path);
			goto out;
		}
		if (within_editor(p, editor, e->path, r, err) < 0 ||
		    below(p, e->path, r, parent, p->nodes[pi].rights, err) < 0)
			goto out;
		break;
	}
	case IX_EDIT_REMOVE:
		if (at == 0) {
			ix_err_set(err, IX_EDENIED, "the root node / cannot be removed");
			goto out;
		}
		/* Preorder: the subtree is the run of nodes after it that lie
		 * below it; each of them must be editable too. */
		for (i = (size_t)at;
		     i < p->nnodes && ix_node_path_within(p->nodes[i].path, e->path); i++)
			if (may_edit(p, editor, p->nodes[i].path, err) < 0)
				goto out;
		break;
	case IX_EDIT_PREDICATE:
		break;
	case IX_EDIT_RIGHTS:
		if (at == 0 && !ix_rights_is_top(r)) {
			ix_err_set(err, IX_ECONFLICT, "the root node / must keep ALL");
			goto out;
		}
		if (within_editor(p, editor, e->path, r, err) < 0)
			goto out;
		if (at > 0 && below(p, e->path, r, p->nodes[p->nodes[at].parent].path,
				    p->nodes[p->nodes[at].parent].rights, err) < 0)
			goto out;
		for (i = (size_t)at + 1; i < p->nnodes; i++) {
			if (p->nodes[i].parent != (size_t)at)
				continue;
			if (below(p, p->nodes[i].path, p->nodes[i].rights, e->path, r, err) < 0)
				goto out;
		}
		break;
	}
	rc = 0;
out:
	ix_pred_free(pr);
	ix_rights_free(r);
	return rc;
}
