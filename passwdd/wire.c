/*
 * The slot's inner wire (wire.h): the monitor's machine over its worker's
 * messages, the helper's machine over its monitor's requests, the checks
 * both sides of a request make, and the reading of the helper's answers.
 * Nothing here acts: handlers read, check and record.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "passwdd/proto.h"
#include "passwdd/wire.h"

/* ---- the checks ---- */

int
pw_check_may_ask(uid_t peer_uid, unsigned flags, const char *peer_name, const char *user,
		 struct ix_err *err)
{
	if (pw_user_name_check(user, err) < 0)
		return -1;
	if (flags & PW_PEER_TRUSTED)
		return 0;
	if (peer_name[0] == '\0' || strcmp(peer_name, user) != 0)
		return ix_err_set(err, IX_EDENIED, "uid %u may only verify its own login name",
				  (unsigned)peer_uid);
	return 0;
}

int
pw_check_tags(uid_t peer_uid, unsigned flags, struct ix_err *err)
{
	if (!(flags & PW_PEER_SESSIOND))
		return ix_err_set(err, IX_EDENIED, "only sessiond's user may manage session tags (uid %u)",
				  (unsigned)peer_uid);
	return 0;
}

int
pw_check_tag_fields(size_t tlen, uint32_t life, unsigned n, struct ix_err *err)
{
	if (tlen != PW_TAG_TOKEN_LEN)
		return ix_err_set(err, IX_EINVAL, "a tag token has %d bytes, not %zu", PW_TAG_TOKEN_LEN,
				  tlen);
	if (life == 0 || life > PW_TAG_LIFETIME_MAX)
		return ix_err_set(err, IX_ELIMIT, "a tag lives 1 to %d seconds", PW_TAG_LIFETIME_MAX);
	if (n == 0 || n > PW_TAG_IDS_MAX)
		return ix_err_set(err, IX_ELIMIT, "a tag holds 1 to %d identities", PW_TAG_IDS_MAX);
	return 0;
}

/* ---- the monitor's machine ---- */

void
pw_wreq_clear(struct pw_wreq *r)
{
	if (r->party_fd >= 0)
		close(r->party_fd);
	if (r->pidfd >= 0)
		close(r->pidfd);
	r->kind = PW_WREQ_NONE;
	r->otp_only = false;
	r->party_fd = r->pidfd = -1;
}

static int
mon_verify_any(struct ix_mon *mon, struct ix_msg *m, struct pw_wreq *r, bool otp_only,
	       struct ix_err *err)
{
	const char *user;

	if (ix_msg_get_str(m, &user, PW_USER_MAX, err) < 0 ||
	    ix_msg_get_fd(m, &r->party_fd, err) < 0 || ix_msg_get_fd(m, &r->pidfd, err) < 0 ||
	    ix_msg_end(m, err) < 0)
		return -1;
	/* A worker that got the connection checked these; one that relays
	 * what they refuse is not a worker we run. */
	if (pw_check_may_ask(r->peer_uid, r->peer_flags, r->peer_name, user, err) < 0)
		return ix_err_prefix(err, "VERIFY relayed against the checks");
	if (r->party_fd < 0 || r->pidfd < 0)
		return ix_err_set(err, IX_EINVAL, "VERIFY without its two descriptors");
	snprintf(r->user, sizeof r->user, "%s", user);
	r->kind = PW_WREQ_VERIFY;
	r->otp_only = otp_only;
	return ix_mon_move(mon, PW_MS_VERIFY, err);
}

static int
mon_verify(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	return mon_verify_any(mon, m, ctx, false, err);
}

static int
mon_verify_otp(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	return mon_verify_any(mon, m, ctx, true, err);
}

static int
mon_tag(struct ix_mon *mon, struct ix_msg *m, void *ctx, bool add, struct ix_err *err)
{
	struct pw_wreq *r = ctx;
	const uint8_t *token;
	size_t tlen;
	uint8_t n = 1;

	if (ix_msg_get_u64(m, &r->cgroup, err) < 0 ||
	    ix_msg_get_blob(m, &token, &tlen, PW_TAG_TOKEN_LEN, err) < 0)
		return -1;
	r->lifetime = 1;
	if (add && (ix_msg_get_u32(m, &r->lifetime, err) < 0 || ix_msg_get_u8(m, &n, err) < 0))
		return -1;
	if (pw_check_tag_fields(tlen, r->lifetime, n, err) < 0)
		return -1;
	for (unsigned i = 0; add && i < n; i++) {
		const char *id;

		if (ix_msg_get_str(m, &id, PW_USER_MAX, err) < 0)
			return -1;
		snprintf(r->ids[i], sizeof r->ids[i], "%s", id);
	}
	if (ix_msg_end(m, err) < 0)
		return -1;
	if (pw_check_tags(r->peer_uid, r->peer_flags, err) < 0)
		return ix_err_prefix(err, "%s relayed against the checks",
				     add ? "TAG_REGISTER" : "TAG_UNREGISTER");
	memcpy(r->token, token, PW_TAG_TOKEN_LEN);
	r->nids = add ? n : 0;
	r->kind = add ? PW_WREQ_TAG_ADD : PW_WREQ_TAG_DEL;
	return ix_mon_move(mon, PW_MS_TAG, err);
}

