/*
 * What sessiond's main hands to each forked worker, and the worker's
 * parts: the relay between the user's terminal and the session's pty
 * (relay.c) and the end of a session, on every path (worker.c).
 */
#ifndef SESSIOND_SERVER_H
#define SESSIOND_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "libauthtree/policy.h"
#include "libixutil/ix_config.h"
#include "libixutil/ix_log.h"

#define SESSIOND_PROVIDERS_MAX 64

struct sessiond_server {
	struct ix_config cfg;		/* db, rundir, log, audit head */
	struct ix_log *log;		/* one line per event */
	char passwdd[IX_PATH_MAX];	/* passwdd's socket: authentication, tags */
	char blackhole[IX_PATH_MAX];	/* cwd the shell starts in */
	const char *nosh;		/* the shell below the system floor */
	int prompt_timeout_ms;		/* the person's time to authenticate */
	uint32_t admin_lifetime;	/* seconds an administrator session's tag lives */
	struct ix_policy *policy;	/* the tree loaded by main, complete */
	int64_t gen;			/* database generation policy was loaded at */
};

/* Serves one connection (in its own process) and returns its exit status:
 * 0 when the conversation ended normally, 1 otherwise. */
int sessiond_worker(const struct sessiond_server *srv, int fd);

/* Why a relay ended. */
enum sess_end {
	SESS_END_SHELL,		/* the shell exited */
	SESS_END_HANGUP,	/* the user's terminal hung up */
	SESS_END_CLIENT,	/* the client went away or broke the protocol */
	SESS_END_STOP,		/* sessiond was told to stop */
	SESS_END_ERROR,		/* relaying failed */
};

struct sess_relay {
	int user_in;		/* the user's terminal (client's fd 0) */
	int user_out;		/* where the session's output goes (client's fd 1) */
	int master;		/* the session pty's master, ours */
	int conn;		/* the client connection: WINCH, or its close */
	int shell;		/* pidfd of the shell */
	int stop;		/* readable when sessiond must stop (self-pipe) */
	struct ix_log *log;	/* for what the client sent wrongly */
};

/* Relays bytes both ways and window sizes from the user's terminal until
 * the shell exits, the terminal hangs up, the client goes or stop is
 * readable; the shell's last output is delivered before it returns. */
enum sess_end sess_relay(const struct sess_relay *r);

/* Copies the window size of the terminal on from to the pty on to. */
void sess_copy_winsize(int from, int to);

#endif
