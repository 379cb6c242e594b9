/*
 * The secrets database. Opening follows db/ixdb.c (create 0600 with
 * O_EXCL|O_NOFOLLOW, checks on the descriptor, WAL, synchronous=FULL) but
 * with its own schema (schema.sql and the migrations after it, compiled
 * in) and user_version.
 * secure_delete overwrites freed pages so a replaced hash or key does not
 * linger in the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include <sqlite3.h>

#include "passwdd/store_int.h"

#define BUSY_TIMEOUT_MS 10000

/* The schema of version 1, then each migration in order: a new database
 * runs them all, an older one those past its version (forward only, as
 * db/migrations.c), so both end with the same tables. */
static const char schema_sql[] =
#include "passwdd/schema.h"
	;
static const char schema2_sql[] =
#include "passwdd/schema-2.h"
	;
static const struct {
	int version;		/* user_version once sql has run */
	const char *sql;
} migrations[] = {
	{ 1, schema_sql },
	{ 2, schema2_sql },
};
#define NMIGRATIONS (sizeof migrations / sizeof migrations[0])
_Static_assert(PW_SCHEMA_VERSION == 2, "PW_SCHEMA_VERSION must be the last migration's version");

int
pw_sq_err(struct pw_store *st, struct ix_err *err, const char *what)
{
	return ix_err_set(err, IX_EDB, "secrets database: %s: %s", what,
			  st != NULL && st->sq != NULL ? sqlite3_errmsg(st->sq) : "out of memory");
}

int
pw_user_name_check(const char *name, struct ix_err *err)
{
	size_t i, n = name != NULL ? strnlen(name, PW_USER_MAX + 1) : 0;

	if (n == 0 || n > PW_USER_MAX || name[0] == '-')
		return ix_err_set(err, IX_EINVAL, "bad user name (1 to %d characters, not starting with '-')",
				  PW_USER_MAX);
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return ix_err_set(err, IX_EINVAL, "bad character in user name at %zu", i + 1);
	}
	return 0;
}

int
pw_sq_exec(struct pw_store *st, const char *sql, struct ix_err *err)
{
	if (sqlite3_exec(st->sq, sql, NULL, NULL, NULL) != SQLITE_OK)
		return pw_sq_err(st, err, sql);
	return 0;
}

sqlite3_stmt *
pw_sq_prep(struct pw_store *st, const char *sql, struct ix_err *err)
{
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(st->sq, sql, -1, &s, NULL) != SQLITE_OK) {
		pw_sq_err(st, err, "preparing a statement");
		return NULL;
	}
	return s;
}

/* Runs a statement to completion; returns 0 or -1. Finalizes it. */
int
pw_sq_run(struct pw_store *st, sqlite3_stmt *s, struct ix_err *err)
{
	int rc = sqlite3_step(s);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		pw_sq_err(st, err, "writing");
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	return 0;
}

int
pw_sq_begin(struct pw_store *st, struct ix_err *err)
{
	return pw_sq_exec(st, "BEGIN IMMEDIATE", err);
}

