/*
 * privd: the privilege server (privd(8)).
 *
 *	privd [-f] [--db PATH] [--rundir DIR] [--config FILE] [--log DEST]
 *	      [--passwdd-socket PATH] [--action-user USER] [--prompt-timeout S]
 *
 * main narrows step by step: stray descriptors closed, umask 077, options
 * and configuration, the database opened and the tree loaded (a privd
 * without a valid tree does not start), the run directory and the black
 * hole made, the socket bound, or taken from systemd (privd.socket: the
 * one socket passed must be rundir/privd.sock, and privd then leaves it
 * in place when it stops); then the loop keeps one worker forked ahead
 * (the spare, which accepts the next connection itself): one process per
 * connection (prompts and actions take seconds to hours). Before each
 * fork, and every second while a spare waits, the loop compares the
 * database's generation with the tree's and loads a new tree when it
 * moved: a tree that fails to load is logged and the old one kept.
 * Workers recheck (worker.c).
 *
 * The launcher (launcher.h) is started first, before the database is
 * opened: it alone keeps root's power. Once the socket is bound, main
 * confines itself (confine.h: no capability, no_new_privs, Landlock,
 * seccomp, no network) and so do the workers it forks; a spare opens its
 * own channel to the launcher and narrows itself further before it
 * accepts. privd stops when the launcher does.
 *
 * Exit status: 0 stopped by SIGTERM/SIGINT; 2 usage or configuration
 * error; 3 any other error.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/ixdb.h"
#include "libauthtree/store.h"
#include "libcompart/cfexec.h"
#include "libipc/ipc.h"
#include "privd/confine.h"
#include "privd/launcher.h"
#include "privd/proto.h"
#include "privd/server.h"

enum { EX_OK = 0, EX_USAGE = 2, EX_FAIL = 3 };

#define WORKERS_MAX 256
#define DEFAULT_ACTION_USER "nobody"

static volatile sig_atomic_t stop;

static void
on_stop(int sig)
{
	stop = sig;
}

/* Only interrupts main's poll: a worker that ended may make room for a
 * spare at once rather than at the next tick. */
static void
on_child(int sig)
{
	(void)sig;
}

static void
usage(FILE *f)
{
	fputs("usage: privd [-f] [--db PATH] [--rundir DIR] [--config FILE] [--log DEST]\n"
	      "             [--passwdd-socket PATH] [--action-user USER] [--prompt-timeout S]\n", f);
}

/* Loads a new tree when the generation moved; keeps the old on failure. */
static void
reload(struct privd_server *srv, struct ixdb *db)
{
	struct ix_err e;
	int r = ix_store_reload(db, &srv->policy, &srv->gen, &e);

	if (r < 0)
		ix_log_event(srv->log, "reload-error", "%s", e.msg);
	else if (r == 1)
		ix_log_event(srv->log, "reload", "by=main generation=%lld nodes=%zu rules=%zu",
			     (long long)srv->gen, srv->policy->nnodes, srv->policy->nrules);
}

/*
 * A worker forked ahead of its connection (the spare, libipc's
 * ix_spare_*): it opens its own database connection and its channel to
 * the launcher, stacks its worker's filter (confine.h), then takes the
 * next connection from the listening socket itself and tells main, which
 * forks the next spare. Neither the fork of main nor the database open is on a
 * request's path, and every connection still has a fresh process of its
 * own, never reused. A spare that cannot open the database accepts all
 * the same: the worker tries again and reports the error to its client.
 * main retires a spare by closing ctl (a new tree, or stopping). Returns
 * the worker's status.
 */
static int
spare(const struct privd_server *srv, int lfd, int ctl, int shared)
{
	struct ixdb *db = NULL;
	struct ix_err e;
	int fd, rc, lch;

	if (ixdb_open(srv->cfg.db, 0, &db, &e) < 0)
		ix_log_event(srv->log, "error", "stage=db (spare) error=%s", e.msg);
	lch = privd_lcall_channel(shared, &e);
	close(shared);
	if (lch < 0 || privd_confine_worker(&e) < 0) {
		ix_log_event(srv->log, "error", "stage=spare error=%s", e.msg);
		ixdb_close(db);
		return 1;
	}
	while ((rc = ix_spare_accept(lfd, ctl, &fd, &e)) < 0) {
		ix_log_event(srv->log, "error", "stage=accept error=%s", e.msg);
		poll(NULL, 0, 100);
	}
	close(lfd);
	if (rc == 0) {
		ixdb_close(db);
		return 0;
	}
	close(ctl);	/* main forks the next spare at once: it needs no word of our end */
	return privd_worker(srv, db, lch, fd);
}

