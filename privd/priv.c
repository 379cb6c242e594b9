/*
 * priv: ask privd for a privileged action (priv(1)).
 *
 *	priv [-n] [-l] [--socket PATH] REQUEST...
 *	priv [-n] [--socket PATH] REQUEST... -- add PATH PREDICATE RIGHTS |
 *	     remove PATH | predicate PATH PREDICATE | rights PATH RIGHTS
 *
 * Sends the request words (and, after "--", the edit an EDIT action
 * applies) and descriptors 0, 1, 2 to privd, which decides,
 * confirms with the person on the terminal itself, and runs the action.
 * priv then only forwards SIGINT, SIGTERM, SIGHUP and SIGQUIT to privd
 * (which sends them to the action) and exits as the action did.
 *
 * Exit status: the action's status (128 + N when killed by signal N), or
 * 124 granted but a file of the action does not fit it (nothing to
 * downgrade, no such file), 125 refused, 126 not confirmed, 127 an ixkit
 * error; with -n or -l: 0 granted, 1 refused, 2 usage, 127 an ixkit error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libipc/ipc.h"
#include "libixutil/ix_config.h"
#include "privd/proto.h"

#define STEP_TIMEOUT_MS 10000

static int sigpipe_w = -1;	/* self-pipe: signal number bytes */

static void
on_signal(int sig)
{
	unsigned char b = (unsigned char)sig;
	int saved = errno;

	(void)!write(sigpipe_w, &b, 1);
	errno = saved;
}

static void
usage(FILE *f)
{
	fputs("usage: priv [-n] [-l] [--socket PATH] REQUEST... [-- EDIT]\n"
	      "  -n  decide and explain, run nothing (exit 0 granted, 1 refused)\n"
	      "  -l  list the requests you may make from here\n"
	      "  EDIT (for an action that edits a subtree): add PATH PREDICATE RIGHTS |\n"
	      "       remove PATH | predicate PATH PREDICATE | rights PATH RIGHTS\n", f);
}

static int
fail(const char *what, const struct ix_err *e)
{
	fprintf(stderr, "priv: %s%s%s\n", what, e ? ": " : "", e ? e->msg : "");
	return PRIVD_EX_ERROR;
}

/* The words after "--": one edit of the authorization tree. */
struct edit {
	uint8_t op;		/* 0 add, 1 remove, 2 predicate, 3 rights */
	const char *path;
	const char *predicate;	/* "" when op takes none */
	const char *rights;	/* "" when op takes none */
};

static int
parse_edit(int argc, char **argv, struct edit *ed)
{
	static const char *const ops[] = { "add", "remove", "predicate", "rights" };
	static const int words[] = { 4, 2, 3, 3 };

	for (uint8_t i = 0; i < 4; i++) {
		if (argc < 1 || strcmp(argv[0], ops[i]) != 0)
			continue;
		if (argc != words[i])
			return -1;
		ed->op = i;
		ed->path = argv[1];
		ed->predicate = i == 0 || i == 2 ? argv[2] : "";
		ed->rights = i == 0 ? argv[3] : i == 3 ? argv[2] : "";
		return 0;
	}
	return -1;
}

static int
send_request(int fd, uint8_t flags, int argc, char **argv, const struct edit *ed,
	     struct ix_err *e)
{
	int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct ix_msg *m;
	int rc;

	if (cwd < 0)
		return ix_err_sys(e, "opening the working directory");
	m = ix_msg_new(PRIVD_MSG_REQUEST, e);
	if (m == NULL) {
		close(cwd);
		return -1;
	}
	ix_msg_put_u8(m, flags, e);
	ix_msg_put_u16(m, (uint16_t)argc, e);
	for (int i = 0; i < argc; i++)
		ix_msg_put_str(m, argv[i], PRIVD_ARG_MAX, e);
	if (flags & PRIVD_F_EDIT) {
		ix_msg_put_u8(m, ed->op, e);
		ix_msg_put_str(m, ed->path, PRIVD_EDIT_PATH_MAX, e);
		ix_msg_put_str(m, ed->predicate, PRIVD_EDIT_TEXT_MAX, e);
		ix_msg_put_str(m, ed->rights, PRIVD_EDIT_TEXT_MAX, e);
	}
	for (int i = 0; i < 3; i++)
		ix_msg_put_fd(m, i, e);
	ix_msg_put_fd(m, cwd, e);
	rc = ix_ipc_send(fd, m, STEP_TIMEOUT_MS, e);
	ix_msg_free(m);
	close(cwd);
	return rc;
}

