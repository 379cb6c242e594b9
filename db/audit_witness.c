/*
 * The second witness of the audit head, outside the host's files: every N
 * records and at every verify the head (sequence and digest) goes to
 * syslog (authpriv, tag ixkit-audit) as one stable line
 *
 *	audit head seq=N digest=HEX id=ID db=PATH
 *
 * (HEX 64 and ID 32 lowercase hex digits, PATH the database's absolute
 * path, last because it may hold spaces). A remote log host or journald's
 * sealed journal then keeps heads that whoever rewrites the database and
 * the head file on this host cannot take back. Checking reads such lines
 * from anywhere in a line of a log export, so that syslog's and
 * journalctl's prefixes do not matter.
 *
 * The message goes to /dev/log directly rather than through syslog(3):
 * openlog would change the process's ident for every other log line.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "db/ixdb_int.h"

#define WITNESS_TAG "ixkit-audit"
#define WITNESS_KEY "audit head seq="
#define WITNESS_LINE_MAX (IX_WITNESS_PATH_MAX + 256)
/* LOG_AUTHPRIV | LOG_NOTICE, as syslog.h has them. */
#define WITNESS_PRI (10 * 8 + 5)

/* The database's path as the witness names it: absolute and without
 * symbolic links when it can be resolved, as given otherwise. */
static void
canonical(const char *path, char out[IX_WITNESS_PATH_MAX])
{
	char buf[PATH_MAX];

	snprintf(out, IX_WITNESS_PATH_MAX, "%s", realpath(path, buf) != NULL ? buf : path);
}

/* The line as syslog's wire (RFC 3164: priority, local time, tag) or as
 * a file's line (UTC, a newline). Returns its length. */
static int
witness_line(char *line, size_t size, int wire, const char *msg)
{
	time_t now = time(NULL);
	struct tm tm;
	char ts[32];
	int n;

	if (wire)
		localtime_r(&now, &tm);
	else
		gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, wire ? "%b %e %H:%M:%S" : "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (wire)
		n = snprintf(line, size, "<%d>%s %s[%ld]: %s", WITNESS_PRI, ts, WITNESS_TAG,
			     (long)getpid(), msg);
	else
		n = snprintf(line, size, "%s %s[%ld]: %s\n", ts, WITNESS_TAG, (long)getpid(), msg);
	return n < (int)size ? n : (int)size - 1;	/* msg is bounded; never more */
}

static int
send_syslog(const char *msg, struct ix_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = "/dev/log" };
	char line[WITNESS_LINE_MAX + 64];
	int n = witness_line(line, sizeof line, 1, msg), fd, rc = 0;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || sendto(fd, line, (size_t)n, 0, (struct sockaddr *)&sa, sizeof sa) < 0)
		rc = ix_err_sys(err, "audit witness: syslog (/dev/log)");
	if (fd >= 0)
		close(fd);
	return rc;
}

static int
append_file(const char *path, const char *msg, struct ix_err *err)
{
	char line[WITNESS_LINE_MAX + 64];
	int n = witness_line(line, sizeof line, 0, msg), fd, rc = 0;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
	/* One write keeps the line whole under O_APPEND. */
	if (fd < 0 || write(fd, line, (size_t)n) != n)
		rc = ix_err_sys(err, "audit witness %s", path);
	if (fd >= 0)
		close(fd);
	return rc;
}

int
ixdb_witness_write(const char *dest, const char *db_path, const char *id, int64_t seq,
		   const char *hex, struct ix_err *err)
{
	char db[IX_WITNESS_PATH_MAX], msg[WITNESS_LINE_MAX];

	canonical(db_path, db);
	snprintf(msg, sizeof msg, WITNESS_KEY "%lld digest=%s id=%s db=%s", (long long)seq, hex, id,
		 db);
	return strcmp(dest, "syslog") == 0 ? send_syslog(msg, err) : append_file(dest, msg, err);
}

void
ixdb_set_witness(struct ixdb *db, const char *dest, long every)
{
	snprintf(db->witness, sizeof db->witness, "%s", dest != NULL ? dest : "");
	db->witness_every = dest != NULL && every > 0 ? every : 0;
}

void
ixdb_witness_due(struct ixdb *db)
{
	char id[IXDB_AUDIT_ID_HEX + 1], hex[2 * IXDB_HASH_LEN + 1];
	struct ix_err e;

	if (db->witness_every == 0)
		return;
	for (size_t i = 0; i < db->npending; i++) {
		if (db->pending[i].seq % db->witness_every != 0)
			continue;
		/* Best effort, as syslog(3) is: the record is committed and in
		 * the head file; a log host that cannot be reached must not
		 * make it look lost. Verify writes the head again. */
		ixdb_hex(db->pending[i].hash, hex);
		if (ixdb_audit_meta(db, id, NULL, &e) == 0)
			(void)ixdb_witness_write(db->witness, db->path, id, db->pending[i].seq, hex, &e);
	}
}

/* Parses "N digest=HEX id=ID db=PATH" after the key. Returns 1, or 0 when
 * the text is not such a head. */
