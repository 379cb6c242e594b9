/*
 * A slot of the server kit (libipc/srv.h) as sessiond makes it: forked
 * from main before its connection exists, it opens its own database
 * connection and forks its worker (ixkit-sessiond-worker, confined before
 * any client exists), then waits for main to hand it a connection. Then,
 * as the connection's monitor, it reads who the client is from the
 * connection itself, hands the connection to the worker and serves it
 * (serve.c). When the conversation ends the whole slot exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcompart/workerconf.h"
#include "libipc/srv.h"
#include "sessiond/conn.h"
#include "sessiond/mproto.h"

#define HANDOVER_TIMEOUT_MS 5000

static int stop_w = -1;	/* self-pipe: SIGTERM, SIGINT, SIGHUP to this monitor */

static void
on_stop(int sig)
{
	int saved = errno;

	(void)sig;
	(void)!write(stop_w, "x", 1);
	errno = saved;
}

static int
confine(void *arg, struct ix_err *err)
{
	(void)arg;
	return ix_worker_confine("sessiond worker", err);
}

/* SIGTERM (sessiond stopping, or main gone) ends a running session
 * cleanly: the relay sees the self-pipe. */
static int
catch_stop(struct conn *c, struct ix_err *err)
{
	struct sigaction sa;
	int sp[2];

	if (pipe2(sp, O_CLOEXEC | O_NONBLOCK) < 0)
		return ix_err_sys(err, "pipe");
	stop_w = sp[1];
	c->stop_r = sp[0];
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	return 0;
}

static int
hand_over(struct conn *c, struct ix_err *err)
{
	struct ix_msg *m = ix_msg_new(SESSIOND_MON_CONN, err);
	int rc;

	if (m == NULL)
		return -1;
	ix_msg_put_fd(m, c->fd, err);
	rc = ix_ipc_send(c->mon, m, HANDOVER_TIMEOUT_MS, err);
	ix_msg_free(m);
	return rc;
}

int
sessiond_slot(void *arg, int ctl)
{
	const struct sessiond_server *srv = arg;
	struct ix_srv_worker w = { srv->worker_uid, srv->worker_gid, confine, sessiond_worker_run,
				   NULL };
	struct conn c = { .srv = srv, .fd = -1, .mon = -1, .main_ctl = ctl, .peer = { .pidfd = -1 },
			  .stop_r = -1, .worker = -1 };
	struct ix_srv_conn sc;
	struct ix_err e;
	int rc = 1, r;

	sess_request_init(&c.heard.req);
	if (ixdb_open(srv->cfg.db, 0, &c.db, &e) < 0) {
		ix_log_event(srv->log, "error", "stage=slot error=%s", e.msg);
		return 1;
	}
	if ((c.worker = ix_srv_worker_spawn(&w, &c.mon, &e)) < 0) {
		ix_log_event(srv->log, "error", "stage=worker error=%s", e.msg);
		goto out;
	}
	r = ix_srv_slot_take(ctl, &sc, &e);
	if (r <= 0) {
		if (r < 0)
			ix_log_event(srv->log, "error", "stage=slot error=%s", e.msg);
		rc = r < 0;
		goto out;
	}
	c.fd = sc.fd;
	if (catch_stop(&c, &e) < 0) {
		ix_log_event(srv->log, "error", "stage=slot error=%s", e.msg);
		goto out;
	}
	/* Who the client is comes from the connection, never from the
	 * worker: read before the worker has it. */
	if (ix_ipc_peer(c.fd, &c.peer, &e) < 0) {
		ix_log_event(srv->log, "reject", "stage=peer error=%s", e.msg);
		goto out;
	}
	if (hand_over(&c, &e) < 0) {
		ix_log_event(srv->log, "error", "stage=hand-over error=%s", e.msg);
		goto out;
	}
	rc = sess_serve(&c);
out:
	if (c.worker > 0) {
		close(c.mon);
		kill(c.worker, SIGKILL);
		while (waitpid(c.worker, NULL, 0) < 0 && errno == EINTR)
			;
	}
	sess_heard_free(&c.heard);
	ix_policy_free(c.own);
	ixdb_close(c.db);
	ix_peer_close(&c.peer);
	if (c.fd >= 0)
		close(c.fd);
	return rc;
}
