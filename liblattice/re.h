/*
 * The lattice of regular languages ordered by inclusion: ixkit's own
 * regular-expression engine (PCRE2 is only its test oracle).
 *
 * A pattern in the documented subset (liblattice/REGEX.md) is compiled to
 * the minimal DFA over bytes of its language, with full-match semantics:
 * "abc" matches exactly the string abc, never a substring. Because minimal
 * DFAs are canonical, equality, inclusion, emptiness, union (join) and
 * intersection (meet) are decided exactly (product construction).
 *
 * Subset: literals, escapes (\\ \. \* ... \n \t \xHH, the classes \d \w \s
 * \D \W \S), ".", bracket classes with ranges and negation ([a-z_], [^/]),
 * grouping (...), alternation |, the quantifiers * + ? and bounded {m},
 * {m,}, {m,n}. Everything else (backreferences, lookaround, anchors,
 * lazy or possessive quantifiers, named groups, (?...) syntax) is rejected
 * with a message saying why and where.
 *
 * Limits: a pattern of at most IX_RE_PATTERN_MAX bytes, a repetition bound
 * of at most IX_RE_REPEAT_MAX, and a DFA of at most the state limit (by
 * default IX_RE_STATES_MAX) during construction; a pattern that needs more
 * is rejected with IX_ELIMIT instead of blowing up (e.g. "(a|b)*a(a|b){30}").
 *
 * Compiled objects are immutable and reference-counted, so they can be
 * shared between rights values and threads without copying.
 */
#ifndef IX_RE_H
#define IX_RE_H

#include <stdbool.h>
#include <stddef.h>

#include "libixutil/ix_err.h"

#define IX_RE_PATTERN_MAX 4096
#define IX_RE_REPEAT_MAX 255
#define IX_RE_STATES_MAX 20000

struct ix_re;	/* opaque minimal DFA plus its source text */

/*
 * Compiles len bytes of pattern. max_states 0 means IX_RE_STATES_MAX.
 * On success *out holds a new reference (release with ix_re_free).
 * Errors say what and where: "unsupported backreference \1 at column 4".
 * Returns 0 or -1.
 */
int ix_re_compile(const char *pattern, size_t len, size_t max_states,
		  struct ix_re **out, struct ix_err *err);

/* A new reference to the language {s} (len bytes), for substituting a
 * parameter as an escaped literal. Returns 0 or -1. */
int ix_re_literal(const char *s, size_t len, struct ix_re **out, struct ix_err *err);

/* The empty language and the language of all strings (".*"). */
int ix_re_none(struct ix_re **out, struct ix_err *err);
int ix_re_all(struct ix_re **out, struct ix_err *err);

struct ix_re *ix_re_ref(struct ix_re *re);	/* returns re with one more reference */
void ix_re_free(struct ix_re *re);		/* drops one reference; accepts NULL */

/* Full match of len bytes. */
bool ix_re_match(const struct ix_re *re, const char *s, size_t len);

bool ix_re_is_empty(const struct ix_re *re);
bool ix_re_equal(const struct ix_re *a, const struct ix_re *b);
/* 1 when L(a) is a subset of L(b), 0 when not, -1 on error (out of memory). */
int ix_re_subset(const struct ix_re *a, const struct ix_re *b, struct ix_err *err);

/* Join and meet: new references to minimal DFAs of L(a)|L(b) and L(a)&L(b).
 * Returns 0 or -1 (state limit, memory). */
int ix_re_union(const struct ix_re *a, const struct ix_re *b, struct ix_re **out, struct ix_err *err);
int ix_re_intersect(const struct ix_re *a, const struct ix_re *b, struct ix_re **out, struct ix_err *err);

/*
 * Text of a pattern in the subset whose language is L(re). For a compiled
 * pattern this is its source text; for a union, intersection, literal,
 * none or all it is derived from the automaton, and compiling it again
 * yields an equal language. Owned by re; valid while re is.
 * The empty language prints as "[^\x00-\xff]".
 */
const char *ix_re_text(const struct ix_re *re);

/* Number of states of the minimal DFA (dead state not counted). */
size_t ix_re_nstates(const struct ix_re *re);

/* Escapes len bytes of s so that it compiles to the literal {s}. Writes a
 * NUL-terminated pattern into buf; returns its length, or -1 if it does not
 * fit. */
int ix_re_escape(const char *s, size_t len, char *buf, size_t size, struct ix_err *err);

#endif
