/*
 * The monitor's state machine and request table (mon.h).
 */
#include <assert.h>

#include "libipc/mon.h"
#include "libipc/msg_priv.h"

int
ix_mon_init(struct ix_mon *mon, const struct ix_mon_machine *m, struct ix_err *err)
{
	uint32_t all;

	if (m->nstates == 0 || m->nstates > IX_MON_STATES_MAX || m->start >= m->nstates)
		return ix_err_set(err, IX_EINVAL, "%s: %u states, start %u", m->service, m->nstates,
				  m->start);
	all = (uint32_t)((1ull << m->nstates) - 1);
	for (unsigned s = 0; s < m->nstates; s++)
		if (m->states[s] == NULL || (m->moves[s] & ~all) != 0)
			return ix_err_set(err, IX_EINVAL, "%s: state %u unnamed or moving nowhere known",
					  m->service, s);
	for (size_t i = 0; i < m->n; i++) {
		const struct ix_mon_entry *e = &m->table[i];

		if (e->type < m->range || e->type - m->range >= IX_TYPE_RANGE_SIZE ||
		    e->handler == NULL || e->name == NULL || e->in == 0 || (e->in & ~all) != 0)
			return ix_err_set(err, IX_EINVAL, "%s: table entry 0x%04x is malformed",
					  m->service, e->type);
		for (size_t j = 0; j < i; j++)
			if (m->table[j].type == e->type)
				return ix_err_set(err, IX_EINVAL, "%s: table lists 0x%04x twice",
						  m->service, e->type);
	}
	mon->m = m;
	mon->state = m->start;
	return 0;
}

int
ix_mon_move(struct ix_mon *mon, unsigned to, struct ix_err *err)
{
	const struct ix_mon_machine *m = mon->m;

	assert(mon->state < m->nstates);
	assert(to < m->nstates && (m->moves[mon->state] & IX_MON_BIT(to)));
	if (to >= m->nstates || !(m->moves[mon->state] & IX_MON_BIT(to)))
		return ix_err_set(err, IX_ECORRUPT, "%s: no move from %s to state %u", m->service,
				  m->states[mon->state], to);
	mon->state = to;
	return 0;
}

const char *
ix_mon_state(const struct ix_mon *mon)
{
	return mon->m->states[mon->state];
}

int
ix_mon_dispatch(struct ix_mon *mon, struct ix_msg *msg, void *ctx, struct ix_err *err)
{
	const struct ix_mon_machine *m = mon->m;
	const struct ix_mon_entry *e = NULL;

	for (size_t i = 0; i < m->n && e == NULL; i++)
		if (m->table[i].type == msg->type)
			e = &m->table[i];
	if (e == NULL)
		return ix_err_set(err, IX_EDENIED, "%s: worker sent 0x%04x, which it may never send",
				  m->service, msg->type);
	if (!(e->in & IX_MON_BIT(mon->state)))
		return ix_err_set(err, IX_EDENIED, "%s: worker sent %s in state %s", m->service,
				  e->name, m->states[mon->state]);
	if (e->handler(mon, msg, ctx, err) < 0)
		return -1;
	/* A handler that acted without reading the whole message would let
	 * trailing data through unseen: fatal, as in ix_dispatch_one. */
	if (!msg->ended)
		return ix_err_set(err, IX_ECORRUPT, "%s: handler of %s did not read it to its end",
				  m->service, e->name);
	return 0;
}
