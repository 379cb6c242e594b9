/*
 * A session itself (run.h): a fresh pty labelled with the session's
 * label and given to the user, a compartment at that label, the shell
 * started context-free on the pty as its controlling terminal, and the
 * relay between the user's terminal and the pty until the session ends.
 * The end undoes every step on every path: the pty hung up, the
 * compartment emptied and removed, the administrator tag withdrawn, the
 * user's terminal given back its label and modes, the screen cleared
 * where the label went down.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcompart/cfexec.h"
#include "libcompart/tier1.h"
#include "libterm/tty.h"
#include "passwdd/client.h"
#include "sessiond/mproto.h"
#include "sessiond/proto.h"
#include "sessiond/record.h"
#include "sessiond/run.h"

#define ANSWER_TIMEOUT_MS 5000
#define KILL_TIMEOUT_MS 5000
#define HUP_GRACE_MS 500
#define CLEAR_SCREEN "\033[H\033[2J\033[3J"
#define ENV_MAX 9

static int
open_pty(struct session *s, struct ix_err *err)
{
	struct stat st;
	int n;

	s->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s->master < 0)
		return ix_err_sys(err, "allocating a pty");
	if (unlockpt(s->master) < 0 || ioctl(s->master, TIOCGPTN, &n) < 0)
		return ix_err_sys(err, "unlocking the pty");
	/* The slave by descriptor, never by a path someone could replace. */
	s->slave = ioctl(s->master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s->slave < 0 || fstat(s->slave, &st) < 0)
		return ix_err_sys(err, "opening the pty's slave");
	s->tty_rdev = st.st_rdev;
	snprintf(s->tty, sizeof s->tty, "/dev/pts/%d", n);
	if (fcntl(s->master, F_SETFL, fcntl(s->master, F_GETFL) | O_NONBLOCK) < 0)
		return ix_err_sys(err, "the pty's master");
	/* The user's modes, before the client makes its terminal raw. */
	if (s->have_tio)
		tcsetattr(s->slave, TCSANOW, &s->user_tio);
	return 0;
}

/* The label the user's terminal has now (tier 1), for the record and
 * the restore. */
static int
user_tty_label(struct session *s, struct ix_err *err)
{
	struct ix_t1 *t1 = NULL;

	if (ix_t1_open(NULL, &t1, err) == 0) {
		int r = ix_t1_tty_get(t1, s->user_st.st_rdev, &s->user_label, &s->user_labelled, err);

		ix_t1_close(t1);
		if (r < 0)
			return -1;
	} else if (err->code != IX_ENOENT) {
		return -1;
	}
	return 0;
}

/* The user's terminal takes the session's label (tier 1; owner and mode
 * kept as they are). */
static int
relabel_user_tty(struct session *s, struct ix_err *err)
{
	if (ix_tty_relabel(s->cfd[0], &s->g.label, s->user_st.st_uid, s->user_st.st_gid,
			   s->user_st.st_mode, 0, err) < 0)
		return -1;
	s->relabelled = true;
	return 0;
}

static int
user_ids(struct session *s, struct ix_ids *ids, struct ix_err *err)
{
	int n = IX_CAPS_MAX_GROUPS;

	ids->uid = s->pw.pw_uid;
	ids->gid = s->pw.pw_gid;
	if (getgrouplist(s->pw.pw_name, s->pw.pw_gid, ids->groups, &n) < 0)
		return ix_err_set(err, IX_ELIMIT, "%s is in more than %d groups", s->pw.pw_name,
				  IX_CAPS_MAX_GROUPS);
	ids->ngroups = (size_t)n;
	return 0;
}

