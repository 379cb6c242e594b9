/*
 * privd's monitor at work on one request (libipc/SERVER.md): who the
 * client is, the decision, the confirmation over the private path, the
 * steps of the plan it decided, and the answers to the client, written
 * on the connection itself. The worker's relay of the request is all it
 * reads from the worker before the action runs; then it reads the
 * client's signals and hang-up, relayed (slot.c dispatches them).
 *
 * Every request, decision, password outcome, confirmation and exit status
 * goes to the audit chain (db/) and the log; a decision that cannot be
 * recorded is not acted on. A confirmed request has its row in the
 * actions table (record.h) in the same transaction as its confirmation,
 * before anything of it runs: a monitor that dies leaves it open, and
 * main or the next privd records it as abandoned.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/ixdb.h"
#include "libauthtree/eval.h"
#include "libauthtree/store.h"
#include "libterm/pex.h"
#include "libterm/prompt.h"
#include "passwdd/client.h"
#include "privd/apply.h"
#include "libpcopy/licence.h"
#include "privd/exec.h"
#include "privd/licence.h"
#include "privd/monitor.h"
#include "privd/proto.h"
#include "privd/record.h"
#include "privd/request.h"
#include "privd/server.h"

_Static_assert(PRIVD_EDIT_PATH_MAX == IX_NODE_PATH_MAX, "the wire's node path bound");

#define ANSWER_TIMEOUT_MS 5000
#define AUDIT_TEXT_MAX 16384

volatile sig_atomic_t privd_terminated;
volatile sig_atomic_t privd_kill_fd = -1;

static int
move(struct privd_conn *c, enum privd_state to, struct ix_err *err)
{
	return ix_mon_move(&c->machine, to, err);
}

/* Appends one record to the chain and logs it. Returns 0 or -1. */
static int __attribute__((format(printf, 3, 4)))
audit(struct privd_conn *c, const char *kind, const char *fmt, ...)
{
	char text[AUDIT_TEXT_MAX];
	struct ix_err e;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	return ixdb_audit_log(c->db, c->srv->cfg.audit_head, c->srv->log, kind,
			      c->login[0] ? c->login : "?", text, &e);
}

/* Begins a transaction that several audit() records join: one commit
 * makes them durable together (one WAL sync and one head file sync for
 * all). Returns 0 or -1 (logged). */
static int
audit_begin(struct privd_conn *c)
{
	struct ix_err e;

	if (c->db != NULL && ixdb_begin(c->db, &e) == 0)
		return 0;
	ix_log_event(c->srv->log, "audit-error", "stage=begin error=%s",
		     c->db ? e.msg : "no database");
	return -1;
}

/* Commits what audit_begin opened; on failure the records are rolled
 * back (their log lines stand, followed by this error) and -1 says
 * nothing of it may be acted on. */
static int
audit_commit(struct privd_conn *c)
{
	struct ix_err e;

	if (ixdb_commit(c->db, &e) == 0)
		return 0;
	ix_log_event(c->srv->log, "audit-error", "stage=commit error=%s (the records above are not "
		     "in the chain)", e.msg);
	if (ixdb_in_transaction(c->db))
		ixdb_rollback(c->db);
	return -1;
}

/* The record of a decision. Returns 0 or -1 (as audit). */
static int
audit_request(struct privd_conn *c, const struct ix_decision *dec, uint8_t flags, const char *nodes)
{
	return audit(c, "privd-request", "v1 request uid=%u pid=%d req=%s src=%s flags=%u decision=%s "
		     "rule=%s nodes=%s unattended=%s request=%s", (unsigned)c->peer.uid,
		     (int)c->peer.pid, c->req, c->src, flags, dec->allow ? "granted" : "refused",
		     dec->rule >= 0 ? c->p->rules[dec->rule].name : "-", nodes[0] ? nodes : "-",
		     dec->unattended ? "yes" : "no", c->rq->text);
}

/* The confirmation's record and the action's open row, made durable
 * together before anything of the action runs. 0 or -1 (logged). */
static int
confirmed(struct privd_conn *c, const char *outcome)
{
	struct ix_err e;

	if (audit_begin(c) < 0)
		return -1;
	if (audit(c, "privd-confirm", "v1 confirm pid=%d req=%s outcome=%s request=%s",
		  (int)c->peer.pid, c->req, outcome, c->rq->text) < 0 ||
	    privd_record_begin(c->db, c->req, getpid(), c->peer.pid, c->login, c->rq->text, &e) < 0) {
		ix_log_event(c->srv->log, "audit-error", "stage=action-row error=%s", e.msg);
		ixdb_rollback(c->db);
		return -1;
	}
	return audit_commit(c);
}

