/* Rights values: the product lattice of the declared identifiers. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "liblattice/rights.h"
#include "liblattice/rights_int.h"

struct ix_rights *
ix_rights_new(const struct ix_rdecls *d)
{
	struct ix_rights *r = malloc(sizeof *r);

	if (r != NULL) {
		r->d = d;
		r->items = r->inl;
		r->n = 0;
		r->cap = IX_RIGHTS_INLINE;
	}
	return r;
}

void
ix_rights_free(struct ix_rights *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		ix_ritem_release(r->d, &r->items[i]);
	if (r->items != r->inl)
		free(r->items);
	free(r);
}

/* Makes room for n items. */
static int
reserve(struct ix_rights *r, size_t n, struct ix_err *err)
{
	struct ix_ritem *v;
	size_t cap;

	if (n <= r->cap)
		return 0;
	cap = r->cap;
	while (cap < n)
		cap *= 2;
	if (r->items == r->inl) {
		if ((v = malloc(cap * sizeof *v)) == NULL)
			return ix_err_set(err, IX_ENOMEM, "out of memory");
		memcpy(v, r->inl, r->n * sizeof *v);
	} else if ((v = realloc(r->items, cap * sizeof *v)) == NULL) {
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	}
	r->items = v;
	r->cap = cap;
	return 0;
}

struct ix_rights *
ix_rights_top(const struct ix_rdecls *d)
{
	struct ix_rights *r = ix_rights_new(d);
	struct ix_re *all = NULL;
	size_t i;

	if (r == NULL || reserve(r, d->n, NULL) < 0 || ix_re_all(&all, NULL) < 0) {
		ix_rights_free(r);
		return NULL;
	}
	for (i = 0; i < d->n; i++)
		ix_ritem_top(d, (uint32_t)i, all, &r->items[r->n++]);
	ix_re_free(all);
	assert(ix_rights_check(r));
	return r;
}

struct ix_rights *
ix_rights_dup(const struct ix_rights *src)
{
	struct ix_rights *r;
	size_t i;

	if (src == NULL || (r = ix_rights_new(src->d)) == NULL)
		return NULL;
	if (reserve(r, src->n, NULL) < 0) {
		ix_rights_free(r);
		return NULL;
	}
	if (src->n > 0)
		memcpy(r->items, src->items, src->n * sizeof *r->items);
	r->n = src->n;
	for (i = 0; i < r->n; i++)
		if (ix_ritem_kind(r->d, &r->items[i]) == IX_RK_REGEX)
			ix_re_ref(r->items[i].v.re);
	return r;
}

/* Index of the first item with idx >= want. */
static size_t
lower_bound(const struct ix_rights *r, size_t want)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->items[mid].idx < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct ix_ritem *
ix_rights_find(const struct ix_rights *r, size_t idx)
{
	size_t k = lower_bound(r, idx);

	return k < r->n && r->items[k].idx == idx ? &r->items[k] : NULL;
}

int
ix_rights_put(struct ix_rights *r, struct ix_ritem *it, struct ix_err *err)
{
	size_t k = lower_bound(r, it->idx);
	struct ix_ritem j;
	int rc;

	if (ix_ritem_is_bottom(r->d, it)) {
		ix_ritem_release(r->d, it);
		return 0;
	}
	if (k < r->n && r->items[k].idx == it->idx) {
		rc = ix_ritem_combine(r->d, &r->items[k], it, false, &j, err);
		ix_ritem_release(r->d, it);
		if (rc < 0)
			return -1;
		ix_ritem_release(r->d, &r->items[k]);
		r->items[k] = j;
		assert(ix_rights_check(r));
		return 0;
	}
	if (reserve(r, r->n + 1, err) < 0) {
		ix_ritem_release(r->d, it);
		return -1;
	}
	memmove(&r->items[k + 1], &r->items[k], (r->n - k) * sizeof *r->items);
	r->items[k] = *it;
	r->n++;
	/* lower_bound kept the order, and a join of values above the bottom
	 * stays above it */
	assert(ix_rights_check(r));
	return 0;
}

static int
same_decls(const struct ix_rights *a, const struct ix_rights *b, struct ix_err *err)
{
	if (a->d != b->d)
		return ix_err_set(err, IX_EINVAL, "rights values of different declarations");
	return 0;
}

int
ix_rights_le(const struct ix_rights *a, const struct ix_rights *b, struct ix_err *err)
{
	size_t i, k = 0;
	int rc;

	if (same_decls(a, b, err) < 0)
		return -1;
	if (a->n > b->n)
		return 0;
	for (i = 0; i < a->n; i++) {
		while (k < b->n && b->items[k].idx < a->items[i].idx)
			k++;
		if (k == b->n || b->items[k].idx != a->items[i].idx)
			return 0;
		if ((rc = ix_ritem_le(a->d, &a->items[i], &b->items[k], err)) != 1)
			return rc;
	}
	return 1;
}

int
ix_rights_eq(const struct ix_rights *a, const struct ix_rights *b, struct ix_err *err)
{
	size_t i;

	if (same_decls(a, b, err) < 0)
		return -1;
	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (a->items[i].idx != b->items[i].idx ||
		    !ix_ritem_eq(a->d, &a->items[i], &b->items[i]))
			return 0;
	return 1;
}

bool
ix_rights_is_bottom(const struct ix_rights *r)
{
	return r->n == 0;
}

bool
ix_rights_is_top(const struct ix_rights *r)
{
	struct ix_re *all = NULL;
	bool top = r->n == r->d->n;
	size_t i;

	if (top && ix_re_all(&all, NULL) < 0)
		return false;
	for (i = 0; top && i < r->n; i++)
		top = ix_ritem_is_top(r->d, &r->items[i], all);
	ix_re_free(all);
	return top;
}

