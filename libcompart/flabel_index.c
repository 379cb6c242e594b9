/*
 * The labelled-file index (flabel_index.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "libcompart/flabel.h"
#include "libcompart/flabel_index.h"

/* The path the kernel has for the open file: no symlink, no "..". */
static int
canonical(int fd, char *buf, size_t size, struct ix_err *err)
{
	char link[32];
	ssize_t n;

	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, buf, size - 1);
	if (n < 0)
		return ix_err_sys(err, "resolving descriptor %d", fd);
	if ((size_t)n == size - 1)
		return ix_err_set(err, IX_ELIMIT, "path of descriptor %d is too long", fd);
	buf[n] = 0;
	if (buf[0] != '/' || strstr(buf, " (deleted)"))
		return ix_err_set(err, IX_EINVAL, "descriptor %d has no path in this namespace (%s)", fd, buf);
	return 0;
}

static int
sq_fail(struct ixdb *db, sqlite3_stmt *st, struct ix_err *err, const char *what)
{
	ix_err_set(err, IX_EDB, "label index: %s: %s", what, sqlite3_errmsg(ixdb_sqlite(db)));
	sqlite3_finalize(st);
	return -1;
}

static int
set_here(void *arg, int fd, const struct ix_label *l, struct ix_err *err)
{
	(void)arg;
	return ix_flabel_set_fd(fd, l, err);
}

int
ix_flabel_label(struct ixdb *db, int fd, const struct ix_label *l, struct ix_err *err)
{
	return ix_flabel_label_via(db, fd, l, set_here, NULL, err);
}

int
ix_flabel_label_via(struct ixdb *db, int fd, const struct ix_label *l, ix_flabel_setter *set,
		    void *arg, struct ix_err *err)
{
	uint8_t enc[IX_FLABEL_SIZE];
	char path[PATH_MAX];
	sqlite3_stmt *st = NULL;
	struct stat sb;

	if (fstat(fd, &sb) < 0)
		return ix_err_sys(err, "descriptor %d", fd);
	if (!S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode))
		return ix_err_set(err, IX_EINVAL, "only regular files and directories take labels");
	if (canonical(fd, path, sizeof path, err) < 0)
		return -1;
	if (l && ix_flabel_encode(l, enc, err) < 0)
		return -1;
	if (ixdb_begin(db, err) < 0)
		return -1;
	if (l) {
		if (sqlite3_prepare_v2(ixdb_sqlite(db),
				       "INSERT INTO file_labels(path, dev, ino, label, set_at) VALUES (?1, ?2, ?3, ?4, ?5) "
				       "ON CONFLICT(path) DO UPDATE SET dev = ?2, ino = ?3, label = ?4, set_at = ?5",
				       -1, &st, NULL) != SQLITE_OK)
			goto dbfail;
		sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)sb.st_dev);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)sb.st_ino);
		sqlite3_bind_blob(st, 4, enc, sizeof enc, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
	} else {
		if (sqlite3_prepare_v2(ixdb_sqlite(db), "DELETE FROM file_labels WHERE path = ?1", -1, &st,
				       NULL) != SQLITE_OK)
			goto dbfail;
		sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		goto dbfail;
	sqlite3_finalize(st);
	/* The xattr last: if it fails the row goes with the rollback. If the
	 * commit fails after it, the file is labelled but unindexed, which
	 * tier 1 still enforces; the error says so. */
	if (set(arg, fd, l, err) < 0) {
		ixdb_rollback(db);
		return ix_err_prefix(err, "%s", path);
	}
	if (ixdb_commit(db, err) < 0)
		return ix_err_prefix(err, "%s is labelled but its index entry was not saved", path);
	return 0;
dbfail:
	ixdb_rollback(db);
	return sq_fail(db, st, err, path);
}

static int
open_exact(const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof how);
}

void
ix_flabel_index_free(struct ix_labelled_file *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free((char *)v[i].path);
	free(v);
}

int
ix_flabel_index_load(struct ixdb *db, struct ix_labelled_file **out, size_t *n, size_t *stale,
		     struct ix_err *err)
{
	struct ix_labelled_file *v = NULL;
	size_t cnt = 0, cap = 0;
	sqlite3_stmt *st = NULL;
	int rc;

	*out = NULL;
	*n = *stale = 0;
	if (sqlite3_prepare_v2(ixdb_sqlite(db), "SELECT path FROM file_labels ORDER BY path", -1, &st,
			       NULL) != SQLITE_OK)
		return sq_fail(db, st, err, "reading");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(st, 0);
		struct ix_labelled_file f = { 0 };
		struct stat sb;
		bool labelled = false;
		int fd;

		if (!path || (fd = open_exact(path)) < 0) {
			(*stale)++;
			continue;
		}
		if (fstat(fd, &sb) < 0) {
			close(fd);
			(*stale)++;
			continue;
		}
		if (ix_flabel_get(fd, &f.label, &labelled, err) < 0) {
			close(fd);
			/* A label that is there but cannot be decoded must not
			 * be read as "unlabelled": no allowlist at all. */
			if (err->code != IX_ESYS)
				goto fail;
			(*stale)++;
			continue;
		}
		close(fd);
		if (!labelled) {
			(*stale)++;
			continue;
		}
		if (cnt == cap) {
			struct ix_labelled_file *nv;
			cap = cap ? cap * 2 : 32;
			if (!(nv = realloc(v, cap * sizeof *v)))
				goto nomem;
			v = nv;
		}
		f.is_dir = S_ISDIR(sb.st_mode);
		if (!(f.path = strdup(path)))
			goto nomem;
		v[cnt++] = f;
	}
	if (rc != SQLITE_DONE) {
		sq_fail(db, st, err, "reading");
		ix_flabel_index_free(v, cnt);
		return -1;
	}
	sqlite3_finalize(st);
	*out = v;
	*n = cnt;
	return 0;
nomem:
	ix_err_set(err, IX_ENOMEM, "out of memory");
fail:
	sqlite3_finalize(st);
	ix_flabel_index_free(v, cnt);
	return -1;
}
