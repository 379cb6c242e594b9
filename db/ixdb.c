/*
 * Opening and closing ixkit.db: the file checks, the connection settings
 * every connection runs with, and the migration to this build's schema.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "db/ixdb_int.h"

/* How long a statement waits for another connection's lock before failing
 * with SQLITE_BUSY. */
#define IXDB_BUSY_TIMEOUT_MS 5000

int
ixdb_err_sqlite(struct ixdb *db, struct ix_err *err, const char *what)
{
	if (db == NULL || db->sq == NULL)
		return ix_err_set(err, IX_EDB, "%s: out of memory", what);
	/* sqlite says only "unable to open database file" (the database, its
	 * -wal or its -shm); the system's reason, most often EACCES for a
	 * reader the files are not readable by, is what a person can act on. */
	if ((sqlite3_errcode(db->sq) & 0xff) == SQLITE_CANTOPEN && sqlite3_system_errno(db->sq) != 0) {
		errno = sqlite3_system_errno(db->sq);
		return ix_err_sys(err, "%s: %s", what, sqlite3_errmsg(db->sq));
	}
	return ix_err_set(err, IX_EDB, "%s: %s", what, sqlite3_errmsg(db->sq));
}

int
ixdb_fsync_parent(const char *path, struct ix_err *err)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd, rc = 0;

	if (slash == NULL)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (dir == NULL)
		return ix_err_set(err, IX_ENOMEM, "%s: out of memory", path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0)
		rc = ix_err_sys(err, "%s: syncing its directory", path);
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

/*
 * Creates the file with mode 0600 unless it exists, so that sqlite never
 * creates it with the process umask. Returns 0 or -1.
 */
static int
create_file(const char *path, struct ix_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0) {
		if (errno == EEXIST)
			return 0;
		return ix_err_sys(err, "%s: cannot create", path);
	}
	/* The umask may have removed bits from 0600. */
	if (fchmod(fd, 0600) < 0 || fsync(fd) < 0) {
		ix_err_sys(err, "%s", path);
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	if (ixdb_fsync_parent(path, err) < 0) {
		unlink(path);
		return -1;
	}
	return 0;
}

/*
 * The database holds the policy and the audit trail: it must be a regular
 * file reached without a final symbolic link, and writable by its owner
 * only (a group- or world-writable policy would let others grant themselves
 * rights).
 */
static int
check_file(const char *path, unsigned flags, struct ix_err *err)
{
	struct stat st;

	if ((flags & IXDB_CREATE) && create_file(path, err) < 0)
		return -1;
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return ix_err_set(err, IX_ENOENT, "%s: no such database", path);
		return ix_err_sys(err, "%s", path);
	}
	if (S_ISLNK(st.st_mode))
		return ix_err_set(err, IX_EINVAL, "%s: is a symbolic link, refused", path);
	if (!S_ISREG(st.st_mode))
		return ix_err_set(err, IX_EINVAL, "%s: not a regular file", path);
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return ix_err_set(err, IX_EDENIED, "%s: writable by group or others (mode %04o), refused",
				  path, (unsigned)(st.st_mode & 07777));
	return 0;
}

/* Reads one text row from a PRAGMA that reports its new value. */
static int
pragma_expect(struct ixdb *db, const char *sql, const char *want, struct ix_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db->sq, sql, -1, &st, NULL) != SQLITE_OK)
		return ixdb_err_sqlite(db, err, sql);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		ixdb_err_sqlite(db, err, sql);
		sqlite3_finalize(st);
		return -1;
	}
	if (sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), want) != 0) {
		ix_err_set(err, IX_EDB, "%s: the database answered '%s'", sql,
			   (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

/* The settings every connection runs with. */
static int
configure(struct ixdb *db, struct ix_err *err)
{
	sqlite3_extended_result_codes(db->sq, 1);
	sqlite3_busy_timeout(db->sq, IXDB_BUSY_TIMEOUT_MS);
	/* A database file is data, not code: no schema-defined functions with
	 * side effects, no writes to sqlite_schema behind sqlite's back. */
	if (sqlite3_db_config(db->sq, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL) != SQLITE_OK ||
	    sqlite3_db_config(db->sq, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL) != SQLITE_OK)
		return ixdb_err_sqlite(db, err, "sqlite3_db_config");
	/* A read-only connection cannot switch the journal; it reads whatever
	 * mode the writers left (WAL). */
	if (!db->readonly && pragma_expect(db, "PRAGMA journal_mode=WAL", "wal", err) < 0)
		return -1;
	/* synchronous=FULL: an acknowledged audit record survives a power cut. */
	return ixdb_exec_raw(db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;", err);
}

int
ixdb_open(const char *path, unsigned flags, struct ixdb **out, struct ix_err *err)
{
	struct ixdb *db;
	int oflags;

	*out = NULL;
	if (path == NULL || path[0] == '\0')
		return ix_err_set(err, IX_EINVAL, "empty database path");
	if ((flags & IXDB_CREATE) && (flags & IXDB_READONLY))
		return ix_err_set(err, IX_EINVAL, "%s: cannot create a database read-only", path);
	/* The chain's hashes need libsodium; sodium_init is idempotent. */
	if (sodium_init() < 0)
		return ix_err_set(err, IX_EDB, "%s: libsodium failed to initialise", path);
	if (check_file(path, flags, err) < 0)
		return -1;
	db = calloc(1, sizeof *db);
	if (db == NULL || (db->path = strdup(path)) == NULL) {
		free(db);
		return ix_err_set(err, IX_ENOMEM, "%s: out of memory", path);
	}
	db->readonly = (flags & IXDB_READONLY) != 0;
	oflags = (db->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
		 SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &db->sq, oflags, NULL) != SQLITE_OK) {
		ixdb_err_sqlite(db, err, path);
		ixdb_close(db);
		return -1;
	}
	ixdb_install_hooks(db);
	if (configure(db, err) < 0 || ixdb_migrate(db, err) < 0) {
		ix_err_prefix(err, "%s", path);
		ixdb_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

void
ixdb_close(struct ixdb *db)
{
	if (db == NULL)
		return;
	if (db->sq != NULL) {
		/* An open transaction dies with the connection; its heads too. */
		sqlite3_close_v2(db->sq);
	}
	ixdb_pending_clear(db);
	free(db->pending);
	free(db->path);
	free(db);
}

sqlite3 *
ixdb_sqlite(struct ixdb *db)
{
	return db->sq;
}

const char *
ixdb_path(const struct ixdb *db)
{
	return db->path;
}

int
ixdb_schema_version(struct ixdb *db)
{
	int v;

	if (ixdb_read_user_version(db, &v, NULL) < 0)
		return -1;
	return v;
}
