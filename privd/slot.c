/*
 * One slot of privd (libipc/SERVER.md), forked by main before its
 * connection comes: the monitor opens its own database connection and
 * forks its worker, which confines itself; then the slot takes a
 * connection from main, reads the client's identity from it, hands it to
 * the worker and serves what the worker relays, by privd's machine
 * (monitor.h). Anything the worker sends outside the machine is fatal for
 * it: logged, the worker killed, the client told. The slot serves one
 * connection and exits.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "privd/monitor.h"
#include "privd/proto.h"
#include "privd/server.h"

/* From the hand-over to the worker's relay of the request: the banner's
 * and the request's own timeouts in the worker, and a margin. */
#define HANDSHAKE_MS 16000
#define ANSWER_TIMEOUT_MS 5000

/* main has gone (PR_SET_PDEATHSIG): a running action is ended whole here
 * and recorded by the monitor as it comes back from waiting; with none
 * running there is nothing to record, and the monitor just ends. */
static void
on_term(int sig)
{
	(void)sig;
	privd_terminated = 1;
	if (privd_kill_fd >= 0)
		(void)!write(privd_kill_fd, "1", 1);
	else
		_exit(0);
}

static int
hand_over(int mon, int conn, struct ix_err *err)
{
	struct ix_msg *m = ix_msg_new(PRIVD_W_CONN, err);
	int rc;

	if (m == NULL)
		return -1;
	ix_msg_put_fd(m, conn, err);
	rc = ix_ipc_send(mon, m, ANSWER_TIMEOUT_MS, err);
	ix_msg_free(m);
	return rc;
}

/* How the worker ended, when it has (within a second of its channel
 * closing): its status is the one thing of it worth a log line. */
static const char *
worker_end(pid_t pid)
{
	static char text[64];
	int st;

	for (int i = 0; i < 100; i++) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid) {
			if (WIFSIGNALED(st))
				snprintf(text, sizeof text, "killed by signal %d", WTERMSIG(st));
			else
				snprintf(text, sizeof text, "exit status %d", WEXITSTATUS(st));
			return text;
		}
		if (r < 0)
			break;
		usleep(10000);
	}
	return "still running";
}

/* Reads and dispatches the worker's messages until the conversation is
 * done. A worker that ends first ends it too; one that breaks the machine
 * is fatal (logged here) and its client gets the error. */
static void
converse(struct privd_conn *c)
{
	while (c->machine.state != PM_DONE) {
		struct ix_msg *m = NULL;
		struct ix_err e, e2;
		int r = ix_ipc_recv(c->mon, &m, c->machine.state == PM_READY ? HANDSHAKE_MS
										: ANSWER_TIMEOUT_MS,
				    &e);

		if (r == 0) {
			ix_log_event(c->srv->log, "reject", "stage=%s uid=%u pid=%d error=the worker "
				     "ended (%s)", ix_mon_state(&c->machine), (unsigned)c->peer.uid,
				     (int)c->peer.pid, worker_end(c->worker));
			return;
		}
		if (r == 1 && ix_mon_dispatch(&c->machine, m, c, &e) == 0) {
			ix_msg_free(m);
			continue;
		}
		ix_log_event(c->srv->log, "worker-fatal", "state=%s uid=%u pid=%d type=0x%04x error=%s",
			     ix_mon_state(&c->machine), (unsigned)c->peer.uid, (int)c->peer.pid,
			     m != NULL ? ix_msg_type(m) : 0, e.msg);
		ix_msg_free(m);
		ix_err_set(&e, IX_ECORRUPT, "privd could not serve this request (see its log)");
		ix_ipc_send_error(c->fd, &e, ANSWER_TIMEOUT_MS, &e2);
		return;
	}
}

int
privd_slot(void *arg, int ctl)
{
	const struct privd_server *srv = arg;
	struct ix_srv_worker w = { srv->worker_uid, srv->worker_gid, privd_worker_confine,
				   privd_worker_run, NULL };
	struct privd_conn *c;
	struct ix_srv_conn sc;
	struct sigaction sa = { .sa_handler = on_term };
	struct ix_err e;
	pid_t wpid = -1;
	int r, rc = 1;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	if ((c = calloc(1, sizeof *c)) == NULL || (c->rq = calloc(1, sizeof *c->rq)) == NULL) {
		ix_log_event(srv->log, "error", "stage=slot error=out of memory");
		free(c);
		return 1;
	}
	*c = (struct privd_conn){ .srv = srv, .fd = -1, .mon = -1, .peer = { .pidfd = -1 },
				  .rq = c->rq, .run = { .kill_fd = -1, .pidfd = -1 } };
	for (int i = 0; i < 4; i++)
		c->rq->fds[i] = -1;
	/* A slot that cannot open the database serves all the same: the
	 * client is told why its request cannot be decided. */
	if (ixdb_open(srv->cfg.db, 0, &c->db, &e) < 0)
		ix_log_event(srv->log, "error", "stage=db (slot) error=%s", e.msg);
	else
		ixdb_set_witness(c->db, srv->cfg.audit_witness, srv->cfg.witness_every);
	if ((c->worker = wpid = ix_srv_worker_spawn(&w, &c->mon, &e)) < 0) {
		ix_log_event(srv->log, "error", "stage=worker error=%s", e.msg);
		goto out;
	}
	if (ix_mon_init(&c->machine, &privd_machine, &e) < 0) {
		ix_log_event(srv->log, "error", "stage=machine error=%s", e.msg);
		goto out;
	}
	r = ix_srv_slot_take(ctl, &sc, &e);
	if (r <= 0) {
		if (r < 0)
			ix_log_event(srv->log, "error", "stage=take error=%s", e.msg);
		rc = r < 0;
		goto out;
	}
	close(ctl);
	c->fd = sc.fd;
	/* Who the client is comes from the connection, never from the
	 * worker. */
	if (ix_ipc_peer(c->fd, &c->peer, &e) < 0) {
		ix_log_event(srv->log, "reject", "stage=peer error=%s", e.msg);
		goto out;
	}
	if (hand_over(c->mon, c->fd, &e) < 0) {
		ix_log_event(srv->log, "error", "stage=hand-over error=%s", e.msg);
		goto out;
	}
	converse(c);
	rc = 0;
out:
	if (wpid > 0 && kill(wpid, SIGKILL) == 0) {
		while (waitpid(wpid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	privd_request_close(c->rq);
	ix_peer_close(&c->peer);
	if (c->fd >= 0)
		close(c->fd);
	if (c->mon >= 0)
		close(c->mon);
	ix_policy_free(c->own);
	ixdb_close(c->db);
	free(c->rq);
	free(c);
	return rc;
}
