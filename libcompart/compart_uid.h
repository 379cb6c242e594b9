/*
 * Compartment uids: a sealed compartment never runs as root. A command
 * started as root in it runs as the compartment's own uid (and a gid of
 * the same number, no supplementary group), drawn when the compartment is
 * created, in the manner of systemd's DynamicUser=: from a reserved range,
 * recorded on the compartment's cgroup directory (trusted.ixkit.uid), and
 * released when the directory is removed. Uid 0 without capabilities
 * still owns every root-owned file (/etc/shadow, root's sockets); a uid
 * of its own owns nothing, and two compartments never share one.
 *
 * The built-in range, 2000000000-2000065535, lies in what systemd's
 * UIDS-GIDS.md leaves unused (1879048192-2147352575: above its container
 * ranges, below its foreign range and the signed 32-bit edge) and in what
 * Debian's policy leaves to local allocation above 65535 (adduser never
 * allocates there): clear of Debian's system and user ranges (0-59999),
 * of its on-demand range (60000-64999), of systemd's DynamicUser range
 * (61184-65519), of shadow's subordinate ids (100000-600100000 by
 * default) and LXD's (1000000-1001000000). ixkit.conf's compartment_uids
 * moves it.
 */
#ifndef IX_COMPART_UID_H
#define IX_COMPART_UID_H
#include <sys/types.h>
#include "libixutil/ix_err.h"

#define IX_COMPART_UID_MIN 2000000000u
#define IX_COMPART_UID_MAX 2000065535u

/* A range of uids, both ends included. */
struct ix_uid_range {
	uid_t min;	/* first uid; min = max = 0: the built-in range */
	uid_t max;	/* last uid */
};

/*
 * Draws a uid for the compartment directory named name, open on dir under
 * the compartments' parent open on parent, and records it there: a uid
 * that no other directory under the parent, complete or not, holds (it
 * claims the uid, then checks that no other directory claimed it meanwhile,
 * and starts over if one did: there is no lock for anyone to hold), that
 * the user database knows neither as a user nor as a group, and that is
 * neither 65534 nor 65535. Uids are
 * handed out in turn from a cursor kept on the parent for the range
 * (trusted.ixkit.uid_next.MIN), so that a released uid comes back only
 * after the rest of the range has been drawn. Returns
 * 0 with *uid, or -1: IX_EINVAL for a range that is none or holds 0,
 * IX_ELIMIT when no uid of the range is free (or drawers kept meeting),
 * IX_ECORRUPT when a directory's record is not a uid, IX_ESYS when the
 * user database cannot say whether a uid is free. On failure dir may
 * still carry a claim: the caller removes the directory.
 */
int ix_compart_uid_draw(int parent, int dir, const char *name, const struct ix_uid_range *range,
			uid_t *uid, struct ix_err *err);

/* The uid recorded on the compartment directory open on dir: *uid = 0
 * when it has none (not sealed). Returns 0 or -1 (an unreadable record). */
int ix_compart_uid_read(int dir, const char *name, uid_t *uid, struct ix_err *err);
#endif
