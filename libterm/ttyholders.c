/*
 * The /proc scan behind ttyholders.h.
 *
 * Everything is looked up relative to one descriptor on /proc. Files are
 * examined with statx(AT_STATX_DONT_SYNC) through the /proc/PID/fd links:
 * following such a link never asks the file's filesystem anything, and
 * DONT_SYNC keeps FUSE or NFS from being asked for fresh attributes, so a
 * user holding a file on a FUSE mount whose server never answers cannot
 * stall the scan. Only type, device and inode numbers are used, which no
 * cache makes stale.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "libterm/ttyholders.h"

#define TTYAUX_MAJOR 5		/* /dev/tty 5:0, /dev/console 5:1, ptmx 5:2 */
#define PTMX_MINOR 2
#define PTY_SLAVE_FIRST_MAJOR 136	/* Unix98 pty slaves: 136..143 */
#define PTY_SLAVE_LAST_MAJOR 143
#define FDINFO_MAX 1024		/* a ptmx fdinfo is five short lines */
#define PATH_REL_MAX 96		/* "PID/task/TID/fdinfo/FD" and the like */
#define LINK_MAX 4096

/* The terminal being looked for. */
struct target {
	bool pty;		/* a devpts slave: match dev+ino, find masters */
	dev_t dev;		/* its inode's device (the devpts instance) */
	ino_t ino;		/* its inode */
	dev_t rdev;		/* its device number */
	unsigned long index;	/* pty index, when pty */
};

struct scan {
	int procfd;		/* open on /proc */
	struct target t;
	ix_tty_holder_fn fn;
	void *arg;
};

/* One descriptor table: /proc/DIR/fd with DIR "PID" or "PID/task/TID". */
struct table {
	char dir[PATH_REL_MAX];
	pid_t pid;		/* PID or TID, reported as the holder */
	bool known;		/* proc fields below are filled */
	bool opaque;		/* reported as an opaque holder */
	struct ix_tty_holder proc; /* sid and exe_* of this table's task */
};

enum instance { INST_SAME, INST_OTHER, INST_UNSURE };

static bool
gone(int e)
{
	return e == ENOENT || e == ESRCH;
}

/* The process exists but its descriptors are out of our reach. */
static bool
denied(int e)
{
	return e == EACCES || e == EPERM;
}

/* Decimal string to number in [0, max], or -1. */
static long
parse_num(const char *s, long max)
{
	long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
	}
	return v;
}

static int
relpath(char *buf, const char *dir, const char *what, const char *name,
	struct ix_err *err)
{
	int k = snprintf(buf, PATH_REL_MAX, "%s/%s%s%s", dir, what,
			 name ? "/" : "", name ? name : "");

	if (k < 0 || k >= PATH_REL_MAX)
		return ix_err_set(err, IX_ELIMIT, "/proc/%s/%s: path too long",
				  dir, what);
	return 0;
}

static int
target_of(int ttyfd, struct target *t, struct ix_err *err)
{
	struct stat st;
	unsigned int ma, mi;

	if (fstat(ttyfd, &st) < 0)
		return ix_err_sys(err, "descriptor %d", ttyfd);
	if (!S_ISCHR(st.st_mode) || !isatty(ttyfd))
		return ix_err_set(err, IX_EINVAL,
		    "descriptor %d is not a terminal", ttyfd);
	ma = major(st.st_rdev);
	mi = minor(st.st_rdev);
	if (ma == TTYAUX_MAJOR && (mi == 0 || mi == PTMX_MINOR))
		return ix_err_set(err, IX_EINVAL,
		    "descriptor %d is %s; pass the terminal itself", ttyfd,
		    mi == 0 ? "/dev/tty (an alias)" : "a pty master");
	memset(t, 0, sizeof *t);
	t->dev = st.st_dev;
	t->ino = st.st_ino;
	t->rdev = st.st_rdev;
	/* The kernel numbers every devpts slave 136:index with 20-bit minors;
	 * 137..143 are reserved for the same driver. */
	t->pty = ma >= PTY_SLAVE_FIRST_MAJOR && ma <= PTY_SLAVE_LAST_MAJOR;
	t->index = (unsigned long)(ma - PTY_SLAVE_FIRST_MAJOR) * 256u + mi;
	if (ma == PTY_SLAVE_FIRST_MAJOR)
		t->index = mi;
	return 0;
}

