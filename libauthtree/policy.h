/*
 * A whole policy in memory: right declarations, label encodings, the
 * authorization tree, the action rules and the tables later servers need
 * (clearances, port suitability, trusted terminal providers, system floor).
 *
 * A struct ix_policy is built by ix_policy_parse (policy text, policy(5)) or
 * by ix_store_load (the database), is validated as a whole (structure,
 * monotonicity) before it is returned, and is immutable afterwards: the
 * evaluator reads it from any number of threads without locks; an edit
 * builds a new one.
 */
#ifndef IX_POLICY_H
#define IX_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libixutil/ix_err.h"
#include "liblattice/label.h"
#include "liblattice/rights.h"
#include "libauthtree/action.h"
#include "libauthtree/pred.h"

#define IX_POLICY_VERSION 1
#define IX_POLICY_TEXT_MAX (64u << 20)	/* 64 MiB of policy text */
#define IX_POLICY_LINE_MAX 65536
#define IX_NODE_PATH_MAX 1024
#define IX_NODES_MAX 1000000
#define IX_RULES_MAX 1000000
#define IX_RULE_NAME_MAX 64
#define IX_TEMPLATE_GROUPS_MAX 9
#define IX_NO_PARENT SIZE_MAX

struct ix_node {
	char *path;		/* "/" or "/a/b"; unique */
	size_t parent;		/* index in policy->nodes, IX_NO_PARENT for the root */
	struct ix_pred *pred;	/* access predicate */
	struct ix_rights *rights; /* rights the node confers */
	bool names_unattended;	/* its rights text names "unattended" itself:
				 * ALL holds it only by implication */
	unsigned line;		/* line of its definition in the text, 0 if from the db */
	unsigned col;		/* column of its path on that line */
};

struct ix_rule {
	char *name;		/* [A-Za-z0-9_-]+, unique */
	char *tmpl_text;	/* PCRE2 pattern, matched against the whole request */
	void *tmpl;		/* pcre2_code *, anchored at both ends */
	uint32_t ngroups;	/* capture groups of the template */
	char *prefix;		/* literal first word of every match, or NULL */
	char *need_text;	/* need as written; may contain $n */
	struct ix_rights *need;	/* parsed need, NULL when it uses $n */
	struct ix_action_tmpl *action; /* parsed action */
	unsigned line;		/* line of its definition, 0 if from the db */
	unsigned col;		/* column of its name on that line */
};

struct ix_range {
	struct ix_label low;	/* lowest label allowed */
	struct ix_label high;	/* highest label allowed */
};

struct ix_clearance {
	char *user;		/* login name */
	struct ix_range range;	/* labels the user may work at */
};

struct ix_port {
	char *pattern;		/* PCRE2 on the stream identifier */
	void *re;		/* pcre2_code *, anchored at both ends */
	struct ix_range range;	/* labels suitable for this port */
};

struct ix_provider {
	char *name;		/* e.g. "sshd" */
	char *path;		/* absolute path of its root-owned binary */
};

struct ix_retired_cat {
	char *name;		/* the name the bit had */
	int bit;		/* never assigned to another name */
};

struct ix_policy_index;		/* login and first-word indexes (eval.c) */

struct ix_policy {
	struct ix_label_enc *enc;	/* level and category names */
	struct ix_rdecls *decls;	/* declared rights */
	struct ix_node *nodes;		/* parents before children (preorder) */
	size_t nnodes;
	struct ix_rule *rules;		/* in the order written */
	size_t nrules;
	struct ix_clearance *clearances; /* sorted by user */
	size_t nclearances;
	struct ix_port *ports;		/* first matching pattern wins */
	size_t nports;
	struct ix_provider *providers;	/* sorted by name */
	size_t nproviders;
	struct ix_retired_cat *retired;	/* retired category bits */
	size_t nretired;
	bool has_floor;			/* whether a system floor is set */
	struct ix_label floor;		/* the system floor */
	bool has_seal;			/* whether some sessions are sealed */
	struct ix_range seal;		/* sessions at a label within are sealed */
	long relabel;			/* declaration index of the label right that
					 * bounds LABEL and DOWNGRADE steps (the
					 * "relabel" line), -1 when none is declared */
	struct ix_policy_index *index;	/* built once, read-only */
};

/*
 * What the writer of a tree checks besides the text itself. Given where a
 * tree is written (privtree import), never where a stored one is loaded
 * (splice.h says why); NULL everywhere means the built-in checks only.
 */
