/*
 * The label order, join and meet, and the Bell-LaPadula flow checks.
 *
 * NO is kept in a normal form (level 0, no categories, the NO flag) so that
 * label values can be compared field by field.
 */
#include <string.h>

#include "liblattice/label.h"
#include "liblattice/label_int.h"

void
ix_label_bottom(const struct ix_label_enc *enc, struct ix_label *out)
{
	memset(out, 0, sizeof *out);
}

void
ix_label_top(const struct ix_label_enc *enc, struct ix_label *out)
{
	int n = ix_label_enc_nlevels(enc);

	memset(out, 0, sizeof *out);
	out->level = (uint16_t)(n > 0 ? n - 1 : 0);
	memset(out->cats, 0xff, sizeof out->cats);
}

void
ix_label_no(struct ix_label *out)
{
	memset(out, 0, sizeof *out);
	out->flags = IX_LABEL_F_NO;
}

static bool
is_no(const struct ix_label *l)
{
	return (l->flags & IX_LABEL_F_NO) != 0;
}

bool
ix_label_is_bottom(const struct ix_label *l)
{
	int i;

	if (is_no(l) || l->level != 0)
		return false;
	for (i = 0; i < IX_CAT_WORDS; i++)
		if (l->cats[i] != 0)
			return false;
	return true;
}

bool
ix_label_le(const struct ix_label *a, const struct ix_label *b)
{
	int i;

	if (is_no(b))
		return true;
	if (is_no(a))
		return false;
	if (a->level > b->level)
		return false;
	for (i = 0; i < IX_CAT_WORDS; i++)
		if ((a->cats[i] & ~b->cats[i]) != 0)
			return false;
	return true;
}

bool
ix_label_eq(const struct ix_label *a, const struct ix_label *b)
{
	if (is_no(a) || is_no(b))
		return is_no(a) && is_no(b);
	return a->level == b->level && memcmp(a->cats, b->cats, sizeof a->cats) == 0;
}

void
ix_label_join(const struct ix_label *a, const struct ix_label *b, struct ix_label *out)
{
	struct ix_label r;
	int i;

	if (is_no(a) || is_no(b)) {
		ix_label_no(out);
		return;
	}
	memset(&r, 0, sizeof r);
	r.level = a->level > b->level ? a->level : b->level;
	for (i = 0; i < IX_CAT_WORDS; i++)
		r.cats[i] = a->cats[i] | b->cats[i];
	*out = r;	/* out may alias a or b */
}

void
ix_label_meet(const struct ix_label *a, const struct ix_label *b, struct ix_label *out)
{
	struct ix_label r;
	int i;

	if (is_no(a)) {
		*out = *b;
		return;
	}
	if (is_no(b)) {
		*out = *a;
		return;
	}
	memset(&r, 0, sizeof r);
	r.level = a->level < b->level ? a->level : b->level;
	for (i = 0; i < IX_CAT_WORDS; i++)
		r.cats[i] = a->cats[i] & b->cats[i];
	*out = r;
}

bool
ix_label_can_read(const struct ix_label *proc, const struct ix_label *obj)
{
	return !is_no(proc) && !is_no(obj) && ix_label_le(obj, proc);
}

bool
ix_label_can_write(const struct ix_label *proc, const struct ix_label *obj)
{
	return !is_no(proc) && !is_no(obj) && ix_label_le(proc, obj);
}

bool
ix_label_has_cat(const struct ix_label *l, int bit)
{
	if (bit < 0 || bit >= IX_CAT_BITS)
		return false;
	return (l->cats[bit / 64] >> (bit % 64)) & 1;
}

void
ix_label_set_cat(struct ix_label *l, int bit)
{
	if (bit >= 0 && bit < IX_CAT_BITS)
		l->cats[bit / 64] |= UINT64_C(1) << (bit % 64);
}

void
ix_label_clear_cat(struct ix_label *l, int bit)
{
	if (bit >= 0 && bit < IX_CAT_BITS)
		l->cats[bit / 64] &= ~(UINT64_C(1) << (bit % 64));
}
