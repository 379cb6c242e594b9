/*
 * One connection, in its own forked process: who the client is, the
 * banner, one REQUEST; then decide, confirm over the private path, run the
 * action context-free and report how it ended, forwarding the client's
 * signals meanwhile. A worker decides on one complete tree: the one main
 * loaded, or, when the database's generation has moved since, one it
 * loads itself (ix_store_load validates a whole tree or fails).
 *
 * Every request, decision, password outcome, confirmation and exit status
 * goes to the audit chain (db/) and the log. A decision that cannot be
 * recorded is not acted on.
 *
 * The worker is confined (confine.c): what needs power, the private-path
 * checks, opening and labelling files and running the action, it asks of
 * the launcher over its own channel (launcher.h).
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
#include <sys/wait.h>
#include <unistd.h>

#include "db/ixdb.h"
#include "libauthtree/eval.h"
#include "libauthtree/store.h"
#include "libterm/pex.h"
#include "libterm/prompt.h"
#include "passwdd/client.h"
#include "privd/apply.h"
#include "privd/launcher.h"
#include "privd/proto.h"
#include "privd/request.h"
#include "privd/server.h"

_Static_assert(PRIVD_EDIT_PATH_MAX == IX_NODE_PATH_MAX, "the wire's node path bound");

#define HELLO_TIMEOUT_MS 5000
#define REQUEST_TIMEOUT_MS 10000
#define ANSWER_TIMEOUT_MS 5000
#define AUDIT_TEXT_MAX 16384
#define STATE_RUNNING 0x2u	/* the action runs: SIGNAL is permitted */

struct conn {
	const struct privd_server *srv;
	int fd;				/* the connection */
	struct ix_peer peer;		/* who connected */
	struct ixdb *db;		/* this worker's own connection */
	const struct ix_policy *p;	/* the tree decided on */
	struct ix_policy *own;		/* a newer tree this worker loaded, or NULL */
	struct ix_stream_provider prov[PRIVD_PROVIDERS_MAX]; /* the policy's providers */
	size_t nprov;
	int cfd[3];			/* the client's descriptors 0, 1, 2 */
	int cwd;			/* its working directory (O_PATH), for label actions */
	struct ix_edit edit;		/* the request's edit block, strings borrowed
					 * from the REQUEST message */
	bool has_edit;			/* whether it carried one */
	char login[IX_USER_NAME_MAX + 1]; /* the client's login name */
	char src[IX_STREAM_ID_MAX];	/* stream identifier of its fd 0 */
	int lch;			/* this worker's channel to the launcher */
	bool running;			/* an EXEC step runs: SIGNAL goes to it */
};

/* Appends one record to the chain and logs it. Returns 0 or -1. */
static int __attribute__((format(printf, 3, 4)))
audit(struct conn *c, const char *kind, const char *fmt, ...)
{
	char text[AUDIT_TEXT_MAX], hex[65];
	struct ix_err e;
	int64_t seq;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (ixdb_audit_append(c->db, c->srv->cfg.audit_head, kind, c->login[0] ? c->login : "?",
			      text, &seq, hex, &e) < 0) {
		ix_log_event(c->srv->log, "audit-error", "kind=%s error=%s record=%s", kind, e.msg, text);
		return -1;
	}
	ix_log_event(c->srv->log, kind, "%s audit_seq=%lld", text, (long long)seq);
	return 0;
}

/* Begins a transaction that several audit() records join: one commit
 * makes them durable together (one WAL sync and one head file sync for
 * all). Returns 0 or -1 (logged). */
static int
audit_begin(struct conn *c)
{
	struct ix_err e;

	if (ixdb_begin(c->db, &e) == 0)
		return 0;
	ix_log_event(c->srv->log, "audit-error", "stage=begin error=%s", e.msg);
	return -1;
}

/* Commits what audit_begin opened; on failure the records are rolled
 * back (their log lines stand, followed by this error) and -1 says
 * nothing of it may be acted on. */
