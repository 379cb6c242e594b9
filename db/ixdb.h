/*
 * db/: the SQLite database of the authorization tree and the audit chain.
 *
 * One file (ixkit.db by default) holds the policy tables and the audit
 * table. Every connection runs with WAL, foreign keys on, synchronous=FULL
 * and a busy timeout; every change is one transaction. The schema version is
 * PRAGMA user_version, migrated forward only (db/migrations.c); a database
 * newer than this build is refused with both versions named.
 *
 * The audit table is append-only (triggers refuse UPDATE and DELETE) and
 * its rows are chained: hash(n) = BLAKE2b-256(hash(n-1) || canonical row n).
 * The chain's head is also appended to a file outside the database (the
 * audit head file, one line "SEQ HEX" per record, opened O_APPEND and
 * fsync'd), so a chain rewritten consistently by someone who can write the
 * database still fails ixdb_audit_verify.
 */
#ifndef IXDB_H
#define IXDB_H

#include <stdint.h>
#include <stdio.h>
#include <sqlite3.h>

#include "libixutil/ix_err.h"

#define IXDB_SCHEMA_VERSION 6
#define IXDB_AUDIT_VERSION 1
#define IXDB_HASH_LEN 32
#define IXDB_AUDIT_ID_HEX 32	/* hex digits of a database's audit id */
#define IXDB_AUDIT_TEXT_MAX 65536

enum ixdb_flags {
	IXDB_CREATE = 1,	/* create the file (mode 0600) and schema if missing */
	IXDB_READONLY = 2,	/* open read-only; no migration */
};

struct ixdb;

/* Opens path, applies pending migrations in one transaction (unless
 * read-only). Returns 0 and *out, or -1: IX_EVERSION when the file's schema
 * is newer than IXDB_SCHEMA_VERSION (or older, read-only), IX_ENOENT when
 * the file is missing without IXDB_CREATE, IX_EINVAL for a symbolic link or
 * a file that is not regular, IX_EDENIED when it is group- or
 * world-writable, IX_ESYS when creating or opening it fails (sys_errno set:
 * EACCES when the caller may not read it), IX_EDB otherwise. Every message
 * begins with path: callers add no path of their own. */
int ixdb_open(const char *path, unsigned flags, struct ixdb **out, struct ix_err *err);
void ixdb_close(struct ixdb *db);		/* accepts NULL */

/* The connection, for libauthtree's own statements. Owned by db. */
sqlite3 *ixdb_sqlite(struct ixdb *db);
const char *ixdb_path(const struct ixdb *db);
int ixdb_schema_version(struct ixdb *db);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. Nesting is an error (IX_ELIMIT).
 * ixdb_commit then writes the head lines of the audit records appended in
 * the transaction; if that fails the transaction IS committed and -1 says
 * "committed, but the audit head was not recorded" (verify reports lag).
 * A COMMIT run on the raw connection while head lines are pending is
 * turned into a rollback. ixdb_in_transaction is true for any open
 * transaction, including one begun with raw SQL. */
int ixdb_begin(struct ixdb *db, struct ix_err *err);
int ixdb_commit(struct ixdb *db, struct ix_err *err);
void ixdb_rollback(struct ixdb *db);
int ixdb_in_transaction(struct ixdb *db);

/* Runs SQL (one or more statements; rows are discarded). Errors name the
 * failing statement's first words. */
int ixdb_exec(struct ixdb *db, const char *sql, struct ix_err *err);

/* Policy generation: a counter in table meta bumped by every policy change
 * (inside the change's transaction), so a server knows when to reload. */
int ixdb_generation(struct ixdb *db, int64_t *out, struct ix_err *err);
int ixdb_bump_generation(struct ixdb *db, struct ix_err *err);

/*
 * Appends one record (kind: short word such as "request", "edit", "import";
 * actor: login or "root"; text: the versioned record, at most
 * IXDB_AUDIT_TEXT_MAX bytes, no NUL) to the chain. Inside an open
 * transaction the row is part of it and the head file is appended when
 * ixdb_commit succeeds; otherwise it is its own transaction. head_path NULL
 * means no head file (tests of the chain alone). On success *seq_out (may
 * be NULL) is the record's sequence number and hex_out (may be NULL, 65
 * bytes) its hash in hex, for the caller's log. Returns 0 or -1. kind is
 * 1..32 bytes, actor 1..256 bytes, neither with control bytes. Inside a
 * transaction begun with raw SQL rather than ixdb_begin it is refused.
 */
int ixdb_audit_append(struct ixdb *db, const char *head_path, const char *kind,
		      const char *actor, const char *text, int64_t *seq_out,
		      char *hex_out, struct ix_err *err);

/*
 * ixdb_audit_append, and the record written to log as one event "kind
 * text audit_seq=N"; a record that cannot be appended is logged as
 * "audit-error kind=... error=... record=..." instead. The servers' one
 * way of recording what they did. Returns 0, or -1 with *err (logged).
 */
struct ix_log;
int ixdb_audit_log(struct ixdb *db, const char *head_path, struct ix_log *log, const char *kind,
		   const char *actor, const char *text, struct ix_err *err);

