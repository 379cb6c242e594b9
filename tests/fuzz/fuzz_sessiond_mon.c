/*
 * Fuzz target for sessiond's monitor dispatch of its worker's messages
 * (sessiond/monitor.c, through libipc's ix_mon), in every state: what a
 * compromised worker can make the privileged side read.
 *
 * Input: byte 0 picks the state (modulo the machine's states), byte 1
 * the number of descriptors said to have come with the packet (low 3
 * bits; the decoder refuses more than 4), bytes 2-3 the type (big
 * endian), the rest the payload. The header is built here, so every
 * input reaches the dispatch (fuzz_ipc covers the framing). The
 * descriptors are absent (-1): the monitor then refuses an OPEN for
 * descriptors that are not what the worker says, after having read all
 * of it.
 * Beyond not crashing, the dispatch keeps the machine's promises: a
 * refused message leaves the state as it was; an accepted one is in the
 * table for that state and moves only as monitor.h says (REQUEST to
 * IDENTIFIED with a LIST, REJECT and HANGUP to DONE, WINCH nowhere).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sessiond/monitor.h"
#include "sessiond/mproto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t pkt[IX_MSG_HDR_LEN + IX_MSG_MAX_PAYLOAD];
	struct sess_heard h;
	struct ix_mon mon;
	struct ix_msg *m;
	struct ix_err e;
	unsigned state;
	size_t plen;
	uint16_t type;
	int r;

	if (size < 4 || size - 4 > IX_MSG_MAX_PAYLOAD)
		return 0;
	state = data[0] % SESS_NSTATES;
	type = (uint16_t)(data[2] << 8 | data[3]);
	plen = size - 4;
	pkt[0] = (uint8_t)(plen >> 24);
	pkt[1] = (uint8_t)(plen >> 16);
	pkt[2] = (uint8_t)(plen >> 8);
	pkt[3] = (uint8_t)plen;
	pkt[4] = data[2];
	pkt[5] = data[3];
	pkt[6] = data[1] & 7;
	pkt[7] = 0;
	memcpy(pkt + IX_MSG_HDR_LEN, data + 4, plen);
	if (ix_msg_decode(pkt, IX_MSG_HDR_LEN + plen, NULL, data[1] & 7, &m, &e) < 0)
		return 0;
	if (sess_mon_init(&mon, &h, &e) < 0)
		abort();
	mon.state = state;	/* as if the conversation had come this far */
	r = ix_mon_dispatch(&mon, m, &h, &e);
	if (r < 0) {
		if (mon.state != state)
			abort();
	} else {
		switch (type) {
		case SESSIOND_MON_REQUEST:
			if (state != SESS_READY || mon.state != SESS_IDENTIFIED ||
			    h.req.kind != SESSIOND_REQ_LIST)
				abort();
			break;
		case SESSIOND_MON_REJECT:
			if (state != SESS_READY || mon.state != SESS_DONE || !h.rejected_set ||
			    strnlen(h.rejected, sizeof h.rejected) == sizeof h.rejected)
				abort();
			break;
		case SESSIOND_MON_WINCH:
			if (state != SESS_RUNNING || mon.state != SESS_RUNNING || h.winch != 1)
				abort();
			break;
		case SESSIOND_MON_HANGUP:
			if (state == SESS_READY || state == SESS_DONE || mon.state != SESS_DONE ||
			    (h.hangup != SESSIOND_HANGUP_CLOSED && h.hangup != SESSIOND_HANGUP_PROTOCOL))
				abort();
			break;
		default:
			abort();	/* a type outside the table was accepted */
		}
	}
	sess_heard_free(&h);
	ix_msg_free(m);
	return 0;
}