/* The action's end: its exit record and its row, one transaction. */
static void
ended(struct privd_conn *c, const char *how_fmt, ...)
{
	char how[256];
	struct ix_err e;
	va_list ap;

	va_start(ap, how_fmt);
	vsnprintf(how, sizeof how, how_fmt, ap);
	va_end(ap);
	if (audit_begin(c) < 0)
		return;
	if (audit(c, "privd-exit", "v1 exit pid=%d req=%s %s request=%s", (int)c->peer.pid, c->req,
		  how, c->rq->text) < 0 || privd_record_end(c->db, c->req, how, &e) < 0) {
		ixdb_rollback(c->db);
		return;
	}
	audit_commit(c);
}

static int
send_msg(struct privd_conn *c, struct ix_msg *m, struct ix_err *err)
{
	return ix_ipc_send_free(c->fd, m, ANSWER_TIMEOUT_MS, err);
}

static int
send_text(struct privd_conn *c, uint16_t type, uint8_t v, const char *text, struct ix_err *err)
{
	struct ix_msg *m = ix_msg_new(type, err);

	if (m != NULL) {
		ix_msg_put_u8(m, v, err);
		ix_msg_put_str(m, text, PRIVD_TEXT_MAX, err);
	}
	return send_msg(c, m, err);
}

static int
refuse(struct privd_conn *c, uint8_t code, const char *why, struct ix_err *err)
{
	char words[IX_ERR_MSG_MAX + IX_PEX_WHY_MAX + 128];

	snprintf(words, sizeof words, "%s", why);	/* why may be err->msg */
	ix_log_event(c->srv->log, "refused", "login=%s pid=%d code=%u reason=%s", c->login,
		     (int)c->peer.pid, code, words);
	return send_text(c, PRIVD_MSG_REFUSED, code, words, err);
}

/* PW atoms: passwdd asks the person at the client's fd 0 itself. */
static int
password(void *arg, const char *user, struct ix_err *err)
{
	struct privd_conn *c = arg;
	int v = pw_client_verify(c->srv->passwdd, user, c->rq->fds[0], c->peer.pidfd,
				 c->srv->prompt_timeout_ms + 30000, err);

	if (v < 0)
		return -1;
	audit(c, "privd-password", "v1 password user=%s pid=%d req=%s verdict=%s", user,
	      (int)c->peer.pid, c->req, pw_verdict_name(v));
	return v == PW_VERDICT_OK;
}

/* The tree to decide on: main's, unless the database has moved on. */
static int
current_tree(struct privd_conn *c, struct ix_err *err)
{
	if (c->db == NULL)
		return ix_err_set(err, IX_EDB, "privd could not open its database (see its log)");
	if ((c->p = ix_store_current(c->db, c->srv->policy, c->srv->gen, &c->own, err)) == NULL)
		return -1;
	if (c->own != NULL)
		ix_log_event(c->srv->log, "reload", "by=monitor nodes=%zu", c->p->nnodes);
	c->nprov = 0;
	for (size_t i = 0; i < c->p->nproviders && i < PRIVD_PROVIDERS_MAX; i++)
		c->prov[c->nprov++] = (struct ix_stream_provider){ c->p->providers[i].name,
								   c->p->providers[i].path };
	return 0;
}

/* What kind of path the client's standard input is, for priv -n: the
 * check a confirmation would make, without the prompt. */
static int
path_kind(struct privd_conn *c, FILE *f, struct ix_err *err)
{
	char why[IX_PEX_WHY_MAX];
	int fd = c->rq->fds[0], rc = ix_pex_is_terminal(fd, err);

	if (rc == 1) {
		struct ix_pex_req r = { fd, c->peer.pid, c->peer.pidfd, c->prov, c->nprov, NULL, 0 };

		rc = ix_pex_check(&r, why, sizeof why, err);
		if (rc == 1)
			rc = ix_pex_foreground(&r, why, sizeof why, err);
	}
	else if (rc == 0)
		snprintf(why, sizeof why, "standard input is not a terminal");
	if (rc < 0)
		return -1;
	if (rc == 1)
		fprintf(f, "  path: private: no program of yours can read or type on this "
			"terminal now\n");
	else
		fprintf(f, "  path: not private: %s; %s\n", why,
			!ix_pex_is_terminal(fd, err) ? "nobody can be asked to confirm here" :
			c->srv->nonprivate_refuse ? "a confirmation here is refused" :
			"a confirmation here needs a one-time code after yes");
	return 0;
}

