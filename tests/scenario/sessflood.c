/*
 * sessflood: one local user's flood of sessiond, for
 * tests/scenario/sessiond_load.sh. Bounded in connections and in time.
 *
 *	sessflood SOCKET burst N SECONDS
 *		N connections at once, each speaking as session -l does
 *		(HELLO, LIST); waits for every answer. Prints
 *		"listed=L busy=B other=O".
 *	sessflood SOCKET stall N SECONDS
 *		N connections that send nothing after connecting (no HELLO);
 *		each one the server closes or answers "busy" is opened again,
 *		until SECONDS have passed. Prints "connections=C busy=B
 *		closed=X".
 *
 * Exits 0 when it ran, 1 on a local failure (2 usage).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "libipc/ipc.h"
#include "libipc/srv.h"
#include "libixutil/ix_time.h"
#include "sessiond/proto.h"

#define N_MAX 2000

enum st { FREE, CONNECTING, BANNER, HELLOED, LISTED };

struct conn {
	int fd;
	enum st st;
};

static struct sockaddr_un addr;

/* A non-blocking connection; *st CONNECTING while the backlog is full. */
static int
open_conn(struct conn *c)
{
	c->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -1;
	c->st = CONNECTING;
	return 0;
}

static int
try_connect(struct conn *c)
{
	if (connect(c->fd, (struct sockaddr *)&addr, sizeof addr) == 0 || errno == EISCONN) {
		c->st = BANNER;
		return 1;
	}
	return errno == EAGAIN || errno == EINPROGRESS ? 0 : -1;
}

static void
end(struct conn *c)
{
	close(c->fd);
	c->fd = -1;
	c->st = FREE;
}

static int
send_type(int fd, uint16_t type, int hello)
{
	struct ix_err e;
	struct ix_msg *m = ix_msg_new(type, &e);
	int rc;

	if (hello) {
		ix_msg_put_str(m, SESSIOND_SERVICE, IX_SERVICE_NAME_MAX, &e);
		ix_msg_put_u16(m, SESSIOND_VERSION, &e);
	}
	rc = ix_ipc_send(fd, m, 1000, &e);
	ix_msg_free(m);
	return rc;
}

/* 1 the answer was "busy", 0 another ERROR. */
static int
is_busy(struct ix_msg *m)
{
	struct ix_err e, remote;

	return ix_ipc_read_error(m, &remote, &e) == 0 && strstr(remote.msg, IX_SRV_BUSY_PREFIX);
}

int
main(int argc, char **argv)
{
	static struct conn c[N_MAX];
	static struct pollfd p[N_MAX];
	unsigned listed = 0, busy = 0, other = 0, opened = 0, closed = 0;
	int n, stall, secs, left;
	int64_t until;
	struct rlimit rl;

	if (argc != 5 || (strcmp(argv[2], "burst") && strcmp(argv[2], "stall")) ||
	    (n = atoi(argv[3])) < 1 || n > N_MAX || (secs = atoi(argv[4])) < 1 ||
	    strlen(argv[1]) >= sizeof addr.sun_path) {
		fputs("usage: sessflood SOCKET burst|stall N SECONDS\n", stderr);
		return 2;
	}
	stall = strcmp(argv[2], "stall") == 0;
	addr.sun_family = AF_UNIX;
	strcpy(addr.sun_path, argv[1]);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)n + 64) {
		rl.rlim_cur = rl.rlim_max < (rlim_t)n + 64 ? rl.rlim_max : (rlim_t)n + 64;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	until = ix_now_ms() + secs * 1000;
	for (int i = 0; i < n; i++) {
		if (open_conn(&c[i]) < 0)
			return 1;
		opened++;
	}
	for (left = n; ix_now_ms() < until && (stall || left > 0);) {
		int np = 0, waiting = 0;

		for (int i = 0; i < n; i++) {
			if (c[i].st == CONNECTING) {
				int r = try_connect(&c[i]);

				if (r < 0) {
					end(&c[i]), other++, left--;
					continue;
				}
				waiting += r == 0;
			}
			p[i] = (struct pollfd){ c[i].st >= BANNER ? c[i].fd : -1, POLLIN, 0 };
			np += c[i].st >= BANNER;
		}
		if (poll(p, (nfds_t)n, waiting ? 5 : 100) < 0 && errno != EINTR)
			return 1;
		for (int i = 0; i < n; i++) {
			struct ix_msg *m = NULL;
			struct ix_err e;
			int r;

			if (c[i].st < BANNER || !p[i].revents)
				continue;
			r = ix_ipc_recv(c[i].fd, &m, 1000, &e);
			if (r == 1 && ix_msg_type(m) == IX_MSG_ERROR && is_busy(m)) {
				busy++;
				r = -2;
			} else if (r == 1 && stall && ix_msg_type(m) == IX_MSG_BANNER) {
				ix_msg_free(m);
				continue;	/* and say nothing */
			} else if (r == 1 && c[i].st == BANNER && ix_msg_type(m) == IX_MSG_BANNER) {
				r = send_type(c[i].fd, IX_MSG_HELLO, 1) == 0 ? 1 : -1;
				c[i].st = HELLOED;
			} else if (r == 1 && c[i].st == HELLOED && ix_msg_type(m) == IX_MSG_OK) {
				r = send_type(c[i].fd, SESSIOND_MSG_LIST, 0) == 0 ? 1 : -1;
				c[i].st = LISTED;
			} else if (r == 1 && c[i].st == LISTED && ix_msg_type(m) == SESSIOND_MSG_LISTING) {
				listed++;
				r = -3;
			} else {
				if (!stall)
					other++;
				r = -1;
			}
			ix_msg_free(m);
			if (r >= 0)
				continue;
			closed += r == -1;
			end(&c[i]);
			left--;
			if (stall && ix_now_ms() < until && open_conn(&c[i]) == 0) {
				opened++;
				left++;
			}
		}
	}
	if (stall)
		printf("connections=%u busy=%u closed=%u\n", opened, busy, closed);
	else
		printf("listed=%u busy=%u other=%u unanswered=%d\n", listed, busy, other, left);
	return 0;
}
