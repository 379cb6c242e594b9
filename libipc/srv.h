/*
 * The server kit: the one skeleton of privd, passwdd and sessiond
 * (libipc/SERVER.md tells the whole shape; this header is its C side).
 *
 *	main (root)		accepts, keys each connection by the real uid
 *				of its peer, queues it fairly, hands it to a
 *				slot; parses nothing a client sends
 *	  slot: monitor		privileged, one per connection, forked ahead:
 *				decides and acts
 *	    worker		a system user of its own, no capability, no
 *				file access: parses what the client sends and
 *				relays it to its monitor (ix_mon, mon.h)
 *
 * Every limit is per key as well as global, so that one local user's
 * flood of connections, stalled handshakes or reconnections cannot keep
 * another user's request waiting: a key has at most per_key slots and
 * queued_per_key waiting connections, waiting connections are handed out
 * round-robin across keys, and a connection that cannot be served gets
 * "busy, try again" (an ERROR before any banner), never silence.
 *
 * Nothing here exits or prints: errors come back through struct ix_err,
 * events go to the log the caller gives.
 */
#ifndef IX_SRV_H
#define IX_SRV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "libipc/ipc.h"
#include "libixutil/ix_log.h"

#define IX_SRV_SLOTS_MAX 512	/* connections served at once, hard bound */
#define IX_SRV_KEYS_MAX 1024	/* distinct keys waiting or served at once */
#define IX_SRV_WAITING_MAX 1024	/* connections waiting for a slot, hard bound */

/* The fairness key of a connection: the real uid of the process at the
 * other end (a setuid program such as su counts as the user who ran it). */
typedef uint32_t ix_srv_key;

struct ix_srv_limits {
	unsigned slots;		/* connections served at once */
	unsigned per_key;	/* of which one key's, at most */
	unsigned per_key_root;	/* the same for key 0 (root: the trusted relays) */
	unsigned queued_per_key; /* connections of one key waiting, at most */
	unsigned spares;	/* slots prepared ahead of their connection */
	int queue_ms;		/* longest wait for a slot before "busy" */
};

/* The limits a server starts from (its man page lists them). */
#define IX_SRV_LIMITS_DEFAULT \
	{ .slots = 128, .per_key = 8, .per_key_root = 64, .queued_per_key = 16, \
	  .spares = 1, .queue_ms = 5000 }

/* ---- the fair queue (srv_queue.c): pure, no I/O ---- */

struct ix_fq_entry {
	int fd;			/* the connection, owned by the queue meanwhile */
	ix_srv_key key;
	int64_t since_ms;	/* when it was accepted */
};

struct ix_fq_key {
	ix_srv_key key;
	unsigned active;	/* connections of this key in slots */
	unsigned queued;	/* of this key waiting */
	bool used;		/* slot of the table in use */
};

struct ix_fq {
	struct ix_srv_limits lim;
	struct ix_fq_key keys[IX_SRV_KEYS_MAX];
	size_t nkeys;		/* high-water mark of keys[] */
	struct ix_fq_entry wait[IX_SRV_WAITING_MAX]; /* FIFO per key, by since_ms */
	size_t nwait;
	size_t cursor;		/* round-robin position in keys[] */
	unsigned active;	/* connections in slots, all keys */
};

/* Starts an empty queue under lim (copied). */
void ix_fq_init(struct ix_fq *q, const struct ix_srv_limits *lim);
/* Takes a new connection of key: 0 queued, or -1 with *err saying why it
 * must be answered "busy" (the key's queue or the whole queue is full);
 * the caller then still owns fd. */
int ix_fq_admit(struct ix_fq *q, ix_srv_key key, int fd, int64_t now_ms, struct ix_err *err);
/* The next connection to hand to a free slot: round-robin over the keys
 * that have one waiting and are under their per-key limit, the oldest of
 * that key. Returns 1 with *out (the connection is then counted active
 * for its key), or 0 when none may go now. */
int ix_fq_next(struct ix_fq *q, struct ix_fq_entry *out);
/* A connection of key handed out by ix_fq_next has ended. */
void ix_fq_done(struct ix_fq *q, ix_srv_key key);
/* Removes one connection that has waited longer than the queue's limit:
 * returns 1 with *out (the caller answers "busy" and closes), 0 when none
 * has. */
int ix_fq_expired(struct ix_fq *q, int64_t now_ms, struct ix_fq_entry *out);
/* Milliseconds until the oldest waiting connection expires (0: now), -1
 * when none waits. */