static int
audit_commit(struct conn *c)
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
audit_request(struct conn *c, const struct ix_decision *dec, uint8_t flags, const char *nodes,
	      const char *req)
{
	return audit(c, "privd-request", "v1 request uid=%u pid=%d src=%s flags=%u decision=%s "
		     "rule=%s nodes=%s unattended=%s request=%s", (unsigned)c->peer.uid,
		     (int)c->peer.pid, c->src, flags, dec->allow ? "granted" : "refused",
		     dec->rule >= 0 ? c->p->rules[dec->rule].name : "-", nodes[0] ? nodes : "-",
		     dec->unattended ? "yes" : "no", req);
}

static int
send_msg(struct conn *c, struct ix_msg *m, struct ix_err *err)
{
	int rc;

	if (m == NULL)
		return -1;
	rc = ix_ipc_send(c->fd, m, ANSWER_TIMEOUT_MS, err);
	ix_msg_free(m);
	return rc;
}

static int
send_text(struct conn *c, uint16_t type, uint8_t v, const char *text, struct ix_err *err)
{
	struct ix_msg *m = ix_msg_new(type, err);

	if (m != NULL) {
		ix_msg_put_u8(m, v, err);
		ix_msg_put_str(m, text, PRIVD_TEXT_MAX, err);
	}
	return send_msg(c, m, err);
}

static int
refuse(struct conn *c, uint8_t code, const char *why, struct ix_err *err)
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
	struct conn *c = arg;
	int v = pw_client_verify(c->srv->passwdd, user, c->cfd[0], c->peer.pidfd,
				 c->srv->prompt_timeout_ms + 30000, err);

	if (v < 0)
		return -1;
	audit(c, "privd-password", "v1 password user=%s pid=%d verdict=%s", user, (int)c->peer.pid,
	      pw_verdict_name(v));
	return v == PW_VERDICT_OK;
}

/* The tree to decide on: main's, unless the database has moved on. */
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
		ix_log_event(c->srv->log, "reload", "by=worker generation=%lld", (long long)gen);
	}
	c->nprov = 0;
	for (size_t i = 0; i < c->p->nproviders && i < PRIVD_PROVIDERS_MAX; i++)
		c->prov[c->nprov++] = (struct ix_stream_provider){ c->p->providers[i].name,
								   c->p->providers[i].path };
	return 0;
}

static char *
decision_text(struct conn *c, const char *req, const struct ix_decision *d, struct ix_err *err)
{
	char *text = NULL, *desc = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL) {
		ix_err_sys(err, "open_memstream");
		return NULL;
	}
	fprintf(f, "%s: %s\n  login %s, stream %s\n  %s\n", d->allow ? "GRANTED" : "REFUSED", req,
		c->login, c->src, d->explanation);
	for (size_t i = 0; i < d->npw; i++)
		fprintf(f, "  password of %s: %s\n", d->pw[i].user,
			d->pw[i].verified ? "verified" : "not verified");
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
 * Shows the action on the client's terminal and reads the answer there,
 * only when the terminal is a private path (pex) before and after the
 * answer with no new holder in between. Returns 1 "yes", 0 any other
 * answer or none, 2 no private path (reason in why), -1 error.
 */
