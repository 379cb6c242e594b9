/*
 * A passwdd slot (server.h), forked by main ahead of its connection: the
 * helper first (root with PW_HELPER_CAPS), then the worker (the kit's
 * prelude and ix_worker_confine), then the slot confines itself into the
 * monitor (confine.h), opens the secrets database, deletes expired tags
 * (housekeeping, off any request's path) and waits for main to hand it a
 * connection. Both children die with the monitor (PR_SET_PDEATHSIG); a
 * helper that dies takes the monitor with it (the SIGCHLD handler), so a
 * slot never serves without its helper.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libcompart/workerconf.h"
#include "passwdd/confine.h"
#include "passwdd/helper.h"
#include "passwdd/server.h"
#include "passwdd/store.h"

/* The slot's helper, for the SIGCHLD handler: a program's global, set
 * once per slot process before the handler is installed. */
static pid_t helper_pid = -1;

static void
on_child(int sig)
{
	int saved = errno;

	(void)sig;
	if (helper_pid > 0 && waitpid(helper_pid, NULL, WNOHANG) == helper_pid)
		_exit(PW_SLOT_HELPER_DIED);
	errno = saved;
}

static int
worker_confine(void *arg, struct ix_err *err)
{
	(void)arg;
	return ix_worker_confine("passwdd worker", err);
}

static _Noreturn void
helper_child(const struct pw_server *srv, int ch, pid_t parent)
{
	const struct ix_ids root = { 0, 0, { 0 }, 0 };
	const char *step;
	int rc;

	signal(SIGCHLD, SIG_DFL);	/* PAM modules wait for their children */
	rc = ix_caps_enter(&root, PW_HELPER_CAPS, &step);
	if (rc < 0) {
		ix_log_event(srv->log, "helper-error", "stage=%s error=%s", step, strerror(-rc));
		_exit(PW_SLOT_FAIL);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 ||
	    getppid() != parent) {
		ix_log_event(srv->log, "helper-error", "stage=prctl error=%s", strerror(errno));
		_exit(PW_SLOT_FAIL);
	}
	_exit(pw_helper_serve(srv, ch));
}

int
pw_slot(void *arg, int ctl)
{
	const struct pw_server *srv = arg;
	struct ix_srv_worker w = { srv->worker_uid, srv->worker_gid, worker_confine, srv->worker,
				   arg };
	struct sigaction sa;
	struct pw_store *st = NULL;
	struct ix_srv_conn c;
	struct ix_err e;
	pid_t self = getpid(), wpid;
	int sv[2], wch, abi, rc, status;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		ix_err_sys(&e, "helper: socketpair");
		goto fail;
	}
	helper_pid = fork();
	if (helper_pid < 0) {
		ix_err_sys(&e, "helper: fork");
		goto fail;
	}
	if (helper_pid == 0) {
		close(sv[0]);
		close(ctl);
		helper_child(srv, sv[1], self);
	}
	close(sv[1]);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_child;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	if ((wpid = ix_srv_worker_spawn(&w, &wch, &e)) < 0)
		goto fail;
	if (pw_confine_enter(&srv->ids, srv->dbdir, &abi, &e) < 0) {
		ix_err_prefix(&e, "monitor: confining itself");
		goto fail;
	}
	/* What cannot be opened is told to the client (monitor.c). */
	if (pw_store_open(srv->secrets_db, 0, &st, &e) < 0)
		ix_log_event(srv->log, "error", "stage=open error=%s", e.msg);
	else if (pw_store_tag_expire(st, time(NULL), &e) < 0)
		ix_log_event(srv->log, "tag-error", "stage=expire error=%s", e.msg);
	rc = ix_srv_slot_take(ctl, &c, &e);
	if (rc <= 0) {
		pw_store_close(st);
		if (rc == 0)
			return PW_SLOT_OK;	/* retired */
		goto fail;
	}
	/* A slot lives at most as long as one prompt and the back-off. */
	alarm((unsigned)(srv->prompt_timeout_ms / 1000 + srv->lock.cap_ms / 1000 + 60));
	status = pw_monitor(srv, st, &c, wpid, wch, sv[0]);
	pw_store_close(st);
	close(c.fd);
	return status;
fail:
	ix_log_event(srv->log, "error", "stage=slot error=%s", e.msg);
	return PW_SLOT_FAIL;
}
