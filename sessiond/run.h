/*
 * A session itself, in the monitor (run.c): its start once OPEN has been
 * checked and authenticated (open.c), the relay while it runs, and its
 * end on every path. Everything a session holds is in struct session, so
 * that the end can undo exactly what was done.
 */
#ifndef SESSIOND_RUN_H
#define SESSIOND_RUN_H

#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <termios.h>

#include "libcompart/compart.h"
#include "libcompart/flabel_index.h"
#include "sessiond/check.h"
#include "sessiond/conn.h"
#include "sessiond/watch.h"
#include "sessiond/writable.h"

#define SESS_TAG_TOKEN_LEN 32

/* Everything a running session holds, so that the end can undo it. */
struct session {
	uint8_t flags;
	const char *label_text;		/* as asked */
	int cfd[3];			/* the client's descriptors 0, 1, 2 (the request's) */
	char label[IX_LABEL_TEXT_MAX];	/* canonical */
	const char *term;
	char *const *cmd;
	int ncmd;
	struct ix_session_grant g;
	struct ix_label prev;		/* the label the user worked at */
	struct passwd pw;		/* the user, copied */
	char pwbuf[4096];
	int master, slave;		/* the new pty */
	char tty[32];
	dev_t tty_rdev;
	struct stat user_st;		/* the user's terminal as it was */
	bool user_labelled;		/* it had a tier 1 label */
	struct ix_label user_label;
	bool relabelled;		/* we relabelled it */
	struct termios user_tio;	/* its modes, restored at the end */
	bool have_tio;
	struct ix_compart comp;
	bool comp_made;
	struct ix_labelled_file *files;
	size_t nfiles;
	struct sess_writable wr;	/* what the shell may write (writable.h) */
	int64_t id;			/* row in the sessions table, 0 before */
	uint8_t token[SESS_TAG_TOKEN_LEN];
	bool tagged;
	pid_t shell;
	int shell_fd;
	struct sess_watch watch;	/* the user's terminal, watched while the session runs */
	char watch_why[IX_PEX_WHY_MAX];	/* why the watch ended the session */
};

/*
 * Sets up everything up to and including the running shell, the
 * session recorded before anything outside the monitor changes. Returns
 * 0, or -1 with *err; what was done stays in s for sess_end to undo.
 */
int sess_start(struct conn *c, struct session *s, struct ix_err *err);
/* Undoes what s holds, on every path, and records the end as how. */
void sess_end(struct conn *c, struct session *s, const char *how);
/* The session runs (the machine is RUNNING): tells the client and the
 * worker, relays until it ends, ends it and tells the client how. */
void sess_run(struct conn *c, struct session *s);

#endif