struct ix_policy_opts {
	const char *const *interpreters; /* NULL-terminated program names taken as
					  * interpreters besides the built-in list
					  * (splice.h), or NULL; borrowed */
};

/*
 * Parses a whole policy text (len bytes). name is used in messages
 * ("demo.policy:12:8: unknown category 'projcetbit'"). opts may be NULL.
 * Stops at the first error. On success the policy is validated
 * (ix_policy_validate) and indexed. Returns 0 and *out, or -1.
 */
int ix_policy_parse(const char *name, const char *text, size_t len,
		    const struct ix_policy_opts *opts, struct ix_policy **out,
		    struct ix_err *err);

/* Canonical text of the policy (policy(5)); parse(print(p)) prints the
 * same. malloc'd, caller frees; NULL with *err on failure. */
char *ix_policy_print(const struct ix_policy *p, struct ix_err *err);

void ix_policy_free(struct ix_policy *p);

/*
 * Structure and monotonicity: one root "/" with rights ALL, every other
 * node's parent present, every node's rights dominated by its parent's.
 * Errors name the offending nodes. Returns 0 or -1.
 */
int ix_policy_validate(const struct ix_policy *p, struct ix_err *err);

/* The invariant itself, for assert(): the root grants ALL and every node's
 * rights are dominated by its parent's. Walks the whole tree. */
bool ix_policy_is_monotone(const struct ix_policy *p);

/* Builds the evaluation indexes (called by parse and load). */
int ix_policy_build_index(struct ix_policy *p, struct ix_err *err);

/* Index of the node with this path, or -1. */
long ix_policy_find_node(const struct ix_policy *p, const char *path);

/* Checks a node path's syntax ("/", "/a", "/a/b-c.d"). Returns 0 or -1. */
int ix_node_path_check(const char *path, size_t len, struct ix_err *err);

/* Whether node path lies in the subtree at top: the same node or below it,
 * component by component ("/a/bc" is not within "/a/b"). */
bool ix_node_path_within(const char *path, const char *top);

/* Parent path of path into buf ("/a/b" -> "/a", "/a" -> "/"). */
int ix_node_path_parent(const char *path, char *buf, size_t size);

/* Whether a rights text names the plain right name as an item of its
 * own (not through ALL, not inside a value's parentheses). */
bool ix_rights_text_names(const char *text, const char *name);

/* A node's rights as the text that keeps what it names: canonical text,
 * with "| unattended" after ALL when the node named it (ALL alone holds
 * it only by implication). malloc'd; NULL with *err. */
char *ix_node_rights_text(const struct ix_rights *r, bool names_unattended, struct ix_err *err);

/* Helpers shared by the text parser and the store. opts of add_rule as
 * for ix_policy_parse: NULL when loading a stored tree. */
int ix_policy_add_node(struct ix_policy *p, const char *path, const char *pred,
		       const char *rights, unsigned line, struct ix_err *err);
int ix_policy_add_rule(struct ix_policy *p, const char *name, const char *tmpl,
		       const char *need, const char *action, unsigned line,
		       const struct ix_policy_opts *opts, struct ix_err *err);
int ix_policy_add_clearance(struct ix_policy *p, const char *user, const char *range,
			    struct ix_err *err);
int ix_policy_add_port(struct ix_policy *p, const char *pattern, const char *range,
		       struct ix_err *err);
int ix_policy_add_provider(struct ix_policy *p, const char *name, const char *path,
			   struct ix_err *err);
int ix_policy_set_floor(struct ix_policy *p, const char *label, struct ix_err *err);
int ix_policy_set_seal(struct ix_policy *p, const char *range, struct ix_err *err);
/* Names the label right that bounds relabelling ("relabel downgrade"): it
 * must be declared, of kind label, and named at most once. */
int ix_policy_set_relabel(struct ix_policy *p, const char *right, struct ix_err *err);
int ix_policy_add_retired(struct ix_policy *p, const char *name, int bit, struct ix_err *err);
/* Sorts nodes into preorder and links parents; called after all nodes are
 * added. Errors name a node whose parent is missing. */
int ix_policy_link(struct ix_policy *p, struct ix_err *err);
struct ix_policy *ix_policy_new(struct ix_err *err);

/* Label range text "LOW..HIGH" (or a single label for LOW..LOW). */
int ix_range_parse(const struct ix_label_enc *enc, const char *text, struct ix_range *out,
		   struct ix_err *err);
int ix_range_print(const struct ix_label_enc *enc, const struct ix_range *r, char *buf,
		   size_t size, struct ix_err *err);

#endif
