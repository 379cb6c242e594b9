/*
 * privraw: sends one hand-made message to privd and prints what comes
 * back, for tests/scenario/privd_basic.sh (bad input must not stop privd).
 *
 *	privraw SOCKET CASE
 *
 * CASE: oversized (header over the maximum), badlen (header length not
 * the packet's), truncated (REQUEST promising two words, carrying one),
 * unknown (a type privd does not know), nofds (REQUEST without its
 * descriptors), notdir (a file where the working directory belongs), signalfirst (SIGNAL before any action runs), badflags
 * (unknown request flags), toomany (more words than allowed), hangup
 * (banner exchange, then close); edit blocks (privd_edit.sh): editop (an
 * unknown operation), editpath (a path with ".."), editlong (a path over
 * the bound), editextra (remove with a predicate), editmissing (add
 * without rights), editlist (an edit with a list request), editnoblock
 * (the edit flag, no block). Prints "error CODE MESSAGE" or "closed";
 * exits 0 when something was printed, 1 on a local failure.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libipc/ipc.h"
#include "privd/proto.h"

static int
send_raw(int fd, uint32_t len, uint16_t type, const uint8_t *p, size_t plen)
{
	uint8_t out[64];

	out[0] = (uint8_t)(len >> 24), out[1] = (uint8_t)(len >> 16);
	out[2] = (uint8_t)(len >> 8), out[3] = (uint8_t)len;
	out[4] = (uint8_t)(type >> 8), out[5] = (uint8_t)type;
	out[6] = 0, out[7] = 0;
	if (plen > 0)
		memcpy(out + 8, p, plen);
	return send(fd, out, 8 + plen, 0) < 0 ? -1 : 0;
}

struct edit {
	uint8_t op;
	const char *path, *predicate, *rights;
};

/* A REQUEST built with libipc: flags, argc claimed, nwords words of "x",
 * the edit block ed (may be NULL), descriptors 0-2 and then dir when fds
 * (dir may be a file). */
static int
send_request(int fd, uint8_t flags, uint16_t argc, unsigned nwords, const struct edit *ed,
	     int fds, int dir, struct ix_err *e)
{
	struct ix_msg *m = ix_msg_new(PRIVD_MSG_REQUEST, e);
	int rc;

	if (m == NULL)
		return -1;
	ix_msg_put_u8(m, flags, e);
	ix_msg_put_u16(m, argc, e);
	for (unsigned i = 0; i < nwords; i++)
		ix_msg_put_str(m, "x", PRIVD_ARG_MAX, e);
	if (ed != NULL) {
		ix_msg_put_u8(m, ed->op, e);
		ix_msg_put_str(m, ed->path, PRIVD_EDIT_PATH_MAX + 1, e);
		ix_msg_put_str(m, ed->predicate, PRIVD_EDIT_TEXT_MAX, e);
		ix_msg_put_str(m, ed->rights, PRIVD_EDIT_TEXT_MAX, e);
	}
	for (int i = 0; fds && i < 3; i++)
		ix_msg_put_fd(m, i, e);
	if (fds)
		ix_msg_put_fd(m, dir, e);
	rc = ix_ipc_send(fd, m, 5000, e);
	ix_msg_free(m);
	return rc;
}

