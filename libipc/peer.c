/*
 * Who is at the other end of a connection: SO_PEERCRED for the pid, uid
 * and gid the kernel recorded at connect time, and a pidfd so that a
 * server acting on the peer's process later (labels, signals) acts on that
 * process and not on a recycled pid (PROTOCOL.md "Peer identity").
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libipc/peer_priv.h"

/* Linux 6.5; Debian 12's headers predate it. */
#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif

static void
fill(struct ix_peer *peer, const struct ucred *uc, int pidfd, int via)
{
	peer->pid = uc->pid;
	peer->uid = uc->uid;
	peer->gid = uc->gid;
	peer->pidfd = pidfd;
	peer->via_peerpidfd = via;
}

/* A pidfd polls readable once its process has exited. */
static int
exited(int pidfd)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	int r;

	while ((r = poll(&pfd, 1, 0)) < 0 && errno == EINTR)
		;
	return r != 0;
}

static int
peercred(int fd, struct ucred *uc, struct ix_err *err)
{
	socklen_t len = sizeof *uc;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, uc, &len) < 0)
		return ix_err_sys(err, "SO_PEERCRED");
	if (uc->pid <= 0)
		return ix_err_set(err, IX_ENOENT, "peer has no process");
	return 0;
}

/* Field 22 of /proc/PID/stat, the start time in clock ticks since boot.
 * Returns 0, or -1 with *err set (IX_ENOENT when the process is gone). */
static int
start_time(pid_t pid, unsigned long long *out, struct ix_err *err)
{
	char path[64], buf[1024], *p, *end;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ESRCH)
			return ix_err_set(err, IX_ENOENT,
			    "peer process %ld has exited", (long)pid);
		return ix_err_sys(err, "%s", path);
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0)
		return ix_err_sys(err, "%s", path);
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses: skip to the
	 * last ')' and count fields from there (it ends field 2). */
	p = strrchr(buf, ')');
	for (field = 2; p != NULL && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL)
		return ix_err_set(err, IX_ECORRUPT, "%s: no start time", path);
	errno = 0;
	*out = strtoull(p + 1, &end, 10);
	if (errno != 0 || end == p + 1)
		return ix_err_set(err, IX_ECORRUPT, "%s: bad start time", path);
	return 0;
}

int
ix_ipc_peer_fallback(int fd, struct ix_peer *peer, struct ix_err *err)
{
	struct ucred uc, again;
	unsigned long long t0, t1;
	int pidfd;

	peer->pidfd = -1;
	if (peercred(fd, &uc, err) < 0 || start_time(uc.pid, &t0, err) < 0)
		return -1;
	pidfd = (int)syscall(SYS_pidfd_open, uc.pid, 0);
	if (pidfd < 0) {
		if (errno == ESRCH)
			return ix_err_set(err, IX_ENOENT,
			    "peer process %ld has exited", (long)uc.pid);
		return ix_err_sys(err, "pidfd_open(%ld)", (long)uc.pid);
	}
	/* The pidfd now pins whatever process holds the pid. It is the
	 * peer if the start time did not change around pidfd_open and the
	 * process had not exited when we looked. */
	if (peercred(fd, &again, err) < 0 || start_time(uc.pid, &t1, err) < 0)
		goto fail;
	if (again.pid != uc.pid || t0 != t1) {
		ix_err_set(err, IX_ENOENT,
		    "peer process %ld exited and its pid was reused", (long)uc.pid);
		goto fail;
	}
	if (exited(pidfd)) {
		ix_err_set(err, IX_ENOENT, "peer process %ld has exited",
		    (long)uc.pid);
		goto fail;
	}
	fill(peer, &uc, pidfd, 0);
	return 0;
fail:
	close(pidfd);
	return -1;
}

int
ix_ipc_peer(int fd, struct ix_peer *peer, struct ix_err *err)
{
	struct ucred uc;
	socklen_t len = sizeof(int);
	int pidfd = -1;

	peer->pidfd = -1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &len) < 0) {
		if (errno == ENOPROTOOPT || errno == EINVAL)
			return ix_ipc_peer_fallback(fd, peer, err);
		if (errno == ESRCH)
			return ix_err_set(err, IX_ENOENT, "peer process has exited");
		return ix_err_sys(err, "SO_PEERPIDFD");
	}
	/* The kernel takes both from the same struct pid at connect time,
	 * so no re-check is needed here. Since Linux 6.16 the pidfd may name
	 * a process that has already exited; refuse that as the fallback
	 * does, so callers see one behaviour on every kernel. */
	if (peercred(fd, &uc, err) < 0)
		goto fail;
	if (exited(pidfd)) {
		ix_err_set(err, IX_ENOENT, "peer process %ld has exited",
		    (long)uc.pid);
		goto fail;
	}
	fill(peer, &uc, pidfd, 1);
	return 0;
fail:
	close(pidfd);
	return -1;
}

int
ix_peer_alive(const struct ix_peer *peer, struct ix_err *err)
{
	struct pollfd pfd = { .fd = peer->pidfd, .events = POLLIN };
	int r;

	if (peer->pidfd < 0)
		return ix_err_set(err, IX_EINVAL, "peer has no pidfd");
	/* A pidfd becomes readable when its process exits. */
	while ((r = poll(&pfd, 1, 0)) < 0 && errno == EINTR)
		;
	if (r < 0)
		return ix_err_sys(err, "poll on pidfd");
	return r == 0;
}

void
ix_peer_close(struct ix_peer *peer)
{
	if (peer == NULL || peer->pidfd < 0)
		return;
	close(peer->pidfd);
	peer->pidfd = -1;
}
