/*
 * The pure decoder: one packet as the kernel delivered it, plus the number
 * of descriptors that came with it, to a message or a precise error. It
 * touches no descriptor and no socket, so the fuzz target drives exactly
 * the code that ix_ipc_recv runs (PROTOCOL.md "Framing").
 */
#include <stdlib.h>
#include <string.h>

#include "libipc/msg_priv.h"

int
ix_msg_decode(const uint8_t *pkt, size_t len, const int *fds, size_t nfds,
    struct ix_msg **out, struct ix_err *err)
{
	uint32_t plen;
	uint16_t type;
	unsigned hfds, i;
	struct ix_msg *m;

	*out = NULL;
	if (len < IX_MSG_HDR_LEN)
		return ix_err_set(err, IX_EINVAL,
		    "packet of %zu bytes is shorter than the %d-byte header",
		    len, IX_MSG_HDR_LEN);
	plen = (uint32_t)pkt[0] << 24 | (uint32_t)pkt[1] << 16 |
	    (uint32_t)pkt[2] << 8 | pkt[3];
	type = (uint16_t)(pkt[4] << 8 | pkt[5]);
	hfds = pkt[6];
	if (pkt[7] != 0)
		return ix_err_set(err, IX_EINVAL,
		    "message 0x%04x: offset 7: reserved header byte is 0x%02x, not 0",
		    type, pkt[7]);
	if (type == 0)
		return ix_err_set(err, IX_EINVAL,
		    "offset 4: message type 0 is reserved");
	if (plen > IX_MSG_MAX_PAYLOAD)
		return ix_err_set(err, IX_ELIMIT,
		    "message 0x%04x: payload length %u over the maximum of %d",
		    type, plen, IX_MSG_MAX_PAYLOAD);
	if (plen != len - IX_MSG_HDR_LEN)
		return ix_err_set(err, IX_EINVAL,
		    "message 0x%04x: header says %u payload bytes, packet has %zu",
		    type, plen, len - IX_MSG_HDR_LEN);
	if (hfds > IX_MSG_MAX_FDS)
		return ix_err_set(err, IX_ELIMIT,
		    "message 0x%04x: %u descriptors over the maximum of %d",
		    type, hfds, IX_MSG_MAX_FDS);
	if (hfds != nfds)
		return ix_err_set(err, IX_EINVAL,
		    "message 0x%04x: header says %u descriptors, %zu received",
		    type, hfds, nfds);
	m = calloc(1, sizeof *m);
	if (m == NULL || (m->buf = malloc(len)) == NULL) {
		free(m);
		return ix_err_set(err, IX_ENOMEM, "out of memory for a message");
	}
	memcpy(m->buf, pkt, len);
	m->cap = len;
	m->len = plen;
	m->type = type;
	m->nfds = hfds;
	m->owns_fds = true;
	for (i = 0; i < hfds; i++)
		m->fds[i] = fds != NULL ? fds[i] : -1;
	*out = m;
	return 0;
}