/* Forks the next spare with the current tree; *ctl is main's end of its
 * control socket. Returns 0, or -1 (logged). */
static int
spawn(struct privd_server *srv, struct ixdb *db, int lfd, int shared, int *ctl)
{
	struct ix_err e;
	pid_t pid;

	reload(srv, db);
	pid = ix_spare_fork(ctl, &e);
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		_exit(spare(srv, lfd, *ctl, shared));
	}
	if (pid < 0) {
		ix_log_event(srv->log, "error", "stage=fork error=%s", e.msg);
		return -1;
	}
	return 0;
}

static int
serve(struct privd_server *srv, struct ixdb *db, int lfd, int shared, pid_t launcher)
{
	unsigned workers = 0;	/* the spare included */
	bool full = false;
	int ctl = -1;		/* the spare's control socket, -1 when none */
	struct ix_err e;

	if (ix_spare_listen(lfd, &e) < 0) {
		ix_log_event(srv->log, "error", "stage=listen error=%s", e.msg);
		return EX_FAIL;
	}
	while (!stop) {
		struct pollfd p = { .events = POLLIN };
		int64_t gen;
		pid_t pid;
		int st, r;

		while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
			if (pid == launcher) {
				ix_log_event(srv->log, "error", "stage=launcher error=privd's launcher "
					     "(pid %d) has ended: privd stops", (int)pid);
				return EX_FAIL;
			}
			/* SIGSYS: the worker broke its seccomp filter. */
			if (WIFSIGNALED(st))
				ix_log_event(srv->log, "worker-killed", "pid=%d signal=%d", (int)pid,
					     WTERMSIG(st));
			if (workers > 0)
				workers--;
		}
		if (ctl < 0 && workers >= WORKERS_MAX && !full)
			ix_log_event(srv->log, "busy", "workers=%u new connections wait in the backlog",
				     workers);
		full = ctl < 0 && workers >= WORKERS_MAX;
		if (ctl < 0 && !full && spawn(srv, db, lfd, shared, &ctl) == 0)
			workers++;
		p.fd = ctl;
		r = poll(&p, ctl >= 0 ? 1 : 0, 1000);
		if (r > 0) {
			/* The spare is ready, took a connection, or died
			 * before (wait a little before the next). */
			enum ix_spare_ev ev = ix_spare_event(ctl);

			if (ev == IX_SPARE_READY)
				continue;
			if (ev == IX_SPARE_TAKEN)
				close(ctl);
			else
				poll(NULL, 0, 100);
			ctl = -1;
		} else if (r == 0 && ctl >= 0 && ixdb_generation(db, &gen, &(struct ix_err){ 0 }) == 0 &&
			   gen != srv->gen) {
			close(ctl);	/* its tree is old: the next spare loads the new one */
			ctl = -1;
		}
	}
	if (ctl >= 0)
		close(ctl);
	ix_log_event(srv->log, "stop", "signal=%d", (int)stop);
	return EX_OK;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "rundir", required_argument, NULL, 'r' },
		{ "log", required_argument, NULL, 'l' },
		{ "passwdd-socket", required_argument, NULL, 'P' },
		{ "action-user", required_argument, NULL, 'u' },
		{ "prompt-timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct privd_server srv = { .action_user = DEFAULT_ACTION_USER, .prompt_timeout_ms = 60000 };
	struct ix_config_flags fl = { 0 };
	const char *pwsock = NULL;
	char sock[IX_PATH_MAX];
	struct sigaction sa;
	struct ixdb *db = NULL;
	gid_t groups[IX_CAPS_MAX_GROUPS];
	struct passwd *pw;
	struct ix_err e;
	char *end;
	long v;
	int c, lfd, rc, activated, ngroups, shared = -1, landlock;
	pid_t launcher;

	activated = ix_ipc_listen_fds();
	closefrom(3 + activated);
	umask(077);
	while ((c = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':	/* privd never detaches; accepted for units and scripts */
			break;
		case 'd': fl.db = optarg; break;
		case 'c': fl.config = optarg; break;
		case 'r': fl.rundir = optarg; break;
		case 'l': fl.log = optarg; break;
		case 'P': pwsock = optarg; break;
		case 'u': srv.action_user = optarg; break;
		case 't':
			v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || v < 1 || v > 3600) {
				fprintf(stderr, "privd: --prompt-timeout takes 1 to 3600 seconds\n");
				return EX_USAGE;
			}
			srv.prompt_timeout_ms = (int)v * 1000;
			break;
		case 'h':
			usage(stdout);
			return EX_OK;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return EX_USAGE;
	}
	if (ix_config_load(&srv.cfg, &fl, &e) < 0) {
		fprintf(stderr, "privd: %s\n", e.msg);
		return EX_USAGE;
	}
	if ((pw = getpwnam(srv.action_user)) == NULL) {
		fprintf(stderr, "privd: the action user '%s' does not exist\n", srv.action_user);
		return EX_USAGE;
	}
	/* A group lookup loads every NSS module the system names (dlopen):
	 * once here, and each worker inherits them rather than loading them
	 * again for every request. The result is not kept: workers look the
	 * user up afresh. */
	ngroups = IX_CAPS_MAX_GROUPS;
	(void)getgrouplist(pw->pw_name, pw->pw_gid, groups, &ngroups);
	if (snprintf(sock, sizeof sock, "%s/privd.sock", srv.cfg.rundir) >= (int)sizeof sock ||
	    snprintf(srv.blackhole, sizeof srv.blackhole, "%s/blackhole", srv.cfg.rundir) >=
		    (int)sizeof srv.blackhole ||
	    snprintf(srv.passwdd, sizeof srv.passwdd, "%s", pwsock ? pwsock : "") >=
		    (int)sizeof srv.passwdd) {
		fputs("privd: path too long\n", stderr);
		return EX_USAGE;
	}
	if (pwsock == NULL)
		snprintf(srv.passwdd, sizeof srv.passwdd, "%.*s/passwdd.sock", IX_PATH_MAX - 16,
			 srv.cfg.rundir);
	srv.log = ix_log_open(srv.cfg.log, "privd", &e);
	if (srv.log == NULL) {
		fprintf(stderr, "privd: %s\n", e.msg);
		return EX_USAGE;
	}
	/* Before the database is opened: no SQLite state in the launcher. */
	if (privd_launcher_start(&srv, activated, &shared, &launcher, &e) < 0) {
		fprintf(stderr, "privd: %s\n", e.msg);
		rc = EX_FAIL;
		goto out;
	}
	if (ixdb_open(srv.cfg.db, 0, &db, &e) < 0 || ixdb_generation(db, &srv.gen, &e) < 0 ||
	    ix_store_load(db, &srv.policy, &e) < 0) {
		fprintf(stderr, "privd: %s: %s\n", srv.cfg.db, e.msg);
		rc = EX_FAIL;
		goto out;
	}
	if (ix_ipc_rundir(srv.cfg.rundir, &e) < 0 || ix_blackhole(srv.blackhole, &e) < 0) {
		fprintf(stderr, "privd: %s\n", e.msg);
		rc = EX_FAIL;
		goto out;
	}
	/* Anyone may ask: the socket is 0666 in a 0755 directory. */
	lfd = activated ? ix_ipc_activated(activated, sock, &e) : ix_ipc_listen(sock, 0666, 64, &e);
	if (lfd < 0) {
		fprintf(stderr, "privd: %s\n", e.msg);
		rc = EX_FAIL;
		goto out;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_child;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (privd_confine_main(&srv, &landlock, &e) < 0) {
		fprintf(stderr, "privd: confining itself: %s\n", e.msg);
		rc = EX_FAIL;
		close(lfd);
		goto out;
	}
	ix_log_event(srv.log, "start", "socket=%s%s db=%s generation=%lld nodes=%zu rules=%zu "
		     "action_user=%s passwdd=%s launcher=%d landlock=%d", sock,
		     activated ? " (activated)" : "", srv.cfg.db, (long long)srv.gen,
		     srv.policy->nnodes, srv.policy->nrules, srv.action_user, srv.passwdd,
		     (int)launcher, landlock);
	rc = serve(&srv, db, lfd, shared, launcher);
	close(lfd);
	if (!activated)	/* systemd's socket outlives us, for the next start */
		unlink(sock);
out:
	/* The launcher ends once no worker holds the shared channel either. */
	if (shared >= 0)
		close(shared);
	ix_policy_free(srv.policy);
	ixdb_close(db);
	ix_log_close(srv.log);
	return rc;
}
