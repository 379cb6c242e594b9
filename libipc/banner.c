/*
 * The opening exchange of every connection (PROTOCOL.md "Banner"):
 *
 *   server -> client  BANNER {service, server version}
 *   client -> server  HELLO  {service, client version}
 *   server -> client  OK {negotiated version}  or  ERROR {code, message}
 *
 * The server accepts its own version and the one before it; the refusal
 * names both sides' versions so that an administrator who upgraded only
 * one side knows which.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libipc/msg_priv.h"
#include "libixutil/ix_time.h"

/* Receives one message; a closed connection is an error here. */
static int
recv_one(int fd, struct ix_msg **m, int timeout_ms, const char *what,
    struct ix_err *err)
{
	int r = ix_ipc_recv(fd, m, timeout_ms, err);

	if (r < 0)
		return ix_err_prefix(err, "waiting for %s", what);
	if (r == 0)
		return ix_err_set(err, IX_EINVAL,
		    "connection closed while waiting for %s", what);
	return 0;
}

static int
send_version(int fd, uint16_t type, const char *service, uint16_t version,
    int timeout_ms, struct ix_err *err)
{
	struct ix_msg *m = ix_msg_new(type, err);
	int rc;

	if (m == NULL)
		return -1;
	if (service != NULL)
		ix_msg_put_str(m, service, IX_SERVICE_NAME_MAX, err);
	ix_msg_put_u16(m, version, err);
	rc = ix_ipc_send(fd, m, timeout_ms, err);
	ix_msg_free(m);
	return rc;
}

int
ix_ipc_send_error(int fd, const struct ix_err *e, int timeout_ms,
    struct ix_err *err)
{
	struct ix_msg *m = ix_msg_new(IX_MSG_ERROR, err);
	int rc;

	if (m == NULL)
		return -1;
	ix_msg_put_u16(m, (uint16_t)e->code, err);
	ix_msg_put_str(m, e->msg, IX_ERR_MSG_MAX - 1, err);
	rc = ix_ipc_send(fd, m, timeout_ms, err);
	ix_msg_free(m);
	return rc;
}

int
ix_ipc_read_error(struct ix_msg *m, struct ix_err *remote, struct ix_err *err)
{
	uint16_t code;
	const char *text;

	if (m->type != IX_MSG_ERROR)
		return ix_err_set(err, IX_EINVAL,
		    "message 0x%04x is not ERROR", m->type);
	if (ix_msg_get_u16(m, &code, err) < 0 ||
	    ix_msg_get_str(m, &text, IX_ERR_MSG_MAX - 1, err) < 0 ||
	    ix_msg_end(m, err) < 0)
		return -1;
	if (code == IX_OK || code > IX_ECORRUPT)
		return ix_err_set(err, IX_EINVAL,
		    "message 0x%04x: offset 0: unknown error code %u", m->type, code);
	ix_err_set(remote, (enum ix_errcode)code, "%s", text);
	return 0;
}

int
ix_ipc_check_hello(struct ix_msg *hello, const char *service,
    uint16_t version, uint16_t *negotiated, struct ix_err *err)
{
	const char *name;
	uint16_t v;

	if (hello->type != IX_MSG_HELLO)
		return ix_err_set(err, IX_EINVAL,
		    "expected HELLO (0x%04x), got message 0x%04x",
		    IX_MSG_HELLO, hello->type);
	if (ix_msg_get_str(hello, &name, IX_SERVICE_NAME_MAX, err) < 0 ||
	    ix_msg_get_u16(hello, &v, err) < 0 || ix_msg_end(hello, err) < 0)
		return -1;
	if (strcmp(name, service) != 0)
		return ix_err_set(err, IX_EINVAL,
		    "client asks for service '%s', this is %s", name, service);
	if (v == version || (version > 1 && v == version - 1)) {
		*negotiated = v;
		return 0;
	}
	if (version > 1)
		return ix_err_set(err, IX_EVERSION,
		    "client speaks %s protocol %u, server speaks %u and %u",
		    service, v, version - 1, version);
	return ix_err_set(err, IX_EVERSION,
	    "client speaks %s protocol %u, server speaks %u", service, v, version);
}

int
ix_ipc_server_banner(int fd, const char *service, uint16_t version,
    int timeout_ms, uint16_t *negotiated, struct ix_err *err)
{
	struct ix_msg *m = NULL;
	struct ix_err ignored;
	int rc;

	if (version == 0)
		return ix_err_set(err, IX_EINVAL, "%s: protocol version 0 is reserved",
		    service);
	if (send_version(fd, IX_MSG_BANNER, service, version, timeout_ms, err) < 0 ||
	    recv_one(fd, &m, timeout_ms, "HELLO", err) < 0)
		return -1;
	rc = ix_ipc_check_hello(m, service, version, negotiated, err);
	ix_msg_free(m);
	if (rc < 0) {
		/* Best effort: the client learns why, the caller logs err. */
		ix_ipc_send_error(fd, err, timeout_ms, &ignored);
		return -1;
	}
	return send_version(fd, IX_MSG_OK, NULL, *negotiated, timeout_ms, err);
}

