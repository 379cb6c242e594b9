/*
 * The action language of action rules (DESIGN.md §3): a comma-separated
 * list of primitives, and nothing else (no loops, no shell, no variables).
 *
 *	EXEC(path, arg...)     run path with these arguments (path absolute)
 *	PRIV(priv...)          exact capability set of the executed program
 *	CEILING(label)         its label ceiling
 *	AS(user)               the user it runs as
 *	ENV(NAME, value)       one fixed environment variable (repeatable)
 *	LABEL(path, label)     set a file's label
 *	DOWNGRADE(path, cat)   remove category cat from a file's label
 *	EDIT(subtree)          edit the subtree at this node path
 *	COPY(src, dst)         paranoid copy (pcopy)
 *	LICENSE(path, name...) add licences: a name that is a Linux capability
 *	                       (as in PRIV) joins the file's capabilities,
 *	                       any other is a dummy licence of that role,
 *	                       bound to the file's content hash
 *	UNLICENSE(path, name...) remove those licences; UNLICENSE(path) every one
 *	REQUIRE(path, role...) precondition: these dummy licences are on the
 *	                       file and bound to its current content
 *
 * An argument is a bare word (no whitespace, comma, parentheses or double
 * quote) or a double-quoted string in which \" and \\ are the only escapes.
 * "$1".."$9" stand for template captures: an argument that is exactly "$n"
 * becomes the capture as one argument, never re-split; "$n" inside a longer
 * argument is spliced into it; "\$" is a literal dollar in a quoted string.
 *
 * Types are checked on constants at parse time and on substituted values
 * after substitution: a path is absolute and normalised (no "." or ".."
 * component, no "//", no trailing "/"), except the file operand of LABEL,
 * DOWNGRADE, COPY, LICENSE, UNLICENSE and REQUIRE, which may also be relative with no ".."
 * (resolved by the executor beneath the client's working directory); EXEC's
 * program is always absolute; a label parses with the encodings; a category
 * is a known category name; a privilege is a known privilege name; a user
 * is a login name; a subtree is a node path; an ENV name is
 * [A-Za-z_][A-Za-z0-9_]*; a licence name is a privilege or a role
 * ([A-Za-z_][A-Za-z0-9_.-]*, at most 64 bytes), and a role of REQUIRE
 * is no privilege name; no argument holds a control character.
 *
 * Structure: at least one of EXEC, LABEL, DOWNGRADE, EDIT, COPY, LICENSE,
 * UNLICENSE, REQUIRE;
 * PRIV, CEILING, AS and ENV only together with EXEC; EXEC, PRIV, CEILING and
 * AS at most once each; at most IX_ACTION_PRIMS_MAX primitives and
 * IX_ACTION_ARGS_MAX arguments each.
 */
#ifndef IX_ACTION_H
#define IX_ACTION_H

#include <stddef.h>
#include <stdint.h>

#include "libixutil/ix_err.h"
#include "liblattice/label.h"
#include "liblattice/privset.h"

#define IX_ACTION_TEXT_MAX 16384
#define IX_ACTION_PRIMS_MAX 32
#define IX_ACTION_ARGS_MAX 64
#define IX_ACTION_ARG_MAX 4096

enum ix_prim_kind {
	IX_A_EXEC = 0,
	IX_A_PRIV,
	IX_A_CEILING,
	IX_A_AS,
	IX_A_ENV,
	IX_A_LABEL,
	IX_A_DOWNGRADE,
	IX_A_EDIT,
	IX_A_COPY,
	IX_A_LICENSE,
	IX_A_UNLICENSE,
	IX_A_REQUIRE,
};
#define IX_A_LAST IX_A_REQUIRE

/* One primitive after substitution: every argument checked against its
 * type. Typed values are filled for PRIV (priv), CEILING and LABEL (label),
 * DOWNGRADE (cat_bit). */
struct ix_prim {
	enum ix_prim_kind kind;
	size_t nargs;		/* number of entries in args */
	char **args;		/* NUL-terminated strings, owned by the action;
				 * args[nargs] is NULL */
	struct ix_privset priv;	/* PRIV: the set named by args */
	struct ix_label label;	/* CEILING: args[0]; LABEL: args[1] */
	int cat_bit;		/* DOWNGRADE: bit of args[1], else -1 */
};

struct ix_action {
	size_t nprims;		/* number of entries in prims */
	struct ix_prim *prims;	/* in the order written */
};

struct ix_action_tmpl;	/* parsed text with $n placeholders */

/*
 * Parses len bytes of text. ngroups is the number of capture groups of the
 * rule's template: "$n" with n > ngroups is an error. Constant arguments are
 * type-checked now with enc. Errors carry the 1-based column. Returns 0 and
 * a new *out, or -1.
 */
int ix_action_parse(const struct ix_label_enc *enc, const char *text, size_t len,
		    int ngroups, struct ix_action_tmpl **out, struct ix_err *err);
void ix_action_tmpl_free(struct ix_action_tmpl *t);

/*
 * The most any instance of t can ask of a program's launch: every Linux
 * capability its PRIV(...) names is added to *caps (all of them when an
 * argument is a parameter), and prog(arg, path) is called for the program
 * of each EXEC, with NULL when the program is a parameter.
 */
void ix_action_tmpl_bound(const struct ix_action_tmpl *t, uint64_t *caps,
			  void (*prog)(void *arg, const char *path), void *arg);

/* Canonical text (primitives as written, ", " between them and between
 * arguments, quotes only where needed), malloc'd or NULL with *err. */
char *ix_action_tmpl_print(const struct ix_action_tmpl *t, struct ix_err *err);

/*
 * Substitutes captures (caps[n] is "$n", caps[0] the whole match; NULL for
 * a group that did not take part, which is an error if referenced) and
 * type-checks every argument. Errors name the primitive, the argument and
 * the parameter ("DOWNGRADE: '$1' = 'secret/x' is not a category").
 * Returns 0 and a new *out, or -1.
 */
int ix_action_subst(const struct ix_action_tmpl *t, const struct ix_label_enc *enc,
		    const char *const *caps, size_t ncaps,
		    struct ix_action **out, struct ix_err *err);
void ix_action_free(struct ix_action *a);

/* The exact action as the user is shown it before confirming, one
 * primitive per line ("run /lib/tcp/tcpgateway\n  with privileges
 * net_admin\n"), malloc'd or NULL with *err. Every argument is shown with
 * control characters impossible (rejected earlier) and quoted when it holds
 * spaces. */
char *ix_action_describe(const struct ix_action *a, const struct ix_label_enc *enc,
			 struct ix_err *err);

/* "EXEC", "PRIV", ...; and the reverse (-1 when unknown). */
const char *ix_prim_name(enum ix_prim_kind k);
int ix_prim_kind_parse(const char *name, size_t len);

#endif
