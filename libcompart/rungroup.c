/*
 * Run groups (rungroup.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcompart/compart_int.h"
#include "libcompart/rungroup.h"

/* <cgroup2>/ixkit-run, created when create is set. */
static int
parent(bool create, struct ix_err *err)
{
	return ix_cgroup_top(IX_RUNGROUP_PARENT, create, err);
}

static int
end_in(int par, const char *name, int timeout_ms, struct ix_err *err)
{
	char what[IX_COMPART_NAME_MAX + 16];
	int dir = openat(par, name, O_DIRECTORY | O_RDONLY | O_CLOEXEC | O_NOFOLLOW), r;

	if (dir < 0)
		return errno == ENOENT ? 0 : ix_err_sys(err, "opening run group %s", name);
	snprintf(what, sizeof what, "run group %s", name);
	r = ix_cgroup_kill_dir(dir, what, timeout_ms, err);
	close(dir);
	if (r == 0 && unlinkat(par, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		r = ix_err_sys(err, "removing run group %s", name);
	return r;
}

int
ix_rungroup_create(const char *name, struct ix_err *err)
{
	int par, fd = -1;

	if (ix_compart_name_check(name, err) < 0 || (par = parent(true, err)) < 0)
		return -1;
	/* A group of this name is a dead monitor's whose pid came round
	 * again: whatever it still holds is ended first. */
	if (end_in(par, name, 5000, err) == 0) {
		if (mkdirat(par, name, 0755) < 0)
			ix_err_sys(err, "creating run group %s", name);
		else if ((fd = openat(par, name, O_DIRECTORY | O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
			ix_err_sys(err, "opening run group %s", name);
	}
	close(par);
	return fd;
}

int
ix_rungroup_kill_fd(const char *name, struct ix_err *err)
{
	int par = parent(false, err), dir, fd;

	if (par < 0)
		return -1;
	dir = openat(par, name, O_DIRECTORY | O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	close(par);
	if (dir < 0)
		return ix_err_sys(err, "opening run group %s", name);
	fd = openat(dir, "cgroup.kill", O_WRONLY | O_CLOEXEC);
	close(dir);
	if (fd < 0)
		return ix_err_sys(err, "run group %s: opening cgroup.kill", name);
	return fd;
}

int
ix_rungroup_end(const char *name, int timeout_ms, struct ix_err *err)
{
	int par, r;

	if (ix_compart_name_check(name, err) < 0)
		return -1;
	if ((par = parent(false, err)) < 0)
		return err->code == IX_ENOENT ? 0 : -1;
	r = end_in(par, name, timeout_ms, err);
	close(par);
	return r;
}

int
ix_rungroup_list(const char *prefix, char (**names)[IX_COMPART_NAME_MAX + 1], size_t *n,
		 struct ix_err *err)
{
	size_t cap = 0, len = strlen(prefix);
	struct dirent *d;
	DIR *dir;
	int par;

	*names = NULL;
	*n = 0;
	if ((par = parent(false, err)) < 0)
		return err->code == IX_ENOENT ? 0 : -1;
	if ((dir = fdopendir(par)) == NULL) {
		close(par);
		return ix_err_sys(err, "listing %s", IX_RUNGROUP_PARENT);
	}
	while ((d = readdir(dir)) != NULL) {
		if (d->d_type != DT_DIR || strncmp(d->d_name, prefix, len) != 0 ||
		    strlen(d->d_name) > IX_COMPART_NAME_MAX)
			continue;
		if (*n == cap) {
			void *g = realloc(*names, (cap = cap ? 2 * cap : 8) * sizeof **names);

			if (g == NULL) {
				closedir(dir);
				free(*names);
				*names = NULL;
				return ix_err_set(err, IX_ENOMEM, "out of memory");
			}
			*names = g;
		}
		snprintf((*names)[(*n)++], IX_COMPART_NAME_MAX + 1, "%s", d->d_name);
	}
	closedir(dir);
	return 0;
}
