/*
 * Safe opening of a redirection target; the guarantees are in outfile.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "nosh/outfile.h"

static int
open2(const char *path, int flags, mode_t mode)
{
	struct open_how how = {
		/* openat2 refuses O_NOCTTY next to O_PATH. */
		.flags = (unsigned)flags | O_CLOEXEC | (flags & O_PATH ? 0 : O_NOCTTY),
		.mode = mode,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof how);
}

static int
is_null_device(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(1, 3);
}

static int
refuse(int fd, struct ix_err *err, const char *path, const char *why)
{
	if (fd >= 0)
		close(fd);
	return ix_err_set(err, IX_EDENIED, "%s: %s", path, why);
}

int
nosh_open_out(const char *path, int append, struct ix_err *err)
{
	struct stat before, after;
	int pfd, fd;

	fd = open2(path, O_WRONLY | O_CREAT | O_EXCL | (append ? O_APPEND : 0), 0666);
	if (fd >= 0)
		return fd;
	if (errno == ELOOP)
		return refuse(-1, err, path, "a symbolic link is on the path");
	if (errno != EEXIST)
		return ix_err_sys(err, "%s", path);

	/* It exists: look at it through an O_PATH descriptor, which opens
	 * nothing (no device side effects, no FIFO wait). */
	pfd = open2(path, O_PATH, 0);
	if (pfd < 0 && errno == ELOOP)
		return refuse(-1, err, path, "a symbolic link is on the path");
	if (pfd < 0)
		return ix_err_sys(err, "%s", path);
	if (fstat(pfd, &before) < 0) {
		ix_err_sys(err, "%s", path);
		close(pfd);
		return -1;
	}
	if (!is_null_device(&before)) {
		if (!S_ISREG(before.st_mode))
			return refuse(pfd, err, path, "not a regular file");
		if (before.st_nlink != 1)
			return refuse(pfd, err, path, "has other hard links");
		if (before.st_uid != geteuid())
			return refuse(pfd, err, path, "owned by another user");
	}
	fd = open2(path, O_WRONLY | O_NONBLOCK | (append ? O_APPEND : 0), 0);
	close(pfd);
	if (fd < 0)
		return ix_err_sys(err, "%s", path);
	if (fstat(fd, &after) < 0) {
		ix_err_sys(err, "%s", path);
		close(fd);
		return -1;
	}
	if (after.st_dev != before.st_dev || after.st_ino != before.st_ino)
		return refuse(fd, err, path, "replaced while being opened");
	if (fcntl(fd, F_SETFL, append ? O_APPEND : 0) < 0 ||
	    (!append && S_ISREG(after.st_mode) && ftruncate(fd, 0) < 0)) {
		ix_err_sys(err, "%s", path);
		close(fd);
		return -1;
	}
	return fd;
}
