/*
 * Private to liblattice: the representation of rights values.
 *
 * A value is a small array of items sorted by declaration index, holding
 * only identifiers whose value is above the bottom of their lattice, so
 * that equal values have equal arrays and <= is one merge walk without
 * allocation (it runs on every decision). Up to IX_RIGHTS_INLINE items live
 * in the value itself: a node's rights are one read away, and the values a
 * decision builds (the join, the need, the grant) take one allocation.
 */
#ifndef IX_RIGHTS_INT_H
#define IX_RIGHTS_INT_H

#include <stdint.h>

#include "liblattice/rights.h"

struct ix_rdecl {
	char name[IX_RIGHT_NAME_MAX + 1];	/* [a-z][a-z0-9_]* */
	enum ix_right_kind kind;		/* its lattice */
};

struct ix_rdecls {
	const struct ix_label_enc *enc;	/* label names, borrowed */
	struct ix_rdecl *v;		/* declarations by index */
	size_t n;			/* number declared */
	size_t cap;			/* allocated entries of v */
};

struct ix_ritem {
	uint32_t idx;			/* declaration index */
	union {
		struct ix_label label;		/* IX_RK_LABEL, never NO */
		struct ix_re *re;		/* IX_RK_REGEX, one reference owned */
		struct ix_privset ps;		/* IX_RK_PRIVSET */
	} v;				/* unused for IX_RK_PLAIN */
};

#define IX_RIGHTS_INLINE 4

struct ix_rights {
	const struct ix_rdecls *d;	/* declarations, borrowed */
	struct ix_ritem *items;		/* sorted by idx, none at bottom: inl, or
					 * malloc'd beyond IX_RIGHTS_INLINE items */
	size_t n;			/* items in use */
	size_t cap;			/* room in items */
	struct ix_ritem inl[IX_RIGHTS_INLINE]; /* the first items' room */
};

static inline enum ix_right_kind
ix_ritem_kind(const struct ix_rdecls *d, const struct ix_ritem *it)
{
	return d->v[it->idx].kind;
}

/* Item values (rights_item.c). Results of combine are new items whose
 * regex reference the caller owns. */
bool ix_ritem_is_bottom(const struct ix_rdecls *d, const struct ix_ritem *it);
int ix_ritem_le(const struct ix_rdecls *d, const struct ix_ritem *a, const struct ix_ritem *b,
		struct ix_err *err);
int ix_ritem_eq(const struct ix_rdecls *d, const struct ix_ritem *a, const struct ix_ritem *b);
/* a | b, or a & b when meet. */
int ix_ritem_combine(const struct ix_rdecls *d, const struct ix_ritem *a, const struct ix_ritem *b,
		     bool meet, struct ix_ritem *out, struct ix_err *err);
/* The top item of declaration idx; all is a reference to ".*" to share. */
void ix_ritem_top(const struct ix_rdecls *d, uint32_t idx, struct ix_re *all,
		  struct ix_ritem *out);
bool ix_ritem_is_top(const struct ix_rdecls *d, const struct ix_ritem *it, const struct ix_re *all);
void ix_ritem_release(const struct ix_rdecls *d, struct ix_ritem *it);

/*
 * Joins item it into r, keeping r sorted. Takes over it's regex reference
 * in every case (stored, or dropped after the join or on error). A bottom
 * item is dropped. Returns 0 or -1.
 */
int ix_rights_put(struct ix_rights *r, struct ix_ritem *it, struct ix_err *err);

/* The item of r for declaration idx, or NULL. */
const struct ix_ritem *ix_rights_find(const struct ix_rights *r, size_t idx);

/*
 * The invariants of rights values as checks, in debug builds only
 * (without NDEBUG): each asserts what it checks, so that a violation
 * aborts naming the property, and returns true, for use as
 * assert(ix_rights_check_join(a, b, r)). The tests feed them corrupted
 * values to see them fire.
 */
#ifndef NDEBUG
/* r is in the form above: items of declared identifiers in strictly
 * increasing idx order, none at the bottom of its lattice, labels never
 * NO, every regex present. O(items). */
bool ix_rights_check(const struct ix_rights *r);
/* r, the join of a and b, is in form, an upper bound of both, and r <= r. */
bool ix_rights_check_join(const struct ix_rights *a, const struct ix_rights *b,
			  const struct ix_rights *r);
/* r, the meet of a and b, is in form, a lower bound of both, and r <= r. */
bool ix_rights_check_meet(const struct ix_rights *a, const struct ix_rights *b,
			  const struct ix_rights *r);
/* The canonical text of r parses back (without captures) to a value
 * equal to r, which prints the same again. */
bool ix_rights_check_text(const struct ix_rights *r);
#endif

/* Appends the canonical text of one item ("name" or "name(value)") to a
 * growing string. Returns 0 or -1. */
struct ix_strbuf {
	char *s;	/* NUL-terminated text, malloc'd */
	size_t n;	/* its length */
	size_t cap;	/* allocated bytes */
};
int ix_strbuf_add(struct ix_strbuf *b, const char *s, size_t len, struct ix_err *err);
int ix_ritem_print(const struct ix_rdecls *d, const struct ix_ritem *it, struct ix_strbuf *b,
		   struct ix_err *err);

#endif
