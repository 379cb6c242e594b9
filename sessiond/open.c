/*
 * OPEN, in the monitor (conn.h): the checks in order (clearance, port,
 * authentication through passwdd on the user's terminal), then the
 * session itself (run.c).
 *
 * Between steps the monitor hears its worker (sess_hear): the client's
 * hang-up stops the conversation, and anything the machine does not
 * permit is fatal before the next step is taken. The session is recorded
 * before anything outside the monitor changes (the user's terminal, the
 * compartment), so that whoever finds the monitor dead (main, or the next
 * sessiond) can undo it from the record. Every refusal, start and end
 * goes to the audit chain and the log; a session that cannot be recorded
 * is not started.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libauthtree/store.h"
#include "libcompart/compart.h"
#include "libterm/streamid.h"
#include "passwdd/client.h"
#include "sessiond/proto.h"
#include "sessiond/run.h"
/* How long an honest worker may take to close its copies of the
 * client's descriptors after relaying them (it does so at once). */
#define RELEASE_WAIT_MS 1000

static int
current_tree(struct conn *c, struct ix_err *err)
{
	int64_t gen;

	if (ixdb_generation(c->db, &gen, err) < 0)
		return -1;
	c->p = c->srv->policy;
	if (gen != c->srv->gen) {
		if (ix_store_load(c->db, &c->own, err) < 0)
			return -1;
		c->p = c->own;
		ix_log_event(c->srv->log, "reload", "by=monitor generation=%lld", (long long)gen);
	}
	c->nprov = 0;
	for (size_t i = 0; i < c->p->nproviders && i < SESSIOND_PROVIDERS_MAX; i++)
		c->prov[c->nprov++] = (struct ix_stream_provider){ c->p->providers[i].name,
								   c->p->providers[i].path };
	return 0;
}

/* The user's terminal: fd 0 a terminal open for reading, fd 1 the same
 * terminal open for writing. Returns 1, 0 refused (why), -1. */
static int
user_terminal(struct conn *c, struct session *s, char *why, size_t whysize, struct ix_err *err)
{
	struct stat out;
	int fl0 = fcntl(s->cfd[0], F_GETFL), fl1 = fcntl(s->cfd[1], F_GETFL);

	if (fl0 < 0 || fl1 < 0 || fstat(s->cfd[0], &s->user_st) < 0 || fstat(s->cfd[1], &out) < 0)
		return ix_err_sys(err, "examining the client's descriptors");
	if (!isatty(s->cfd[0]) || (fl0 & O_ACCMODE) == O_WRONLY || (fl0 & O_PATH)) {
		snprintf(why, whysize, "refused: standard input is not a terminal open for reading");
		return 0;
	}
	if (!isatty(s->cfd[1]) || out.st_rdev != s->user_st.st_rdev || (fl1 & O_ACCMODE) == O_RDONLY) {
		snprintf(why, whysize, "refused: standard output is not the terminal of standard input");
		return 0;
	}
	return 1;
}

static int
authenticate(struct conn *c, struct session *s, struct ix_err *err)
{
	int v = pw_client_verify(c->srv->passwdd, c->login, s->cfd[0], c->peer.pidfd,
				 c->srv->prompt_timeout_ms + 30000, err);

	if (v < 0)
		return -1;
	sess_audit(c, "sessiond-password", "v1 password user=%s pid=%d verdict=%s", c->login,
	      (int)c->peer.pid, pw_verdict_name(v));
	return v == PW_VERDICT_OK;
}

/* The label the user works at now: the client's process label. */
static int
previous_label(struct conn *c, struct session *s, struct ix_err *err)
{
	struct ix_task_label tl;
	bool labelled;

	if (ix_proc_label(c->peer.pid, c->peer.pidfd, &tl, &labelled, err) < 0)
		return -1;
	if (labelled)
		s->prev = tl.label;
	else
		ix_label_bottom(c->p->enc, &s->prev);
	return 0;
}