static int
mon_tag_register(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	return mon_tag(mon, m, ctx, true, err);
}

static int
mon_tag_unregister(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	return mon_tag(mon, m, ctx, false, err);
}

static int
mon_reject(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	struct pw_wreq *r = ctx;
	const char *stage, *words;
	uint8_t answered;
	uint16_t code;

	if (ix_msg_get_u8(m, &answered, err) < 0 || ix_msg_get_u16(m, &code, err) < 0 ||
	    ix_msg_get_str(m, &stage, PW_STAGE_MAX, err) < 0 ||
	    ix_msg_get_str(m, &words, IX_ERR_MSG_MAX - 1, err) < 0 || ix_msg_end(m, err) < 0)
		return -1;
	if (answered > 1 || code == IX_OK || code > IX_ECORRUPT)
		return ix_err_set(err, IX_EINVAL, "REJECT with answered %u, code %u", answered, code);
	r->answered = answered;
	r->reject.code = (enum ix_errcode)code;
	r->reject.sys_errno = 0;
	snprintf(r->reject.msg, sizeof r->reject.msg, "%s", words);
	snprintf(r->stage, sizeof r->stage, "%s", stage);
	r->kind = PW_WREQ_REJECT;
	return ix_mon_move(mon, PW_MS_REJECTED, err);
}

static const char *const mon_states[PW_MS_N] = {
	"START", "RELAYING", "VERIFY", "TAG", "REJECTED", "DONE",
};

static const uint32_t mon_moves[PW_MS_N] = {
	[PW_MS_START] = IX_MON_BIT(PW_MS_RELAYING),
	[PW_MS_RELAYING] = IX_MON_BIT(PW_MS_VERIFY) | IX_MON_BIT(PW_MS_TAG) |
			   IX_MON_BIT(PW_MS_REJECTED),
	[PW_MS_VERIFY] = IX_MON_BIT(PW_MS_DONE),
	[PW_MS_TAG] = IX_MON_BIT(PW_MS_DONE),
	[PW_MS_REJECTED] = IX_MON_BIT(PW_MS_DONE),
	[PW_MS_DONE] = 0,
};

static const struct ix_mon_entry mon_table[] = {
	{ PW_W_VERIFY, "VERIFY", IX_MON_BIT(PW_MS_RELAYING), mon_verify },
	{ PW_W_VERIFY_OTP, "VERIFY_OTP", IX_MON_BIT(PW_MS_RELAYING), mon_verify_otp },
	{ PW_W_TAG_REGISTER, "TAG_REGISTER", IX_MON_BIT(PW_MS_RELAYING), mon_tag_register },
	{ PW_W_TAG_UNREGISTER, "TAG_UNREGISTER", IX_MON_BIT(PW_MS_RELAYING), mon_tag_unregister },
	{ PW_W_REJECT, "REJECT", IX_MON_BIT(PW_MS_RELAYING), mon_reject },
};

const struct ix_mon_machine pw_mon_machine = {
	"passwdd", IX_RANGE_PASSWDD, mon_states, PW_MS_N, mon_moves, PW_MS_START,
	mon_table, sizeof mon_table / sizeof mon_table[0],
};

/* ---- the helper's machine ---- */

void
pw_hreq_clear(struct pw_hreq *r)
{
	for (unsigned i = 0; i < 3; i++) {
		if (r->fds[i] >= 0)
			close(r->fds[i]);
		r->fds[i] = -1;
	}
	r->nfds = 0;
	if (r->secret != NULL)
		explicit_bzero(r->secret, PW_SECRET_MAX + 2);
}

