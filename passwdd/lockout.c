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

int
pw_lockout_check(struct pw_store *st, const struct pw_lockout_policy *p,
    const struct pw_lockout_key *k, int64_t now_ms, int64_t *wait_ms, struct ix_err *err)
{
	unsigned count;
	int64_t last;

	if (pw_store_fail_get(st, k->user, k->requester, k->port, &count, &last, err) < 0)
		return -1;
	return (int)pw_lockout_decide(p, k->port, count, last, now_ms, wait_ms);
}

int
pw_lockout_failed(struct pw_store *st, const struct pw_lockout_policy *p,
    const struct pw_lockout_key *k, int64_t now_ms, unsigned *count, struct ix_err *err)
{
	int64_t wait;

	if (pw_store_fail_add(st, k->user, k->requester, k->port, now_ms, count, err) < 0)
		return -1;
	return (int)pw_lockout_decide(p, k->port, *count, now_ms, now_ms, &wait);
}

int
pw_lockout_passed(struct pw_store *st, const struct pw_lockout_key *k, struct ix_err *err)
{
	return pw_store_fail_clear(st, k->user, k->requester, k->port, err);
}
