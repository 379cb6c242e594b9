/*
 * A slot's side of its socket to the kit's main (srv_int.h).
 */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libipc/srv_int.h"

int
ix_srv_ctl_give(int ctl, const struct ix_fq_entry *c, struct ix_err *err)
{
	struct ix_msg *m = ix_msg_new(IX_MSG_SLOT_TAKE, err);
	int rc;

	if (m == NULL)
		return -1;
	ix_msg_put_u32(m, c->key, err);
	ix_msg_put_u64(m, (uint64_t)c->since_ms, err);
	ix_msg_put_fd(m, c->fd, err);
	rc = ix_ipc_send(ctl, m, 0, err);
	ix_msg_free(m);
	return rc;
}

int
ix_srv_slot_take(int ctl, struct ix_srv_conn *c, struct ix_err *err)
{
	char b = IX_SRV_SLOT_READY;
	struct ix_msg *m = NULL;
	uint64_t since;
	int r;

	while (send(ctl, &b, 1, MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			return errno == EPIPE || errno == ECONNRESET ? 0 : ix_err_sys(err, "slot: ready");
	r = ix_ipc_recv(ctl, &m, -1, err);
	if (r <= 0)
		return r == 0 ? 0 : -1;
	c->fd = -1;
	if (ix_msg_type(m) != IX_MSG_SLOT_TAKE || ix_msg_get_u32(m, &c->key, err) < 0 ||
	    ix_msg_get_u64(m, &since, err) < 0 || ix_msg_get_fd(m, &c->fd, err) < 0 ||
	    ix_msg_end(m, err) < 0 || c->fd < 0) {
		if (c->fd >= 0)
			close(c->fd);
		ix_msg_free(m);
		return ix_err_set(err, IX_ECORRUPT, "slot: main sent something else than a connection");
	}
	c->since_ms = (int64_t)since;
	ix_msg_free(m);
	return 1;
}
