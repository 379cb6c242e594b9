/*
 * The search for other names of labelled files (flabel_links.h).
 *
 * Cost: readdir of each directory searched and one open and fstat per
 * directory; a file costs a comparison of the inode number readdir gives
 * (d_ino), and an fstatat only when it matches. Nothing is searched while
 * every labelled file has as many names as the index knows, which is the
 * rule (labelling refuses a file with more than one name). Measured on an
 * ext4 root of 514,000 entries in 41,000 directories (2 cores), as the
 * time compartctl run takes beyond its usual 48 ms: 0.65 s for the whole
 * filesystem with a warm cache, 4 to 15 s cold; 2 ms for a link in a
 * sibling directory of the known name.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcompart/flabel_links.h"

/* Directory inode numbers searched on one filesystem: open addressing,
 * linear probing, 0 for an empty slot (no directory has inode 0). */
struct seen {
	uint64_t *slot;
	size_t cap, n;
};

static size_t
seen_hash(uint64_t ino, size_t cap)
{
	return (size_t)((ino * 0x9e3779b97f4a7c15ull) >> 17) & (cap - 1);
}

/* 1 when ino was new (and is now recorded), 0 when seen, -1 no memory. */
static int
seen_add(struct seen *s, uint64_t ino)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		struct seen g = { calloc(s->cap ? 2 * s->cap : 1024, sizeof *g.slot),
				  s->cap ? 2 * s->cap : 1024, 0 };
		if (!g.slot)
			return -1;
		for (size_t k = 0; k < s->cap; k++)
			if (s->slot[k])
				seen_add(&g, s->slot[k]);
		free(s->slot);
		*s = g;
	}
	for (i = seen_hash(ino, s->cap); s->slot[i]; i = (i + 1) & (s->cap - 1))
		if (s->slot[i] == ino)
			return 0;
	s->slot[i] = ino;
	s->n++;
	return 1;
}

/* Directories still to read, depth first: their absolute paths. */
struct stack {
	char **v;
	size_t n, cap;
};

static int
push(struct stack *st, const char *dir, const char *name, struct ix_err *err)
{
	char *p;

	if (st->n == st->cap) {
		size_t cap = st->cap ? 2 * st->cap : 64;
		char **v = realloc(st->v, cap * sizeof *v);
		if (!v)
			return ix_err_set(err, IX_ENOMEM, "out of memory");
		st->v = v;
		st->cap = cap;
	}
	if (asprintf(&p, "%s%s%s", dir, name && strcmp(dir, "/") ? "/" : "", name ? name : "") < 0)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	if (strlen(p) >= PATH_MAX) {	/* beyond any path the allowlist can name */
		free(p);
		return 0;
	}
	st->v[st->n++] = p;
	return 0;
}

/* One search: the filesystem dev, the wants on it. */
struct search {
	uint64_t dev;
	struct ix_flink_want *want;
	size_t n;
	ix_flink_found *found;
	void *arg;
	struct seen seen;
	struct stack todo;
	struct ix_err *err;
};

static size_t
missing(const struct search *s)
{
	size_t m = 0;

	for (size_t i = 0; i < s->n; i++)
		if (s->want[i].dev == s->dev)
			m += s->want[i].missing;
	return m;
}

static int
open_dir(const char *path)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof how);
}

/* A regular entry whose d_ino is a wanted inode, confirmed by fstatat
 * (the name may have been replaced since readdir). */
static int
match(struct search *s, int dfd, const char *dir, const char *name, uint64_t d_ino)
{
	char path[PATH_MAX];
	struct stat st;

	for (size_t i = 0; i < s->n; i++) {
		struct ix_flink_want *w = &s->want[i];

		if (w->dev != s->dev || w->ino != d_ino || !w->missing)
			continue;
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode) ||
		    (uint64_t)st.st_dev != w->dev || (uint64_t)st.st_ino != w->ino)
			return 0;
		if (snprintf(path, sizeof path, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", name) >=
		    (int)sizeof path)
			return 0;
		if (!strcmp(path, w->path))
			return 0;
		w->missing--;
		return s->found(s->arg, (size_t)(w - s->want), path, s->err);
	}
	return 0;
}

