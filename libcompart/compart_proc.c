/*
 * Which compartment and label a process has, and who is inside a
 * compartment. /proc is read by pid, so every answer about a pid is
 * confirmed against the caller's pidfd afterwards: a pid recycled between
 * the caller's pidfd_open and our read would otherwise lend its new
 * owner's compartment to the old process.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libcompart/compart.h"
#include "libcompart/compart_int.h"

#define CGROUP_FILE_MAX 8192
#define PIDS_MAX 65536

bool
ix_pidfd_gone(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	/* A pidfd polls readable once its process has exited. */
	if (poll(&p, 1, 0) < 0)
		return true;
	return (p.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

/* Reads a small file whole into buf; -1 with errno on failure or overflow. */
static ssize_t
read_small(int dirfd, const char *path, char *buf, size_t size)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	size_t off = 0;
	ssize_t r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf + off, size - 1 - off)) > 0) {
		off += (size_t)r;
		if (off == size - 1) {
			close(fd);
			errno = EFBIG;
			return -1;
		}
	}
	close(fd);
	if (r < 0)
		return -1;
	buf[off] = 0;
	return (ssize_t)off;
}

int
ix_compart_of(pid_t pid, int pidfd, struct ix_compart *out, bool *inside, struct ix_err *err)
{
	char path[64], buf[CGROUP_FILE_MAX], name[IX_COMPART_NAME_MAX + 1];
	const char *prefix = "0::/" IX_COMPART_PARENT "/";
	char *line, *save = NULL;
	size_t n;

	*inside = false;
	snprintf(path, sizeof path, "/proc/%d/cgroup", (int)pid);
	if (read_small(AT_FDCWD, path, buf, sizeof buf) < 0) {
		if (errno == ENOENT || errno == ESRCH)
			return ix_err_set(err, IX_ENOENT, "process %d has exited", (int)pid);
		return ix_err_sys(err, "reading %s", path);
	}
	name[0] = 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, prefix, strlen(prefix)) != 0)
			continue;
		n = strcspn(line + strlen(prefix), "/");
		if (n == 0 || n > IX_COMPART_NAME_MAX)
			break;
		memcpy(name, line + strlen(prefix), n);
		name[n] = 0;
		break;
	}
	if (ix_pidfd_gone(pidfd))
		return ix_err_set(err, IX_ENOENT, "process %d has exited", (int)pid);
	if (!name[0])
		return 0;
	if (ix_compart_get(name, out, err) < 0)
		return ix_err_prefix(err, "process %d", (int)pid);
	*inside = true;
	return 0;
}

int
ix_proc_label(pid_t pid, int pidfd, struct ix_task_label *out, bool *labelled, struct ix_err *err)
{
	struct ix_compart c;
	struct ix_t1 *t1 = NULL;
	bool inside;

	memset(out, 0, sizeof *out);
	*labelled = false;
	if (ix_t1_open(NULL, &t1, err) == 0) {
		int r = ix_t1_task_get(t1, pidfd, out, labelled, err);
		ix_t1_close(t1);
		return r;
	}
	if (err->code != IX_ENOENT)
		return -1;
	if (ix_compart_of(pid, pidfd, &c, &inside, err) < 0)
		return -1;
	if (!inside)
		return 0;
	out->label = c.label;
	out->ceiling = c.ceiling;
	out->flags = c.flags;
	out->compart = c.id;
	*labelled = true;
	return 0;
}

int
ix_compart_pids(const char *name, pid_t **pids, size_t *n, struct ix_err *err)
{
	const size_t size = PIDS_MAX * 8;	/* "4194304\n" per member at most */
	char *buf = malloc(size);
	size_t cnt = 0;
	pid_t *v;
	int fd;

	*pids = NULL;
	*n = 0;
	if (!buf)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	fd = ix_compart_open(name, err);
	if (fd < 0)
		goto fail;
	if (read_small(fd, "cgroup.procs", buf, size) < 0) {
		ix_err_sys(err, "reading the members of compartment '%s'", name);
		close(fd);
		goto fail;
	}
	close(fd);
	for (char *p = buf; *p; p++)
		cnt += *p == '\n';
	v = calloc(cnt ? cnt : 1, sizeof *v);
	if (!v) {
		ix_err_set(err, IX_ENOMEM, "out of memory");
		goto fail;
	}
	cnt = 0;
	for (char *p = buf, *e; *p; p = e) {
		long x = strtol(p, &e, 10);
		if (e == p)
			break;
		v[cnt++] = (pid_t)x;
		while (*e == '\n')
			e++;
	}
	free(buf);
	*pids = v;
	*n = cnt;
	return 0;
fail:
	free(buf);
	return -1;
}