static int
confirm(struct conn *c, const char *desc, char *why, size_t whysize, struct ix_err *err)
{
	struct ix_pex_seen *before = calloc(2, sizeof *before);
	char ans[16], text[IX_ACTION_TEXT_MAX + 256];
	pid_t newcomer;
	int rc;

	if (before == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	rc = privd_lcall_pex(c->lch, c->cfd[0], c->peer.pid, c->peer.pidfd, c->prov, c->nprov, true,
			     before, why, whysize, err);
	if (rc == 0)
		rc = 2;
	if (rc != 1)
		goto out;
	snprintf(text, sizeof text, "priv: the action you asked for:\n%spriv: type yes to run it: ",
		 desc);
	rc = pw_prompt_line(c->cfd[0], text, ans, sizeof ans, c->srv->prompt_timeout_ms, err);
	if (rc < 0 && err->code == IX_ELIMIT)
		rc = 0;
	if (rc < 0)
		goto out;
	if (rc == 1 && strcmp(ans, "yes") != 0)
		rc = 0;
	snprintf(why, whysize, rc == 1 ? "" : "the answer was not \"yes\"");
	if (rc == 1) {
		int again = privd_lcall_pex(c->lch, c->cfd[0], c->peer.pid, c->peer.pidfd, c->prov,
					    c->nprov, false, before + 1, why, whysize, err);

		if (again != 1)
			rc = again < 0 ? -1 : 2;
		else if (ix_pex_new_holder(before, before + 1, &newcomer)) {
			snprintf(why, whysize, "pid %d opened the terminal during the confirmation",
				 (int)newcomer);
			rc = 2;
		}
	}
out:
	memset(ans, 0, sizeof ans);
	free(before);
	return rc;
}

static int
answer_signal(struct ix_dispatch *d, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	struct conn *c = ctx;
	uint8_t sig;

	if (ix_msg_get_u8(m, &sig, err) < 0 || ix_msg_end(m, err) < 0)
		return -1;
	if (sig != SIGINT && sig != SIGTERM && sig != SIGHUP && sig != SIGQUIT)
		return ix_err_set(err, IX_EDENIED, "signal %u is not one a client may forward", sig);
	if (c->running && privd_lcall_signal(c->lch, sig, err) < 0)
		return ix_err_prefix(err, "forwarding signal %u", sig);
	ix_log_event(c->srv->log, "signal", "login=%s pid=%d signal=%u", c->login, (int)c->peer.pid, sig);
	return 0;
}

/* Waits for the launcher's word that the action ended, forwarding SIGNAL
 * requests; a client that hangs up, or breaks the protocol, hangs the
 * action up (SIGHUP) and is not read again. Returns 0 with *st (the wait
 * status), or -1 with *err. */
static int
wait_action(struct conn *c, struct ix_dispatch *d, int *st, struct ix_err *err)
{
	bool client = true;
	struct ix_err e;

	for (;;) {
		struct pollfd pf[2] = { { c->lch, POLLIN, 0 }, { c->fd, POLLIN, 0 } };
		struct ix_msg *m = NULL;
		int r;

		if (poll(pf, client ? 2 : 1, -1) < 0 && errno != EINTR)
			return ix_err_sys(err, "waiting for the action");
		if (pf[0].revents)
			return privd_lcall_exited(c->lch, st, err);
		if (!client || !pf[1].revents)
			continue;
		r = ix_ipc_recv(c->fd, &m, ANSWER_TIMEOUT_MS, &e);
		if (r == 1 && ix_dispatch_one(d, m, c, &e) == 0) {
			ix_msg_free(m);
			continue;
		}
		if (r != 0)
			ix_log_event(c->srv->log, "reject", "stage=running login=%s pid=%d error=%s",
				     c->login, (int)c->peer.pid, e.msg);
		ix_msg_free(m);
		client = false;
		if (privd_lcall_signal(c->lch, SIGHUP, &e) < 0)
			ix_log_event(c->srv->log, "warning", "login=%s hang-up not passed on: %s",
				     c->login, e.msg);
	}
}

/* Runs the confirmed action's EXEC step; *status receives its wait
 * status. The caller has sent STARTED. */
static int
run(struct conn *c, struct ix_dispatch *d, const struct privd_act *act, const char *req,
    int *status, struct ix_err *err)
{
	struct privd_exec x = { act->argv, act->envp, act->ids, act->caps, act->has_ceiling,
				act->ceiling, { c->cfd[0], c->cfd[1], c->cfd[2] } };
	int st;
	pid_t pid;

	if (privd_lcall_exec(c->lch, &x, &pid, err) < 0)
		return -1;
	c->running = true;
	ix_log_event(c->srv->log, "started", "login=%s pid=%d action_pid=%d program=%s user=%s "
		     "caps=0x%llx compartment=%s", c->login, (int)c->peer.pid, (int)pid, act->argv[0],
		     act->user, (unsigned long long)act->caps, act->has_ceiling ? "yes" : "-");
	if (wait_action(c, d, &st, err) < 0) {
		c->running = false;
		return ix_err_prefix(err, "waiting for the action (pid %d)", (int)pid);
	}
	c->running = false;
	audit(c, "privd-exit", "v1 exit pid=%d action_pid=%d %s=%d request=%s", (int)c->peer.pid,
	      (int)pid, WIFSIGNALED(st) ? "signal" : "status",
	      WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st), req);
	*status = st;
	return 0;
}

