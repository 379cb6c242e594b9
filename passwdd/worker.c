/*
 * passwdd's worker (server.h): the one process of a slot that reads what a
 * client sends. It runs as the workers' user with no capability, no file
 * and the kit's seccomp allow-list (ix_worker_confine), holds nothing but
 * /dev/null, its channel to the monitor and the connection, and never
 * sees the secrets database: it answers the banner, reads the one
 * request, checks it as far as it can (the peer's uid and login name come
 * from the monitor with the connection), and relays it to the monitor as
 * one canonical message (wire.h), or relays why it refused it. Then it
 * ends: the monitor answers the client itself, and only once the worker
 * is gone, so that no descriptor of the party is held by it any more.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libcompart/workerconf.h"
#include "passwdd/proto.h"
#include "passwdd/server.h"
#include "passwdd/wire.h"

#define HELLO_TIMEOUT_MS 5000
#define REQUEST_TIMEOUT_MS 10000
#define RELAY_TIMEOUT_MS 5000

struct wk {
	int mon;			/* the channel to the monitor */
	int fd;				/* the connection */
	uid_t peer_uid;			/* as the monitor read it */
	unsigned peer_flags;		/* PW_PEER_* */
	char peer_name[PW_USER_MAX + 1];
};

static int
relay(struct wk *w, struct ix_msg *out, struct ix_err *err)
{
	return ix_ipc_send(w->mon, out, RELAY_TIMEOUT_MS, err);
}

/* Tells the monitor that the request is refused, and why. */
static void
reject(struct wk *w, const char *stage, bool answered, const struct ix_err *why)
{
	struct ix_msg *m;
	struct ix_err e;

	if ((m = ix_msg_new(PW_W_REJECT, &e)) == NULL)
		return;
	ix_msg_put_u8(m, answered, &e);
	ix_msg_put_u16(m, (uint16_t)(why->code != IX_OK ? why->code : IX_EINVAL), &e);
	ix_msg_put_str(m, stage, PW_STAGE_MAX, &e);
	ix_msg_put_str(m, why->msg, IX_ERR_MSG_MAX - 1, &e);
	relay(w, m, &e);
	ix_msg_free(m);
}

/* VERIFY and VERIFY_OTP, relayed as type. */
static int
read_verify_any(struct wk *w, struct ix_msg *m, uint16_t type, struct ix_err *err)
{
	struct ix_msg *out;
	const char *user;
	int party = -1, pidfd = -1, rc = -1;

	if (ix_msg_get_str(m, &user, PW_USER_MAX, err) < 0 || ix_msg_get_fd(m, &party, err) < 0 ||
	    ix_msg_get_fd(m, &pidfd, err) < 0 || ix_msg_end(m, err) < 0)
		goto out;
	if (pw_check_may_ask(w->peer_uid, w->peer_flags, w->peer_name, user, err) < 0)
		goto out;
	if ((out = ix_msg_new(type, err)) == NULL)
		goto out;
	ix_msg_put_str(out, user, PW_USER_MAX, err);
	ix_msg_put_fd(out, party, err);
	ix_msg_put_fd(out, pidfd, err);
	rc = relay(w, out, err);
	ix_msg_free(out);
out:
	if (party >= 0)
		close(party);
	if (pidfd >= 0)
		close(pidfd);
	return rc;
}

static int
read_verify(struct ix_dispatch *d, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	(void)d;
	return read_verify_any(ctx, m, PW_W_VERIFY, err);
}

static int
read_verify_otp(struct ix_dispatch *d, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	(void)d;
	return read_verify_any(ctx, m, PW_W_VERIFY_OTP, err);
}

