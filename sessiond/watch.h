/*
 * The watch on the user's terminal while a session runs (sessiond(8),
 * CAVEATS; issue 13, hole 2). The relay reads what the person types on
 * the user's terminal, a terminal shared with the user's old shell and
 * its jobs, at the old label. Two ways let a process outside the session
 * read it meanwhile, as the relay's read competes with its own:
 * - a process of the terminal's session (a background job ignoring
 *   SIGTTIN and SIGTTOU, reaching the terminal through /dev/tty, which no
 *   holder scan sees) makes itself the foreground process group
 *   (tcsetpgrp) and reads;
 * - a process outside the terminal's session opens it by its name (the
 *   terminal is the user's own) and reads: job control does not apply to
 *   a terminal that is not the reader's controlling terminal.
 * So the relay reads the terminal only while its foreground group is the
 * client's, the one it was when the session started (one read of
 * /proc/CLIENT/stat, ix_pex_foreground_still: every period and before
 * each read), and while no holder has appeared that was not there when
 * the session started (a scan of every process's descriptors,
 * ix_tty_holders_each: every WATCH_SCAN_MS, as it costs a walk of /proc).
 * A change ends the session (run.c): it is not suspended, since the
 * person, told at once, knows that the session is over, and a thief
 * taking the foreground back and forth finds no session to resume.
 *
 * What it cannot do: reads cannot be refused at tier 2. A thief that
 * takes the foreground reads what is typed until it is seen (one period)
 * and then until the old shell takes the terminal back as the client
 * exits; a thief quick enough to read and give the foreground back
 * between two periods is not seen at all. Tier 1 (compartd's BPF program)
 * is what closes those windows.
 *
 * Seeing every process needs what sessiond's monitor keeps
 * (CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH). A holder whose descriptors
 * cannot be read even so (opaque, ttyholders.h) is not counted: an
 * unprivileged process of the user never is one to sessiond.
 */
#ifndef SESSIOND_WATCH_H
#define SESSIOND_WATCH_H

#include <stdbool.h>
#include <sys/types.h>

#include "libipc/ipc.h"
#include "libterm/pex.h"

#define SESS_WATCH_MS 50		/* the foreground group is read this often */
#define SESS_WATCH_SCAN_MS 1000		/* and the holders this often */

/* How the terminal stopped being the client's alone. */
enum sess_watch_change {
	SESS_WATCH_FOREGROUND,	/* the foreground group is not the client's */
	SESS_WATCH_OPENED,	/* a holder that was not there at the start */
};

/* The watch; the caller's, filled by sess_watch_start. About 6 KiB. */
struct sess_watch {
	struct ix_pex_req r;		/* the terminal and the client (fd and pidfd the caller's) */
	pid_t pgrp;			/* the client's group: the foreground throughout */
	long long next_scan;		/* ix_now_ms() at which the holders are scanned next */
	struct ix_pex_seen before;	/* holders at the start, but this process */
	struct ix_pex_seen now;		/* scratch for each scan */
};

/*
 * Starts watching the terminal on fd for the client peer (both the
 * caller's, kept until the watch ends): the client's group must be the
 * terminal's foreground group now; its holders are recorded. Returns 1,
 * 0 with why (the client is not in the foreground, has exited, or more
 * than IX_PEX_HOLDERS_MAX descriptors hold the terminal), or -1 with
 * *err.
 */
int sess_watch_start(struct sess_watch *w, int fd, const struct ix_peer *peer,
		     char *why, size_t whysize, struct ix_err *err);

/*
 * Whether the terminal is still the client's alone: the foreground group
 * always, the holders when a scan is due. Returns 1; 0 with *change and
 * why ("the foreground process group changed (pid 4242 (bgsteal) took the
 * terminal)", "pid 4242 opened your terminal during the session"; a client
 * that exited says so too: the caller tells that apart); -1 with *err.
 */
int sess_watch_check(struct sess_watch *w, enum sess_watch_change *change, char *why,
		     size_t whysize, struct ix_err *err);

#endif
