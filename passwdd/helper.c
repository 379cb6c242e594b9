/*
 * The helper's side (helper.h): uid 0 with PW_HELPER_CAPS, no_new_privs,
 * no Landlock (pex reads every /proc/PID/fd, PAM loads modules and reads
 * /etc). Its main process only forks one server per worker channel; a
 * server answers its worker's requests until the worker closes it.
 */
#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sodium.h>

#include "libcompart/caps.h"
#include "libipc/ipc.h"
#include "libterm/prompt.h"
#include "passwdd/helper.h"
#include "passwdd/pam.h"
#include "passwdd/pam_loop.h"
#include "passwdd/tags.h"

struct hserver {
	const struct pw_server *srv;
	int ch;			/* the worker's channel */
	char *secret;		/* sodium memory, PW_SECRET_MAX + 2 bytes */
	struct ix_peer worker;	/* the worker: it holds the party too (a relay) */
	bool armed;		/* the alarm runs (from the first request on) */
};

/* Fills the answer from a call's return and *err or why. */
static void
settle(struct pw_hmsg *a, int rc, const char *why, const struct ix_err *e)
{
	a->rc = rc;
	if (rc < 0) {
		a->code = (int32_t)e->code;
		snprintf(a->text, sizeof a->text, "%s", e->msg);
	} else if (why != NULL) {
		snprintf(a->text, sizeof a->text, "%s", why);
	}
}

static int
client(const struct hserver *h, int pidfd, struct pw_hmsg *a, struct ix_err *e)
{
	pid_t pid = pw_pidfd_pid(pidfd, e);

	if (pid < 0)
		return -1;
	a->pid = pid;
	/* Without its cgroup the client is merely in no tagged session. */
	if (pid > 0 && h->srv->cgroot != NULL) {
		if (pw_client_cgroup(pidfd, pid, h->srv->cgroot, &a->cgid, e) == 0)
			a->has_cg = 1;
		else
			snprintf(a->text, sizeof a->text, "%s", e->msg);
	}
	return 0;
}

static int
own_name(uid_t uid, const char *user)
{
	struct passwd *pw = getpwuid(uid);

	return pw != NULL && strcmp(pw->pw_name, user) == 0;
}

/*
 * The party as the prompt and pex know it: fds are the terminal, the
 * client's pidfd and, when the worker's peer is a trusted server that
 * forwarded the terminal (privd, sessiond), that server's pidfd. The
 * relays are the worker and that server, each named by pid and pidfd
 * (relay, the caller's, room for 2).
 */
static int
party_of(const struct hserver *h, const int *fds, unsigned nfds, struct pw_party *p,
	 struct ix_pex_relay *relay, struct ix_err *e)
{
	if (nfds != 2 && nfds != 3)
		return ix_err_set(e, IX_EINVAL, "helper: a party, a pidfd and a relay expected, %u descriptors",
				  nfds);
	relay[0] = (struct ix_pex_relay){ h->worker.pid, h->worker.pidfd };
	*p = (struct pw_party){ fds[0], 0, fds[1], h->srv->prov, h->srv->nprov, relay, 1 };
	p->client_pid = pw_pidfd_pid(fds[1], e);
	if (p->client_pid < 0)
		return -1;
	if (p->client_pid == 0)
		return ix_err_set(e, IX_ENOENT, "the client process has exited");
	if (nfds == 3) {
		relay[1] = (struct ix_pex_relay){ pw_pidfd_pid(fds[2], e), fds[2] };
		if (relay[1].pid < 0)
			return -1;
		if (relay[1].pid == 0)
			return ix_err_set(e, IX_ENOENT, "the server that passed the terminal has exited");
		p->nrelays = 2;
	}
	return 0;
}

static int
pam(const struct hserver *h, const struct pw_hmsg *q, struct ix_err *e)
{
	/* A stack that loads pam_passwdd would send the question back to
	 * passwdd; one that cannot be read is refused too. */
	int loops = pw_pam_service_loops(q->service, e);

	if (loops < 0)
		return -1;
	if (loops == 1)
		return ix_err_set(e, IX_EDENIED, "PAM service %s loads pam_passwdd: refused (a loop)",
				  q->service);
	return pw_pam_check(q->service, q->user, h->secret, e);
}

