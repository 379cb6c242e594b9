/*
 * session: open a session at another label (session(1)); session LABEL is
 * to labels what su is to user ids.
 *
 *	session [-a] [--socket PATH] LABEL [-- CMD [ARG...]]
 *	session -l [--socket PATH]
 *
 * Sends the label, the command and descriptors 0, 1, 2 to sessiond, which
 * checks the clearance and the port, has passwdd authenticate the person
 * on the terminal itself, and runs the session on a fresh pty that it
 * relays to this terminal. Meanwhile session only holds the terminal in
 * raw mode (every key, ^C and ^Z included, belongs to the session) and
 * tells sessiond when the window size changes; the terminal's modes are
 * restored on every way out.
 *
 * Exit status: 0 the session ran and ended (its shell's status is
 * reported), 1 refused, 2 usage error, 3 an ixkit or system error.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "libipc/ipc.h"
#include "libipc/srv.h"
#include "libixutil/ix_config.h"
#include "sessiond/args.h"
#include "sessiond/proto.h"

#define STEP_TIMEOUT_MS 10000

static int sigpipe_w = -1;	/* self-pipe: signal number bytes */
static struct termios saved;	/* the terminal's modes before raw */
static int have_saved;
static int is_raw;

static void
on_signal(int sig)
{
	unsigned char b = (unsigned char)sig;
	int saved_errno = errno;

	(void)!write(sigpipe_w, &b, 1);
	errno = saved_errno;
}

static void
usage(FILE *f)
{
	fputs("usage: session [-a] [--socket PATH] LABEL [-- CMD [ARG...]]\n"
	      "       session -l [--socket PATH]\n"
	      "  -a  an administrator session: passwdd will not ask again for the identity\n"
	      "      verified here, until the session ends or the tag expires\n"
	      "  -l  list your live sessions\n", f);
}

/* Every way out comes through here. SIGTTOU stays blocked from now on:
 * when sessiond ends a session because another group took the
 * terminal's foreground, session is in the background, and would be
 * stopped for setting the modes back or writing why (TOSTOP) instead of
 * exiting, which is what gives the old shell its terminal back. */
static void
restore(void)
{
	sigset_t ttou;

	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	sigprocmask(SIG_BLOCK, &ttou, NULL);
	if (is_raw && have_saved)
		tcsetattr(0, TCSADRAIN, &saved);
	is_raw = 0;
}

static int
fail(const char *what, const struct ix_err *e)
{
	restore();
	fprintf(stderr, "session: %s%s%s\n", what, e ? ": " : "", e ? e->msg : "");
	return SESSIOND_EX_ERROR;
}

static void
raw(void)
{
	struct termios t;

	if (!have_saved)
		return;
	t = saved;
	cfmakeraw(&t);
	if (tcsetattr(0, TCSADRAIN, &t) == 0)
		is_raw = 1;
}

