/*
 * Brute-force defence: exponential back-off, then lockout after N failures,
 * both keyed on (user, requester uid, port). The key includes the requester
 * and the port so that no local user can lock someone else out by failing
 * on their behalf elsewhere; the console (/dev/console, /dev/ttyN) is
 * never locked, only slowed, so an administrator can always log in there.
 * The counters live in the secrets database (store.c) so that every worker
 * sees them.
 */
#ifndef PW_LOCKOUT_H
#define PW_LOCKOUT_H

#include <stdint.h>

#include "passwdd/store.h"

struct pw_lockout_policy {
	unsigned after;		/* failures that lock a key; 0: never lock */
	unsigned base_ms;	/* back-off after the first failure */
	unsigned cap_ms;	/* longest back-off */
};

struct pw_lockout_key {
	const char *user;	/* claimed identity */
	uint32_t requester;	/* uid of the peer that asked */
	const char *port;	/* stream identifier of the party's descriptor */
};

enum pw_lock_state {
	PW_LOCK_OPEN = 0,	/* may try now */
	PW_LOCK_WAIT,		/* may try after *wait_ms */
	PW_LOCK_LOCKED,		/* locked until passwdd-admin unlock */
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

/* The state of key at now_ms; returns it, or -1 with *err. */
int pw_lockout_check(struct pw_store *st, const struct pw_lockout_policy *p,
    const struct pw_lockout_key *k, int64_t now_ms, int64_t *wait_ms, struct ix_err *err);
/* Counts a failure; returns the state it leaves the key in, or -1. */
int pw_lockout_failed(struct pw_store *st, const struct pw_lockout_policy *p,
    const struct pw_lockout_key *k, int64_t now_ms, unsigned *count, struct ix_err *err);
/* A success forgets the key's failures. Returns 0 or -1. */
int pw_lockout_passed(struct pw_store *st, const struct pw_lockout_key *k, struct ix_err *err);

#endif