/* Takes every descriptor of m (between lo and hi of them) into r. */
static int
take_fds(struct ix_msg *m, struct pw_hreq *r, unsigned lo, unsigned hi, struct ix_err *err)
{
	unsigned n = ix_msg_nfds(m);

	if (n < lo || n > hi)
		return ix_err_set(err, IX_EINVAL, "helper: %u descriptors, %u to %u expected", n, lo, hi);
	for (unsigned i = 0; i < n; i++)
		if (ix_msg_get_fd(m, &r->fds[i], err) < 0)
			return -1;
	r->nfds = n;
	for (unsigned i = 0; i < n; i++)
		if (r->fds[i] < 0)
			return ix_err_set(err, IX_EINVAL, "helper: descriptor %u missing", i);
	return 0;
}

static int
h_name(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	struct pw_hreq *r = ctx;

	if (ix_msg_get_u32(m, &r->uid, err) < 0 || ix_msg_end(m, err) < 0)
		return -1;
	r->type = PW_H_NAME;
	return ix_mon_move(mon, PW_HS_NAMED, err);
}

static int
h_client(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	struct pw_hreq *r = ctx;
	uint8_t trusted;

	if (ix_msg_get_u8(m, &trusted, err) < 0 || take_fds(m, r, 3, 3, err) < 0 ||
	    ix_msg_end(m, err) < 0)
		return -1;
	if (trusted > 1)
		return ix_err_set(err, IX_EINVAL, "helper: CLIENT trusted is %u", trusted);
	r->trusted = trusted;
	r->type = PW_H_CLIENT;
	return ix_mon_move(mon, PW_HS_KNOWN, err);
}

static int
h_pex(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	struct pw_hreq *r = ctx;

	if (take_fds(m, r, 2, 3, err) < 0 || ix_msg_end(m, err) < 0)
		return -1;
	r->type = PW_H_PEX;
	return ix_mon_move(mon, PW_HS_CHECKED, err);
}

static int
h_prompt(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	struct pw_hreq *r = ctx;

	const char *user;

	if (ix_msg_get_u32(m, &r->timeout_ms, err) < 0 ||
	    ix_msg_get_str(m, &user, PW_USER_MAX, err) < 0 || take_fds(m, r, 2, 3, err) < 0 ||
	    ix_msg_end(m, err) < 0)
		return -1;
	if (r->timeout_ms > 3600 * 1000)
		return ix_err_set(err, IX_ELIMIT, "helper: a prompt of %u ms", r->timeout_ms);
	/* Shown on the person's terminal: a login name, nothing else. */
	if (pw_user_name_check(user, err) < 0)
		return -1;
	snprintf(r->user, sizeof r->user, "%s", user);
	r->type = PW_H_PROMPT;
	return ix_mon_move(mon, PW_HS_PROMPTED, err);
}

static int
h_pam(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	struct pw_hreq *r = ctx;
	const char *service, *user;
	const uint8_t *secret;
	size_t n;

	if (ix_msg_get_str(m, &service, PW_PAM_SERVICE_MAX, err) < 0 ||
	    ix_msg_get_str(m, &user, PW_USER_MAX, err) < 0 ||
	    ix_msg_get_blob(m, &secret, &n, PW_SECRET_MAX, err) < 0 || ix_msg_end(m, err) < 0)
		return -1;
	if (memchr(secret, '\0', n) != NULL)
		return ix_err_set(err, IX_EINVAL, "helper: a secret with a NUL byte");
	if (pw_user_name_check(user, err) < 0)
		return -1;
	snprintf(r->service, sizeof r->service, "%s", service);
	snprintf(r->user, sizeof r->user, "%s", user);
	memcpy(r->secret, secret, n);
	r->secret[n] = '\0';
	r->type = PW_H_PAM;
	return ix_mon_move(mon, PW_HS_DONE, err);
}

static const char *const h_states[PW_HS_N] = {
	"START", "NAMED", "KNOWN", "CHECKED", "PROMPTED", "DONE",
};

static const uint32_t h_moves[PW_HS_N] = {
	[PW_HS_START] = IX_MON_BIT(PW_HS_NAMED) | IX_MON_BIT(PW_HS_KNOWN),
	[PW_HS_NAMED] = IX_MON_BIT(PW_HS_KNOWN),
	[PW_HS_KNOWN] = IX_MON_BIT(PW_HS_CHECKED) | IX_MON_BIT(PW_HS_PROMPTED),
	[PW_HS_CHECKED] = 0,
	[PW_HS_PROMPTED] = IX_MON_BIT(PW_HS_DONE),
	[PW_HS_DONE] = 0,
};

