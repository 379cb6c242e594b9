/*
 * Private to the regular-language engine (liblattice/re*.c) and its tests.
 *
 * A language is kept as its minimal DFA in canonical form, so that two
 * automata of the same language are identical byte for byte:
 *   - trimmed: every state is reachable and can reach an accepting state;
 *     the dead state is implicit (transition -1);
 *   - byte classes are the coarsest partition of the 256 bytes (two bytes
 *     share a class iff every state moves the same way on both), numbered
 *     in the order of their smallest byte;
 *   - states are numbered in breadth-first order from the start state (0),
 *     visiting classes in increasing order.
 * The empty language has no states at all.
 */
#ifndef IX_RE_IMPL_H
#define IX_RE_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "liblattice/re.h"

struct re_dfa {
	uint32_t nstates;	/* live states; 0 for the empty language */
	uint32_t nclasses;	/* byte classes, 1..256 */
	uint8_t classmap[256];	/* byte -> class */
	int32_t *trans;		/* nstates * nclasses targets, -1 = dead */
	uint8_t *accept;	/* nstates flags */
};

struct ix_re {
	int refs;		/* reference count, changed with __atomic builtins */
	struct re_dfa dfa;	/* canonical minimal automaton */
	char *text;		/* NUL-terminated pattern of the language */
};

/* Byte sets as 256-bit bitmaps. */
struct re_set {
	uint64_t w[4];		/* bit b set when byte b is a member */
};

static inline bool
re_set_has(const struct re_set *s, unsigned b)
{
	return (s->w[b >> 6] >> (b & 63)) & 1;
}

static inline void
re_set_add(struct re_set *s, unsigned b)
{
	s->w[b >> 6] |= (uint64_t)1 << (b & 63);
}

void re_dfa_fini(struct re_dfa *d);

/* Pattern -> canonical minimal DFA. Errors carry the 1-based column. */
int re_compile_dfa(const char *pattern, size_t len, size_t max_states,
		   struct re_dfa *out, struct ix_err *err);

/*
 * Minimises a deterministic automaton in place and brings it to canonical
 * form. The input may contain unreachable states and states that cannot
 * reach acceptance; start is its start state (-1 for none). Returns 0 or -1
 * (memory).
 */
int re_dfa_minimise(struct re_dfa *d, int32_t start, struct ix_err *err);

/* Only brings a DFA that is already minimal and trimmed, with start state
 * 0, into canonical form (used for literals). Returns 0 or -1. */
int re_dfa_canonicalise(struct re_dfa *d, struct ix_err *err);

enum re_op { RE_OP_UNION, RE_OP_INTERSECT };

/* Product automaton, minimised. Returns 0 or -1 (state limit, memory). */
int re_dfa_product(const struct re_dfa *a, const struct re_dfa *b, enum re_op op,
		   size_t max_states, struct re_dfa *out, struct ix_err *err);

/* 1 when L(a) is a subset of L(b), 0 when not, -1 on error. */
int re_dfa_subset(const struct re_dfa *a, const struct re_dfa *b, struct ix_err *err);

/*
 * The invariants above as checks, in debug builds only (without NDEBUG):
 * each asserts every property it checks, so that a violation aborts naming
 * the property, and returns true, so that callers write
 * assert(re_dfa_check(d, n)) and a release build neither calls nor holds
 * them. The tests feed them corrupted automata to see them fire.
 */
#ifndef NDEBUG
/* d is well formed: 1..256 classes and every byte in one, each transition
 * a state or -1, accept flags 0 or 1, and at most max_states states (0 for
 * no bound). O(states x classes). */
bool re_dfa_check(const struct re_dfa *d, size_t max_states);
/* d is in the canonical form at the top of this file: well formed,
 * trimmed, classes coarsest and numbered by their smallest byte, states
 * breadth-first, and no two states equivalent (Moore's refinement run to
 * its fixed point must end with each state in a block of its own; skipped
 * when that would take more than about a million steps, as on long
 * chains). */
bool re_dfa_check_minimal(const struct re_dfa *d);
/* r is a op b as a lattice needs it: no more states than the product of
 * theirs, a and b included in a union, an intersection included in both,
 * and r included in itself. Costs three inclusion tests. */
bool re_dfa_check_product(const struct re_dfa *a, const struct re_dfa *b, enum re_op op,
			  const struct re_dfa *r);
#endif

/* A pattern in the subset for L(d), NUL-terminated and malloc'ed, at most
 * IX_RE_PATTERN_MAX bytes long. Returns NULL with err set (IX_ELIMIT when
 * no short enough pattern was found, IX_ENOMEM). */
char *re_dfa_to_text(const struct re_dfa *d, struct ix_err *err);

/* Appends the escaped form of byte b to buf (at least 5 bytes); in_class
 * selects the rules inside brackets. Returns the number of bytes written. */
size_t re_escape_byte(unsigned b, bool in_class, char *buf);

#endif
