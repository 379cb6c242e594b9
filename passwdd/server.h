/*
 * passwdd's server side (passwdd(8)): the settings main() builds, and the
 * slot every connection is served by (libipc/SERVER.md):
 *
 *	main (root, daemon.c)	the kit's ix_srv_serve: accepts, keys by the
 *				peer's real uid, queues fairly, answers
 *				"busy", forks slots ahead
 *	  slot: keeper (slot.c)	root with CAP_KILL only: forks the three
 *				below and ends them together
 *	    monitor		passwdd's user, no capability, Landlock to
 *		(monitor.c)	the secrets database's directory and /proc
 *				read-only, seccomp: owns the secrets store
 *				(hashes, one-time codes, lockout, tags),
 *				reads the peer from the connection, decides
 *				and answers the client
 *	    worker (worker.c)	the workers' user, no capability, no file:
 *				the banner and the client's request, parsed,
 *				checked and relayed as one canonical message
 *	    helper (helper.c)	root with PW_HELPER_CAPS: pex, the prompt and
 *				PAM for this slot only
 *
 * slot.c forks the three; wire.h is what they say to each other.
 */
#ifndef PW_SERVER_H
#define PW_SERVER_H

#include <stddef.h>
#include <sys/types.h>

#include "libcompart/caps.h"
#include "libipc/srv.h"
#include "libixutil/ix_config.h"
#include "libixutil/ix_log.h"
#include "libterm/streamid.h"
#include "passwdd/lockout.h"

#define PW_PROVIDERS_MAX 16
#define PW_WORKER_USER "ixkit-passwdd-worker"

/* The worker's work (ix_srv_worker's run): the production worker is
 * pw_worker_run (worker.c); the compromised-worker test builds passwdd's
 * other sources with a worker of its own. */
typedef int pw_worker_fn(void *arg, int mon);

struct pw_server {
	char secrets_db[IX_PATH_MAX];	/* the secrets database */
	char dbdir[IX_PATH_MAX];	/* its directory (the monitor's Landlock) */
	char socket[IX_PATH_MAX];	/* the listening socket */
	const char *cgroot;		/* cgroup v2 mount, for tags; NULL: none */
	uid_t privd_uid;		/* may ask for any identity; (uid_t)-1: none */
	uid_t sessiond_uid;		/* any identity, and tags; (uid_t)-1: none */
	struct ix_ids ids;		/* the monitor's user (passwdd's) */
	uid_t worker_uid;		/* the worker's user, never 0 */
	gid_t worker_gid;
	pw_worker_fn *worker;		/* the worker's work */
	struct ix_srv_limits lim;	/* main's limits (passwdd(8) lists them) */
	struct pw_lockout_policy lock;	/* back-off and lockout */
	unsigned otp_window;		/* one-time code steps accepted either side */
	int prompt_timeout_ms;		/* how long a person has to answer */
	struct ix_stream_provider prov[PW_PROVIDERS_MAX]; /* trusted terminal providers */
	size_t nprov;			/* entries in prov */
	struct ix_log *log;		/* where events go (the worker has none) */
};

/* A slot (ix_srv_ops.slot): forks the helper and the worker, becomes the
 * monitor, takes one connection from main and serves it. arg is the
 * struct pw_server. Returns the slot's exit status (enum pw_slot_exit). */
int pw_slot(void *arg, int ctl);

enum pw_slot_exit {
	PW_SLOT_OK = 0,		/* served, or retired before a connection */
	PW_SLOT_FAIL = 1,	/* could not prepare or serve (logged) */
	PW_SLOT_WORKER_FATAL = 2, /* the worker broke the monitor's table (logged) */
	PW_SLOT_HELPER_DIED = 3, /* its helper died (main logs it) */
	PW_SLOT_MONITOR_KILLED = 4, /* its monitor was killed (the keeper logs it) */
};

/* The monitor's side of one connection (monitor.c), once confined:
 * serves c with the store st (NULL: it could not be opened), the worker
 * wpid (the keeper's child) on wch and the helper on hch. Returns the
 * monitor's exit status. */
struct pw_store;
int pw_monitor(const struct pw_server *srv, struct pw_store *st, const struct ix_srv_conn *c,
	       pid_t wpid, int wch, int hch);

/* The production worker (worker.c); arg is the struct pw_server. */
int pw_worker_run(void *arg, int mon);

/* The helper's loop (helper.c), in its forked process: answers the
 * monitor mpid on ch until it closes. Returns the exit status. */
int pw_helper_serve(const struct pw_server *srv, int ch, pid_t mpid);

/* The whole daemon (daemon.c): options, preparation, main's narrowing,
 * then ix_srv_serve with worker as the workers' work. Returns the exit
 * status of passwdd(8). */
int pw_daemon(int argc, char **argv, pw_worker_fn *worker);

#endif