/* The edit cases: each a block privd must refuse on receipt. */
static int
send_edit(int fd, const char *c, int cwd, struct ix_err *e)
{
	static char longpath[PRIVD_EDIT_PATH_MAX + 2];
	static const struct {
		const char *name;
		uint8_t flags;
		struct edit ed;
	} cases[] = {
		{ "editop", PRIVD_F_EDIT, { 9, "/a", "", "" } },
		{ "editpath", PRIVD_F_EDIT, { 1, "/a/../b", "", "" } },
		{ "editlong", PRIVD_F_EDIT, { 1, longpath, "", "" } },
		{ "editextra", PRIVD_F_EDIT, { 1, "/a", "ID(x)", "" } },
		{ "editmissing", PRIVD_F_EDIT, { 0, "/a", "ID(x)", "" } },
		{ "editlist", PRIVD_F_EDIT | PRIVD_F_LIST, { 1, "/a", "", "" } },
	};

	longpath[0] = '/';
	memset(longpath + 1, 'a', sizeof longpath - 2);
	if (strcmp(c, "editnoblock") == 0)
		return send_request(fd, PRIVD_F_EDIT, 1, 1, NULL, 1, cwd, e);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (strcmp(c, cases[i].name) == 0)
			return send_request(fd, cases[i].flags, cases[i].flags & PRIVD_F_LIST ? 0 : 1,
					    cases[i].flags & PRIVD_F_LIST ? 0 : 1, &cases[i].ed, 1, cwd, e);
	return ix_err_set(e, IX_EINVAL, "unknown case %s", c);
}

int
main(int argc, char **argv)
{
	static const uint8_t sig[] = { 2 };
	struct ix_msg *m = NULL;
	struct ix_err e, remote;
	const char *c;
	uint16_t ver;
	int fd, cwd, r = 0;

	if (argc != 3) {
		fputs("usage: privraw SOCKET CASE\n", stderr);
		return 1;
	}
	c = argv[2];
	if ((cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		perror("privraw: .");
		return 1;
	}
	fd = ix_ipc_connect(argv[1], &e);
	if (fd < 0 || ix_ipc_client_hello(fd, PRIVD_SERVICE, PRIVD_VERSION, 5000, &ver, &e) < 0) {
		fprintf(stderr, "privraw: %s\n", e.msg);
		return 1;
	}
	if (strcmp(c, "oversized") == 0)
		r = send_raw(fd, IX_MSG_MAX_PAYLOAD + 1, PRIVD_MSG_REQUEST, NULL, 0);
	else if (strcmp(c, "badlen") == 0)
		r = send_raw(fd, 10, PRIVD_MSG_REQUEST, (const uint8_t *)"\0\0\1", 3);
	else if (strcmp(c, "truncated") == 0)
		r = send_request(fd, 0, 2, 1, NULL, 1, cwd, &e);
	else if (strcmp(c, "unknown") == 0)
		r = send_raw(fd, 0, IX_RANGE_PRIVD + 0xff, NULL, 0);
	else if (strcmp(c, "nofds") == 0)
		r = send_request(fd, 0, 1, 1, NULL, 0, cwd, &e);
	else if (strcmp(c, "notdir") == 0)
		r = send_request(fd, 0, 1, 1, NULL, 1, 0, &e);
	else if (strcmp(c, "signalfirst") == 0)
		r = send_raw(fd, 1, PRIVD_MSG_SIGNAL, sig, 1);
	else if (strcmp(c, "badflags") == 0)
		r = send_request(fd, 0x80, 1, 1, NULL, 1, cwd, &e);
	else if (strcmp(c, "toomany") == 0)
		r = send_request(fd, 0, PRIVD_ARGC_MAX + 1, PRIVD_ARGC_MAX + 1, NULL, 1, cwd, &e);
	else if (strncmp(c, "edit", 4) == 0)
		r = send_edit(fd, c, cwd, &e);
	else if (strcmp(c, "hangup") != 0) {
		fprintf(stderr, "privraw: unknown case %s\n", c);
		return 1;
	}
	if (r < 0) {
		fprintf(stderr, "privraw: sending: %s\n", e.msg);
		return 1;
	}
	if (strcmp(c, "hangup") == 0) {
		close(fd);
		puts("closed");
		return 0;
	}
	r = ix_ipc_recv(fd, &m, 5000, &e);
	if (r == 1 && ix_msg_type(m) == IX_MSG_ERROR && ix_ipc_read_error(m, &remote, &e) == 0)
		printf("error %d %s\n", (int)remote.code, remote.msg);
	else if (r == 0)
		puts("closed");
	else
		printf("other %s\n", r < 0 ? e.msg : "message");
	ix_msg_free(m);
	close(fd);
	return 0;
}
