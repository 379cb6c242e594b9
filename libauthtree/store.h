/*
 * The policy in the database (db/): load it into memory, replace it as a
 * whole (import), or change it by one monotone edit. Every change is one
 * transaction that also appends an audit record and bumps the generation
 * counter; on any error nothing is written.
 */
#ifndef IX_STORE_H
#define IX_STORE_H

#include "db/ixdb.h"
#include "libauthtree/edit.h"
#include "libauthtree/eval.h"
#include "libauthtree/policy.h"

/* Where a change landed in the audit chain, for the caller's log. */
struct ix_audit_ref {
	int64_t seq;		/* sequence number of the record */
	char hex[65];		/* its chain hash in hex */
};

/* Loads, validates and indexes the stored policy. IX_ENOENT when the
 * database holds none yet. */
int ix_store_load(struct ixdb *db, struct ix_policy **out, struct ix_err *err);

/* For a server holding *p loaded at generation *gen: when the database's
 * generation has moved, loads the new tree and replaces *p and *gen.
 * Returns 1 replaced, 0 unchanged, -1 with *err (*p and *gen kept). */
int ix_store_reload(struct ixdb *db, struct ix_policy **p, int64_t *gen, struct ix_err *err);

/* For one request in a process forked from such a server: the tree to
 * decide on is p (loaded at generation gen) unless the database has moved
 * on since; then a tree loaded now, left in *own for the caller to free.
 * Returns the tree, or NULL with *err. */
const struct ix_policy *ix_store_current(struct ixdb *db, const struct ix_policy *p, int64_t gen,
					 struct ix_policy **own, struct ix_err *err);

/*
 * Replaces the stored policy by p (already validated). Category bits are
 * checked against every bit the database has ever assigned: a bit keeps its
 * name forever; a category missing from p is retired, not forgotten.
 * actor names who did it in the audit record; head_path is the audit head
 * file (may be NULL). Returns 0 or -1.
 */
int ix_store_save(struct ixdb *db, const struct ix_policy *p, const char *actor,
		  const char *head_path, struct ix_audit_ref *ref, struct ix_err *err);

/* Who makes an edit: the rights the tree grants this login from this
 * stream with these verified passwords bound the edit. */
struct ix_editor {
	const char *login;		/* the editor's login name */
	const char *src;		/* stream identifier of their standard input */
	const char *const *users;	/* users whose passwords were verified */
	size_t nusers;
};

/*
 * Applies one edit: inside one write transaction, loads the current policy,
 * computes the editor's rights on it (editor NULL: the database owner,
 * bounded only by monotonicity), judges the edit (ix_judge_edit with no
 * plan), writes it, appends the audit record and bumps the generation. ref
 * (may be NULL) receives the audit record's place. A rejected edit leaves
 * the database as it was.
 */
int ix_store_edit(struct ixdb *db, const struct ix_edit *e, const struct ix_editor *editor,
		  const char *actor, const char *head_path, struct ix_audit_ref *ref,
		  struct ix_err *err);

/*
 * ix_store_edit for the EDIT step of a decided request: the edit is judged
 * with plan (its EDIT step's subtree bounds it) by the same ix_judge_edit a
 * server called before the question, now on the tree inside the write
 * transaction and with editor's rights computed on it (editor must not be
 * NULL: the requester, with the passwords the decision verified). plan
 * NULL is ix_store_edit. Returns 0 or -1 with *err; a rejected edit leaves
 * the database as it was.
 */
int ix_store_edit_plan(struct ixdb *db, const struct ix_plan *plan, const struct ix_edit *e,
		       const struct ix_editor *editor, const char *actor, const char *head_path,
		       struct ix_audit_ref *ref, struct ix_err *err);

#endif