static void
send_exited(struct conn *c, int st)
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
send_report(struct conn *c, const char *text)
{
	struct ix_err e;
	struct ix_msg *m = ix_msg_new(PRIVD_MSG_REPORT, &e);

	if (m != NULL)
		ix_msg_put_str(m, text, PRIVD_TEXT_MAX, &e);
	send_msg(c, m, &e);	/* the record holds it whether or not it arrives */
}

static struct privd_client
client_of(const struct conn *c)
{
	return (struct privd_client){ c->login, c->src, c->peer.uid, c->peer.gid, c->cwd };
}

/* A label step after the confirmation: relabel, record, report. */
static int
label_step(struct conn *c, const struct privd_step *s, const char *req, struct ix_err *err)
{
	char change[IX_ACTION_ARG_MAX + 2 * IX_LABEL_TEXT_MAX + 64];
	char report[IX_ACTION_ARG_MAX + IX_LABEL_TEXT_MAX + 64];

	privd_step_describe(s, c->p->enc, change, sizeof change);
	if (privd_step_relabel(c->db, c->lch, s, c->p->enc, report, sizeof report, err) < 0) {
		audit(c, "privd-label", "v1 label pid=%d outcome=error change=%s error=%s request=%s",
		      (int)c->peer.pid, change, err->msg, req);
		return -1;
	}
	if (audit(c, "privd-label", "v1 label pid=%d outcome=done change=%s request=%s",
		  (int)c->peer.pid, change, req) < 0)
		return ix_err_set(err, IX_EDB, "%s, but privd could not record it in the audit chain",
				  report);
	send_report(c, report);
	return 0;
}

/* The edit step after the confirmation: one transaction that rechecks
 * the edit against the tree as it is then, writes it and records it. */
static int
edit_step(struct conn *c, const struct ix_decision *dec, struct ix_err *err)
{
	struct privd_client who = client_of(c);
	struct ix_audit_ref ref;
	char report[IX_NODE_PATH_MAX + 128];

	if (privd_edit_apply(c->db, &c->edit, &who, dec, c->srv->cfg.audit_head, &ref, err) < 0) {
		ix_log_event(c->srv->log, "edit", "login=%s pid=%d op=%s path=%s outcome=refused "
			     "error=%s", c->login, (int)c->peer.pid, ix_edit_op_name(c->edit.op),
			     c->edit.path, err->msg);
		return ix_err_prefix(err, "edit refused");
	}
	ix_log_event(c->srv->log, "edit", "login=%s pid=%d op=%s path=%s outcome=done audit_seq=%lld",
		     c->login, (int)c->peer.pid, ix_edit_op_name(c->edit.op), c->edit.path,
		     (long long)ref.seq);
	snprintf(report, sizeof report, "edit %s %s: done (audit record %lld)",
		 ix_edit_op_name(c->edit.op), c->edit.path, (long long)ref.seq);
	send_report(c, report);
	return 0;
}

/*
 * Runs the confirmed action's steps in the action's order, stopping at the
 * first that fails (an EXEC that exits non-zero or is killed ends the
 * action with its status). Sends STARTED, a REPORT per label or edit step,
 * then EXITED: the last EXEC's status, 0 when none ran. Returns 0, or -1
 * with *code and *err naming the failed step (what went before stays done).
 */
