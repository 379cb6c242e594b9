/*
 * Inside the secrets store: the connection and the statement helpers that
 * store.c (users, one-time codes, tags, opening) and store_fail.c
 * (failure counters and reserved attempts) share. Nothing outside
 * libpwstore includes this header.
 *
 * Every helper that can fail returns -1 with *err (a message naming the
 * step and SQLite's reason).
 */
#ifndef PW_STORE_INT_H
#define PW_STORE_INT_H

#include <sqlite3.h>

#include "passwdd/store.h"

struct pw_store {
	sqlite3 *sq;	/* the connection */
};

/* Sets *err to IX_EDB, "what" and SQLite's message; returns -1. */
int pw_sq_err(struct pw_store *st, struct ix_err *err, const char *what);
/* Runs sql (no parameters, no rows wanted). */
int pw_sq_exec(struct pw_store *st, const char *sql, struct ix_err *err);
/* The prepared statement (the caller finalizes it), or NULL with *err. */
sqlite3_stmt *pw_sq_prep(struct pw_store *st, const char *sql, struct ix_err *err);
/* Steps s to its first row or its end and finalizes it. */
int pw_sq_run(struct pw_store *st, sqlite3_stmt *s, struct ix_err *err);
/* Runs del when look finds a row, each with bound as ?1 (housekeeping:
 * no write lock when there is nothing to delete). */
int pw_sq_delete_found(struct pw_store *st, const char *look, const char *del, int64_t bound,
    struct ix_err *err);
/* BEGIN IMMEDIATE: the write lock is taken now, so a read in the
 * transaction sees what no other writer can change before its commit. */
int pw_sq_begin(struct pw_store *st, struct ix_err *err);
/* Ends the transaction: commits when rc is 0, else rolls back; returns
 * 0 committed, -1 rolled back. */
int pw_sq_finish(struct pw_store *st, int rc, struct ix_err *err);
/* Rolls back the open transaction, if any. */
void pw_sq_rollback(struct pw_store *st);

#endif
