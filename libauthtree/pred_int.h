/*
 * Private representation of a parsed predicate, shared by the parser
 * (pred.c), the printer (pred_print.c) and the evaluator (pred_eval.c).
 *
 * A predicate is an n-ary tree. Nested "&" inside "&" and "|" inside "|"
 * are flattened at parse time and one-operand groups collapse, so the tree
 * is already in canonical form and printing needs no rewriting.
 */
#ifndef IX_PRED_INT_H
#define IX_PRED_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libauthtree/pred.h"

/* PCRE2 work bounds for one ID/SRC match; an exceeded limit is a
 * non-match, which is the safe answer since predicates have no negation. */
#define IX_PRED_MATCH_LIMIT 100000
#define IX_PRED_DEPTH_LIMIT 1000
#define IX_PRED_HEAP_LIMIT_KB 1024

enum pnode_kind {
	PN_AND,
	PN_OR,
	PN_ANY,
	PN_NONE,
	PN_ID,
	PN_SRC,
	PN_PW,
};

struct pnode {
	enum pnode_kind kind;
	size_t nkids;		/* AND/OR: number of entries in kids */
	struct pnode **kids;	/* AND/OR: operands, in the order written */
	char *text;		/* ID/SRC: pattern as written; PW: the user */
	size_t nlits;		/* ID/SRC: literal alternatives, 0 = use code */
	char **lits;		/* ID/SRC: NUL-terminated, point into one block */
	pcre2_code *code;	/* ID/SRC with nlits == 0: compiled pattern */
	bool jit;		/* code was JIT-compiled */
};

struct ix_pred {
	struct pnode *root;
	/* Read-only while matching, so evaluations in several threads can
	 * share it; NULL when no atom needs PCRE2. */
	pcre2_match_context *mctx;
	bool has_src;		/* an SRC atom occurs */
	bool has_pw;		/* a PW atom occurs */
	size_t nusers;		/* distinct PW users */
	const char **users;	/* PW users in order of first appearance */
};

void ix_pnode_free(struct pnode *n);
/* Length of ix_pred_print's text, without allocating. */
size_t ix_pred_canon_len(const struct ix_pred *p);

#endif