/* sid and executable of the table's task, once per table. */
static int
table_info(struct scan *s, struct table *tb, struct ix_err *err)
{
	char path[PATH_REL_MAX];
	struct statx sx;

	if (tb->known)
		return 0;
	tb->proc.sid = getsid(tb->pid);
	tb->proc.exe_uid = (uid_t)-1;
	if (relpath(path, tb->dir, "exe", NULL, err) < 0)
		return -1;
	if (statx(s->procfd, path, AT_STATX_DONT_SYNC,
		  STATX_TYPE | STATX_MODE | STATX_UID | STATX_INO, &sx) == 0) {
		tb->proc.exe_dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
		tb->proc.exe_ino = sx.stx_ino;
		tb->proc.exe_uid = sx.stx_uid;
		tb->proc.exe_mode = sx.stx_mode;
	}
	/* Otherwise unknown: exited, a kernel thread, or out of reach. */
	tb->known = true;
	return 0;
}

/* What /proc/DIR/fdinfo/FD says: the open flags and, for a pty master,
 * the "tty-index:" (*has_index false when absent). *closed when the
 * descriptor went away meanwhile. */
struct fdinfo {
	unsigned long flags;
	unsigned long index;
	bool has_index;
	bool closed;
};

/* Unsigned decimal (base 0: fdinfo writes flags in octal with a leading 0)
 * after "\nkey", or false. */
static bool
fdinfo_field(const char *buf, const char *key, int base, unsigned long *v)
{
	const char *p = strstr(buf, key);
	char *end;

	if (p == NULL)
		return false;
	p += strlen(key);
	errno = 0;
	*v = strtoul(p, &end, base);
	return end != p && errno == 0 && (*end == '\n' || *end == '\0');
}

static int
read_fdinfo(struct scan *s, struct table *tb, const char *fdname,
	    struct fdinfo *fi, struct ix_err *err)
{
	char path[PATH_REL_MAX], buf[FDINFO_MAX];
	size_t len = 0;
	ssize_t r;
	int fd;

