/*
 * sessiond: the session supervisor (sessiond(8)).
 *
 *	sessiond [-f] [--db PATH] [--rundir DIR] [--config FILE] [--log DEST]
 *	         [--passwdd-socket PATH] [--nosh PATH] [--prompt-timeout S]
 *	         [--admin-lifetime S] [--max-sessions N] [--max-per-user N]
 *
 * main narrows step by step as privd's does: stray descriptors closed,
 * umask 077, options and configuration, the workers' user looked up, the
 * database opened (migrated) and the tree loaded, the run directory and
 * the black hole made, the socket bound, sessions left open by a sessiond
 * that died ended and their terminals given back their labels, the
 * capabilities narrowed to what a slot needs (KEEP); then the server kit
 * serves (libipc/srv.h): main accepts, keys each connection by its
 * user, queues it fairly and hands it to a slot prepared ahead, a
 * monitor with its confined worker (slot.c). main reads nothing a client
 * sends; it reloads the tree for new slots (tick) and ends the sessions
 * of a monitor that died (slot_ended).
 *
 * Exit status: 0 stopped by SIGTERM/SIGINT; 2 usage or configuration
 * error; 3 any other error.
 */
#include <getopt.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/ixdb.h"
#include "libauthtree/store.h"
#include "libcompart/caps.h"
#include "libcompart/cfexec.h"
#include "libipc/ipc.h"
#include "libipc/srv.h"
#include "libixutil/ix_time.h"
#include "sessiond/orphan.h"
#include "sessiond/proto.h"
#include "sessiond/server.h"

enum { EX_OK = 0, EX_USAGE = 2, EX_FAIL = 3 };

#define DEFAULT_ADMIN_LIFETIME 3600
#define BACKLOG 256
#define STOP_WAIT_MS 10000	/* for the monitors to end their sessions */
/*
 * The kit's limits (sessiond(8), LIMITS). A session holds its slot as
 * long as the person works, so a user may hold a dozen at once (sessions
 * and the requests beside them: session -l, a refused OPEN) and sixteen
 * more may wait; root, the administrator at the console, twice that.
 */
#define SESSIOND_LIMITS \
	{ .slots = 256, .per_key = 12, .per_key_root = 24, .queued_per_key = 16, .spares = 2, \
	  .queue_ms = 5000 }
#ifndef IX_DEFAULT_NOSH
#define IX_DEFAULT_NOSH "/usr/bin/nosh"
#endif

#ifndef CAP_BPF
#define CAP_BPF 39
#endif
#define CAP(c) (1ull << (c))
/*
 * What main's slots (the monitors) use, and no more (sessiond(8),
 * PRIVILEGES); main keeps them to fork the slots and to end a dead
 * monitor's session. Terminals given away and relabelled (CHOWN, FOWNER),
 * hung up, compartments' trusted xattrs and tier 1's maps (SYS_ADMIN,
 * BPF), users' homes and files searched for the allowlist and the black
 * hole entered (DAC_OVERRIDE, DAC_READ_SEARCH), the holders of a terminal
 * found in /proc for its stream identifier, and the worker's descriptors
 * (SYS_PTRACE), a shell of another uid signalled (KILL), and the shell's
 * identity set (SETUID, SETGID, SETPCAP; the worker's too, by the kit's
 * prelude), and the shell put into its compartment's namespaces (the
 * mount namespace's setns needs SYS_CHROOT beside SYS_ADMIN). Never a
 * seccomp filter or Landlock domain on main or a monitor: the shells
 * would inherit it. The worker has none of these.
 */
#define KEEP (CAP(CAP_CHOWN) | CAP(CAP_DAC_OVERRIDE) | CAP(CAP_DAC_READ_SEARCH) | \
	      CAP(CAP_FOWNER) | CAP(CAP_KILL) | CAP(CAP_SETGID) | CAP(CAP_SETUID) | \
	      CAP(CAP_SETPCAP) | CAP(CAP_SYS_PTRACE) | CAP(CAP_SYS_ADMIN) | CAP(CAP_BPF) | \
	      CAP(CAP_SYS_CHROOT))

static void
usage(FILE *f)
{
	fputs("usage: sessiond [-f] [--db PATH] [--rundir DIR] [--config FILE] [--log DEST]\n"
	      "                [--passwdd-socket PATH] [--nosh PATH] [--prompt-timeout S]\n"
	      "                [--admin-lifetime S] [--max-sessions N] [--max-per-user N]\n", f);
}

