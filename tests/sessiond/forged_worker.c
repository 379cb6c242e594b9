/*
 * A compromised sessiond worker, for tests/scenario/sessiond_forged.sh.
 * Linked with every source of sessiond but sessiond/worker.c into
 * sessiond-forged (check_PROGRAMS, never installed): the real main, slots
 * and monitor, with this in place of sessiond_worker_run. It runs where
 * the real worker runs (ixkit-sessiond-worker, the kit's prelude and
 * ix_worker_confine), does the banner with the client and reads its OPEN
 * as the real worker does, then, instead of relaying it, plays the case
 * the client named as its label from a script:
 *
 *	IXKIT_FORGE_SCRIPT=FILE, read once at start-up; one case a line,
 *	"NAME STEP[; STEP...]", '#' starts a comment. Steps:
 *	  label LABEL		the label of what follows (sends nothing)
 *	  request		the canonical REQUEST, as the real worker sends it
 *	  request-as LABEL	the same for another label
 *	  list			a canonical LIST
 *	  extra-uid UID		REQUEST with another user's uid appended
 *	  truncated		REQUEST cut in the middle of the label
 *	  oversized		one packet past the wire's maximum
 *	  fds-null		REQUEST claiming the client's descriptors but
 *				passing /dev/null three times
 *	  fds-two		REQUEST with two descriptors for three
 *	  keep			REQUEST, then the client's descriptors kept
 *	  type HEX		an empty message of that type
 *	  winch | hangup N	WINCH, HANGUP (reason N)
 *	  sleep MS
 *	then it waits for the monitor to close the pair.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sessiond/mproto.h"
#include "sessiond/proto.h"
#include "sessiond/request.h"
#include "sessiond/server.h"

static char script[16384];	/* read before main runs: the worker opens nothing */

__attribute__((constructor)) static void
read_script(void)
{
	const char *path = getenv("IXKIT_FORGE_SCRIPT");
	ssize_t n = 0, r;
	int fd;

	if (path == NULL || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	while ((r = read(fd, script + n, sizeof script - 1 - (size_t)n)) > 0)
		n += r;
	close(fd);
	script[n] = '\0';
}

/* Sends one packet of type with payload p (n bytes) and fds, by hand. */
static int
raw(int mon, uint16_t type, const uint8_t *p, size_t n, const int *fds, int nfds)
{
	static uint8_t pkt[IX_MSG_HDR_LEN + IX_MSG_MAX_PAYLOAD + 4096];
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int) * IX_MSG_MAX_FDS)];
	} u;
	struct iovec iov = { pkt, IX_MSG_HDR_LEN + n };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (n > sizeof pkt - IX_MSG_HDR_LEN)
		return -1;
	pkt[0] = (uint8_t)(n >> 24);
	pkt[1] = (uint8_t)(n >> 16);
	pkt[2] = (uint8_t)(n >> 8);
	pkt[3] = (uint8_t)n;
	pkt[4] = (uint8_t)(type >> 8);
	pkt[5] = (uint8_t)type;
	pkt[6] = (uint8_t)nfds;
	pkt[7] = 0;
	memcpy(pkt + IX_MSG_HDR_LEN, p, n);
	if (nfds > 0) {
		memset(&u, 0, sizeof u);
		mh.msg_control = u.b;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		u.h.cmsg_level = SOL_SOCKET;
		u.h.cmsg_type = SCM_RIGHTS;
		u.h.cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(&u.h), fds, sizeof(int) * (size_t)nfds);
	}
	return sendmsg(mon, &mh, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

/* The canonical REQUEST for r, its descriptors fds[0..nfds-1] (what the
 * case says, not necessarily r's), and extra_uid appended unless < 0. */
static int
send_request(int mon, const struct sess_request *r, const int *fds, int nfds, long extra_uid)
{
	struct sess_request copy = *r;
	struct ix_msg *m;
	struct ix_err e;
	int rc = -1;

	if ((m = ix_msg_new(SESSIOND_MON_REQUEST, &e)) == NULL)
		return -1;
	copy.fd[0] = copy.fd[1] = copy.fd[2] = -1;
	ix_msg_put_u8(m, copy.kind, &e);
	if (copy.kind == SESSIOND_REQ_OPEN) {
		/* sess_request_put's fields, without its descriptors */
		ix_msg_put_u8(m, copy.flags, &e);
		ix_msg_put_str(m, copy.label, SESSIOND_LABEL_MAX, &e);
		ix_msg_put_str(m, copy.term, SESSIOND_TERM_MAX, &e);
		ix_msg_put_u16(m, (uint16_t)copy.argc, &e);
		for (int i = 0; i < copy.argc; i++)
			ix_msg_put_str(m, copy.argv[i], SESSIOND_ARG_MAX, &e);
		for (int i = 0; i < 3; i++) {
			ix_msg_put_u64(m, copy.claim[i].rdev, &e);
			ix_msg_put_u64(m, copy.claim[i].ino, &e);
			ix_msg_put_u8(m, copy.claim[i].access, &e);
		}
	}
	for (int i = 0; i < nfds; i++)
		ix_msg_put_fd(m, fds[i], &e);
	if (extra_uid >= 0)
		ix_msg_put_u32(m, (uint32_t)extra_uid, &e);
	rc = ix_ipc_send(mon, m, 5000, &e);
	ix_msg_free(m);
	return rc;
}

static int
send_empty(int mon, uint16_t type, int u8)
{
	struct ix_msg *m;
	struct ix_err e;
	int rc;

	if ((m = ix_msg_new(type, &e)) == NULL)
		return -1;
	if (u8 >= 0)
		ix_msg_put_u8(m, (uint8_t)u8, &e);
	rc = ix_ipc_send(mon, m, 5000, &e);
	ix_msg_free(m);
	return rc;
}

/* The line of the script for case name, or NULL. */
static const char *
find_case(const char *name)
{
	size_t n = strlen(name);

	for (const char *l = script; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l))
		if (strncmp(l, name, n) == 0 && l[n] == ' ')
			return l + n + 1;
	return NULL;
}

