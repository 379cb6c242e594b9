/*
 * The sockets of a terminal provider (see provider.h): a unix socket it
 * listens or receives datagrams on must be out of the client's reach by
 * its path, abstract ones never are, network listeners and datagram
 * sockets are refused, and a socket of a family the check does not know
 * is refused. What each socket is comes from a copy of the descriptor
 * (pidfd_getfd: family, type, listening, bound name, peer), never from
 * /proc/net text, whose lines other users' socket names can forge.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "libterm/provider_int.h"

/*
 * Whether the client can connect to the socket file at path (absolute) as
 * the client sees it (from its own root, in its own mount namespace): every
 * directory on the way searchable and the socket writable. A symbolic link
 * on the way, or a path that does not resolve, counts as reachable: the
 * check cannot follow it safely.
 */
static int
reachable(const char *path, const struct ix_provider_client *c, bool *reach,
	  struct ix_err *err)
{
	pid_t pid = c->pid;
	char root[64], comp[NAME_MAX + 1];
	const char *p = path;
	struct stat st;
	int dir, next;
	size_t len;

	*reach = true;
	snprintf(root, sizeof root, "/proc/%d/root", (int)pid);
	if ((dir = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : ix_err_sys(err, "%s", root);
	for (;;) {
		if (fstat(dir, &st) < 0) {
			close(dir);
			return ix_err_sys(err, "%s", path);
		}
		p += strspn(p, "/");
		len = strcspn(p, "/");
		if (len == 0 || len > NAME_MAX)
			break;	/* a path ending in '/' names no socket */
		if (!ix_prov_may(dir, &st, c, 1)) {
			*reach = false;	/* a directory the client cannot search */
			break;
		}
		memcpy(comp, p, len);
		comp[len] = '\0';
		p += len;
		next = openat(dir, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		close(dir);
		if (next < 0)
			return 0;
		dir = next;
		if (fstat(dir, &st) < 0) {
			close(dir);
			return ix_err_sys(err, "%s", path);
		}
		if (p[strspn(p, "/")] == '\0') {
			*reach = !S_ISSOCK(st.st_mode) || ix_prov_may(dir, &st, c, 2);
			break;
		}
		if (!S_ISDIR(st.st_mode))
			break;	/* a link or a file on the way: reachable */
	}
	close(dir);
	return 0;
}

int
ix_prov_holders_foreign(const char *link, pid_t except, bool *held,
			const struct ix_provider_client *c, char *why, size_t whysize,
			struct ix_err *err)
{
	char path[64], l[256], comm[32];
	struct ix_prov_status st;
	struct dirent *p, *f;
	DIR *pd, *fd;
	ssize_t len;
	int rc = 1;

	*held = false;
	if ((pd = opendir("/proc")) == NULL)
		return ix_err_sys(err, "/proc");
	while (rc == 1 && (p = readdir(pd)) != NULL) {
		pid_t pid = (pid_t)atoi(p->d_name);

		if (pid <= 0 || pid == except)
			continue;
		snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
		if ((fd = opendir(path)) == NULL)
			continue;	/* exited, or a kernel thread */
		while ((f = readdir(fd)) != NULL) {
			if (f->d_name[0] == '.')
				continue;
			snprintf(path, sizeof path, "/proc/%d/fd/%.16s", (int)pid, f->d_name);
			len = readlink(path, l, sizeof l - 1);
			if (len < 0)
				continue;
			l[len] = '\0';
			if (strcmp(l, link) != 0)
				continue;
			*held = true;
			if (ix_prov_status(pid, &st, err) < 0) {
				if (err->code != IX_ENOENT)
					rc = -1;
				break;
			}
			if (ix_prov_uid_is_clients(st.uids, c)) {
				ix_prov_comm(pid, comm, sizeof comm);
				rc = ix_term_refuse(why, whysize, "the terminal's provider "
				    "talks through %s with pid %d (%s), which runs as uid %u: "
				    "a program of yours can drive it", link, (int)pid, comm,
				    (unsigned)st.uids[0]);
			}
			break;
		}
		closedir(fd);
	}
	closedir(pd);
	return rc;
}

/* A copy of pid's descriptor fdnum, taken from the process itself: what
 * the socket is comes from the kernel, not from text in /proc/net that
 * the names of other users' sockets can forge. -1 with errno. */
static int
take_fd(pid_t pid, int fdnum)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), fd;

	if (pidfd < 0)
		return -1;
	fd = (int)syscall(SYS_pidfd_getfd, pidfd, fdnum, 0);
	close(pidfd);
	return fd;
}

int
ix_prov_socket(pid_t pid, const char *comm, int fdnum, const struct ix_provider_client *c,
	       char *why, size_t whysize, struct ix_err *err)
{
	struct sockaddr_un un;
	struct sockaddr_storage peer;
	socklen_t len = sizeof un, plen = sizeof peer, olen;
	int fd, domain = 0, type = 0, listening = 0, rc;
	bool reach, connected, named;

	if ((fd = take_fd(pid, fdnum)) < 0)
		return errno == ESRCH || errno == EBADF ? 1 :	/* gone, or closed meanwhile */
		       ix_err_sys(err, "descriptor %d of pid %d", fdnum, (int)pid);
	olen = sizeof domain;
	rc = getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &olen);
	olen = sizeof type;
	if (rc == 0)
		rc = getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &olen);
	olen = sizeof listening;
	if (rc == 0)
		rc = getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &olen);
	connected = rc == 0 && getpeername(fd, (struct sockaddr *)&peer, &plen) == 0;
	memset(&un, 0, sizeof un);
	if (rc == 0 && domain == AF_UNIX)
		rc = getsockname(fd, (struct sockaddr *)&un, &len);
	close(fd);
	if (rc < 0)
		return ix_err_sys(err, "socket %d of pid %d", fdnum, (int)pid);
	if (domain == AF_NETLINK)
		return 1;	/* the kernel's */
	if (domain == AF_INET || domain == AF_INET6) {
		/* A TCP connection carries the provider's protocol (sshd's, to
		 * its authenticated peer); a listener, or any datagram or raw
		 * socket, takes input from anyone on the host. */
		if (type == SOCK_STREAM && !listening)
			return 1;
		return ix_term_refuse(why, whysize, "the terminal's provider, pid %d (%s), holds "
		    "a listening or datagram network socket (descriptor %d): anyone on "
		    "the host may reach it", (int)pid, comm, fdnum);
	}
	if (domain != AF_UNIX)
		return ix_term_refuse(why, whysize, "the terminal's provider, pid %d (%s), holds "
		    "a socket of family %d (descriptor %d), which this check cannot judge",
		    (int)pid, comm, domain, fdnum);
	/* A connection carries what the provider's protocol carries: those a
	 * client of the provider's uid could open come through a listening
	 * socket, judged below where the provider holds it. An unnamed socket
	 * that is not connected can be sent nothing. */
	named = len > offsetof(struct sockaddr_un, sun_path);
	if (connected || !named)
		return 1;
	/* Listening, or a named datagram socket anyone may sendto. */
	if (un.sun_path[0] == '\0')
		return ix_term_refuse(why, whysize, "the terminal's provider, pid %d (%s), %s an "
		    "abstract socket (descriptor %d), which anyone may reach", (int)pid, comm,
		    listening ? "listens on" : "receives on", fdnum);
	un.sun_path[sizeof un.sun_path - 1] = '\0';
	if (reachable(un.sun_path, c, &reach, err) < 0)
		return -1;
	return reach ? ix_term_refuse(why, whysize, "the terminal's provider, pid %d (%s), "
		"%s %s, which you can reach: a program of yours can drive it", (int)pid,
		comm, listening ? "listens on" : "receives on", un.sun_path) : 1;
}
