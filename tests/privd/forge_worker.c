/*
 * A compromised privd worker, for tests only: linked with privd's main,
 * slot and monitor in place of privd/worker.c (tests/privd/privd-forge),
 * never installed. It speaks the banner and reads the client's REQUEST as
 * the real worker does, then, instead of relaying it honestly, does what
 * the request's first word names — what an attacker who took over the
 * worker through a parsing bug would try:
 *
 *	forge-exec	a request type the monitor's table lacks (the old
 *			launcher's EXEC: /bin/sh with every capability)
 *	forge-label	likewise, asking to label a file
 *	forge-twice	two REQUESTs, the second for another action
 *	forge-signal	SIGNAL before any action runs
 *	forge-range	a message of passwdd's range
 *	forge-hangup	HANGUP before the request
 *	forge-short	a REQUEST cut short (no descriptors)
 *	forge-nodrop	the REQUEST, then never DROPPED
 *	forge-keep	the REQUEST and DROPPED, keeping the client's
 *			descriptors all the same (a terminal it could read)
 *	forge-db	opening the database to rewrite the policy
 *	forge-shadow	reading /etc/shadow
 * Any other first word: the honest worker's relay.
 */
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "libcompart/workerconf.h"
#include "privd/proto.h"
#include "privd/request.h"
#include "privd/server.h"

int
privd_worker_confine(void *arg, struct ix_err *err)
{
	(void)arg;
	return ix_worker_confine("privd's worker", err);
}

static void
send_empty(int mon, uint16_t type)
{
	struct ix_err e;
	struct ix_msg *m = ix_msg_new(type, &e);

	ix_ipc_send(mon, m, 1000, &e);
	ix_msg_free(m);
}

/* Waits until the monitor ends the conversation (closes the channel). */
static void
until_closed(int mon)
{
	struct pollfd p = { mon, POLLIN, 0 };
	char b;

	while (poll(&p, 1, 30000) > 0 && read(mon, &b, 1) > 0)
		;
}

static void
forge(int mon, struct privd_req *rq, const char *how)
{
	struct ix_err e;
	struct ix_msg *m;

	if (strcmp(how, "forge-exec") == 0 || strcmp(how, "forge-label") == 0) {
		/* types of privd's range the machine does not list */
		m = ix_msg_new(strcmp(how, "forge-exec") == 0 ? IX_RANGE_PRIVD + 0xc0
							      : IX_RANGE_PRIVD + 0xc1, &e);
		ix_msg_put_str(m, "/bin/sh", 64, &e);
		ix_msg_put_u64(m, ~0ull, &e);
		ix_ipc_send(mon, m, 1000, &e);
		ix_msg_free(m);
	} else if (strcmp(how, "forge-twice") == 0) {
		m = privd_request_write(PRIVD_W_REQUEST, rq, &e);
		ix_ipc_send(mon, m, 1000, &e);
		ix_msg_free(m);
		rq->words[0] = "mark";
		m = privd_request_write(PRIVD_W_REQUEST, rq, &e);
		ix_ipc_send(mon, m, 1000, &e);
		ix_msg_free(m);
	} else if (strcmp(how, "forge-signal") == 0) {
		m = ix_msg_new(PRIVD_W_SIGNAL, &e);
		ix_msg_put_u8(m, 9, &e);
		ix_ipc_send(mon, m, 1000, &e);
		ix_msg_free(m);
	} else if (strcmp(how, "forge-range") == 0) {
		send_empty(mon, IX_RANGE_PASSWDD + 0x01);
	} else if (strcmp(how, "forge-hangup") == 0) {
		send_empty(mon, PRIVD_W_HANGUP);
	} else if (strcmp(how, "forge-short") == 0) {
		m = ix_msg_new(PRIVD_W_REQUEST, &e);
		ix_msg_put_u8(m, 0, &e);
		ix_msg_put_u16(m, 1, &e);
		ix_msg_put_str(m, "mark", 64, &e);
		ix_ipc_send(mon, m, 1000, &e);
		ix_msg_free(m);
	} else if (strcmp(how, "forge-nodrop") == 0 || strcmp(how, "forge-keep") == 0) {
		rq->words[0] = strcmp(how, "forge-keep") == 0 ? "cmark" : "mark";
		m = privd_request_write(PRIVD_W_REQUEST, rq, &e);
		ix_ipc_send(mon, m, 1000, &e);
		ix_msg_free(m);
		if (strcmp(how, "forge-keep") == 0)
			send_empty(mon, PRIVD_W_DROPPED);	/* and keeps them */
	} else if (strcmp(how, "forge-db") == 0) {
		/* the database's path is not even known here: the first open
		 * of anything is the attempt */
		(void)!open("/var/lib/ixkit/ixkit.db", O_RDWR);
	} else if (strcmp(how, "forge-shadow") == 0) {
		(void)!open("/etc/shadow", O_RDONLY);
	}
	until_closed(mon);
}

int
privd_worker_run(void *arg, int mon)
{
	static struct privd_req rq;
	struct ix_msg *m = NULL;
	struct ix_err e;
	uint16_t ver;
	int conn = -1;

	(void)arg;
	if (ix_ipc_recv(mon, &m, -1, &e) != 1 || ix_msg_get_fd(m, &conn, &e) < 0)
		return 1;
	ix_msg_free(m);
	if (ix_ipc_server_banner(conn, PRIVD_SERVICE, PRIVD_VERSION, 5000, &ver, &e) < 0 ||
	    ix_ipc_recv(conn, &m, 10000, &e) != 1 || privd_request_read(m, &rq, &e) < 0)
		return 1;
	if (rq.argc >= 1 && strncmp(rq.words[0], "forge-", 6) == 0) {
		forge(mon, &rq, rq.words[0]);
		return 0;
	}
	/* honest */
	m = privd_request_write(PRIVD_W_REQUEST, &rq, &e);
	ix_ipc_send(mon, m, 1000, &e);
	ix_msg_free(m);
	privd_request_close(&rq);
	send_empty(mon, PRIVD_W_DROPPED);
	until_closed(mon);
	return 0;
}
