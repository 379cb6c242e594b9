/*
 * Sending and receiving one message per SOCK_SEQPACKET packet.
 *
 * Receiving is where a hostile peer has the most room, so every way a
 * packet can disagree with itself is a rejection, and every descriptor the
 * kernel installed for a rejected packet is closed before returning
 * (PROTOCOL.md "Framing" and "Descriptors").
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libipc/msg_priv.h"
#include "libixutil/ix_time.h"

/* Where the kernel lacks it in its headers (Linux 6.5+). */
#ifndef SCM_PIDFD
#define SCM_PIDFD 0x04
#endif

/* Room for the permitted descriptors plus one more header, so that a
 * packet with extra descriptors is seen as truncated control data. */
#define CBUF_SIZE (CMSG_SPACE(sizeof(int) * IX_MSG_MAX_FDS) + CMSG_SPACE(sizeof(int)))
#define RX_FDS_MAX (CBUF_SIZE / sizeof(int))

int
ix_ipc_wait(int fd, short events, long long deadline, int timeout_ms,
    struct ix_err *err)
{
	struct pollfd p = { .fd = fd, .events = events };
	long long left;
	int r;

	for (;;) {
		left = deadline - ix_now_ms();
		if (left < 0)
			left = 0;
		r = poll(&p, 1, (int)left);
		if (r > 0)
			return 0;
		if (r == 0)
			return ix_err_set(err, IX_ELIMIT,
			    "timed out after %d ms", timeout_ms);
		if (errno != EINTR)
			return ix_err_sys(err, "poll");
	}
}

int
ix_ipc_send(int fd, struct ix_msg *m, int timeout_ms, struct ix_err *err)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int) * IX_MSG_MAX_FDS)];
	} cbuf;
	struct iovec iov;
	struct msghdr mh;
	struct cmsghdr *c;
	long long deadline = ix_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	int flags = MSG_NOSIGNAL | (timeout_ms >= 0 ? MSG_DONTWAIT : 0);
	ssize_t n;

	if (m->broken)
		return ix_err_set(err, IX_EINVAL,
		    "message 0x%04x: not sent, a field failed to be added", m->type);
	ix_msg_seal(m);
	iov.iov_base = m->buf;
	iov.iov_len = IX_MSG_HDR_LEN + m->len;
	memset(&mh, 0, sizeof mh);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (m->nfds > 0) {
		memset(&cbuf, 0, sizeof cbuf);
		mh.msg_control = cbuf.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * m->nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * m->nfds);
		memcpy(CMSG_DATA(c), m->fds, sizeof(int) * m->nfds);
	}
	for (;;) {
		if (timeout_ms >= 0 && ix_ipc_wait(fd, POLLOUT, deadline,
		    timeout_ms, err) < 0)
			return ix_err_prefix(err, "sending message 0x%04x", m->type);
		n = sendmsg(fd, &mh, flags);
		if (n >= 0)
			break;
		if (errno == EINTR || (errno == EAGAIN && timeout_ms >= 0))
			continue;
		return ix_err_sys(err, "sending message 0x%04x", m->type);
	}
	if ((size_t)n != iov.iov_len)
		return ix_err_set(err, IX_ESYS,
		    "message 0x%04x: sent %zd of %zu bytes", m->type, n, iov.iov_len);
	return 0;
}

static void
close_all(int *fds, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		close(fds[i]);
}

/* Collects every descriptor the kernel installed, whatever message
 * carried it, so that a rejection can close them all. Returns 0, or -1
 * when a control message other than SCM_RIGHTS was present. */
static int
collect_fds(struct msghdr *mh, int *fds, size_t *nfds, int *bad_level,
    int *bad_type)
{
	struct cmsghdr *c;
	size_t k, i;
	int rc = 0;

	*nfds = 0;
	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    (c->cmsg_type == SCM_RIGHTS || c->cmsg_type == SCM_PIDFD)) {
			k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (i = 0; i < k && *nfds < RX_FDS_MAX; i++)
				memcpy(&fds[(*nfds)++],
				    CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (c->cmsg_type == SCM_RIGHTS)
				continue;
		}
		if (rc == 0) {
			*bad_level = c->cmsg_level;
			*bad_type = c->cmsg_type;
		}
		rc = -1;
	}
	return rc;
}