/* Reads directory path: wanted names reported, subdirectories queued. */
static int
read_dir(struct search *s, const char *path)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int fd = open_dir(path), r;

	if (fd < 0) {
		/* Gone, or replaced by a link, since it was listed. */
		if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
			return 0;
		return ix_err_sys(s->err, "searching %s", path);
	}
	if (fstat(fd, &st) < 0) {
		close(fd);
		return ix_err_sys(s->err, "searching %s", path);
	}
	if ((uint64_t)st.st_dev != s->dev || (r = seen_add(&s->seen, st.st_ino)) == 0) {
		close(fd);
		return 0;	/* another filesystem mounted here, or searched */
	}
	if (r < 0) {
		close(fd);
		return ix_err_set(s->err, IX_ENOMEM, "out of memory");
	}
	if (!(d = fdopendir(fd))) {
		close(fd);
		return ix_err_sys(s->err, "searching %s", path);
	}
	errno = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (de->d_type == DT_UNKNOWN &&
		    fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
			de->d_type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
		if (de->d_type == DT_DIR)
			r = push(&s->todo, path, de->d_name, s->err);
		else if (de->d_type == DT_REG)
			r = match(s, fd, path, de->d_name, de->d_ino);
		else
			r = 0;
		if (r < 0) {
			closedir(d);
			return -1;
		}
		errno = 0;
	}
	r = errno;
	closedir(d);
	if (r) {
		errno = r;
		return ix_err_sys(s->err, "searching %s", path);
	}
	return 0;
}

/* Everything beneath root (on the filesystem) not searched yet. */
static int
search_from(struct search *s, const char *root)
{
	if (push(&s->todo, root, NULL, s->err) < 0)
		return -1;
	while (s->todo.n && missing(s)) {
		char *p = s->todo.v[--s->todo.n];
		int r = read_dir(s, p);

		free(p);
		if (r < 0)
			return -1;
	}
	return 0;
}

/* "/a/b/c" -> "/a/b"; "/a" -> "/". */
static void
parent(char *p)
{
	char *slash = strrchr(p, '/');

	if (slash == p)
		p[1] = 0;
	else if (slash)
		*slash = 0;
}

/* Each ancestor of path on the filesystem, nearest first. */
static int
search_up(struct search *s, const char *path)
{
	char dir[PATH_MAX];
	struct stat st;

	snprintf(dir, sizeof dir, "%s", path);
	while (missing(s) && strcmp(dir, "/")) {
		parent(dir);
		if (stat(dir, &st) < 0 || (uint64_t)st.st_dev != s->dev)
			return 0;
		if (search_from(s, dir) < 0)
			return -1;
	}
	return 0;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void
unescape(char *p)
{
	char *o = p;

	for (; *p; p++, o++) {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
		    p[3] >= '0' && p[3] <= '7') {
			*o = (char)((p[1] - '0') << 6 | (p[2] - '0') << 3 | (p[3] - '0'));
			p += 3;
		} else {
			*o = *p;
		}
	}
	*o = 0;
}

/* The rest of the filesystem: every mount of it (a bind mount of another
 * of its directories) that this namespace shows. */
static int
search_mounts(struct search *s)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL, mp[PATH_MAX];
	size_t size = 0;
	int r = 0;

	if (!f)
		return ix_err_sys(s->err, "reading /proc/self/mountinfo");
	while (r == 0 && missing(s) && getline(&line, &size, f) > 0) {
		struct stat st;

		/* id parent major:minor root mountpoint ... */
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1)
			continue;
		unescape(mp);
		if (mp[0] == '/' && stat(mp, &st) == 0 && (uint64_t)st.st_dev == s->dev)
			r = search_from(s, mp);
	}
	free(line);
	fclose(f);
	return r;
}

int
ix_flabel_find_links(struct ix_flink_want *want, size_t n, ix_flink_found *found, void *arg,
		     struct ix_err *err)
{
	uint64_t *searched = calloc(n ? n : 1, sizeof *searched);
	size_t nsearched = 0;
	int r = 0;

	if (!searched)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	for (size_t i = 0; i < n && r == 0; i++) {
		struct search s = { want[i].dev, want, n, found, arg, { 0 }, { 0 }, err };
		bool again = false;

		for (size_t k = 0; k < nsearched; k++)
			again |= searched[k] == s.dev;
		if (!want[i].missing || again)	/* a filesystem is searched whole, once */
			continue;
		searched[nsearched++] = s.dev;
		for (size_t k = i; k < n && r == 0; k++)
			if (want[k].dev == s.dev && want[k].missing)
				r = search_up(&s, want[k].path);
		if (r == 0)
			r = search_mounts(&s);
		while (s.todo.n)
			free(s.todo.v[--s.todo.n]);
		free(s.todo.v);
		free(s.seen.slot);
	}
	free(searched);
	return r;
}
