/*
 * The decisions of sessiond that need no system: may this user work at
 * this label from this port, with which ceiling and which shell. Pure
 * functions of the policy (unit-tested in tests/sessiond/test_sessiond.c).
 */
#ifndef SESSIOND_CHECK_H
#define SESSIOND_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "libauthtree/policy.h"

#define SESSIOND_WHY_MAX 512

/* What the checks grant a request that passes them. */
struct sess_grant {
	struct ix_label label;		/* the label asked for */
	struct ix_label ceiling;	/* clearance high meet port high: never below label */
	bool below_floor;		/* label does not dominate the system floor: nosh */
	bool sealed;			/* label within the policy's seal range */
	char clearance[256];		/* the user's range, as text, for the record */
	char port[256];			/* the port pattern that admitted it */
};

/*
 * Checks, in this order: label parses; login has a clearance that
 * contains it; the first port pattern matching src admits it. Fills *g,
 * below_floor and sealed included.
 * Returns 1 admitted, 0 refused with the reason in why (whysize bytes,
 * written for the person: "refused: ..."), -1 with *err on a failure to
 * decide (a pattern that cannot be matched).
 */
int sess_check(const struct ix_policy *p, const char *login, const char *src,
	       const char *label, struct sess_grant *g, char *why, size_t whysize,
	       struct ix_err *err);

/* Whether the screen must be cleared when moving from label from to label
 * to: everything on it may be read at to only when to dominates from. */
bool sess_must_clear(const struct ix_label *from, const struct ix_label *to);

#endif
