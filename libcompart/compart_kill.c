/*
 * Emptying a compartment (compart.h, ix_compart_kill): cgroup.kill sends
 * SIGKILL to every member, including those forked while it runs, which a
 * loop over cgroup.procs cannot promise; cgroup.events then says when the
 * last one is gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libcompart/compart_int.h"

/* 1 populated, 0 empty, -1 error. */
static int
populated(int dir, const char *name, struct ix_err *err)
{
	char buf[256], *p;
	ssize_t n;
	int fd = openat(dir, "cgroup.events", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return ix_err_sys(err, "%s: opening cgroup.events", name);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0)
		return ix_err_sys(err, "%s: reading cgroup.events", name);
	buf[n] = '\0';
	p = strstr(buf, "populated ");
	if (p == NULL)
		return ix_err_set(err, IX_EINVAL, "%s: cgroup.events has no populated line", name);
	return p[10] == '1';
}

int
ix_cgroup_kill_dir(int dir, const char *what, int timeout_ms, struct ix_err *err)
{
	int fd = openat(dir, "cgroup.kill", O_WRONLY | O_CLOEXEC), r;
	struct timespec t0, t;

	if (fd < 0 || write(fd, "1", 1) != 1) {
		ix_err_sys(err, "%s: writing cgroup.kill", what);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while ((r = populated(dir, what, err)) == 1) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 > timeout_ms) {
			r = ix_err_set(err, IX_ELIMIT, "%s still has members after %d ms", what,
				       timeout_ms);
			break;
		}
		poll(NULL, 0, 10);
	}
	return r < 0 ? -1 : 0;
}

int
ix_compart_kill(const char *name, int timeout_ms, struct ix_err *err)
{
	char what[IX_COMPART_NAME_MAX + 16];
	int dir = ix_compart_open(name, err), init = -1, r;

	if (dir < 0)
		return -1;
	snprintf(what, sizeof what, "compartment '%s'", name);
	/* Its namespaces' init first (a child cgroup, cgroup.kill would
	 * reach it too): every member is in its pid namespace and dies with
	 * it, which its pidfd tells without delay, and its starter, when
	 * that is us, reaps it. */
	if (ix_compart_ns_find(dir, name, &init, &(struct ix_err){ 0 }) == 0)
		ix_compart_ns_stop(init, timeout_ms);
	r = ix_cgroup_kill_dir(dir, what, timeout_ms, err);
	close(dir);
	return r;
}