/* Answers one request; returns 0 to go on, -1 to end the channel. */
static int
answer(struct hserver *h)
{
	struct pw_hmsg q, a;
	struct pw_party p;
	struct ix_pex_relay relay[2];
	char why[IX_PEX_WHY_MAX] = "";
	int fds[PW_H_FDS_MAX];
	unsigned nfds, i;
	struct ix_err e;
	int rc, out_secret = 0;
	bool pex_first = false;

	rc = pw_hmsg_recv(h->ch, &q, fds, &nfds, h->secret, &e);
	if (rc <= 0)
		return -1;
	/* No longer than its worker, whose alarm starts with its connection
	 * (passwdd.c): a spare's channel waits unarmed until then. */
	if (!h->armed) {
		alarm((unsigned)(h->srv->prompt_timeout_ms / 1000 + h->srv->lock.cap_ms / 1000 + 60));
		h->armed = true;
	}
	memset(&a, 0, sizeof a);
	a.op = q.op;
	switch (q.op) {
	case PW_H_CLIENT:
		rc = nfds == 1 ? client(h, fds[0], &a, &e)
			       : ix_err_set(&e, IX_EINVAL, "helper: one pidfd expected");
		settle(&a, rc, NULL, &e);
		break;
	case PW_H_OWN_NAME:
		settle(&a, own_name((uid_t)q.uid, q.user), NULL, &e);
		break;
	case PW_H_PEX:
		rc = party_of(h, fds, nfds, &p, relay, &e);
		if (rc == 0) {
			struct ix_pex_req r = { p.fd, p.client_pid, p.client_pidfd, p.prov, p.nprov,
						p.relays, p.nrelays };

			rc = ix_pex_check(&r, why, sizeof why, &e);
		}
		settle(&a, rc, why, &e);
		break;
	case PW_H_PROMPT:
		rc = party_of(h, fds, nfds, &p, relay, &e);
		if (rc == 0)
			rc = pw_prompt_secret(&p, "Password: ", h->secret, PW_SECRET_MAX + 2,
					      q.timeout_ms, &pex_first, why, sizeof why, &e);
		a.pex_first = pex_first;
		settle(&a, rc, why, &e);
		out_secret = rc == 1;
		break;
	case PW_H_PAM:
		settle(&a, pam(h, &q, &e), NULL, &e);
		break;
	default:
		ix_err_set(&e, IX_EINVAL, "helper: unknown request %u", q.op);
		settle(&a, -1, NULL, &e);
		break;
	}
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	rc = pw_hmsg_send(h->ch, &a, NULL, 0, out_secret ? h->secret : NULL, &e);
	sodium_memzero(h->secret, PW_SECRET_MAX + 2);
	return rc;
}

/* A forked server for one worker's channel. */
static int
serve_channel(const struct pw_server *srv, int ch)
{
	struct hserver h = { srv, ch, sodium_malloc(PW_SECRET_MAX + 2), { .pidfd = -1 }, false };
	struct ix_err e;

	/* socketpair records its creator: the worker, pinned by a pidfd. */
	if (ix_ipc_peer(ch, &h.worker, &e) < 0) {
		ix_log_event(srv->log, "helper-error", "error=the channel's worker is unknown: %s", e.msg);
		sodium_free(h.secret);
		return 1;
	}
	if (h.secret == NULL) {
		ix_log_event(srv->log, "helper-error", "error=out of guarded memory");
		ix_peer_close(&h.worker);
		return 1;
	}
	while (answer(&h) == 0)
		;
	sodium_free(h.secret);
	ix_peer_close(&h.worker);
	return 0;
}

static int
serve(const struct pw_server *srv, int chan)
{
	for (;;) {
		struct pw_hmsg m;
		int fds[PW_H_FDS_MAX];
		unsigned nfds, i;
		struct ix_err e;
		pid_t pid;
		int rc;

		rc = pw_hmsg_recv(chan, &m, fds, &nfds, NULL, &e);
		if (rc < 0) {
			ix_log_event(srv->log, "helper-error", "error=%s", e.msg);
			continue;
		}
		if (rc == 0 || m.op == PW_H_STOP) {
			for (i = 0; i < nfds; i++)
				close(fds[i]);
			break;
		}
		if (m.op != PW_H_CHANNEL || nfds != 1) {
			ix_log_event(srv->log, "helper-error", "error=request %u with %u descriptors on the shared channel",
				     m.op, nfds);
			for (i = 0; i < nfds; i++)
				close(fds[i]);
			continue;
		}
		pid = fork();
		if (pid == 0) {
			close(chan);
			signal(SIGCHLD, SIG_DFL);	/* PAM modules wait for their children */
			_exit(serve_channel(srv, fds[0]));
		}
		if (pid < 0)
			ix_log_event(srv->log, "helper-error", "stage=fork error=%s", strerror(errno));
		close(fds[0]);
	}
	/* The run directory is root's: the confined daemon cannot unlink. */
	unlink(srv->socket);
	return 0;
}

int
pw_helper_start(const struct pw_server *srv, int *chan, pid_t *pid, struct ix_err *err)
{
	const struct ix_ids root = { 0, 0, { 0 }, 0 };
	const char *step;
	int sv[2], rc;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return ix_err_sys(err, "helper: socketpair");
	*pid = fork();
	if (*pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return ix_err_sys(err, "helper: fork");
	}
	if (*pid == 0) {
		close(sv[0]);
		signal(SIGTERM, SIG_IGN);	/* stopped by its daemon, not by a group signal */
		signal(SIGINT, SIG_IGN);
		signal(SIGPIPE, SIG_IGN);
		signal(SIGCHLD, SIG_IGN);	/* channel servers reap themselves */
		rc = ix_caps_enter(&root, PW_HELPER_CAPS, &step);
		if (rc < 0) {
			ix_log_event(srv->log, "helper-error", "stage=%s error=%s", step, strerror(-rc));
			_exit(1);
		}
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
			ix_log_event(srv->log, "helper-error", "stage=no_new_privs error=%s",
				     strerror(errno));
			_exit(1);
		}
		_exit(serve(srv, sv[1]));
	}
	close(sv[1]);
	*chan = sv[0];
	return 0;
}

void
pw_helper_stop(int chan, pid_t pid)
{
	struct pw_hmsg m = { .op = PW_H_STOP };
	struct ix_err e;

	pw_hmsg_send(chan, &m, NULL, 0, NULL, &e);
	close(chan);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}
