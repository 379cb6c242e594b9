/*
 * The labelled-file index (flabel_index.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "libcompart/flabel.h"
#include "libcompart/flabel_index.h"
#include "libcompart/flabel_links.h"

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

/* One statement of a row change: ?1 path, ?2 dev, ?3 ino, ?4 label,
 * ?5 time, as many as sql names. */
static int
row_step(struct ixdb *db, const char *sql, const char *path, const struct stat *sb,
	 const uint8_t enc[IX_FLABEL_SIZE], struct ix_err *err)
{
	sqlite3_stmt *st = NULL;
	int n;

	if (sqlite3_prepare_v2(ixdb_sqlite(db), sql, -1, &st, NULL) != SQLITE_OK)
		return sq_fail(db, st, err, path);
	n = sqlite3_bind_parameter_count(st);
	sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)sb->st_dev);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)sb->st_ino);
	if (n >= 4)
		sqlite3_bind_blob(st, 4, enc, IX_FLABEL_SIZE, SQLITE_TRANSIENT);
	if (n >= 5)
		sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
	if (sqlite3_step(st) != SQLITE_DONE)
		return sq_fail(db, st, err, path);
	sqlite3_finalize(st);
	return 0;
}

int
ix_flabel_label_via(struct ixdb *db, int fd, const struct ix_label *l, ix_flabel_setter *set,
		    void *arg, struct ix_err *err)
{
	uint8_t enc[IX_FLABEL_SIZE] = { 0 };
	char path[PATH_MAX];
	struct stat sb;

	if (fstat(fd, &sb) < 0)
		return ix_err_sys(err, "descriptor %d", fd);
	if (!S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode))
		return ix_err_set(err, IX_EINVAL, "only regular files and directories take labels");
	if (canonical(fd, path, sizeof path, err) < 0)
		return -1;
	/* Here, under every tool: the label would be on the inode, and
	 * tier 2 would keep it out under this name alone. (A link made
	 * after this check is one made after labelling: searched for.) */
	if (l && S_ISREG(sb.st_mode) && sb.st_nlink > 1)
		return ix_err_set(err, IX_EDENIED, "%s has %lu hard links: a labelled file has one "
				  "name, or its others would escape tier 2's allowlists; remove them "
				  "first (find them with find -xdev -samefile)", path,
				  (unsigned long)sb.st_nlink);
	if (l && ix_flabel_encode(l, enc, err) < 0)
		return -1;
	if (ixdb_begin(db, err) < 0)
		return -1;
	if (l ? row_step(db, "DELETE FROM file_labels WHERE path = ?1 AND NOT (dev = ?2 AND ino = ?3)",
			 path, &sb, enc, err) < 0 ||
		row_step(db, "INSERT INTO file_labels(path, dev, ino, label, set_at) "
			     "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(dev, ino) "
			     "DO UPDATE SET path = ?1, label = ?4, set_at = ?5",
			 path, &sb, enc, err) < 0
	      : row_step(db, "DELETE FROM file_labels WHERE (dev = ?2 AND ino = ?3) OR path = ?1",
			 path, &sb, enc, err) < 0) {
		ixdb_rollback(db);
		return -1;
	}
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

/* What a read of the index has found so far. */
struct loaded {
	struct ix_labelled_file *v;	/* one entry per name */
	nlink_t *nlink;			/* v[i]'s link count (0: a name found, a directory) */
	size_t n, cap;
	size_t problems;
	ix_flabel_report *report;	/* NULL: only counted */
	void *arg;
	size_t *of;			/* a search's want i is v[of[i]] */
};

static void
problem(struct loaded *L, const char *path, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	L->problems++;
	if (!L->report)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	L->report(L->arg, path, what);
}

static int
add(struct loaded *L, const char *path, const struct ix_label *l, bool is_dir, uint64_t dev,
    uint64_t ino, nlink_t nlink, struct ix_err *err)
{
	char *p;

	if (L->n == L->cap) {
		size_t cap = L->cap ? 2 * L->cap : 32;
		struct ix_labelled_file *v = realloc(L->v, cap * sizeof *v);
		nlink_t *nl;

		if (v)
			L->v = v;
		if (!v || !(nl = realloc(L->nlink, cap * sizeof *nl)))
			return ix_err_set(err, IX_ENOMEM, "out of memory");
		L->nlink = nl;
		L->cap = cap;
	}
	if (!(p = strdup(path)))
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	L->v[L->n] = (struct ix_labelled_file){ p, *l, is_dir, dev, ino };
	L->nlink[L->n++] = nlink;
	return 0;
}

