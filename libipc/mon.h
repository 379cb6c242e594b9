/*
 * A monitor's dispatch of its worker's requests (libipc/SERVER.md), after
 * OpenSSH's monitor.c: a table of the requests a worker may make, each
 * permitted only in the states it names, over an explicit state machine
 * (the moves it may make from each state). A request outside the table,
 * outside its states, or with a byte left unread is fatal for the worker:
 * the caller logs it and ends the worker, never "recovers". A move that is
 * not in the machine is corrupted internal state: asserted, and refused.
 */
#ifndef IX_MON_H
#define IX_MON_H

#include <stdint.h>

#include "libipc/ipc.h"

#define IX_MON_STATES_MAX 16
#define IX_MON_BIT(s) (1u << (s))

struct ix_mon;

/* Reads m (calling ix_msg_end before it acts), may move the machine with
 * ix_mon_move, returns 0 or -1 with *err. */
typedef int ix_mon_fn(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err);

struct ix_mon_entry {
	uint16_t type;		/* the request's type, in the server's range */
	const char *name;	/* for messages and the log */
	uint32_t in;		/* IX_MON_BIT of each state it is permitted in */
	ix_mon_fn *handler;
};

/* A server's machine, fixed at build time. */
struct ix_mon_machine {
	const char *service;
	uint16_t range;			/* the first type of the server's range */
	const char *const *states;	/* names, by state number */
	unsigned nstates;
	const uint32_t *moves;		/* moves[s]: IX_MON_BIT(t) for each s -> t */
	unsigned start;			/* the state a worker begins in */
	const struct ix_mon_entry *table;
	size_t n;
};

struct ix_mon {
	const struct ix_mon_machine *m;
	unsigned state;			/* where the conversation is */
};

/* Checks the machine (every state named, moves and permissions only
 * between known states, table types in the range and unique, a handler
 * each) and starts *mon at its start state. 0 or -1 with *err. */
int ix_mon_init(struct ix_mon *mon, const struct ix_mon_machine *m, struct ix_err *err);
/* Moves to state to. Returns 0, or -1 with *err (IX_ECORRUPT) when the
 * machine has no such move (asserted in debug and sanitizer builds). */
int ix_mon_move(struct ix_mon *mon, unsigned to, struct ix_err *err);
/* The current state's name. */
const char *ix_mon_state(const struct ix_mon *mon);
/* Permits m's type in the current state and runs its handler. Returns
 * the handler's result, or -1 with *err naming the request and the state
 * (IX_EDENIED) when it is not permitted, or when the handler left part of
 * m unread (IX_ECORRUPT). */
int ix_mon_dispatch(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err);

#endif