/* Plays steps (up to the end of the line) with the client's request r. */
static void
play(int mon, const char *steps, struct sess_request *r)
{
	char step[256], arg[256];
	int null3[3] = { 0, 0, 0 };
	bool close_fds = true;

	while (*steps && *steps != '\n') {
		size_t n = strcspn(steps, ";\n");

		snprintf(step, sizeof step, "%.*s", (int)n, steps);
		steps += n + (steps[n] == ';');
		while (*steps == ' ')
			steps++;
		arg[0] = '\0';
		sscanf(step, " %*s %255s", arg);
		if (strncmp(step, "label ", 6) == 0) {
			snprintf(r->label, sizeof r->label, "%s", arg);
		} else if (strncmp(step, "request-as ", 11) == 0) {
			snprintf(r->label, sizeof r->label, "%s", arg);
			send_request(mon, r, r->fd, 3, -1);
		} else if (strncmp(step, "request", 7) == 0) {
			send_request(mon, r, r->fd, 3, -1);
		} else if (strncmp(step, "list", 4) == 0) {
			struct sess_request l = { .kind = SESSIOND_REQ_LIST };

			send_request(mon, &l, NULL, 0, -1);
		} else if (strncmp(step, "extra-uid", 9) == 0) {
			send_request(mon, r, r->fd, 3, strtol(arg, NULL, 10));
		} else if (strncmp(step, "truncated", 9) == 0) {
			/* kind OPEN, flags 0, a label said to be 6 bytes, 3 sent */
			uint8_t p[9] = { SESSIOND_REQ_OPEN, 0, 0, 0, 0, 6, 's', 'e', 'c' };

			raw(mon, SESSIOND_MON_REQUEST, p, sizeof p, NULL, 0);
		} else if (strncmp(step, "oversized", 9) == 0) {
			static uint8_t big[IX_MSG_MAX_PAYLOAD + 1024];

			raw(mon, SESSIOND_MON_REQUEST, big, sizeof big, NULL, 0);
		} else if (strncmp(step, "fds-null", 8) == 0) {
			send_request(mon, r, null3, 3, -1);
		} else if (strncmp(step, "fds-two", 7) == 0) {
			send_request(mon, r, r->fd, 2, -1);
		} else if (strncmp(step, "keep", 4) == 0) {
			send_request(mon, r, r->fd, 3, -1);
			close_fds = false;
		} else if (strncmp(step, "type", 4) == 0) {
			send_empty(mon, (uint16_t)strtol(arg, NULL, 16), -1);
		} else if (strncmp(step, "winch", 5) == 0) {
			send_empty(mon, SESSIOND_MON_WINCH, -1);
		} else if (strncmp(step, "hangup", 6) == 0) {
			send_empty(mon, SESSIOND_MON_HANGUP, (int)strtol(arg, NULL, 10));
		} else if (strncmp(step, "sleep", 5) == 0) {
			poll(NULL, 0, (int)strtol(arg, NULL, 10));
		}
	}
	if (close_fds)
		sess_request_close(r);
}

int
sessiond_worker_run(void *arg, int mon)
{
	struct sess_request r;
	struct ix_msg *m = NULL;
	struct ix_err e;
	const char *steps;
	uint16_t ver;
	int conn = -1;

	(void)arg;
	if (ix_ipc_recv(mon, &m, -1, &e) != 1 || ix_msg_get_fd(m, &conn, &e) < 0 || conn < 0) {
		ix_msg_free(m);
		return 0;
	}
	ix_msg_free(m);
	m = NULL;
	if (ix_ipc_server_banner(conn, SESSIOND_SERVICE, SESSIOND_VERSION, 5000, &ver, &e) < 0 ||
	    ix_ipc_recv(conn, &m, 10000, &e) != 1 || sess_request_from_client(m, &r, &e) < 0)
		return 1;
	ix_msg_free(m);
	steps = find_case(r.label);
	if (steps != NULL)
		play(mon, steps, &r);
	/* then silence, until the monitor is done with this worker */
	while (ix_ipc_recv(mon, &m, -1, &e) == 1) {
		ix_msg_free(m);
		m = NULL;
	}
	return 0;
}
