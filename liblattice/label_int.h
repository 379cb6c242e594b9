/*
 * Private to liblattice: pieces of the label code shared between the
 * encodings table, the parser and the rights parser.
 */
#ifndef IX_LABEL_INT_H
#define IX_LABEL_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "liblattice/label.h"

/* Is s[0..len) a keyword (NO, TOP, BOTTOM), in any case? */
bool ix_label_is_keyword(const char *s, size_t len);

/* Does s[0..len) have the form of a name ([A-Za-z][A-Za-z0-9_-]*, at most
 * IX_LABEL_NAME_MAX bytes)? Keywords are not checked here. */
bool ix_label_name_form(const char *s, size_t len);

/* Lookups by a name that is not NUL-terminated; -1 when unknown. */
int ix_label_enc_level_rank_n(const struct ix_label_enc *enc, const char *s, size_t len);
int ix_label_enc_category_bit_n(const struct ix_label_enc *enc, const char *s, size_t len);

/*
 * The parser without the column formatting, so that a caller that parses
 * a label embedded in a larger text (a rights value, possibly after
 * substitution) can report the column in its own text. On error, why holds
 * the message without position and *pos the 0-based offset in text.
 * Returns 0, or -1 with *code set.
 */
int ix_label_parse_pos(const struct ix_label_enc *enc, const char *text, size_t len,
		       struct ix_label *out, char *why, size_t whysize, size_t *pos,
		       enum ix_errcode *code);

/* Is l the bottom element (lowest level, no categories, not NO)? */
bool ix_label_is_bottom(const struct ix_label *l);

/*
 * The invariants of the label lattice as checks, in debug builds only
 * (without NDEBUG): each asserts what it checks, so that a violation
 * aborts naming the property, and returns true, for use as
 * assert(ix_label_check_join(a, b, r)). The tests feed them corrupted
 * values to see them fire.
 */
#ifndef NDEBUG
/* r, the join of a and b, is an upper bound of both, and r <= r. */
bool ix_label_check_join(const struct ix_label *a, const struct ix_label *b,
			 const struct ix_label *r);
/* r, the meet of a and b, is a lower bound of both, and r <= r. */
bool ix_label_check_meet(const struct ix_label *a, const struct ix_label *b,
			 const struct ix_label *r);
/* l, a label of enc's, prints, and its text parses back to l and prints
 * the same again (the canonical text of label.h). */
bool ix_label_check_text(const struct ix_label_enc *enc, const struct ix_label *l);
#endif

#endif
