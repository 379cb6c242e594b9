/*
 * Clearance, port and floor (check.h): libauthtree's session decision
 * (ix_decide_session), in sessiond's own grant until sessiond calls it
 * directly.
 */
#include <string.h>

#include "libauthtree/session.h"
#include "sessiond/check.h"

_Static_assert(sizeof ((struct sess_grant *)0)->clearance ==
	       sizeof ((struct ix_session_grant *)0)->clearance, "clearance text sizes differ");
_Static_assert(sizeof ((struct sess_grant *)0)->port ==
	       sizeof ((struct ix_session_grant *)0)->port, "port text sizes differ");

int
sess_check(const struct ix_policy *p, const char *login, const char *src, const char *label,
	   struct sess_grant *g, char *why, size_t whysize, struct ix_err *err)
{
	struct ix_session_grant ig;
	int r = ix_decide_session(p, login, src, label, &ig, why, whysize, err);

	g->label = ig.label;
	g->ceiling = ig.ceiling;
	g->below_floor = ig.below_floor;
	g->sealed = ig.sealed;
	memcpy(g->clearance, ig.clearance, sizeof g->clearance);
	memcpy(g->port, ig.port, sizeof g->port);
	return r;
}

bool
sess_must_clear(const struct ix_label *from, const struct ix_label *to)
{
	return !ix_label_le(from, to);
}