static char *
decision_text(struct privd_conn *c, const struct ix_decision *d, struct ix_err *err)
{
	char *text = NULL, *desc = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL) {
		ix_err_sys(err, "open_memstream");
		return NULL;
	}
	fprintf(f, "%s: %s\n  login %s, stream %s\n  %s\n", d->allow ? "GRANTED" : "REFUSED",
		c->rq->text, c->login, c->src, d->explanation);
	for (size_t i = 0; i < d->npw; i++)
		fprintf(f, "  password of %s: %s\n", d->pw[i].user,
			d->pw[i].verified ? "verified" : "not verified");
	if (path_kind(c, f, err) < 0) {
		fclose(f);
		free(text);
		return NULL;
	}
	if (d->allow && (desc = ix_action_describe(d->action, c->p->enc, err)) != NULL) {
		char *line, *save = NULL;

		fprintf(f, "  action%s:\n", d->unattended ? " (unattended: runs without confirmation)"
							  : " (shown to you for confirmation)");
		for (line = strtok_r(desc, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			fprintf(f, "    %s\n", line);
		free(desc);
	}
	if (fclose(f) != 0 || (d->allow && desc == NULL)) {
		free(text);
		return NULL;
	}
	return text;
}

/*
 * The confirmation over a terminal that is not a private path (reason in
 * why): any program of the client's uid may be typing, so "yes" proves
 * nothing by itself. The person is told why, shown the action, and then
 * proves being there with a fresh one-time code that only passwdd checks
 * (no password over such a path, no session tag). Returns 1 confirmed, 0
 * not, -1 error; *how names the outcome for the audit.
 */
static int
confirm_otp(struct privd_conn *c, const char *desc, const char *why, const char **how,
	    struct ix_err *err)
{
	char ans[16], text[IX_ACTION_TEXT_MAX + IX_PEX_WHY_MAX + 512];
	int fd = c->rq->fds[0];
	int rc, v;

	*how = "no";
	snprintf(text, sizeof text, "priv: this terminal is not a private path: %s\n"
		 "priv: a program could be typing here, so a one-time code from your "
		 "authenticator must follow your yes\n"
		 "priv: the action you asked for:\n%spriv: type yes to run it: ", why, desc);
	rc = pw_prompt_line(fd, text, ans, sizeof ans, c->srv->prompt_timeout_ms, err);
	if (rc < 0 && err->code == IX_ELIMIT)
		rc = 0;
	if (rc == 1 && strcmp(ans, "yes") != 0)
		rc = 0;
	memset(ans, 0, sizeof ans);
	if (rc != 1)
		return rc;
	v = pw_client_verify_otp(c->srv->passwdd, c->login, fd, c->peer.pidfd,
				 c->srv->prompt_timeout_ms + 30000, err);
	if (v < 0)
		return -1;
	*how = v == PW_VERDICT_OK ? "yes-otp" : "bad-otp";
	return v == PW_VERDICT_OK;
}

/*
 * Shows the action on the client's terminal and reads the answer there,
 * only when the terminal is a private path (pex) before and after the
 * answer with no new holder in between; over a terminal that is not, with
 * a one-time code (confirm_otp) unless privd runs with --nonprivate
 * refuse. Returns 1 "yes", 0 any other answer or none, 2 no private path
 * and no one-time code to be asked (reason in why), -1 error. *how names
 * the outcome for the audit.
 */
static int
confirm(struct privd_conn *c, const char *desc, char *why, size_t whysize, const char **how,
	struct ix_err *err)
{
	struct pw_party party = { .fd = c->rq->fds[0], .client_pid = c->peer.pid,
				  .client_pidfd = c->peer.pidfd, .prov = c->prov,
				  .nprov = c->nprov };
	char ans[16], text[IX_ACTION_TEXT_MAX + 256];
	bool lost = false, first = false;
	int rc, term;

	*how = "no";
	snprintf(text, sizeof text, "priv: the action you asked for:\n%spriv: type yes to run it: ",
		 desc);
	rc = pw_prompt_confirm(&party, text, ans, sizeof ans, c->srv->prompt_timeout_ms, &first,
			       &lost, why, whysize, err);
	if (rc == 0 && first) {
		/* Refused before anything was asked. A terminal gets the
		 * one-time-code confirmation; a pipe or a file no prompt. */
		explicit_bzero(ans, sizeof ans);
		if ((term = ix_pex_is_terminal(party.fd, err)) < 0)
			return -1;
		if (!term || c->srv->nonprivate_refuse)
			return 2;
		return confirm_otp(c, desc, why, how, err);
	}
	if (rc < 0 && err->code == IX_ELIMIT) {
		rc = 0;
		snprintf(why, whysize, "the answer was not \"yes\"");
	}
	if (rc == 0 && lost)
		rc = 2;
	else if (rc == 1 && strcmp(ans, "yes") != 0)
		rc = 0;
	if (rc == 0 && !lost)
		snprintf(why, whysize, "the answer was not \"yes\"");
	if (rc == 1)
		*how = "yes";
	explicit_bzero(ans, sizeof ans);
	return rc;
}

static void
signal_action(struct privd_conn *c, int sig)
{
	if (c->running)
		syscall(SYS_pidfd_send_signal, c->run.pidfd, sig, NULL, 0);
}

static int
on_signal(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	struct privd_conn *c = ctx;
	uint8_t sig;

	(void)mon;
	if (ix_msg_get_u8(m, &sig, err) < 0 || ix_msg_end(m, err) < 0)
		return -1;
	if (sig != SIGINT && sig != SIGTERM && sig != SIGHUP && sig != SIGQUIT)
		return ix_err_set(err, IX_EDENIED, "signal %u is not one a client may forward", sig);
	signal_action(c, sig);
	ix_log_event(c->srv->log, "signal", "login=%s pid=%d signal=%u", c->login, (int)c->peer.pid,
		     sig);
	return 0;
}

static int
on_hangup(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	struct privd_conn *c = ctx;

	(void)mon;
	if (ix_msg_end(m, err) < 0)
		return -1;
	c->hung_up = true;
	signal_action(c, SIGHUP);
	return 0;
}

/* Waits for the action to end, dispatching the worker's SIGNAL and
 * HANGUP meanwhile; a worker that breaks the protocol or goes away hangs
 * the action up, and is not read again. Returns the wait status, or -1
 * with *err. */
static int
wait_action(struct privd_conn *c, struct ix_err *err)
{
	bool worker = true;
	int st;

	for (;;) {
		struct pollfd pf[2] = { { c->run.pidfd, POLLIN, 0 }, { c->mon, POLLIN, 0 } };
		struct ix_msg *m = NULL;
		struct ix_err e;
		int r;

		if (poll(pf, worker ? 2 : 1, -1) < 0 && errno != EINTR)
			return ix_err_sys(err, "waiting for the action");
		if (pf[0].revents)
			break;
		if (!worker || !pf[1].revents)
			continue;
		r = ix_ipc_recv(c->mon, &m, ANSWER_TIMEOUT_MS, &e);
		if (r == 1 && ix_mon_dispatch(&c->machine, m, c, &e) == 0) {
			ix_msg_free(m);
			continue;
		}
		if (r != 0)
			ix_log_event(c->srv->log, "worker-fatal", "state=RUNNING login=%s pid=%d "
				     "error=%s: the action is hung up", c->login, (int)c->peer.pid,
				     r < 0 ? e.msg : e.msg);
		ix_msg_free(m);
		worker = false;
		signal_action(c, SIGHUP);
	}
	while (waitpid(c->run.pid, &st, 0) < 0)
		if (errno != EINTR)
			return ix_err_sys(err, "waiting for the action (pid %d)", (int)c->run.pid);
	return st;
}

/* Runs the confirmed action's EXEC step in a group of its own, ended
 * whole when it ends; *status receives its wait status and *how its
 * exit record's words. */
static int
run(struct privd_conn *c, const struct privd_act *act, int *status, char *how, size_t howsize,
    struct ix_err *err)
{
	const struct ix_step_exec *e = act->exec;
	struct privd_exec x = { e->argv, e->envp, act->ids, e->caps, e->has_ceiling, e->ceiling,
				{ c->rq->fds[0], c->rq->fds[1], c->rq->fds[2] } };
	pid_t pid;
	int st;

	if (privd_run_start(c->srv, c->db, &x, &c->run, err) < 0)
		return -1;
	/* From now on a SIGTERM (main gone) ends the group, not just us. */
	privd_kill_fd = c->run.kill_fd;
	c->running = true;
	/* The client's descriptors are the action's now, not ours. */
	for (int i = 0; i < 3; i++) {
		close(c->rq->fds[i]);
		c->rq->fds[i] = -1;
	}
	if (privd_terminated)	/* main went while it started */
		(void)!write(c->run.kill_fd, "1", 1);
	ix_log_event(c->srv->log, "started", "login=%s pid=%d action_pid=%d program=%s user=%s "
		     "caps=0x%llx group=%s", c->login, (int)c->peer.pid, (int)c->run.pid,
		     e->program, act->user, (unsigned long long)e->caps, c->run.group);
	st = wait_action(c, err);
	privd_kill_fd = -1;
	c->running = false;
	pid = c->run.pid;
	/* Whatever the program left behind ends with it. */
	privd_run_end(c->srv, &c->run);
	if (st < 0)
		return -1;
	if (privd_terminated)
		snprintf(how, howsize, "action_pid=%d abandoned=privd stopped", (int)pid);
	else
		snprintf(how, howsize, "action_pid=%d %s=%d", (int)pid,
			 WIFSIGNALED(st) ? "signal" : "status",
			 WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	*status = st;
	return 0;
}

static void
send_exited(struct privd_conn *c, int st)
{
	struct ix_err e;
	struct ix_msg *m = ix_msg_new(PRIVD_MSG_EXITED, &e);

	if (m != NULL) {
		ix_msg_put_u8(m, WIFSIGNALED(st) ? 1 : 0, &e);
		ix_msg_put_u8(m, (uint8_t)(WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st)), &e);
	}
	send_msg(c, m, &e);	/* the client may be gone: nothing to tell */
}

static void
send_report(struct privd_conn *c, const char *text)
{
	struct ix_err e;
	struct ix_msg *m = ix_msg_new(PRIVD_MSG_REPORT, &e);

	if (m != NULL)
		ix_msg_put_str(m, text, PRIVD_TEXT_MAX, &e);
	send_msg(c, m, &e);	/* the record holds it whether or not it arrives */
}

static struct privd_client
client_of(const struct privd_conn *c)
{
	return (struct privd_client){ c->login, c->src, c->peer.uid, c->peer.gid, c->rq->fds[3] };
}

/* A label step after the confirmation: relabel, record, report. */
static int
label_step(struct privd_conn *c, const struct privd_step *s, struct ix_err *err)
{
	char change[IX_ACTION_ARG_MAX + 2 * IX_LABEL_TEXT_MAX + 64];
	char report[IX_ACTION_ARG_MAX + IX_LABEL_TEXT_MAX + 64];

	privd_step_describe(s, c->p->enc, change, sizeof change);
	if (privd_step_relabel(c->db, s, c->p->enc, report, sizeof report, err) < 0) {
		audit(c, "privd-label", "v1 label pid=%d req=%s outcome=error change=%s error=%s "
		      "request=%s", (int)c->peer.pid, c->req, change, err->msg, c->rq->text);
		return -1;
	}
	if (audit(c, "privd-label", "v1 label pid=%d req=%s outcome=done change=%s request=%s",
		  (int)c->peer.pid, c->req, change, c->rq->text) < 0)
		return ix_err_set(err, IX_EDB, "%s, but privd could not record it in the audit chain",
				  report);
	send_report(c, report);
	return 0;
}

/* A COPY or licence step after the confirmation: done, recorded, reported. */
static int
licence_step(struct privd_conn *c, const struct privd_step *s, uint8_t *code, struct ix_err *err)
{
	char report[2 * IX_ACTION_ARG_MAX + 128], h[PC_HASH_TEXT_MAX];
	const char *what = ix_prim_name(s->step->prim->kind);

	pc_hash_text(s->hash, h);
	if (privd_licence_apply(s, report, sizeof report, err) < 0) {
		*code = err->code == IX_EDENIED || err->code == IX_ECONFLICT ? PRIVD_EX_REFUSED
									    : PRIVD_EX_ERROR;
		audit(c, "privd-licence", "v1 licence pid=%d req=%s step=%s dev=%llu ino=%llu "
		      "shown=%s outcome=error error=%s request=%s", (int)c->peer.pid, c->req, what,
		      (unsigned long long)s->dev, (unsigned long long)s->ino, h, err->msg,
		      c->rq->text);
		return -1;
	}
	if (audit(c, "privd-licence", "v1 licence pid=%d req=%s step=%s dev=%llu ino=%llu "
		  "shown=%s outcome=done report=%s request=%s", (int)c->peer.pid, c->req, what,
		  (unsigned long long)s->dev, (unsigned long long)s->ino, h, report,
		  c->rq->text) < 0)
		return ix_err_set(err, IX_EDB, "%s, but privd could not record it in the audit chain",
				  report);
	send_report(c, report);
	return 0;
}

/* The edit step after the confirmation: one transaction that rechecks
 * the edit against the tree as it is then, writes it and records it. */
static int
edit_step(struct privd_conn *c, const struct ix_decision *dec, struct ix_err *err)
{
	struct privd_client who = client_of(c);
	const struct ix_edit *ed = &c->rq->edit;
	struct ix_audit_ref ref;
	char report[IX_NODE_PATH_MAX + 128];

	if (privd_edit_apply(c->db, ed, &who, dec, c->srv->cfg.audit_head, &ref, err) < 0) {
		ix_log_event(c->srv->log, "edit", "login=%s pid=%d op=%s path=%s outcome=refused "
			     "error=%s", c->login, (int)c->peer.pid, ix_edit_op_name(ed->op),
			     ed->path, err->msg);
		return ix_err_prefix(err, "edit refused");
	}
	ix_log_event(c->srv->log, "edit", "login=%s pid=%d op=%s path=%s outcome=done audit_seq=%lld",
		     c->login, (int)c->peer.pid, ix_edit_op_name(ed->op), ed->path,
		     (long long)ref.seq);
	snprintf(report, sizeof report, "edit %s %s: done (audit record %lld)",
		 ix_edit_op_name(ed->op), ed->path, (long long)ref.seq);
	send_report(c, report);
	return 0;
}

/*
 * Runs the confirmed action's steps in the action's order, stopping at the
 * first that fails (an EXEC that exits non-zero or is killed ends the
 * action with its status). Sends STARTED, a REPORT per label or edit step,
 * then EXITED: the last EXEC's status, 0 when none ran; the exit record is
 * written after EXITED is sent (the client need not wait for its sync).
 * Returns 0, or -1 with *code and *err naming the failed step (what went
 * before stays done, and the exit record says the error).
 */
static int
run_steps(struct privd_conn *c, struct privd_act *act, const struct ix_decision *dec,
	  uint8_t *code, struct ix_err *err)
{
	char how[256] = "status=0";
	int st = 0, r;

	if (send_msg(c, ix_msg_new(PRIVD_MSG_STARTED, err), err) < 0)
		ix_log_event(c->srv->log, "warning", "login=%s STARTED not sent: %s", c->login, err->msg);
	for (size_t i = 0; i < act->nsteps; i++) {
		const struct privd_step *s = &act->steps[i];

		*code = PRIVD_EX_ERROR;
		if (s->step->kind == IX_STEP_EXEC) {
			r = run(c, act, &st, how, sizeof how, err);
		} else if (s->step->kind == IX_STEP_EDIT) {
			r = edit_step(c, dec, err);
			*code = privd_edit_code(err);
		} else if (privd_licence_kind(s->step->kind)) {
			r = licence_step(c, s, code, err);
		} else {
			r = label_step(c, s, err);
		}
		if (r < 0) {
			if (i > 0)
				ix_err_prefix(err, "step %zu of %zu (%s)", i + 1, act->nsteps,
					      ix_prim_name(s->step->prim->kind));
			if (i > 0 && strlen(err->msg) + 40 < sizeof err->msg)
				strcat(err->msg, "; the steps before it stay done");
			ended(c, "error=%s", err->msg);
			return -1;
		}
		if (s->step->kind == IX_STEP_EXEC && st != 0)
			break;
	}
	send_exited(c, st);
	ended(c, "%s", how);
	return 0;
}

/*
 * Who the client is and where its standard input comes from. A terminal
 * on standard input must be the client's controlling terminal, for every
 * request and not only those confirmed over the private path: otherwise
 * a process holding an inherited /dev/tty1 would be decided on as
 * SRC(/dev/tty1). Returns 1, 0 refused (reason in why), -1 error.
 */
static int
identify(struct privd_conn *c, char *why, size_t whysize, struct ix_err *err)
{
	struct passwd *pw = getpwuid(c->peer.uid);
	int term;

	if (pw == NULL || strlen(pw->pw_name) > IX_USER_NAME_MAX)
		return ix_err_set(err, IX_ENOENT, "uid %u has no login name", (unsigned)c->peer.uid);
	snprintf(c->login, sizeof c->login, "%s", pw->pw_name);
	if ((term = ix_pex_is_terminal(c->rq->fds[0], err)) < 0)
		return -1;
	/* A pipe, file, socket or /dev/null: its identifier reads nothing of
	 * other processes, and it is no terminal to be the controlling one. */
	if (!term)
		return ix_stream_id(c->rq->fds[0], NULL, 0, c->src, sizeof c->src, err) < 0 ? -1 : 1;
	return privd_identify(c->rq->fds[0], c->peer.pid, c->peer.pidfd, c->prov, c->nprov, c->src,
			      sizeof c->src, why, whysize, err);
}

/* What the worker relayed must pass the same checks the worker made:
 * the monitor trusts nothing of it but what it checks again. */
static int
check_relayed(struct privd_conn *c, struct ix_err *err)
{
	struct stat st;

	if (c->rq->has_edit && ix_edit_valid(&c->rq->edit, err) < 0)
		return -1;
	if (fstat(c->rq->fds[3], &st) < 0 || !S_ISDIR(st.st_mode))
		return ix_err_set(err, IX_EINVAL, "the fourth descriptor is not a directory");
	return 0;
}

/* The worker's channel has closed (its end of the pair is gone). */
static bool
worker_gone(const struct privd_conn *c)
{
	struct pollfd p = { c->mon, 0, 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR));
}

