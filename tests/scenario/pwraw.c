/*
 * pwraw: sends one hand-made frame to passwdd and prints what comes back,
 * for tests/scenario/passwdd_basic.sh (malformed and oversized input).
 *
 *	pwraw SOCKET CASE
 *
 * CASE: oversized, badlen, unknown, nofds, badstr, nohello, tagreg.
 * Prints "error CODE MESSAGE", "result N", "ok" or "closed"; exits 0 when
 * something was printed, 1 on a local failure.
 *
 *	pwraw SOCKET tagadd CGROUP-DIR LIFETIME IDENTITY...
 *	pwraw SOCKET tagdel CGROUP-DIR TOKEN
 *
 * register (printing the new random token in hex) or remove a session tag
 * for the cgroup directory's id, through passwdd/client.c, as sessiond
 * will; exit 0 done, 1 refused or failed (the error on stderr).
 *
 *	pwraw SOCKET flood N
 *	pwraw SOCKET stall N HOLD-MS ROUNDS
 *
 * a hostile user's floods (tests/scenario/passwdd_load.sh): flood opens
 * N connections at once and reads the first thing each is told, printing
 * "connections N banner B busy Y other O" (B got a banner, Y a "busy"
 * answer, O nothing within 10 s or something else); stall opens N
 * connections that never send HELLO, holds them HOLD-MS, closes them and
 * does it again, ROUNDS times, printing the same counts over all rounds.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sodium.h>
#include <unistd.h>

#include "libipc/ipc.h"
#include "passwdd/client.h"
#include "passwdd/store.h"

static size_t
frame(uint8_t *out, uint32_t len, uint16_t type, const void *p, size_t plen)
{
	out[0] = (uint8_t)(len >> 24), out[1] = (uint8_t)(len >> 16);
	out[2] = (uint8_t)(len >> 8), out[3] = (uint8_t)len;
	out[4] = (uint8_t)(type >> 8), out[5] = (uint8_t)type;
	out[6] = 0, out[7] = 0;
	if (plen > 0)
		memcpy(out + 8, p, plen);
	return 8 + plen;
}

/* tagadd / tagdel through the client library. */
static int
tag(int argc, char **argv)
{
	uint8_t tok[PW_TAG_TOKEN_LEN];
	char hex[2 * PW_TAG_TOKEN_LEN + 1];
	struct stat sb;
	struct ix_err e;
	size_t n;
	int rc;

	if (argc < 5 || stat(argv[3], &sb) < 0) {
		fputs("pwraw: tagadd CGROUP-DIR LIFETIME ID... | tagdel CGROUP-DIR TOKEN\n", stderr);
		return 1;
	}
	if (strcmp(argv[2], "tagadd") == 0) {
		randombytes_buf(tok, sizeof tok);
		rc = pw_client_tag_register(argv[1], (uint64_t)sb.st_ino, tok,
					    (const char *const *)argv + 5, (size_t)(argc - 5),
					    (uint32_t)atoi(argv[4]), 5000, &e);
		if (rc == 0)
			printf("%s\n", sodium_bin2hex(hex, sizeof hex, tok, sizeof tok));
	} else {
		if (sodium_hex2bin(tok, sizeof tok, argv[4], strlen(argv[4]), NULL, &n, NULL) < 0 ||
		    n != sizeof tok) {
			fputs("pwraw: a token is 64 hex digits\n", stderr);
			return 1;
		}
		rc = pw_client_tag_unregister(argv[1], (uint64_t)sb.st_ino, tok, 5000, &e);
	}
	if (rc < 0)
		fprintf(stderr, "pwraw: %s\n", e.msg);
	return rc < 0;
}

/* What a connection is told first: 1 a banner, 2 busy, 0 else. */
static int
first_word(int fd, int ms)
{
	struct ix_msg *m = NULL;
	struct ix_err e, remote;
	int r = 0;

	if (ix_ipc_recv(fd, &m, ms, &e) != 1)
		return 0;
	if (ix_msg_type(m) == IX_MSG_BANNER)
		r = 1;
	else if (ix_msg_type(m) == IX_MSG_ERROR && ix_ipc_read_error(m, &remote, &e) == 0 &&
		 pw_client_busy(&remote))
		r = 2;
	ix_msg_free(m);
	return r;
}

/* flood and stall: N connections at once, their first words counted. */
static int
flood(const char *sock, int n, int hold_ms, int rounds)
{
	struct rlimit rl;
	unsigned counts[3] = { 0, 0, 0 };
	int *fds = calloc((size_t)n, sizeof *fds);
	struct ix_err e;

	if (fds == NULL || getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1;
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < n; i++)
			fds[i] = ix_ipc_connect(sock, &e);
		for (int i = 0; i < n; i++)
			counts[fds[i] < 0 ? 0 : first_word(fds[i], 10000)]++;
		if (hold_ms > 0)
			poll(NULL, 0, hold_ms);
		for (int i = 0; i < n; i++)
			if (fds[i] >= 0)
				close(fds[i]);
	}
	printf("connections %d banner %u busy %u other %u\n", n * rounds, counts[1], counts[2],
	       counts[0]);
	free(fds);
	return 0;
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

	if (argc >= 3 && (strcmp(argv[2], "tagadd") == 0 || strcmp(argv[2], "tagdel") == 0))
		return tag(argc, argv);
	if (argc == 4 && strcmp(argv[2], "flood") == 0)
		return flood(argv[1], atoi(argv[3]), 0, 1);
	if (argc == 6 && strcmp(argv[2], "stall") == 0)
		return flood(argv[1], atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
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
