/*
 * One connection, in its own forked process: the peer's identity, the
 * banner, then exactly one request from the table below. A worker keeps no
 * state of its own beyond the connection: failures, replay counters and
 * tags are in the secrets database, which every worker opens for itself
 * (a SQLite connection must not cross fork), as a rule before its
 * connection arrives (passwdd.c: the spare).
 *
 * A worker runs confined (confine.h: passwdd's user, no capability,
 * Landlock to the database's directory, seccomp): whatever needs /proc of
 * other processes, /etc or PAM is asked of the helper (helper.h) over the
 * worker's own channel.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>

#include "libterm/pex.h"
#include "libterm/prompt.h"
#include "passwdd/helper.h"
#include "passwdd/proto.h"
#include "passwdd/server.h"

#define HELLO_TIMEOUT_MS 5000
#define REQUEST_TIMEOUT_MS 10000
#define ANSWER_TIMEOUT_MS 5000

struct conn {
	const struct pw_server *srv;
	int fd;			/* the connection */
	struct ix_peer peer;	/* who connected */
	struct pw_store *st;	/* this worker's connection to the secrets db */
	int hch;		/* this worker's channel to the helper */
	int relay_pidfd;	/* the peer's pidfd when it is a trusted server, else -1 */
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
answer(struct conn *c, enum pw_verdict v, struct ix_err *err)
{
	struct ix_msg *m = ix_msg_new(PW_MSG_RESULT, err);
	int rc;

	if (m == NULL)
		return -1;
	ix_msg_put_u8(m, (uint8_t)v, err);
	rc = ix_ipc_send(c->fd, m, ANSWER_TIMEOUT_MS, err);
	ix_msg_free(m);
	return rc;
}

static int
answer_ok(struct conn *c, struct ix_err *err)
{
	struct ix_msg *m = ix_msg_new(IX_MSG_OK, err);
	int rc;

	if (m == NULL)
		return -1;
	rc = ix_ipc_send(c->fd, m, ANSWER_TIMEOUT_MS, err);
	ix_msg_free(m);
	return rc;
}

/* Root and the configured privd and sessiond users may ask about anyone;
 * any other uid only about its own login name. */
