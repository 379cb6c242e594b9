/*
 * privd's worker (libipc/SERVER.md): ixkit-privd-worker, no capability,
 * no file, not dumpable, under the confinement of every server's worker.
 * It takes the connection its monitor hands it, speaks the banner, reads
 * the client's one REQUEST, checks it with the parser the monitor runs
 * again, and relays it as one PRIVD_W_REQUEST with the client's four
 * descriptors; then, while the action runs, it relays the client's
 * SIGNALs and its hang-up. It decides nothing and logs nothing: what it
 * has to say goes to the monitor (PRIVD_W_REJECT), which logs it.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcompart/workerconf.h"
#include "privd/proto.h"
#include "privd/request.h"
#include "privd/server.h"

#define HELLO_TIMEOUT_MS 5000
#define REQUEST_TIMEOUT_MS 10000
#define ANSWER_TIMEOUT_MS 5000

int
privd_worker_confine(void *arg, struct ix_err *err)
{
	(void)arg;
	return ix_worker_confine("privd's worker", err);
}

static int
tell(int mon, uint16_t type, const char *why)
{
	struct ix_err e;
	struct ix_msg *m = ix_msg_new(type, &e);
	int rc;

	if (m == NULL)
		return -1;
	if (why != NULL)
		ix_msg_put_str(m, why, IX_ERR_MSG_MAX, &e);
	rc = ix_ipc_send(mon, m, ANSWER_TIMEOUT_MS, &e);
	ix_msg_free(m);
	return rc;
}

/* The client broke the protocol: it is told (when it listens), the
 * monitor is told why, and the worker is done. */
static int
reject(int mon, int conn, const struct ix_err *why)
{
	struct ix_err e;

	if (conn >= 0)
		ix_ipc_send_error(conn, why, ANSWER_TIMEOUT_MS, &e);
	tell(mon, PRIVD_W_REJECT, why->msg);
	return 1;
}

/* Relays what the client sends while its action runs: SIGNAL, and the
 * end of the connection (or anything else, which ends it too). */
static int
relay(int mon, int conn)
{
	bool client = true;

	for (;;) {
		struct pollfd p[2] = { { mon, POLLIN, 0 }, { conn, POLLIN, 0 } };
		struct ix_msg *m = NULL;
		struct ix_err e;
		uint8_t sig;
		int r;

		if (poll(p, client ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (p[0].revents)	/* the monitor is done: so are we */
			return 0;
		if (!client || !p[1].revents)
			continue;
		r = ix_ipc_recv(conn, &m, ANSWER_TIMEOUT_MS, &e);
		if (r == 1 && ix_msg_type(m) == PRIVD_MSG_SIGNAL && ix_msg_get_u8(m, &sig, &e) == 0 &&
		    ix_msg_end(m, &e) == 0 &&
		    (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT)) {
			struct ix_msg *w = ix_msg_new(PRIVD_W_SIGNAL, &e);

			ix_msg_free(m);
			if (w == NULL)
				return 1;
			ix_msg_put_u8(w, sig, &e);
			r = ix_ipc_send(mon, w, ANSWER_TIMEOUT_MS, &e);
			ix_msg_free(w);
			if (r < 0)
				return 1;
			continue;
		}
		ix_msg_free(m);
		client = false;
		if (tell(mon, PRIVD_W_HANGUP, NULL) < 0)
			return 1;
	}
}

static bool
is_dir(int fd, struct ix_err *err)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
		return true;
	ix_err_set(err, IX_EINVAL, "the fourth descriptor is not a directory");
	return false;
}

int
privd_worker_run(void *arg, int mon)
{
	struct privd_req *rq = NULL;
	struct ix_msg *m = NULL, *w;
	struct ix_err e;
	uint16_t ver;
	int conn = -1, r, rc = 1;

	(void)arg;
	r = ix_ipc_recv(mon, &m, -1, &e);
	if (r != 1 || ix_msg_type(m) != PRIVD_W_CONN || ix_msg_get_fd(m, &conn, &e) < 0 ||
	    ix_msg_end(m, &e) < 0)
		goto out;	/* retired before a connection, or a broken monitor */
	ix_msg_free(m);
	m = NULL;
	if (ix_ipc_server_banner(conn, PRIVD_SERVICE, PRIVD_VERSION, HELLO_TIMEOUT_MS, &ver, &e) < 0) {
		ix_err_prefix(&e, "hello");
		rc = reject(mon, -1, &e);
		goto out;
	}
	r = ix_ipc_recv(conn, &m, REQUEST_TIMEOUT_MS, &e);
	if (r == 0) {	/* the client hung up before asking */
		ix_err_set(&e, IX_EINVAL, "the client closed the connection before its request");
		rc = reject(mon, -1, &e);
		goto out;
	}
	if ((rq = calloc(1, sizeof *rq)) == NULL) {
		ix_err_set(&e, IX_ENOMEM, "out of memory");
		rc = reject(mon, conn, &e);
		goto out;
	}
	if (r < 0 || ix_msg_type(m) != PRIVD_MSG_REQUEST || privd_request_read(m, rq, &e) < 0) {
		if (r == 1 && ix_msg_type(m) != PRIVD_MSG_REQUEST)
			ix_err_set(&e, IX_EDENIED, "privd: request type 0x%04x where REQUEST must come",
				   ix_msg_type(m));
		ix_err_prefix(&e, "request");
		rc = reject(mon, conn, &e);
		privd_request_close(rq);
		goto out;
	}
	/* What the monitor checks again, and takes for the worker's fault when
	 * it finds it: said to the client here, as its own mistake. */
	if ((rq->has_edit && ix_edit_valid(&rq->edit, &e) < 0) || !is_dir(rq->fds[3], &e)) {
		ix_err_prefix(&e, "request");
		rc = reject(mon, conn, &e);
		privd_request_close(rq);
		goto out;
	}
	w = privd_request_write(PRIVD_W_REQUEST, rq, &e);
	r = w != NULL ? ix_ipc_send(mon, w, ANSWER_TIMEOUT_MS, &e) : -1;
	ix_msg_free(w);
	/* The client's terminal must be held by the client alone when the
	 * monitor checks the private path: our copies go before it looks. */
	privd_request_close(rq);
	if (r < 0 || tell(mon, PRIVD_W_DROPPED, NULL) < 0)
		goto out;
	rc = relay(mon, conn);
out:
	ix_msg_free(m);
	free(rq);
	if (conn >= 0)
		close(conn);
	return rc;
}
