/*
 * The relay between the user's terminal and the session's pty (server.h).
 *
 * The master is ours and non-blocking: input waits in a buffer while the
 * session does not read, and the user's terminal is not read meanwhile, so
 * typing ahead is bounded by the pty's own buffer. The user's terminal is
 * a file description shared with the user's old shell: its flags are never
 * touched, so writes to it block (only while the person holds ^S).
 * What the client sends meanwhile reaches the relay only through the
 * worker, which reads it; the relay reads the worker's messages through
 * from_worker, the monitor's dispatch.
 * The user's terminal is read only while the guard passes it (watch.h):
 * the guard runs every SESS_WATCH_MS and before each read, and when it
 * fails the terminal is not read again and its unread input is flushed,
 * so that nothing typed after the change reaches the session and nothing
 * is left for whoever took the terminal.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "libixutil/ix_time.h"
#include "sessiond/server.h"
#include "sessiond/watch.h"

#define RELAY_BUF 4096
#define DRAIN_MS 100		/* the shell's last output, after it exited */

void
sess_copy_winsize(int from, int to)
{
	struct winsize ws;

	if (ioctl(from, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		ioctl(to, TIOCSWINSZ, &ws);
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Moves what the session wrote to the user. 1 moved, 0 nothing now, -1 the
 * pty is hung up (no slave left), -2 the user's terminal failed. */
static int
output(const struct sess_relay *r)
{
	char buf[RELAY_BUF];
	ssize_t n = read(r->master, buf, sizeof buf);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0)
		return -1;
	return write_all(r->user_out, buf, (size_t)n) < 0 ? -2 : 1;
}

static void
drain(const struct sess_relay *r)
{
	struct pollfd p = { r->master, POLLIN, 0 };

	while (poll(&p, 1, DRAIN_MS) > 0 && (p.revents & POLLIN) && output(r) > 0)
		;
}

/* Closing the user's window hangs the terminal up and then kills the
 * client with SIGHUP; the socket's end may be seen first. The terminal's
 * own state says which ended the session, for the record. */
static bool
user_hung_up(const struct sess_relay *r)
{
	struct pollfd p = { r->user_in, POLLIN, 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR));
}

/* The guard failed: the user's terminal is not read again, and what was
 * typed on it and not yet read is dropped. A terminal hung up meanwhile
 * (its foreground group goes with it) says why instead. */
static enum sess_end
stop_input(const struct sess_relay *r, enum sess_end said)
{
	(void)tcflush(r->user_in, TCIFLUSH);
	return user_hung_up(r) ? SESS_END_HANGUP : said;
}

enum sess_end
sess_relay(const struct sess_relay *r)
{
	char in[RELAY_BUF];
	size_t pending = 0, off = 0;
	bool hup = false;	/* no slave open: stop watching the master */
	long long tick = ix_now_ms() + SESS_WATCH_MS;

	for (;;) {
		struct pollfd p[6] = {
			{ r->shell, POLLIN, 0 },
			{ r->stop, POLLIN, 0 },
			{ r->worker, POLLIN, 0 },
			{ hup ? -1 : r->master, POLLIN | (pending ? POLLOUT : 0), 0 },
			{ pending ? -1 : r->user_in, POLLIN, 0 },
			{ r->main_ctl, POLLIN, 0 },
		};
		enum sess_end said;
		long long now = ix_now_ms();

		if (now >= tick) {
			if ((said = r->guard(r->ctx)) != SESS_END_NONE)
				return stop_input(r, said);
			tick = now + SESS_WATCH_MS;
		}
		if (poll(p, 6, (int)(tick - now)) < 0) {
			if (errno == EINTR)
				continue;
			return SESS_END_ERROR;
		}
		if (p[0].revents) {
			drain(r);
			return SESS_END_SHELL;
		}
		if (p[1].revents || p[5].revents)
			return SESS_END_STOP;
		if (p[2].revents && (said = r->from_worker(r->ctx)) != SESS_END_NONE)
			return said == SESS_END_CLIENT && user_hung_up(r) ? SESS_END_HANGUP : said;
		if (p[3].revents & (POLLIN | POLLHUP | POLLERR)) {
			int o = output(r);

			if (o == -2)
				return SESS_END_HANGUP;
			if (o == -1)	/* the shell closed its terminal: its pidfd decides */
				hup = true;
		}
		if (pending && (p[3].revents & POLLOUT)) {
			ssize_t w = write(r->master, in + off, pending);

			if (w > 0) {
				off += (size_t)w;
				pending -= (size_t)w;
			} else if (w < 0 && errno != EAGAIN && errno != EINTR) {
				pending = 0;	/* the session is going: its input with it */
			}
		}
		if (p[4].revents) {
			ssize_t n;

			if ((said = r->guard(r->ctx)) != SESS_END_NONE)
				return stop_input(r, said);
			n = read(r->user_in, in, sizeof in);

			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (n <= 0)
				return SESS_END_HANGUP;
			pending = (size_t)n;
			off = 0;
		}
	}
}