int ix_fq_next_expiry(const struct ix_fq *q, int64_t now_ms);
/* The per-key limit that applies to key. */
unsigned ix_fq_limit(const struct ix_fq *q, ix_srv_key key);

/* ---- main (srv_main.c) ---- */

struct ix_srv_slot_info {
	pid_t pid;		/* the slot's monitor */
	ix_srv_key key;		/* whose connection it served; 0 before one */
	bool served;		/* it was handed a connection */
};

struct ix_srv_ops {
	const char *service;	/* the service name of the wire (BANNER) */
	/*
	 * In a new slot, right after the fork from main (main's privileges,
	 * main's descriptors but the other slots' and the waiting
	 * connections): prepare what does not depend on the client, fork
	 * the worker, then ix_srv_slot_take and serve. ctl is the slot's
	 * end of its socket to main. Returns the slot's exit status.
	 */
	int (*slot)(void *arg, int ctl);
	/* In main, after a slot has ended (status as waitpid gives it): what
	 * a server must undo when its monitor died mid-work (privd: the
	 * action's cgroup). May be NULL. */
	void (*slot_ended)(void *arg, const struct ix_srv_slot_info *s, int status);
	/* In main, about once a second and before each slot is forked: a
	 * server reloads what changed (privd: the tree). Returns true when
	 * the spares prepared so far are stale and must be retired. May be
	 * NULL. */
	bool (*tick)(void *arg);
};

/*
 * Serves lfd (a listening socket, made non-blocking here) until SIGTERM or
 * SIGINT: accepts, keys, queues, forks slots (ops->slot in each) and
 * hands connections to them, answers "busy" where a limit says so, reaps.
 * Installs its own handlers for SIGTERM, SIGINT, SIGCHLD and ignores
 * SIGPIPE. Returns the number of the signal that stopped it, or -1 with
 * *err when it could not serve at all.
 */
int ix_srv_serve(int lfd, const struct ix_srv_limits *lim, const struct ix_srv_ops *ops,
		 void *arg, struct ix_log *log, struct ix_err *err);

/* The key of the peer of a connected AF_UNIX socket: its effective uid,
 * or, when that is 0, the real uid of the process (a setuid-root program
 * counts as its user). Returns 0 with *key, or -1 with *err. */
int ix_srv_peer_key(int fd, ix_srv_key *key, struct ix_err *err);

/* The text of the "busy" answer main sends, for the clients' messages. */
#define IX_SRV_BUSY_PREFIX "busy: "

/* ---- the slot (srv_slot.c) ---- */

struct ix_srv_conn {
	int fd;			/* the connection, the slot's */
	ix_srv_key key;		/* its key */
	int64_t since_ms;	/* when main accepted it */
};

/* In a slot, once prepared: tells main it is ready and waits for a
 * connection. Returns 1 with *c, 0 when main retired the slot or has gone
 * (the slot then exits quietly), -1 with *err. */
int ix_srv_slot_take(int ctl, struct ix_srv_conn *c, struct ix_err *err);

/* ---- the worker (srv_worker.c) ---- */

struct ix_srv_worker {
	uid_t uid;		/* its system user, never 0 */
	gid_t gid;
	/* Last step of the prelude: the server's own confinement (Landlock,
	 * seccomp). 0, or -1 with *err (the worker then exits 127). */
	int (*confine)(void *arg, struct ix_err *err);
	/* The worker's work, with mon its socket to the monitor (and no
	 * other descriptor but 0-2 on /dev/null). Returns its exit status. */
	int (*run)(void *arg, int mon);
	void *arg;
};

/*
 * Forks the worker. In the child: every descriptor closed but the new
 * channel, 0-2 on /dev/null, signals default, killed when the caller
 * dies, no supplementary group, the worker's gid and uid (real, effective,
 * saved), no capability in any set, the bounding set empty, not dumpable,
 * no_new_privs, then w->confine and w->run. Returns the worker's pid with
 * *mon (the caller's end, close-on-exec), or -1 with *err.
 */
pid_t ix_srv_worker_spawn(const struct ix_srv_worker *w, int *mon, struct ix_err *err);

/* The worker's user: 0 with *uid, *gid, or -1 with *err naming the user
 * and how to create it (sysusers.d). Refuses root. */
int ix_srv_worker_user(const char *name, uid_t *uid, gid_t *gid, struct ix_err *err);

#endif