static const struct ix_mon_entry h_table[] = {
	{ PW_H_NAME, "NAME", IX_MON_BIT(PW_HS_START), h_name },
	{ PW_H_CLIENT, "CLIENT", IX_MON_BIT(PW_HS_START) | IX_MON_BIT(PW_HS_NAMED), h_client },
	{ PW_H_PEX, "PEX", IX_MON_BIT(PW_HS_KNOWN), h_pex },
	{ PW_H_PROMPT, "PROMPT", IX_MON_BIT(PW_HS_KNOWN), h_prompt },
	{ PW_H_PAM, "PAM", IX_MON_BIT(PW_HS_PROMPTED), h_pam },
};

const struct ix_mon_machine pw_helper_machine = {
	"passwdd helper", IX_RANGE_PASSWDD, h_states, PW_HS_N, h_moves, PW_HS_START,
	h_table, sizeof h_table / sizeof h_table[0],
};

/* ---- the helper's answers ---- */

int
pw_hanswer_read(struct ix_msg *m, uint16_t request, struct pw_hanswer *a, char *secret,
		struct ix_err *err)
{
	const char *s;
	const uint8_t *p;
	size_t n;
	uint8_t b1, b2;
	uint32_t pid;
	int rc = -1;

	memset(a, 0, sizeof *a);
	if (secret != NULL)
		secret[0] = '\0';
	if (ix_msg_type(m) == IX_MSG_ERROR) {
		struct ix_err e;

		if (ix_ipc_read_error(m, &e, err) < 0)
			return -1;
		*err = e;
		return ix_err_prefix(err, "helper");
	}
	if (ix_msg_type(m) != request + PW_H_ANSWER)
		return ix_err_set(err, IX_ECORRUPT, "helper answered 0x%04x to 0x%04x", ix_msg_type(m),
				  request);
	switch (request) {
	case PW_H_NAME:
		if (ix_msg_get_str(m, &s, PW_USER_MAX, err) < 0)
			goto out;
		snprintf(a->name, sizeof a->name, "%s", s);
		break;
	case PW_H_CLIENT:
		if (ix_msg_get_u8(m, &b1, err) < 0 || ix_msg_get_u32(m, &pid, err) < 0 ||
		    ix_msg_get_u8(m, &b2, err) < 0 || ix_msg_get_u64(m, &a->cgid, err) < 0 ||
		    ix_msg_get_str(m, &s, PW_H_WHY_MAX - 1, err) < 0)
			goto out;
		if (b1 > 1 || b2 > 1 || pid > INT32_MAX) {
			ix_err_set(err, IX_EINVAL, "helper: CLIENT_R out of range");
			goto out;
		}
		a->held = b1;
		a->pid = (pid_t)pid;
		a->has_cg = b2;
		snprintf(a->why, sizeof a->why, "%s", s);
		break;
	case PW_H_PEX:
	case PW_H_PROMPT:
	case PW_H_PAM:
		if (ix_msg_get_u8(m, &b1, err) < 0)
			goto out;
		if (b1 > 1) {
			ix_err_set(err, IX_EINVAL, "helper: a verdict of %u", b1);
			goto out;
		}
		a->rc = b1;
		if (request == PW_H_PAM)
			break;
		if (request == PW_H_PROMPT) {
			if (ix_msg_get_u8(m, &b2, err) < 0)
				goto out;
			if (b2 > 1) {
				ix_err_set(err, IX_EINVAL, "helper: pex_first %u", b2);
				goto out;
			}
			a->pex_first = b2;
		}
		if (ix_msg_get_str(m, &s, PW_H_WHY_MAX - 1, err) < 0)
			goto out;
		snprintf(a->why, sizeof a->why, "%s", s);
		if (request == PW_H_PEX)
			break;
		if (ix_msg_get_blob(m, &p, &n, PW_SECRET_MAX, err) < 0)
			goto out;
		if ((a->rc == 0 && n > 0) || memchr(p, '\0', n) != NULL || secret == NULL) {
			ix_err_set(err, IX_EINVAL, "helper: a secret where none belongs, or malformed");
			goto out;
		}
		memcpy(secret, p, n);
		secret[n] = '\0';
		break;
	default:
		ix_err_set(err, IX_EINVAL, "helper: no such request 0x%04x", request);
		goto out;
	}
	rc = ix_msg_end(m, err);
out:
	if (rc < 0 && secret != NULL)
		explicit_bzero(secret, PW_SECRET_MAX + 2);
	return rc;
}
