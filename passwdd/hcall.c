/*
 * The helper's wire (one datagram per request or answer) and the
 * worker's side of each request (helper.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <sodium.h>

#include "passwdd/helper.h"

int
pw_hmsg_send(int fd, const struct pw_hmsg *m, const int *fds, unsigned nfds,
	     const char *secret, struct ix_err *err)
{
	union {
		char buf[CMSG_SPACE(PW_H_FDS_MAX * sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov[2] = { { (void *)m, sizeof *m }, { NULL, 0 } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 1 };
	ssize_t n;

	if (nfds > PW_H_FDS_MAX)
		return ix_err_set(err, IX_ELIMIT, "helper: %u descriptors, at most %d", nfds,
				  PW_H_FDS_MAX);
	if (secret != NULL) {
		iov[1] = (struct iovec){ (void *)secret, strlen(secret) + 1 };
		if (iov[1].iov_len > PW_SECRET_MAX + 2)
			return ix_err_set(err, IX_ELIMIT, "helper: secret too long");
		mh.msg_iovlen = 2;
	}
	if (nfds > 0) {
		struct cmsghdr *c;

		memset(&u, 0, sizeof u);
		mh.msg_control = u.buf;
		mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
	}
	do
		n = sendmsg(fd, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return ix_err_sys(err, "helper: sendmsg");
	return 0;
}

int
pw_hmsg_recv(int fd, struct pw_hmsg *m, int *fds, unsigned *nfds, char *secret,
	     struct ix_err *err)
{
	union {
		char buf[CMSG_SPACE(PW_H_FDS_MAX * sizeof(int))];
		struct cmsghdr align;
	} u;
	char spare;
	struct iovec iov[2] = {
		{ m, sizeof *m },
		{ secret != NULL ? secret : &spare, secret != NULL ? PW_SECRET_MAX + 2 : 1 },
	};
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2, .msg_control = u.buf,
			     .msg_controllen = sizeof u.buf };
	struct cmsghdr *c;
	size_t extra;
	ssize_t n;
	unsigned i;

	*nfds = 0;
	for (i = 0; i < PW_H_FDS_MAX; i++)
		fds[i] = -1;
	do
		n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return ix_err_sys(err, "helper: recvmsg");
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		size_t k;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		for (k = 0; k < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); k++) {
			int d;

			memcpy(&d, CMSG_DATA(c) + k * sizeof(int), sizeof d);
			if (*nfds < PW_H_FDS_MAX)
				fds[(*nfds)++] = d;
			else
				close(d);
		}
	}
	if (n == 0)
		return 0;
	extra = (size_t)n > sizeof *m ? (size_t)n - sizeof *m : 0;
	if ((size_t)n < sizeof *m || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
	    (extra > 0 && (secret == NULL || secret[extra - 1] != '\0'))) {
		if (secret != NULL)
			sodium_memzero(secret, PW_SECRET_MAX + 2);
		for (i = 0; i < *nfds; i++)
			close(fds[i]);
		*nfds = 0;
		return ix_err_set(err, IX_EINVAL, "helper: malformed datagram of %zd bytes", n);
	}
	if (secret != NULL && extra == 0)
		secret[0] = '\0';
	m->user[sizeof m->user - 1] = '\0';
	m->service[sizeof m->service - 1] = '\0';
	m->text[sizeof m->text - 1] = '\0';
	return 1;
}

int
pw_hcall_open(int shared, struct ix_err *err)
{
	struct pw_hmsg m = { .op = PW_H_CHANNEL };
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return ix_err_sys(err, "helper: socketpair");
	if (pw_hmsg_send(shared, &m, &sv[1], 1, NULL, err) < 0) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	close(sv[1]);
	return sv[0];
}

/* The second half of a round trip: the answer to request op into m (and
 * secret). The answer's rc is returned; a failure's words go to *err, a
 * reason to why. */
static int
answer_of(int ch, uint32_t op, struct pw_hmsg *m, char *recv_secret, char *why, size_t whysize,
	  struct ix_err *err)
{
	int got[PW_H_FDS_MAX];
	unsigned ngot, i;
	int rc;

