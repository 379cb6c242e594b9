/*
 * Workers forked ahead of their connection (ipc.h, "Spare workers").
 *
 * The spare accepts on the listening socket itself, so the socket is
 * non-blocking: two spares (one retired but not yet gone, and its
 * successor) may both be woken for one connection, and the one that loses
 * must go back to waiting rather than block in accept. main learns from
 * one byte on their socketpair that its spare is ready ('r') and that it
 * took a connection ('a'), that it ended without one from the socketpair
 * closing before 'a', and that the worker it became is done from the
 * socketpair closing after it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libipc/ipc.h"

int
ix_spare_listen(int lfd, struct ix_err *err)
{
	int fl = fcntl(lfd, F_GETFL);

	if (fl < 0 || fcntl(lfd, F_SETFL, fl | O_NONBLOCK) < 0)
		return ix_err_sys(err, "listening socket %d: non-blocking", lfd);
	return 0;
}

pid_t
ix_spare_fork(int *ctl, struct ix_err *err)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return ix_err_sys(err, "spare: socketpair");
	pid = fork();
	if (pid < 0) {
		ix_err_sys(err, "spare: fork");
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	close(sv[pid == 0 ? 0 : 1]);
	*ctl = sv[pid == 0 ? 1 : 0];
	return pid;
}

/* One byte to main; a main that has gone (or retired us) stops nothing
 * here, and raises no SIGPIPE. */
static void
tell(int ctl, char b)
{
	while (send(ctl, &b, 1, MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

int
ix_spare_accept(int lfd, int ctl, int *fd, struct ix_err *err)
{
	tell(ctl, 'r');
	for (;;) {
		struct pollfd p[2] = { { lfd, POLLIN, 0 }, { ctl, POLLIN, 0 } };

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return ix_err_sys(err, "spare: poll");
		}
		if (p[1].revents != 0) {	/* retired, or main has gone */
			close(ctl);
			return 0;
		}
		*fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (*fd >= 0)
			break;
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
		    errno != ECONNABORTED)
			return ix_err_sys(err, "accept");
	}
	tell(ctl, 'a');
	return 1;
}

enum ix_spare_ev
ix_spare_event(int ctl)
{
	char b;
	ssize_t n;

	do
		n = read(ctl, &b, 1);
	while (n < 0 && errno == EINTR);
	if (n == 1 && b == 'r')
		return IX_SPARE_READY;
	if (n == 1 && b == 'a')
		return IX_SPARE_TAKEN;
	close(ctl);
	return IX_SPARE_ENDED;
}
