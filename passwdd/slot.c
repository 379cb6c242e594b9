/*
 * A passwdd slot (server.h), forked by main ahead of its connection.
 *
 *	keeper (root, CAP_KILL only)	what main forked: forks the three,
 *	  ├ helper (root, PW_HELPER_CAPS)	then only waits, and ends the
 *	  ├ worker (the workers' user)		others when one of them ends
 *	  └ monitor (passwdd's user)
 *
 * Why a keeper: the kernel sends a parent-death signal with the dying
 * parent's credentials (group_send_sig_info checks them), so a monitor
 * with no capability could never take its worker, another user's
 * process, with it; and a worker taken over by a client that outlived
 * its monitor would keep the client's terminal. The keeper reads nothing
 * and holds nothing but the log: when the monitor ends it kills the
 * worker (and the helper ends with its channel); when the helper dies it
 * kills the monitor, so a slot never serves without its helper; when it
 * dies itself (main's death reaches it as SIGTERM), all three follow
 * (PR_SET_PDEATHSIG, which it may send).
 *
 * The monitor confines itself (confine.h), opens the secrets database,
 * deletes expired tags (housekeeping, off any request's path) and waits
 * for main to hand it a connection (monitor.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
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

static int
worker_confine(void *arg, struct ix_err *err)
{
	(void)arg;
	return ix_worker_confine("passwdd worker", err);
}

/* The helper: root with its five capabilities; its monitor's pid comes
 * on mpipe once the keeper has forked it (the pex relay, helper.c). */
static _Noreturn void
helper_child(const struct pw_server *srv, int ch, int mpipe, pid_t keeper)
{
	const struct ix_ids root = { 0, 0, { 0 }, 0 };
	const char *step;
	pid_t mpid = 0;
	int rc;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != keeper)
		_exit(PW_SLOT_FAIL);
	rc = ix_caps_enter(&root, PW_HELPER_CAPS, &step);
	if (rc < 0) {
		ix_log_event(srv->log, "helper-error", "stage=%s error=%s", step, strerror(-rc));
		_exit(PW_SLOT_FAIL);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		ix_log_event(srv->log, "helper-error", "stage=no_new_privs error=%s", strerror(errno));
		_exit(PW_SLOT_FAIL);
	}
	while ((rc = (int)read(mpipe, &mpid, sizeof mpid)) < 0 && errno == EINTR)
		;
	close(mpipe);
	if (rc != (int)sizeof mpid || mpid <= 0)
		_exit(PW_SLOT_OK);	/* the slot did not get as far as a monitor */
	_exit(pw_helper_serve(srv, ch, mpid));
}

/* The monitor: confined, its store open, one connection served. */
static _Noreturn void
monitor_child(const struct pw_server *srv, int ctl, pid_t wpid, int wch, int hch, pid_t keeper)
{
	struct pw_store *st = NULL;
	struct ix_srv_conn c;
	struct ix_err e;
	int abi, rc, status;

	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != keeper)
		_exit(PW_SLOT_FAIL);
	if (pw_confine_enter(&srv->ids, srv->dbdir, &abi, &e) < 0) {
		ix_log_event(srv->log, "error", "stage=monitor error=confining itself: %s", e.msg);
		_exit(PW_SLOT_FAIL);
	}
	/* What cannot be opened is told to the client (monitor.c). */
	if (pw_store_open(srv->secrets_db, 0, &st, &e) < 0)
		ix_log_event(srv->log, "error", "stage=open error=%s", e.msg);
	else if (pw_store_tag_expire(st, time(NULL), &e) < 0)
		ix_log_event(srv->log, "tag-error", "stage=expire error=%s", e.msg);
	/* Attempts that have left the budget's window (a user's own are
	 * also forgotten when that user is next verified). */
	if (st != NULL &&
	    pw_store_attempt_expire(st, (int64_t)time(NULL) * 1000 - PW_BUDGET_WINDOW_MS, &e) < 0)
		ix_log_event(srv->log, "error", "stage=expire-attempts error=%s", e.msg);
	rc = ix_srv_slot_take(ctl, &c, &e);
	if (rc <= 0) {
		if (rc < 0)
			ix_log_event(srv->log, "error", "stage=take error=%s", e.msg);
		pw_store_close(st);
		_exit(rc == 0 ? PW_SLOT_OK : PW_SLOT_FAIL);
	}
	/* A monitor lives at most as long as one prompt and the back-off. */
	alarm((unsigned)(srv->prompt_timeout_ms / 1000 + srv->lock.cap_ms / 1000 + 60));
	status = pw_monitor(srv, st, &c, wpid, wch, hch);
	pw_store_close(st);
	_exit(status);
}