	rc = pw_hmsg_recv(ch, m, got, &ngot, recv_secret, err);
	for (i = 0; i < ngot; i++)
		close(got[i]);
	if (rc == 0)
		return ix_err_set(err, IX_ESYS, "helper: channel closed");
	if (rc < 0)
		return -1;
	if (m->op != op || ngot != 0)
		return ix_err_set(err, IX_EINVAL, "helper: answer does not match request %u", op);
	if (m->rc < 0) {
		err->code = m->code > 0 && m->code <= IX_ECORRUPT ? (enum ix_errcode)m->code : IX_ESYS;
		err->sys_errno = 0;
		snprintf(err->msg, sizeof err->msg, "%s", m->text);
		return -1;
	}
	if (why != NULL)
		snprintf(why, whysize, "%s", m->text);
	return m->rc;
}

/* One round trip: m out, the answer back into m (answer_of). */
static int
call(int ch, struct pw_hmsg *m, const int *fds, unsigned nfds, const char *send_secret,
     char *recv_secret, char *why, size_t whysize, struct ix_err *err)
{
	if (pw_hmsg_send(ch, m, fds, nfds, send_secret, err) < 0)
		return -1;
	return answer_of(ch, m->op, m, recv_secret, why, whysize, err);
}

int
pw_hcall_client_ask(int ch, int pidfd, struct ix_err *err)
{
	struct pw_hmsg m = { .op = PW_H_CLIENT };

	return pw_hmsg_send(ch, &m, &pidfd, 1, NULL, err);
}

int
pw_hcall_client(int ch, pid_t *pid, uint64_t *cgid, int *has_cg, char *cgerr, size_t cgerrsize,
		struct ix_err *err)
{
	struct pw_hmsg m;

	if (answer_of(ch, PW_H_CLIENT, &m, NULL, cgerr, cgerrsize, err) < 0)
		return -1;
	*pid = m.pid;
	*cgid = m.cgid;
	*has_cg = m.has_cg != 0;
	return 0;
}

int
pw_hcall_own_name(int ch, uid_t uid, const char *user, struct ix_err *err)
{
	struct pw_hmsg m = { .op = PW_H_OWN_NAME, .uid = uid };

	snprintf(m.user, sizeof m.user, "%s", user);
	return call(ch, &m, NULL, 0, NULL, NULL, NULL, 0, err);
}

int
pw_hcall_pex(int ch, int fd, int pidfd, int relay_pidfd, char *why, size_t whysize,
	     struct ix_err *err)
{
	struct pw_hmsg m = { .op = PW_H_PEX };
	int fds[3] = { fd, pidfd, relay_pidfd };

	return call(ch, &m, fds, relay_pidfd >= 0 ? 3 : 2, NULL, NULL, why, whysize, err);
}

int
pw_hcall_prompt(int ch, int fd, int pidfd, int relay_pidfd, int timeout_ms, char *out,
		int *pex_first, char *why, size_t whysize, struct ix_err *err)
{
	struct pw_hmsg m = { .op = PW_H_PROMPT, .timeout_ms = timeout_ms };
	int fds[3] = { fd, pidfd, relay_pidfd };
	int rc;

	rc = call(ch, &m, fds, relay_pidfd >= 0 ? 3 : 2, NULL, out, why, whysize, err);
	/* Only an answer from the helper can say so: a failed round trip
	 * is no pex verdict. */
	*pex_first = m.op == PW_H_PROMPT && m.pex_first != 0;
	if (rc != 1)
		sodium_memzero(out, PW_SECRET_MAX + 2);
	return rc;
}

int
pw_hcall_pam(int ch, const char *service, const char *user, const char *secret,
	     struct ix_err *err)
{
	struct pw_hmsg m = { .op = PW_H_PAM };

	snprintf(m.user, sizeof m.user, "%s", user);
	snprintf(m.service, sizeof m.service, "%s", service);
	return call(ch, &m, NULL, 0, secret, NULL, NULL, 0, err);
}
