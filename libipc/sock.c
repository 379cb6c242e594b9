/*
 * Listening, connecting and accepting on AF_UNIX SOCK_SEQPACKET sockets.
 *
 * A server's socket path lives in a directory others may be able to write
 * in tests and demos, so ix_ipc_listen never follows a symlink and never
 * removes anything but a socket nobody accepts on. The socket is bound
 * under a temporary name, given its mode, then renamed into place with
 * RENAME_NOREPLACE: clients never see it with the umask's mode, and a file
 * that appears at the path meanwhile is not replaced.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "libipc/ipc.h"

static int
make_addr(const char *path, struct sockaddr_un *sa, struct ix_err *err)
{
	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sa->sun_path)
		return ix_err_set(err, IX_ELIMIT,
		    "%s: socket path longer than %zu bytes", path,
		    sizeof sa->sun_path - 1);
	memcpy(sa->sun_path, path, strlen(path) + 1);
	return 0;
}

/* Removes a socket at path only if nothing accepts on it. Returns 0 when
 * path is now free, -1 with *err set otherwise. */
static int
clear_stale(const char *path, struct ix_err *err)
{
	struct sockaddr_un sa;
	struct stat st;
	int fd, r;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return ix_err_sys(err, "%s", path);
	}
	if (!S_ISSOCK(st.st_mode))
		return ix_err_set(err, IX_EEXIST,
		    "%s: exists and is not a socket, refusing to replace it", path);
	if (make_addr(path, &sa, err) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return ix_err_sys(err, "socket");
	r = connect(fd, (struct sockaddr *)&sa, sizeof sa);
	close(fd);
	if (r == 0)
		return ix_err_set(err, IX_EEXIST,
		    "%s: a server is already listening there", path);
	if (errno != ECONNREFUSED)
		return ix_err_sys(err, "%s: probing the existing socket", path);
	if (unlink(path) < 0 && errno != ENOENT)
		return ix_err_sys(err, "%s: removing the stale socket", path);
	return 0;
}

int
ix_ipc_listen(const char *path, mode_t mode, int backlog, struct ix_err *err)
{
	struct sockaddr_un sa;
	char tmp[sizeof sa.sun_path];
	int fd, n;

	n = snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof tmp)
		return ix_err_set(err, IX_ELIMIT,
		    "%s: socket path too long (a temporary name needs %d bytes)",
		    path, n);
	if (clear_stale(path, err) < 0 || clear_stale(tmp, err) < 0)
		return -1;
	if (make_addr(tmp, &sa, err) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return ix_err_sys(err, "socket");
	/* bind never follows a symlink: it fails with EADDRINUSE. */
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		ix_err_sys(err, "%s: bind", tmp);
		close(fd);
		return -1;
	}
	/* Listening before the rename means a client never finds the path
	 * refusing connections, which a second server would take as stale. */
	if (listen(fd, backlog) < 0) {
		ix_err_sys(err, "%s: listen", tmp);
		goto fail;
	}
	if (fchmodat(AT_FDCWD, tmp, mode & 07777, AT_SYMLINK_NOFOLLOW) < 0) {
		ix_err_sys(err, "%s: chmod", tmp);
		goto fail;
	}
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) < 0) {
		ix_err_sys(err, "%s: moving the socket into place", path);
		goto fail;
	}
	return fd;
fail:
	unlink(tmp);
	close(fd);
	return -1;
}

int
ix_ipc_connect(const char *path, struct ix_err *err)
{
	struct sockaddr_un sa;
	int fd;

	if (make_addr(path, &sa, err) < 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return ix_err_sys(err, "socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		ix_err_sys(err, "%s: connect", path);
		close(fd);
		return -1;
	}
	return fd;
}

int
ix_ipc_accept(int lfd, struct ix_err *err)
{
	int fd;

	do
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return ix_err_sys(err, "accept");
	return fd;
}
