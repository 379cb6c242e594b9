/*
 * Internals of db/ shared by its source files; not for other components.
 */
#ifndef IXDB_INT_H
#define IXDB_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "db/ixdb.h"

/* Longest database path or witness file name; as ix_config's. */
#define IX_WITNESS_PATH_MAX 4096

/* A head line waiting for the commit of the transaction that holds its
 * record: the file is written only once the record is durable, so that the
 * head file never names a record the database could lose. */
struct ixdb_pending_head {
	char *path;			/* head file; owned */
	int64_t seq;			/* record's sequence number */
	unsigned char hash[IXDB_HASH_LEN]; /* record's hash */
	char id[IXDB_AUDIT_ID_HEX + 1];	/* the database's audit id, when first */
	int first;			/* the database had never held a record
					 * before it: a missing head file may be
					 * created (never later: that would hide
					 * the records a deleted one anchored) */
};

struct ixdb {
	sqlite3 *sq;			/* the connection; owned */
	char *path;			/* as given to ixdb_open; owned */
	int readonly;			/* opened with IXDB_READONLY */
	int in_tx;			/* a transaction opened by ixdb_begin is open */
	int committing;			/* ixdb_commit is running COMMIT */
	struct ixdb_pending_head *pending; /* heads to write after COMMIT */
	size_t npending;		/* entries used in pending */
	size_t cpending;		/* entries allocated in pending */
	char witness[IX_WITNESS_PATH_MAX]; /* "syslog", a file, or "" for none */
	long witness_every;		/* witness each record whose seq it divides; 0 none */
};

/* Records a finding of verify or of the witness check: of several, the
 * one with the lowest seq is kept (*first_bad, reason of size bytes). */
void ixdb_finding(int64_t *first_bad, char *reason, size_t size, int64_t seq, const char *fmt,
		  va_list ap) __attribute__((format(printf, 5, 0)));

/* After a commit's head lines: writes the witness of each pending record
 * that is due (seq a multiple of witness_every). Best effort. */
void ixdb_witness_due(struct ixdb *db);

/* Fills err with IX_EDB, "what: sqlite's message", or IX_ESYS with the
 * system's reason appended when sqlite could not open a file. Returns -1. */
int ixdb_err_sqlite(struct ixdb *db, struct ix_err *err, const char *what);

/* Runs SQL (possibly several statements), discarding rows; no check on
 * transaction statements (ixdb_exec's callers go through it too). */
int ixdb_exec_raw(struct ixdb *db, const char *sql, struct ix_err *err);

/* fsyncs the directory holding path, so a new file's name is durable.
 * Returns 0 or -1. */
int ixdb_fsync_parent(const char *path, struct ix_err *err);

/* Registers the commit and rollback hooks that guard pending heads. */
void ixdb_install_hooks(struct ixdb *db);

/* Drops the pending heads (after a rollback). */
void ixdb_pending_clear(struct ixdb *db);

/* Applies the migrations newer than the file's user_version in one
 * transaction; refuses a newer file. Returns 0 or -1. */
int ixdb_migrate(struct ixdb *db, struct ix_err *err);

/* Reads PRAGMA user_version into *out. Returns 0 or -1. */
int ixdb_read_user_version(struct ixdb *db, int *out, struct ix_err *err);

/* One audit row as stored; the strings point into sqlite's or the
 * caller's memory and are not NUL-terminated necessarily. */
struct ixdb_audit_row {
	int64_t seq;			/* 1, 2, ... without gaps */
	int64_t time_us;		/* CLOCK_REALTIME in microseconds */
	int64_t version;		/* IXDB_AUDIT_VERSION when written */
	const void *kind;		/* kind bytes */
	size_t kind_len;		/* bytes in kind */
	const void *actor;		/* actor bytes */
	size_t actor_len;		/* bytes in actor */
	const void *text;		/* text bytes */
	size_t text_len;		/* bytes in text */
};

/* hash = BLAKE2b-256(prev || canonical encoding of row). Returns 0, or -1
 * when libsodium fails (it does not for these sizes). */
int ixdb_audit_hash(const unsigned char prev[IXDB_HASH_LEN], const struct ixdb_audit_row *row,
		    unsigned char hash[IXDB_HASH_LEN]);

/* Writes the 64 lowercase hex digits of hash and a NUL into hex (65 bytes). */
void ixdb_hex(const unsigned char hash[IXDB_HASH_LEN], char hex[2 * IXDB_HASH_LEN + 1]);

/* Appends "SEQ HEX\n" for each (seq, hash) to the head file at path and
 * fsyncs it. A missing file is created (with the header naming id) only
 * when heads[0].first; otherwise a missing or empty file is an error
 * (IX_ECORRUPT): it once held the anchors of earlier records, and writing
 * a fresh one would hide that it was removed. Returns 0 or -1. */
int ixdb_head_append(const char *path, const char *id, const struct ixdb_pending_head *heads,
		     size_t n, struct ix_err *err);

/* The database's audit id (meta 'audit_id', IXDB_AUDIT_ID_HEX lowercase
 * hex digits) into id, and the records ever appended (meta
 * 'audit_records') into *records (may be NULL). Returns 0, or -1
 * (IX_ECORRUPT when a row is missing or malformed). */
int ixdb_audit_meta(struct ixdb *db, char id[IXDB_AUDIT_ID_HEX + 1], int64_t *records,
		    struct ix_err *err);

/* The chain's last record: its seq and hash; 0 and the zero hash when the
 * chain is empty. Returns 0 or -1 (IX_ECORRUPT for a damaged last row). */
int ixdb_audit_tail(struct ixdb *db, int64_t *seq, unsigned char hash[IXDB_HASH_LEN],
		    struct ix_err *err);

/* Raises meta 'audit_records' to records (never lowers it). Inside the
 * caller's transaction. Returns 0 or -1. */
int ixdb_audit_meta_raise(struct ixdb *db, int64_t records, struct ix_err *err);

/* Longest valid head line, newline included: 19 digits, space, 64 hex. */
#define IXDB_HEAD_LINE_MAX (19 + 1 + 2 * IXDB_HASH_LEN + 1)

/* The head file's first line: this magic, the id, a newline. */
#define IXDB_HEAD_MAGIC "ixkit-audit-head 2 "

#endif