/*
 * Whether the worker has let go of the client's terminal: before passwdd
 * asks for a password on it, no process outside the client's session may
 * hold it (pex), and an honest worker closed its copies as soon as it had
 * relayed them. One that keeps one could read what is typed: fatal.
 * Returns 1 let go, 0 still held after RELEASE_WAIT_MS, -1 with *err.
 */
static int
worker_let_go(struct conn *c, dev_t rdev, struct ix_err *err)
{
	char dir[64], path[96];

	snprintf(dir, sizeof dir, "/proc/%d/fd", (int)c->worker);
	for (int waited = 0; waited < RELEASE_WAIT_MS; waited += 10) {
		struct dirent *d;
		bool held = false;
		DIR *fds = opendir(dir);

		if (fds == NULL)	/* gone: sess_hear says so next */
			return errno == ENOENT ? 1 : ix_err_sys(err, "%s", dir);
		while ((d = readdir(fds)) != NULL && !held) {
			struct stat st;

			snprintf(path, sizeof path, "%s/%s", dir, d->d_name);
			held = d->d_name[0] != '.' && stat(path, &st) == 0 && S_ISCHR(st.st_mode) &&
			       st.st_rdev == rdev;
		}
		closedir(fds);
		if (!held)
			return 1;
		poll(NULL, 0, 10);
	}
	return 0;
}

/* The one place the clearance and port are decided (libauthtree is to
 * take this over as a pure call). */
static int
decide(struct conn *c, struct session *s, char *why, size_t whysize, struct ix_err *err)
{
	return ix_decide_session(c->p, c->login, c->src, s->label_text, &s->g, why, whysize, err);
}

/* IDENTIFIED -> CHECKED, or refused. 1 checked, 0 answered (refused), -1. */
static int
check(struct conn *c, struct session *s, struct ix_err *err)
{
	char why[SESSIOND_WHY_MAX];
	struct passwd *pwp = NULL;
	int ok;

	if (current_tree(c, err) < 0)
		return sess_refuse(c, SESSIOND_EX_ERROR, err->msg, err) < 0 ? -1 : 0;
	if (getpwuid_r(c->peer.uid, &s->pw, s->pwbuf, sizeof s->pwbuf, &pwp) != 0 || pwp == NULL)
		return sess_refuse(c, SESSIOND_EX_ERROR, "the caller's password entry cannot be read",
				   err) < 0 ? -1 : 0;
	ok = user_terminal(c, s, why, sizeof why, err);
	if (ok == 1 && ix_stream_id(s->cfd[0], c->prov, c->nprov, c->src, sizeof c->src, err) < 0)
		ok = -1;
	if (ok == 1)
		ok = decide(c, s, why, sizeof why, err);
	if (ok == 1 && ix_label_print(c->p->enc, &s->g.label, s->label, sizeof s->label, err) < 0)
		ok = -1;
	if (ok < 0) {
		sess_audit(c, "sessiond-request", "v1 request uid=%u pid=%d label=%s port=%s "
			   "decision=error error=%s", (unsigned)c->peer.uid, (int)c->peer.pid,
			   s->label_text, c->src[0] ? c->src : "-", err->msg);
		return sess_refuse(c, SESSIOND_EX_ERROR, err->msg, err) < 0 ? -1 : 0;
	}
	if (sess_audit(c, "sessiond-request", "v1 request uid=%u pid=%d label=%s port=%s admin=%s "
		       "decision=%s reason=%s", (unsigned)c->peer.uid, (int)c->peer.pid, s->label_text,
		       c->src[0] ? c->src : "-", (s->flags & SESSIOND_F_ADMIN) ? "yes" : "no",
		       ok ? "checked" : "refused", ok ? "-" : why) < 0)
		return sess_refuse(c, SESSIOND_EX_ERROR, "sessiond cannot record the request in the "
				   "audit chain", err) < 0 ? -1 : 0;
	if (!ok)
		return sess_refuse(c, SESSIOND_EX_REFUSED, why, err) < 0 ? -1 : 0;
	sess_move(c, SESS_CHECKED);
	return 1;
}

/* Whether sessiond is stopping (SIGTERM, or main closed the slot's
 * socket): a session is not started then. */