/* The keeper's wait: the slot's status once the monitor has ended. */
static int
keep(const struct pw_server *srv, pid_t mpid, pid_t wpid, pid_t hpid)
{
	int st, status = PW_SLOT_FAIL;
	pid_t p;

	for (;;) {
		p = wait(&st);
		if (p < 0 && errno == EINTR)
			continue;
		if (p < 0)
			return status;
		if (p == wpid) {
			wpid = -1;
			if (WIFSIGNALED(st))
				ix_log_event(srv->log, "worker-killed", "slot=%d worker=%d signal=%d%s",
					     (int)getpid(), (int)p, WTERMSIG(st),
					     WTERMSIG(st) == SIGSYS ?
					     " (a system call outside its seccomp allow-list)" : "");
		} else if (p == hpid) {
			hpid = -1;
			/* A helper ends well (0) only when its monitor closed
			 * the channel, that is, ended: the monitor's own end
			 * follows. Killed, or failed, it died under a monitor
			 * that may still be serving. */
			if (mpid > 0 && !(WIFEXITED(st) && WEXITSTATUS(st) == PW_SLOT_OK)) {
				/* no slot serves without its helper */
				kill(mpid, SIGKILL);
				status = PW_SLOT_HELPER_DIED;
			}
		}
		if (p == mpid) {
			mpid = -1;
			if (status != PW_SLOT_HELPER_DIED) {
				status = WIFEXITED(st) ? WEXITSTATUS(st) : PW_SLOT_MONITOR_KILLED;
				if (WIFSIGNALED(st))
					ix_log_event(srv->log, "monitor-killed", "slot=%d monitor=%d signal=%d%s",
						     (int)getpid(), (int)p, WTERMSIG(st),
						     WTERMSIG(st) == SIGSYS ?
						     " (a system call outside its seccomp allow-list)" : "");
			}
			/* Its worker goes with it, whatever it was doing. */
			if (wpid > 0)
				kill(wpid, SIGKILL);
		}
		if (mpid < 0 && wpid < 0 && hpid < 0)
			return status;
	}
}

int
pw_slot(void *arg, int ctl)
{
	const struct pw_server *srv = arg;
	struct ix_srv_worker w = { srv->worker_uid, srv->worker_gid, worker_confine, srv->worker,
				   arg };
	struct ix_err e;
	pid_t self = getpid(), hpid, wpid, mpid;
	int hv[2], mp[2], wch;
	const char *step;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, hv) < 0 ||
	    pipe2(mp, O_CLOEXEC) < 0) {
		ix_err_sys(&e, "helper: socketpair or pipe");
		goto fail;
	}
	hpid = fork();
	if (hpid < 0) {
		ix_err_sys(&e, "helper: fork");
		goto fail;
	}
	if (hpid == 0) {
		close(hv[0]);
		close(mp[1]);
		close(ctl);
		helper_child(srv, hv[1], mp[0], self);
	}
	close(hv[1]);
	close(mp[0]);
	if ((wpid = ix_srv_worker_spawn(&w, &wch, &e)) < 0)
		goto fail;
	mpid = fork();
	if (mpid < 0) {
		ix_err_sys(&e, "monitor: fork");
		goto fail;
	}
	if (mpid == 0) {
		close(mp[1]);
		monitor_child(srv, ctl, wpid, wch, hv[0], self);
	}
	/* The keeper keeps nothing of the slot's but the log. */
	if (write(mp[1], &mpid, sizeof mpid) != (ssize_t)sizeof mpid)
		ix_log_event(srv->log, "error", "stage=slot error=telling the helper its monitor");
	close(mp[1]);
	close(hv[0]);
	close(wch);
	close(ctl);
	if (ix_caps_narrow(1ull << CAP_KILL, &step) < 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		ix_log_event(srv->log, "error", "stage=keeper error=narrowing: %s", step);
	return keep(srv, mpid, wpid, hpid);
fail:
	ix_log_event(srv->log, "error", "stage=slot error=%s", e.msg);
	return PW_SLOT_FAIL;
}
