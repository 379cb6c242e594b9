/*
 * A decision is a plan: what ix_decide (eval.h) grants, as the typed steps
 * a server carries out in order and nothing else, the rights that bound
 * them, and for each step the facts the server must observe before it asks
 * the person, with what those facts must satisfy. Judging an observed fact
 * against the plan is a second pure call (ix_judge_label, ix_judge_edit):
 * a server gathers facts and acts, it never decides again, and no right's
 * name is written in a server.
 *
 * What a server calls, in order:
 *
 *  1. ix_decide(policy, request, &d, err). When d.allow, d.plan holds the
 *     steps, d.plan.granted and d.plan.held.
 *  2. For each step, the facts its .pre names, each judged as it is
 *     observed: a LABEL or DOWNGRADE step's file opened and its label read,
 *     then ix_judge_label(&d.plan, i, labelled, &before, &after, err); the
 *     request's edit block, ix_judge_edit(&d.plan, policy, d.plan.held,
 *     edit, err) (and with no edit block, edit NULL: an EDIT step then
 *     refuses); an EXEC step's user resolved to ids.
 *  3. The question (unless d.unattended): ix_action_describe(d.action)
 *     and, per step, what was judged ("report: secret:projectbit -> secret").
 *  4. The steps in order, stopping at the first that fails: EDIT through
 *     ix_store_edit_plan (which judges the edit again inside its
 *     transaction, against the tree as it is then); LABEL and DOWNGRADE
 *     only when the file's label is still the `before` judged; EXEC with
 *     exactly exec.argv, exec.envp, exec.caps and exec.ceiling as
 *     exec.user.
 *
 * Ownership: a plan lives inside its struct ix_decision and is freed with
 * it (ix_decision_free). It borrows the policy decided on (which must
 * outlive it) and the decision's action: every string of a step points
 * into d.action.
 */
#ifndef IX_PLAN_H
#define IX_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libauthtree/edit.h"
#include "libauthtree/policy.h"

enum ix_step_kind {
	IX_STEP_EXEC = 0,	/* run a program: EXEC, with PRIV, CEILING, AS, ENV */
	IX_STEP_LABEL,		/* set a file's label: LABEL */
	IX_STEP_DOWNGRADE,	/* remove one category from a file's label: DOWNGRADE */
	IX_STEP_EDIT,		/* apply the request's edit within a subtree: EDIT */
	IX_STEP_COPY,		/* paranoid copy (pcopy): COPY */
	IX_STEP_LICENSE,	/* add licences to a file: LICENSE */
	IX_STEP_UNLICENSE,	/* remove licences from a file: UNLICENSE */
	IX_STEP_REQUIRE,	/* a precondition on dummy licences: REQUIRE */
};

/*
 * Preconditions: facts a server observes after the decision and before
 * the question, and what they must satisfy (bits of struct ix_step.pre).
 */
enum ix_pre {
	/* EXEC: the account it runs as (exec.user, or the server's default
	 * action user) exists; the ids resolved then are the ids it runs with. */
	IX_PRE_USER = 1u << 0,
	/* The file operand is opened once, by descriptor, following no link
	 * (a relative one beneath the client's working directory), before the
	 * question: the file shown is the file acted on. */
	IX_PRE_FILE = 1u << 1,
	/* LABEL, DOWNGRADE: the file's label. ix_judge_label gives the label
	 * the step sets, or refuses; the step is carried out only while the
	 * file's label is still the one judged. */
	IX_PRE_LABEL = 1u << 2,
	/* EDIT: the request's edit block. ix_judge_edit before the question,
	 * and again by the store inside the transaction that writes it. */
	IX_PRE_EDIT = 1u << 3,
	/* COPY: the source's content is the same before and after the copy
	 * (pcopy's hashes). */
	IX_PRE_SOURCE = 1u << 4,
	/* COPY: the destination, where it exists, carries no licence (file
	 * capabilities or a dummy licence): a licensed file is never changed. */
	IX_PRE_UNLICENSED = 1u << 5,
	/* LICENSE, UNLICENSE: every role named as a dummy licence is a right
	 * the policy declares and the granting nodes give (ix_judge_licence).
	 * Adding or removing a role's approval needs that role's right. */
	IX_PRE_ROLES = 1u << 6,
	/* REQUIRE: each named dummy licence is on the file and bound to its
	 * content hash as it is immediately before the step. */
	IX_PRE_LICENSED = 1u << 7,
};

