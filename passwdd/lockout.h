/*
 * Brute-force defence, in two layers over the attempts of store.h:
 *
 *  - per key (user, requester uid, port): exponential back-off, then
 *    lockout after `after` failures. The key includes the requester and
 *    the port so that no local user can lock someone else out by failing
 *    on their behalf elsewhere.
 *  - per user, across every key: a budget of `budget` failures in the
 *    last PW_BUDGET_WINDOW_MS; once spent, every port but the console is
 *    locked for that user. Without it every new pty or requester would
 *    bring `after` more guesses.
 *
 * An attempt is reserved before anything is asked (pw_lockout_reserve),
 * in the transaction that decides it, and counts as a failure until its
 * answer says otherwise: attempts in flight count, so a burst of requests
 * gets no more guesses than requests made one by one, and a monitor that
 * dies between the reservation and the answer leaves a failure counted.
 *
 * The console (/dev/console, /dev/ttyN) is never locked, by key or by
 * budget, only slowed, so an administrator can always log in there.
 * Everything lives in the secrets database, so every worker sees it and
 * it survives a restart.
 */
#ifndef PW_LOCKOUT_H
#define PW_LOCKOUT_H

#include <stdint.h>

#include "passwdd/store.h"

#define PW_BUDGET_DEFAULT 20	/* failures of a user per hour, across all ports */
#define PW_BUDGET_MAX 100000

struct pw_lockout_policy {
	unsigned after;		/* failures that lock a key; 0: never lock */
	unsigned base_ms;	/* back-off after the first failure */
	unsigned cap_ms;	/* longest back-off, and the longest wait for a turn */
	unsigned budget;	/* a user's failures per window that lock every
				 * non-console port; 0: no budget */
};

struct pw_lockout_key {
	const char *user;	/* claimed identity */
	uint32_t requester;	/* uid of the peer that asked */
	const char *port;	/* stream identifier of the party's descriptor */
};

enum pw_lock_state {
	PW_LOCK_OPEN = 0,	/* may try now */
	PW_LOCK_WAIT,		/* may try after *wait_ms */
	PW_LOCK_LOCKED,		/* the key is locked until passwdd-admin unlock */
	PW_LOCK_BUDGET,		/* the user's budget is spent: locked on every
				 * non-console port until it refills or unlock */
	PW_LOCK_TOO_SOON,	/* its turn would come later than cap_ms: refused
				 * now, not counted (console floods, in-flight piles) */
};

/* One reserved (or refused) attempt: what pw_lockout_reserve decided. */
struct pw_attempt {
	enum pw_lock_state state;	/* OPEN or WAIT: reserved; else refused */
	int64_t id;			/* the reservation, -1 when refused */
	int64_t wait_ms;		/* how long to wait before asking; for
					 * TOO_SOON how long until a turn */
	struct pw_attempt_seen seen;	/* the counts it was decided on */
};

/* 1 for /dev/console and /dev/ttyN (N digits), else 0. */
int pw_port_is_console(const char *port);
/* Back-off after count failures: 0 for none, base_ms doubling per
 * failure, at most cap_ms. */
uint64_t pw_backoff_ms(const struct pw_lockout_policy *p, unsigned count);
/* The pure decision for a key with count failures, the last at last_ms.
 * *wait_ms (OUT) is set for PW_LOCK_WAIT, else 0. */
enum pw_lock_state pw_lockout_decide(const struct pw_lockout_policy *p, const char *port,
    unsigned count, int64_t last_ms, int64_t now_ms, int64_t *wait_ms);
/* The pure decision for an attempt on port, given its key's and its
 * user's counts: the key's decision, then the budget (spent: BUDGET off
 * the console; on it a turn no sooner than cap_ms after the user's last
 * attempt), then TOO_SOON when the turn is more than cap_ms away. *wait_ms
 * (OUT) as in struct pw_attempt. */
enum pw_lock_state pw_lockout_decide_attempt(const struct pw_lockout_policy *p,
    const char *port, const struct pw_attempt_seen *seen, int64_t now_ms, int64_t *wait_ms);

/* Decides and, when allowed, reserves an attempt of key at now_ms in one
 * transaction (pw_store_attempt_reserve). Returns 0 with *a (OUT) filled,
 * reserved or refused as a->state says, or -1 with *err. */
int pw_lockout_reserve(struct pw_store *st, const struct pw_lockout_policy *p,
    const struct pw_lockout_key *k, int64_t now_ms, struct pw_attempt *a, struct ix_err *err);
/* The reserved attempt a failed: it stays counted. Returns 0 or -1. */
int pw_lockout_failed(struct pw_store *st, const struct pw_attempt *a, struct ix_err *err);
/* The reserved attempt a of key succeeded: released, and the key's
 * failures forgotten (not the user's budget). Returns 0 or -1. */
int pw_lockout_passed(struct pw_store *st, const struct pw_lockout_key *k,
    const struct pw_attempt *a, struct ix_err *err);

#endif