static int
read_tag(struct wk *w, struct ix_msg *m, bool add, struct ix_err *err)
{
	const char *ids[PW_TAG_IDS_MAX];
	const uint8_t *token;
	struct ix_msg *out;
	size_t tlen;
	uint64_t cg;
	uint32_t life = 1;
	uint8_t n = 1;
	int rc;

	if (ix_msg_get_u64(m, &cg, err) < 0 ||
	    ix_msg_get_blob(m, &token, &tlen, PW_TAG_TOKEN_LEN, err) < 0)
		return -1;
	if (add && (ix_msg_get_u32(m, &life, err) < 0 || ix_msg_get_u8(m, &n, err) < 0))
		return -1;
	if (pw_check_tag_fields(tlen, life, n, err) < 0)
		return -1;
	for (uint8_t i = 0; add && i < n; i++)
		if (ix_msg_get_str(m, &ids[i], PW_USER_MAX, err) < 0)
			return -1;
	if (ix_msg_end(m, err) < 0 || pw_check_tags(w->peer_uid, w->peer_flags, err) < 0)
		return -1;
	if ((out = ix_msg_new(add ? PW_W_TAG_REGISTER : PW_W_TAG_UNREGISTER, err)) == NULL)
		return -1;
	ix_msg_put_u64(out, cg, err);
	ix_msg_put_blob(out, token, PW_TAG_TOKEN_LEN, PW_TAG_TOKEN_LEN, err);
	if (add) {
		ix_msg_put_u32(out, life, err);
		ix_msg_put_u8(out, n, err);
		for (uint8_t i = 0; i < n; i++)
			ix_msg_put_str(out, ids[i], PW_USER_MAX, err);
	}
	rc = relay(w, out, err);
	ix_msg_free(out);
	return rc;
}

static int
read_tag_register(struct ix_dispatch *d, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	(void)d;
	return read_tag(ctx, m, true, err);
}

static int
read_tag_unregister(struct ix_dispatch *d, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	(void)d;
	return read_tag(ctx, m, false, err);
}

static const struct ix_dispatch_entry table[] = {
	{ PW_MSG_VERIFY, "VERIFY", IX_DISPATCH_ONCE | IX_DISPATCH_AFTER_HELLO, 0, read_verify },
	{ PW_MSG_VERIFY_OTP, "VERIFY_OTP", IX_DISPATCH_ONCE | IX_DISPATCH_AFTER_HELLO, 0,
	  read_verify_otp },
	{ PW_MSG_TAG_REGISTER, "TAG_REGISTER", IX_DISPATCH_ONCE | IX_DISPATCH_AFTER_HELLO, 0,
	  read_tag_register },
	{ PW_MSG_TAG_UNREGISTER, "TAG_UNREGISTER", IX_DISPATCH_ONCE | IX_DISPATCH_AFTER_HELLO, 0,
	  read_tag_unregister },
};

/* The connection and the peer's facts, from the monitor. */
static int
take_conn(struct wk *w, struct ix_err *err)
{
	struct ix_msg *m = NULL;
	const char *name;
	uint32_t uid;
	uint8_t flags;
	int rc = ix_ipc_recv(w->mon, &m, -1, err);

	if (rc <= 0)
		return -1;
	rc = -1;
	if (ix_msg_type(m) == PW_W_CONN && ix_msg_get_u32(m, &uid, err) == 0 &&
	    ix_msg_get_u8(m, &flags, err) == 0 && ix_msg_get_str(m, &name, PW_USER_MAX, err) == 0 &&
	    ix_msg_get_fd(m, &w->fd, err) == 0 && ix_msg_end(m, err) == 0 && w->fd >= 0) {
		w->peer_uid = uid;
		w->peer_flags = flags;
		snprintf(w->peer_name, sizeof w->peer_name, "%s", name);
		rc = 0;
	}
	ix_msg_free(m);
	return rc;
}

int
pw_worker_run(void *arg, int mon)
{
	struct wk w = { .mon = mon, .fd = -1 };
	struct ix_dispatch d;
	struct ix_msg *m = NULL;
	struct ix_err e;
	uint16_t ver;
	int rc;

	(void)arg;
	if (take_conn(&w, &e) < 0)
		return 1;
	if (ix_ipc_server_banner(w.fd, PW_SERVICE, PW_VERSION, HELLO_TIMEOUT_MS, &ver, &e) < 0) {
		reject(&w, "hello", true, &e);
		return 0;
	}
	if (ix_dispatch_init(&d, PW_SERVICE, IX_RANGE_PASSWDD, table, sizeof table / sizeof table[0],
			     &e) < 0) {
		reject(&w, "request", false, &e);
		return 1;
	}
	ix_dispatch_set_state(&d, IX_STATE_HELLO);
	rc = ix_ipc_recv(w.fd, &m, REQUEST_TIMEOUT_MS, &e);
	if (rc == 0)
		return 0;	/* the client hung up: nothing to relay */
	if (rc < 0 || ix_dispatch_one(&d, m, &w, &e) < 0)
		reject(&w, "request", false, &e);
	ix_msg_free(m);
	return 0;
}