static int
may_ask(const struct conn *c, const char *user, int *trusted, struct ix_err *err)
{
	const struct pw_server *s = c->srv;
	int own;

	*trusted = c->peer.uid == 0 || c->peer.uid == s->privd_uid || c->peer.uid == s->sessiond_uid;
	if (*trusted)
		return 0;
	own = pw_hcall_own_name(c->hch, c->peer.uid, user, err);
	if (own < 0)
		return -1;
	if (own == 0)
		return ix_err_set(err, IX_EDENIED, "uid %u may only verify its own login name",
				  (unsigned)c->peer.uid);
	return 0;
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
ask(struct conn *c, const struct pw_party *party, const char *user, const struct pw_user *u,
    int known, const char **method, struct ix_err *err)
{
	const struct pw_server *s = c->srv;
	char why[IX_PEX_WHY_MAX] = "";
	char *secret;
	int pex, rc = 0, replay = 0;
	int has_classical = !known || u->backend == PW_BACKEND_PAM || u->has_password;

	secret = sodium_malloc(PW_SECRET_MAX + 2);
	if (secret == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of guarded memory");
	if (has_classical) {
		/* The prompt runs pex first and says when its answer is that
		 * pex's (nothing touched): one scan and one round trip fewer
		 * than asking pex separately, the same check. */
		int pex_first;

		*method = known && u->backend == PW_BACKEND_PAM ? "pam" : "password";
		rc = pw_hcall_prompt(c->hch, party->fd, party->client_pidfd, c->relay_pidfd,
				     s->prompt_timeout_ms, secret, &pex_first, why, sizeof why, err);
		if (!pex_first) {
			if (rc == 1) {
				if (known && u->backend == PW_BACKEND_PAM)
					rc = pw_hcall_pam(c->hch, u->pam_service, user, secret, err);
				else
					rc = pw_store_check_password(c->st, user, secret, err);
			} else if (rc == 0) {
				ix_log_event(s->log, "prompt-void", "user=%s reason=%s", user, why);
				tell(party->fd, why);
			}
			goto out;
		}
		pex = rc;
	} else {
		pex = pw_hcall_pex(c->hch, party->fd, party->client_pidfd, c->relay_pidfd, why,
				   sizeof why, err);
	}
	if (pex < 0) {
		ix_log_event(s->log, "pex-error", "user=%s error=%s", user, err->msg);
		snprintf(why, sizeof why, "the private path could not be checked");
	}
	if (pex != 1) {
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

static int
answer_verify(struct ix_dispatch *d, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	struct conn *c = ctx;
	const struct pw_server *s = c->srv;
	struct pw_party party = { -1, 0, -1, s->prov, s->nprov, NULL, 0 };
	char port[IX_STREAM_ID_MAX] = "?";
	struct pw_lockout_key key;
	struct pw_user u;
	const char *user, *method = "none";
	char cgerr[PW_H_TEXT_MAX];
	struct ix_err e2;
	int party_fd = -1, pidfd = -1, trusted, rc = -1, known, state, has_cg;
	uint64_t cgid;
	int64_t wait;
	unsigned count;

	if (ix_msg_get_str(m, &user, PW_USER_MAX, err) < 0 || ix_msg_get_fd(m, &party_fd, err) < 0 ||
	    ix_msg_get_fd(m, &pidfd, err) < 0 || ix_msg_end(m, err) < 0)
		goto out;
	if (pw_user_name_check(user, err) < 0 || may_ask(c, user, &trusted, err) < 0)
		goto out;
	/* Only a trusted peer asks on behalf of another process, and only
	 * such a peer, which holds the terminal it forwarded, is a relay
	 * (pex.h): named by its pidfd, so not by a pid someone may reuse. */
	party.client_pidfd = trusted ? pidfd : c->peer.pidfd;
	c->relay_pidfd = trusted ? c->peer.pidfd : -1;
	/* The helper looks the client up while the failures are read. */
	if (pw_hcall_client_ask(c->hch, party.client_pidfd, err) < 0)
		goto out;
	party.fd = party_fd;
	state = ix_stream_id(party_fd, NULL, 0, port, sizeof port, &e2);
	if (state == 0) {
		key = (struct pw_lockout_key){ user, c->peer.uid, port };
		state = pw_lockout_check(c->st, &s->lock, &key, now_ms(), &wait, &e2);
	}
	if (pw_hcall_client(c->hch, &party.client_pid, &cgid, &has_cg, cgerr, sizeof cgerr,
			    err) < 0)
		goto out;
	if (party.client_pid == 0) {
		ix_err_set(err, IX_ENOENT, "the client process has exited");
		goto out;
	}
	if (state < 0) {
		*err = e2;
		goto out;
	}
	if (state == PW_LOCK_LOCKED) {
		ix_log_event(s->log, "verify", "user=%s requester=%u pid=%d port=%s result=locked",
			     user, (unsigned)c->peer.uid, (int)party.client_pid, port);
		close(party_fd);
		party_fd = -1;
		rc = answer(c, PW_VERDICT_LOCKED, err);
		goto out;
	}
	if (state == PW_LOCK_WAIT)
		poll(NULL, 0, (int)(wait < s->lock.cap_ms ? wait : s->lock.cap_ms));
	/* An expired tag never matches; deleting them is the spare's
	 * housekeeping (passwdd.c), off the request's path. */
	if (has_cg)
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
			goto out;
		rc = ask(c, &party, user, &u, known, &method, err);
		if (rc < 0) {
			ix_log_event(s->log, "verify-error", "user=%s error=%s", user, err->msg);
			rc = 0;
		}
	}
	if (rc == 1) {
		if (pw_lockout_passed(c->st, &key, err) < 0)
			goto out;
	} else if (pw_lockout_failed(c->st, &s->lock, &key, now_ms(), &count, err) < 0) {
		goto out;
	}
	ix_log_event(s->log, "verify", "user=%s requester=%u pid=%d port=%s method=%s result=%s",
		     user, (unsigned)c->peer.uid, (int)party.client_pid, port, method,
		     rc == 1 ? "granted" : "failed");
	/* The terminal is let go before the answer (the helper's copies went
	 * with its reply): a client that asks again at once, or privd's
	 * confirmation right after, must not find this worker holding it
	 * outside the session. */
	close(party_fd);
	party_fd = -1;
	rc = answer(c, rc == 1 ? PW_VERDICT_OK : PW_VERDICT_FAILED, err);
out:
	if (party_fd >= 0)
		close(party_fd);
	if (pidfd >= 0)
		close(pidfd);
	return rc;
}

static int
sessiond_only(const struct conn *c, struct ix_err *err)
{
	if (c->srv->sessiond_uid == (uid_t)-1 || c->peer.uid != c->srv->sessiond_uid)
		return ix_err_set(err, IX_EDENIED, "only sessiond's user may manage session tags (uid %u)",
				  (unsigned)c->peer.uid);
	return 0;
}

static int
answer_tag_register(struct ix_dispatch *d, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	struct conn *c = ctx;
	const char *ids[PW_TAG_IDS_MAX];
	const uint8_t *token;
	size_t tlen;
	uint64_t cg;
	uint32_t life;
	uint8_t n, i;

	if (ix_msg_get_u64(m, &cg, err) < 0 ||
	    ix_msg_get_blob(m, &token, &tlen, PW_TAG_TOKEN_LEN, err) < 0 ||
	    ix_msg_get_u32(m, &life, err) < 0 || ix_msg_get_u8(m, &n, err) < 0)
		return -1;
	if (tlen != PW_TAG_TOKEN_LEN)
		return ix_err_set(err, IX_EINVAL, "a tag token has %d bytes, not %zu", PW_TAG_TOKEN_LEN, tlen);
	if (life == 0 || life > PW_TAG_LIFETIME_MAX)
		return ix_err_set(err, IX_ELIMIT, "a tag lives 1 to %d seconds", PW_TAG_LIFETIME_MAX);
	if (n == 0 || n > PW_TAG_IDS_MAX)
		return ix_err_set(err, IX_ELIMIT, "a tag holds 1 to %d identities", PW_TAG_IDS_MAX);
	for (i = 0; i < n; i++)
		if (ix_msg_get_str(m, &ids[i], PW_USER_MAX, err) < 0)
			return -1;
	if (ix_msg_end(m, err) < 0 || sessiond_only(c, err) < 0)
		return -1;
	if (pw_store_tag_add(c->st, cg, token, ids, n, (int64_t)time(NULL) + life, err) < 0)
		return -1;
	ix_log_event(c->srv->log, "tag-register", "cgroup=%llu identities=%u lifetime=%u",
		     (unsigned long long)cg, n, life);
	return answer_ok(c, err);
}

static int
answer_tag_unregister(struct ix_dispatch *d, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	struct conn *c = ctx;
	const uint8_t *token;
	size_t tlen;
	uint64_t cg;
	int rc;

	if (ix_msg_get_u64(m, &cg, err) < 0 ||
	    ix_msg_get_blob(m, &token, &tlen, PW_TAG_TOKEN_LEN, err) < 0 || ix_msg_end(m, err) < 0)
		return -1;
	if (tlen != PW_TAG_TOKEN_LEN)
		return ix_err_set(err, IX_EINVAL, "a tag token has %d bytes, not %zu", PW_TAG_TOKEN_LEN, tlen);
	if (sessiond_only(c, err) < 0)
		return -1;
	rc = pw_store_tag_remove(c->st, cg, token, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return ix_err_set(err, IX_ENOENT, "no tag for cgroup %llu with that token",
				  (unsigned long long)cg);
	ix_log_event(c->srv->log, "tag-unregister", "cgroup=%llu", (unsigned long long)cg);
	return answer_ok(c, err);
}

static const struct ix_dispatch_entry table[] = {
	{ PW_MSG_VERIFY, "VERIFY", IX_DISPATCH_ONCE | IX_DISPATCH_AFTER_HELLO, 0, answer_verify },
	{ PW_MSG_TAG_REGISTER, "TAG_REGISTER", IX_DISPATCH_ONCE | IX_DISPATCH_AFTER_HELLO, 0,
	  answer_tag_register },
	{ PW_MSG_TAG_UNREGISTER, "TAG_UNREGISTER", IX_DISPATCH_ONCE | IX_DISPATCH_AFTER_HELLO, 0,
	  answer_tag_unregister },
};

int
pw_worker(const struct pw_server *srv, struct pw_store *st, int hch, int fd)
{
	struct conn c = { srv, fd, { .pidfd = -1 }, st, hch, -1 };
	struct ix_dispatch d;
	struct ix_msg *m = NULL;
	struct ix_err e, e2;
	uint16_t ver;
	int rc, status = 1;

	if (ix_ipc_peer(fd, &c.peer, &e) < 0) {
		ix_log_event(srv->log, "reject", "stage=peer error=%s", e.msg);
		goto out;
	}
	if (ix_ipc_server_banner(fd, PW_SERVICE, PW_VERSION, HELLO_TIMEOUT_MS, &ver, &e) < 0) {
		ix_log_event(srv->log, "reject", "stage=hello uid=%u pid=%d error=%s",
			     (unsigned)c.peer.uid, (int)c.peer.pid, e.msg);
		goto out;
	}
	if (ix_dispatch_init(&d, PW_SERVICE, IX_RANGE_PASSWDD, table,
			     sizeof table / sizeof table[0], &e) < 0)
		goto out;
	ix_dispatch_set_state(&d, IX_STATE_HELLO);
	rc = ix_ipc_recv(fd, &m, REQUEST_TIMEOUT_MS, &e);
	if (rc == 0) {
		status = 0;
		goto out;
	}
	if (rc < 0) {
		ix_log_event(srv->log, "reject", "stage=request uid=%u pid=%d error=%s",
			     (unsigned)c.peer.uid, (int)c.peer.pid, e.msg);
		ix_ipc_send_error(fd, &e, ANSWER_TIMEOUT_MS, &e2);
		goto out;
	}
	if (c.hch < 0)
		c.hch = pw_hcall_open(srv->helper, &e);
	if (c.hch < 0) {
		ix_log_event(srv->log, "error", "stage=helper error=%s", e.msg);
		ix_ipc_send_error(fd, &e, ANSWER_TIMEOUT_MS, &e2);
		goto out;
	}
	if (c.st == NULL && pw_store_open(srv->secrets_db, 0, &c.st, &e) < 0) {
		ix_log_event(srv->log, "error", "error=%s", e.msg);
		e.code = IX_EDB;
		snprintf(e.msg, sizeof e.msg, "passwdd: its secrets database is unavailable");
		ix_ipc_send_error(fd, &e, ANSWER_TIMEOUT_MS, &e2);
		goto out;
	}
	if (ix_dispatch_one(&d, m, &c, &e) < 0) {
		ix_log_event(srv->log, "reject", "stage=request uid=%u pid=%d type=0x%04x error=%s",
			     (unsigned)c.peer.uid, (int)c.peer.pid, ix_msg_type(m), e.msg);
		ix_ipc_send_error(fd, &e, ANSWER_TIMEOUT_MS, &e2);
		goto out;
	}
	status = 0;
out:
	ix_msg_free(m);
	pw_store_close(c.st);
	ix_peer_close(&c.peer);
	if (c.hch >= 0)
		close(c.hch);
	return status;
}
