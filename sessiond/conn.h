/*
 * One connection as its monitor serves it (serve.c, open.c): who the
 * client is (from the connection), the worker and its machine, the tree
 * decided on, and the helpers every step shares.
 */
#ifndef SESSIOND_CONN_H
#define SESSIOND_CONN_H

#include <stdbool.h>
#include <sys/types.h>

#include "libipc/mon.h"
#include "libterm/streamid.h"
#include "sessiond/monitor.h"
#include "sessiond/server.h"

struct conn {
	const struct sessiond_server *srv;
	int fd;				/* the connection: the monitor only writes on it */
	int mon;			/* the pair to the worker */
	pid_t worker;			/* the worker, killed when it breaks the protocol */
	int main_ctl;			/* the slot's socket to main: closed when sessiond stops */
	struct ix_peer peer;		/* who connected, read from the connection */
	struct ixdb *db;		/* this monitor's own connection */
	const struct ix_policy *p;	/* the tree decided on */
	struct ix_policy *own;		/* a newer tree this monitor loaded, or NULL */
	struct ix_stream_provider prov[SESSIOND_PROVIDERS_MAX];
	size_t nprov;
	struct ix_mon m;		/* where the conversation with the worker is */
	struct sess_heard heard;	/* what the worker said */
	char login[IX_USER_NAME_MAX + 1];
	char src[IX_STREAM_ID_MAX];	/* stream identifier of the client's fd 0 */
	int stop_r;			/* read end of the self-pipe: SIGTERM, SIGINT, SIGHUP */
	bool worker_gone;		/* the pair closed, or the worker was killed */
	bool worker_fatal;		/* killed for breaking the protocol */
};

/* Serves c once the slot has taken the connection and handed it to the
 * worker. Returns the slot's exit status. */
int sess_serve(struct conn *c);

/* OPEN (open.c), once the machine is IDENTIFIED: checks, passwdd, the
 * session and its end. Returns 0, or -1 when the conversation failed. */
int sess_open(struct conn *c);

/* Appends an audit record (and logs it). 0, or -1 when it cannot be
 * recorded (logged). */
int sess_audit(struct conn *c, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sends m to the client (freed here). 0 or -1. */
int sess_send(struct conn *c, struct ix_msg *m, struct ix_err *err);
/* Answers REFUSED (code SESSIOND_EX_*) with why, logged; moves to DONE. */
int sess_refuse(struct conn *c, uint8_t code, const char *why, struct ix_err *err);
/* The worker broke the protocol (why): logged worker-fatal, killed, the
 * client told unless the session runs; the machine goes to DONE. */
void sess_fatal(struct conn *c, const struct ix_err *why);
/* Moves the machine; a move it does not list is corrupted state: logged,
 * and the monitor exits. */
void sess_move(struct conn *c, enum sess_state to);

/*
 * Reads what the worker sent, waiting at most timeout_ms (0: only what
 * is there already), and dispatches each message. Returns 0 when the
 * conversation may go on (*winch counts sizes to copy), or -1 when it
 * must stop: the client went (HANGUP, machine DONE), the worker ended,
 * or it sent something fatal (logged worker-fatal, the worker killed,
 * the client told unless the session runs).
 */
int sess_hear(struct conn *c, int timeout_ms);

#endif
