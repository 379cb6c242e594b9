/*
 * sessiond's worker (sessiond(8), PROCESSES): the one process that reads
 * what a client sends. It runs as ixkit-sessiond-worker with no
 * capability, no file access and a seccomp allow-list (the kit's prelude
 * and ix_worker_confine), and speaks only to its monitor (descriptor mon)
 * and to the client's connection, which the monitor hands it.
 *
 * It does the banner, reads the client's one OPEN or LIST, checks it and
 * relays it as ONE canonical REQUEST with the client's descriptors, then
 * closes its copies of them (the monitor makes sure it has before passwdd
 * asks for a password on that terminal). After that it relays what the
 * client may still send: WINCH once the monitor says the session runs,
 * and the client's hang-up. It answers the client itself only when the
 * client broke the protocol before its request; everything else the
 * monitor answers on the connection.
 */
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "sessiond/mproto.h"
#include "sessiond/proto.h"
#include "sessiond/request.h"
#include "sessiond/server.h"

#define HELLO_TIMEOUT_MS 5000
#define REQUEST_TIMEOUT_MS 10000
#define SEND_TIMEOUT_MS 5000

/* Sends the monitor an empty message of type, or with u8 (>= 0). */
static int
tell(int mon, uint16_t type, int u8, struct ix_err *err)
{
	struct ix_msg *m = ix_msg_new(type, err);
	int rc;

	if (m == NULL)
		return -1;
	if (u8 >= 0)
		ix_msg_put_u8(m, (uint8_t)u8, err);
	rc = ix_ipc_send(mon, m, SEND_TIMEOUT_MS, err);
	ix_msg_free(m);
	return rc;
}

/* The client failed before its request: it is told, the monitor too. */
static int
reject(int mon, int conn, const char *stage, const struct ix_err *why, bool answer)
{
	struct ix_msg *m;
	struct ix_err e;

	if (answer)
		ix_ipc_send_error(conn, why, SEND_TIMEOUT_MS, &e);
	if ((m = ix_msg_new(SESSIOND_MON_REJECT, &e)) != NULL) {
		ix_msg_put_str(m, stage, 16, &e);
		ix_msg_put_str(m, why->msg, IX_ERR_MSG_MAX - 1, &e);
		ix_ipc_send(mon, m, SEND_TIMEOUT_MS, &e);
		ix_msg_free(m);
	}
	return 1;
}

static int
read_request(int conn, struct sess_request *r, struct ix_err *err)
{
	struct ix_msg *m = NULL;
	int rc;

	sess_request_init(r);
	rc = ix_ipc_recv(conn, &m, REQUEST_TIMEOUT_MS, err);
	if (rc == 0)
		return ix_err_set(err, IX_EINVAL, "connection closed before the request");
	if (rc < 0)
		return -1;
	rc = sess_request_from_client(m, r, err);
	ix_msg_free(m);
	return rc;
}

static int
relay_request(int mon, struct sess_request *r, struct ix_err *err)
{
	struct ix_msg *m = ix_msg_new(SESSIOND_MON_REQUEST, err);
	int rc;

	if (m == NULL)
		return -1;
	rc = sess_request_put(m, r, err) < 0 ? -1 : ix_ipc_send(mon, m, SEND_TIMEOUT_MS, err);
	ix_msg_free(m);
	/* The terminal is the monitor's now: a copy kept here would make
	 * this process one more holder of it for passwdd's private path. */
	sess_request_close(r);
	return rc;
}

/* After the request: the client's WINCH (once the session runs) and its
 * hang-up, until the monitor closes the pair. */
static int
relay_rest(int mon, int conn)
{
	bool running = false, winch_waiting = false;
	struct ix_err e;

	for (;;) {
		struct pollfd p[2] = { { mon, POLLIN, 0 }, { conn, POLLIN, 0 } };
		struct ix_msg *m = NULL;
		int r;

		if (poll(p, 2, -1) < 0)
			continue;
		if (p[0].revents) {
			r = ix_ipc_recv(mon, &m, SEND_TIMEOUT_MS, &e);
			if (r == 1 && ix_msg_type(m) == SESSIOND_MON_RUNNING && ix_msg_end(m, &e) == 0) {
				running = true;
				if (winch_waiting)
					tell(mon, SESSIOND_MON_WINCH, -1, &e);
				winch_waiting = false;
				ix_msg_free(m);
				continue;
			}
			ix_msg_free(m);
			return r == 0 ? 0 : 1;	/* the monitor is done, or spoke wrongly */
		}
		if (!p[1].revents)
			continue;
		r = ix_ipc_recv(conn, &m, SEND_TIMEOUT_MS, &e);
		if (r == 1 && ix_msg_type(m) == SESSIOND_MSG_WINCH && ix_msg_end(m, &e) == 0) {
			ix_msg_free(m);
			if (!running)
				winch_waiting = true;	/* a size change that raced STARTED */
			else if (tell(mon, SESSIOND_MON_WINCH, -1, &e) < 0)
				return 1;
			continue;
		}
		ix_msg_free(m);
		tell(mon, SESSIOND_MON_HANGUP, r == 0 ? SESSIOND_HANGUP_CLOSED : SESSIOND_HANGUP_PROTOCOL,
		     &e);
		return 0;
	}
}

int
sessiond_worker_run(void *arg, int mon)
{
	struct sess_request r;
	struct ix_msg *m = NULL;
	struct ix_err e;
	uint16_t ver;
	int conn = -1, rc;

	(void)arg;
	/* The connection, once main has handed one to the monitor; the pair
	 * closing first means the slot was retired. */
	rc = ix_ipc_recv(mon, &m, -1, &e);
	if (rc != 1 || ix_msg_type(m) != SESSIOND_MON_CONN || ix_msg_get_fd(m, &conn, &e) < 0 ||
	    ix_msg_end(m, &e) < 0 || conn < 0) {
		ix_msg_free(m);
		return rc == 0 ? 0 : 1;
	}
	ix_msg_free(m);
	if (ix_ipc_server_banner(conn, SESSIOND_SERVICE, SESSIOND_VERSION, HELLO_TIMEOUT_MS, &ver,
				 &e) < 0)
		return reject(mon, conn, "hello", &e, false);
	if (read_request(conn, &r, &e) < 0) {
		sess_request_close(&r);
		return reject(mon, conn, "request", &e, true);
	}
	if (relay_request(mon, &r, &e) < 0)
		return 1;
	return relay_rest(mon, conn);
}
