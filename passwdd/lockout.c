/*
 * Back-off and lockout decisions over the counters of store.c.
 */
#include <string.h>

#include "passwdd/lockout.h"

int
pw_port_is_console(const char *port)
{
	const char *d;

	if (port == NULL)
		return 0;
	if (strcmp(port, "/dev/console") == 0)
		return 1;
	if (strncmp(port, "/dev/tty", 8) != 0 || port[8] == '\0')
		return 0;
	for (d = port + 8; *d != '\0'; d++)
		if (*d < '0' || *d > '9')
			return 0;
	return 1;
}

uint64_t
pw_backoff_ms(const struct pw_lockout_policy *p, unsigned count)
{
	uint64_t ms = p->base_ms;
	unsigned i;

	if (count == 0)
		return 0;
	for (i = 1; i < count && ms < p->cap_ms; i++)
		ms *= 2;
	return ms < p->cap_ms ? ms : p->cap_ms;
}

enum pw_lock_state
pw_lockout_decide(const struct pw_lockout_policy *p, const char *port, unsigned count,
    int64_t last_ms, int64_t now_ms, int64_t *wait_ms)
{
	int64_t until;

	*wait_ms = 0;
	if (count == 0)
		return PW_LOCK_OPEN;
	if (p->after > 0 && count >= p->after && !pw_port_is_console(port))
		return PW_LOCK_LOCKED;
	until = last_ms + (int64_t)pw_backoff_ms(p, count);
	if (now_ms >= until)
		return PW_LOCK_OPEN;
	*wait_ms = until - now_ms;
	return PW_LOCK_WAIT;
}

enum pw_lock_state
pw_lockout_decide_attempt(const struct pw_lockout_policy *p, const char *port,
    const struct pw_attempt_seen *seen, int64_t now_ms, int64_t *wait_ms)
{
	enum pw_lock_state st;
	int64_t until;

	st = pw_lockout_decide(p, port, seen->key_count, seen->key_last_ms, now_ms, wait_ms);
	if (st == PW_LOCK_LOCKED)
		return st;
	if (p->budget > 0 && seen->user_count >= p->budget) {
		if (!pw_port_is_console(port))
			return PW_LOCK_BUDGET;
		/* The console keeps its turn, one per cap_ms at most. */
		until = seen->user_last_ms + (int64_t)p->cap_ms;
		if (until - now_ms > *wait_ms)
			*wait_ms = until - now_ms;
	}
	if (*wait_ms > (int64_t)p->cap_ms)
		return PW_LOCK_TOO_SOON;
	return *wait_ms > 0 ? PW_LOCK_WAIT : PW_LOCK_OPEN;
}

struct reserve_ctx {
	const struct pw_lockout_policy *p;
	const char *port;
	struct pw_attempt *a;
};

static int
decide_reserve(void *ctx, const struct pw_attempt_seen *seen, int64_t now_ms, int64_t *at_ms,
    struct ix_err *err)
{
	struct reserve_ctx *c = ctx;

	(void)err;
	c->a->state = pw_lockout_decide_attempt(c->p, c->port, seen, now_ms, &c->a->wait_ms);
	if (c->a->state != PW_LOCK_OPEN && c->a->state != PW_LOCK_WAIT)
		return 0;
	/* The attempt is placed at its turn, so that the next reservation's
	 * back-off counts from there: a burst is spaced out, not merely
	 * delayed together. */
	*at_ms = now_ms + c->a->wait_ms;
	return 1;
}

int
pw_lockout_reserve(struct pw_store *st, const struct pw_lockout_policy *p,
    const struct pw_lockout_key *k, int64_t now_ms, struct pw_attempt *a, struct ix_err *err)
{
	struct reserve_ctx c = { p, k->port, a };
	int64_t at;

	a->state = PW_LOCK_LOCKED;
	a->wait_ms = 0;
	if (pw_store_attempt_reserve(st, k->user, k->requester, k->port, now_ms,
				     PW_BUDGET_WINDOW_MS, decide_reserve, &c, &a->seen, &at, &a->id,
				     err) < 0)
		return -1;
	return 0;
}

int
pw_lockout_failed(struct pw_store *st, const struct pw_attempt *a, struct ix_err *err)
{
	return pw_store_attempt_failed(st, a->id, err);
}

int
pw_lockout_passed(struct pw_store *st, const struct pw_lockout_key *k,
    const struct pw_attempt *a, struct ix_err *err)
{
	return pw_store_attempt_passed(st, k->user, k->requester, k->port, a->id, err);
}