static int
start_shell(struct conn *c, struct session *s, struct ix_err *err)
{
	static char sh_exec[] = "exec \"$@\"", dash_c[] = "-c";
	char env[ENV_MAX][IX_PATH_MAX + 16], *envp[ENV_MAX + 1], *argv[SESSIOND_ARGC_MAX + 5];
	char argv0[IX_PATH_MAX];
	const char *shell = s->pw.pw_shell && s->pw.pw_shell[0] == '/' ? s->pw.pw_shell : "/bin/sh";
	struct ix_cfexec spec = { 0 };
	size_t ne = 0;
	int na = 0;

	if (s->g.below_floor)
		shell = c->srv->nosh;
	snprintf(env[ne++], sizeof env[0], "HOME=%s", s->pw.pw_dir);
	snprintf(env[ne++], sizeof env[0], "USER=%s", s->pw.pw_name);
	snprintf(env[ne++], sizeof env[0], "LOGNAME=%s", s->pw.pw_name);
	snprintf(env[ne++], sizeof env[0], "SHELL=%s", shell);
	snprintf(env[ne++], sizeof env[0], "PATH=/usr/local/bin:/usr/bin:/bin");
	snprintf(env[ne++], sizeof env[0], "IXKIT_SESSION=%lld", (long long)s->id);
	snprintf(env[ne++], sizeof env[0], "IXKIT_SESSION_LABEL=%s", s->label);
	if (s->term[0])
		snprintf(env[ne++], sizeof env[0], "TERM=%s", s->term);
	for (size_t i = 0; i < ne; i++)
		envp[i] = env[i];
	envp[ne] = NULL;
	if (s->ncmd == 0) {
		/* A login shell: argv[0] is "-" and the shell's name. */
		const char *base = strrchr(shell, '/') + 1;

		snprintf(argv0, sizeof argv0, "-%s", base);
		argv[na++] = argv0;
		spec.path = shell;
	} else if (s->g.below_floor) {
		/* Below the floor no shell interprets the words: an absolute
		 * program, as nosh itself would demand. */
		if (s->cmd[0][0] != '/')
			return ix_err_set(err, IX_EINVAL, "below the system floor a command must be an "
					  "absolute path, not '%s'", s->cmd[0]);
		spec.path = s->cmd[0];
		for (int i = 0; i < s->ncmd; i++)
			argv[na++] = s->cmd[i];
	} else {
		/* The shell finds the program on PATH; the words stay words
		 * ("$@"), never parsed as shell text. */
		spec.path = shell;
		argv[na++] = (char *)shell;
		argv[na++] = dash_c;
		argv[na++] = sh_exec;
		argv[na++] = (char *)shell;
		for (int i = 0; i < s->ncmd; i++)
			argv[na++] = s->cmd[i];
	}
	argv[na] = NULL;
	spec.argv = argv;
	spec.envp = envp;
	spec.fds[0] = spec.fds[1] = spec.fds[2] = s->slave;
	if (user_ids(s, &spec.ids, err) < 0)
		return -1;
	spec.blackhole = c->srv->blackhole;
	spec.dir = s->pw.pw_dir;
	spec.compart = s->comp.name;
	spec.files = s->files;
	spec.nfiles = s->nfiles;
	spec.writable = s->wr.paths;
	spec.nwritable = s->wr.n;
	spec.flags = IX_CF_SETSID | IX_CF_CTTY;
	return ix_cfexec_start(&spec, &s->shell, &s->shell_fd, err);
}

static int
send_started(struct conn *c, struct session *s, struct ix_err *err)
{
	struct ix_msg *m = ix_msg_new(SESSIOND_MSG_STARTED, err);

	if (m != NULL) {
		ix_msg_put_u64(m, (uint64_t)s->id, err);
		ix_msg_put_str(m, s->label, SESSIOND_LABEL_MAX, err);
		ix_msg_put_str(m, s->tty, SESSIOND_LABEL_MAX, err);
	}
	return sess_send(c, m, err);
}

static void
clear_screen(struct session *s)
{
	(void)!write(s->cfd[1], CLEAR_SCREEN, sizeof CLEAR_SCREEN - 1);
}

