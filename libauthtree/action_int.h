/*
 * Private parts of the action language (action.h), shared by the parser
 * (action.c), the type checks (action_check.c), substitution
 * (action_subst.c) and printing (action_print.c).
 */
#ifndef IX_ACTION_INT_H
#define IX_ACTION_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "libauthtree/action.h"

/*
 * A template argument is one NUL-terminated string in which the byte
 * REF_MARK followed by a digit '1'..'9' stands for "$n". Arguments can never
 * hold a control character (the parser rejects them), so the marker cannot
 * clash with literal text, and a literal '$' (written "\$") is just '$'.
 */
#define REF_MARK '\001'

struct targ {
	char *text;		/* literal bytes and REF_MARK+digit pairs */
	size_t len;		/* strlen(text) */
	int col;		/* 1-based column where the argument starts */
	bool has_ref;		/* text holds at least one REF_MARK */
};

struct tprim {
	enum ix_prim_kind kind;
	int col;		/* column of the primitive's name */
	size_t nargs;		/* number of entries in args */
	struct targ *args;
};

struct ix_action_tmpl {
	size_t nprims;		/* number of entries in prims */
	struct tprim *prims;	/* in the order written */
};

/* Argument types; each primitive's parameters are listed in action_check.c. */
enum atype {
	T_PROG,		/* absolute normalised path */
	T_PATH,		/* absolute normalised path (node path of EDIT) */
	T_FILE,		/* absolute, or relative without "..", normalised */
	T_LABEL,
	T_CAT,
	T_PRIV,
	T_USER,
	T_ENVNAME,
	T_LICNAME,	/* a privilege name or a role */
	T_ROLE,		/* a role: a licence name that names no privilege */
	T_STRING,	/* anything without a control character */
};

struct prim_spec {
	const char *name;	/* "EXEC" */
	size_t min, max;	/* bounds on the number of arguments */
	enum atype first[2];	/* types of the first two parameters */
	const char *pname[2];	/* their names in messages */
	enum atype rest;	/* type of the parameters after those */
	const char *rest_name;	/* its name in messages */
	bool does;		/* does something by itself (not a modifier of EXEC) */
	bool once;		/* at most once per action */
};

const struct prim_spec *ix_prim_spec(enum ix_prim_kind k);

/*
 * Checks value (NUL-terminated, len bytes) as argument number idx of a
 * primitive of kind k and stores its typed meaning in *fill (priv, label,
 * cat_bit) when fill is not NULL. Returns NULL when it is acceptable, else
 * writes a reason ("is not a category") into why and returns why.
 */
const char *ix_action_check_arg(enum ix_prim_kind k, size_t idx, const char *value, size_t len,
				const struct ix_label_enc *enc, struct ix_prim *fill,
				char *why, size_t whysize);

/* v (len bytes) for an error message, into buf: at most 80 bytes, any byte
 * outside printable ASCII as \xNN so that a message never carries a control
 * sequence to a terminal or log. Returns buf. */
const char *ix_action_shown(const char *v, size_t len, char *buf, size_t size);

/* Name of parameter idx of kind k, for messages ("category"). */
const char *ix_action_param_name(enum ix_prim_kind k, size_t idx);

#endif