static int
run_steps(struct conn *c, struct ix_dispatch *d, struct privd_act *act,
	  const struct ix_decision *dec, const char *req, uint8_t *code, struct ix_err *err)
{
	bool exec = false;
	int st = 0, r;

	if (send_msg(c, ix_msg_new(PRIVD_MSG_STARTED, err), err) < 0)
		ix_log_event(c->srv->log, "warning", "login=%s STARTED not sent: %s", c->login, err->msg);
	ix_dispatch_set_state(d, STATE_RUNNING);
	for (size_t i = 0; i < act->nsteps; i++) {
		const struct privd_step *s = &act->steps[i];

		*code = PRIVD_EX_ERROR;
		if (s->prim->kind == IX_A_EXEC) {
			r = run(c, d, act, req, &st, err);
			exec = true;
		} else if (s->prim->kind == IX_A_EDIT) {
			r = edit_step(c, dec, err);
			*code = privd_edit_code(err);
		} else {
			r = label_step(c, s, req, err);
		}
		if (r < 0) {
			if (i > 0)
				ix_err_prefix(err, "step %zu of %zu (%s)", i + 1, act->nsteps,
					      ix_prim_name(s->prim->kind));
			if (i > 0 && strlen(err->msg) + 40 < sizeof err->msg)
				strcat(err->msg, "; the steps before it stay done");
			return -1;
		}
		if (s->prim->kind == IX_A_EXEC && st != 0)
			break;
	}
	if (!exec)
		audit(c, "privd-exit", "v1 exit pid=%d status=0 request=%s", (int)c->peer.pid, req);
	send_exited(c, st);
	return 0;
}

/* Reads REQUEST (privd/request.c), checks its edit block and the
 * working directory. */
