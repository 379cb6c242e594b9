/*
 * Socket activation: a listening socket handed over by systemd (or any
 * manager following sd_listen_fds(3)'s protocol: LISTEN_PID, LISTEN_FDS,
 * descriptors from 3 on) instead of one the server binds itself.
 *
 * The descriptor is checked before it is served on: an AF_UNIX
 * SOCK_SEQPACKET socket, listening, bound to exactly the path the server
 * would have bound, so that clients, which find the server by that path,
 * reach it, and a unit naming another path or socket type is an error at
 * start rather than a server nobody can reach.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "libipc/ipc.h"

#define LISTEN_FDS_START 3

int
ix_ipc_listen_fds(void)
{
	const char *pid = getenv("LISTEN_PID"), *n = getenv("LISTEN_FDS");
	char *end;
	long v;

	if (pid == NULL || n == NULL)
		return 0;
	v = strtol(pid, &end, 10);
	if (*pid == '\0' || *end != '\0' || v != (long)getpid())
		return 0;	/* meant for another process: not ours to take */
	v = strtol(n, &end, 10);
	if (*n == '\0' || *end != '\0' || v < 1 || v > 64)
		return 0;
	return (int)v;
}

static int
get_int(int fd, int opt, int *v, struct ix_err *err)
{
	socklen_t len = sizeof *v;

	if (getsockopt(fd, SOL_SOCKET, opt, v, &len) < 0)
		return ix_err_sys(err, "socket activation: descriptor %d", fd);
	return 0;
}

int
ix_ipc_activated(int nfds, const char *path, struct ix_err *err)
{
	const int fd = LISTEN_FDS_START;
	struct sockaddr_un sa;
	socklen_t len = sizeof sa;
	int type, domain, listening;
	struct stat st;

	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (nfds != 1)
		return ix_err_set(err, IX_EINVAL,
		    "socket activation: %d sockets passed, one expected (%s)", nfds, path);
	if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode))
		return ix_err_set(err, IX_EINVAL,
		    "socket activation: descriptor %d is not a socket", fd);
	if (get_int(fd, SO_DOMAIN, &domain, err) < 0 || get_int(fd, SO_TYPE, &type, err) < 0 ||
	    get_int(fd, SO_ACCEPTCONN, &listening, err) < 0)
		return -1;
	if (domain != AF_UNIX || type != SOCK_SEQPACKET || !listening)
		return ix_err_set(err, IX_EINVAL,
		    "socket activation: descriptor %d is not a listening AF_UNIX "
		    "SOCK_SEQPACKET socket (ListenSequentialPacket=%s)", fd, path);
	memset(&sa, 0, sizeof sa);
	if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
		return ix_err_sys(err, "socket activation: descriptor %d", fd);
	if (len <= offsetof(struct sockaddr_un, sun_path) || len > sizeof sa ||
	    strnlen(sa.sun_path, sizeof sa.sun_path) == sizeof sa.sun_path ||
	    strcmp(sa.sun_path, path) != 0)
		return ix_err_set(err, IX_EINVAL,
		    "socket activation: the socket passed is bound to '%.*s', not %s",
		    (int)strnlen(sa.sun_path, sizeof sa.sun_path), sa.sun_path, path);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return ix_err_sys(err, "socket activation: descriptor %d", fd);
	return fd;
}