/* A line on the user's terminal, in raw mode as the client set it. */
static void
tell_user(struct session *s, const char *words)
{
	char line[IX_PEX_WHY_MAX + 96];
	int n = snprintf(line, sizeof line, "\r\nsession ended: %s\r\n", words);

	if (n > 0)
		(void)!write(s->cfd[1], line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* Sets up everything up to and including the running shell. Nothing
 * outside this process changes before the session is recorded (the row
 * names the terminals and, by this process's pid, the compartment), so
 * that main or the next sessiond can undo a start cut short by a kill.
 * On failure what was done stays recorded in s for end_session to undo. */
int
sess_start(struct conn *c, struct session *s, struct ix_err *err)
{
	struct sess_row row = { 0 };
	const char *id1[1] = { c->login };
	struct group *tty;
	size_t stale = 0;

	if (tcgetattr(s->cfd[0], &s->user_tio) == 0)
		s->have_tio = true;
	if (open_pty(s, err) < 0)
		return -1;
	sess_copy_winsize(s->cfd[0], s->master);
	if (user_tty_label(s, err) < 0)
		return ix_err_prefix(err, "reading the label of the user's terminal");
	snprintf(s->comp.name, sizeof s->comp.name, "session-%d", (int)getpid());
	s->comp.label = s->g.label;
	s->comp.ceiling = s->g.ceiling;
	s->comp.flags = s->g.sealed ? IX_TASK_SEALED : 0;
	if (ix_flabel_index_load(c->db, &s->files, &s->nfiles, &stale, err) < 0 ||
	    sess_writable(&s->wr, s->pw.pw_dir, s->pw.pw_uid, &s->g.label, s->files, s->nfiles,
			  err) < 0)
		return -1;
	row = (struct sess_row){ c->login, c->peer.uid, s->label, c->src, s->tty, s->tty_rdev,
				 s->flags & SESSIOND_F_ADMIN, s->user_st.st_rdev, s->user_labelled,
				 s->user_label, getpid() };
	if (sess_record_start(c->db, &row, &s->id, err) < 0)
		return -1;
	if (sess_audit(c, "sessiond-start", "v1 start session=%lld uid=%u pid=%d label=%s port=%s "
		       "tty=%s compartment=%s sealed=%s writable=%zu admin=%s shell=%s",
		       (long long)s->id, (unsigned)c->peer.uid, (int)c->peer.pid, s->label, c->src,
		       s->tty, s->comp.name, s->g.sealed ? "yes" : "no", s->wr.n,
		       (s->flags & SESSIOND_F_ADMIN) ? "yes" : "no",
		       s->g.below_floor ? "nosh" : s->pw.pw_shell) < 0)
		return ix_err_set(err, IX_EDB, "sessiond cannot record the session in the audit chain");
	/* The pty becomes the user's at the session's label before anything
	 * runs on it; its old owner root:tty kept it from everyone meanwhile. */
	tty = getgrnam("tty");
	if (ix_tty_relabel(s->slave, &s->g.label, s->pw.pw_uid, tty ? tty->gr_gid : s->pw.pw_gid,
			   tty ? 0620 : 0600, 0, err) < 0)
		return ix_err_prefix(err, "labelling %s", s->tty);
	if (relabel_user_tty(s, err) < 0)
		return ix_err_prefix(err, "labelling the user's terminal");
	if (ix_compart_create_uids(&s->comp, &(const struct ix_uid_range){
			c->srv->cfg.compart_uid_min, c->srv->cfg.compart_uid_max }, err) < 0)
		return -1;
	s->comp_made = true;
	if (s->flags & SESSIOND_F_ADMIN) {
		if (getrandom(s->token, sizeof s->token, 0) != sizeof s->token)
			return ix_err_sys(err, "drawing the session's tag");
		if (pw_client_tag_register(c->srv->passwdd, s->comp.id, s->token, id1, 1,
					   c->srv->admin_lifetime, ANSWER_TIMEOUT_MS, err) < 0)
			return ix_err_prefix(err, "registering the administrator session with passwdd");
		s->tagged = true;
	}
	if (sess_must_clear(&s->prev, &s->g.label))
		clear_screen(s);
	if (start_shell(c, s, err) < 0)
		return -1;
	close(s->slave);	/* the shell holds it now; we keep only the master */
	s->slave = -1;
	return 0;
}

/* ---- The session: end, on every path ---- */

void
sess_end(struct conn *c, struct session *s, const char *how)
{
	struct ix_err e;
	int slave;

	/* Whatever still holds the pty is hung up, then killed with the
	 * rest of the compartment: nothing of the session outlives it. */
	slave = s->master >= 0 ? ioctl(s->master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC) : -1;
	if (slave >= 0) {
		/* Back to root, unlabelled, and hung up: no descriptor opened
		 * during the session reads or writes it any more. */
		if (ix_tty_relabel(slave, NULL, 0, 0, 0600, IX_TTY_REVOKE, &e) < 0)
			ix_log_event(c->srv->log, "warning", "session=%lld tty=%s label not removed: %s",
				     (long long)s->id, s->tty, e.msg);
		close(slave);
	}
	if (s->comp_made) {
		if (ix_compart_kill(s->comp.name, KILL_TIMEOUT_MS, &e) < 0 ||
		    ix_compart_remove(s->comp.name, &e) < 0)
			ix_log_event(c->srv->log, "warning", "compartment %s not removed: %s",
				     s->comp.name, e.msg);
	}
	if (s->shell_fd >= 0) {
		close(s->shell_fd);
		s->shell_fd = -1;
	}
	if (s->tagged && pw_client_tag_unregister(c->srv->passwdd, s->comp.id, s->token,
						  ANSWER_TIMEOUT_MS, &e) < 0)
		ix_log_event(c->srv->log, "warning", "session=%lld tag not withdrawn: %s",
			     (long long)s->id, e.msg);
	memset(s->token, 0, sizeof s->token);
	if (s->relabelled && ix_tty_relabel(s->cfd[0], s->user_labelled ? &s->user_label : NULL,
					    s->user_st.st_uid, s->user_st.st_gid, s->user_st.st_mode, 0,
					    &e) < 0)
		ix_log_event(c->srv->log, "error", "session=%lld the user's terminal label was not "
			     "restored: %s", (long long)s->id, e.msg);
	if (s->have_tio)
		tcsetattr(s->cfd[0], TCSADRAIN, &s->user_tio);
	if (s->id > 0 && sess_must_clear(&s->g.label, &s->prev))
		clear_screen(s);
	if (s->id > 0) {
		if (sess_record_end(c->db, s->id, how, &e) < 0)
			ix_log_event(c->srv->log, "error", "session=%lld end not recorded: %s",
				     (long long)s->id, e.msg);
		sess_audit(c, "sessiond-end", "v1 end session=%lld uid=%u how=%s", (long long)s->id,
		      (unsigned)c->peer.uid, how);
	}
	if (s->master >= 0)
		close(s->master);
	if (s->slave >= 0)
		close(s->slave);
	s->master = s->slave = -1;
	sess_writable_free(&s->wr);
	ix_flabel_index_free(s->files, s->nfiles);
	s->files = NULL;
}

static void
send_ended(struct conn *c, uint8_t how, uint8_t value, const char *words)
{
	struct ix_err e;
	struct ix_msg *m = ix_msg_new(SESSIOND_MSG_ENDED, &e);

	if (m != NULL) {
		ix_msg_put_u8(m, how, &e);
		ix_msg_put_u8(m, value, &e);
		ix_msg_put_str(m, words, SESSIOND_TEXT_MAX, &e);
	}
	sess_send(c, m, &e);	/* the client may be gone: nothing to tell */
}

/* The relay's ear on the worker (window sizes, the client's hang-up) and
 * its eye on the user's terminal (watch.h). */
struct hearing {
	struct conn *c;
	struct session *s;
};

static enum sess_end
from_worker(void *ctx)
{
	struct hearing *h = ctx;
	struct conn *c = h->c;
	int r = sess_hear(c, 0);

	for (; c->heard.winch > 0; c->heard.winch--)
		sess_copy_winsize(h->s->cfd[0], h->s->master);
	if (r == 0)
		return SESS_END_NONE;
	if (c->heard.hangup == SESSIOND_HANGUP_PROTOCOL)
		ix_log_event(c->srv->log, "reject", "stage=session uid=%u pid=%d error=only WINCH is "
			     "permitted while a session runs", (unsigned)c->peer.uid, (int)c->peer.pid);
	if (c->heard.hangup >= 0)
		return SESS_END_CLIENT;
	return c->worker_fatal ? SESS_END_FATAL : SESS_END_WORKER;
}

/* Whether the user's terminal is still the client's alone (watch.h). A
 * client that has exited is the client gone, as the worker would say; a
 * watch that cannot be made ends the session too: the terminal is read
 * only while it is known to be safe. */
static enum sess_end
guard(void *ctx)
{
	struct hearing *h = ctx;
	struct conn *c = h->c;
	struct session *s = h->s;
	enum sess_watch_change change;
	struct ix_err e;
	int rc = sess_watch_check(&s->watch, &change, s->watch_why, sizeof s->watch_why, &e);

	if (rc == 1)
		return SESS_END_NONE;
	if (ix_peer_alive(&c->peer, &e) == 0)
		return SESS_END_CLIENT;
	if (rc < 0) {
		ix_log_event(c->srv->log, "error", "session=%lld stage=watch error=%s",
			     (long long)s->id, e.msg);
		return SESS_END_ERROR;
	}
	return change == SESS_WATCH_FOREGROUND ? SESS_END_FOREGROUND : SESS_END_OPENED;
}

void
sess_run(struct conn *c, struct session *s)
{
	struct hearing h = { c, s };
	struct sess_relay r = { s->cfd[0], s->cfd[1], s->master, c->mon, s->shell_fd, c->stop_r,
				c->main_ctl, from_worker, guard, &h };
	static const char *const why[] = {
		[SESS_END_SHELL] = "shell", [SESS_END_HANGUP] = "terminal hung up",
		[SESS_END_CLIENT] = "client gone", [SESS_END_STOP] = "sessiond stopped",
		[SESS_END_ERROR] = "relay failed", [SESS_END_WORKER] = "worker gone",
		[SESS_END_FATAL] = "worker-fatal", [SESS_END_FOREGROUND] = "foreground taken",
		[SESS_END_OPENED] = "terminal opened",
	};
	enum sess_end how;
	char words[IX_PEX_WHY_MAX + 64];
	uint8_t kind = SESSIOND_END_OTHER, value = 0;
	struct ix_msg *m;
	struct ix_err e;
	int st;

	ix_log_event(c->srv->log, "started", "session=%lld login=%s shell_pid=%d tty=%s label=%s",
		     (long long)s->id, c->login, (int)s->shell, s->tty, s->label);
	if (send_started(c, s, &e) < 0)
		ix_log_event(c->srv->log, "warning", "login=%s STARTED not sent: %s", c->login, e.msg);
	/* From now the worker relays the client's window sizes. */
	if ((m = ix_msg_new(SESSIOND_MON_RUNNING, &e)) != NULL)
		ix_ipc_send(c->mon, m, ANSWER_TIMEOUT_MS, &e);
	ix_msg_free(m);
	how = sess_relay(&r);
	if (how == SESS_END_FOREGROUND || how == SESS_END_OPENED) {
		/* Told at once, before the end's steps, so that the person
		 * stops typing; session says it again once it has ended (the
		 * screen may be cleared in between). */
		snprintf(words, sizeof words, "%s; nothing typed after that reached the session",
			 s->watch_why);
		tell_user(s, words);
		ix_log_event(c->srv->log, "watch", "session=%lld uid=%u pid=%d port=%s error=%s",
			     (long long)s->id, (unsigned)c->peer.uid, (int)c->peer.pid, c->src, words);
	}
	if (how != SESS_END_SHELL) {
		/* As a hang-up would: SIGHUP, a moment to leave, then SIGKILL. */
		struct pollfd p = { s->shell_fd, POLLIN, 0 };

		kill(s->shell, SIGHUP);
		if (poll(&p, 1, HUP_GRACE_MS) <= 0)
			kill(s->shell, SIGKILL);
	}
	/* Reaped before the compartment is emptied and removed. */
	while (waitpid(s->shell, &st, 0) < 0 && errno == EINTR)
		;
	sess_end(c, s, how == SESS_END_SHELL ? "shell" : why[how]);
	sess_move(c, SESS_DONE);
	if (how == SESS_END_SHELL && WIFEXITED(st)) {
		kind = SESSIOND_END_EXITED;
		value = (uint8_t)WEXITSTATUS(st);
		snprintf(words, sizeof words, "exit %d", value);
	} else if (how == SESS_END_SHELL && WIFSIGNALED(st)) {
		kind = SESSIOND_END_SIGNALLED;
		value = (uint8_t)WTERMSIG(st);
		snprintf(words, sizeof words, "signal %d", value);
	} else if (how != SESS_END_FOREGROUND && how != SESS_END_OPENED) {
		snprintf(words, sizeof words, "%s", why[how]);
	}
	if (s->id > 0)
		sess_audit(c, "sessiond-exit", "v1 exit session=%lld uid=%u %s", (long long)s->id,
			   (unsigned)c->peer.uid, words);
	if (how != SESS_END_CLIENT)
		send_ended(c, kind, value, words);
}