/* One row: the file its hint names now, if it is labelled. */
static int
resolve(struct loaded *L, uint64_t dev, uint64_t ino, const char *path, struct ix_err *err)
{
	struct ix_label l;
	struct stat st;
	bool labelled = false, same;
	int fd = open_exact(path);

	if (fd < 0 || fstat(fd, &st) < 0) {
		problem(L, path, "%s: the file labelled under this name (device %u:%u, inode %llu) "
			"was moved or removed; label it again where it is now", strerror(errno),
			major((dev_t)dev), minor((dev_t)dev), (unsigned long long)ino);
		if (fd >= 0)
			close(fd);
		return 0;
	}
	same = (uint64_t)st.st_dev == dev && (uint64_t)st.st_ino == ino;
	if (ix_flabel_get(fd, &l, &labelled, err) < 0) {
		close(fd);
		/* A label that is there but cannot be decoded must not be
		 * read as "unlabelled": no allowlist at all. */
		if (err->code != IX_ESYS)
			return ix_err_prefix(err, "%s", path);
		problem(L, path, "its label cannot be read: %s", err->msg);
		return 0;
	}
	close(fd);
	if (!same)
		problem(L, path, "names another file (inode %llu) than the one labelled under it "
			"(inode %llu), which was moved or replaced%s", (unsigned long long)st.st_ino,
			(unsigned long long)ino, labelled ? "; this one is labelled, and kept out" : "");
	else if (!labelled)
		problem(L, path, "has lost its label outside ixkit");
	if (!labelled)
		return 0;
	return add(L, path, &l, S_ISDIR(st.st_mode), (uint64_t)st.st_dev, (uint64_t)st.st_ino,
		   S_ISREG(st.st_mode) ? st.st_nlink : 0, err);
}

static int
found(void *arg, size_t i, const char *path, struct ix_err *err)
{
	struct loaded *L = arg;
	struct ix_labelled_file f = L->v[L->of[i]];

	for (size_t k = 0; k < L->n; k++)
		if (!strcmp(L->v[k].path, path))
			return 0;	/* a name the index gave too */
	problem(L, path, "another name of %s, linked after it was labelled: kept out as it is; "
		"remove it unless it is meant", f.path);
	return add(L, path, &f.label, false, f.dev, f.ino, 0, err);
}

/* The names of labelled files beyond those the rows gave. */
static int
find_links(struct loaded *L, struct ix_err *err)
{
	struct ix_flink_want *want = calloc(L->n ? L->n : 1, sizeof *want);
	size_t n = 0, rows = L->n;
	int r;

	L->of = calloc(L->n ? L->n : 1, sizeof *L->of);
	if (!want || !L->of) {
		free(want);
		free(L->of);
		L->of = NULL;
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < rows; i++) {
		size_t known = 0;
		bool first = true;

		if (L->nlink[i] <= 1)	/* the rule: nothing to count */
			continue;
		for (size_t k = 0; k < rows; k++)
			if (L->v[k].dev == L->v[i].dev && L->v[k].ino == L->v[i].ino) {
				first &= k >= i;
				known++;
			}
		if (!first || L->nlink[i] <= known)
			continue;
		want[n] = (struct ix_flink_want){ L->v[i].dev, L->v[i].ino, L->v[i].path,
						  L->nlink[i] - 1 };
		L->of[n++] = i;
	}
	r = n ? ix_flabel_find_links(want, n, found, L, err) : 0;
	for (size_t i = 0; r == 0 && i < n; i++)
		if (want[i].missing)
			problem(L, want[i].path, "names not found from here, so not kept out: %zu "
				"of its %lu", want[i].missing, (unsigned long)L->nlink[L->of[i]]);
	if (r < 0)
		ix_err_prefix(err, "the other names of labelled files");
	free(want);
	free(L->of);
	L->of = NULL;
	return r;
}

static int
load(struct ixdb *db, struct loaded *L, struct ix_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(ixdb_sqlite(db), "SELECT dev, ino, path FROM file_labels ORDER BY path",
			       -1, &st, NULL) != SQLITE_OK)
		return sq_fail(db, st, err, "reading");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(st, 2);

		if (path && resolve(L, (uint64_t)sqlite3_column_int64(st, 0),
				    (uint64_t)sqlite3_column_int64(st, 1), path, err) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	if (rc != SQLITE_DONE)
		return sq_fail(db, st, err, "reading");
	sqlite3_finalize(st);
	return find_links(L, err);
}

int
ix_flabel_index_load(struct ixdb *db, struct ix_labelled_file **out, size_t *n, size_t *problems,
		     struct ix_err *err)
{
	struct loaded L = { 0 };
	int r = load(db, &L, err);

	free(L.nlink);
	if (r < 0) {
		ix_flabel_index_free(L.v, L.n);
		L = (struct loaded){ 0 };
	}
	*out = L.v;
	*n = L.n;
	*problems = L.problems;
	return r;
}

int
ix_flabel_index_check(struct ixdb *db, ix_flabel_report *report, void *arg, size_t *files,
		      size_t *problems, struct ix_err *err)
{
	struct loaded L = { .report = report, .arg = arg };
	int r = load(db, &L, err);

	free(L.nlink);
	ix_flabel_index_free(L.v, L.n);
	*files = r < 0 ? 0 : L.n;
	*problems = L.problems;
	return r;
}
