/*
 * sessiond's machine and its worker's messages (monitor.h). A handler
 * returns -1 only for what a worker that does its job never sends: the
 * caller treats every -1 as fatal for the worker.
 */
#include <stdio.h>
#include <string.h>

#include "sessiond/monitor.h"
#include "sessiond/mproto.h"

static const char *const names[SESS_NSTATES] = {
	[SESS_READY] = "READY", [SESS_IDENTIFIED] = "IDENTIFIED", [SESS_CHECKED] = "CHECKED",
	[SESS_AUTHENTICATED] = "AUTHENTICATED", [SESS_RUNNING] = "RUNNING", [SESS_DONE] = "DONE",
};

#define B IX_MON_BIT
static const uint32_t moves[SESS_NSTATES] = {
	[SESS_READY] = B(SESS_IDENTIFIED) | B(SESS_DONE),
	[SESS_IDENTIFIED] = B(SESS_CHECKED) | B(SESS_DONE),
	[SESS_CHECKED] = B(SESS_AUTHENTICATED) | B(SESS_DONE),
	[SESS_AUTHENTICATED] = B(SESS_RUNNING) | B(SESS_DONE),
	[SESS_RUNNING] = B(SESS_DONE),
	[SESS_DONE] = 0,
};

static int
on_request(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	struct sess_heard *h = ctx;

	if (sess_request_get(m, &h->req, err) < 0)
		return ix_err_prefix(err, "REQUEST");
	/* Descriptors that are not what the worker saw: it swapped them. */
	if (sess_request_claims_hold(&h->req, err) < 0)
		return -1;
	return ix_mon_move(mon, SESS_IDENTIFIED, err);
}

static int
on_reject(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	struct sess_heard *h = ctx;
	const char *stage, *why;

	if (ix_msg_get_str(m, &stage, sizeof h->rejected_at - 1, err) < 0 ||
	    ix_msg_get_str(m, &why, IX_ERR_MSG_MAX - 1, err) < 0 || ix_msg_end(m, err) < 0)
		return ix_err_prefix(err, "REJECT");
	snprintf(h->rejected_at, sizeof h->rejected_at, "%s", stage);
	snprintf(h->rejected, sizeof h->rejected, "%s", why);
	h->rejected_set = true;
	return ix_mon_move(mon, SESS_DONE, err);
}

static int
on_winch(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	struct sess_heard *h = ctx;

	(void)mon;
	if (ix_msg_end(m, err) < 0)
		return ix_err_prefix(err, "WINCH");
	h->winch++;
	return 0;
}

static int
on_hangup(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	struct sess_heard *h = ctx;
	uint8_t why;

	if (ix_msg_get_u8(m, &why, err) < 0 || ix_msg_end(m, err) < 0)
		return ix_err_prefix(err, "HANGUP");
	if (why > SESSIOND_HANGUP_PROTOCOL)
		return ix_err_set(err, IX_EINVAL, "HANGUP for unknown reason %u", why);
	h->hangup = why;
	return ix_mon_move(mon, SESS_DONE, err);
}

static const struct ix_mon_entry table[] = {
	{ SESSIOND_MON_REQUEST, "REQUEST", B(SESS_READY), on_request },
	{ SESSIOND_MON_REJECT, "REJECT", B(SESS_READY), on_reject },
	{ SESSIOND_MON_WINCH, "WINCH", B(SESS_RUNNING), on_winch },
	{ SESSIOND_MON_HANGUP, "HANGUP",
	  B(SESS_IDENTIFIED) | B(SESS_CHECKED) | B(SESS_AUTHENTICATED) | B(SESS_RUNNING), on_hangup },
};
#undef B

const struct ix_mon_machine sess_machine = {
	.service = "sessiond", .range = IX_RANGE_SESSIOND, .states = names,
	.nstates = SESS_NSTATES, .moves = moves, .start = SESS_READY,
	.table = table, .n = sizeof table / sizeof table[0],
};

int
sess_mon_init(struct ix_mon *mon, struct sess_heard *h, struct ix_err *err)
{
	memset(h, 0, sizeof *h);
	sess_request_init(&h->req);
	h->hangup = -1;
	return ix_mon_init(mon, &sess_machine, err);
}

void
sess_heard_free(struct sess_heard *h)
{
	if (h != NULL)
		sess_request_close(&h->req);
}
