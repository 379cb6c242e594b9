/*
 * The worker's side of the launcher's channel (launcher.h): one message
 * out, one answer back, OK or libipc's ERROR.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libcompart/flabel.h"
#include "privd/launcher.h"

/* Waits for the launcher no longer than the longest thing it does
 * before answering (a pex scan of /proc); an EXEC's answer comes when the
 * program has been exec'ed. */
#define LCALL_TIMEOUT_MS 60000

static struct ix_msg *
new_msg(enum privd_lop op, struct ix_err *err)
{
	return ix_msg_new((uint16_t)op, err);
}

/* Sends q (freed) and receives the answer: OK into *out (the caller
 * frees it), an ERROR as -1 with its words in *err. */
static int
call(int ch, struct ix_msg *q, struct ix_msg **out, struct ix_err *err)
{
	struct ix_msg *a = NULL;
	struct ix_err remote;
	int rc;

	*out = NULL;
	if (q == NULL)
		return -1;
	rc = ix_ipc_send(ch, q, LCALL_TIMEOUT_MS, err);
	ix_msg_free(q);
	if (rc < 0)
		return ix_err_prefix(err, "privd's launcher");
	rc = ix_ipc_recv(ch, &a, LCALL_TIMEOUT_MS, err);
	if (rc == 0)
		return ix_err_set(err, IX_ESYS, "privd's launcher closed the channel");
	if (rc < 0)
		return ix_err_prefix(err, "privd's launcher");
	if (ix_msg_type(a) == IX_MSG_ERROR) {
		rc = ix_ipc_read_error(a, &remote, err);
		ix_msg_free(a);
		if (rc < 0)
			return -1;
		*err = remote;
		return -1;
	}
	if (ix_msg_type(a) != PRIVD_L_OK) {
		uint16_t type = ix_msg_type(a);

		ix_msg_free(a);
		return ix_err_set(err, IX_EINVAL, "privd's launcher answered with type 0x%04x", type);
	}
	*out = a;
	return 0;
}

/* An answer of u8 verdict, str why (and the caller reads on). */
static int
verdict(struct ix_msg *a, char *why, size_t whysize, struct ix_err *err)
{
	const char *w;
	uint8_t v;

	if (ix_msg_get_u8(a, &v, err) < 0 || ix_msg_get_str(a, &w, IX_PEX_WHY_MAX, err) < 0)
		return -1;
	snprintf(why, whysize, "%s", w);
	return v != 0;
}

int
privd_lcall_channel(int shared, struct ix_err *err)
{
	struct ix_msg *m = new_msg(PRIVD_L_CHANNEL, err);
	int sv[2], rc;

	if (m == NULL)
		return -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		ix_msg_free(m);
		return ix_err_sys(err, "launcher channel: socketpair");
	}
	rc = ix_msg_put_fd(m, sv[1], err);
	if (rc == 0)
		rc = ix_ipc_send(shared, m, LCALL_TIMEOUT_MS, err);
	ix_msg_free(m);
	close(sv[1]);
	if (rc < 0) {
		close(sv[0]);
		return ix_err_prefix(err, "privd's launcher");
	}
	return sv[0];
}

static int
put_providers(struct ix_msg *q, const struct ix_stream_provider *prov, size_t nprov,
	      struct ix_err *err)
{
	if (ix_msg_put_u16(q, (uint16_t)nprov, err) < 0)
		return -1;
	for (size_t i = 0; i < nprov; i++)
		if (ix_msg_put_str(q, prov[i].name, IX_PATH_MAX, err) < 0 ||
		    ix_msg_put_str(q, prov[i].path, IX_PATH_MAX, err) < 0)
			return -1;
	return 0;
}

int
privd_lcall_identify(int ch, int fd, pid_t pid, int pidfd, const struct ix_stream_provider *prov,
		     size_t nprov, char *src, size_t srcsize, char *why, size_t whysize,
		     struct ix_err *err)
{
	struct ix_msg *q = new_msg(PRIVD_L_IDENTIFY, err), *a;
	const char *id;
	int rc;