/* Reads BANNER and checks it names the service we meant to reach. */
static int
check_banner(struct ix_msg *m, const char *service, struct ix_err *err)
{
	const char *name;
	uint16_t v;

	if (m->type == IX_MSG_ERROR) {
		if (ix_ipc_read_error(m, err, err) == 0)
			ix_err_prefix(err, "%s refused the connection", service);
		return -1;
	}
	if (m->type != IX_MSG_BANNER)
		return ix_err_set(err, IX_EINVAL,
		    "expected BANNER (0x%04x), got message 0x%04x",
		    IX_MSG_BANNER, m->type);
	if (ix_msg_get_str(m, &name, IX_SERVICE_NAME_MAX, err) < 0 ||
	    ix_msg_get_u16(m, &v, err) < 0 || ix_msg_end(m, err) < 0)
		return -1;
	if (strcmp(name, service) != 0)
		return ix_err_set(err, IX_EINVAL,
		    "connected to service '%s', expected %s", name, service);
	return 0;
}

/* Reads the server's verdict on our HELLO. */
static int
check_verdict(struct ix_msg *m, const char *service, uint16_t version,
    uint16_t *negotiated, struct ix_err *err)
{
	if (m->type == IX_MSG_ERROR) {
		if (ix_ipc_read_error(m, err, err) == 0)
			ix_err_prefix(err, "%s server", service);
		return -1;
	}
	if (m->type != IX_MSG_OK)
		return ix_err_set(err, IX_EINVAL,
		    "expected OK (0x%04x), got message 0x%04x", IX_MSG_OK, m->type);
	if (ix_msg_get_u16(m, negotiated, err) < 0 || ix_msg_end(m, err) < 0)
		return -1;
	if (*negotiated != version)
		return ix_err_set(err, IX_EVERSION,
		    "%s server agreed on protocol %u, client speaks %u", service,
		    *negotiated, version);
	return 0;
}

/*
 * Receives BANNER. A server that closes the connection (or resets it) or
 * stays silent before its banner is not serving this socket: most often
 * a daemon that refused the socket its service manager passed it (privd
 * takes one only at its own run directory's privd.sock, and the listener
 * held for it then drops the connection), or one started with another run
 * directory. "Connection reset by peer" alone says none of that; the
 * message names the server, the socket when path is known, and where to
 * look.
 */
static int
recv_banner(int fd, const char *service, const char *path, int timeout_ms,
    struct ix_msg **m, struct ix_err *err)
{
	char at[IX_ERR_MSG_MAX / 2];
	struct ix_err e;
	int r;

	if (path != NULL)
		snprintf(at, sizeof at, "%s at %s", service, path);
	else
		snprintf(at, sizeof at, "%s", service);
	ix_err_clear(&e);
	if (timeout_ms >= 0 &&
	    ix_ipc_wait(fd, POLLIN, ix_now_ms() + timeout_ms, timeout_ms, &e) < 0) {
		if (e.code == IX_ELIMIT)
			return ix_err_set(err, IX_ELIMIT, "%s sent no banner within %g s: "
			    "is %s running, with the same --rundir? see its log", at,
			    timeout_ms / 1000.0, service);
		r = -1;
	} else {
		r = ix_ipc_recv(fd, m, timeout_ms, &e);
	}
	if (r == 0 || (r < 0 && e.code == IX_ESYS && e.sys_errno == ECONNRESET))
		return ix_err_set(err, IX_EINVAL, "%s closed the connection before its "
		    "banner: is %s running, with the same --rundir? see its log", at,
		    service);
	if (r < 0) {
		if (err != NULL)
			*err = e;
		return ix_err_prefix(err, "waiting for BANNER");
	}
	return 0;
}

static int
client_hello(int fd, const char *path, const char *service, uint16_t version,
    int timeout_ms, uint16_t *negotiated, struct ix_err *err)
{
	struct ix_msg *m = NULL;
	int rc;

	if (recv_banner(fd, service, path, timeout_ms, &m, err) < 0)
		return -1;
	rc = check_banner(m, service, err);
	ix_msg_free(m);
	m = NULL;
	if (rc == 0 && (send_version(fd, IX_MSG_HELLO, service, version, timeout_ms, err) < 0 ||
	    recv_one(fd, &m, timeout_ms, "the answer to HELLO", err) < 0))
		rc = -1;
	else if (rc == 0)
		rc = check_verdict(m, service, version, negotiated, err);
	ix_msg_free(m);
	if (rc < 0 && path != NULL)
		ix_err_prefix(err, "%s at %s", service, path);
	return rc;
}

int
ix_ipc_client_hello(int fd, const char *service, uint16_t version,
    int timeout_ms, uint16_t *negotiated, struct ix_err *err)
{
	return client_hello(fd, NULL, service, version, timeout_ms, negotiated, err);
}

int
ix_ipc_client_open(const char *path, const char *service, uint16_t version,
    int timeout_ms, uint16_t *negotiated, struct ix_err *err)
{
	int fd = ix_ipc_connect(path, err);

	if (fd < 0)
		return ix_err_prefix(err, "cannot reach %s", service);
	if (client_hello(fd, path, service, version, timeout_ms, negotiated, err) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}
