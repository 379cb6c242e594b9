/*
 * Compartments as cgroup v2 directories; see compart.h.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "libcompart/compart.h"
#include "libcompart/compart_int.h"
#include "libcompart/flabel.h"

#define XA_LABEL "trusted.ixkit.label"
#define XA_CEILING "trusted.ixkit.ceiling"
#define XA_FLAGS "trusted.ixkit.flags"
#define MOUNTINFO_LINE_MAX 8192

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static int
unescape(const char *in, char *out, size_t size)
{
	size_t o = 0;

	for (const char *p = in; *p; p++) {
		char c = *p;
		if (c == '\\' && p[1] >= '0' && p[1] <= '7' && p[2] >= '0' && p[2] <= '7' &&
		    p[3] >= '0' && p[3] <= '7') {
			c = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
			p += 3;
		}
		if (o + 1 >= size)
			return -1;
		out[o++] = c;
	}
	out[o] = 0;
	return 0;
}

int
ix_cgroup2_mount(char *buf, size_t size, struct ix_err *err)
{
	char line[MOUNTINFO_LINE_MAX];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int found = 0;

	if (!f)
		return ix_err_sys(err, "opening /proc/self/mountinfo");
	while (!found && fgets(line, sizeof line, f)) {
		char *sep = strstr(line, " - "), *mnt, *root, *save = NULL;
		if (!sep || strncmp(sep + 3, "cgroup2 ", 8) != 0)
			continue;
		*sep = 0;
		/* id parent major:minor root mountpoint ... */
		if (!strtok_r(line, " ", &save) || !strtok_r(NULL, " ", &save) ||
		    !strtok_r(NULL, " ", &save) || !(root = strtok_r(NULL, " ", &save)) ||
		    !(mnt = strtok_r(NULL, " ", &save)))
			continue;
		/* A bind mount of a sub-cgroup is not the hierarchy's root. */
		if (strcmp(root, "/") != 0)
			continue;
		if (unescape(mnt, buf, size) < 0) {
			fclose(f);
			return ix_err_set(err, IX_ELIMIT, "cgroup2 mount point is longer than %zu bytes", size);
		}
		found = 1;
	}
	fclose(f);
	if (!found)
		return ix_err_set(err, IX_ENOENT, "no cgroup2 hierarchy is mounted (see /proc/self/mountinfo)");
	return 0;
}

int
ix_compart_name_check(const char *name, struct ix_err *err)
{
	size_t n = strlen(name);

	if (n == 0 || n > IX_COMPART_NAME_MAX)
		return ix_err_set(err, IX_EINVAL, "compartment name must be 1 to %d characters",
				  IX_COMPART_NAME_MAX);
	if (!islower((unsigned char)name[0]) && !isdigit((unsigned char)name[0]))
		return ix_err_set(err, IX_EINVAL,
				  "compartment name '%s' must start with a lower-case letter or digit", name);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (!islower(c) && !isdigit(c) && c != '_' && c != '-' && c != '.')
			return ix_err_set(err, IX_EINVAL,
					  "compartment name '%s': character %zu is not [a-z0-9_.-]", name, i + 1);
	}
	return 0;
}