/* One answer from privd; returns the exit status, or -1 for STARTED. */
static int
answer(struct ix_msg *m, uint8_t flags)
{
	struct ix_err e, remote;
	const char *text;
	uint8_t a, b;

	switch (ix_msg_type(m)) {
	case PRIVD_MSG_DECISION:
		if (ix_msg_get_u8(m, &a, &e) < 0 || ix_msg_get_str(m, &text, PRIVD_TEXT_MAX, &e) < 0 ||
		    ix_msg_end(m, &e) < 0 || !(flags & (PRIVD_F_DRYRUN | PRIVD_F_LIST)))
			break;
		fputs(text, stdout);
		return a ? 0 : 1;
	case PRIVD_MSG_REFUSED:
		if (ix_msg_get_u8(m, &a, &e) < 0 || ix_msg_get_str(m, &text, PRIVD_TEXT_MAX, &e) < 0 ||
		    ix_msg_end(m, &e) < 0)
			break;
		fprintf(stderr, "priv: %s\n", text);
		if (flags & (PRIVD_F_DRYRUN | PRIVD_F_LIST))
			return a == PRIVD_EX_REFUSED ? 1 : PRIVD_EX_ERROR;
		return a == PRIVD_EX_INAPPLICABLE || a == PRIVD_EX_REFUSED || a == PRIVD_EX_UNCONFIRMED ?
		       a : PRIVD_EX_ERROR;
	case PRIVD_MSG_STARTED:
		if (ix_msg_end(m, &e) < 0)
			break;
		return -1;
	case PRIVD_MSG_REPORT:
		if (ix_msg_get_str(m, &text, PRIVD_TEXT_MAX, &e) < 0 || ix_msg_end(m, &e) < 0)
			break;
		printf("%s\n", text);
		fflush(stdout);
		return -1;
	case PRIVD_MSG_EXITED:
		if (ix_msg_get_u8(m, &a, &e) < 0 || ix_msg_get_u8(m, &b, &e) < 0 ||
		    ix_msg_end(m, &e) < 0)
			break;
		return a ? 128 + b : b;
	case IX_MSG_ERROR:
		if (ix_ipc_read_error(m, &remote, &e) < 0)
			break;
		return fail("privd", &remote);
	}
	return fail("privd sent a message priv does not expect here", NULL);
}

static void
forward(int fd, int sig)
{
	struct ix_err e;
	struct ix_msg *m = ix_msg_new(PRIVD_MSG_SIGNAL, &e);

	if (m == NULL)
		return;
	ix_msg_put_u8(m, (uint8_t)sig, &e);
	ix_ipc_send(fd, m, STEP_TIMEOUT_MS, &e);
	ix_msg_free(m);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const int fwd[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	char path[IX_PATH_MAX];
	const char *sock = NULL;
	struct ix_config cfg;
	struct edit ed = { 0 };
	struct sigaction sa;
	struct ix_err e;
	uint8_t flags = 0;
	uint16_t ver;
	int c, fd, sp[2], started = 0;

	while ((c = getopt_long(argc, argv, "+nlh", opts, NULL)) != -1) {
		switch (c) {
		case 'n': flags |= PRIVD_F_DRYRUN; break;
		case 'l': flags |= PRIVD_F_LIST; break;
		case 's': sock = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return flags ? 2 : PRIVD_EX_ERROR;
		}
	}
	argc -= optind;
	argv += optind;
	for (int i = 1; i < argc && !(flags & PRIVD_F_LIST); i++) {
		if (strcmp(argv[i], "--") != 0)
			continue;
		if (parse_edit(argc - i - 1, argv + i + 1, &ed) < 0) {
			usage(stderr);
			return flags ? 2 : PRIVD_EX_ERROR;
		}
		flags |= PRIVD_F_EDIT;
		argc = i;
		break;
	}
	if ((flags & PRIVD_F_LIST) ? argc != 0 || (flags & PRIVD_F_DRYRUN)
				   : argc < 1 || argc > PRIVD_ARGC_MAX) {
		usage(stderr);
		return flags & (PRIVD_F_DRYRUN | PRIVD_F_LIST) ? 2 : PRIVD_EX_ERROR;
	}
	for (int i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0) {
			fprintf(stderr, "priv: descriptor %d is not open\n", i);
			return PRIVD_EX_ERROR;
		}
	if (sock == NULL) {
		if (ix_config_load(&cfg, NULL, &e) < 0)
			return fail("configuration", &e);
		snprintf(path, sizeof path, "%.*s/privd.sock", IX_PATH_MAX - 16, cfg.rundir);
		sock = path;
	}
	if (pipe2(sp, O_CLOEXEC | O_NONBLOCK) < 0)
		return fail("pipe", NULL);
	sigpipe_w = sp[1];
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	for (size_t i = 0; i < sizeof fwd / sizeof fwd[0]; i++)
		sigaction(fwd[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	fd = ix_ipc_client_open(sock, PRIVD_SERVICE, PRIVD_VERSION, STEP_TIMEOUT_MS, &ver, &e);
	if (fd < 0)
		return fail(e.msg, NULL);
	if (send_request(fd, flags, argc, argv, &ed, &e) < 0)
		return fail("privd", &e);
	for (;;) {
		struct pollfd pf[2] = { { fd, POLLIN, 0 }, { sp[0], POLLIN, 0 } };
		struct ix_msg *m;
		unsigned char sig;
		int r;

		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return fail("poll", NULL);
		}
		while (read(sp[0], &sig, 1) == 1) {
			if (!started)	/* nothing runs yet: give up as the signal says */
				return 128 + sig;
			forward(fd, sig);
		}
		if (!pf[0].revents)
			continue;
		r = ix_ipc_recv(fd, &m, STEP_TIMEOUT_MS, &e);
		if (r <= 0)
			return fail(r == 0 ? "privd closed the connection" : "privd", r == 0 ? NULL : &e);
		r = answer(m, flags);
		ix_msg_free(m);
		if (r >= 0)
			return r;
		started = 1;
	}
}
