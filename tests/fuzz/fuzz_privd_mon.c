/*
 * Fuzz target for privd's monitor: its dispatch of what a worker sends
 * (privd/monitor.c, privd_machine), in every state — the door a worker
 * taken over by an attacker knocks on.
 *
 * Input: byte 0 is the state the machine is put in (modulo the number of
 * states), bytes 1-2 the message type (big-endian), byte 3's low 3 bits
 * the number of descriptors said to have come with it, the rest the
 * payload. A request the machine permits is served as far as it goes
 * without a database, a client or a terminal: refused, never acted on.
 * Beyond not crashing: the dispatch never permits a type outside privd's
 * table, a message is never taken unless read to its end, and the
 * machine only ever moves along its own moves.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libipc/ipc.h"
#include "privd/monitor.h"
#include "privd/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t pkt[IX_MSG_HDR_LEN + IX_MSG_MAX_PAYLOAD];
	static struct privd_server srv;
	static struct privd_req rq;
	static struct privd_conn c;
	struct ix_msg *m;
	struct ix_err e;
	unsigned from;
	size_t plen;
	uint16_t type;
	int r;

	if (size < 4 || size - 4 > IX_MSG_MAX_PAYLOAD)
		return 0;
	plen = size - 4;
	type = (uint16_t)(data[1] << 8 | data[2]);
	if (type == 0)
		return 0;
	pkt[0] = (uint8_t)(plen >> 24);
	pkt[1] = (uint8_t)(plen >> 16);
	pkt[2] = (uint8_t)(plen >> 8);
	pkt[3] = (uint8_t)plen;
	pkt[4] = (uint8_t)(type >> 8);
	pkt[5] = (uint8_t)type;
	pkt[6] = data[3] & 7;
	pkt[7] = 0;
	memcpy(pkt + IX_MSG_HDR_LEN, data + 4, plen);
	if (ix_msg_decode(pkt, IX_MSG_HDR_LEN + plen, NULL, data[3] & 7, &m, &e) < 0)
		return 0;
	srv.log = NULL;
	memset(&rq, 0, sizeof rq);
	for (int i = 0; i < 4; i++)
		rq.fds[i] = -1;
	c = (struct privd_conn){ .srv = &srv, .fd = -1, .mon = -1, .peer = { .pidfd = -1 },
				 .rq = &rq, .run = { .kill_fd = -1, .pidfd = -1 } };
	if (ix_mon_init(&c.machine, &privd_machine, &e) < 0)
		abort();
	from = data[0] % PM_NSTATES;
	c.machine.state = from;
	r = ix_mon_dispatch(&c.machine, m, &c, &e);
	if (r == 0) {
		bool listed = false;

		for (size_t i = 0; i < privd_machine.n; i++)
			if (privd_machine.table[i].type == type &&
			    (privd_machine.table[i].in & IX_MON_BIT(from)))
				listed = true;
		if (!listed || ix_msg_end(m, &e) < 0)
			abort();
	}
	if (c.machine.state != from && !(privd_machine.moves[from] & IX_MON_BIT(c.machine.state)))
		abort();
	privd_request_close(&rq);
	ix_msg_free(m);
	return 0;
}
