/*
 * Syntax tree of a pattern in the regular subset (private to re_parse.c and
 * re_nfa.c). Nodes live in one array and refer to each other by index, so
 * the tree is freed at once and never walked by recursion deeper than the
 * group nesting limit.
 */
#ifndef IX_RE_AST_H
#define IX_RE_AST_H

#include <stddef.h>
#include <stdint.h>

#include "liblattice/re_impl.h"

/* Groups may nest this deep; keeps every recursion over the tree bounded. */
#define RE_DEPTH_MAX 64

enum re_node_kind {
	RE_N_EPS,	/* the empty string: an empty alternative or () */
	RE_N_SET,	/* one byte out of a set */
	RE_N_CAT,	/* children in sequence */
	RE_N_ALT,	/* any one of the children */
	RE_N_REPEAT,	/* child repeated min..max times */
};

struct re_node {
	enum re_node_kind kind;	/* what the node is */
	int32_t first;		/* first child (CAT, ALT, REPEAT), else -1 */
	int32_t next;		/* next sibling, -1 at the end of a list */
	uint32_t set;		/* index into re_ast.sets (SET) */
	int min;		/* REPEAT: least count */
	int max;		/* REPEAT: greatest count, -1 for unbounded */
};

struct re_ast {
	struct re_node *nodes;	/* all nodes */
	size_t n;		/* nodes used */
	size_t cap;		/* nodes allocated */
	struct re_set *sets;	/* byte sets of the SET nodes */
	size_t nsets;		/* sets used */
	size_t setcap;		/* sets allocated */
	int32_t root;		/* the whole pattern */
};

/* Parses len bytes; on success fills *ast (free with re_ast_fini).
 * Returns 0 or -1 with a message naming the 1-based column. */
int re_parse(const char *pattern, size_t len, struct re_ast *ast, struct ix_err *err);
void re_ast_fini(struct re_ast *ast);

#endif
