/*
 * The monitor's side of the worker (libipc/mon.h, sessiond(8) PROCESSES):
 * sessiond's state machine and the table of what the worker may send in
 * each state. The handlers only read and check what the worker sends and
 * move the machine; the steps (checks, passwdd, the session) are taken by
 * the monitor's conversation (serve.c, open.c) between messages.
 *
 *	READY --REQUEST--> IDENTIFIED --checks--> CHECKED --passwdd-->
 *	AUTHENTICATED --session started--> RUNNING --end--> DONE
 *	READY --REJECT--> DONE; any state but DONE --> DONE (refused,
 *	answered, or the client gone: HANGUP from IDENTIFIED on)
 *
 *	message		permitted in
 *	REQUEST		READY (once: it leaves READY)
 *	REJECT		READY
 *	WINCH		RUNNING
 *	HANGUP		IDENTIFIED, CHECKED, AUTHENTICATED, RUNNING
 *
 * Anything else, in any state, is fatal for the worker.
 */
#ifndef SESSIOND_MONITOR_H
#define SESSIOND_MONITOR_H

#include <stdbool.h>

#include "libipc/mon.h"
#include "sessiond/request.h"

enum sess_state {
	SESS_READY,		/* waiting for the worker's one request */
	SESS_IDENTIFIED,	/* the request is the connection's client's */
	SESS_CHECKED,		/* clearance and port admit it */
	SESS_AUTHENTICATED,	/* passwdd says the person is the user */
	SESS_RUNNING,		/* the session runs */
	SESS_DONE,		/* nothing more: the slot ends */
	SESS_NSTATES
};

/* What the worker's messages have said so far. */
struct sess_heard {
	struct sess_request req;	/* REQUEST, once (descriptors owned) */
	char rejected_at[17];		/* REJECT's stage */
	char rejected[IX_ERR_MSG_MAX];	/* REJECT's words */
	bool rejected_set;		/* REJECT came */
	unsigned winch;			/* WINCHes not yet acted on */
	int hangup;			/* -1, or HANGUP's SESSIOND_HANGUP_* */
};

/* The machine, fixed at build time (checked by sess_mon_init). */
extern const struct ix_mon_machine sess_machine;

/* Starts *mon at READY and *h empty. 0 or -1 with *err. */
int sess_mon_init(struct ix_mon *mon, struct sess_heard *h, struct ix_err *err);
/* Releases what *h holds (the request's descriptors). */
void sess_heard_free(struct sess_heard *h);

#endif