static int
serve(struct privd_conn *c, struct ix_err *err)
{
	struct ix_request rq = { 0 };
	struct ix_decision dec = { 0 };
	struct privd_act act = { 0 };
	struct privd_client who;
	char why[IX_PEX_WHY_MAX], nodes[512] = "", *text = NULL;
	uint8_t flags = c->rq->flags, code;
	bool decided = false, batch;
	int rc = -1, ok;

	privd_req_id(c->req);
	if (current_tree(c, err) < 0 || (ok = identify(c, why, sizeof why, err)) < 0) {
		rc = refuse(c, PRIVD_EX_ERROR, err->msg, err);
		goto out;
	}
	if (ok == 0) {
		char words[IX_PEX_WHY_MAX + 192];

		/* Only a terminal on standard input is refused here (identify):
		 * say both ways out, for a person and for a service. */
		snprintf(words, sizeof words, "refused: %s: run priv from your controlling terminal, "
			 "or give it a standard input that is not a terminal (priv ... </dev/null), "
			 "as a service does", why);
		rc = refuse(c, PRIVD_EX_REFUSED, words, err);
		goto out;
	}
	if (move(c, PM_IDENTIFIED, err) < 0)
		goto out;
	if (flags & PRIVD_F_LIST) {
		ix_log_event(c->srv->log, "list", "login=%s pid=%d src=%s", c->login, (int)c->peer.pid,
			     c->src);
		text = privd_list(c->p, c->login, c->src, err);
		rc = text ? send_text(c, PRIVD_MSG_DECISION, 1, text, err)
			  : refuse(c, PRIVD_EX_ERROR, err->msg, err);
		goto out;
	}
	rq = (struct ix_request){ c->login, c->peer.uid, c->src, c->rq->text, password, c };
	if (ix_decide(c->p, &rq, &dec, err) < 0) {
		audit(c, "privd-request", "v1 request uid=%u pid=%d req=%s src=%s flags=%u "
		      "decision=error error=%s request=%s", (unsigned)c->peer.uid, (int)c->peer.pid,
		      c->req, c->src, flags, err->msg, c->rq->text);
		rc = refuse(c, PRIVD_EX_ERROR, err->msg, err);
		goto out;
	}
	decided = true;
	if (move(c, PM_DECIDED, err) < 0)
		goto out;
	/* An unattended action runs right after its decision: its request
	 * record waits for the confirmation record, the two are one
	 * transaction, and the action runs only once it has committed. */
	batch = dec.allow && dec.unattended && !(flags & PRIVD_F_DRYRUN);
	for (size_t i = 0; i < dec.nnodes; i++)
		snprintf(nodes + strlen(nodes), sizeof nodes - strlen(nodes), "%s%s", i ? "," : "",
			 c->p->nodes[dec.nodes[i]].path);
	if (!batch && audit_request(c, &dec, flags, nodes) < 0) {
		rc = refuse(c, PRIVD_EX_ERROR, "privd cannot record the decision in the audit chain", err);
		goto out;
	}
	if (flags & PRIVD_F_DRYRUN) {
		text = decision_text(c, &dec, err);
		rc = text ? send_text(c, PRIVD_MSG_DECISION, dec.allow, text, err)
			  : refuse(c, PRIVD_EX_ERROR, err->msg, err);
		goto out;
	}
	if (!dec.allow) {
		rc = refuse(c, PRIVD_EX_REFUSED, dec.explanation, err);
		goto out;
	}
	if (privd_act_build(&dec.plan, c->srv->action_user, &act, err) < 0) {
		if (batch)	/* the decision is recorded even so */
			audit_request(c, &dec, flags, nodes);
		rc = refuse(c, PRIVD_EX_ERROR, err->msg, err);
		goto out;
	}
	who = client_of(c);
	if (privd_prepare(c->p, &act, &dec, &who, c->rq->has_edit ? &c->rq->edit : NULL, &text,
			  &code, err) < 0) {
		if (batch)
			audit_request(c, &dec, flags, nodes);
		audit(c, "privd-confirm", "v1 confirm pid=%d req=%s outcome=not-asked reason=%s "
		      "request=%s", (int)c->peer.pid, c->req, err->msg, c->rq->text);
		rc = refuse(c, code, err->msg, err);
		goto out;
	}
	if (dec.unattended) {
		ok = 1;
		if (audit_begin(c) < 0 || audit_request(c, &dec, flags, nodes) < 0 ||
		    audit(c, "privd-confirm", "v1 confirm pid=%d req=%s outcome=unattended request=%s",
			  (int)c->peer.pid, c->req, c->rq->text) < 0 ||
		    privd_record_begin(c->db, c->req, getpid(), c->peer.pid, c->login, c->rq->text,
				       err) < 0 ||
		    audit_commit(c) < 0) {
			if (ixdb_in_transaction(c->db))
				ixdb_rollback(c->db);
			rc = refuse(c, PRIVD_EX_ERROR, "privd cannot record the decision in the audit chain",
				    err);
			goto out;
		}
	} else {
		const char *how;

		ok = confirm(c, text, why, sizeof why, &how, err);
		if (ok == 1 && confirmed(c, how) < 0) {
			rc = refuse(c, PRIVD_EX_ERROR, "privd cannot record the confirmation in the "
				    "audit chain", err);
			goto out;
		}
		if (ok != 1)
			audit(c, "privd-confirm", "v1 confirm pid=%d req=%s outcome=%s reason=%s "
			      "request=%s", (int)c->peer.pid, c->req, ok == 0 ? how :
			      ok == 2 ? "no-private-path" : "error", ok < 0 ? err->msg : why,
			      c->rq->text);
	}
	if (ok == 2) {
		char words[IX_PEX_WHY_MAX + 128];

		snprintf(words, sizeof words, "refused: the action needs your confirmation over a private path, "
			 "and there is none: %s", why);
		rc = refuse(c, PRIVD_EX_REFUSED, words, err);
	} else if (ok == 0) {
		rc = refuse(c, PRIVD_EX_UNCONFIRMED, "not confirmed: the action was not run", err);
	} else if (ok < 0) {
		rc = refuse(c, PRIVD_EX_ERROR, err->msg, err);
	} else if (move(c, PM_CONFIRMED, err) < 0 || move(c, PM_RUNNING, err) < 0) {
		ended(c, "error=%s", err->msg);
	} else if (!ix_peer_alive(&c->peer, err) || worker_gone(c)) {
		/* Nothing starts for a client that has gone, or whose worker
		 * has: its signals and hang-up could no longer reach the
		 * action. */
		ended(c, "error=the client or its worker has gone");
		rc = refuse(c, PRIVD_EX_ERROR, "the client or privd's worker has gone", err);
	} else if (run_steps(c, &act, &dec, &code, err) < 0) {
		rc = refuse(c, code, err->msg, err);
	} else {
		rc = 0;
	}
out:
	privd_act_free(&act);
	if (decided)
		ix_decision_free(&dec);
	free(text);
	return rc;
}