	memset(fi, 0, sizeof *fi);
	if (relpath(path, tb->dir, "fdinfo", fdname, err) < 0)
		return -1;
	fd = openat(s->procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (gone(errno)) {
			fi->closed = true;
			return 0;
		}
		if (denied(errno))
			return 1;
		return ix_err_sys(err, "/proc/%s", path);
	}
	while (len < sizeof buf - 1 &&
	       (r = read(fd, buf + len, sizeof buf - 1 - len)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (gone(errno))
				break;
			ix_err_sys(err, "/proc/%s", path);
			close(fd);
			return -1;
		}
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	if (!fdinfo_field(buf, "\nflags:", 8, &fi->flags)) {
		fi->closed = true;	/* empty read: closed under us */
		return 0;
	}
	fi->has_index = fdinfo_field(buf, "\ntty-index:", 10, &fi->index);
	return 0;
}

/*
 * The root in which the text of /proc/DIR/fd/N names the file. The kernel
 * renders that link relative to the reader's root when the file is
 * reachable from it, which it is for every process in our mount namespace
 * (chrooted ones included: their links carry the chroot's prefix). For a
 * process in another mount namespace the text starts at that namespace's
 * root, taken to be the process's root (true for containers). Returns an
 * O_PATH descriptor, or -1.
 */
static int
link_root(struct scan *s, struct table *tb)
{
	char path[PATH_REL_MAX];
	struct stat mine, theirs;

	if (relpath(path, tb->dir, "ns/mnt", NULL, NULL) < 0 ||
	    fstatat(s->procfd, "self/ns/mnt", &mine, 0) < 0 ||
	    fstatat(s->procfd, path, &theirs, 0) < 0)
		return -1;
	if (mine.st_dev == theirs.st_dev && mine.st_ino == theirs.st_ino)
		return open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (relpath(path, tb->dir, "root", NULL, NULL) < 0)
		return -1;
	return openat(s->procfd, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/*
 * The devpts instance a ptmx descriptor belongs to, when the ptmx node is
 * not on a devpts itself: the kernel took the "pts" entry next to the node
 * (no symlinks, topmost mount), in the opener's namespace. Redo that
 * lookup as the mounts are now.
 */
static enum instance
sibling_pts(struct scan *s, struct table *tb, const char *fdname)
{
	char path[PATH_REL_MAX], link[LINK_MAX], *slash;
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS |
			   RESOLVE_NO_MAGICLINKS,
	};
	enum instance v = INST_UNSURE;
	struct statfs sf;
	struct stat st;
	ssize_t k;
	int root, pts;
	const char *deleted = " (deleted)";

	if (relpath(path, tb->dir, "fd", fdname, NULL) < 0)
		return INST_UNSURE;
	k = readlinkat(s->procfd, path, link, sizeof link);
	if (k <= 0 || (size_t)k >= sizeof link - strlen("/pts"))
		return INST_UNSURE;
	link[k] = '\0';
	if (link[0] != '/' || ((size_t)k > strlen(deleted) &&
	    strcmp(link + k - strlen(deleted), deleted) == 0))
		return INST_UNSURE;
	slash = strrchr(link, '/');
	memcpy(slash, "/pts", sizeof "/pts");
	root = link_root(s, tb);
	if (root < 0)
		return INST_UNSURE;
	pts = (int)syscall(SYS_openat2, root, link, &how, sizeof how);
	close(root);
	if (pts < 0)
		return INST_UNSURE;
	if (fstat(pts, &st) == 0 && fstatfs(pts, &sf) == 0 &&
	    sf.f_type == DEVPTS_SUPER_MAGIC)
		v = st.st_dev == s->t.dev ? INST_SAME : INST_OTHER;
	close(pts);
	return v;
}

/* Which devpts instance a ptmx descriptor (statx-ed as sx) belongs to. */
static enum instance
master_instance(struct scan *s, struct table *tb, const char *fdname,
		const struct statx *sx)
{
	char path[PATH_REL_MAX];
	struct statfs sf;
	int fd, r;

	if (makedev(sx->stx_dev_major, sx->stx_dev_minor) == s->t.dev)
		return INST_SAME;	/* /dev/pts/ptmx of the slave's devpts */
	if (relpath(path, tb->dir, "fd", fdname, NULL) < 0)
		return INST_UNSURE;
	fd = openat(s->procfd, path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return INST_UNSURE;
	r = fstatfs(fd, &sf);
	close(fd);
	if (r < 0)
		return INST_UNSURE;
	if (sf.f_type == DEVPTS_SUPER_MAGIC)
		return INST_OTHER;	/* the ptmx of another devpts */
	return sibling_pts(s, tb, fdname);
}

/* Reports descriptor fdname of the table if it holds the target. Returns
 * 0, -1 with *err, or 1 when the table cannot be read. */
static int
check_fd(struct scan *s, struct table *tb, int dfd, const char *fdname,
	 long fdnum, struct ix_err *err)
{
	struct ix_tty_holder h;
	struct fdinfo fi;
	struct statx sx;
	bool slave, ptmx;
	dev_t rdev;
	int r;

	if (statx(dfd, fdname, AT_STATX_DONT_SYNC,
		  STATX_TYPE | STATX_INO, &sx) < 0) {
		if (gone(errno))
			return 0;
		if (denied(errno))
			return 1;
		return ix_err_sys(err, "/proc/%s/fd/%s", tb->dir, fdname);
	}
	if (!S_ISCHR(sx.stx_mode))
		return 0;
	rdev = makedev(sx.stx_rdev_major, sx.stx_rdev_minor);
	if (s->t.pty)
		slave = makedev(sx.stx_dev_major, sx.stx_dev_minor) ==
			s->t.dev && sx.stx_ino == s->t.ino;
	else
		slave = rdev == s->t.rdev;
	ptmx = s->t.pty && rdev == makedev(TTYAUX_MAJOR, PTMX_MINOR);
	if (!slave && !ptmx)
		return 0;
	r = read_fdinfo(s, tb, fdname, &fi, err);
	if (r != 0)
		return r;
	/* An O_PATH descriptor names the node without opening the device. */
	if (fi.closed || (fi.flags & O_PATH))
		return 0;
	if (table_info(s, tb, err) < 0)
		return -1;
	h = tb->proc;
	h.pid = tb->pid;
	h.fd = (int)fdnum;
	h.master = false;
	h.unsure = false;
	h.opaque = false;
	if (ptmx) {
		/* A kernel without tty-index: any ptmx may be the master. */
		if (fi.has_index && fi.index != s->t.index)
			return 0;
		h.master = true;
		if (!fi.has_index) {
			h.unsure = true;
		} else {
			enum instance v = master_instance(s, tb, fdname, &sx);

			if (v == INST_OTHER)
				return 0;
			h.unsure = v == INST_UNSURE;
		}
	}
	return s->fn(&h, s->arg, err);
}

/*
 * Opens the directory /proc/PATH. Returns 0 with *d set; 0 with *d NULL
 * when the task is gone, or when access is refused (*refused then true);
 * -1 with *err otherwise.
 */
static int
open_procdir(int procfd, const char *path, DIR **d, bool *refused,
	     struct ix_err *err)
{
	int fd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	*d = NULL;
	*refused = false;
	if (fd < 0) {
		if (gone(errno))
			return 0;
		if (denied(errno)) {
			*refused = true;
			return 0;
		}
		return ix_err_sys(err, "/proc/%s", path);
	}
	*d = fdopendir(fd);
	if (*d == NULL) {
		int e = errno;

		close(fd);
		/* fdopendir's fstat of a task exiting under it says ENOENT. */
		if (gone(e))
			return 0;
		errno = e;
		return ix_err_sys(err, "/proc/%s", path);
	}
	return 0;
}

/* The next entry of d (/proc/PATH) named by a number: 1 with *n and
 * *name, 0 at the end (or when the task went away), -1 with *err. */
static int
next_number(DIR *d, const char *path, long *n, const char **name,
	    struct ix_err *err)
{
	struct dirent *de;

	for (;;) {
		errno = 0;
		de = readdir(d);
		if (de == NULL) {
			if (errno != 0 && !gone(errno))
				return ix_err_sys(err, "reading /proc/%s", path);
			return 0;
		}
		*n = parse_num(de->d_name, 0x7fffffffL);
		if (*n >= 0) {
			*name = de->d_name;
			return 1;
		}
	}
}

/* Reports a table that cannot be read as one opaque holder. */
static int
report_opaque(struct scan *s, struct table *tb, struct ix_err *err)
{
	struct ix_tty_holder h;

	if (table_info(s, tb, err) < 0)
		return -1;
	h = tb->proc;
	h.pid = tb->pid;
	h.fd = -1;
	h.master = h.unsure = false;
	h.opaque = true;
	tb->opaque = true;
	return s->fn(&h, s->arg, err);
}

/* Scans one descriptor table. A task that exits meanwhile is skipped. */
static int
scan_table(struct scan *s, struct table *tb, struct ix_err *err)
{
	char path[PATH_REL_MAX];
	const char *name;
	bool refused;
	int r, rc = 0;
	DIR *d;
	long n;

	if (relpath(path, tb->dir, "fd", NULL, err) < 0 ||
	    open_procdir(s->procfd, path, &d, &refused, err) < 0)
		return -1;
	if (refused)
		return report_opaque(s, tb, err);
	if (d == NULL)
		return 0;
	while ((r = next_number(d, path, &n, &name, err)) > 0) {
		rc = check_fd(s, tb, dirfd(d), name, n, err);
		if (rc == 1)
			rc = report_opaque(s, tb, err);
		if (rc != 0 || tb->opaque)
			break;
	}
	closedir(d);
	return r < 0 ? -1 : rc;
}

/*
 * Whether task tid of process pid may have a descriptor table of its own.
 * When kcmp cannot tell (denied, or a kernel without it) the thread's
 * table is scanned too: a shared table is then listed once per thread,
 * which is better than missing a private one.
 */
static bool
own_table(pid_t pid, pid_t tid)
{
	long r = syscall(SYS_kcmp, pid, tid, KCMP_FILES, 0, 0);

	return r != 0 && !(r < 0 && gone(errno));
}

/* The process's table, then those of its threads that have their own. */
static int
scan_process(struct scan *s, pid_t pid, struct ix_err *err)
{
	struct table tb = { .pid = pid };
	char path[PATH_REL_MAX];
	const char *name;
	bool refused;
	int r;
	DIR *d;
	long tid;

	snprintf(tb.dir, sizeof tb.dir, "%ld", (long)pid);
	if (scan_table(s, &tb, err) < 0)
		return -1;
	/* One opaque holder stands for the whole process, threads included
	 * (whose tables, and kcmp on them, are out of reach all the same). */
	if (tb.opaque)
		return 0;
	snprintf(path, sizeof path, "%ld/task", (long)pid);
	if (open_procdir(s->procfd, path, &d, &refused, err) < 0)
		return -1;
	if (d == NULL)		/* gone; or refused: its table was readable */
		return 0;
	while ((r = next_number(d, path, &tid, &name, err)) > 0) {
		if (tid == pid || !own_table(pid, (pid_t)tid))
			continue;
		tb = (struct table){ .pid = (pid_t)tid };
		snprintf(tb.dir, sizeof tb.dir, "%ld/task/%ld", (long)pid, tid);
		if (scan_table(s, &tb, err) < 0) {
			r = -1;
			break;
		}
	}
	closedir(d);
	return r < 0 ? -1 : 0;
}

int
ix_tty_holders_each(int ttyfd, ix_tty_holder_fn fn, void *arg,
		    struct ix_err *err)
{
	struct scan s = { .fn = fn, .arg = arg };
	const char *name;
	bool refused;
	int fd, r;
	DIR *d;
	long pid;

	if (target_of(ttyfd, &s.t, err) < 0)
		return -1;
	s.procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s.procfd < 0)
		return ix_err_sys(err, "/proc");
	/* hidepid=invisible hides others' processes without any error. */
	fd = openat(s.procfd, "1", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		ix_err_sys(err, "/proc/1: cannot see every process (a /proc "
		    "mounted with hidepid=invisible?)");
		close(s.procfd);
		return -1;
	}
	close(fd);
	r = open_procdir(s.procfd, ".", &d, &refused, err);
	if (r == 0 && d == NULL)
		r = ix_err_set(err, IX_ESYS, "/proc cannot be listed");
	if (r < 0) {
		close(s.procfd);
		return -1;
	}
	while ((r = next_number(d, ".", &pid, &name, err)) > 0)
		if (pid > 0 && scan_process(&s, (pid_t)pid, err) < 0) {
			r = -1;
			break;
		}
	closedir(d);
	close(s.procfd);
	return r < 0 ? -1 : 0;
}

/* Collects into an array for ix_tty_holders. */
struct collect {
	struct ix_tty_holder *out;
	size_t max;
	size_t n;
};

static int
collect_one(const struct ix_tty_holder *h, void *arg, struct ix_err *err)
{
	struct collect *c = arg;

	(void)err;
	if (c->n < c->max)
		c->out[c->n] = *h;
	c->n++;
	return 0;
}

int
ix_tty_holders(int ttyfd, struct ix_tty_holder *out, size_t max, size_t *n,
	       struct ix_err *err)
{
	struct collect c = { .out = out, .max = max };

	*n = 0;
	if (ix_tty_holders_each(ttyfd, collect_one, &c, err) < 0)
		return -1;
	*n = c.n;
	if (c.n > max)
		return ix_err_set(err, IX_ELIMIT,
		    "%zu descriptors hold the terminal, room for %zu",
		    c.n, max);
	return 0;
}
