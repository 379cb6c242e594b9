/*
 * The label encodings table: names of levels (ranked in insertion order)
 * and of category bits. Names are unique across both kinds so that a name
 * alone tells the parser what it is.
 *
 * Every name is also in a hash table (open addressing, linear probing,
 * never more than half full: at most IX_LEVELS_MAX + IX_CAT_BITS names in
 * NAME_SLOTS slots), because a label is parsed in every decision whose
 * need has a label parameter, and a scan of 256 category names with
 * strncmp was most of such a decision's time.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "liblattice/label.h"
#include "liblattice/label_int.h"

#define NAME_SLOTS 1024	/* a power of two, >= 2 * (IX_LEVELS_MAX + IX_CAT_BITS) */
#define SLOT_CAT 0x8000		/* in a slot: the name is a category's */

_Static_assert(NAME_SLOTS >= 2 * (IX_LEVELS_MAX + IX_CAT_BITS), "name table over half full");

struct ix_label_enc {
	int nlevels;				/* levels defined so far */
	char *levels[IX_LEVELS_MAX];		/* level names by rank */
	char *cats[IX_CAT_BITS];		/* category names by bit, NULL = unnamed */
	/* Every name by its hash: 0 empty, else 1 + rank of a level, or
	 * SLOT_CAT | (1 + bit) of a category. */
	uint16_t slot[NAME_SLOTS];
};

static size_t
name_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h & (NAME_SLOTS - 1);
}

static const char *
slot_name(const struct ix_label_enc *enc, uint16_t v)
{
	return v & SLOT_CAT ? enc->cats[(v & ~SLOT_CAT) - 1] : enc->levels[v - 1];
}

/* The slot value of s[0..len), 0 when it is no name. */
static uint16_t
name_find(const struct ix_label_enc *enc, const char *s, size_t len)
{
	for (size_t h = name_hash(s, len);; h = (h + 1) & (NAME_SLOTS - 1)) {
		uint16_t v = enc->slot[h];
		const char *n;

		if (v == 0)
			return 0;
		n = slot_name(enc, v);
		if (strncmp(n, s, len) == 0 && n[len] == '\0')
			return v;
	}
}

/* Enters a new name (its check_new_name passed, so it is not there). */
static void
name_put(struct ix_label_enc *enc, const char *name, uint16_t v)
{
	size_t h = name_hash(name, strlen(name));

	while (enc->slot[h] != 0)
		h = (h + 1) & (NAME_SLOTS - 1);
	enc->slot[h] = v;
}

static const char *const keywords[] = { "NO", "TOP", "BOTTOM" };

bool
ix_label_is_keyword(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
		if (strlen(keywords[i]) == len && strncasecmp(keywords[i], s, len) == 0)
			return true;
	return false;
}

static bool
is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool
ix_label_name_form(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > IX_LABEL_NAME_MAX || !is_alpha(s[0]))
		return false;
	for (i = 1; i < len; i++)
		if (!is_alpha(s[i]) && !(s[i] >= '0' && s[i] <= '9') && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

struct ix_label_enc *
ix_label_enc_new(void)
{
	return calloc(1, sizeof(struct ix_label_enc));
}

void
ix_label_enc_free(struct ix_label_enc *enc)
{
	int i;

	if (enc == NULL)
		return;
	for (i = 0; i < enc->nlevels; i++)
		free(enc->levels[i]);
	for (i = 0; i < IX_CAT_BITS; i++)
		free(enc->cats[i]);
	free(enc);
}

/* Checks that name can be added as a new level or category name. */
static int
check_new_name(const struct ix_label_enc *enc, const char *name, struct ix_err *err)
{
	size_t len;

	if (name == NULL)
		return ix_err_set(err, IX_EINVAL, "missing label name");
	len = strlen(name);
	if (len > IX_LABEL_NAME_MAX)
		return ix_err_set(err, IX_EINVAL, "label name '%.64s...' is longer than %d bytes",
				  name, IX_LABEL_NAME_MAX);
	if (!ix_label_name_form(name, len))
		return ix_err_set(err, IX_EINVAL,
				  "bad label name '%s': use a letter then letters, digits, '_' or '-'",
				  name);
	if (ix_label_is_keyword(name, len))
		return ix_err_set(err, IX_EINVAL, "label name '%s' is a keyword", name);
	if (ix_label_enc_level_rank(enc, name) >= 0)
		return ix_err_set(err, IX_EEXIST, "label name '%s' is already a level", name);
	if (ix_label_enc_category_bit(enc, name) >= 0)
		return ix_err_set(err, IX_EEXIST, "label name '%s' is already a category", name);
	return 0;
}

int
ix_label_enc_add_level(struct ix_label_enc *enc, const char *name, struct ix_err *err)
{
	char *copy;

	if (enc->nlevels >= IX_LEVELS_MAX)
		return ix_err_set(err, IX_ELIMIT, "too many levels (at most %d)", IX_LEVELS_MAX);
	if (check_new_name(enc, name, err) < 0)
		return -1;
	copy = strdup(name);
	if (copy == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	enc->levels[enc->nlevels] = copy;
	name_put(enc, copy, (uint16_t)(1 + enc->nlevels));
	return enc->nlevels++;
}

int
ix_label_enc_add_category(struct ix_label_enc *enc, const char *name, int bit,
			  struct ix_err *err)
{
	char *copy;

	if (bit < 0 || bit >= IX_CAT_BITS)
		return ix_err_set(err, IX_EINVAL, "category bit %d out of range 0..%d", bit,
				  IX_CAT_BITS - 1);
	if (enc->cats[bit] != NULL)
		return ix_err_set(err, IX_ECONFLICT, "category bit %d is already named '%s'", bit,
				  enc->cats[bit]);
	if (check_new_name(enc, name, err) < 0)
		return -1;
	copy = strdup(name);
	if (copy == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	enc->cats[bit] = copy;
	name_put(enc, copy, (uint16_t)(SLOT_CAT | (1 + bit)));
	return 0;
}

int
ix_label_enc_nlevels(const struct ix_label_enc *enc)
{
	return enc->nlevels;
}

const char *
ix_label_enc_level_name(const struct ix_label_enc *enc, int rank)
{
	if (rank < 0 || rank >= enc->nlevels)
		return NULL;
	return enc->levels[rank];
}

const char *
ix_label_enc_category_name(const struct ix_label_enc *enc, int bit)
{
	if (bit < 0 || bit >= IX_CAT_BITS)
		return NULL;
	return enc->cats[bit];
}

int
ix_label_enc_level_rank_n(const struct ix_label_enc *enc, const char *s, size_t len)
{
	uint16_t v = name_find(enc, s, len);

	return v == 0 || (v & SLOT_CAT) ? -1 : v - 1;
}

int
ix_label_enc_category_bit_n(const struct ix_label_enc *enc, const char *s, size_t len)
{
	uint16_t v = name_find(enc, s, len);

	return v & SLOT_CAT ? (v & ~SLOT_CAT) - 1 : -1;
}

int
ix_label_enc_level_rank(const struct ix_label_enc *enc, const char *name)
{
	return ix_label_enc_level_rank_n(enc, name, strlen(name));
}

int
ix_label_enc_category_bit(const struct ix_label_enc *enc, const char *name)
{
	return ix_label_enc_category_bit_n(enc, name, strlen(name));
}
