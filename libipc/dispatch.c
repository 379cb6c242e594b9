/*
 * A server's table of permitted requests (PROTOCOL.md "Dispatch"), after
 * OpenSSH's monitor: a request is served only if its type is in the table,
 * the state it needs has been reached, and, for a ONCE request, it has not
 * been served before. Everything else is refused with the type named, and
 * the server ends the conversation.
 */
#include "libipc/msg_priv.h"

int
ix_dispatch_init(struct ix_dispatch *d, const char *service, uint16_t range,
    const struct ix_dispatch_entry *table, size_t n, struct ix_err *err)
{
	size_t i, j;

	if (range % IX_TYPE_RANGE_SIZE != 0 || range == IX_RANGE_COMMON)
		return ix_err_set(err, IX_EINVAL,
		    "%s: 0x%04x is not the start of a server's range", service, range);
	if (n > IX_DISPATCH_MAX)
		return ix_err_set(err, IX_EINVAL,
		    "%s: dispatch table of %zu entries, at most %d", service, n,
		    IX_DISPATCH_MAX);
	for (i = 0; i < n; i++) {
		if (table[i].type < range ||
		    table[i].type - range >= IX_TYPE_RANGE_SIZE)
			return ix_err_set(err, IX_EINVAL,
			    "%s: table entry 0x%04x outside range 0x%04x-0x%04x",
			    service, table[i].type, range,
			    range + IX_TYPE_RANGE_SIZE - 1);
		if (table[i].handler == NULL || table[i].name == NULL)
			return ix_err_set(err, IX_EINVAL,
			    "%s: table entry 0x%04x has no handler or name", service,
			    table[i].type);
		for (j = 0; j < i; j++)
			if (table[j].type == table[i].type)
				return ix_err_set(err, IX_EINVAL,
				    "%s: table lists 0x%04x twice", service,
				    table[i].type);
	}
	d->service = service;
	d->range = range;
	d->table = table;
	d->n = n;
	d->state = 0;
	d->used = 0;
	return 0;
}

void
ix_dispatch_set_state(struct ix_dispatch *d, unsigned bits)
{
	d->state |= bits;
}

const struct ix_dispatch_entry *
ix_dispatch_permit(struct ix_dispatch *d, uint16_t type, struct ix_err *err)
{
	const struct ix_dispatch_entry *e;
	unsigned need;
	size_t i;

	if (type < d->range || type - d->range >= IX_TYPE_RANGE_SIZE) {
		ix_err_set(err, IX_EDENIED,
		    "%s: message type 0x%04x outside the %s range 0x%04x-0x%04x",
		    d->service, type, d->service, d->range,
		    d->range + IX_TYPE_RANGE_SIZE - 1);
		return NULL;
	}
	for (i = 0; i < d->n && d->table[i].type != type; i++)
		;
	if (i == d->n) {
		ix_err_set(err, IX_EDENIED, "%s: unknown request type 0x%04x",
		    d->service, type);
		return NULL;
	}
	e = &d->table[i];
	need = e->requires |
	    ((e->flags & IX_DISPATCH_AFTER_HELLO) ? IX_STATE_HELLO : 0);
	if ((d->state & need) != need) {
		ix_err_set(err, IX_EDENIED,
		    "%s: request %s (0x%04x) out of order: needs state 0x%x, at 0x%x",
		    d->service, e->name, type, need, d->state);
		return NULL;
	}
	if (e->flags & IX_DISPATCH_ONCE) {
		if (d->used & ((uint64_t)1 << i)) {
			ix_err_set(err, IX_EDENIED,
			    "%s: request %s (0x%04x) is permitted only once",
			    d->service, e->name, type);
			return NULL;
		}
		/* Marked before the handler runs, so a failed attempt also
		 * counts. */
		d->used |= (uint64_t)1 << i;
	}
	return e;
}

int
ix_dispatch_one(struct ix_dispatch *d, struct ix_msg *m, void *ctx,
    struct ix_err *err)
{
	const struct ix_dispatch_entry *e = ix_dispatch_permit(d, m->type, err);

	if (e == NULL)
		return -1;
	if (e->handler(d, m, ctx, err) < 0)
		return -1;
	/* A handler that acted without checking the whole message was read
	 * is a bug that would let trailing data through: fail loudly. */
	if (!m->ended)
		return ix_err_set(err, IX_ECORRUPT,
		    "%s: handler of %s (0x%04x) did not call ix_msg_end",
		    d->service, e->name, m->type);
	return 0;
}
