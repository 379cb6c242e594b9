/*
 * A slot's monitor, serving its one connection (conn.h): it waits for
 * the worker's one request, dispatching every message the worker sends
 * through sessiond's machine (monitor.c), answers LIST itself and hands
 * OPEN to open.c. It never reads the client's connection: it writes the
 * answers there, and learns everything else from the worker.
 *
 * A worker that sends what the machine does not permit, or a malformed
 * or oversized message, is fatal: logged as worker-fatal, killed at once,
 * the client told, and nothing more is done for that connection.
 */
#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sessiond/conn.h"
#include "sessiond/proto.h"
#include "sessiond/record.h"

#define AUDIT_TEXT_MAX 16384
#define ANSWER_TIMEOUT_MS 5000
/* The worker's own limits (hello 5 s, request 10 s) and some: a worker
 * that outlasts them is not doing its job. */
#define REQUEST_WAIT_MS 20000

int
sess_audit(struct conn *c, const char *kind, const char *fmt, ...)
{
	char text[AUDIT_TEXT_MAX];
	struct ix_err e;
	int64_t seq;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (ixdb_audit_append(c->db, c->srv->cfg.audit_head, kind, c->login[0] ? c->login : "?",
			      text, &seq, NULL, &e) < 0) {
		ix_log_event(c->srv->log, "audit-error", "kind=%s error=%s record=%s", kind, e.msg, text);
		return -1;
	}
	ix_log_event(c->srv->log, kind, "%s audit_seq=%lld", text, (long long)seq);
	return 0;
}

int
sess_send(struct conn *c, struct ix_msg *m, struct ix_err *err)
{
	int rc;

	if (m == NULL)
		return -1;
	rc = ix_ipc_send(c->fd, m, ANSWER_TIMEOUT_MS, err);
	ix_msg_free(m);
	return rc;
}

void
sess_move(struct conn *c, enum sess_state to)
{
	struct ix_err e;

	if (to == SESS_DONE && c->m.state == SESS_DONE)
		return;
	if (ix_mon_move(&c->m, to, &e) < 0) {
		/* Corrupted internal state is not recovered from. */
		ix_log_event(c->srv->log, "error", "stage=monitor error=%s", e.msg);
		if (c->worker > 0)
			kill(c->worker, SIGKILL);
		_exit(1);
	}
}

int
sess_refuse(struct conn *c, uint8_t code, const char *why, struct ix_err *err)
{
	char words[IX_ERR_MSG_MAX + SESSIOND_TEXT_MAX / 64];
	struct ix_msg *m;

	snprintf(words, sizeof words, "%s", why);	/* why may be err->msg */
	ix_log_event(c->srv->log, "refused", "login=%s pid=%d code=%u reason=%s", c->login,
		     (int)c->peer.pid, code, words);
	sess_move(c, SESS_DONE);
	m = ix_msg_new(SESSIOND_MSG_REFUSED, err);
	if (m != NULL) {
		ix_msg_put_u8(m, code, err);
		ix_msg_put_str(m, words, SESSIOND_TEXT_MAX, err);
	}
	return sess_send(c, m, err);
}

/* Before the session runs the client waits for an answer: an ERROR says
 * why it gets none. */
static void
tell_client(struct conn *c, const char *what)
{
	struct ix_err e, e2;

	if (c->m.state == SESS_RUNNING)
		return;		/* the session's end tells it (ENDED) */
	ix_err_set(&e, IX_ECORRUPT, "%s; nothing was done", what);
	ix_ipc_send_error(c->fd, &e, ANSWER_TIMEOUT_MS, &e2);
}

void
sess_fatal(struct conn *c, const struct ix_err *why)
{
	ix_log_event(c->srv->log, "worker-fatal", "uid=%u pid=%d worker=%d state=%s error=%s",
		     (unsigned)c->peer.uid, (int)c->peer.pid, (int)c->worker, ix_mon_state(&c->m),
		     why->msg);
	kill(c->worker, SIGKILL);
	c->worker_gone = true;
	c->worker_fatal = true;
	tell_client(c, "its worker broke the protocol");
	sess_move(c, SESS_DONE);
}

