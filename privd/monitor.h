/*
 * privd's monitor: its state on one connection and its machine (the
 * states a conversation goes through, and what the worker may send in
 * each; libipc/mon.h). slot.c makes the slot and reads the worker;
 * monitor.c serves the request.
 *
 *	READY --REQUEST--> REQUESTED --DROPPED--> IDENTIFIED -> DECIDED
 *	      -> CONFIRMED -> RUNNING -> DONE
 *	READY --REJECT--> DONE; any state -> DONE
 *	RUNNING: SIGNAL, HANGUP
 */
#ifndef PRIVD_MONITOR_H
#define PRIVD_MONITOR_H

#include <signal.h>
#include <stdbool.h>

#include "libauthtree/policy.h"
#include "libipc/mon.h"
#include "privd/exec.h"
#include "privd/record.h"
#include "privd/request.h"
#include "privd/server.h"

enum privd_state {
	PM_READY,		/* waiting for the worker's relay of the request */
	PM_REQUESTED,		/* have it; waiting for the worker to let go of it */
	PM_IDENTIFIED,		/* the client's login and stream are known */
	PM_DECIDED,		/* the tree has decided */
	PM_CONFIRMED,		/* the person (or the node's unattended) said yes */
	PM_RUNNING,		/* the steps run */
	PM_DONE,
	PM_NSTATES
};

struct privd_conn {
	const struct privd_server *srv;
	int fd;				/* the client's connection: answers only */
	int mon;			/* the worker's channel */
	pid_t worker;			/* the worker */
	struct ix_peer peer;		/* who connected, read from fd */
	struct ixdb *db;		/* this slot's own connection, or NULL */
	const struct ix_policy *p;	/* the tree decided on */
	struct ix_policy *own;		/* a newer tree this monitor loaded, or NULL */
	struct ix_stream_provider prov[PRIVD_PROVIDERS_MAX]; /* the policy's providers */
	size_t nprov;
	struct privd_req *rq;		/* the request as relayed (REQUESTED on) */
	char login[IX_USER_NAME_MAX + 1];	/* the client's login name */
	char src[IX_STREAM_ID_MAX];	/* stream identifier of its fd 0 */
	char req[PRIVD_REQ_ID_LEN + 1];	/* this request's id in the records */
	struct privd_run run;		/* the EXEC step running (RUNNING) */
	bool running;			/* run is started */
	bool hung_up;			/* the worker said the client went away */
	struct ix_mon machine;
};

/* privd's machine (handlers in monitor.c). */
extern const struct ix_mon_machine privd_machine;

/* Set by SIGTERM (main has gone): a running action is ended whole and
 * recorded as abandoned. */
extern volatile sig_atomic_t privd_terminated;
/* The running action's cgroup.kill (-1 when none runs): what the SIGTERM
 * handler writes to. */
extern volatile sig_atomic_t privd_kill_fd;

#endif