static int
commit(struct pw_store *st, struct ix_err *err)
{
	if (pw_sq_exec(st, "COMMIT", err) < 0) {
		sqlite3_exec(st->sq, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

void
pw_sq_rollback(struct pw_store *st)
{
	if (!sqlite3_get_autocommit(st->sq))
		sqlite3_exec(st->sq, "ROLLBACK", NULL, NULL, NULL);
}

/* Ends the transaction: commits when rc is 0, else rolls back. */
int
pw_sq_finish(struct pw_store *st, int rc, struct ix_err *err)
{
	if (rc < 0) {
		pw_sq_rollback(st);
		return -1;
	}
	return commit(st, err);
}

/* Whether the statement s (finalized here) returns a row: 1, 0, or -1. */
static int
any_row(struct pw_store *st, sqlite3_stmt *s, struct ix_err *err)
{
	int rc;

	if (s == NULL)
		return -1;
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pw_sq_err(st, err, "reading");
	return rc == SQLITE_ROW;
}

/*
 * Housekeeping deletes look first, so that the common case (nothing to
 * delete) takes no write lock: a writer makes every other worker's writer
 * wait, and SQLite's busy handler waits in steps of milliseconds. A row
 * added between the look and the delete was added after it, as if after
 * a delete that found it.
 */
int
pw_sq_delete_found(struct pw_store *st, const char *look, const char *del, int64_t bound,
    struct ix_err *err)
{
	sqlite3_stmt *s = pw_sq_prep(st, look, err);
	int rc;

	if (s != NULL)
		sqlite3_bind_int64(s, 1, bound);
	rc = any_row(st, s, err);
	if (rc <= 0)
		return rc;
	s = pw_sq_prep(st, del, err);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, bound);
	return pw_sq_run(st, s, err);
}

/* Creates the file 0600 if missing, then checks what is there on its
 * descriptor: a regular file of ours that nobody else may read. */
static int
check_file(const char *path, unsigned flags, struct ix_err *err)
{
	struct stat sb;
	int fd = -1;

	if (flags & PW_STORE_CREATE) {
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 && (fchmod(fd, 0600) < 0 || fsync(fd) < 0)) {
			ix_err_sys(err, "%s", path);
			close(fd);
			unlink(path);
			return -1;
		}
		if (fd < 0 && errno != EEXIST)
			return ix_err_sys(err, "%s: cannot create", path);
	}
	if (fd < 0)
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return ix_err_set(err, IX_ENOENT, "%s: no such secrets database", path);
		if (errno == ELOOP)
			return ix_err_set(err, IX_EINVAL, "%s: is a symbolic link", path);
		return ix_err_sys(err, "%s", path);
	}
	if (fstat(fd, &sb) < 0) {
		ix_err_sys(err, "%s", path);
		close(fd);
		return -1;
	}
	close(fd);
	if (!S_ISREG(sb.st_mode))
		return ix_err_set(err, IX_EINVAL, "%s: not a regular file", path);
	if (sb.st_uid != geteuid())
		return ix_err_set(err, IX_EDENIED, "%s: owned by uid %u, not by us (uid %u)", path,
				  (unsigned)sb.st_uid, (unsigned)geteuid());
	if (sb.st_mode & 077)
		return ix_err_set(err, IX_EDENIED, "%s: mode %04o, must not be accessible to group or others",
				  path, (unsigned)(sb.st_mode & 07777));
	return 0;
}

static int
user_version(struct pw_store *st, int *v, struct ix_err *err)
{
	sqlite3_stmt *s = pw_sq_prep(st, "PRAGMA user_version", err);

	if (s == NULL)
		return -1;
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return pw_sq_err(st, err, "reading user_version");
	}
	*v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return 0;
}

static int
migrate(struct pw_store *st, const char *path, struct ix_err *err)
{
	size_t i;
	int v;

	if (user_version(st, &v, err) < 0)
		return -1;
	if (v > PW_SCHEMA_VERSION)
		return ix_err_set(err, IX_EVERSION, "%s: schema %d is newer than this passwdd's %d",
				  path, v, PW_SCHEMA_VERSION);
	if (v == PW_SCHEMA_VERSION)
		return 0;
	if (pw_sq_begin(st, err) < 0)
		return -1;
	/* Read again under the write lock: passwdd and passwdd-admin may
	 * both have found the old version. */
	if (user_version(st, &v, err) < 0)
		return pw_sq_finish(st, -1, err);
	for (i = 0; i < NMIGRATIONS; i++) {
		if (migrations[i].version <= v)
			continue;
		if (pw_sq_exec(st, migrations[i].sql, err) < 0) {
			ix_err_prefix(err, "%s: migrating to schema %d", path, migrations[i].version);
			return pw_sq_finish(st, -1, err);
		}
	}
	return pw_sq_finish(st, 0, err);
}

