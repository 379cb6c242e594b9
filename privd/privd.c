/*
 * privd: the privilege server (privd(8)).
 *
 *	privd [-f] [--db PATH] [--rundir DIR] [--config FILE] [--log DEST]
 *	      [--passwdd-socket PATH] [--action-user USER] [--prompt-timeout S]
 *	      [--worker-user USER] [--max-connections N] [--max-per-user N]
 *	      [--nonprivate otp|refuse]
 *
 * privd has the monitor shape of every ixkit server (libipc/SERVER.md):
 * main accepts, keys each connection by its client's uid, queues it
 * fairly and hands it to a slot forked ahead; the slot's monitor decides
 * and acts (monitor.c), its worker — a user of its own with no capability
 * and no file — reads what the client sends (worker.c).
 *
 * main narrows step by step: stray descriptors closed, umask 077, options
 * and configuration, the workers' user, the database opened and the tree
 * loaded (a privd without a valid tree does not start), what a privd that
 * died left running ended and recorded as abandoned, the run directory
 * and the black hole made, the socket bound, or taken from systemd
 * (privd.socket: the one socket passed must be rundir/privd.sock, and
 * privd then leaves it in place when it stops); then the kit serves.
 * About once a second, and before each slot is forked, main compares the
 * database's generation with its tree's and loads a new tree when it
 * moved (a tree that fails to load is logged and the old one kept);
 * slots prepared on the old tree are retired.
 *
 * Exit status: 0 stopped by SIGTERM/SIGINT; 2 usage or configuration
 * error; 3 any other error.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/ixdb.h"
#include "libauthtree/store.h"
#include "libcompart/cfexec.h"
#include "libcompart/rungroup.h"
#include "libipc/ipc.h"
#include "libipc/srv.h"
#include "privd/exec.h"
#include "privd/proto.h"
#include "privd/record.h"
#include "privd/server.h"

enum { EX_OK = 0, EX_USAGE = 2, EX_FAIL = 3 };

#define DEFAULT_ACTION_USER "nobody"

static void
usage(FILE *f)
{
	fputs("usage: privd [-f] [--db PATH] [--rundir DIR] [--config FILE] [--log DEST]\n"
	      "             [--passwdd-socket PATH] [--action-user USER] [--prompt-timeout S]\n"
	      "             [--worker-user USER] [--max-connections N] [--max-per-user N]\n"
	      "             [--nonprivate otp|refuse]\n", f);
}

/* Loads a new tree when the generation moved; keeps the old on failure.
 * True when a new one is in place. */
static bool
reload(void *arg)
{
	struct privd_server *srv = arg;
	struct ix_err e;
	int r = ix_store_reload(srv->db, &srv->policy, &srv->gen, &e);

	if (r < 0)
		ix_log_event(srv->log, "reload-error", "%s", e.msg);
	else if (r == 1)
		ix_log_event(srv->log, "reload", "by=main generation=%lld nodes=%zu rules=%zu",
			     (long long)srv->gen, srv->policy->nnodes, srv->policy->nrules);
	return r == 1;
}

/* A monitor that did not end by itself may have left its action running
 * and its request open: both are ended, the request recorded as
 * abandoned. */
static void
slot_ended(void *arg, const struct ix_srv_slot_info *s, int status)
{
	struct privd_server *srv = arg;
	struct ix_err e;

	if (!s->served || (WIFEXITED(status) && WEXITSTATUS(status) == 0))
		return;
	if (privd_record_abandon(srv->db, srv->cfg.audit_head, srv->log, s->pid,
				 "its monitor died", &e) < 0)
		ix_log_event(srv->log, "error", "stage=abandon monitor=%d error=%s", (int)s->pid, e.msg);
	else if (privd_run_abandon(s->pid, &e) < 0)
		ix_log_event(srv->log, "warning", "monitor=%d group not ended: %s", (int)s->pid, e.msg);
}

/* What a privd that died left: every open request recorded as abandoned
 * (its group ended), and any group of an action without a row. */
static void
after_a_dead_privd(struct privd_server *srv)
{
	char (*names)[IX_COMPART_NAME_MAX + 1] = NULL;
	size_t n = 0;
	struct ix_err e;
	int k = privd_record_abandon(srv->db, srv->cfg.audit_head, srv->log, 0,
				     "privd stopped before it ended", &e);

	if (k < 0)
		ix_log_event(srv->log, "error", "stage=abandon error=%s", e.msg);
	if (ix_rungroup_list("privd-", &names, &n, &e) < 0)
		ix_log_event(srv->log, "warning", "stage=run-groups error=%s", e.msg);
	for (size_t i = 0; i < n; i++)
		if (ix_rungroup_end(names[i], 5000, &e) < 0)
			ix_log_event(srv->log, "warning", "run group %s not ended: %s", names[i], e.msg);
	free(names);
}

static int
number(const char *opt, const char *s, long lo, long hi, unsigned *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "privd: %s takes %ld to %ld\n", opt, lo, hi);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

/* Before the first record of this run: the head lines a crash kept back
 * are appended, an old head file gets its header. A head it must not
 * repair is logged and left for privtree verify; privd serves on (its
 * records stay in the database, and refusing would hand whoever removed
 * the file a way to stop privd). */