	if (q != NULL && (ix_msg_put_u32(q, (uint32_t)pid, err) < 0 ||
			  put_providers(q, prov, nprov, err) < 0 ||
			  ix_msg_put_fd(q, fd, err) < 0 || ix_msg_put_fd(q, pidfd, err) < 0)) {
		ix_msg_free(q);
		return -1;
	}
	if (call(ch, q, &a, err) < 0)
		return -1;
	rc = verdict(a, why, whysize, err);
	if (rc >= 0 && (ix_msg_get_str(a, &id, IX_STREAM_ID_MAX, err) < 0 ||
			ix_msg_end(a, err) < 0))
		rc = -1;
	else if (rc >= 0 && snprintf(src, srcsize, "%s", id) >= (int)srcsize)
		rc = ix_err_set(err, IX_ELIMIT, "stream identifier '%s' too long", id);
	ix_msg_free(a);
	return rc;
}

int
privd_lcall_pex(int ch, int fd, pid_t pid, int pidfd, const struct ix_stream_provider *prov, size_t nprov,
		bool foreground, struct ix_pex_seen *seen, char *why, size_t whysize,
		struct ix_err *err)
{
	struct ix_msg *q = new_msg(PRIVD_L_PEX, err), *a;
	const uint8_t *blob;
	size_t n;
	int rc = -1;

	if (q == NULL)
		return -1;
	if (ix_msg_put_u8(q, foreground, err) < 0 || ix_msg_put_u32(q, (uint32_t)pid, err) < 0 ||
	    put_providers(q, prov, nprov, err) < 0)
		goto fail;
	if (ix_msg_put_fd(q, fd, err) < 0 || ix_msg_put_fd(q, pidfd, err) < 0)
		goto fail;
	if (call(ch, q, &a, err) < 0)
		return -1;
	rc = verdict(a, why, whysize, err);
	if (rc >= 0 && (ix_msg_get_blob(a, &blob, &n, sizeof *seen, err) < 0 ||
			ix_msg_end(a, err) < 0))
		rc = -1;
	else if (rc >= 0 && n != sizeof *seen)
		rc = ix_err_set(err, IX_EINVAL, "privd's launcher: holders of %zu bytes", n);
	if (rc >= 0) {
		memcpy(seen, blob, sizeof *seen);
		if (seen->n > IX_PEX_HOLDERS_MAX)
			rc = ix_err_set(err, IX_EINVAL, "privd's launcher: %zu holders", seen->n);
	}
	ix_msg_free(a);
	return rc;
fail:
	ix_msg_free(q);
	return -1;
}

static int
put_ids(struct ix_msg *q, const struct ix_ids *ids, struct ix_err *err)
{
	if (ix_msg_put_u32(q, ids->uid, err) < 0 || ix_msg_put_u32(q, ids->gid, err) < 0 ||
	    ix_msg_put_u16(q, (uint16_t)ids->ngroups, err) < 0)
		return -1;
	for (size_t i = 0; i < ids->ngroups; i++)
		if (ix_msg_put_u32(q, ids->groups[i], err) < 0)
			return -1;
	return 0;
}

int
privd_lcall_open(int ch, const struct ix_ids *who, const char *path, int cwd, struct ix_err *err)
{
	struct ix_msg *q = new_msg(PRIVD_L_OPEN, err), *a;
	int fd = -1;

	if (q != NULL && (put_ids(q, who, err) < 0 ||
			  ix_msg_put_str(q, path, IX_ACTION_ARG_MAX, err) < 0 ||
			  ix_msg_put_fd(q, cwd, err) < 0)) {
		ix_msg_free(q);
		return -1;
	}
	if (call(ch, q, &a, err) < 0)
		return -1;
	if (ix_msg_get_fd(a, &fd, err) < 0 || ix_msg_end(a, err) < 0)
		fd = -1;
	ix_msg_free(a);
	return fd;
}

