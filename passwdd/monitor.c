/*
 * passwdd's monitor (server.h): the one process that opens the secrets
 * database, confined as passwdd's user (confine.h). For one connection it
 * reads the peer from the connection itself (ix_ipc_peer), hands the
 * connection to its worker, reads the worker's one message through
 * pw_mon_machine (wire.h), waits for the worker to end, and only then
 * acts: verifies (the helper for pex, the password prompt and PAM; the
 * one-time code itself), or registers a tag, and answers the client on
 * the connection. A worker that breaks the machine, relays what the
 * checks refuse or a descriptor its peer does not hold, or does not end
 * after its message, is fatal: logged as worker-fatal, the client told,
 * nothing verified or written, and the monitor exits (the slot's keeper
 * then kills the worker; the helper ends with its channel).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>

#include "libterm/pex.h"
#include "libterm/prompt.h"
#include "passwdd/helper.h"
#include "passwdd/proto.h"
#include "passwdd/server.h"
#include "passwdd/wire.h"

#define WORKER_MS 20000		/* banner and request (the worker's own timeouts: 5 + 10 s) */
#define WORKER_END_MS 2000	/* from its message to its end */
#define ANSWER_TIMEOUT_MS 5000

struct mon {
	const struct pw_server *srv;
	struct pw_store *st;
	int fd;			/* the connection */
	struct ix_peer peer;	/* who connected, read by us */
	pid_t wpid;		/* the worker (the keeper's child) */
	int wpidfd;		/* a pidfd of it: readable once it has ended */
	int wch;		/* its channel */
	int hch;		/* the helper's channel */
	struct ix_mon m;	/* where the worker's conversation is */
	struct pw_wreq r;	/* what it relayed */
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
send_simple(struct mon *c, struct ix_msg *m, struct ix_err *err)
{
	int rc;

	if (m == NULL)
		return -1;
	rc = ix_ipc_send(c->fd, m, ANSWER_TIMEOUT_MS, err);
	ix_msg_free(m);
	return rc;
}

static int
answer(struct mon *c, enum pw_verdict v, struct ix_err *err)
{
	struct ix_msg *m = ix_msg_new(PW_MSG_RESULT, err);

	if (m != NULL)
		ix_msg_put_u8(m, (uint8_t)v, err);
	return send_simple(c, m, err);
}

static void
answer_error(struct mon *c, const struct ix_err *e)
{
	struct ix_err e2;

	ix_ipc_send_error(c->fd, e, ANSWER_TIMEOUT_MS, &e2);
}

/* The worker broke the machine: logged, the client told, the slot ends
 * (its worker is killed by its parent-death signal). */
static _Noreturn void
worker_fatal(struct mon *c, const struct ix_err *why)
{
	struct ix_err e = { .code = IX_ECORRUPT };

	ix_log_event(c->srv->log, "worker-fatal", "uid=%u pid=%d worker=%d state=%s error=%s",
		     (unsigned)c->peer.uid, (int)c->peer.pid, (int)c->wpid, ix_mon_state(&c->m),
		     why->msg);
	snprintf(e.msg, sizeof e.msg, "the request was not carried out (an internal error, logged)");
	answer_error(c, &e);
	_exit(PW_SLOT_WORKER_FATAL);
}

/* Reads and dispatches one message from the worker within ms: 1 done, 0
 * the worker closed its channel. */
static int
from_worker(struct mon *c, int ms)
{
	struct ix_msg *m = NULL;
	struct ix_err e;
	int rc = ix_ipc_recv(c->wch, &m, ms, &e);

	if (rc == 0)
		return 0;
	if (rc < 0) {
		if (e.code == IX_ELIMIT && strstr(e.msg, "timed out") != NULL)
			ix_err_prefix(&e, "the worker said nothing in state %s", ix_mon_state(&c->m));
		worker_fatal(c, &e);
	}
	rc = ix_mon_dispatch(&c->m, m, &c->r, &e);
	ix_msg_free(m);
	if (rc < 0)
		worker_fatal(c, &e);
	return 1;
}

/* The worker has sent its one message: it must end now, saying nothing
 * more, and be gone before the party is looked at (a worker still
 * holding it would be a holder pex has to refuse). */
static void
worker_ends(struct mon *c)
{
	struct ix_err e;

	/* nothing is permitted now: a message is fatal in from_worker */
	(void)from_worker(c, WORKER_END_MS);
	if (c->wpidfd >= 0 &&
	    poll(&(struct pollfd){ .fd = c->wpidfd, .events = POLLIN }, 1, WORKER_END_MS) == 1)
		return;
	ix_err_set(&e, IX_ELIMIT, "the worker closed its channel but did not end");
	worker_fatal(c, &e);
}

/* After a helper call failed: a helper that has gone (its channel hung
 * up) ends the slot here, before anything is counted or answered: the
 * person's verification failed through no fault of theirs. The keeper
 * sees the helper's end too and logs it through main. */
static void
helper_check(struct mon *c)
{
	struct pollfd p = { .fd = c->hch, .events = POLLIN };

	if (poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR)))
		_exit(PW_SLOT_HELPER_DIED);
}