static void
reconcile_head(struct privd_server *srv)
{
	struct ixdb_reconcile rc;
	struct ix_err e;

	if (ixdb_audit_reconcile(srv->db, srv->cfg.audit_head, &rc, &e) < 0)
		ix_log_event(srv->log, "audit-damage", "head=%s error=%s", srv->cfg.audit_head, e.msg);
	else if (rc.created || rc.upgraded || rc.extended > 0)
		ix_log_event(srv->log, "audit-head", "head=%s created=%d upgraded=%d from=%lld "
			     "extended=%lld", srv->cfg.audit_head, rc.created, rc.upgraded,
			     (long long)rc.from, (long long)rc.extended);
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
		{ "worker-user", required_argument, NULL, 'w' },
		{ "max-connections", required_argument, NULL, 'm' },
		{ "max-per-user", required_argument, NULL, 'p' },
		{ "nonprivate", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct ix_srv_ops ops = { PRIVD_SERVICE, privd_slot, slot_ended, reload };
	struct privd_server srv = { .action_user = DEFAULT_ACTION_USER, .prompt_timeout_ms = 60000,
				    .limits = IX_SRV_LIMITS_DEFAULT };
	struct ix_config_flags fl = { 0 };
	const char *pwsock = NULL, *wuser = PRIVD_WORKER_USER;
	char sock[IX_PATH_MAX];
	gid_t groups[IX_CAPS_MAX_GROUPS];
	struct passwd *pw;
	struct ix_err e;
	unsigned v;
	int c, lfd, rc, activated, ngroups;

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
		case 'w': wuser = optarg; break;
		case 't':
			if (number("--prompt-timeout", optarg, 1, 3600, &v) < 0)
				return EX_USAGE;
			srv.prompt_timeout_ms = (int)v * 1000;
			break;
		case 'm':
			if (number("--max-connections", optarg, 1, IX_SRV_SLOTS_MAX, &v) < 0)
				return EX_USAGE;
			srv.limits.slots = v;
			break;
		case 'p':
			if (number("--max-per-user", optarg, 1, IX_SRV_SLOTS_MAX, &v) < 0)
				return EX_USAGE;
			srv.limits.per_key = v;
			break;
		case 'n':
			if (strcmp(optarg, "otp") != 0 && strcmp(optarg, "refuse") != 0) {
				fprintf(stderr, "privd: --nonprivate takes otp or refuse\n");
				return EX_USAGE;
			}
			srv.nonprivate_refuse = strcmp(optarg, "refuse") == 0;
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
	 * once here, and each slot inherits them rather than loading them
	 * again for every request. The result is not kept: monitors look the
	 * user up afresh. */
	ngroups = IX_CAPS_MAX_GROUPS;
	(void)getgrouplist(pw->pw_name, pw->pw_gid, groups, &ngroups);
	if (ix_srv_worker_user(wuser, &srv.worker_uid, &srv.worker_gid, &e) < 0) {
		fprintf(stderr, "privd: %s\n", e.msg);
		return EX_USAGE;
	}
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
	/* Not even a process of root's may read main's memory through ptrace
	 * without CAP_SYS_PTRACE; slots and their actions are its children. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (ixdb_open(srv.cfg.db, 0, &srv.db, &e) < 0 || ixdb_generation(srv.db, &srv.gen, &e) < 0 ||
	    ix_store_load(srv.db, &srv.policy, &e) < 0) {
		fprintf(stderr, "privd: %s: %s\n", srv.cfg.db, e.msg);
		rc = EX_FAIL;
		goto out;
	}
	ixdb_set_witness(srv.db, srv.cfg.audit_witness, srv.cfg.witness_every);
	reconcile_head(&srv);
	after_a_dead_privd(&srv);
	if (ix_ipc_rundir(srv.cfg.rundir, &e) < 0 || ix_blackhole(srv.blackhole, &e) < 0) {
		fprintf(stderr, "privd: %s\n", e.msg);
		rc = EX_FAIL;
		goto out;
	}
	/* Anyone may ask: the socket is 0666 in a 0755 directory. */
	lfd = activated ? ix_ipc_activated(activated, sock, &e) : ix_ipc_listen(sock, 0666, 128, &e);
	if (lfd < 0) {
		fprintf(stderr, "privd: %s\n", e.msg);
		rc = EX_FAIL;
		goto out;
	}
	ix_log_event(srv.log, "start", "socket=%s%s db=%s generation=%lld nodes=%zu rules=%zu "
		     "action_user=%s worker_user=%s passwdd=%s max_connections=%u max_per_user=%u",
		     sock, activated ? " (activated)" : "", srv.cfg.db, (long long)srv.gen,
		     srv.policy->nnodes, srv.policy->nrules, srv.action_user, wuser, srv.passwdd,
		     srv.limits.slots, srv.limits.per_key);
	rc = ix_srv_serve(lfd, &srv.limits, &ops, &srv, srv.log, &e) < 0 ? EX_FAIL : EX_OK;
	if (rc == EX_FAIL)
		fprintf(stderr, "privd: %s\n", e.msg);
	close(lfd);
	if (!activated)	/* systemd's socket outlives us, for the next start */
		unlink(sock);
out:
	ix_policy_free(srv.policy);
	ixdb_close(srv.db);
	ix_log_close(srv.log);
	return rc;
}