int
ix_cgroup_top(const char *dir, bool create, struct ix_err *err)
{
	char mnt[PATH_MAX];
	int root, fd;

	if (ix_cgroup2_mount(mnt, sizeof mnt, err) < 0)
		return -1;
	root = open(mnt, O_DIRECTORY | O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (root < 0)
		return ix_err_sys(err, "opening the cgroup2 mount %s", mnt);
	if (create && mkdirat(root, dir, 0755) < 0 && errno != EEXIST) {
		ix_err_sys(err, "creating %s/%s", mnt, dir);
		close(root);
		return -1;
	}
	fd = openat(root, dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			ix_err_set(err, IX_ENOENT, "%s/%s is absent", mnt, dir);
		else
			ix_err_sys(err, "opening %s/%s", mnt, dir);
	}
	close(root);
	return fd;
}

/* Opens <cgroup2>/ixkit, creating it when create is set. */
int
ix_compart_parent(bool create, struct ix_err *err)
{
	int fd = ix_cgroup_top(IX_COMPART_PARENT, create, err);

	if (fd < 0 && err->code == IX_ENOENT)
		ix_err_prefix(err, "no compartments exist");
	return fd;
}

static int
open_named(const char *name, struct ix_err *err)
{
	int parent, fd;

	if (ix_compart_name_check(name, err) < 0)
		return -1;
	parent = ix_compart_parent(false, err);
	if (parent < 0)
		return -1;
	fd = openat(parent, name, O_DIRECTORY | O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	close(parent);
	if (fd < 0) {
		if (errno == ENOENT)
			return ix_err_set(err, IX_ENOENT, "no compartment '%s'", name);
		return ix_err_sys(err, "opening compartment '%s'", name);
	}
	return fd;
}

int
ix_compart_open(const char *name, struct ix_err *err)
{
	return open_named(name, err);
}

static int
put_label(int fd, const char *xa, const struct ix_label *l, struct ix_err *err)
{
	uint8_t buf[IX_FLABEL_SIZE];

	if (ix_flabel_encode(l, buf, err) < 0)
		return -1;
	if (fsetxattr(fd, xa, buf, sizeof buf, 0) < 0)
		return ix_err_sys(err, "setting %s on the compartment", xa);
	return 0;
}

static int
get_label(int fd, const char *xa, struct ix_label *l, struct ix_err *err)
{
	uint8_t buf[IX_FLABEL_SIZE + 1];
	ssize_t n = fgetxattr(fd, xa, buf, sizeof buf);

	if (n < 0)
		return ix_err_sys(err, "reading %s of the compartment", xa);
	return ix_flabel_decode(buf, (size_t)n, l, err);
}

/* Reads the record of the compartment directory open on fd. */
int
ix_compart_read(int fd, const char *name, struct ix_compart *out, struct ix_err *err)
{
	uint8_t fl[4];
	struct stat st;

	memset(out, 0, sizeof *out);
	snprintf(out->name, sizeof out->name, "%s", name);
	if (get_label(fd, XA_LABEL, &out->label, err) < 0 ||
	    get_label(fd, XA_CEILING, &out->ceiling, err) < 0)
		return ix_err_prefix(err, "compartment '%s'", name);
	if (fgetxattr(fd, XA_FLAGS, fl, sizeof fl) != sizeof fl)
		return ix_err_sys(err, "compartment '%s': reading its flags", name);
	out->flags = (uint32_t)fl[0] | (uint32_t)fl[1] << 8 | (uint32_t)fl[2] << 16 |
		     (uint32_t)fl[3] << 24;
	if (fstat(fd, &st) < 0)
		return ix_err_sys(err, "compartment '%s'", name);
	out->id = st.st_ino;
	return 0;
}

int
ix_compart_create(struct ix_compart *c, struct ix_err *err)
{
	uint8_t fl[4] = { (uint8_t)c->flags, (uint8_t)(c->flags >> 8),
			  (uint8_t)(c->flags >> 16), (uint8_t)(c->flags >> 24) };
	int parent, fd;
	struct stat st;

	if (ix_compart_name_check(c->name, err) < 0)
		return -1;
	if (c->flags & ~IX_TASK_SEALED)
		return ix_err_set(err, IX_EINVAL, "compartment '%s': unknown flags 0x%x", c->name,
				  c->flags);
	if (!ix_label_le(&c->label, &c->ceiling))
		return ix_err_set(err, IX_EINVAL, "compartment '%s': label is not below its ceiling",
				  c->name);
	parent = ix_compart_parent(true, err);
	if (parent < 0)
		return -1;
	if (mkdirat(parent, c->name, 0755) < 0) {
		if (errno == EEXIST)
			ix_err_set(err, IX_EEXIST, "compartment '%s' already exists", c->name);
		else
			ix_err_sys(err, "creating compartment '%s'", c->name);
		close(parent);
		return -1;
	}
	fd = openat(parent, c->name, O_DIRECTORY | O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		ix_err_sys(err, "opening compartment '%s'", c->name);
		goto undo;
	}
	/* Flags last: a directory without them is incomplete and unreadable
	 * (ix_compart_read fails), never a compartment with default flags. */
	if (put_label(fd, XA_LABEL, &c->label, err) < 0 ||
	    put_label(fd, XA_CEILING, &c->ceiling, err) < 0)
		goto undo;
	if (fsetxattr(fd, XA_FLAGS, fl, sizeof fl, 0) < 0) {
		ix_err_sys(err, "setting the flags of compartment '%s'", c->name);
		goto undo;
	}
	if (fstat(fd, &st) < 0) {
		ix_err_sys(err, "compartment '%s'", c->name);
		goto undo;
	}
	c->id = st.st_ino;
	close(fd);
	close(parent);
	return 0;
undo:
	if (fd >= 0)
		close(fd);
	unlinkat(parent, c->name, AT_REMOVEDIR);
	close(parent);
	return -1;
}

int
ix_compart_remove(const char *name, struct ix_err *err)
{
	int parent;

	if (ix_compart_name_check(name, err) < 0)
		return -1;
	parent = ix_compart_parent(false, err);
	if (parent < 0)
		return -1;
	if (unlinkat(parent, name, AT_REMOVEDIR) < 0) {
		int e = errno;
		close(parent);
		if (e == ENOENT)
			return ix_err_set(err, IX_ENOENT, "no compartment '%s'", name);
		if (e == EBUSY || e == ENOTEMPTY) {
			pid_t *pids = NULL;
			size_t n = 0;
			struct ix_err e2;
			if (ix_compart_pids(name, &pids, &n, &e2) == 0 && n > 0) {
				ix_err_set(err, IX_ECONFLICT,
					   "compartment '%s' still holds %zu process%s (pid %d first)",
					   name, n, n == 1 ? "" : "es", (int)pids[0]);
				free(pids);
				return -1;
			}
			free(pids);
			return ix_err_set(err, IX_ECONFLICT, "compartment '%s' is busy", name);
		}
		errno = e;
		return ix_err_sys(err, "removing compartment '%s'", name);
	}
	close(parent);
	return 0;
}

int
ix_compart_get(const char *name, struct ix_compart *out, struct ix_err *err)
{
	int fd = open_named(name, err), r;

	if (fd < 0)
		return -1;
	r = ix_compart_read(fd, name, out, err);
	close(fd);
	return r;
}

static int
cmp_compart(const void *a, const void *b)
{
	return strcmp(((const struct ix_compart *)a)->name, ((const struct ix_compart *)b)->name);
}

int
ix_compart_list(struct ix_compart **out, size_t *n, struct ix_err *err)
{
	struct ix_compart *v = NULL;
	size_t cnt = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int parent;

	*out = NULL;
	*n = 0;
	parent = ix_compart_parent(false, err);
	if (parent < 0)
		return err->code == IX_ENOENT ? 0 : -1;
	d = fdopendir(parent);
	if (!d) {
		close(parent);
		return ix_err_sys(err, "listing compartments");
	}
	while ((de = readdir(d))) {
		struct ix_err e2;
		int fd;
		if (de->d_type != DT_DIR || ix_compart_name_check(de->d_name, &e2) < 0)
			continue;
		if (cnt == cap) {
			struct ix_compart *nv;
			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof *v);
			if (!nv)
				goto nomem;
			v = nv;
		}
		fd = openat(dirfd(d), de->d_name, O_DIRECTORY | O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			continue;	/* removed meanwhile */
		if (ix_compart_read(fd, de->d_name, &v[cnt], err) < 0) {
			close(fd);
			closedir(d);
			free(v);
			return -1;
		}
		close(fd);
		cnt++;
	}
	closedir(d);
	if (cnt)
		qsort(v, cnt, sizeof *v, cmp_compart);
	*out = v;
	*n = cnt;
	return 0;
nomem:
	closedir(d);
	free(v);
	return ix_err_set(err, IX_ENOMEM, "listing compartments: out of memory");
}