static int
parse_head(const char *s, int64_t *seq, char hex[2 * IXDB_HASH_LEN + 1],
	   char id[IXDB_AUDIT_ID_HEX + 1], const char **db)
{
	char *end;

	if (*s < '1' || *s > '9')
		return 0;
	errno = 0;
	*seq = strtoll(s, &end, 10);
	if (errno != 0 || strncmp(end, " digest=", 8) != 0)
		return 0;
	s = end + 8;
	if (strspn(s, "0123456789abcdef") != 2 * IXDB_HASH_LEN || strncmp(s + 64, " id=", 4) != 0)
		return 0;
	memcpy(hex, s, 2 * IXDB_HASH_LEN);
	hex[2 * IXDB_HASH_LEN] = '\0';
	s += 64 + 4;
	if (strspn(s, "0123456789abcdef") != IXDB_AUDIT_ID_HEX || strncmp(s + 32, " db=", 4) != 0)
		return 0;
	memcpy(id, s, IXDB_AUDIT_ID_HEX);
	id[IXDB_AUDIT_ID_HEX] = '\0';
	*db = s + 32 + 4;
	return 1;
}

/* The chain's digest of record seq into hex; 0 when there is no such
 * record. Returns 1, 0 or -1. */
static int
chain_digest(struct ixdb *db, sqlite3_stmt *st, int64_t seq, char hex[2 * IXDB_HASH_LEN + 1],
	     struct ix_err *err)
{
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, seq);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return ixdb_err_sqlite(db, err, "reading the audit chain");
	snprintf(hex, 2 * IXDB_HASH_LEN + 1, "(damaged)");
	if (sqlite3_column_bytes(st, 0) == IXDB_HASH_LEN)
		ixdb_hex(sqlite3_column_blob(st, 0), hex);
	return 1;
}

static void
witness_found(struct ixdb_witness *out, int64_t seq, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
witness_found(struct ixdb_witness *out, int64_t seq, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ixdb_finding(&out->first_bad, out->reason, sizeof out->reason, seq, fmt, ap);
	va_end(ap);
}

/* One witnessed head of this database against the chain. */
static int
check_one(struct ixdb *db, sqlite3_stmt *st, const char *myid, int64_t seq, const char *hex,
	  const char *id, struct ixdb_witness *out, struct ix_err *err)
{
	char have[2 * IXDB_HASH_LEN + 1];
	int rc;

	out->heads++;
	if (seq > out->latest)
		out->latest = seq;
	if (strcmp(id, myid) != 0) {
		witness_found(out, 1, "the witness saw audit id %s for this database (record %lld); "
			      "its id is now %s: the database was replaced", id, (long long)seq, myid);
		return 0;
	}
	rc = chain_digest(db, st, seq, have, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		witness_found(out, seq, "the witness saw record %lld (digest %s); the chain lacks it: "
			      "truncated or erased", (long long)seq, hex);
	else if (strcmp(have, hex) != 0)
		witness_found(out, seq, "the witness saw record %lld with digest %s, the chain has %s: "
			      "rewritten", (long long)seq, hex, have);
	return 0;
}

int
ixdb_witness_check(struct ixdb *db, FILE *in, struct ixdb_witness *out, struct ix_err *err)
{
	char line[WITNESS_LINE_MAX], mydb[IX_WITNESS_PATH_MAX], myid[IXDB_AUDIT_ID_HEX + 1];
	sqlite3_stmt *st = NULL;
	int rc = -1, own = 0, skipping = 0;

	memset(out, 0, sizeof *out);
	canonical(db->path, mydb);
	if (!ixdb_in_transaction(db)) {
		if (ixdb_exec_raw(db, "BEGIN DEFERRED", err) < 0)
			return -1;
		own = 1;
	}
	if (ixdb_audit_meta(db, myid, NULL, err) < 0)
		goto out;
	if (sqlite3_prepare_v2(db->sq, "SELECT hash FROM audit WHERE seq = ?", -1, &st, NULL) !=
	    SQLITE_OK) {
		ixdb_err_sqlite(db, err, "reading the audit chain");
		goto out;
	}
	while (fgets(line, sizeof line, in) != NULL) {
		size_t len = strlen(line);
		char hex[2 * IXDB_HASH_LEN + 1], id[IXDB_AUDIT_ID_HEX + 1];
		const char *at, *dbp;
		int64_t seq;
		int was_skipping = skipping;

		/* A line longer than any head is not one: skip all of it. */
		skipping = len > 0 && line[len - 1] != '\n' && !feof(in);
		if (was_skipping || skipping)
			continue;
		line[strcspn(line, "\r\n")] = '\0';
		out->lines++;
		at = strstr(line, WITNESS_KEY);
		if (at == NULL || !parse_head(at + strlen(WITNESS_KEY), &seq, hex, id, &dbp) ||
		    strcmp(dbp, mydb) != 0)
			continue;
		if (check_one(db, st, myid, seq, hex, id, out, err) < 0)
			goto out;
	}
	if (ferror(in)) {
		ix_err_sys(err, "audit witness: reading");
		goto out;
	}
	rc = out->first_bad != 0;
out:
	sqlite3_finalize(st);
	if (own)
		ixdb_exec_raw(db, "ROLLBACK", NULL);
	return rc;
}
