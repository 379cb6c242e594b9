/*
 * The label order, join and meet, and the Bell-LaPadula flow checks.
 *
 * NO is kept in a normal form (level 0, no categories, the NO flag) so that
 * label values can be compared field by field.
 */
#include <assert.h>
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
		ix_label_no(&r);
	} else {
		memset(&r, 0, sizeof r);
		r.level = a->level > b->level ? a->level : b->level;
		for (i = 0; i < IX_CAT_WORDS; i++)
			r.cats[i] = a->cats[i] | b->cats[i];
	}
	assert(ix_label_check_join(a, b, &r));
	*out = r;	/* only now: out may alias a or b, which the check reads */
}

void
ix_label_meet(const struct ix_label *a, const struct ix_label *b, struct ix_label *out)
{
	struct ix_label r;
	int i;

	if (is_no(a)) {
		r = *b;
	} else if (is_no(b)) {
		r = *a;
	} else {
		memset(&r, 0, sizeof r);
		r.level = a->level < b->level ? a->level : b->level;
		for (i = 0; i < IX_CAT_WORDS; i++)
			r.cats[i] = a->cats[i] & b->cats[i];
	}
	assert(ix_label_check_meet(a, b, &r));
	*out = r;	/* only now: out may alias a or b, which the check reads */
}

#ifndef NDEBUG
/* NO is the only flag: le and eq read nothing else of the flags, so a
 * stray bit would be a label that compares like another. */
static void
check_flags(const struct ix_label *l)
{
	assert((l->flags & ~IX_LABEL_F_NO) == 0);
}

bool
ix_label_check_join(const struct ix_label *a, const struct ix_label *b,
		    const struct ix_label *r)
{
	check_flags(r);
	assert(ix_label_le(r, r));
	assert(ix_label_le(a, r));
	assert(ix_label_le(b, r));
	return true;
}

bool
ix_label_check_meet(const struct ix_label *a, const struct ix_label *b,
		    const struct ix_label *r)
{
	check_flags(r);
	assert(ix_label_le(r, r));
	assert(ix_label_le(r, a));
	assert(ix_label_le(r, b));
	return true;
}
#endif

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
