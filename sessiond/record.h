/*
 * The sessions table (db/schema-v3.sql): a row when a session starts,
 * completed when it ends; live rows for session -l; rows left open by a
 * sessiond that died, closed by the next one after it has restored the
 * terminals they name.
 */
#ifndef SESSIOND_RECORD_H
#define SESSIOND_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "db/ixdb.h"
#include "liblattice/label.h"

struct sess_row {
	const char *login;		/* who */
	uid_t uid;
	const char *label;		/* canonical text of the session's label */
	const char *port;		/* stream identifier of the user's terminal */
	const char *tty;		/* the session's pty, /dev/pts/N */
	dev_t tty_rdev;			/* its device number */
	bool admin;			/* session -a */
	dev_t user_tty_rdev;		/* the user's terminal */
	bool user_tty_labelled;		/* it had a (tier 1) label before */
	struct ix_label user_tty_label;	/* that label, to restore */
	pid_t worker;			/* the monitor serving the session (worker_pid) */
};

/* Inserts r as a live session; *id (OUT) names it. Returns 0 or -1. */
int sess_record_start(struct ixdb *db, const struct sess_row *r, int64_t *id,
		      struct ix_err *err);
/* Ends session id with how (<= 256 bytes). Returns 0, or -1 (IX_ENOENT
 * when it is not live). */
int sess_record_end(struct ixdb *db, int64_t id, const char *how, struct ix_err *err);

/* The live sessions of uid, one line each ("ID LABEL on TTY from PORT since
 * DATE[ admin]"); *text malloc'd (caller frees), *n (OUT) their count. */
int sess_record_live(struct ixdb *db, uid_t uid, char **text, uint32_t *n,
		     struct ix_err *err);

/* A session whose sessiond died, as sess_record_orphans hands it over. */
struct sess_orphan {
	int64_t id;
	pid_t worker;
	dev_t tty_rdev;
	dev_t user_tty_rdev;
	bool user_tty_labelled;
	struct ix_label user_tty_label;
};

/* Calls fn for every live session (only == 0) or for those whose
 * worker_pid is only; when fn returns 0 the session is ended with how.
 * Returns the number ended, or -1. */
int sess_record_orphans(struct ixdb *db, pid_t only, const char *how,
			int (*fn)(const struct sess_orphan *o, void *arg), void *arg,
			struct ix_err *err);

#endif