int
pw_store_open(const char *path, unsigned flags, struct pw_store **out, struct ix_err *err)
{
	struct pw_store *st;

	*out = NULL;
	if (check_file(path, flags, err) < 0)
		return -1;
	st = calloc(1, sizeof *st);
	if (st == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	if (sqlite3_open_v2(path, &st->sq, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW,
			    NULL) != SQLITE_OK) {
		pw_sq_err(st, err, path);
		pw_store_close(st);
		return -1;
	}
	sqlite3_busy_timeout(st->sq, BUSY_TIMEOUT_MS);
	if (pw_sq_exec(st, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
		     "PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA trusted_schema=OFF",
		 err) < 0 ||
	    migrate(st, path, err) < 0) {
		pw_store_close(st);
		return -1;
	}
	*out = st;
	return 0;
}

int
pw_store_dir(const char *path, char *dir, size_t size, struct ix_err *err)
{
	char *slash;

	if (snprintf(dir, size, "%s", path) >= (int)size)
		return ix_err_set(err, IX_ELIMIT, "%s: path too long", path);
	slash = strrchr(dir, '/');
	if (slash == NULL)
		snprintf(dir, size, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	return 0;
}

void
pw_store_close(struct pw_store *st)
{
	if (st == NULL)
		return;
	sqlite3_close(st->sq);
	free(st);
}

/* ---- users ---- */

static void
fill_user(sqlite3_stmt *s, struct pw_user *u)
{
	const char *t;

	memset(u, 0, sizeof *u);
	snprintf(u->name, sizeof u->name, "%s", (const char *)sqlite3_column_text(s, 0));
	t = (const char *)sqlite3_column_text(s, 1);
	u->backend = t != NULL && strcmp(t, "pam") == 0 ? PW_BACKEND_PAM : PW_BACKEND_OWN;
	t = (const char *)sqlite3_column_text(s, 2);
	snprintf(u->pam_service, sizeof u->pam_service, "%s", t != NULL ? t : "");
	u->has_password = sqlite3_column_int(s, 3);
	t = (const char *)sqlite3_column_text(s, 4);
	if (t != NULL) {
		u->otp = strcmp(t, "hotp") == 0 ? PW_OTP_HOTP : PW_OTP_TOTP;
		if (pw_otp_algo_parse((const char *)sqlite3_column_text(s, 5), &u->algo, NULL) < 0)
			u->algo = PW_OTP_SHA1;
		u->digits = (unsigned)sqlite3_column_int(s, 6);
		u->period = (unsigned)sqlite3_column_int(s, 7);
		u->counter = (uint64_t)sqlite3_column_int64(s, 8);
	}
}

#define USER_SELECT \
	"SELECT u.name, u.backend, u.pam_service, u.pwhash IS NOT NULL, o.kind, o.algo," \
	" o.digits, o.period, o.counter FROM users u LEFT JOIN otp o ON o.user = u.name"

int
pw_store_get_user(struct pw_store *st, const char *name, struct pw_user *out,
    struct ix_err *err)
{
	sqlite3_stmt *s = pw_sq_prep(st, USER_SELECT " WHERE u.name = ?1", err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		fill_user(s, out);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pw_sq_err(st, err, "reading a user");
	return rc == SQLITE_ROW;
}

int
pw_store_list(struct pw_store *st, int (*fn)(const struct pw_user *, void *), void *ctx,
    struct ix_err *err)
{
	sqlite3_stmt *s = pw_sq_prep(st, USER_SELECT " ORDER BY u.name", err);
	struct pw_user u;
	int rc;

	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		fill_user(s, &u);
		if (fn(&u, ctx) != 0)
			break;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pw_sq_err(st, err, "listing users");
	return 0;
}

static int
ensure_user(struct pw_store *st, const char *name, struct ix_err *err)
{
	sqlite3_stmt *s;

	if (pw_user_name_check(name, err) < 0)
		return -1;
	s = pw_sq_prep(st, "INSERT OR IGNORE INTO users(name) VALUES (?1)", err);
	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	return pw_sq_run(st, s, err);
}

/* Begins a change of user name's row (created when missing): returns sql
 * prepared with ?1 bound to name, or NULL (nothing begun). */
static sqlite3_stmt *
user_change(struct pw_store *st, const char *name, const char *sql, struct ix_err *err)
{
	sqlite3_stmt *s = NULL;

	if (pw_sq_begin(st, err) < 0)
		return NULL;
	if (ensure_user(st, name, err) == 0)
		s = pw_sq_prep(st, sql, err);
	if (s == NULL) {
		pw_sq_rollback(st);
		return NULL;
	}
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	return s;
}

int
pw_store_set_password(struct pw_store *st, const char *name, const char *secret,
    struct ix_err *err)
{
	char hash[crypto_pwhash_STRBYTES];
	sqlite3_stmt *s;
	size_t n = strnlen(secret, PW_SECRET_MAX + 1);
	int rc;

	if (n == 0 || n > PW_SECRET_MAX)
		return ix_err_set(err, IX_EINVAL, "a password has 1 to %d bytes", PW_SECRET_MAX);
	if (crypto_pwhash_str(hash, secret, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return ix_err_set(err, IX_ENOMEM, "argon2id hashing ran out of memory");
	s = user_change(st, name, "UPDATE users SET pwhash = ?2 WHERE name = ?1", err);
	if (s == NULL) {
		sodium_memzero(hash, sizeof hash);
		return -1;
	}
	sqlite3_bind_text(s, 2, hash, -1, SQLITE_STATIC);
	rc = pw_sq_finish(st, pw_sq_run(st, s, err), err);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

int
pw_store_check_password(struct pw_store *st, const char *name, const char *secret,
    struct ix_err *err)
{
	/* Verified when the user has no hash, so that an unknown user takes
	 * as long as a known one: the hash, at the same limits, of 32 random
	 * bytes that were thrown away. */
	static const char dummy[] = "$argon2id$v=19$m=65536,t=2,p=1$K3i+i4LYy+ZAr7kkVrV9ng"
				    "$x7gbCPJPzGJvSg6yKlE0J0P1JZCo2Rdcy7WP3hNmdJM";
	char hash[crypto_pwhash_STRBYTES];
	sqlite3_stmt *s = pw_sq_prep(st, "SELECT pwhash FROM users WHERE name = ?1 AND pwhash IS NOT NULL", err);
	size_t n = strnlen(secret, PW_SECRET_MAX + 1);
	int rc, have = 0, ok;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(s, 0) < (int)sizeof hash) {
		snprintf(hash, sizeof hash, "%s", (const char *)sqlite3_column_text(s, 0));
		have = 1;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pw_sq_err(st, err, "reading a password hash");
	if (!have)
		snprintf(hash, sizeof hash, "%s", dummy);
	ok = n <= PW_SECRET_MAX && crypto_pwhash_str_verify(hash, secret, n) == 0;
	sodium_memzero(hash, sizeof hash);
	return have && ok;
}

int
pw_store_set_backend(struct pw_store *st, const char *name, enum pw_backend b,
    const char *service, struct ix_err *err)
{
	sqlite3_stmt *s;

	if (b == PW_BACKEND_PAM && pw_user_name_check(service, err) < 0)
		return ix_err_prefix(err, "PAM service");
	s = user_change(st, name, "UPDATE users SET backend = ?2, pam_service = ?3 WHERE name = ?1",
			err);
	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 2, b == PW_BACKEND_PAM ? "pam" : "own", -1, SQLITE_STATIC);
	if (b == PW_BACKEND_PAM)
		sqlite3_bind_text(s, 3, service, -1, SQLITE_STATIC);
	return pw_sq_finish(st, pw_sq_run(st, s, err), err);
}

int
pw_store_set_otp(struct pw_store *st, const char *name, enum pw_otp_kind kind,
    enum pw_otp_algo algo, unsigned digits, unsigned period, const uint8_t *key,
    size_t keylen, struct ix_err *err)
{
	sqlite3_stmt *s;

	if (kind != PW_OTP_TOTP && kind != PW_OTP_HOTP)
		return ix_err_set(err, IX_EINVAL, "unknown one-time code kind");
	if (digits < PW_OTP_DIGITS_MIN || digits > PW_OTP_DIGITS_MAX)
		return ix_err_set(err, IX_EINVAL, "one-time codes have 6 to 8 digits");
	if (period < 1 || period > 600)
		return ix_err_set(err, IX_EINVAL, "a TOTP period is 1 to 600 seconds");
	if (keylen < 10 || keylen > PW_OTP_KEY_MAX)
		return ix_err_set(err, IX_EINVAL, "a one-time code key has 10 to %d bytes", PW_OTP_KEY_MAX);
	s = user_change(st, name, "INSERT OR REPLACE INTO otp(user, kind, algo, digits, period,"
			" secret, counter, last_step) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, -1)", err);
	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 2, kind == PW_OTP_HOTP ? "hotp" : "totp", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, pw_otp_algo_name(algo), -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, (int)digits);
	sqlite3_bind_int(s, 5, (int)period);
	sqlite3_bind_blob(s, 6, key, (int)keylen, SQLITE_STATIC);
	return pw_sq_finish(st, pw_sq_run(st, s, err), err);
}

/* The generator of name, its key copied into guarded memory. */
struct otp_row {
	enum pw_otp_kind kind;
	enum pw_otp_algo algo;
	unsigned digits, period;
	int64_t counter, last_step;
	uint8_t *key;		/* sodium_malloc'ed, PW_OTP_KEY_MAX bytes */
	size_t keylen;
};

static int
load_otp(struct pw_store *st, const char *name, struct otp_row *r, struct ix_err *err)
{
	sqlite3_stmt *s = pw_sq_prep(st, "SELECT kind, algo, digits, period, secret, counter, last_step"
				   " FROM otp WHERE user = ?1", err);
	int rc, found = 0;

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		int n = sqlite3_column_bytes(s, 4);
		const void *k = sqlite3_column_blob(s, 4);

		r->kind = strcmp((const char *)sqlite3_column_text(s, 0), "hotp") == 0 ? PW_OTP_HOTP
											: PW_OTP_TOTP;
		if (pw_otp_algo_parse((const char *)sqlite3_column_text(s, 1), &r->algo, err) < 0) {
			sqlite3_finalize(s);
			return -1;
		}
		r->digits = (unsigned)sqlite3_column_int(s, 2);
		r->period = (unsigned)sqlite3_column_int(s, 3);
		r->counter = sqlite3_column_int64(s, 5);
		r->last_step = sqlite3_column_int64(s, 6);
		if (n < 1 || n > PW_OTP_KEY_MAX || k == NULL) {
			sqlite3_finalize(s);
			return ix_err_set(err, IX_ECORRUPT, "one-time code key of %s has %d bytes", name, n);
		}
		r->key = sodium_malloc(PW_OTP_KEY_MAX);
		if (r->key == NULL) {
			sqlite3_finalize(s);
			return ix_err_set(err, IX_ENOMEM, "out of guarded memory");
		}
		memcpy(r->key, k, (size_t)n);
		r->keylen = (size_t)n;
		found = 1;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pw_sq_err(st, err, "reading a one-time code generator");
	return found;
}

static int
save_otp(struct pw_store *st, const char *name, int64_t counter, int64_t last_step,
    struct ix_err *err)
{
	sqlite3_stmt *s = pw_sq_prep(st, "UPDATE otp SET counter = ?2, last_step = ?3 WHERE user = ?1", err);

	if (s == NULL)
		return -1;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, counter);
	sqlite3_bind_int64(s, 3, last_step);
	return pw_sq_run(st, s, err);
}

/* Matches code in [first, last] below the replay floor and at or above
 * it: returns 1 fresh hit (*hit), 0 none, with *replay for a used one. */
static int
match_fresh(const struct otp_row *r, uint64_t first, uint64_t last, uint64_t floor,
    const char *code, uint64_t *hit, int *replay, struct ix_err *err)
{
	uint64_t h;
	int rc;

	*replay = 0;
	if (last >= floor) {
		rc = pw_otp_match(r->algo, r->key, r->keylen, r->digits,
				  first > floor ? first : floor, last, code, hit, err);
		if (rc != 0)
			return rc;
	}
	if (first < floor) {
		rc = pw_otp_match(r->algo, r->key, r->keylen, r->digits, first,
				  last < floor ? last : floor - 1, code, &h, err);
		if (rc < 0)
			return -1;
		*replay = rc;
	}
	return 0;
}

int
pw_store_check_otp(struct pw_store *st, const char *name, const char *code, int64_t now,
    unsigned window, int *replay, struct ix_err *err)
{
	struct otp_row r = { 0 };
	uint64_t first, last, floor, hit = 0, step;
	int rc, rep = 0;

	if (window > PW_OTP_WINDOW_MAX)
		window = PW_OTP_WINDOW_MAX;
	if (pw_sq_begin(st, err) < 0)
		return -1;
	rc = load_otp(st, name, &r, err);
	if (rc <= 0)
		goto out;
	if (r.kind == PW_OTP_HOTP) {
		floor = first = (uint64_t)r.counter;
		last = first + 3 * (uint64_t)window;
	} else {
		step = pw_totp_step(now, r.period);
		first = step > window ? step - window : 0;
		last = step + window;
		floor = r.last_step < 0 ? 0 : (uint64_t)r.last_step + 1;
	}
	rc = match_fresh(&r, first, last, floor, code, &hit, &rep, err);
	if (rc == 1 && (r.kind == PW_OTP_HOTP ? save_otp(st, name, (int64_t)hit + 1, r.last_step, err)
					       : save_otp(st, name, r.counter, (int64_t)hit, err)) < 0)
		rc = -1;
out:
	if (r.key != NULL)
		sodium_free(r.key);
	if (replay != NULL)
		*replay = rep;
	if (pw_sq_finish(st, rc < 0 ? -1 : 0, err) < 0)
		return -1;
	return rc;
}

/* ---- tags ---- */

static int
tag_delete(struct pw_store *st, uint64_t cgroup, const uint8_t *token, struct ix_err *err)
{
	sqlite3_stmt *s = pw_sq_prep(st, "DELETE FROM tags WHERE cgroup = ?1 AND token = ?2", err);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (int64_t)cgroup);
	sqlite3_bind_blob(s, 2, token, PW_TAG_TOKEN_LEN, SQLITE_STATIC);
	if (pw_sq_run(st, s, err) < 0)
		return -1;
	return sqlite3_changes(st->sq) > 0;
}

int
pw_store_tag_add(struct pw_store *st, uint64_t cgroup, const uint8_t token[PW_TAG_TOKEN_LEN],
    const char *const *ids, size_t nids, int64_t expires, struct ix_err *err)
{
	sqlite3_stmt *s;
	size_t i;

	if (nids == 0 || nids > PW_TAG_IDS_MAX)
		return ix_err_set(err, IX_ELIMIT, "a tag holds 1 to %d identities, not %zu",
				  PW_TAG_IDS_MAX, nids);
	for (i = 0; i < nids; i++)
		if (pw_user_name_check(ids[i], err) < 0)
			return ix_err_prefix(err, "tag identity %zu", i + 1);
	if (pw_sq_begin(st, err) < 0)
		return -1;
	if (tag_delete(st, cgroup, token, err) < 0)
		return pw_sq_finish(st, -1, err);
	for (i = 0; i < nids; i++) {
		s = pw_sq_prep(st, "INSERT OR IGNORE INTO tags(cgroup, token, identity, expires)"
			     " VALUES (?1, ?2, ?3, ?4)", err);
		if (s == NULL)
			return pw_sq_finish(st, -1, err);
		sqlite3_bind_int64(s, 1, (int64_t)cgroup);
		sqlite3_bind_blob(s, 2, token, PW_TAG_TOKEN_LEN, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, ids[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 4, expires);
		if (pw_sq_run(st, s, err) < 0)
			return pw_sq_finish(st, -1, err);
	}
	return pw_sq_finish(st, 0, err);
}

int
pw_store_tag_remove(struct pw_store *st, uint64_t cgroup, const uint8_t token[PW_TAG_TOKEN_LEN],
    struct ix_err *err)
{
	return tag_delete(st, cgroup, token, err);
}

int
pw_store_tag_check(struct pw_store *st, uint64_t cgroup, const char *identity, int64_t now,
    struct ix_err *err)
{
	sqlite3_stmt *s = pw_sq_prep(st, "SELECT 1 FROM tags WHERE cgroup = ?1 AND identity = ?2"
				   " AND expires > ?3 LIMIT 1", err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (int64_t)cgroup);
	sqlite3_bind_text(s, 2, identity, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, now);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return pw_sq_err(st, err, "reading tags");
	return rc == SQLITE_ROW;
}

int
pw_store_tag_expire(struct pw_store *st, int64_t before, struct ix_err *err)
{
	return pw_sq_delete_found(st, "SELECT 1 FROM tags WHERE expires <= ?1 LIMIT 1",
				  "DELETE FROM tags WHERE expires <= ?1", before, err);
}
