/*
 * privd's REQUEST, field by field (privd/request.h). The limits are
 * checked as the words arrive, so nothing is copied past the text's size
 * whatever the counts in the message say.
 */
#include <string.h>
#include <unistd.h>

#include "privd/request.h"

/* The edit block (privd/proto.h), copied into r: an empty string is a
 * field the operation does not take. */
static int
read_edit(struct ix_msg *m, struct privd_req *r, struct ix_err *err)
{
	const char *path, *pred, *rights;
	uint8_t op;

	if (ix_msg_get_u8(m, &op, err) < 0 ||
	    ix_msg_get_str(m, &path, PRIVD_EDIT_PATH_MAX, err) < 0 ||
	    ix_msg_get_str(m, &pred, PRIVD_EDIT_TEXT_MAX, err) < 0 ||
	    ix_msg_get_str(m, &rights, PRIVD_EDIT_TEXT_MAX, err) < 0)
		return -1;
	if (op > IX_EDIT_RIGHTS)
		return ix_err_set(err, IX_EINVAL, "unknown edit operation %u", op);
	/* the lengths are the message's bounds, which are the buffers' */
	strcpy(r->edit_path, path);
	strcpy(r->edit_predicate, pred);
	strcpy(r->edit_rights, rights);
	r->edit.op = (enum ix_edit_op)op;
	r->edit.path = r->edit_path;
	r->edit.predicate = pred[0] ? r->edit_predicate : NULL;
	r->edit.rights = rights[0] ? r->edit_rights : NULL;
	return 0;
}

int
privd_request_read(struct ix_msg *m, struct privd_req *out, struct ix_err *err)
{
	size_t len = 0;

	out->text[0] = '\0';
	out->has_edit = false;
	for (int i = 0; i < 4; i++)
		out->fds[i] = -1;
	if (ix_msg_get_u8(m, &out->flags, err) < 0 || ix_msg_get_u16(m, &out->argc, err) < 0)
		return -1;
	if (out->flags & ~(PRIVD_F_DRYRUN | PRIVD_F_LIST | PRIVD_F_EDIT))
		return ix_err_set(err, IX_EINVAL, "unknown request flags 0x%02x", out->flags);
	if ((out->flags & PRIVD_F_LIST) && (out->flags & PRIVD_F_EDIT))
		return ix_err_set(err, IX_EINVAL, "a list request carries no edit");
	if ((out->flags & PRIVD_F_LIST) ? out->argc != 0
					: out->argc == 0 || out->argc > PRIVD_ARGC_MAX)
		return ix_err_set(err, IX_ELIMIT, "a request has 1 to %d words (0 for a list), not %u",
				  PRIVD_ARGC_MAX, out->argc);
	for (uint16_t i = 0; i < out->argc; i++) {
		const char *w;
		size_t n;

		if (ix_msg_get_str(m, &w, PRIVD_ARG_MAX, err) < 0)
			return -1;
		n = strlen(w);
		if (len + n + (i > 0) > IX_REQUEST_MAX)
			return ix_err_set(err, IX_ELIMIT, "the request is longer than %d bytes",
					  IX_REQUEST_MAX);
		if (i > 0)
			out->text[len++] = ' ';
		memcpy(out->text + len, w, n + 1);
		len += n;
		out->words[i] = w;
	}
	if (out->flags & PRIVD_F_EDIT) {
		if (read_edit(m, out, err) < 0)
			return -1;
		out->has_edit = true;
	}
	for (int i = 0; i < 4; i++)
		if (ix_msg_get_fd(m, &out->fds[i], err) < 0)
			return -1;
	return ix_msg_end(m, err);
}

struct ix_msg *
privd_request_write(uint16_t type, const struct privd_req *r, struct ix_err *err)
{
	struct ix_msg *m = ix_msg_new(type, err);

	if (m == NULL)
		return NULL;
	ix_msg_put_u8(m, r->flags, err);
	ix_msg_put_u16(m, r->argc, err);
	for (uint16_t i = 0; i < r->argc; i++)
		ix_msg_put_str(m, r->words[i], PRIVD_ARG_MAX, err);
	if (r->has_edit) {
		ix_msg_put_u8(m, (uint8_t)r->edit.op, err);
		ix_msg_put_str(m, r->edit.path, PRIVD_EDIT_PATH_MAX, err);
		ix_msg_put_str(m, r->edit.predicate ? r->edit.predicate : "", PRIVD_EDIT_TEXT_MAX, err);
		ix_msg_put_str(m, r->edit.rights ? r->edit.rights : "", PRIVD_EDIT_TEXT_MAX, err);
	}
	for (int i = 0; i < 4; i++)
		ix_msg_put_fd(m, r->fds[i], err);
	return m;
}

void
privd_request_close(struct privd_req *r)
{
	for (int i = 0; i < 4; i++)
		if (r->fds[i] >= 0) {
			close(r->fds[i]);
			r->fds[i] = -1;
		}
}
