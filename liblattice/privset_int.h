/*
 * Private to liblattice: the privilege-set parser without column
 * formatting, for callers that parse a set embedded in a larger text.
 */
#ifndef IX_PRIVSET_INT_H
#define IX_PRIVSET_INT_H

#include "liblattice/privset.h"

/* Longest privilege-set text accepted. */
#define IX_PRIVSET_TEXT_MAX 4096

/* On error, why holds the message without position and *pos the 0-based
 * offset in text. Returns 0, or -1 with *code set. */
int ix_privset_parse_pos(const char *text, size_t len, struct ix_privset *out,
			 char *why, size_t whysize, size_t *pos, enum ix_errcode *code);

bool ix_privset_is_empty(const struct ix_privset *s);

/*
 * The invariants of the privilege-set lattice as checks, in debug builds
 * only (without NDEBUG): each asserts what it checks, so that a violation
 * aborts naming the property, and returns true, for use as
 * assert(ix_privset_check_join(a, b, r)). The tests feed them corrupted
 * sets to see them fire.
 */
#ifndef NDEBUG
/* Every member of s is a named privilege (privset.c keeps no other bit),
 * so that every set prints. */
bool ix_privset_check(const struct ix_privset *s);
/* r, the join of a and b, is a set of named privileges, an upper bound of
 * both, and r <= r. */
bool ix_privset_check_join(const struct ix_privset *a, const struct ix_privset *b,
			   const struct ix_privset *r);
/* r, the meet of a and b, is a set of named privileges, a lower bound of
 * both, and r <= r. */
bool ix_privset_check_meet(const struct ix_privset *a, const struct ix_privset *b,
			   const struct ix_privset *r);
/* s prints, and its text parses back to s and prints the same again. */
bool ix_privset_check_text(const struct ix_privset *s);
#endif

#endif