int
privd_lcall_label(void *arg, int fd, const struct ix_label *l, struct ix_err *err)
{
	struct ix_msg *q, *a;
	uint8_t enc[IX_FLABEL_SIZE];

	if (l == NULL)
		return ix_err_set(err, IX_EINVAL, "privd removes no label");
	if (ix_flabel_encode(l, enc, err) < 0)
		return -1;
	q = new_msg(PRIVD_L_LABEL, err);
	if (q != NULL && (ix_msg_put_blob(q, enc, sizeof enc, sizeof enc, err) < 0 ||
			  ix_msg_put_fd(q, fd, err) < 0)) {
		ix_msg_free(q);
		return -1;
	}
	if (call(*(int *)arg, q, &a, err) < 0)
		return -1;
	ix_msg_free(a);
	return 0;
}

int
privd_lcall_exec(int ch, const struct privd_exec *x, pid_t *pid, struct ix_err *err)
{
	struct ix_msg *q = new_msg(PRIVD_L_EXEC, err), *a;
	uint8_t enc[IX_FLABEL_SIZE];
	size_t argc = 0, envc = 0;
	uint32_t p;
	int rc = -1;

	if (q == NULL)
		return -1;
	while (x->argv[argc] != NULL)
		argc++;
	while (x->envp[envc] != NULL)
		envc++;
	if (ix_msg_put_u16(q, (uint16_t)argc, err) < 0)
		goto fail;
	for (size_t i = 0; i < argc; i++)
		if (ix_msg_put_str(q, x->argv[i], IX_ACTION_ARG_MAX, err) < 0)
			goto fail;
	if (ix_msg_put_u16(q, (uint16_t)envc, err) < 0)
		goto fail;
	for (size_t i = 0; i < envc; i++)
		if (ix_msg_put_str(q, x->envp[i], IX_ACTION_ARG_MAX, err) < 0)
			goto fail;
	if (put_ids(q, &x->ids, err) < 0 || ix_msg_put_u64(q, x->caps, err) < 0 ||
	    ix_msg_put_u8(q, x->has_ceiling, err) < 0)
		goto fail;
	if (x->has_ceiling && (ix_flabel_encode(&x->ceiling, enc, err) < 0 ||
			       ix_msg_put_blob(q, enc, sizeof enc, sizeof enc, err) < 0))
		goto fail;
	for (int i = 0; i < 3; i++)
		if (ix_msg_put_fd(q, x->fds[i], err) < 0)
			goto fail;
	if (call(ch, q, &a, err) < 0)
		return -1;
	if (ix_msg_get_u32(a, &p, err) == 0 && ix_msg_end(a, err) == 0) {
		*pid = (pid_t)p;
		rc = 0;
	}
	ix_msg_free(a);
	return rc;
fail:
	ix_msg_free(q);
	return ix_err_prefix(err, "the action cannot be passed to privd's launcher");
}

int
privd_lcall_signal(int ch, int sig, struct ix_err *err)
{
	struct ix_msg *q = new_msg(PRIVD_L_SIGNAL, err);
	int rc = -1;

	if (q != NULL && ix_msg_put_u8(q, (uint8_t)sig, err) == 0)
		rc = ix_ipc_send(ch, q, LCALL_TIMEOUT_MS, err);
	ix_msg_free(q);
	return rc;
}

int
privd_lcall_exited(int ch, int *status, struct ix_err *err)
{
	struct ix_msg *a = NULL;
	struct ix_err remote;
	uint32_t st;
	int rc;

	rc = ix_ipc_recv(ch, &a, LCALL_TIMEOUT_MS, err);
	if (rc == 0)
		return ix_err_set(err, IX_ESYS, "privd's launcher closed the channel");
	if (rc < 0)
		return ix_err_prefix(err, "privd's launcher");
	rc = -1;
	if (ix_msg_type(a) == IX_MSG_ERROR) {
		if (ix_ipc_read_error(a, &remote, err) == 0)
			*err = remote;
	} else if (ix_msg_type(a) != PRIVD_L_EXITED) {
		ix_err_set(err, IX_EINVAL, "privd's launcher sent type 0x%04x for EXITED",
			   ix_msg_type(a));
	} else if (ix_msg_get_u32(a, &st, err) == 0 && ix_msg_end(a, err) == 0) {
		*status = (int)st;
		rc = 0;
	}
	ix_msg_free(a);
	return rc;
}
