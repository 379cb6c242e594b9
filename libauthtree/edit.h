/*
 * Monotone edits of the authorization tree, all through one check.
 *
 * An edit is bounded twice: by the tree (a node's rights stay dominated by
 * its parent's and dominate its children's) and by its editor (the editor's
 * granted rights must hold edit(L) with every node path touched in L, and
 * must dominate any rights the edit gives a node). So the holder of
 * edit(/dept/physics(/.*)?) may narrow /dept/physics or add nodes below it,
 * but never raise /dept/physics toward /dept's rights. A rejected edit
 * names the offending nodes and changes nothing.
 */
#ifndef IX_EDIT_H
#define IX_EDIT_H

#include "libauthtree/policy.h"

enum ix_edit_op {
	IX_EDIT_ADD = 0,	/* add node path with predicate and rights */
	IX_EDIT_REMOVE,		/* remove the subtree at path */
	IX_EDIT_PREDICATE,	/* change the predicate of path */
	IX_EDIT_RIGHTS,		/* change the rights of path */
};

struct ix_edit {
	enum ix_edit_op op;
	const char *path;	/* node path */
	const char *predicate;	/* ADD, PREDICATE: the new predicate text */
	const char *rights;	/* ADD, RIGHTS: the new rights text */
};

/* An edit block as received, on its own: op known, path a node path
 * ("edit of '/a/../b': ..."), predicate and rights given exactly when op
 * takes them ("edit add /a takes a predicate and rights", "edit remove /a
 * takes no predicate and no rights"), no control character anywhere (an
 * edit is shown on the person's terminal and written to the log). Returns
 * 0 or -1 with *err (IX_EINVAL). */
int ix_edit_valid(const struct ix_edit *e, struct ix_err *err);

/* Checks e against p and the editor's rights (NULL: the database owner,
 * bounded only by the tree). Returns 0 when the edit may be applied, -1
 * with *err naming the nodes and the reason (IX_EDENIED for the editor's
 * bounds, IX_ECONFLICT for monotonicity, IX_EINVAL/IX_ENOENT/IX_EEXIST for
 * bad operands). */
int ix_edit_check(const struct ix_policy *p, const struct ix_edit *e,
		  const struct ix_rights *editor, struct ix_err *err);

/* "add", "remove", "predicate", "rights"; parse returns -1 when unknown. */
const char *ix_edit_op_name(enum ix_edit_op op);
int ix_edit_op_parse(const char *s);

#endif
