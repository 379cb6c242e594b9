/*
 * Fuzz target for libipc's decoder and field reader.
 *
 * Input: byte 0 is the number of descriptors said to have arrived with the
 * packet (low 3 bits), byte 1 seeds the sequence of field kinds the reader
 * tries, and the rest is the packet exactly as recvmsg would return it.
 * Common messages go through the real parsers (HELLO check, ERROR read);
 * other types are walked field by field, then ix_msg_end.
 */
#include <stddef.h>
#include <stdint.h>

#include "libipc/ipc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
walk(struct ix_msg *m, unsigned seed)
{
	struct ix_err e;
	const uint8_t *p;
	const char *s;
	uint64_t v64;
	uint32_t v32;
	uint16_t v16;
	uint8_t v8;
	size_t n;
	int fd, i, rc = 0;

	for (i = 0; i < 32 && rc == 0; i++) {
		seed = seed * 1103515245u + 12345u;
		switch ((seed >> 16) % 7) {
		case 0: rc = ix_msg_get_u8(m, &v8, &e); break;
		case 1: rc = ix_msg_get_u16(m, &v16, &e); break;
		case 2: rc = ix_msg_get_u32(m, &v32, &e); break;
		case 3: rc = ix_msg_get_u64(m, &v64, &e); break;
		case 4: rc = ix_msg_get_str(m, &s, 4096, &e); break;
		case 5: rc = ix_msg_get_blob(m, &p, &n, 4096, &e); break;
		default: rc = ix_msg_get_fd(m, &fd, &e); break;
		}
	}
	ix_msg_end(m, &e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ix_msg *m;
	struct ix_err e, remote;
	uint16_t negotiated;

	if (size < 2)
		return 0;
	if (ix_msg_decode(data + 2, size - 2, NULL, data[0] & 7, &m, &e) < 0)
		return 0;
	switch (ix_msg_type(m)) {
	case IX_MSG_HELLO:
		ix_ipc_check_hello(m, "privd", 2, &negotiated, &e);
		break;
	case IX_MSG_ERROR:
		ix_ipc_read_error(m, &remote, &e);
		break;
	default:
		walk(m, data[1]);
		break;
	}
	ix_msg_free(m);
	return 0;
}