/* EXEC with its modifiers. */
struct ix_step_exec {
	const char *program;	/* absolute path; argv[0] */
	char *const *argv;	/* program and arguments, NULL-terminated */
	size_t argc;		/* entries of argv before the NULL */
	char *const *envp;	/* "NAME=value" per ENV in order, NULL-terminated;
				 * owned by the plan; never NULL (empty without ENV) */
	size_t nenv;		/* entries of envp before the NULL */
	const char *user;	/* AS(user); NULL when the action names none (the
				 * server's default action user) */
	struct ix_privset priv;	/* PRIV as named (empty without PRIV) */
	uint64_t caps;		/* the Linux capabilities of priv: the program's
				 * exact set */
	bool own_privs;		/* priv also names ixkit's own privileges
				 * (downgrade, ...), which no program can hold: a
				 * server refuses to run such a step */
	bool has_ceiling;	/* CEILING given: the program runs in a compartment */
	struct ix_label ceiling; /* its label ceiling */
};

/* LABEL and DOWNGRADE: one file's label. */
struct ix_step_label {
	const char *file;	/* the operand: absolute, or relative beneath the
				 * client's working directory */
	struct ix_label label;	/* LABEL: the label it sets */
	int cat_bit;		/* DOWNGRADE: the category it removes; -1 for LABEL */
	const char *cat;	/* DOWNGRADE: that category's name; NULL for LABEL */
	/* The bound of IX_PRE_LABEL, from the policy and the grant: */
	long bound_right;	/* declaration index of the policy's relabel right
				 * ("relabel" line); -1 when it declares none, and
				 * the rule's need alone bounds the step */
	struct ix_label bound;	/* the granted value of that right (bottom when
				 * the granting nodes give none of it) */
};

/* EDIT: the subtree an edit may touch. */
struct ix_step_edit {
	const char *subtree;	/* node path; the edited node is it or below it */
};

/* COPY. */
struct ix_step_copy {
	const char *src;	/* the file copied */
	const char *dst;	/* where the copy lands (replaced atomically) */
};

/* LICENSE, UNLICENSE, REQUIRE: one file's licences. */
struct ix_step_license {
	const char *file;	/* the file: absolute, or relative beneath the
				 * client's working directory */
	char *const *names;	/* licence names as written, NULL-terminated */
	size_t nnames;		/* entries before the NULL; UNLICENSE with none
				 * removes every licence */
	uint64_t caps;		/* the names that are Linux capabilities, as a
				 * mask of capability numbers (never for REQUIRE) */
	const char *roles[IX_ACTION_ARGS_MAX];	/* the other names: dummy
						 * licences of these roles */
	size_t nroles;
};

struct ix_step {
	enum ix_step_kind kind;		/* which member of the union holds */
	unsigned pre;			/* IX_PRE_* bits */
	const struct ix_prim *prim;	/* the primitive it comes from, in the
					 * decision's action */
	union {
		struct ix_step_exec exec;	/* IX_STEP_EXEC */
		struct ix_step_label label;	/* IX_STEP_LABEL, IX_STEP_DOWNGRADE */
		struct ix_step_edit edit;	/* IX_STEP_EDIT */
		struct ix_step_copy copy;	/* IX_STEP_COPY */
		struct ix_step_license license;	/* IX_STEP_LICENSE, _UNLICENSE,
						 * _REQUIRE */
	};
};