static bool
stopping(const struct conn *c)
{
	struct pollfd p[2] = { { c->stop_r, POLLIN, 0 }, { c->main_ctl, POLLIN, 0 } };

	return poll(p, 2, 0) > 0;
}

/* The client went, or the worker did (handled by sess_hear). */
static int
stopped(struct conn *c, const char *stage)
{
	if (c->heard.hangup >= 0)
		ix_log_event(c->srv->log, "reject", "stage=%s uid=%u pid=%d error=the client went",
			     stage, (unsigned)c->peer.uid, (int)c->peer.pid);
	return c->heard.hangup >= 0 ? 0 : -1;
}

/* Starts the watch on the user's terminal, or refuses. 1 started, 0
 * answered (refused), -1. */
static int
watch_start(struct conn *c, struct session *s)
{
	char why[IX_PEX_WHY_MAX], words[IX_PEX_WHY_MAX + 16];
	struct ix_err e;
	int rc = sess_watch_start(&s->watch, s->cfd[0], &c->peer, why, sizeof why, &e);

	if (rc == 1)
		return 1;
	if (rc < 0)
		return sess_refuse(c, SESSIOND_EX_ERROR, e.msg, &e) < 0 ? -1 : 0;
	snprintf(words, sizeof words, "refused: %s", why);
	return sess_refuse(c, SESSIOND_EX_REFUSED, words, &e) < 0 ? -1 : 0;
}

int
sess_open(struct conn *c)
{
	struct session s = { .master = -1, .slave = -1, .shell_fd = -1, .shell = -1 };
	const struct sess_request *q = &c->heard.req;
	struct ix_err e;
	int ok;

	s.flags = q->flags;
	s.label_text = q->label;
	s.term = q->term;
	s.cmd = q->argv;
	s.ncmd = q->argc;
	memcpy(s.cfd, q->fd, sizeof s.cfd);
	if ((ok = check(c, &s, &e)) <= 0)
		return ok;
	/* Before passwdd asks on the terminal: nothing pending from the
	 * worker, and the worker holds none of the terminal. */
	if (sess_hear(c, 0) < 0)
		return stopped(c, "checks");
	if ((ok = worker_let_go(c, s.user_st.st_rdev, &e)) <= 0) {
		if (ok == 0)
			ix_err_set(&e, IX_EDENIED, "it kept the client's terminal after relaying it");
		sess_fatal(c, &e);
		return -1;
	}
	ok = authenticate(c, &s, &e);
	if (ok <= 0)
		return sess_refuse(c, ok < 0 ? SESSIOND_EX_ERROR : SESSIOND_EX_REFUSED,
				   ok < 0 ? e.msg : "refused: authentication failed", &e);
	sess_move(c, SESS_AUTHENTICATED);
	/* The person may have taken a while: the client or the worker may
	 * have gone meanwhile. Nothing starts then. */
	if (sess_hear(c, 0) < 0)
		return stopped(c, "authentication");
	if (ix_peer_alive(&c->peer, &e) != 1)
		return sess_refuse(c, SESSIOND_EX_ERROR, "the client has gone", &e);
	if (stopping(c))
		return sess_refuse(c, SESSIOND_EX_ERROR, "sessiond is stopping", &e);
	/* From here to the session's end the user's terminal must stay the
	 * client's alone (watch.h): its holders now are the ones allowed. */
	if ((ok = watch_start(c, &s)) <= 0)
		return ok < 0 ? -1 : 0;
	if (previous_label(c, &s, &e) < 0 || sess_start(c, &s, &e) < 0) {
		ix_log_event(c->srv->log, "error", "stage=start login=%s error=%s", c->login, e.msg);
		if (s.shell > 0) {
			kill(s.shell, SIGKILL);
			waitpid(s.shell, NULL, 0);
		}
		sess_end(c, &s, "not started");
		return sess_refuse(c, SESSIOND_EX_ERROR, e.msg, &e);
	}
	sess_move(c, SESS_RUNNING);
	sess_run(c, &s);
	return 0;
}
