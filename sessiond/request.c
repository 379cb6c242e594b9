/*
 * The client's request, from the client and between worker and monitor
 * (request.h). One reader of the OPEN fields serves both sides, so the
 * limits the worker applies are the ones the monitor applies again.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sessiond/request.h"

void
sess_request_init(struct sess_request *r)
{
	memset(r, 0, sizeof *r);
	r->fd[0] = r->fd[1] = r->fd[2] = -1;
}

void
sess_request_close(struct sess_request *r)
{
	if (r == NULL)
		return;
	for (int i = 0; i < 3; i++)
		if (r->fd[i] >= 0) {
			close(r->fd[i]);
			r->fd[i] = -1;
		}
}

static bool
term_ok(const char *t)
{
	for (; *t; t++)
		if (!((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z') || (*t >= '0' && *t <= '9') ||
		      *t == '-' || *t == '_' || *t == '.' || *t == '+'))
			return false;
	return true;
}

/* flags, label, TERM, argc and the words: the fields OPEN and the
 * canonical REQUEST share, with the limits of proto.h. */
static int
get_open_fields(struct ix_msg *m, struct sess_request *r, struct ix_err *err)
{
	const char *label, *term, *w;
	uint16_t argc;
	size_t total = 0;

	if (ix_msg_get_u8(m, &r->flags, err) < 0 ||
	    ix_msg_get_str(m, &label, SESSIOND_LABEL_MAX, err) < 0 ||
	    ix_msg_get_str(m, &term, SESSIOND_TERM_MAX, err) < 0 || ix_msg_get_u16(m, &argc, err) < 0)
		return -1;
	if (r->flags & ~SESSIOND_F_ADMIN)
		return ix_err_set(err, IX_EINVAL, "unknown OPEN flags 0x%02x", r->flags);
	if (label[0] == '\0')
		return ix_err_set(err, IX_EINVAL, "OPEN names no label");
	if (!term_ok(term))
		return ix_err_set(err, IX_EINVAL, "TERM may hold only letters, digits and -_.+");
	if (argc > SESSIOND_ARGC_MAX)
		return ix_err_set(err, IX_ELIMIT, "a command has at most %d words, not %u",
				  SESSIOND_ARGC_MAX, argc);
	memcpy(r->label, label, strlen(label) + 1);
	memcpy(r->term, term, strlen(term) + 1);
	for (uint16_t i = 0; i < argc; i++) {
		size_t n;

		if (ix_msg_get_str(m, &w, SESSIOND_ARG_MAX, err) < 0)
			return -1;
		n = strlen(w) + 1;
		if (total + n > SESSIOND_CMD_MAX)
			return ix_err_set(err, IX_ELIMIT, "the command is longer than %d bytes",
					  SESSIOND_CMD_MAX);
		r->argv[i] = memcpy(r->words + total, w, n);
		total += n;
	}
	r->argc = argc;
	r->argv[argc] = NULL;
	return 0;
}

static void
describe(int fd, struct sess_fd_claim *c)
{
	struct stat st;
	int fl = fcntl(fd, F_GETFL);

	memset(c, 0, sizeof *c);
	if (fstat(fd, &st) == 0) {
		c->rdev = (uint64_t)st.st_rdev;
		c->ino = (uint64_t)st.st_ino;
	}
	c->access = fl < 0 ? 0xff : (fl & O_PATH) ? 3 : (uint8_t)(fl & O_ACCMODE);
}

int
sess_request_from_client(struct ix_msg *m, struct sess_request *r, struct ix_err *err)
{
	sess_request_init(r);
	if (ix_msg_type(m) == SESSIOND_MSG_LIST) {
		r->kind = SESSIOND_REQ_LIST;
		return ix_msg_end(m, err);
	}
	if (ix_msg_type(m) != SESSIOND_MSG_OPEN)
		return ix_err_set(err, IX_EINVAL, "message 0x%04x is neither OPEN nor LIST",
				  ix_msg_type(m));
	r->kind = SESSIOND_REQ_OPEN;
	if (get_open_fields(m, r, err) < 0)
		return -1;
	for (int i = 0; i < 3; i++) {
		if (ix_msg_get_fd(m, &r->fd[i], err) < 0)
			return -1;
		if (r->fd[i] < 0)
			return ix_err_set(err, IX_EINVAL, "OPEN lacks descriptor %d", i);
		describe(r->fd[i], &r->claim[i]);
	}
	return ix_msg_end(m, err);
}

int
sess_request_put(struct ix_msg *m, const struct sess_request *r, struct ix_err *err)
{
	ix_msg_put_u8(m, r->kind, err);
	if (r->kind != SESSIOND_REQ_OPEN)
		return 0;
	ix_msg_put_u8(m, r->flags, err);
	ix_msg_put_str(m, r->label, SESSIOND_LABEL_MAX, err);
	ix_msg_put_str(m, r->term, SESSIOND_TERM_MAX, err);
	ix_msg_put_u16(m, (uint16_t)r->argc, err);
	for (int i = 0; i < r->argc; i++)
		ix_msg_put_str(m, r->argv[i], SESSIOND_ARG_MAX, err);
	for (int i = 0; i < 3; i++) {
		ix_msg_put_u64(m, r->claim[i].rdev, err);
		ix_msg_put_u64(m, r->claim[i].ino, err);
		ix_msg_put_u8(m, r->claim[i].access, err);
	}
	for (int i = 0; i < 3; i++)
		if (ix_msg_put_fd(m, r->fd[i], err) < 0)
			return -1;
	return 0;
}

int
sess_request_get(struct ix_msg *m, struct sess_request *r, struct ix_err *err)
{
	sess_request_init(r);
	if (ix_msg_get_u8(m, &r->kind, err) < 0)
		return -1;
	if (r->kind == SESSIOND_REQ_LIST)
		return ix_msg_end(m, err);
	if (r->kind != SESSIOND_REQ_OPEN)
		return ix_err_set(err, IX_EINVAL, "REQUEST of unknown kind %u", r->kind);
	if (get_open_fields(m, r, err) < 0)
		return -1;
	for (int i = 0; i < 3; i++)
		if (ix_msg_get_u64(m, &r->claim[i].rdev, err) < 0 ||
		    ix_msg_get_u64(m, &r->claim[i].ino, err) < 0 ||
		    ix_msg_get_u8(m, &r->claim[i].access, err) < 0)
			return -1;
	for (int i = 0; i < 3; i++)
		if (ix_msg_get_fd(m, &r->fd[i], err) < 0)
			return -1;
	return ix_msg_end(m, err);
}

int
sess_request_claims_hold(const struct sess_request *r, struct ix_err *err)
{
	if (r->kind != SESSIOND_REQ_OPEN)
		return 0;
	for (int i = 0; i < 3; i++) {
		struct sess_fd_claim seen;

		if (r->fd[i] < 0 || fcntl(r->fd[i], F_GETFD) < 0)
			return ix_err_set(err, IX_ECORRUPT, "REQUEST: descriptor %d is missing", i);
		describe(r->fd[i], &seen);
		if (seen.rdev != r->claim[i].rdev || seen.ino != r->claim[i].ino ||
		    seen.access != r->claim[i].access)
			return ix_err_set(err, IX_ECORRUPT, "REQUEST: descriptor %d is not what the "
					  "worker says it is", i);
	}
	return 0;
}
