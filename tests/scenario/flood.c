/*
 * A hostile local user's flood of a server's socket, for the load and
 * fairness scenarios (bounded: a count and a deadline, AF_UNIX only).
 *
 *	flood burst SOCKET SERVICE VERSION N [WORD...]
 *		N connections at once, each: banner, HELLO, then (with words)
 *		a privd REQUEST of those words with this process's 0, 1, 2 and
 *		working directory; every answer is read. Prints "answered A
 *		busy B closed C" (busy: an ERROR beginning "busy: ").
 *	flood stall SOCKET N SECONDS
 *		N connections that never say a word; each one the server closes
 *		(or answers busy) is made again at once, until SECONDS pass.
 *		Prints "connections C".
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libipc/ipc.h"
#include "libixutil/ix_time.h"

#define N_MAX 4096

static int
usage(void)
{
	fputs("usage: flood burst SOCKET SERVICE VERSION N [WORD...]\n"
	      "       flood stall SOCKET N SECONDS\n", stderr);
	return 2;
}

static void
room(int n)
{
	struct rlimit r = { (rlim_t)n + 64, (rlim_t)n + 64 };

	setrlimit(RLIMIT_NOFILE, &r);
}

/* Reads what the server says to one connection, to the end. 1 answered,
 * 2 busy, 0 closed without a word. */
static int
outcome(int fd, int first)
{
	struct ix_msg *m = NULL;
	struct ix_err e, remote;
	int r, seen = first;

	while ((r = ix_ipc_recv(fd, &m, 30000, &e)) == 1) {
		if (ix_msg_type(m) == IX_MSG_ERROR && ix_ipc_read_error(m, &remote, &e) == 0 &&
		    strncmp(remote.msg, "busy: ", 6) == 0) {
			ix_msg_free(m);
			return 2;
		}
		ix_msg_free(m);
		seen = 1;
	}
	return seen;
}

static int
burst(int argc, char **argv)
{
	const char *sock = argv[2], *service = argv[3];
	int version = atoi(argv[4]), n = atoi(argv[5]), words = argc - 6;
	int *fd, counts[3] = { 0, 0, 0 }, cwd;

	if (n < 1 || n > N_MAX || words > 64)
		return usage();
	room(n);
	if ((fd = calloc((size_t)n, sizeof *fd)) == NULL || (cwd = open(".", O_PATH)) < 0)
		return 1;
	for (int i = 0; i < n; i++) {
		struct ix_err e;

		fd[i] = ix_ipc_connect(sock, &e);
	}
	for (int i = 0; i < n; i++) {
		struct ix_err e;
		struct ix_msg *m;
		uint16_t ver;
		int first = 0;

		if (fd[i] < 0) {
			counts[0]++;
			continue;
		}
		if (ix_ipc_client_hello(fd[i], service, (uint16_t)version, 30000, &ver, &e) < 0) {
			counts[strncmp(e.msg, "busy", 4) == 0 || strstr(e.msg, "busy: ") ? 2 : 0]++;
			close(fd[i]);
			fd[i] = -1;
			continue;
		}
		if (words > 0) {
			m = ix_msg_new(IX_RANGE_PRIVD + 0x01, &e);
			ix_msg_put_u8(m, 0, &e);
			ix_msg_put_u16(m, (uint16_t)words, &e);
			for (int w = 0; w < words; w++)
				ix_msg_put_str(m, argv[6 + w], 4096, &e);
			for (int f = 0; f < 3; f++)
				ix_msg_put_fd(m, f, &e);
			ix_msg_put_fd(m, cwd, &e);
			ix_ipc_send_free(fd[i], m, 30000, &e);
			first = 1;
		}
		(void)first;
	}
	for (int i = 0; i < n; i++) {
		if (fd[i] < 0)
			continue;
		counts[outcome(fd[i], words == 0)]++;
		close(fd[i]);
	}
	printf("answered %d busy %d closed %d\n", counts[1], counts[2], counts[0]);
	return 0;
}

static int
stall(int argc, char **argv)
{
	const char *sock = argv[2];
	int n = atoi(argv[3]), secs = atoi(argv[4]);
	long long end = ix_now_ms() + (long long)secs * 1000;
	struct pollfd *p;
	long made = 0;

	if (argc != 5 || n < 1 || n > N_MAX || secs < 1 || secs > 600)
		return usage();
	room(n);
	if ((p = calloc((size_t)n, sizeof *p)) == NULL)
		return 1;
	for (int i = 0; i < n; i++) {
		struct ix_err e;

		p[i].fd = ix_ipc_connect(sock, &e);
		p[i].events = POLLIN;
		made += p[i].fd >= 0;
	}
	while (ix_now_ms() < end) {
		long long left = end - ix_now_ms();

		if (poll(p, (nfds_t)n, left > 1000 ? 1000 : (int)left) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < n; i++) {
			char buf[512];
			struct ix_err e;

			if (p[i].fd >= 0 && !p[i].revents)
				continue;
			/* the server spoke (banner, busy) or closed: drain, and
			 * connect again without a word */
			if (p[i].fd >= 0 && recv(p[i].fd, buf, sizeof buf, MSG_DONTWAIT) > 0)
				continue;
			if (p[i].fd >= 0)
				close(p[i].fd);
			p[i].fd = ix_ipc_connect(sock, &e);
			made += p[i].fd >= 0;
		}
	}
	printf("connections %ld\n", made);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 6 && strcmp(argv[1], "burst") == 0)
		return burst(argc, argv);
	if (argc == 5 && strcmp(argv[1], "stall") == 0)
		return stall(argc, argv);
	return usage();
}
