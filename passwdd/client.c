/*
 * Client half: one connection per request.
 */
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libipc/srv.h"

#include "passwdd/client.h"
#include "passwdd/store.h"

/* Connects and starts a request of the given type: returns the message
 * (caller frees) with *fd (OUT) the connection, or NULL. */
static struct ix_msg *
start(const char *path, uint16_t type, int timeout_ms, int *fd, struct ix_err *err)
{
	struct ix_msg *m;
	uint16_t ver;

	*fd = ix_ipc_client_open(path, PW_SERVICE, PW_VERSION, timeout_ms, &ver, err);
	if (*fd < 0)
		return NULL;
	m = ix_msg_new(type, err);
	if (m == NULL) {
		close(*fd);
		*fd = -1;
	}
	return m;
}

/* Sends m, reads the answer; returns it (caller frees) or NULL. An ERROR
 * answer becomes *err. */
static struct ix_msg *
exchange(int fd, struct ix_msg *m, int timeout_ms, struct ix_err *err)
{
	struct ix_msg *a = NULL;
	int rc;

	if (ix_ipc_send(fd, m, timeout_ms, err) < 0)
		return NULL;
	rc = ix_ipc_recv(fd, &a, timeout_ms, err);
	if (rc == 0)
		ix_err_set(err, IX_EINVAL, "passwdd closed the connection without an answer");
	if (rc <= 0)
		return NULL;
	if (ix_msg_type(a) == IX_MSG_ERROR) {
		if (ix_ipc_read_error(a, err, err) == 0)
			ix_err_prefix(err, "passwdd");
		ix_msg_free(a);
		return NULL;
	}
	return a;
}

static int
verify(const char *socket_path, uint16_t type, const char *user, int party_fd,
    int client_pidfd, int timeout_ms, struct ix_err *err)
{
	struct ix_msg *m = NULL, *a = NULL;
	int fd = -1, own = -1, rc = -1;
	uint8_t v;

	if (client_pidfd < 0) {
		own = (int)syscall(SYS_pidfd_open, getpid(), 0);
		if (own < 0)
			return ix_err_sys(err, "pidfd_open of this process");
		client_pidfd = own;
	}
	m = start(socket_path, type, timeout_ms, &fd, err);
	if (m == NULL)
		goto out;
	ix_msg_put_str(m, user, PW_USER_MAX, err);
	ix_msg_put_fd(m, party_fd, err);
	ix_msg_put_fd(m, client_pidfd, err);
	a = exchange(fd, m, timeout_ms, err);
	if (a == NULL)
		goto out;
	if (ix_msg_type(a) != PW_MSG_RESULT) {
		ix_err_set(err, IX_EINVAL, "passwdd answered a verification with type 0x%04x",
			   ix_msg_type(a));
		goto out;
	}
	if (ix_msg_get_u8(a, &v, err) < 0 || ix_msg_end(a, err) < 0)
		goto out;
	if (v > PW_VERDICT_LOCKED) {
		ix_err_set(err, IX_EINVAL, "passwdd answered an unknown verdict %u", v);
		goto out;
	}
	rc = v;
out:
	ix_msg_free(a);
	ix_msg_free(m);
	if (fd >= 0)
		close(fd);
	if (own >= 0)
		close(own);
	return rc;
}

int
pw_client_verify(const char *socket_path, const char *user, int party_fd, int client_pidfd,
    int timeout_ms, struct ix_err *err)
{
	return verify(socket_path, PW_MSG_VERIFY, user, party_fd, client_pidfd, timeout_ms, err);
}

int
pw_client_verify_otp(const char *socket_path, const char *user, int party_fd, int client_pidfd,
    int timeout_ms, struct ix_err *err)
{
	return verify(socket_path, PW_MSG_VERIFY_OTP, user, party_fd, client_pidfd, timeout_ms,
		      err);
}

static int
expect_ok(int fd, struct ix_msg *m, int timeout_ms, struct ix_err *err)
{
	struct ix_msg *a = exchange(fd, m, timeout_ms, err);
	int rc = -1;

	if (a == NULL)
		return -1;
	if (ix_msg_type(a) != IX_MSG_OK)
		ix_err_set(err, IX_EINVAL, "passwdd answered with type 0x%04x", ix_msg_type(a));
	else
		rc = ix_msg_end(a, err);
	ix_msg_free(a);
	return rc;
}

int
pw_client_tag_register(const char *socket_path, uint64_t cgroup, const uint8_t *token,
    const char *const *ids, size_t n, uint32_t lifetime, int timeout_ms, struct ix_err *err)
{
	struct ix_msg *m;
	size_t i;
	int fd, rc;

	if (n == 0 || n > PW_TAG_IDS_MAX)
		return ix_err_set(err, IX_ELIMIT, "a tag holds 1 to %d identities", PW_TAG_IDS_MAX);
	m = start(socket_path, PW_MSG_TAG_REGISTER, timeout_ms, &fd, err);
	if (m == NULL)
		return -1;
	ix_msg_put_u64(m, cgroup, err);
	ix_msg_put_blob(m, token, PW_TAG_TOKEN_LEN, PW_TAG_TOKEN_LEN, err);
	ix_msg_put_u32(m, lifetime, err);
	ix_msg_put_u8(m, (uint8_t)n, err);
	for (i = 0; i < n; i++)
		ix_msg_put_str(m, ids[i], PW_USER_MAX, err);
	rc = expect_ok(fd, m, timeout_ms, err);
	ix_msg_free(m);
	close(fd);
	return rc;
}

int
pw_client_tag_unregister(const char *socket_path, uint64_t cgroup, const uint8_t *token,
    int timeout_ms, struct ix_err *err)
{
	struct ix_msg *m;
	int fd, rc;

	m = start(socket_path, PW_MSG_TAG_UNREGISTER, timeout_ms, &fd, err);
	if (m == NULL)
		return -1;
	ix_msg_put_u64(m, cgroup, err);
	ix_msg_put_blob(m, token, PW_TAG_TOKEN_LEN, PW_TAG_TOKEN_LEN, err);
	rc = expect_ok(fd, m, timeout_ms, err);
	ix_msg_free(m);
	close(fd);
	return rc;
}

bool
pw_client_busy(const struct ix_err *e)
{
	return e->code == IX_ELIMIT && strstr(e->msg, IX_SRV_BUSY_PREFIX) != NULL;
}

const char *
pw_verdict_name(int verdict)
{
	switch (verdict) {
	case PW_VERDICT_OK:
		return "granted";
	case PW_VERDICT_FAILED:
		return "authentication failed";
	case PW_VERDICT_LOCKED:
		return "locked";
	}
	return "?";
}