static int
on_request(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	struct privd_conn *c = ctx;

	if (privd_request_read(m, c->rq, err) < 0)
		return -1;
	return ix_mon_move(mon, PM_REQUESTED, err);
}

/* The worker has let go of the client's descriptors: the request is
 * served, start to end. A refusal is an answer, not a failure of the
 * worker: only what the worker did wrong returns -1. */
static int
on_dropped(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	struct privd_conn *c = ctx;
	struct ix_err e;

	if (ix_msg_end(m, err) < 0)
		return -1;
	if (check_relayed(c, err) < 0)
		return -1;
	serve(c, &e);
	if (mon->state != PM_DONE && ix_mon_move(mon, PM_DONE, err) < 0)
		return -1;
	return 0;
}

static int
on_reject(struct ix_mon *mon, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	struct privd_conn *c = ctx;
	const char *why;

	if (ix_msg_get_str(m, &why, IX_ERR_MSG_MAX, err) < 0 || ix_msg_end(m, err) < 0)
		return -1;
	ix_log_event(c->srv->log, "reject", "stage=request uid=%u pid=%d error=%s",
		     (unsigned)c->peer.uid, (int)c->peer.pid, why);
	return ix_mon_move(mon, PM_DONE, err);
}

static const char *const state_names[PM_NSTATES] = {
	"READY", "REQUESTED", "IDENTIFIED", "DECIDED", "CONFIRMED", "RUNNING", "DONE",
};

