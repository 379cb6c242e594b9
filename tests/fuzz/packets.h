/*
 * For fuzz targets that read a sequence of libipc packets from one input:
 * each a u16 length (big-endian) and that many bytes exactly as recvmsg
 * would return them; the descriptors a header announces arrive as copies
 * of null (an open /dev/null), as the kernel would pass them.
 */
#ifndef IX_FUZZ_PACKETS_H
#define IX_FUZZ_PACKETS_H

#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "libipc/ipc.h"

/* The next packet of data[*pos..size), decoded into *m (the caller
 * frees it), *pos moved past it. Returns 1, or 0 at the end of the input
 * or when the decoder refuses the packet (its descriptors closed). */
static inline int
fuzz_next_packet(const uint8_t *data, size_t size, size_t *pos, int null, struct ix_msg **m)
{
	int fds[IX_MSG_MAX_FDS];
	struct ix_err e;
	size_t len, nfds;

	if (*pos + 2 > size)
		return 0;
	len = (size_t)data[*pos] << 8 | data[*pos + 1];
	*pos += 2;
	if (len > size - *pos)
		len = size - *pos;
	nfds = len >= IX_MSG_HDR_LEN ? data[*pos + 6] : 0;
	if (nfds > IX_MSG_MAX_FDS)
		nfds = IX_MSG_MAX_FDS;
	for (size_t i = 0; i < nfds; i++)
		fds[i] = dup(null);
	if (ix_msg_decode(data + *pos, len, fds, nfds, m, &e) < 0) {
		for (size_t i = 0; i < nfds; i++)
			close(fds[i]);
		return 0;
	}
	*pos += len;
	return 1;
}

#endif