/* For code that runs its own statements: sets *err (IX_EDB) to "what:
 * SQLite's message", finalizes st (may be NULL) and returns -1. */
int ixdb_stmt_fail(struct ixdb *db, sqlite3_stmt *st, struct ix_err *err, const char *what);

/* What ixdb_audit_reconcile did. */
struct ixdb_reconcile {
	int created;		/* the head file was created (no record yet) */
	int upgraded;		/* a head file from before schema 5 got its header */
	int64_t from;		/* the head's last record before */
	int64_t extended;	/* head lines appended from the chain */
};

/* Run by every writer when it starts (privd, privtree's writing commands):
 * creates the head file of a database that has never held a record, gives
 * an old head file its header, and appends the head lines a crash kept
 * from being written (at most IXDB_HEAD_LAG_MAX, when the head's last line
 * matches the chain). Takes the write lock for the while. Never recreates,
 * empties or cuts a head file: a head that is missing, empty or beyond the
 * chain for a database that has held records, of another database, or
 * more than IXDB_HEAD_LAG_MAX short is left as it is and reported
 * (IX_ECORRUPT; privtree verify tells the rest). Returns 0 or -1. */
int ixdb_audit_reconcile(struct ixdb *db, const char *head_path, struct ixdb_reconcile *out,
			 struct ix_err *err);

/* Where and how often ixdb_commit witnesses audit heads: dest "syslog"
 * (/dev/log, authpriv, tag ixkit-audit) or a file path (copied; NULL: no
 * witness); every record whose seq is a multiple of every (0: none). */
void ixdb_set_witness(struct ixdb *db, const char *dest, long every);

/* Writes one witness line "audit head seq=N digest=HEX id=ID db=PATH"
 * (PATH made absolute) to dest, "syslog" or a file. Returns 0 or -1. */
int ixdb_witness_write(const char *dest, const char *db_path, const char *id, int64_t seq,
		       const char *hex, struct ix_err *err);

struct ixdb_witness {
	int64_t lines;		/* lines read (longer ones than any head skipped) */
	int64_t heads;		/* witnessed heads of this database */
	int64_t latest;		/* highest witnessed seq, 0 when none */
	int64_t first_bad;	/* lowest seq with a finding, 0 when none */
	char reason[512];	/* the finding at first_bad, "" when none */
};

/* Reads witness lines from in (a log export: the head anywhere in a line)
 * and checks each head of this database (same absolute path) against the
 * chain: the same audit id, a record at that seq (none: truncated or
 * erased) with that digest (another: rewritten). Returns 0 when every
 * head holds, 1 when one does not (out->reason), -1 on error. */
int ixdb_witness_check(struct ixdb *db, FILE *in, struct ixdb_witness *out, struct ix_err *err);

/* What verify found of the head file. */
enum ixdb_head_state {
	IXDB_HEAD_UNCHECKED = 0,	/* no head file was asked for */
	IXDB_HEAD_MISSING,		/* no file */
	IXDB_HEAD_EMPTY,		/* a file of no bytes: never left by ixkit */
	IXDB_HEAD_OLD,			/* lines without the header (before schema 5) */
	IXDB_HEAD_OK,			/* header and lines */
};

/* The most records a head file may lack at the chain's end and still be
 * called lagging rather than cut: each writer's last transaction (a few
 * records) whose head line a crash or a disk error kept from being
 * written. The next privd or privtree write appends them (reconcile). */
#define IXDB_HEAD_LAG_MAX 16

struct ixdb_verify {
	int64_t nrecords;	/* rows in the audit table */
	int64_t first_bad;	/* seq of the first broken link, 0 when none */
	int64_t head_seq;	/* last seq recorded in the head file, 0 when none */
	int64_t head_lag;	/* records newer than the head file's last line */
	int64_t ever;		/* records ever appended (table meta) */
	enum ixdb_head_state head_state; /* what the head file was */
	char chain_hex[2 * IXDB_HASH_LEN + 1]; /* last record's digest, "" when none */
	char head_hex[2 * IXDB_HASH_LEN + 1];  /* digest on the head's last line, "" */
	char id[IXDB_AUDIT_ID_HEX + 1];	/* this database's audit id */
	char reason[512];	/* why it is broken, "" when sound */
};

/* Recomputes the whole chain and compares it with the head file (head_path
 * NULL: chain only). Every line of the head file must name a record of the
 * database with that hash. Damage (return 1) besides a broken link: a
 * head line beyond the chain's end (truncation); a database that has ever
 * held a record (table meta counts them) whose head file is missing or
 * empty; a header naming another database; a count in table meta that
 * differs from the chain's; a head file more than IXDB_HEAD_LAG_MAX
 * records short of the chain. A shorter lag is reported in
 * out->head_lag, not as damage. Returns 0 when sound, 1 when broken
 * (out->reason says where and why; of several findings the lowest seq),
 * -1 on error, including a malformed head file line (IX_ECORRUPT,
 * "path:line:column: ..."). */
int ixdb_audit_verify(struct ixdb *db, const char *head_path, struct ixdb_verify *out,
		      struct ix_err *err);

#endif