#define TO(s) IX_MON_BIT(s)
static const uint32_t moves[PM_NSTATES] = {
	[PM_READY] = TO(PM_REQUESTED) | TO(PM_DONE),
	[PM_REQUESTED] = TO(PM_IDENTIFIED) | TO(PM_DONE),
	[PM_IDENTIFIED] = TO(PM_DECIDED) | TO(PM_DONE),
	[PM_DECIDED] = TO(PM_CONFIRMED) | TO(PM_DONE),
	[PM_CONFIRMED] = TO(PM_RUNNING) | TO(PM_DONE),
	[PM_RUNNING] = TO(PM_DONE),
	[PM_DONE] = 0,
};

static const struct ix_mon_entry table[] = {
	{ PRIVD_W_REQUEST, "REQUEST", TO(PM_READY), on_request },
	{ PRIVD_W_DROPPED, "DROPPED", TO(PM_REQUESTED), on_dropped },
	{ PRIVD_W_REJECT, "REJECT", TO(PM_READY), on_reject },
	{ PRIVD_W_SIGNAL, "SIGNAL", TO(PM_RUNNING), on_signal },
	{ PRIVD_W_HANGUP, "HANGUP", TO(PM_RUNNING), on_hangup },
};
#undef TO

const struct ix_mon_machine privd_machine = {
	PRIVD_SERVICE, IX_RANGE_PRIVD, state_names, PM_NSTATES, moves, PM_READY, table,
	sizeof table / sizeof table[0],
};
