/*
 * pwraw: sends one hand-made frame to passwdd and prints what comes back,
 * for tests/scenario/passwdd_basic.sh (malformed and oversized input).
 *
 *	pwraw SOCKET CASE
 *
 * CASE: oversized, badlen, unknown, nofds, badstr, nohello, tagreg.
 * Prints "error CODE MESSAGE", "result N", "ok" or "closed"; exits 0 when
 * something was printed, 1 on a local failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libipc/ipc.h"

static size_t
frame(uint8_t *out, uint32_t len, uint16_t type, const void *p, size_t plen)
{
	out[0] = (uint8_t)(len >> 24), out[1] = (uint8_t)(len >> 16);
	out[2] = (uint8_t)(len >> 8), out[3] = (uint8_t)len;
	out[4] = (uint8_t)(type >> 8), out[5] = (uint8_t)type;
	out[6] = 0, out[7] = 0;
	memcpy(out + 8, p, plen);
	return 8 + plen;
}

int
main(int argc, char **argv)
{
	static uint8_t pkt[8 + 70000], big[70000];
	/* "root" as a string: u32 4, "root", NUL */
	static const uint8_t root[] = { 0, 0, 0, 4, 'r', 'o', 'o', 't', 0 };
	static const uint8_t nonul[] = { 0, 0, 0, 4, 'r', 'o', 'o', 't', 'x' };
	struct ix_msg *m = NULL;
	struct ix_err e, remote;
	const char *c;
	uint16_t ver;
	size_t n = 0;
	int fd, rc;

	if (argc != 3) {
		fputs("usage: pwraw SOCKET CASE\n", stderr);
		return 1;
	}
	c = argv[2];
	fd = ix_ipc_connect(argv[1], &e);
	if (fd < 0) {
		fprintf(stderr, "pwraw: %s\n", e.msg);
		return 1;
	}
	if (strcmp(c, "nohello") != 0 &&
	    ix_ipc_client_hello(fd, "passwdd", 1, 5000, &ver, &e) < 0) {
		fprintf(stderr, "pwraw: %s\n", e.msg);
		return 1;
	}
	if (strcmp(c, "oversized") == 0)
		n = frame(pkt, sizeof big, 0x0201, big, sizeof big);
	else if (strcmp(c, "badlen") == 0)
		n = frame(pkt, 100, 0x0201, root, sizeof root);
	else if (strcmp(c, "unknown") == 0)
		n = frame(pkt, 0, 0x02ff, NULL, 0);
	else if (strcmp(c, "nofds") == 0 || strcmp(c, "nohello") == 0)
		n = frame(pkt, sizeof root, 0x0201, root, sizeof root);
	else if (strcmp(c, "badstr") == 0)
		n = frame(pkt, sizeof nonul, 0x0201, nonul, sizeof nonul);
	else if (strcmp(c, "tagreg") == 0) {
		static uint8_t p[8 + 4 + 32 + 4 + 1 + sizeof root];

		p[11] = 32;		/* blob length, after the u64 cgroup */
		p[8 + 4 + 32 + 3] = 60;	/* lifetime */
		p[8 + 4 + 32 + 4] = 1;	/* one identity */
		memcpy(p + 8 + 4 + 32 + 5, root, sizeof root);
		n = frame(pkt, sizeof p, 0x0210, p, sizeof p);
	} else {
		fprintf(stderr, "pwraw: unknown case %s\n", c);
		return 1;
	}
	if (strcmp(c, "nohello") == 0) {
		/* Read the banner first, then answer it with a request. */
		rc = ix_ipc_recv(fd, &m, 5000, &e);
		ix_msg_free(m);
		m = NULL;
	}
	if (send(fd, pkt, n, MSG_NOSIGNAL) < 0) {
		printf("closed\n");
		return 0;
	}
	rc = ix_ipc_recv(fd, &m, 20000, &e);
	if (rc <= 0) {
		printf("closed\n");
		return 0;
	}
	if (ix_msg_type(m) == IX_MSG_ERROR && ix_ipc_read_error(m, &remote, &e) == 0)
		printf("error %d %s\n", remote.code, remote.msg);
	else if (ix_msg_type(m) == IX_MSG_OK)
		printf("ok\n");
	else
		printf("type 0x%04x\n", ix_msg_type(m));
	ix_msg_free(m);
	close(fd);
	return 0;
}
