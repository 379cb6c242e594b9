/*
 * sessiond's processes (sessiond(8), PROCESSES): main (sessiond.c) serves
 * the socket through the server kit (libipc/srv.h); each connection has a
 * slot (slot.c): a monitor, privileged, that decides and acts (serve.c,
 * open.c, relay.c), and its worker (worker.c), unprivileged, that reads
 * what the client sends. This header is what they share.
 */
#ifndef SESSIOND_SERVER_H
#define SESSIOND_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "db/ixdb.h"
#include "libauthtree/policy.h"
#include "libixutil/ix_config.h"
#include "libixutil/ix_log.h"

#define SESSIOND_PROVIDERS_MAX 64
#define SESSIOND_WORKER_USER "ixkit-sessiond-worker"

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
	struct ixdb *db;		/* main's connection (main only: a slot opens its own) */
	uid_t worker_uid;		/* ixkit-sessiond-worker */
	gid_t worker_gid;
};

/* The kit's slot (slot.c): prepares, takes one connection, serves it as
 * its monitor with a worker, and returns the slot's exit status. */
int sessiond_slot(void *arg, int ctl);

/* The worker's work (worker.c), with mon its pair to the monitor: the
 * kit's ix_srv_worker.run. Returns its exit status. */
int sessiond_worker_run(void *arg, int mon);

/* Why a relay ended. */
enum sess_end {
	SESS_END_NONE,		/* not ended: the relay goes on */
	SESS_END_SHELL,		/* the shell exited */
	SESS_END_HANGUP,	/* the user's terminal hung up */
	SESS_END_CLIENT,	/* the client went away or broke the protocol */
	SESS_END_STOP,		/* sessiond was told to stop */
	SESS_END_ERROR,		/* relaying failed */
	SESS_END_WORKER,	/* the worker ended */
	SESS_END_FATAL,		/* the worker sent what it may not: killed */
	SESS_END_FOREGROUND,	/* another group took the user's terminal's foreground */
	SESS_END_OPENED,	/* a process opened the user's terminal (watch.h) */
};

struct sess_relay {
	int user_in;		/* the user's terminal (client's fd 0) */
	int user_out;		/* where the session's output goes (client's fd 1) */
	int master;		/* the session pty's master, ours */
	int worker;		/* the pair to the worker: WINCH, HANGUP */
	int shell;		/* pidfd of the shell */
	int stop;		/* readable when sessiond must stop (self-pipe) */
	int main_ctl;		/* the slot's socket to main: its end means stop */
	/* What the worker said (worker readable): SESS_END_NONE to go on. */
	enum sess_end (*from_worker)(void *ctx);
	/* Whether user_in may still be read (watch.h): called every
	 * SESS_WATCH_MS and before each read; SESS_END_NONE to go on. */
	enum sess_end (*guard)(void *ctx);
	void *ctx;
};

/* Relays bytes both ways until the shell exits, the terminal hangs up,
 * the worker says the client went (or goes itself), the guard says the
 * terminal is no longer the client's alone, or sessiond stops; the
 * shell's last output is delivered before it returns. When the guard
 * ends it, the user's terminal is not read again and what was typed on
 * it and not yet read is flushed before it returns. */
enum sess_end sess_relay(const struct sess_relay *r);

/* Copies the window size of the terminal on from to the pty on to. */
void sess_copy_winsize(int from, int to);

#endif
