/*
 * The label lattice: a hierarchical level plus a set of categories.
 *
 * a <= b iff level(a) <= level(b) and cats(a) is a subset of cats(b).
 * Names come from a label-encodings table (struct ix_label_enc), loaded
 * from the database. Levels are ranked in the order they are added;
 * categories carry a fixed bit number (0..IX_CAT_BITS-1) that is never
 * reused for another name.
 *
 * Special elements: BOTTOM (lowest level, no categories), TOP (highest
 * level, all IX_CAT_BITS categories) and NO, the black hole, adjoined above
 * TOP so that join and meet stay total. NO is the greatest element of the
 * order, but nothing may read or write a NO object: the flow predicates
 * ix_label_can_read/can_write are false whenever a NO label is involved.
 *
 * Canonical text (ix_label_print), parsed back by ix_label_parse:
 *	"NO", "TOP"                       the special elements
 *	"secret"                          a level with no categories
 *	"secret:projectbit,otherbit"      categories in increasing bit order
 *	"projectbit,otherbit"             bottom level with categories
 *	"#255"                            a category bit that has no name
 * "BOTTOM" is accepted on input and printed as the bottom level's name.
 * Names: [A-Za-z][A-Za-z0-9_-]*, at most IX_LABEL_NAME_MAX bytes, unique
 * across levels and categories, not a keyword (NO, TOP, BOTTOM).
 */
#ifndef IX_LABEL_H
#define IX_LABEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libixutil/ix_err.h"

#define IX_CAT_BITS 256
#define IX_CAT_WORDS (IX_CAT_BITS / 64)
#define IX_LEVELS_MAX 256
#define IX_LABEL_NAME_MAX 64
#define IX_LABEL_TEXT_MAX 8192	/* longest text accepted or printed */

#define IX_LABEL_F_NO 0x1	/* the black hole */

struct ix_label {
	uint16_t level;			/* rank, 0 = lowest */
	uint16_t flags;			/* IX_LABEL_F_NO or 0 */
	uint64_t cats[IX_CAT_WORDS];	/* bit i of word i/64 = category i */
};

struct ix_label_enc;	/* opaque names table */

/* Returns a new, empty table (no levels) or NULL when out of memory. */
struct ix_label_enc *ix_label_enc_new(void);
void ix_label_enc_free(struct ix_label_enc *enc);	/* accepts NULL */

/* Appends a level above the existing ones. Returns its rank, or -1. */
int ix_label_enc_add_level(struct ix_label_enc *enc, const char *name, struct ix_err *err);
/* Names category bit `bit`. Returns 0, or -1 (bad name, bit in use, name in use). */
int ix_label_enc_add_category(struct ix_label_enc *enc, const char *name, int bit,
			      struct ix_err *err);

int ix_label_enc_nlevels(const struct ix_label_enc *enc);
/* NULL when rank is out of range. Owned by enc. */
const char *ix_label_enc_level_name(const struct ix_label_enc *enc, int rank);
/* NULL when the bit has no name. Owned by enc. */
const char *ix_label_enc_category_name(const struct ix_label_enc *enc, int bit);
/* Rank of a level / bit of a category by name; -1 when unknown. */
int ix_label_enc_level_rank(const struct ix_label_enc *enc, const char *name);
int ix_label_enc_category_bit(const struct ix_label_enc *enc, const char *name);

void ix_label_bottom(const struct ix_label_enc *enc, struct ix_label *out);
void ix_label_top(const struct ix_label_enc *enc, struct ix_label *out);
void ix_label_no(struct ix_label *out);

bool ix_label_le(const struct ix_label *a, const struct ix_label *b);
bool ix_label_eq(const struct ix_label *a, const struct ix_label *b);
void ix_label_join(const struct ix_label *a, const struct ix_label *b, struct ix_label *out);
void ix_label_meet(const struct ix_label *a, const struct ix_label *b, struct ix_label *out);

/* Bell-LaPadula flow checks: read iff proc dominates obj, write iff obj
 * dominates proc; both false when either label is NO. */
bool ix_label_can_read(const struct ix_label *proc, const struct ix_label *obj);
bool ix_label_can_write(const struct ix_label *proc, const struct ix_label *obj);

bool ix_label_has_cat(const struct ix_label *l, int bit);
void ix_label_set_cat(struct ix_label *l, int bit);
void ix_label_clear_cat(struct ix_label *l, int bit);

/*
 * Parses text (len bytes, need not be NUL-terminated). Errors name the
 * offending name and its 1-based column: "unknown category 'foo' at column
 * 8". Returns 0 or -1.
 */
int ix_label_parse(const struct ix_label_enc *enc, const char *text, size_t len,
		   struct ix_label *out, struct ix_err *err);
/* Canonical text into buf (NUL-terminated). Returns the length, or -1 when
 * buf is too small or the level rank has no name. */
int ix_label_print(const struct ix_label_enc *enc, const struct ix_label *l,
		   char *buf, size_t size, struct ix_err *err);
/*
 * The label by number, for a reader who has no encodings table (it lives
 * in the database): "level#2:#0,#7" (level rank, then category bits in
 * increasing order), "level#0" for the lowest level, "NO". TOP has no
 * number of its own: it prints as its highest level and every bit. Not
 * accepted by ix_label_parse, and never mistaken for canonical text ('#'
 * is in no name). Returns the length, or -1 when buf is too small.
 */
int ix_label_print_raw(const struct ix_label *l, char *buf, size_t size, struct ix_err *err);

#endif
