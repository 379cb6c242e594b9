/*
 * The monitor's side of its helper (helper.h): one round trip per call,
 * each answer read by pw_hanswer_read (wire.c). Every message that may
 * hold a secret is marked so (libipc wipes it) and freed at once.
 */
#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "passwdd/helper.h"

#define CALL_TIMEOUT_MS 15000
#define PROMPT_SLACK_MS 5000

/* Sends q (freed here), reads the answer to it into *a. */
static int
call(int ch, struct ix_msg *q, int timeout_ms, struct pw_hanswer *a, char *secret,
     struct ix_err *err)
{
	uint16_t type;
	struct ix_msg *m = NULL;
	int rc;

	if (q == NULL)
		return -1;
	type = ix_msg_type(q);
	rc = ix_ipc_send(ch, q, CALL_TIMEOUT_MS, err);
	ix_msg_free(q);
	if (rc < 0)
		return ix_err_prefix(err, "helper");
	rc = ix_ipc_recv_secret(ch, &m, timeout_ms, err);
	if (rc == 0)
		return ix_err_set(err, IX_ESYS, "helper: it has gone");
	if (rc < 0)
		return ix_err_prefix(err, "helper");
	rc = pw_hanswer_read(m, type, a, secret, err);
	ix_msg_free(m);
	return rc;
}

/* A request about the party; timeout_ms >= 0 comes first (PROMPT). */
static struct ix_msg *
with_party(uint16_t type, int timeout_ms, const char *user, int fd, int pidfd, int relay_pidfd,
	   struct ix_err *err)
{
	struct ix_msg *q = ix_msg_new(type, err);

	if (q == NULL)
		return NULL;
	if (timeout_ms >= 0)
		ix_msg_put_u32(q, (uint32_t)timeout_ms, err);
	if (user != NULL)
		ix_msg_put_str(q, user, PW_USER_MAX, err);
	ix_msg_put_fd(q, fd, err);
	ix_msg_put_fd(q, pidfd, err);
	if (relay_pidfd >= 0)
		ix_msg_put_fd(q, relay_pidfd, err);
	return q;
}

int
pw_hcall_name(int ch, uid_t uid, char *name, struct ix_err *err)
{
	struct ix_msg *q = ix_msg_new(PW_H_NAME, err);
	struct pw_hanswer a;

	if (q != NULL)
		ix_msg_put_u32(q, uid, err);
	if (call(ch, q, CALL_TIMEOUT_MS, &a, NULL, err) < 0)
		return -1;
	snprintf(name, PW_USER_MAX + 1, "%s", a.name);
	return 0;
}

int
pw_hcall_client(int ch, bool trusted, int party, int client_pidfd, int peer_pidfd, bool *held,
		pid_t *pid, uint64_t *cgid, bool *has_cg, char *cgerr, size_t cgerrsize,
		struct ix_err *err)
{
	struct ix_msg *q = ix_msg_new(PW_H_CLIENT, err);
	struct pw_hanswer a;

	if (q != NULL) {
		ix_msg_put_u8(q, trusted, err);
		ix_msg_put_fd(q, party, err);
		ix_msg_put_fd(q, client_pidfd, err);
		ix_msg_put_fd(q, peer_pidfd, err);
	}
	if (call(ch, q, CALL_TIMEOUT_MS, &a, NULL, err) < 0)
		return -1;
	*held = a.held;
	*pid = a.pid;
	*cgid = a.cgid;
	*has_cg = a.has_cg;
	snprintf(cgerr, cgerrsize, "%s", a.why);
	return 0;
}

int
pw_hcall_pex(int ch, int fd, int pidfd, int relay_pidfd, char *why, size_t whysize,
	     struct ix_err *err)
{
	struct pw_hanswer a;

	if (call(ch, with_party(PW_H_PEX, -1, NULL, fd, pidfd, relay_pidfd, err), CALL_TIMEOUT_MS,
		 &a, NULL, err) < 0)
		return -1;
	snprintf(why, whysize, "%s", a.why);
	return a.rc;
}

int
pw_hcall_prompt(int ch, const char *user, int fd, int pidfd, int relay_pidfd, int timeout_ms,
		char *out, int *pex_first, char *why, size_t whysize, struct ix_err *err)
{
	struct ix_msg *q = with_party(PW_H_PROMPT, timeout_ms, user, fd, pidfd, relay_pidfd, err);
	struct pw_hanswer a;

	*pex_first = 0;
	if (call(ch, q, timeout_ms + PROMPT_SLACK_MS, &a, out, err) < 0) {
		sodium_memzero(out, PW_SECRET_MAX + 2);
		return -1;
	}
	*pex_first = a.pex_first;
	snprintf(why, whysize, "%s", a.why);
	if (a.rc != 1)
		sodium_memzero(out, PW_SECRET_MAX + 2);
	return a.rc;
}

int
pw_hcall_pam(int ch, const char *service, const char *user, const char *secret,
	     struct ix_err *err)
{
	struct ix_msg *q = ix_msg_new(PW_H_PAM, err);
	struct pw_hanswer a;

	if (q != NULL) {
		ix_msg_set_secret(q);
		ix_msg_put_str(q, service, PW_PAM_SERVICE_MAX, err);
		ix_msg_put_str(q, user, PW_USER_MAX, err);
		ix_msg_put_blob(q, secret, strlen(secret), PW_SECRET_MAX, err);
	}
	if (call(ch, q, CALL_TIMEOUT_MS, &a, NULL, err) < 0)
		return -1;
	return a.rc;
}