static int
term_ok(const char *t)
{
	size_t n = strlen(t);

	if (n > SESSIOND_TERM_MAX)
		return 0;
	return strspn(t, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.+") == n;
}

static int
send_open(int fd, const struct session_args *a, struct ix_err *e)
{
	const char *term = getenv("TERM");
	struct ix_msg *m = ix_msg_new(SESSIOND_MSG_OPEN, e);
	int rc;

	if (m == NULL)
		return -1;
	if (term == NULL || !term_ok(term))
		term = "";
	ix_msg_put_u8(m, a->admin ? SESSIOND_F_ADMIN : 0, e);
	ix_msg_put_str(m, a->label, SESSIOND_LABEL_MAX, e);
	ix_msg_put_str(m, term, SESSIOND_TERM_MAX, e);
	ix_msg_put_u16(m, (uint16_t)a->ncmd, e);
	for (int i = 0; i < a->ncmd; i++)
		ix_msg_put_str(m, a->cmd[i], SESSIOND_ARG_MAX, e);
	for (int i = 0; i < 3; i++)
		ix_msg_put_fd(m, i, e);
	rc = ix_ipc_send(fd, m, STEP_TIMEOUT_MS, e);
	ix_msg_free(m);
	return rc;
}

static int
send_empty(int fd, uint16_t type, struct ix_err *e)
{
	struct ix_msg *m = ix_msg_new(type, e);
	int rc;

	if (m == NULL)
		return -1;
	rc = ix_ipc_send(fd, m, STEP_TIMEOUT_MS, e);
	ix_msg_free(m);
	return rc;
}

/* One answer; returns the exit status, or -1 for STARTED (go on). */
static int
answer(struct ix_msg *m, const struct session_args *a)
{
	struct ix_err e, remote;
	const char *text, *label, *tty;
	uint64_t id;
	uint32_t n;
	uint8_t x, y;

	switch (ix_msg_type(m)) {
	case SESSIOND_MSG_REFUSED:
		if (ix_msg_get_u8(m, &x, &e) < 0 || ix_msg_get_str(m, &text, SESSIOND_TEXT_MAX, &e) < 0 ||
		    ix_msg_end(m, &e) < 0)
			break;
		restore();
		fprintf(stderr, "session: %s\n", text);
		return x == SESSIOND_EX_REFUSED ? SESSIOND_EX_REFUSED : SESSIOND_EX_ERROR;
	case SESSIOND_MSG_STARTED:
		if (a->list || ix_msg_get_u64(m, &id, &e) < 0 ||
		    ix_msg_get_str(m, &label, SESSIOND_LABEL_MAX, &e) < 0 ||
		    ix_msg_get_str(m, &tty, SESSIOND_LABEL_MAX, &e) < 0 || ix_msg_end(m, &e) < 0)
			break;
		fprintf(stderr, "session: session %llu at %s on %s\r\n", (unsigned long long)id, label,
			tty);
		raw();
		return -1;
	case SESSIOND_MSG_ENDED:
		if (a->list || ix_msg_get_u8(m, &x, &e) < 0 || ix_msg_get_u8(m, &y, &e) < 0 ||
		    ix_msg_get_str(m, &text, SESSIOND_TEXT_MAX, &e) < 0 || ix_msg_end(m, &e) < 0)
			break;
		restore();
		fprintf(stderr, "session: ended: %s\n", text);
		return x == SESSIOND_END_OTHER ? SESSIOND_EX_ERROR : SESSIOND_EX_RAN;
	case SESSIOND_MSG_LISTING:
		if (!a->list || ix_msg_get_u32(m, &n, &e) < 0 ||
		    ix_msg_get_str(m, &text, SESSIOND_TEXT_MAX, &e) < 0 || ix_msg_end(m, &e) < 0)
			break;
		fputs(text, stdout);
		return SESSIOND_EX_RAN;
	case IX_MSG_ERROR:
		if (ix_ipc_read_error(m, &remote, &e) < 0)
			break;
		return fail("sessiond", &remote);
	}
	return fail("sessiond sent a message session does not expect here", NULL);
}

int
main(int argc, char **argv)
{
	static const int sigs[] = { SIGTERM, SIGHUP, SIGWINCH };
	struct session_args a;
	char path[IX_PATH_MAX], why[256];
	const char *sock;
	struct ix_config cfg;
	struct sigaction sa;
	struct ix_err e;
	uint16_t ver;
	int fd, sp[2];

	if (session_parse_args(argc, argv, &a, why, sizeof why) < 0) {
		fprintf(stderr, "session: %s\n", why);
		usage(stderr);
		return SESSIOND_EX_USAGE;
	}
	if (a.help) {
		usage(stdout);
		return 0;
	}
	for (int i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0) {
			fprintf(stderr, "session: descriptor %d is not open\n", i);
			return SESSIOND_EX_ERROR;
		}
	sock = a.socket;
	if (sock == NULL) {
		if (ix_config_load(&cfg, NULL, &e) < 0)
			return fail("configuration", &e);
		snprintf(path, sizeof path, "%.*s/sessiond.sock", IX_PATH_MAX - 16, cfg.rundir);
		sock = path;
	}
	if (!a.list && tcgetattr(0, &saved) == 0)
		have_saved = 1;
	if (pipe2(sp, O_CLOEXEC | O_NONBLOCK) < 0)
		return fail("pipe", NULL);
	sigpipe_w = sp[1];
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	fd = ix_ipc_client_open(sock, SESSIOND_SERVICE, SESSIOND_VERSION, STEP_TIMEOUT_MS, &ver, &e);
	if (fd < 0) {
		/* sessiond's answer at one of its limits, as it says it */
		const char *busy = strstr(e.msg, IX_SRV_BUSY_PREFIX);

		return fail(busy ? busy : e.msg, NULL);
	}
	if ((a.list ? send_empty(fd, SESSIOND_MSG_LIST, &e) : send_open(fd, &a, &e)) < 0)
		return fail("sessiond", &e);
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
			if (sig == SIGWINCH) {
				if (is_raw)
					send_empty(fd, SESSIOND_MSG_WINCH, &e);
				continue;
			}
			/* Told to go: the terminal as it was; sessiond sees the
			 * connection close and ends the session. */
			restore();
			return 128 + sig;
		}
		if (!pf[0].revents)
			continue;
		/* The person may take their time to authenticate. */
		r = ix_ipc_recv(fd, &m, -1, &e);
		if (r <= 0)
			return fail(r == 0 ? "sessiond closed the connection" : "sessiond",
				    r == 0 ? NULL : &e);
		r = answer(m, &a);
		ix_msg_free(m);
		if (r >= 0)
			return r;
	}
}
