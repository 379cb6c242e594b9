/*
 * The watch on the user's terminal while a session runs (watch.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "libixutil/ix_time.h"
#include "libterm/ttyholders.h"
#include "sessiond/watch.h"

/* Records one holder into the scan's seen, but this process (it holds
 * the client's descriptors), a holder that exited during the scan and
 * an opaque one (watch.h). */
static int
record(const struct ix_tty_holder *h, void *arg, struct ix_err *err)
{
	struct ix_pex_seen *seen = arg;

	if (h->opaque || h->sid == -1 || h->pid == getpid())
		return 0;
	if (seen->n == IX_PEX_HOLDERS_MAX)
		return ix_err_set(err, IX_ELIMIT, "the terminal is held by more than %d descriptors",
				  IX_PEX_HOLDERS_MAX);
	seen->h[seen->n++] = (struct ix_pex_holder){ h->pid, h->fd, h->master };
	return 0;
}

/* The holders now into into. Returns 1; 0 with why when there are too
 * many to watch; -1 with *err. */
static int
scan(struct sess_watch *w, struct ix_pex_seen *into, char *why, size_t whysize,
     struct ix_err *err)
{
	into->n = 0;
	w->next_scan = ix_now_ms() + SESS_WATCH_SCAN_MS;
	if (ix_tty_holders_each(w->r.fd, record, into, err) == 0)
		return 1;
	if (err->code != IX_ELIMIT)
		return -1;
	snprintf(why, whysize, "%s", err->msg);
	return 0;
}

int
sess_watch_start(struct sess_watch *w, int fd, const struct ix_peer *peer, char *why,
		 size_t whysize, struct ix_err *err)
{
	int rc;

	memset(w, 0, sizeof *w);
	w->r = (struct ix_pex_req){ .fd = fd, .client_pid = peer->pid, .client_pidfd = peer->pidfd };
	/* The pid is pinned by the pidfd: ix_pex_foreground_still confirms
	 * it after reading the group, and a group changed in between is
	 * refused there. */
	w->pgrp = getpgid(peer->pid);
	if (w->pgrp < 0 && errno != ESRCH)
		return ix_err_sys(err, "process group of %d", (int)peer->pid);
	if (w->pgrp < 0) {
		snprintf(why, whysize, "your process %d has exited", (int)peer->pid);
		return 0;
	}
	rc = ix_pex_foreground_still(&w->r, w->pgrp, why, whysize, err);
	if (rc != 1)
		return rc;
	return scan(w, &w->before, why, whysize, err);
}

int
sess_watch_check(struct sess_watch *w, enum sess_watch_change *change, char *why,
		 size_t whysize, struct ix_err *err)
{
	pid_t pid;
	int rc;

	*change = SESS_WATCH_FOREGROUND;
	rc = ix_pex_foreground_still(&w->r, w->pgrp, why, whysize, err);
	if (rc != 1 || ix_now_ms() < w->next_scan)
		return rc;
	*change = SESS_WATCH_OPENED;
	if ((rc = scan(w, &w->now, why, whysize, err)) != 1)
		return rc;
	if (!ix_pex_new_holder(&w->before, &w->now, &pid))
		return 1;
	snprintf(why, whysize, "pid %d opened your terminal during the session", (int)pid);
	return 0;
}