/* out = a | b (or a & b when meet), built from a merge walk. */
static struct ix_rights *
combine(const struct ix_rights *a, const struct ix_rights *b, bool meet, struct ix_err *err)
{
	struct ix_rights *r;
	struct ix_ritem it;
	size_t i = 0, k = 0;
	int rc = 0;

	if (same_decls(a, b, err) < 0)
		return NULL;
	if ((r = ix_rights_new(a->d)) == NULL || reserve(r, a->n + b->n, err) < 0) {
		ix_rights_free(r);
		ix_err_set(err, IX_ENOMEM, "out of memory");
		return NULL;
	}
	while (rc == 0 && (i < a->n || k < b->n)) {
		const struct ix_ritem *x = i < a->n ? &a->items[i] : NULL;
		const struct ix_ritem *y = k < b->n ? &b->items[k] : NULL;

		if (x != NULL && y != NULL && x->idx == y->idx) {
			rc = ix_ritem_combine(a->d, x, y, meet, &it, err);
			i++;
			k++;
		} else if (meet) {
			/* an identifier only one side holds meets bottom */
			if (y == NULL || (x != NULL && x->idx < y->idx))
				i++;
			else
				k++;
			continue;
		} else {
			if (y == NULL || (x != NULL && x->idx < y->idx)) {
				it = *x;
				i++;
			} else {
				it = *y;
				k++;
			}
			if (ix_ritem_kind(a->d, &it) == IX_RK_REGEX)
				ix_re_ref(it.v.re);
		}
		if (rc == 0)
			rc = ix_rights_put(r, &it, err);
	}
	if (rc < 0) {
		ix_rights_free(r);
		return NULL;
	}
	assert(meet ? ix_rights_check_meet(a, b, r) : ix_rights_check_join(a, b, r));
	return r;
}

struct ix_rights *
ix_rights_join(const struct ix_rights *a, const struct ix_rights *b, struct ix_err *err)
{
	return combine(a, b, false, err);
}

struct ix_rights *
ix_rights_meet(const struct ix_rights *a, const struct ix_rights *b, struct ix_err *err)
{
	return combine(a, b, true, err);
}

int
ix_rights_join_into(struct ix_rights *a, const struct ix_rights *b, struct ix_err *err)
{
	size_t i;

	if (same_decls(a, b, err) < 0)
		return -1;
	/* Item by item into a itself: a decision joins the rights of every
	 * node that holds, and a new value per join was two allocations. */
	for (i = 0; i < b->n; i++) {
		struct ix_ritem it = b->items[i];

		if (ix_ritem_kind(b->d, &it) == IX_RK_REGEX)
			ix_re_ref(it.v.re);
		if (ix_rights_put(a, &it, err) < 0)
			return -1;
	}
	return 0;
}

bool
ix_rights_has(const struct ix_rights *r, size_t i)
{
	return ix_rights_find(r, i) != NULL;
}

/* The item of r for identifier i when it is of kind k. */
static const struct ix_ritem *
find_kind(const struct ix_rights *r, size_t i, enum ix_right_kind k)
{
	if (i >= r->d->n || r->d->v[i].kind != k)
		return NULL;
	return ix_rights_find(r, i);
}

const struct ix_label *
ix_rights_label(const struct ix_rights *r, size_t i)
{
	const struct ix_ritem *it = find_kind(r, i, IX_RK_LABEL);

	return it ? &it->v.label : NULL;
}

const struct ix_re *
ix_rights_regex(const struct ix_rights *r, size_t i)
{
	const struct ix_ritem *it = find_kind(r, i, IX_RK_REGEX);

	return it ? it->v.re : NULL;
}

const struct ix_privset *
ix_rights_privset(const struct ix_rights *r, size_t i)
{
	const struct ix_ritem *it = find_kind(r, i, IX_RK_PRIVSET);

	return it ? &it->v.ps : NULL;
}

#ifndef NDEBUG
bool
ix_rights_check(const struct ix_rights *r)
{
	assert(r->n <= r->cap && (r->n == 0 || r->items != NULL));
	for (size_t i = 0; i < r->n; i++) {
		const struct ix_ritem *it = &r->items[i];

		/* sorted and unique: le and eq walk both arrays in step */
		assert(it->idx < r->d->n);
		assert(i == 0 || r->items[i - 1].idx < it->idx);
		switch (ix_ritem_kind(r->d, it)) {
		case IX_RK_LABEL:
			assert(!(it->v.label.flags & IX_LABEL_F_NO));
			break;
		case IX_RK_REGEX:
			assert(it->v.re != NULL);
			break;
		default:
			break;
		}
		/* an item at the bottom would make equal values unequal arrays */
		assert(!ix_ritem_is_bottom(r->d, it));
	}
	return true;
}

bool
ix_rights_check_join(const struct ix_rights *a, const struct ix_rights *b,
		     const struct ix_rights *r)
{
	/* -1 from ix_rights_le is memory running short in an inclusion test */
	assert(ix_rights_check(r));
	assert(ix_rights_le(r, r, NULL) != 0);
	assert(ix_rights_le(a, r, NULL) != 0);
	assert(ix_rights_le(b, r, NULL) != 0);
	return true;
}

bool
ix_rights_check_meet(const struct ix_rights *a, const struct ix_rights *b,
		     const struct ix_rights *r)
{
	assert(ix_rights_check(r));
	assert(ix_rights_le(r, r, NULL) != 0);
	assert(ix_rights_le(r, a, NULL) != 0);
	assert(ix_rights_le(r, b, NULL) != 0);
	return true;
}
#endif
