/*
 * Deciding a request: a pure library call (no I/O but the password
 * callback). Given who asks (login, stream identifier of their standard
 * input) and what (the request string, argv joined by single spaces), find
 * the rules whose template matches, the nodes whose predicates hold, and
 * decide whether some matching rule's need is dominated by the join of
 * those nodes' rights.
 *
 * Cheap atoms (ID, SRC) are evaluated first; a password is demanded only
 * when its answer can change the outcome, and each user's at most once per
 * request. Default deny. The decision carries the rule, the granting nodes,
 * the substituted action, an explanation a person can read and, when it
 * allows, the plan a server carries out (plan.h).
 *
 * Invariants (asserted in debug and sanitizer builds): an allowed
 * decision's granted rights dominate its need, the requester's rights
 * dominate the granted ones, and the plan's steps match the action.
 */
#ifndef IX_EVAL_H
#define IX_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "libauthtree/plan.h"
#include "libauthtree/policy.h"

#define IX_REQUEST_MAX 8192
#define IX_PW_DEMANDS_MAX 16

/* Answers a password demand for user: 1 verified, 0 not verified, -1 error
 * (the request is then refused with *err's message). */
typedef int (*ix_password_fn)(void *arg, const char *user, struct ix_err *err);

struct ix_request {
	const char *login;	/* the client's login name */
	uid_t uid;		/* the client's uid, for the record */
	const char *src;	/* stream identifier (DESIGN.md §6) */
	const char *text;	/* the request, argv joined by single spaces */
	ix_password_fn password; /* NULL: every password demand fails */
	void *password_arg;	/* passed to password */
};

struct ix_pw_demand {
	char user[IX_USER_NAME_MAX + 1];	/* whose password was demanded */
	int verified;				/* 1 verified, 0 not */
};

struct ix_decision {
	bool allow;			/* the request is granted */
	bool unattended;		/* no confirmation: a granting node that holds
					 * the need names "unattended" itself (ALL
					 * holds it only by implication), and the
					 * action edits nothing of the tree */
	long rule;			/* index of the rule decided on, -1 if none matched */
	size_t *nodes;			/* granting nodes (indexes), malloc'd */
	size_t nnodes;
	struct ix_action *action;	/* substituted action when allowed */
	struct ix_rights *need;		/* the rule's need after substitution */
	struct ix_pw_demand pw[IX_PW_DEMANDS_MAX]; /* demands made, in order */
	size_t npw;
	char *explanation;		/* why, in words; malloc'd, never NULL on success */
	struct ix_plan plan;		/* when allow: the steps of action, the rights
					 * that bound them and each step's
					 * preconditions (plan.h); empty otherwise */
};

/*
 * Decides req against p. Returns 0 with *out filled (allow or deny; out->plan
 * filled when it allows, borrowing p and out->action), or -1 on an internal
 * error (memory, limits, password callback error) with *err set; *out is
 * then empty. Free with ix_decision_free (which frees the plan too).
 */
int ix_decide(const struct ix_policy *p, const struct ix_request *req,
	      struct ix_decision *out, struct ix_err *err);
void ix_decision_free(struct ix_decision *d);

/* Join of the rights of every node whose predicate holds for login/src with
 * the given verified passwords (users[0..nusers-1]); the editor's rights for
 * edits. NULL with *err on failure. */
struct ix_rights *ix_granted_rights(const struct ix_policy *p, const char *login,
				    const char *src, const char *const *users, size_t nusers,
				    struct ix_err *err);

#endif
