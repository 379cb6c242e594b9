/*
 * Stream identifiers from descriptors (see streamid.h for the mapping and
 * the decisions behind it).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "libterm/streamid.h"
#include "libterm/ttyholders.h"

#define MEM_MAJOR 1		/* /dev/null is 1:3 */
#define NULL_MINOR 3
#define TTY_MAJOR 4		/* virtual consoles 4:0..63, serial above */
#define VT_LAST_MINOR 63
#define TTYAUX_MAJOR 5		/* /dev/console is 5:1 */
#define CONSOLE_MINOR 1
#define PTY_SLAVE_MAJOR 136	/* devpts numbers slave N as 136:N */
#define PROVIDERS_MAX 64

/* A provider's binary, once checked. */
struct binary {
	bool ok;		/* passed every check */
	dev_t dev;
	ino_t ino;
};

static bool
root_safe(const struct stat *st)
{
	return st->st_uid == 0 && (st->st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

static int
check_name(const struct ix_stream_provider *p, struct ix_err *err)
{
	size_t len = p->name ? strlen(p->name) : 0;

	if (len == 0 || len > IX_STREAM_PROVIDER_NAME_MAX)
		return ix_err_set(err, IX_EINVAL,
		    "provider name must have 1 to %d characters",
		    IX_STREAM_PROVIDER_NAME_MAX);
	if (strspn(p->name, "abcdefghijklmnopqrstuvwxyz"
		   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != len)
		return ix_err_set(err, IX_EINVAL,
		    "provider '%s': a name has only letters, digits, '.', '_' "
		    "and '-'", p->name);
	return 0;
}

/*
 * Opens one component below dir without following a link and checks it:
 * a root-owned directory not writable by group or other, or for the last
 * component a regular file with the same owner and mode rules. Returns the
 * new descriptor (O_PATH) with its stat in *st, or -1.
 */
static int
open_component(int dir, const char *comp, bool last,
	       const struct ix_stream_provider *p, struct stat *st,
	       struct ix_err *err)
{
	int fd = openat(dir, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC |
			(last ? 0 : O_DIRECTORY));

	if (fd < 0) {
		if (errno == ENOTDIR)
			return ix_err_set(err, IX_EINVAL,
			    "provider '%s': %s: '%s' is not a directory "
			    "(symbolic links are refused)", p->name, p->path,
			    comp);
		return ix_err_sys(err, "provider '%s': %s: '%s'", p->name,
				  p->path, comp);
	}
	if (fstat(fd, st) < 0) {
		ix_err_sys(err, "provider '%s': %s", p->name, p->path);
		close(fd);
		return -1;
	}
	if (last && !S_ISREG(st->st_mode)) {
		close(fd);
		return ix_err_set(err, IX_EINVAL,
		    "provider '%s': %s is not a regular file%s", p->name,
		    p->path, S_ISLNK(st->st_mode) ?
		    " (symbolic links are refused)" : "");
	}
	if (!root_safe(st)) {
		close(fd);
		return ix_err_set(err, IX_EINVAL,
		    "provider '%s': %s: %s '%s' is not owned by root or is "
		    "writable by group or other", p->name, p->path,
		    last ? "file" : "directory", comp);
	}
	return fd;
}

/* Resolves p's binary from "/" component by component (see streamid.h). */
static int
check_binary(const struct ix_stream_provider *p, struct binary *b,
	     struct ix_err *err)
{
	char comp[NAME_MAX + 1];
	const char *c;
	struct stat st;
	size_t len;
	int dir, next;
	bool last;

	memset(b, 0, sizeof *b);
	if (check_name(p, err) < 0)
		return -1;
	if (p->path == NULL || p->path[0] != '/' ||
	    strnlen(p->path, PATH_MAX) >= PATH_MAX)
		return ix_err_set(err, IX_EINVAL,
		    "provider '%s': the binary needs an absolute path shorter "
		    "than %d bytes", p->name, PATH_MAX);
	dir = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return ix_err_sys(err, "provider '%s': /", p->name);
	if (fstat(dir, &st) < 0 || !root_safe(&st)) {
		close(dir);
		return ix_err_set(err, IX_EINVAL,
		    "provider '%s': / is not owned by root or is writable by "
		    "group or other", p->name);
	}
	for (c = p->path;;) {
		c += strspn(c, "/");
		len = strcspn(c, "/");
		if (len == 0 || len > NAME_MAX ||
		    (len == 1 && c[0] == '.') ||
		    (len == 2 && c[0] == '.' && c[1] == '.')) {
			close(dir);
			return ix_err_set(err, IX_EINVAL,
			    "provider '%s': %s: a component is empty, too long, "
			    "'.' or '..'", p->name,
			    p->path);
		}
		memcpy(comp, c, len);
		comp[len] = '\0';
		c += len;
		if (*c == '/' && c[strspn(c, "/")] == '\0') {
			close(dir);
			return ix_err_set(err, IX_EINVAL,
			    "provider '%s': %s: the path ends with '/'",
			    p->name, p->path);
		}
		last = *c == '\0';
		next = open_component(dir, comp, last, p, &st, err);
		close(dir);
		if (next < 0)
			return -1;
		dir = next;
		if (last)
			break;
	}
	close(dir);
	b->ok = true;
	b->dev = st.st_dev;
	b->ino = st.st_ino;
	return 0;
}

int
ix_stream_providers_check(const struct ix_stream_provider *prov,
			  size_t nprov, struct ix_err *err)
{
	struct binary b;
	size_t i;

	if (nprov > PROVIDERS_MAX)
		return ix_err_set(err, IX_ELIMIT,
		    "%zu terminal providers, at most %d", nprov, PROVIDERS_MAX);
	for (i = 0; i < nprov; i++)
		if (check_binary(&prov[i], &b, err) < 0)
			return -1;
	return 0;
}

/*
 * Whether the slave open on fd (stat st, index n) is /dev/pts/n of this
 * mount namespace: the same inode, reached without following links.
 */
static int
is_own_pts(const struct stat *st, unsigned long n, bool *own,
	   struct ix_err *err)
{
	struct stat node;
	struct statfs sf;
	char num[24];
	int dir, fd;

	*own = false;
	dir = open("/dev/pts", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		return ix_err_sys(err, "/dev/pts");
	}
	if (fstatfs(dir, &sf) < 0) {
		ix_err_sys(err, "/dev/pts");
		close(dir);
		return -1;
	}
	if (sf.f_type != DEVPTS_SUPER_MAGIC) {
		close(dir);
		return 0;
	}
	snprintf(num, sizeof num, "%lu", n);
	fd = openat(dir, num, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	close(dir);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return ix_err_sys(err, "/dev/pts/%s", num);
	}
	if (fstat(fd, &node) < 0) {
		ix_err_sys(err, "/dev/pts/%s", num);
		close(fd);
		return -1;
	}
	close(fd);
	*own = node.st_dev == st->st_dev && node.st_ino == st->st_ino;
	return 0;
}

/* The identifier without provider. *pty true when it is a /dev/pts/N. */
static int
base_id(int fd, char *id, size_t size, bool *pty, struct ix_err *err)
{
	unsigned int ma, mi;
	struct stat st;
	int fl;
	bool own;

	*pty = false;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fstat(fd, &st) < 0)
		return ix_err_sys(err, "descriptor %d", fd);
	snprintf(id, size, "file");
	/* Anyone may hold an O_PATH descriptor on any node they can name,
	 * /dev/tty1 or another user's /dev/pts/N included: it opens nothing. */
	if (fl & O_PATH)
		return 0;
	if (S_ISFIFO(st.st_mode))
		snprintf(id, size, "pipe");
	else if (S_ISSOCK(st.st_mode))
		snprintf(id, size, "socket");
	if (!S_ISCHR(st.st_mode))
		return 0;
	ma = major(st.st_rdev);
	mi = minor(st.st_rdev);
	if (ma == MEM_MAJOR && mi == NULL_MINOR) {
		snprintf(id, size, "null");
	} else if (ma == TTY_MAJOR && mi <= VT_LAST_MINOR) {
		snprintf(id, size, "/dev/tty%u", mi);
	} else if (ma == TTYAUX_MAJOR && mi == CONSOLE_MINOR) {
		snprintf(id, size, "/dev/console");
	} else if (ma == PTY_SLAVE_MAJOR) {
		if (is_own_pts(&st, mi, &own, err) < 0)
			return -1;
		if (own) {
			snprintf(id, size, "/dev/pts/%u", mi);
			*pty = true;
		}
	}
	return 0;
}

/* State of the provider search over the holders of one pty. */
struct match {
	const struct binary *bin;
	size_t n;
	size_t best;		/* index of the first provider seen, or n */
};

static int
match_holder(const struct ix_tty_holder *h, void *arg, struct ix_err *err)
{
	struct match *m = arg;
	size_t i;

	(void)err;
	if (h->opaque || !h->master || h->unsure || h->exe_uid != 0 ||
	    !S_ISREG(h->exe_mode) || (h->exe_mode & (S_IWGRP | S_IWOTH)))
		return 0;
	for (i = 0; i < m->best; i++)
		if (m->bin[i].ok && m->bin[i].dev == h->exe_dev &&
		    m->bin[i].ino == h->exe_ino) {
			m->best = i;
			break;
		}
	return 0;
}

int
ix_stream_id(int fd, const struct ix_stream_provider *prov, size_t nprov,
	     char *buf, size_t size, struct ix_err *err)
{
	struct binary bin[PROVIDERS_MAX];
	struct match m = { .bin = bin, .n = nprov, .best = nprov };
	char id[IX_STREAM_ID_MAX];
	bool pty, any = false;
	size_t i, len;

	if (size > 0)
		buf[0] = '\0';
	if (nprov > PROVIDERS_MAX)
		return ix_err_set(err, IX_ELIMIT,
		    "%zu terminal providers, at most %d", nprov, PROVIDERS_MAX);
	if (base_id(fd, id, sizeof id, &pty, err) < 0)
		return -1;
	if (pty && nprov > 0) {
		for (i = 0; i < nprov; i++)
			any |= check_binary(&prov[i], &bin[i], NULL) == 0;
		if (any && ix_tty_holders_each(fd, match_holder, &m, err) < 0)
			return ix_err_prefix(err, "stream of descriptor %d", fd);
		len = strlen(id);
		if (m.best < nprov)
			snprintf(id + len, sizeof id - len, "@%s",
				 prov[m.best].name);
	}
	len = strlen(id);
	if (len >= size)
		return ix_err_set(err, IX_ELIMIT,
		    "stream identifier '%s' needs %zu bytes, room for %zu",
		    id, len + 1, size);
	memcpy(buf, id, len + 1);
	return 0;
}