/* The kit's tick: a tree changed in the database is loaded for the slots
 * forked from now on; the spares prepared on the old one are retired. */
static bool
tick(void *arg)
{
	struct sessiond_server *srv = arg;
	struct ix_err e;
	int r = ix_store_reload(srv->db, &srv->policy, &srv->gen, &e);

	if (r < 0)
		ix_log_event(srv->log, "reload-error", "%s", e.msg);
	else if (r == 1)
		ix_log_event(srv->log, "reload", "by=main generation=%lld", (long long)srv->gen);
	return r == 1;
}

/* A slot has ended: a monitor that died with its session running left it
 * to main, which undoes it from the record. */
static void
slot_ended(void *arg, const struct ix_srv_slot_info *s, int status)
{
	struct sessiond_server *srv = arg;
	struct ix_err e;

	if (!s->served || (WIFEXITED(status) && WEXITSTATUS(status) == 0))
		return;
	if (sess_orphans_end(srv->db, srv->log, s->pid, "monitor died", &e) < 0)
		ix_log_event(srv->log, "error", "stage=slot-ended pid=%d error=%s", (int)s->pid, e.msg);
}

/* After the kit has stopped (every slot's socket closed, which a monitor
 * takes as SIGTERM): each live session is ended and recorded by its
 * monitor before main exits. */
static void
wait_slots(struct ix_log *log)
{
	int64_t until = ix_now_ms() + STOP_WAIT_MS;
	pid_t p;

	while ((p = waitpid(-1, NULL, WNOHANG)) >= 0) {
		if (p > 0)
			continue;
		if (ix_now_ms() >= until) {
			ix_log_event(log, "warning", "stage=stop error=slots still ending after %d ms",
				     STOP_WAIT_MS);
			return;
		}
		poll(NULL, 0, 20);
	}
}

