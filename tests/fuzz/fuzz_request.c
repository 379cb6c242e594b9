/*
 * Fuzz target for privd's REQUEST parser (privd/request.c), the one the
 * worker runs on every client's first message and the monitor on the
 * worker's relay of it.
 *
 * Input: byte 0 is the number of descriptors said to have arrived with
 * the packet (low 3 bits; the decoder refuses more than 4), the rest is
 * the REQUEST's payload. The header is built here, so every input reaches
 * the parser rather than dying in the framing (fuzz_ipc covers that).
 * Beyond not crashing, an accepted request must keep the parser's
 * promises: known flags only, no words with PRIVD_F_LIST, the joined
 * text within IX_REQUEST_MAX and NUL-terminated, an edit block only
 * without PRIVD_F_LIST, with a known operation and its strings within
 * their bounds. The descriptors are
 * absent (-1): the decoder has no real ones to hand over.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libipc/ipc.h"
#include "privd/proto.h"
#include "privd/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t pkt[IX_MSG_HDR_LEN + IX_MSG_MAX_PAYLOAD];
	static struct privd_req r;
	size_t plen, nfds;
	struct ix_msg *m;
	struct ix_err e;

	if (size < 1 || size - 1 > IX_MSG_MAX_PAYLOAD)
		return 0;
	nfds = data[0] & 7;
	plen = size - 1;
	pkt[0] = (uint8_t)(plen >> 24);
	pkt[1] = (uint8_t)(plen >> 16);
	pkt[2] = (uint8_t)(plen >> 8);
	pkt[3] = (uint8_t)plen;
	pkt[4] = (uint8_t)(PRIVD_MSG_REQUEST >> 8);
	pkt[5] = (uint8_t)PRIVD_MSG_REQUEST;
	pkt[6] = (uint8_t)nfds;
	pkt[7] = 0;
	memcpy(pkt + IX_MSG_HDR_LEN, data + 1, plen);
	if (ix_msg_decode(pkt, IX_MSG_HDR_LEN + plen, NULL, nfds, &m, &e) < 0)
		return 0;
	if (privd_request_read(m, &r, &e) == 0) {
		size_t n = strnlen(r.text, sizeof r.text);

		if ((r.flags & ~(PRIVD_F_DRYRUN | PRIVD_F_LIST | PRIVD_F_EDIT)) || n > IX_REQUEST_MAX ||
		    ((r.flags & PRIVD_F_LIST) && (n != 0 || r.argc != 0)) ||
		    r.argc > PRIVD_ARGC_MAX || r.has_edit != !!(r.flags & PRIVD_F_EDIT))
			abort();
		if (r.has_edit &&
		    ((r.flags & PRIVD_F_LIST) || r.edit.op > IX_EDIT_RIGHTS ||
		     strlen(r.edit.path) > PRIVD_EDIT_PATH_MAX ||
		     (r.edit.predicate && strlen(r.edit.predicate) > PRIVD_EDIT_TEXT_MAX) ||
		     (r.edit.rights && strlen(r.edit.rights) > PRIVD_EDIT_TEXT_MAX)))
			abort();
	}
	ix_msg_free(m);
	return 0;
}