static void
worker_ended(struct conn *c)
{
	ix_log_event(c->srv->log, "worker-gone", "uid=%u pid=%d worker=%d state=%s",
		     (unsigned)c->peer.uid, (int)c->peer.pid, (int)c->worker, ix_mon_state(&c->m));
	c->worker_gone = true;
	tell_client(c, "its worker ended");
	sess_move(c, SESS_DONE);
}

int
sess_hear(struct conn *c, int timeout_ms)
{
	struct ix_err e;

	while (!c->worker_gone && c->m.state != SESS_DONE) {
		struct pollfd p = { c->mon, POLLIN, 0 };
		struct ix_msg *m = NULL;
		int r = poll(&p, 1, timeout_ms);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		r = ix_ipc_recv(c->mon, &m, ANSWER_TIMEOUT_MS, &e);
		if (r == 0) {
			worker_ended(c);
			break;
		}
		if (r < 0 || ix_mon_dispatch(&c->m, m, &c->heard, &e) < 0) {
			ix_msg_free(m);
			sess_fatal(c, &e);
			break;
		}
		ix_msg_free(m);
		timeout_ms = 0;	/* then only what is there already */
	}
	return -1;
}

static int
identify(struct conn *c, struct ix_err *err)
{
	struct passwd *pw = getpwuid(c->peer.uid);

	if (pw == NULL || strlen(pw->pw_name) > IX_USER_NAME_MAX)
		return ix_err_set(err, IX_ENOENT, "uid %u has no login name", (unsigned)c->peer.uid);
	snprintf(c->login, sizeof c->login, "%s", pw->pw_name);
	return 0;
}

static int
answer_list(struct conn *c, struct ix_err *err)
{
	struct ix_msg *a;
	char *text = NULL;
	uint32_t n;

	if (sess_record_live(c->db, c->peer.uid, &text, &n, err) < 0)
		return sess_refuse(c, SESSIOND_EX_ERROR, err->msg, err);
	ix_log_event(c->srv->log, "list", "login=%s pid=%d sessions=%u", c->login, (int)c->peer.pid, n);
	sess_move(c, SESS_DONE);
	a = ix_msg_new(SESSIOND_MSG_LISTING, err);
	if (a != NULL) {
		ix_msg_put_u32(a, n, err);
		ix_msg_put_str(a, text, SESSIOND_TEXT_MAX, err);
	}
	free(text);
	return sess_send(c, a, err);
}

int
sess_serve(struct conn *c)
{
	struct ix_err e;

	if (sess_mon_init(&c->m, &c->heard, &e) < 0) {
		ix_log_event(c->srv->log, "error", "stage=monitor error=%s", e.msg);
		return 1;
	}
	sess_hear(c, REQUEST_WAIT_MS);
	if (c->m.state == SESS_READY) {
		ix_err_set(&e, IX_ELIMIT, "no request within %d ms", REQUEST_WAIT_MS);
		sess_fatal(c, &e);
		return 1;
	}
	if (c->heard.rejected_set) {
		ix_log_event(c->srv->log, "reject", "stage=%s uid=%u pid=%d error=%s",
			     c->heard.rejected_at, (unsigned)c->peer.uid, (int)c->peer.pid,
			     c->heard.rejected);
		return 0;
	}
	if (c->m.state == SESS_DONE)
		return c->heard.hangup >= 0 ? 0 : 1;
	if (identify(c, &e) < 0) {
		sess_refuse(c, SESSIOND_EX_ERROR, e.msg, &e);
		return 0;
	}
	if (c->heard.req.kind == SESSIOND_REQ_LIST)
		return answer_list(c, &e) < 0;
	return sess_open(c) < 0;
}