/* A whole number of unit (for messages) from 1 to max. */
static int
number(const char *opt, const char *s, long max, const char *unit, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 1 || v > max) {
		fprintf(stderr, "sessiond: %s takes 1 to %ld%s\n", opt, max, unit);
		return -1;
	}
	*out = v;
	return 0;
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
		{ "nosh", required_argument, NULL, 'n' },
		{ "prompt-timeout", required_argument, NULL, 't' },
		{ "admin-lifetime", required_argument, NULL, 'a' },
		{ "max-sessions", required_argument, NULL, 'S' },
		{ "max-per-user", required_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sessiond_server srv = { .nosh = IX_DEFAULT_NOSH, .prompt_timeout_ms = 60000,
				       .admin_lifetime = DEFAULT_ADMIN_LIFETIME };
	struct ix_srv_limits lim = SESSIOND_LIMITS;
	struct ix_srv_ops ops = { SESSIOND_SERVICE, sessiond_slot, slot_ended, tick };
	struct ix_config_flags fl = { 0 };
	const char *pwsock = NULL;
	char sock[IX_PATH_MAX];
	struct ixdb *db = NULL;
	struct ix_err e;
	long v;
	int c, lfd, rc, n;

	closefrom(3);
	umask(077);
	while ((c = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':	/* sessiond never detaches; accepted for units and scripts */
			break;
		case 'd': fl.db = optarg; break;
		case 'c': fl.config = optarg; break;
		case 'r': fl.rundir = optarg; break;
		case 'l': fl.log = optarg; break;
		case 'P': pwsock = optarg; break;
		case 'n': srv.nosh = optarg; break;
		case 't':
			if (number("--prompt-timeout", optarg, 3600, " seconds", &v) < 0)
				return EX_USAGE;
			srv.prompt_timeout_ms = (int)v * 1000;
			break;
		case 'a':
			if (number("--admin-lifetime", optarg, 86400, " seconds", &v) < 0)
				return EX_USAGE;
			srv.admin_lifetime = (uint32_t)v;
			break;
		case 'S':
			if (number("--max-sessions", optarg, IX_SRV_SLOTS_MAX, "", &v) < 0)
				return EX_USAGE;
			lim.slots = (unsigned)v;
			break;
		case 'U':
			if (number("--max-per-user", optarg, IX_SRV_SLOTS_MAX, "", &v) < 0)
				return EX_USAGE;
			lim.per_key = (unsigned)v;
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
	if (lim.per_key > lim.slots) {
		fputs("sessiond: --max-per-user is more than --max-sessions\n", stderr);
		return EX_USAGE;
	}
	if (lim.per_key_root < lim.per_key)
		lim.per_key_root = lim.per_key;
	if (lim.per_key_root > lim.slots)
		lim.per_key_root = lim.slots;
	if (ix_config_load(&srv.cfg, &fl, &e) < 0) {
		fprintf(stderr, "sessiond: %s\n", e.msg);
		return EX_USAGE;
	}
	if (ix_srv_worker_user(SESSIOND_WORKER_USER, &srv.worker_uid, &srv.worker_gid, &e) < 0) {
		fprintf(stderr, "sessiond: %s\n", e.msg);
		return EX_USAGE;
	}
	if (srv.nosh[0] != '/' || access(srv.nosh, X_OK) < 0) {
		fprintf(stderr, "sessiond: the shell below the floor, %s, is not an absolute path to "
			"a program\n", srv.nosh);
		return EX_USAGE;
	}
	if (snprintf(sock, sizeof sock, "%s/sessiond.sock", srv.cfg.rundir) >= (int)sizeof sock ||
	    snprintf(srv.blackhole, sizeof srv.blackhole, "%s/blackhole", srv.cfg.rundir) >=
		    (int)sizeof srv.blackhole ||
	    snprintf(srv.passwdd, sizeof srv.passwdd, "%s", pwsock ? pwsock : "") >=
		    (int)sizeof srv.passwdd) {
		fputs("sessiond: path too long\n", stderr);
		return EX_USAGE;
	}
	if (pwsock == NULL)
		snprintf(srv.passwdd, sizeof srv.passwdd, "%.*s/passwdd.sock", IX_PATH_MAX - 16,
			 srv.cfg.rundir);
	srv.log = ix_log_open(srv.cfg.log, "sessiond", &e);
	if (srv.log == NULL) {
		fprintf(stderr, "sessiond: %s\n", e.msg);
		return EX_USAGE;
	}
	if (ixdb_open(srv.cfg.db, 0, &db, &e) < 0 || ixdb_generation(db, &srv.gen, &e) < 0 ||
	    ix_store_load(db, &srv.policy, &e) < 0) {
		fprintf(stderr, "sessiond: %s: %s\n", srv.cfg.db, e.msg);
		rc = EX_FAIL;
		goto out;
	}
	srv.db = db;
	if (ix_ipc_rundir(srv.cfg.rundir, &e) < 0 || ix_blackhole(srv.blackhole, &e) < 0) {
		fprintf(stderr, "sessiond: %s\n", e.msg);
		rc = EX_FAIL;
		goto out;
	}
	/* Anyone may ask: the socket is 0666 in a 0755 directory. Bound
	 * before the orphans are ended, so a second sessiond stops here. */
	lfd = ix_ipc_listen(sock, 0666, BACKLOG, &e);
	if (lfd < 0) {
		fprintf(stderr, "sessiond: %s\n", e.msg);
		rc = EX_FAIL;
		goto out;
	}
	n = sess_orphans_end(db, srv.log, 0, "sessiond restarted", &e);
	if (n < 0)
		ix_log_event(srv.log, "error", "stage=orphans error=%s", e.msg);
	{
		const char *step;
		int r = ix_caps_narrow(KEEP, &step);

		if (r < 0) {
			fprintf(stderr, "sessiond: narrowing its capabilities: %s: %s\n", step,
				strerror(-r));
			close(lfd);
			unlink(sock);
			rc = EX_FAIL;
			goto out;
		}
	}
	ix_log_event(srv.log, "start", "socket=%s db=%s generation=%lld clearances=%zu ports=%zu "
		     "passwdd=%s orphans=%d slots=%u per_user=%u", sock, srv.cfg.db, (long long)srv.gen,
		     srv.policy->nclearances, srv.policy->nports, srv.passwdd, n < 0 ? 0 : n,
		     lim.slots, lim.per_key);
	rc = ix_srv_serve(lfd, &lim, &ops, &srv, srv.log, &e) < 0 ? EX_FAIL : EX_OK;
	if (rc != EX_OK)
		fprintf(stderr, "sessiond: %s\n", e.msg);
	wait_slots(srv.log);
	close(lfd);
	unlink(sock);
out:
	ix_policy_free(srv.policy);
	ixdb_close(db);
	ix_log_close(srv.log);
	return rc;
}