/* ix_ipc_recv, and with secret the packet buffer wiped before it is
 * freed and the message marked to be wiped in turn. */
static int
recv_msg(int fd, struct ix_msg **out, int timeout_ms, bool secret, struct ix_err *err)
{
	union {
		struct cmsghdr h;
		char buf[CBUF_SIZE];
	} cbuf;
	int fds[RX_FDS_MAX];
	size_t nfds = 0;
	struct iovec iov;
	struct msghdr mh;
	long long deadline = ix_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	int flags = MSG_CMSG_CLOEXEC | (timeout_ms >= 0 ? MSG_DONTWAIT : 0);
	int bad_level = 0, bad_type = 0, rc;
	size_t wipe = 0;
	uint8_t *rx;
	ssize_t n;

	*out = NULL;
	/* One byte more than the largest packet: the kernel flags a longer
	 * one with MSG_TRUNC, and we never see a partial one as whole. */
	rx = malloc(IX_MSG_HDR_LEN + IX_MSG_MAX_PAYLOAD + 1);
	if (rx == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory for a packet");
	iov.iov_base = rx;
	iov.iov_len = IX_MSG_HDR_LEN + IX_MSG_MAX_PAYLOAD + 1;
	for (;;) {
		memset(&mh, 0, sizeof mh);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cbuf.buf;
		mh.msg_controllen = sizeof cbuf.buf;
		if (timeout_ms >= 0 && ix_ipc_wait(fd, POLLIN, deadline,
		    timeout_ms, err) < 0) {
			free(rx);
			return ix_err_prefix(err, "receiving");
		}
		n = recvmsg(fd, &mh, flags);
		if (n >= 0)
			break;
		if (errno == EINTR || (errno == EAGAIN && timeout_ms >= 0))
			continue;
		free(rx);
		return ix_err_sys(err, "receiving");
	}
	if (secret)
		wipe = (size_t)n;
	rc = collect_fds(&mh, fds, &nfds, &bad_level, &bad_type);
	if (n == 0 && nfds == 0 && rc == 0 &&
	    !(mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
		free(rx);
		return 0;
	}
	if (rc < 0)
		rc = ix_err_set(err, IX_EINVAL,
		    "control message level %d type %d is not SCM_RIGHTS",
		    bad_level, bad_type);
	else if (mh.msg_flags & MSG_TRUNC)
		rc = ix_err_set(err, IX_ELIMIT,
		    "packet truncated: longer than the %d-byte maximum",
		    IX_MSG_HDR_LEN + IX_MSG_MAX_PAYLOAD);
	else if (mh.msg_flags & MSG_CTRUNC)
		rc = ix_err_set(err, IX_ELIMIT,
		    "control data truncated: more than %d descriptors",
		    IX_MSG_MAX_FDS);
	else
		rc = ix_msg_decode(rx, (size_t)n, fds, nfds, out, err);
	if (rc == 0 && secret)
		ix_msg_set_secret(*out);
	explicit_bzero(rx, wipe);
	free(rx);
	if (rc < 0) {
		close_all(fds, nfds);
		return -1;
	}
	return 1;
}

int
ix_ipc_send_free(int fd, struct ix_msg *m, int timeout_ms, struct ix_err *err)
{
	int rc;

	if (m == NULL)
		return -1;
	rc = ix_ipc_send(fd, m, timeout_ms, err);
	ix_msg_free(m);
	return rc;
}

int
ix_ipc_recv(int fd, struct ix_msg **out, int timeout_ms, struct ix_err *err)
{
	return recv_msg(fd, out, timeout_ms, false, err);
}

int
ix_ipc_recv_secret(int fd, struct ix_msg **out, int timeout_ms, struct ix_err *err)
{
	return recv_msg(fd, out, timeout_ms, true, err);
}
