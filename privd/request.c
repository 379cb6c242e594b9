/*
 * privd's REQUEST, field by field (privd/request.h). The limits are
 * checked as the words arrive, so nothing is copied past req's size
 * whatever the counts in the message say.
 */
#include <string.h>

#include "privd/proto.h"
#include "privd/request.h"

/* The edit block (privd/proto.h); strings stay in m, an empty one is
 * a field the operation does not take. */
static int
parse_edit(struct ix_msg *m, struct ix_edit *edit, struct ix_err *err)
{
	const char *pred, *rights;
	uint8_t op;

	if (ix_msg_get_u8(m, &op, err) < 0 ||
	    ix_msg_get_str(m, &edit->path, PRIVD_EDIT_PATH_MAX, err) < 0 ||
	    ix_msg_get_str(m, &pred, PRIVD_EDIT_TEXT_MAX, err) < 0 ||
	    ix_msg_get_str(m, &rights, PRIVD_EDIT_TEXT_MAX, err) < 0)
		return -1;
	if (op > IX_EDIT_RIGHTS)
		return ix_err_set(err, IX_EINVAL, "unknown edit operation %u", op);
	edit->op = (enum ix_edit_op)op;
	edit->predicate = pred[0] ? pred : NULL;
	edit->rights = rights[0] ? rights : NULL;
	return 0;
}

int
privd_request_parse(struct ix_msg *m, uint8_t *flags, char *req, struct ix_edit *edit,
		    int cfd[3], int *cwd, struct ix_err *err)
{
	const char *w;
	uint16_t argc;
	size_t len = 0;

	req[0] = '\0';
	if (ix_msg_get_u8(m, flags, err) < 0 || ix_msg_get_u16(m, &argc, err) < 0)
		return -1;
	if (*flags & ~(PRIVD_F_DRYRUN | PRIVD_F_LIST | PRIVD_F_EDIT))
		return ix_err_set(err, IX_EINVAL, "unknown request flags 0x%02x", *flags);
	if ((*flags & PRIVD_F_LIST) && (*flags & PRIVD_F_EDIT))
		return ix_err_set(err, IX_EINVAL, "a list request carries no edit");
	if ((*flags & PRIVD_F_LIST) ? argc != 0 : argc == 0 || argc > PRIVD_ARGC_MAX)
		return ix_err_set(err, IX_ELIMIT, "a request has 1 to %d words (0 for a list), not %u",
				  PRIVD_ARGC_MAX, argc);
	for (uint16_t i = 0; i < argc; i++) {
		size_t n;

		if (ix_msg_get_str(m, &w, PRIVD_ARG_MAX, err) < 0)
			return -1;
		n = strlen(w);
		if (len + n + (i > 0) > IX_REQUEST_MAX)
			return ix_err_set(err, IX_ELIMIT, "the request is longer than %d bytes",
					  IX_REQUEST_MAX);
		if (i > 0)
			req[len++] = ' ';
		memcpy(req + len, w, n + 1);
		len += n;
	}
	if ((*flags & PRIVD_F_EDIT) && parse_edit(m, edit, err) < 0)
		return -1;
	for (int i = 0; i < 3; i++)
		if (ix_msg_get_fd(m, &cfd[i], err) < 0)
			return -1;
	if (ix_msg_get_fd(m, cwd, err) < 0 || ix_msg_end(m, err) < 0)
		return -1;
	return 0;
}
