/* The value of one rights identifier in the lattice of its kind. */
#include <string.h>

#include "liblattice/label_int.h"
#include "liblattice/privset_int.h"
#include "liblattice/rights_int.h"

bool
ix_ritem_is_bottom(const struct ix_rdecls *d, const struct ix_ritem *it)
{
	switch (ix_ritem_kind(d, it)) {
	case IX_RK_LABEL:
		return ix_label_is_bottom(&it->v.label);
	case IX_RK_REGEX:
		return ix_re_is_empty(it->v.re);
	case IX_RK_PRIVSET:
		return ix_privset_is_empty(&it->v.ps);
	default:
		return false;	/* a plain identifier present is its top */
	}
}

int
ix_ritem_le(const struct ix_rdecls *d, const struct ix_ritem *a, const struct ix_ritem *b,
	    struct ix_err *err)
{
	switch (ix_ritem_kind(d, a)) {
	case IX_RK_LABEL:
		return ix_label_le(&a->v.label, &b->v.label);
	case IX_RK_REGEX:
		if (a->v.re == b->v.re)
			return 1;
		return ix_re_subset(a->v.re, b->v.re, err);
	case IX_RK_PRIVSET:
		return ix_privset_le(&a->v.ps, &b->v.ps);
	default:
		return 1;
	}
}

int
ix_ritem_eq(const struct ix_rdecls *d, const struct ix_ritem *a, const struct ix_ritem *b)
{
	switch (ix_ritem_kind(d, a)) {
	case IX_RK_LABEL:
		return ix_label_eq(&a->v.label, &b->v.label);
	case IX_RK_REGEX:
		return a->v.re == b->v.re || ix_re_equal(a->v.re, b->v.re);
	case IX_RK_PRIVSET:
		return ix_privset_eq(&a->v.ps, &b->v.ps);
	default:
		return 1;
	}
}

int
ix_ritem_combine(const struct ix_rdecls *d, const struct ix_ritem *a, const struct ix_ritem *b,
		 bool meet, struct ix_ritem *out, struct ix_err *err)
{
	struct ix_ritem r;
	int rc;

	memset(&r, 0, sizeof r);
	r.idx = a->idx;
	switch (ix_ritem_kind(d, a)) {
	case IX_RK_LABEL:
		(meet ? ix_label_meet : ix_label_join)(&a->v.label, &b->v.label, &r.v.label);
		break;
	case IX_RK_REGEX:
		rc = meet ? ix_re_intersect(a->v.re, b->v.re, &r.v.re, err) :
			    ix_re_union(a->v.re, b->v.re, &r.v.re, err);
		if (rc < 0)
			return -1;
		break;
	case IX_RK_PRIVSET:
		(meet ? ix_privset_meet : ix_privset_join)(&a->v.ps, &b->v.ps, &r.v.ps);
		break;
	default:
		break;
	}
	*out = r;
	return 0;
}

void
ix_ritem_top(const struct ix_rdecls *d, uint32_t idx, struct ix_re *all, struct ix_ritem *out)
{
	memset(out, 0, sizeof *out);
	out->idx = idx;
	switch (d->v[idx].kind) {
	case IX_RK_LABEL:
		ix_label_top(d->enc, &out->v.label);
		break;
	case IX_RK_REGEX:
		out->v.re = ix_re_ref(all);
		break;
	case IX_RK_PRIVSET:
		ix_privset_all(&out->v.ps);
		break;
	default:
		break;
	}
}

bool
ix_ritem_is_top(const struct ix_rdecls *d, const struct ix_ritem *it, const struct ix_re *all)
{
	struct ix_ritem top;
	bool eq;

	if (ix_ritem_kind(d, it) == IX_RK_REGEX)
		return ix_re_equal(it->v.re, all);
	ix_ritem_top(d, it->idx, NULL, &top);
	eq = ix_ritem_eq(d, it, &top);
	return eq;
}

void
ix_ritem_release(const struct ix_rdecls *d, struct ix_ritem *it)
{
	if (ix_ritem_kind(d, it) == IX_RK_REGEX) {
		ix_re_free(it->v.re);
		it->v.re = NULL;
	}
}
