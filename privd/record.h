/*
 * The actions table (db/schema-v4.sql): one row per confirmed request,
 * written in the same transaction as its confirmation record and before
 * anything of it runs; ended when it ends. A row left open belongs to a
 * monitor that died: main (for a monitor it saw die) and a restarted
 * privd (for every one) end its group and record it as abandoned.
 */
#ifndef PRIVD_RECORD_H
#define PRIVD_RECORD_H

#include <stddef.h>
#include <sys/types.h>

#include "db/ixdb.h"
#include "libixutil/ix_log.h"

#define PRIVD_REQ_ID_LEN 16	/* hex digits of a request's id */

/* A fresh request id: 64 random bits in hex (PRIVD_REQ_ID_LEN + 1). */
void privd_req_id(char id[PRIVD_REQ_ID_LEN + 1]);

/* Inserts the open row of req (inside the caller's transaction). 0 or -1. */
int privd_record_begin(struct ixdb *db, const char *req, pid_t monitor, pid_t client,
		       const char *login, const char *request, struct ix_err *err);

/* Ends req's row with how ("status=N", "signal=N", "error", "abandoned:
 * ..."), unless it has ended already. Returns 1 ended now, 0 already
 * ended, -1 with *err. */
int privd_record_end(struct ixdb *db, const char *req, const char *how, struct ix_err *err);

/*
 * The open rows of the monitor pid (0: of every monitor), each ended as
 * abandoned with why, its group ended first (exec.h), and an audit record
 * "privd-exit v1 exit ... abandoned" for each, in one transaction per row.
 * Returns how many were abandoned, or -1 with *err.
 */
int privd_record_abandon(struct ixdb *db, const char *head, struct ix_log *log, pid_t monitor,
			 const char *why, struct ix_err *err);

#endif
