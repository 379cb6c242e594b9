/*
 * What a terminal provider reads, judged descriptor by descriptor (see
 * provider.h for the rules).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "libterm/provider_int.h"

#define FDS_MAX 4096		/* descriptors examined per provider */
#define TTY_MAJOR 4		/* virtual consoles */
#define TTYAUX_MAJOR 5		/* 5:1 /dev/console, 5:2 ptmx */
#define CONSOLE_MINOR 1
#define PTMX_MINOR 2
#define MEM_MAJOR 1		/* /dev/null, zero, full, random, urandom */
#define PTY_SLAVE_FIRST 136
#define PTY_SLAVE_LAST 143

static bool
in_groups(gid_t g, const struct ix_provider_client *c)
{
	if (g == c->gid)
		return true;
	for (size_t i = 0; i < c->ngroups; i++)
		if (c->groups[i] == g)
			return true;
	return false;
}

bool
ix_prov_may(int fd, const struct stat *st, const struct ix_provider_client *c,
	    unsigned mask)
{
	char path[64];
	unsigned bits;

	for (int i = 0; i < 4; i++)
		if (st->st_uid == c->uids[i])
			return true;	/* the owner may chmod it */
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	if (getxattr(path, "system.posix_acl_access", NULL, 0) >= 0 || errno == ERANGE)
		return true;
	bits = in_groups(st->st_gid, c) ? (st->st_mode >> 3) & 7 : st->st_mode & 7;
	return (bits & mask) == mask;
}

/* The access mode of pid's descriptor n from fdinfo: O_RDONLY, O_WRONLY
 * or O_RDWR, or -1 when it is gone. */
static int
acc_mode(pid_t pid, int n)
{
	char path[64], buf[256];
	unsigned int flags;
	ssize_t len;
	char *p;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/fdinfo/%d", (int)pid, n);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	p = strstr(buf, "flags:");
	if (p == NULL || sscanf(p + 6, "%o", &flags) != 1)
		return -1;
	return (int)(flags & O_ACCMODE);
}

/* A terminal the provider reads: a console, or a pty whose masters pass. */
static int
judge_tty(pid_t pid, const char *comm, int n, const struct stat *st,
	  const struct ix_provider_client *c, unsigned depth, char *why,
	  size_t whysize, struct ix_err *err)
{
	unsigned int ma = major(st->st_rdev), mi = minor(st->st_rdev);
	char path[64];
	int fd, rc;

	if ((ma == TTY_MAJOR && mi >= 1 && mi <= 63) || (ma == TTYAUX_MAJOR && mi == 1))
		return 1;
	if (ma < PTY_SLAVE_FIRST || ma > PTY_SLAVE_LAST)
		return ix_term_refuse(why, whysize, "the terminal's provider, pid %d (%s), "
		    "reads terminal %u:%u (descriptor %d), neither a console nor a pty",
		    (int)pid, comm, ma, mi, n);
	snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)pid, n);
	fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 1 : ix_err_sys(err, "%s", path);
	rc = ix_provider_tty_private(fd, c, depth, why, whysize, err);
	close(fd);
	return rc;
}

/* One descriptor n of pid. Returns 1 out of reach, 0 not (why), -1. */
static int
judge_fd(pid_t pid, const char *comm, int n, const struct ix_provider_client *c,
	 unsigned depth, char *why, size_t whysize, struct ix_err *err)
{
	char path[64], link[256];
	unsigned long ino;
	struct stat st;
	ssize_t len;
	int mode, fd, rc;
	bool held;

	snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)pid, n);
	len = readlink(path, link, sizeof link - 1);
	if (len < 0)
		return errno == ENOENT ? 1 : ix_err_sys(err, "%s", path);
	link[len] = '\0';
	if (sscanf(link, "socket:[%lu]", &ino) == 1)
		return ix_prov_socket(pid, comm, n, c, why, whysize, err);
	if (strncmp(link, "anon_inode:", 11) == 0)
		return 1;	/* eventfd, epoll, signalfd, timerfd: the kernel's */
	mode = acc_mode(pid, n);
	if (mode < 0 || mode == O_WRONLY)
		return 1;	/* gone, or written only */
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 1 : ix_err_sys(err, "%s", path);
	if (fstat(fd, &st) < 0) {
		close(fd);
		return ix_err_sys(err, "%s", path);
	}
	rc = 1;
	if (S_ISCHR(st.st_mode)) {
		unsigned int ma = major(st.st_rdev), mi = minor(st.st_rdev);

		/* /dev/null and its kind give nobody's keys; ptmx, a pane's
		 * master, brings output, not the person's keys. */
		if (ma == MEM_MAJOR || (ma == TTYAUX_MAJOR && mi == PTMX_MINOR))
			rc = 1;
		else if (ma == TTY_MAJOR || (ma == TTYAUX_MAJOR && mi == CONSOLE_MINOR) ||
			 (ma >= PTY_SLAVE_FIRST && ma <= PTY_SLAVE_LAST))
			rc = judge_tty(pid, comm, n, &st, c, depth, why, whysize, err);
		else	/* /dev/tty (5:0), serial lines, input devices... */
			rc = ix_term_refuse(why, whysize, "the terminal's provider, pid %d "
			    "(%s), reads device %u:%u (descriptor %d), whose input this "
			    "check cannot judge", (int)pid, comm, ma, mi, n);
	} else if (S_ISFIFO(st.st_mode) && strncmp(link, "pipe:[", 6) == 0) {
		rc = ix_prov_holders_foreign(link, pid, &held, c, why, whysize, err);
	} else if ((S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode)) && ix_prov_may(fd, &st, c, 2)) {
		rc = ix_term_refuse(why, whysize, "the terminal's provider, pid %d (%s), "
		    "reads %s (descriptor %d), which you can write", (int)pid, comm, link, n);
	}
	close(fd);
	return rc;
}

int
ix_prov_inputs(pid_t pid, const char *comm, const struct ix_provider_client *c,
	       unsigned depth, char *why, size_t whysize, struct ix_err *err)
{
	char path[64];
	struct dirent *de;
	unsigned count = 0;
	DIR *d;
	char *end;
	long n;
	int rc = 1;

	snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (d == NULL)
		return errno == ENOENT || errno == ESRCH ? ix_term_refuse(why, whysize,
		    "the terminal's provider, pid %d, exited during the check", (int)pid) :
		    ix_err_sys(err, "%s", path);
	while (rc == 1 && (errno = 0, de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		n = strtol(de->d_name, &end, 10);
		if (*end != '\0' || n < 0 || n > INT32_MAX)
			continue;
		if (++count > FDS_MAX) {
			rc = ix_term_refuse(why, whysize, "the terminal's provider, pid %d "
			    "(%s), holds more than %d descriptors", (int)pid, comm, FDS_MAX);
			break;
		}
		rc = judge_fd(pid, comm, (int)n, c, depth, why, whysize, err);
	}
	if (rc == 1 && errno != 0)
		rc = ix_err_sys(err, "%s", path);
	closedir(d);
	return rc;
}