struct ix_plan {
	const struct ix_policy *policy;	/* decided on; borrowed, outlives the plan */
	struct ix_rights *granted;	/* join of the granting nodes' rights
					 * (ix_decision.nodes): dominates the need;
					 * bounds LABEL and DOWNGRADE; owned */
	struct ix_rights *held;		/* join of every node whose predicate holds
					 * for the request, with the passwords as
					 * verified: the requester's rights, which
					 * bound an edit; dominates granted; owned */
	struct ix_step *steps;		/* in the action's order; owned */
	size_t nsteps;			/* entries of steps */
	char **env;			/* storage behind the EXEC step's envp; owned */
};

/*
 * Fills *plan for an allowed decision: policy p, the substituted action a
 * (which must outlive the plan), the granting nodes' join granted and the
 * requester's held (both taken over, freed with the plan even on error).
 * Called by ix_decide; a server never builds a plan. Returns 0, or -1 with
 * *err (memory) and *plan empty.
 */
int ix_plan_build(const struct ix_policy *p, const struct ix_action *a,
		  struct ix_rights *granted, struct ix_rights *held, struct ix_plan *plan,
		  struct ix_err *err);

/* Frees what the plan owns and empties it; accepts an empty plan. */
void ix_plan_free(struct ix_plan *plan);

/* The index of the first step of kind k at or after from, or -1. */
long ix_plan_find(const struct ix_plan *plan, enum ix_step_kind k, size_t from);

/*
 * The label step number `step` of plan gives a file whose label is *before
 * (labelled false: the file carries none; before is then ignored and the
 * bottom label used): LABEL sets its label, DOWNGRADE removes its category.
 * Bounded by the plan's grant when the policy names a relabel right: every
 * category the change removes must be in the granted value of that right,
 * a lowered level needs a granted value whose level reaches the file's, and
 * leaving NO needs the value TOP. Returns 0 with *after, or -1 with *err:
 * IX_EINVAL for a step that is no label step or a DOWNGRADE of a category
 * the file does not carry, IX_EDENIED beyond the granted right (the message
 * names the file, the right and the category: "report: removing category
 * otherbit needs downgrade(otherbit), which the granting nodes do not give").
 */
int ix_judge_label(const struct ix_plan *plan, size_t step, bool labelled,
		   const struct ix_label *before, struct ix_label *after, struct ix_err *err);

/*
 * IX_PRE_ROLES of LICENSE or UNLICENSE step number `step`: each role it
 * names is a right the policy declares and plan->granted holds. An
 * UNLICENSE naming nothing (every licence) and a capability name need no
 * role; the rule's need alone bounds them. Returns 0, or -1 with *err:
 * IX_EDENIED naming the role ("the dummy licence of secadmin needs the
 * right secadmin, which the granting nodes do not give"), IX_EINVAL for a
 * step of another kind.
 */
int ix_judge_licence(const struct ix_plan *plan, size_t step, struct ix_err *err);

/*
 * The one check of an edit, made before the question and again by the
 * store inside the transaction that writes it:
 *   - e (NULL: the request carried no edit block) is valid (ix_edit_valid);
 *   - with a plan, it lies within the subtree of one of the plan's EDIT
 *     steps, an EDIT step has an edit to apply, and an edit has an EDIT
 *     step (plan NULL: an edit not made by a decided request, such as the
 *     database owner's through privtree);
 *   - on tree p (the policy decided on before the question, the tree as it
 *     is in the transaction after it) it keeps every node's rights
 *     dominated by its parent's and dominating its children's, and is
 *     bounded by editor, the editor's rights on p (plan->held before the
 *     question; NULL: the database owner, bounded by the tree alone, which
 *     a plan never is: IX_EINVAL).
 * Returns 0 when the edit may be applied, or -1 with *err naming the nodes:
 * IX_EINVAL malformed or unmatched, IX_EDENIED outside the subtree or the
 * editor's rights, IX_ECONFLICT monotonicity, IX_ENOENT/IX_EEXIST operands.
 */
int ix_judge_edit(const struct ix_plan *plan, const struct ix_policy *p,
		  const struct ix_rights *editor, const struct ix_edit *e, struct ix_err *err);

#endif