static int
read_request(struct conn *c, struct ix_msg *m, uint8_t *flags, char *req, struct ix_err *err)
{
	struct stat st;

	if (privd_request_parse(m, flags, req, &c->edit, c->cfd, &c->cwd, err) < 0)
		return -1;
	c->has_edit = (*flags & PRIVD_F_EDIT) != 0;
	if (c->has_edit && privd_edit_valid(&c->edit, err) < 0)
		return -1;
	if (fstat(c->cwd, &st) < 0 || !S_ISDIR(st.st_mode))
		return ix_err_set(err, IX_EINVAL, "the fourth descriptor is not a directory");
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
identify(struct conn *c, char *why, size_t whysize, struct ix_err *err)
{
	struct passwd *pw = getpwuid(c->peer.uid);
	int term;

	if (pw == NULL || strlen(pw->pw_name) > IX_USER_NAME_MAX)
		return ix_err_set(err, IX_ENOENT, "uid %u has no login name", (unsigned)c->peer.uid);
	snprintf(c->login, sizeof c->login, "%s", pw->pw_name);
	if ((term = ix_pex_is_terminal(c->cfd[0], err)) < 0)
		return -1;
	/* A pipe, file, socket or /dev/null: its identifier reads nothing of
	 * other processes, and it is no terminal to be the controlling one.
	 * Only a terminal needs the launcher's view of every process. */
	if (!term)
		return ix_stream_id(c->cfd[0], NULL, 0, c->src, sizeof c->src, err) < 0 ? -1 : 1;
	return privd_lcall_identify(c->lch, c->cfd[0], c->peer.pid, c->peer.pidfd, c->prov,
				    c->nprov, c->src, sizeof c->src, why, whysize, err);
}

static int
answer_request(struct ix_dispatch *d, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	struct conn *c = ctx;
	struct ix_request rq = { 0 };
	struct ix_decision dec = { 0 };
	struct privd_act act = { 0 };
	struct privd_client who;
	char req[IX_REQUEST_MAX + 1], why[IX_PEX_WHY_MAX], nodes[512] = "", *text = NULL;
	bool decided = false, batch;
	uint8_t flags, code;
	int rc = -1, ok;

	if (read_request(c, m, &flags, req, err) < 0)
		return -1;
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
	if (flags & PRIVD_F_LIST) {
		ix_log_event(c->srv->log, "list", "login=%s pid=%d src=%s", c->login, (int)c->peer.pid,
			     c->src);
		text = privd_list(c->p, c->login, c->src, err);
		rc = text ? send_text(c, PRIVD_MSG_DECISION, 1, text, err)
			  : refuse(c, PRIVD_EX_ERROR, err->msg, err);
		goto out;
	}
	rq = (struct ix_request){ c->login, c->peer.uid, c->src, req, password, c };
	if (ix_decide(c->p, &rq, &dec, err) < 0) {
		audit(c, "privd-request", "v1 request uid=%u pid=%d src=%s flags=%u decision=error "
		      "error=%s request=%s", (unsigned)c->peer.uid, (int)c->peer.pid, c->src, flags,
		      err->msg, req);
		rc = refuse(c, PRIVD_EX_ERROR, err->msg, err);
		goto out;
	}
	decided = true;
	/* An unattended action runs right after its decision: its request
	 * record waits for the confirmation record, the two are one
	 * transaction (begun only then: no write lock held across the user
	 * lookups of privd_act_build), and the action runs only once it has
	 * committed. */
	batch = dec.allow && dec.unattended && !(flags & PRIVD_F_DRYRUN);
	for (size_t i = 0; i < dec.nnodes; i++)
		snprintf(nodes + strlen(nodes), sizeof nodes - strlen(nodes), "%s%s", i ? "," : "",
			 c->p->nodes[dec.nodes[i]].path);
	if (!batch && audit_request(c, &dec, flags, nodes, req) < 0) {
		rc = refuse(c, PRIVD_EX_ERROR, "privd cannot record the decision in the audit chain", err);
		goto out;
	}
	if (flags & PRIVD_F_DRYRUN) {
		text = decision_text(c, req, &dec, err);
		rc = text ? send_text(c, PRIVD_MSG_DECISION, dec.allow, text, err)
			  : refuse(c, PRIVD_EX_ERROR, err->msg, err);
		goto out;
	}
	if (!dec.allow) {
		rc = refuse(c, PRIVD_EX_REFUSED, dec.explanation, err);
		goto out;
	}
	if (privd_act_build(dec.action, c->srv->action_user, &act, err) < 0) {
		if (batch)	/* the decision is recorded even so */
			audit_request(c, &dec, flags, nodes, req);
		rc = refuse(c, PRIVD_EX_ERROR, err->msg, err);
		goto out;
	}
	who = client_of(c);
	if (privd_prepare(c->lch, c->p, &act, &dec, &who, c->has_edit ? &c->edit : NULL, &text, &code,
			  err) < 0) {
		if (batch)
			audit_request(c, &dec, flags, nodes, req);
		audit(c, "privd-confirm", "v1 confirm pid=%d outcome=not-asked reason=%s request=%s",
		      (int)c->peer.pid, err->msg, req);
		rc = refuse(c, code, err->msg, err);
		goto out;
	}
	if (dec.unattended) {
		ok = 1;
		if (audit_begin(c) < 0 || audit_request(c, &dec, flags, nodes, req) < 0 ||
		    audit(c, "privd-confirm", "v1 confirm pid=%d outcome=unattended request=%s",
			  (int)c->peer.pid, req) < 0 || audit_commit(c) < 0) {
			if (ixdb_in_transaction(c->db))
				ixdb_rollback(c->db);
			rc = refuse(c, PRIVD_EX_ERROR, "privd cannot record the decision in the audit chain",
				    err);
			goto out;
		}
	} else {
		ok = confirm(c, text, why, sizeof why, err);
		audit(c, "privd-confirm", "v1 confirm pid=%d outcome=%s reason=%s request=%s",
		      (int)c->peer.pid, ok == 1 ? "yes" : ok == 0 ? "no" : ok == 2 ? "no-private-path"
		      : "error", ok == 1 ? "-" : ok < 0 ? err->msg : why, req);
	}
	if (ok == 2) {
		char words[IX_PEX_WHY_MAX + 128];

		snprintf(words, sizeof words, "refused: the action needs your confirmation over a private path, "
			 "and there is none: %s", why);
		rc = refuse(c, PRIVD_EX_REFUSED, words, err);
	} else if (ok == 0) {
		rc = refuse(c, PRIVD_EX_UNCONFIRMED, "not confirmed: the action was not run", err);
	} else if (ok < 0 || !ix_peer_alive(&c->peer, err)) {
		rc = refuse(c, PRIVD_EX_ERROR, ok < 0 ? err->msg : "the client has gone", err);
	} else if (run_steps(c, d, &act, &dec, req, &code, err) < 0) {
		audit(c, "privd-exit", "v1 exit pid=%d error=%s request=%s", (int)c->peer.pid, err->msg,
		      req);
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

static const struct ix_dispatch_entry table[] = {
	{ PRIVD_MSG_REQUEST, "REQUEST", IX_DISPATCH_ONCE | IX_DISPATCH_AFTER_HELLO, 0, answer_request },
	{ PRIVD_MSG_SIGNAL, "SIGNAL", IX_DISPATCH_AFTER_HELLO, STATE_RUNNING, answer_signal },
};

int
privd_worker(const struct privd_server *srv, struct ixdb *db, int lch, int fd)
{
	struct conn c = { .srv = srv, .fd = fd, .peer = { .pidfd = -1 }, .db = db,
			  .cfd = { -1, -1, -1 }, .cwd = -1, .lch = lch };
	struct ix_dispatch d;
	struct ix_msg *m = NULL;
	struct ix_err e, e2;
	uint16_t ver;
	int rc = 1, r;

	if (ix_ipc_peer(fd, &c.peer, &e) < 0) {
		ix_log_event(srv->log, "reject", "stage=peer error=%s", e.msg);
		return 1;
	}
	if (ix_ipc_server_banner(fd, PRIVD_SERVICE, PRIVD_VERSION, HELLO_TIMEOUT_MS, &ver, &e) < 0) {
		ix_log_event(srv->log, "reject", "stage=hello uid=%u pid=%d error=%s",
			     (unsigned)c.peer.uid, (int)c.peer.pid, e.msg);
		goto out;
	}
	if (ix_dispatch_init(&d, PRIVD_SERVICE, IX_RANGE_PRIVD, table, sizeof table / sizeof table[0],
			     &e) < 0)
		goto out;
	ix_dispatch_set_state(&d, IX_STATE_HELLO);
	r = ix_ipc_recv(fd, &m, REQUEST_TIMEOUT_MS, &e);
	if (r == 0) {
		rc = 0;
		goto out;
	}
	if (r < 0) {
		ix_log_event(srv->log, "reject", "stage=request uid=%u pid=%d error=%s",
			     (unsigned)c.peer.uid, (int)c.peer.pid, e.msg);
		ix_ipc_send_error(fd, &e, ANSWER_TIMEOUT_MS, &e2);
		goto out;
	}
	if (c.db == NULL && ixdb_open(srv->cfg.db, 0, &c.db, &e) < 0) {
		ix_log_event(srv->log, "error", "stage=db error=%s", e.msg);
		ix_ipc_send_error(fd, &e, ANSWER_TIMEOUT_MS, &e2);
		goto out;
	}
	if (ix_dispatch_one(&d, m, &c, &e) < 0) {
		ix_log_event(srv->log, "reject", "stage=request uid=%u pid=%d type=0x%04x error=%s",
			     (unsigned)c.peer.uid, (int)c.peer.pid, ix_msg_type(m), e.msg);
		ix_ipc_send_error(fd, &e, ANSWER_TIMEOUT_MS, &e2);
		goto out;
	}
	rc = 0;
out:
	ix_msg_free(m);
	for (int i = 0; i < 3; i++)
		if (c.cfd[i] >= 0)
			close(c.cfd[i]);
	if (c.cwd >= 0)
		close(c.cwd);
	ix_policy_free(c.own);
	ixdb_close(c.db);
	ix_peer_close(&c.peer);
	return rc;
}
