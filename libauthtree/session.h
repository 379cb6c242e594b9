/*
 * The session decision (sessiond): may this user work at this label from
 * this port, with which ceiling, and in what kind of session. A pure call
 * on the policy's tables (clearance, port, floor, seal), beside ix_decide:
 * sessiond gathers the facts (login, stream identifier) and acts on the
 * grant; it decides nothing itself.
 */
#ifndef IX_SESSION_H
#define IX_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "libauthtree/policy.h"

#define IX_SESSION_WHY_MAX 512	/* room enough for any refusal */

/* What a session request that passes the checks is granted. */
struct ix_session_grant {
	struct ix_label label;		/* the label asked for */
	struct ix_label ceiling;	/* clearance high meet port high: never below label */
	bool below_floor;		/* label does not dominate the system floor:
					 * the no-surprise shell */
	bool sealed;			/* label within the policy's seal range */
	char clearance[256];		/* the user's range, as text, for the record */
	char port[256];			/* the port pattern that admitted it */
};

/*
 * Decides whether login may open a session at label (text) from stream
 * src, checking in this order: the label parses and is not NO; login has
 * a clearance that contains it; the first port pattern matching src admits
 * it. Fills *g (below_floor and sealed included) as far as the checks got.
 * Returns 1 admitted, 0 refused with the reason in why (whysize bytes,
 * written for the person: "refused: secret is not within the clearance of
 * conf (unclassified..confidential)"), -1 with *err on a failure to decide
 * (a port pattern that cannot be matched).
 */
int ix_decide_session(const struct ix_policy *p, const char *login, const char *src,
		      const char *label, struct ix_session_grant *g, char *why, size_t whysize,
		      struct ix_err *err);

#endif