/* Writes a line for the person, when the descriptor can be written. */
static void
tell(int fd, const char *what)
{
	int fl = fcntl(fd, F_GETFL);
	char line[IX_PEX_WHY_MAX + 64];
	int n;

	if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY)
		return;
	n = snprintf(line, sizeof line, "passwdd: %s\n", what);
	if (n > 0 && write(fd, line, (size_t)n) < 0)
		return;
}

/* Asks for and checks the secret of the chosen kind. Returns 1 verified,
 * 0 not, -1 error. *method (OUT) names what was asked, for the log. */
static int
ask(struct mon *c, const struct pw_party *party, int relay_pidfd, const struct pw_user *u,
    int known, const char **method, struct ix_err *err)
{
	const struct pw_server *s = c->srv;
	const char *user = c->r.user;
	char why[IX_PEX_WHY_MAX] = "";
	char *secret;
	int pex, rc = 0, replay = 0;
	int has_classical = !c->r.otp_only &&
			    (!known || u->backend == PW_BACKEND_PAM || u->has_password);

	secret = sodium_malloc(PW_SECRET_MAX + 2);
	if (secret == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of guarded memory");
	if (has_classical) {
		/* The prompt runs pex first and says when its answer is that
		 * pex's (nothing touched): one scan and one round trip fewer
		 * than asking pex separately, the same check. */
		int pex_first;

		*method = known && u->backend == PW_BACKEND_PAM ? "pam" : "password";
		rc = pw_hcall_prompt(c->hch, user, party->fd, party->client_pidfd, relay_pidfd,
				     s->prompt_timeout_ms, secret, &pex_first, why, sizeof why, err);
		if (rc < 0)
			helper_check(c);
		if (!pex_first) {
			if (rc == 1) {
				if (known && u->backend == PW_BACKEND_PAM) {
					rc = pw_hcall_pam(c->hch, u->pam_service, user, secret, err);
					if (rc < 0)
						helper_check(c);
				} else
					rc = pw_store_check_password(c->st, user, secret, err);
			} else if (rc == 0) {
				ix_log_event(s->log, "prompt-void", "user=%s reason=%s", user, why);
				tell(party->fd, why);
			}
			goto out;
		}
		pex = rc;
	} else if (c->r.otp_only) {
		pex = 0;	/* the client has told the person why */
	} else {
		pex = pw_hcall_pex(c->hch, party->fd, party->client_pidfd, relay_pidfd, why,
				   sizeof why, err);
		if (pex < 0)
			helper_check(c);
	}
	if (pex < 0) {
		ix_log_event(s->log, "pex-error", "user=%s error=%s", user, err->msg);
		snprintf(why, sizeof why, "the private path could not be checked");
	}
	if (pex != 1 && !c->r.otp_only) {
		/* Shown to the person and logged, never sent to the client. */
		ix_log_event(s->log, "pex-refused", "user=%s requester=%u reason=%s", user,
			     (unsigned)c->peer.uid, why);
		if (has_classical)	/* a password would have been asked */
			tell(party->fd, why);
	}
	*method = "one-time code";
	rc = pw_prompt_line(party->fd, "One-time code: ", secret, PW_OTP_CODE_MAX + 1,
			    s->prompt_timeout_ms, err);
	if (rc == 1) {
		rc = pw_store_check_otp(c->st, user, secret, time(NULL), s->otp_window, &replay, err);
		if (rc == 0 && replay)
			ix_log_event(s->log, "otp-replay", "user=%s requester=%u", user,
				     (unsigned)c->peer.uid);
	} else if (rc < 0 && err->code == IX_ELIMIT) {
		rc = 0;		/* an overlong line is a wrong code */
	}
out:
	sodium_free(secret);
	return rc;
}

/*
 * An attempt refused before anything was asked: logged with who asked
 * from where and why, and the person told what locked and what to do
 * (on the party's descriptor, when it can be written; the client hears
 * only "locked", or "busy" for a turn that is too far off).
 */
static int
refuse(struct mon *c, const struct pw_party *party, const struct pw_lockout_key *k,
    const struct pw_attempt *a, struct ix_err *err)
{
	static const char *const why[] = {
		[PW_LOCK_LOCKED] = "port", [PW_LOCK_BUDGET] = "budget", [PW_LOCK_TOO_SOON] = "too-soon",
	};
	char line[IX_PEX_WHY_MAX];

	ix_log_event(c->srv->log, "verify", "user=%s requester=%u pid=%d port=%s result=%s reason=%s"
		     " port_failures=%u user_failures=%u",
		     k->user, (unsigned)k->requester, (int)party->client_pid, k->port,
		     a->state == PW_LOCK_TOO_SOON ? "busy" : "locked", why[a->state],
		     a->seen.key_count, a->seen.user_count);
	if (a->state == PW_LOCK_LOCKED)
		snprintf(line, sizeof line, "locked: too many failures for %s from this terminal; "
			 "ask an administrator: passwdd-admin unlock %s", k->user, k->user);
	else if (a->state == PW_LOCK_BUDGET)
		snprintf(line, sizeof line, "locked: too many failures for %s across all terminals; "
			 "ask an administrator: passwdd-admin unlock %s", k->user, k->user);
	else
		snprintf(line, sizeof line, "too many attempts for %s at once; nothing was asked; "
			 "try again in %lld s", k->user, (long long)(a->wait_ms + 999) / 1000);
	tell(party->fd, line);
	pw_wreq_clear(&c->r);
	if (a->state != PW_LOCK_TOO_SOON)
		return answer(c, PW_VERDICT_LOCKED, err);
	/* Not a verdict: nothing was asked, as when main is busy. */
	ix_err_set(err, IX_ELIMIT, IX_SRV_BUSY_PREFIX "%s", line);
	answer_error(c, err);
	return 0;
}

static int
act_verify(struct mon *c, struct ix_err *err)
{
	const struct pw_server *s = c->srv;
	bool trusted = c->r.peer_flags & PW_PEER_TRUSTED, held, has_cg;
	struct pw_party party = { c->r.party_fd, 0, -1, s->prov, s->nprov, NULL, 0 };
	char port[IX_STREAM_ID_MAX] = "?", cgerr[PW_H_WHY_MAX];
	const char *user = c->r.user, *method = "none";
	struct pw_lockout_key key;
	struct pw_attempt att;
	struct pw_user u;
	struct ix_err e2;
	int rc, known, state;
	uint64_t cgid;

	/* Only a trusted peer asks on behalf of another process, and only
	 * such a peer, which holds the terminal it forwarded, is a relay
	 * (pex.h): named by its pidfd, so not by a pid someone may reuse. */
	party.client_pidfd = trusted ? c->r.pidfd : c->peer.pidfd;
	if (pw_hcall_client(c->hch, trusted, c->r.party_fd, c->r.pidfd, c->peer.pidfd, &held,
			    &party.client_pid, &cgid, &has_cg, cgerr, sizeof cgerr, err) < 0) {
		helper_check(c);
		return -1;
	}
	if (!held) {
		ix_err_set(&e2, IX_EDENIED, "a relayed descriptor is not one the peer (pid %d) holds",
			   (int)c->peer.pid);
		worker_fatal(c, &e2);
	}
	if (party.client_pid == 0)
		return ix_err_set(err, IX_ENOENT, "the client process has exited");
	state = ix_stream_id(party.fd, NULL, 0, port, sizeof port, &e2);
	key = (struct pw_lockout_key){ user, c->peer.uid, port };
	/* Reserved before anything is asked: a burst finds the attempts in
	 * flight before it, and an attempt whose monitor dies from here on
	 * stays counted. */
	if (state == 0)
		state = pw_lockout_reserve(c->st, &s->lock, &key, now_ms(), &att, &e2);
	if (state < 0) {
		*err = e2;
		return -1;
	}
	if (att.state != PW_LOCK_OPEN && att.state != PW_LOCK_WAIT)
		return refuse(c, &party, &key, &att, err);
	if (att.state == PW_LOCK_WAIT)
		poll(NULL, 0, (int)att.wait_ms);
	/* An expired tag never matches; deleting them is the slot's
	 * housekeeping (slot.c), off the request's path. */
	if (c->r.otp_only)
		rc = 0;		/* a tag proves a session, not a person present now */
	else if (has_cg)
		rc = pw_store_tag_check(c->st, cgid, user, time(NULL), err);
	else if (cgerr[0] != '\0')
		rc = ix_err_set(err, IX_ESYS, "%s", cgerr);
	else
		rc = 0;
	if (rc < 0) {
		ix_log_event(s->log, "tag-error", "user=%s error=%s", user, err->msg);
		rc = 0;
	}
	if (rc == 1) {
		method = "session tag";
	} else {
		known = pw_store_get_user(c->st, user, &u, err);
		if (known < 0)
			return -1;
		rc = ask(c, &party, trusted ? c->peer.pidfd : -1, &u, known, &method, err);
		if (rc < 0) {
			ix_log_event(s->log, "verify-error", "user=%s error=%s", user, err->msg);
			rc = 0;
		}
	}
	/* One statement or transaction each: a monitor killed before it
	 * leaves the attempt counted as a failure. */
	if (rc == 1 ? pw_lockout_passed(c->st, &key, &att, err) < 0
		    : pw_lockout_failed(c->st, &att, err) < 0)
		return -1;
	ix_log_event(s->log, "verify", "user=%s requester=%u pid=%d port=%s method=%s result=%s",
		     user, (unsigned)c->peer.uid, (int)party.client_pid, port, method,
		     rc == 1 ? "granted" : "failed");
	/* The terminal is let go before the answer: a client that asks
	 * again at once, or privd's confirmation right after, must not find
	 * this slot holding it outside the session. */
	pw_wreq_clear(&c->r);
	return answer(c, rc == 1 ? PW_VERDICT_OK : PW_VERDICT_FAILED, err);
}

static int
act_tag(struct mon *c, struct ix_err *err)
{
	const char *ids[PW_TAG_IDS_MAX];
	int rc;

	if (c->r.kind == PW_WREQ_TAG_ADD) {
		for (unsigned i = 0; i < c->r.nids; i++)
			ids[i] = c->r.ids[i];
		if (pw_store_tag_add(c->st, c->r.cgroup, c->r.token, ids, c->r.nids,
				     (int64_t)time(NULL) + c->r.lifetime, err) < 0)
			return -1;
		ix_log_event(c->srv->log, "tag-register", "cgroup=%llu identities=%u lifetime=%u",
			     (unsigned long long)c->r.cgroup, c->r.nids, c->r.lifetime);
	} else {
		rc = pw_store_tag_remove(c->st, c->r.cgroup, c->r.token, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return ix_err_set(err, IX_ENOENT, "no tag for cgroup %llu with that token",
					  (unsigned long long)c->r.cgroup);
		ix_log_event(c->srv->log, "tag-unregister", "cgroup=%llu",
			     (unsigned long long)c->r.cgroup);
	}
	return send_simple(c, ix_msg_new(IX_MSG_OK, err), err);
}

/* The monitor's facts about its peer, and its login name when it may ask
 * only about itself. */
static int
know_peer(struct mon *c, struct ix_err *err)
{
	const struct pw_server *s = c->srv;

	if (ix_ipc_peer(c->fd, &c->peer, err) < 0)
		return -1;
	c->r.peer_uid = c->peer.uid;
	if (c->peer.uid == 0 || c->peer.uid == s->privd_uid || c->peer.uid == s->sessiond_uid)
		c->r.peer_flags |= PW_PEER_TRUSTED;
	if (s->sessiond_uid != (uid_t)-1 && c->peer.uid == s->sessiond_uid)
		c->r.peer_flags |= PW_PEER_SESSIOND;
	if (c->r.peer_flags & PW_PEER_TRUSTED)
		return 0;
	return pw_hcall_name(c->hch, c->peer.uid, c->r.peer_name, err);
}

static int
hand_over(struct mon *c, struct ix_err *err)
{
	struct ix_msg *m = ix_msg_new(PW_W_CONN, err);
	int rc;

	if (m == NULL)
		return -1;
	ix_msg_put_u32(m, c->r.peer_uid, err);
	ix_msg_put_u8(m, (uint8_t)c->r.peer_flags, err);
	ix_msg_put_str(m, c->r.peer_name, PW_USER_MAX, err);
	ix_msg_put_fd(m, c->fd, err);
	rc = ix_ipc_send(c->wch, m, ANSWER_TIMEOUT_MS, err);
	ix_msg_free(m);
	return rc;
}

int
pw_monitor(const struct pw_server *srv, struct pw_store *st, const struct ix_srv_conn *conn,
	   pid_t wpid, int wch, int hch)
{
	struct mon c = { .srv = srv, .st = st, .fd = conn->fd, .peer = { .pidfd = -1 },
			 .wpid = wpid, .wpidfd = (int)syscall(SYS_pidfd_open, wpid, 0), .wch = wch,
			 .hch = hch };
	struct ix_err e;
	int rc = -1, status = PW_SLOT_OK;

	c.r.party_fd = c.r.pidfd = -1;
	if (ix_mon_init(&c.m, &pw_mon_machine, &e) < 0) {
		ix_log_event(srv->log, "error", "stage=monitor error=%s", e.msg);
		return PW_SLOT_FAIL;
	}
	if (know_peer(&c, &e) < 0) {
		ix_log_event(srv->log, "reject", "stage=peer error=%s", e.msg);
		status = PW_SLOT_FAIL;
		goto out;
	}
	/* A worker that speaks before it has a connection is out of state;
	 * one that has ended cannot serve. */
	if (poll(&(struct pollfd){ .fd = wch, .events = POLLIN }, 1, 0) > 0 &&
	    from_worker(&c, 0) == 0) {
		ix_log_event(srv->log, "error", "stage=hand-over worker=%d error=the worker had ended",
			     (int)wpid);
		ix_err_set(&e, IX_ESYS, "its worker ended before the connection; try again");
		answer_error(&c, &e);
		status = PW_SLOT_FAIL;
		goto out;
	}
	if (ix_mon_move(&c.m, PW_MS_RELAYING, &e) < 0 || hand_over(&c, &e) < 0) {
		ix_log_event(srv->log, "error", "stage=hand-over error=%s", e.msg);
		answer_error(&c, &e);
		status = PW_SLOT_FAIL;
		goto out;
	}
	/* The channel closed: the client went away before its request,
	 * or the worker was killed (the keeper logs how). */
	if (from_worker(&c, WORKER_MS) == 0)
		goto out;
	worker_ends(&c);
	switch (c.r.kind) {
	case PW_WREQ_REJECT:
		ix_log_event(srv->log, "reject", "stage=%s uid=%u pid=%d error=%s", c.r.stage,
			     (unsigned)c.peer.uid, (int)c.peer.pid, c.r.reject.msg);
		if (!c.r.answered)
			answer_error(&c, &c.r.reject);
		rc = 0;
		break;
	case PW_WREQ_VERIFY:
	case PW_WREQ_TAG_ADD:
	case PW_WREQ_TAG_DEL:
		if (st == NULL)
			rc = ix_err_set(&e, IX_EDB, "passwdd: its secrets database is unavailable");
		else if (c.r.kind == PW_WREQ_VERIFY)
			rc = act_verify(&c, &e);
		else
			rc = act_tag(&c, &e);
		break;
	case PW_WREQ_NONE:
		ix_err_set(&e, IX_ECORRUPT, "a state without a request");
		worker_fatal(&c, &e);
	}
	if (rc < 0 && c.r.kind != PW_WREQ_REJECT) {
		ix_log_event(srv->log, "reject", "stage=request uid=%u pid=%d error=%s",
			     (unsigned)c.peer.uid, (int)c.peer.pid, e.msg);
		answer_error(&c, &e);
	}
	if (ix_mon_move(&c.m, PW_MS_DONE, &e) < 0)
		status = PW_SLOT_FAIL;
out:
	pw_wreq_clear(&c.r);
	ix_peer_close(&c.peer);
	if (c.wpidfd >= 0)
		close(c.wpidfd);
	return status;
}
