/*
 * passwdd's main (passwdd(8), server.h).
 *
 *	passwdd [-f] [--config FILE] [--rundir DIR] [--log DEST] [--user U]
 *	        [--worker-user U] [--secrets-db PATH] [--socket PATH]
 *	        [--privd-user U] [--sessiond-user U] [--lockout-after N]
 *	        [--backoff-ms N] [--backoff-max-ms N] [--failure-budget N]
 *	        [--otp-window N]
 *	        [--prompt-timeout S] [--provider NAME=PATH]... [--tiocsti-off]
 *	        [--max-slots N] [--per-user N] [--per-root N]
 *	        [--queue-per-user N] [--queue-ms MS] [--spares N]
 *
 * main narrows step by step: stray descriptors closed, umask 077, options
 * and configuration, the secrets database's directory made passwdd's
 * user's, the socket bound, the session tags of an earlier run dropped
 * (as passwdd's user, in a child), then main keeps only what its slots
 * need (MAIN_CAPS, no_new_privs) and serves through the kit
 * (ix_srv_serve): each connection keyed by its peer's real uid, queued
 * fairly, answered "busy" past a limit, served by a slot forked ahead
 * (slot.c). main reads nothing a client sends.
 *
 * Exit status: 0 stopped by SIGTERM/SIGINT; 2 usage or configuration
 * error; 3 any other error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/capability.h>
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
#include <sodium.h>

#include "libcompart/compart.h"
#include "libcompart/landlock.h"
#include "libterm/pex.h"
#include "libipc/ipc.h"
#include "passwdd/confine.h"
#include "passwdd/helper.h"
#include "passwdd/server.h"
#include "passwdd/store.h"

enum { EX_OK = 0, EX_USAGE = 2, EX_FAIL = 3 };

#ifndef PW_DEFAULT_SECRETS_DB
#define PW_DEFAULT_SECRETS_DB "/var/lib/ixkit/passwdd/passwdd.db"
#endif

/* What main keeps (passwdd(8)): becoming the monitor's and the worker's
 * users (CAP_SETUID, CAP_SETGID, CAP_SETPCAP for the bounding set and
 * securebits), the keeper's CAP_KILL (slot.c: ending a worker of another
 * user), and the helper's five, which a slot's helper keeps. */
#define MAIN_CAPS (PW_HELPER_CAPS | (1ull << CAP_SETUID) | (1ull << CAP_SETGID) | \
		   (1ull << CAP_SETPCAP) | (1ull << CAP_KILL))

/* passwdd's limits (passwdd(8)): a person answers a prompt in seconds,
 * so one user rarely has more than a couple of verifications at once;
 * the trusted relays (privd, sessiond, login and su as root) limit per
 * user themselves. */
#define PW_LIMITS \
	{ .slots = 128, .per_key = 4, .per_key_root = 64, .queued_per_key = 8, \
	  .spares = 2, .queue_ms = 5000 }

static void
usage(FILE *f)
{
	fputs("usage: passwdd [-f] [--config FILE] [--rundir DIR] [--log DEST] [--user USER]\n"
	      "               [--worker-user USER] [--secrets-db PATH] [--socket PATH]\n"
	      "               [--privd-user USER] [--sessiond-user USER] [--lockout-after N]\n"
	      "               [--backoff-ms MS] [--backoff-max-ms MS] [--failure-budget N]\n"
	      "               [--otp-window STEPS]\n"
	      "               [--prompt-timeout S] [--provider NAME=PATH]... [--tiocsti-off]\n"
	      "               [--max-slots N] [--per-user N] [--per-root N]\n"
	      "               [--queue-per-user N] [--queue-ms MS] [--spares N]\n", f);
}

static int
number(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno == 0 && end != s && *end == '\0' && s[0] != '-' && *out <= max ? 0 : -1;
}

static int
user_uid(const char *name, uid_t *uid)
{
	struct passwd *pw = getpwnam(name);

	if (pw == NULL) {
		fprintf(stderr, "passwdd: no such user %s\n", name);
		return -1;
	}
	*uid = pw->pw_uid;
	return 0;
}

/* A directory of uid's, writable by no one else, never through a link:
 * created with mode (and handed to uid) when missing. */
static int
own_dir(const char *dir, mode_t mode, uid_t uid, gid_t gid, struct ix_err *e)
{
	struct stat sb;

	if (mkdir(dir, mode) == 0) {
		/* chmod undoes our umask of 077 */
		if (chmod(dir, mode) < 0 || chown(dir, uid, gid) < 0)
			return ix_err_sys(e, "%s", dir);
	} else if (errno != EEXIST) {
		return ix_err_sys(e, "cannot create %s", dir);
	}
	if (lstat(dir, &sb) < 0)
		return ix_err_sys(e, "%s", dir);
	if (!S_ISDIR(sb.st_mode))
		return ix_err_set(e, IX_EINVAL, "%s is not a directory", dir);
	if (sb.st_uid != uid || (sb.st_mode & 022))
		return ix_err_set(e, IX_EDENIED, "%s must belong to uid %u and not be writable by group or others",
				  dir, (unsigned)uid);
	return 0;
}

/*
 * The secrets database's directory: passwdd's user creates and removes the
 * -wal and -shm files there, so it must be that user's and writable by no
 * one else; created 0700 when missing. A database (or its -wal, -shm)
 * left by root, as an older passwdd or passwdd-admin made it, is handed
 * over to the user.
 */
static int
prepare_dbdir(const char *db, const struct ix_ids *ids, char *dir, size_t size, struct ix_err *e)
{
	static const char *const sfx[] = { "", "-wal", "-shm" };
	char path[IX_PATH_MAX + 8];
	struct stat sb;
	size_t i;

	if (pw_store_dir(db, dir, size, e) < 0 || own_dir(dir, 0700, ids->uid, ids->gid, e) < 0)
		return -1;
	for (i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		int fd;

		snprintf(path, sizeof path, "%s%s", db, sfx[i]);
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;	/* missing, or refused later by the store */
		if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_uid == 0 &&
		    fchown(fd, ids->uid, ids->gid) < 0) {
			ix_err_sys(e, "%s: handing it to uid %u", path, (unsigned)ids->uid);
			close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

/*
 * --tiocsti-off: dev.tty.legacy_tiocsti to 0 while still root, logged.
 * A kernel without the sysctl (before 6.2) cannot turn TIOCSTI off:
 * passwdd runs on, and pex refuses classical passwords, saying why.
 */
static int
set_tiocsti_off(struct ix_log *log)
{
	struct ix_err e;
	int was;

	if (ix_pex_tiocsti_off(&was, &e) == 0) {
		ix_log_event(log, "tiocsti", "dev.tty.legacy_tiocsti=0 (was %d) set by --tiocsti-off", was);
		return 0;
	}
	if (e.code == IX_ENOENT) {
		ix_log_event(log, "warning", "--tiocsti-off: %s", e.msg);
		return 0;
	}
	ix_log_event(log, "error", "stage=tiocsti-off error=%s", e.msg);
	fprintf(stderr, "passwdd: --tiocsti-off: %s\n", e.msg);
	return -1;
}


/* The tags of an earlier run go (sessiond registers them again), and the
 * database is created when missing: as passwdd's user, in a child, since
 * main never opens the database itself. */
static int
reset_store(const struct pw_server *srv, struct ix_err *e)
{
	struct pw_store *st = NULL;
	const char *step;
	int status, rc;
	pid_t pid = fork();

	if (pid < 0)
		return ix_err_sys(e, "fork");
	if (pid == 0) {
		rc = ix_caps_enter(&srv->ids, 0, &step);
		if (rc < 0) {
			fprintf(stderr, "passwdd: becoming uid %u: %s: %s\n", (unsigned)srv->ids.uid,
				step, strerror(-rc));
			_exit(EX_FAIL);
		}
		if (pw_store_open(srv->secrets_db, PW_STORE_CREATE, &st, e) < 0 ||
		    pw_store_tag_expire(st, INT64_MAX, e) < 0) {
			fprintf(stderr, "passwdd: %s\n", e->msg);
			_exit(EX_FAIL);
		}
		pw_store_close(st);
		_exit(EX_OK);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return ix_err_sys(e, "waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return ix_err_set(e, IX_EDB, "the secrets database %s cannot be opened",
				  srv->secrets_db);
	return 0;
}

/* In main, after a slot has ended: what its status says. */
static void
slot_ended(void *arg, const struct ix_srv_slot_info *s, int status)
{
	const struct pw_server *srv = arg;

	if (WIFEXITED(status) && WEXITSTATUS(status) == PW_SLOT_HELPER_DIED)
		ix_log_event(srv->log, "helper-died", "slot=%d uid=%u: the slot ended with it%s",
			     (int)s->pid, (unsigned)s->key,
			     s->served ? "; its verification failed" : "");
}

static const struct ix_srv_ops ops = { "passwdd", pw_slot, slot_ended, NULL };

int
pw_daemon(int argc, char **argv, pw_worker_fn *worker)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "rundir", required_argument, NULL, 'r' },
		{ "log", required_argument, NULL, 'l' },
		{ "user", required_argument, NULL, 'u' },
		{ "worker-user", required_argument, NULL, 'W' },
		{ "secrets-db", required_argument, NULL, 's' },
		{ "socket", required_argument, NULL, 'S' },
		{ "privd-user", required_argument, NULL, 'P' },
		{ "sessiond-user", required_argument, NULL, 'U' },
		{ "lockout-after", required_argument, NULL, 'n' },
		{ "backoff-ms", required_argument, NULL, 'b' },
		{ "backoff-max-ms", required_argument, NULL, 'B' },
		{ "failure-budget", required_argument, NULL, 'F' },
		{ "otp-window", required_argument, NULL, 'w' },
		{ "prompt-timeout", required_argument, NULL, 't' },
		{ "provider", required_argument, NULL, 'p' },
		{ "tiocsti-off", no_argument, NULL, 'T' },
		{ "max-slots", required_argument, NULL, '1' },
		{ "per-user", required_argument, NULL, '2' },
		{ "per-root", required_argument, NULL, '3' },
		{ "queue-per-user", required_argument, NULL, '4' },
		{ "queue-ms", required_argument, NULL, '5' },
		{ "spares", required_argument, NULL, '6' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct pw_server srv = {
		.privd_uid = (uid_t)-1,
		.sessiond_uid = (uid_t)-1,
		.lim = PW_LIMITS,
		.lock = { .after = 5, .base_ms = 1000, .cap_ms = 30000, .budget = PW_BUDGET_DEFAULT },
		.otp_window = 1,
		.prompt_timeout_ms = 60000,
	};
	struct ix_config_flags fl = { 0 };
	struct ix_config cfg;
	const char *db = NULL, *sock = NULL, *user = PW_DEFAULT_USER, *wuser = PW_WORKER_USER;
	char cgroot[IX_PATH_MAX];
	const char *step;
	unsigned long v;
	struct ix_err e;
	int c, lfd, rc, tiocsti_off = 0;

	closefrom(3);
	umask(077);
	srv.worker = worker;
	while ((c = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':	/* passwdd never detaches; accepted for systemd units and scripts */
			break;
		case 'c': fl.config = optarg; break;
		case 'r': fl.rundir = optarg; break;
		case 'l': fl.log = optarg; break;
		case 'u': user = optarg; break;
		case 'W': wuser = optarg; break;
		case 's': db = optarg; break;
		case 'S': sock = optarg; break;
		case 'P': fl.privd_user = optarg; break;
		case 'U': fl.sessiond_user = optarg; break;
		case 'F': fl.passwdd_failure_budget = optarg; break;
		case 'n': case 'b': case 'B': case 'w': case 't':
			if (number(optarg, c == 'w' ? PW_OTP_WINDOW_MAX : c == 't' ? 3600 : 86400000,
				   &v) < 0) {
				fprintf(stderr, "passwdd: bad number '%s'\n", optarg);
				return EX_USAGE;
			}
			if (c == 'n') srv.lock.after = (unsigned)v;
			else if (c == 'b') srv.lock.base_ms = (unsigned)v;
			else if (c == 'B') srv.lock.cap_ms = (unsigned)v;
			else if (c == 'w') srv.otp_window = (unsigned)v;
			else srv.prompt_timeout_ms = (int)v * 1000;
			break;
		case '1': case '2': case '3': case '4': case '5': case '6':
			if (number(optarg, c == '1' ? IX_SRV_SLOTS_MAX : c == '5' ? 600000 :
				   c == '6' ? 4 : IX_SRV_WAITING_MAX, &v) < 0 || (v == 0 && c != '4')) {
				fprintf(stderr, "passwdd: bad number '%s' (see passwdd(8) for the ranges)\n",
					optarg);
				return EX_USAGE;
			}
			if (c == '1') srv.lim.slots = (unsigned)v;
			else if (c == '2') srv.lim.per_key = (unsigned)v;
			else if (c == '3') srv.lim.per_key_root = (unsigned)v;
			else if (c == '4') srv.lim.queued_per_key = (unsigned)v;
			else if (c == '5') srv.lim.queue_ms = (int)v;
			else srv.lim.spares = (unsigned)v;
			break;
		case 'p': {
			char *eq = strchr(optarg, '=');

			if (eq == NULL || srv.nprov == PW_PROVIDERS_MAX) {
				fprintf(stderr, "passwdd: --provider NAME=PATH, at most %d\n",
					PW_PROVIDERS_MAX);
				return EX_USAGE;
			}
			*eq = '\0';
			srv.prov[srv.nprov++] = (struct ix_stream_provider){ optarg, eq + 1 };
			break;
		}
		case 'T':
			tiocsti_off = 1;
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
	if (sodium_init() < 0) {
		fputs("passwdd: libsodium failed to initialise\n", stderr);
		return EX_FAIL;
	}
	if (geteuid() != 0) {
		fputs("passwdd: must be started as root (its slots become its users)\n", stderr);
		return EX_USAGE;
	}
	if (ix_config_load(&cfg, &fl, &e) < 0) {
		fprintf(stderr, "passwdd: %s\n", e.msg);
		return EX_USAGE;
	}
	/* The budget: flag, environment or ixkit.conf, checked here (the
	 * configuration routine knows no numbers). */
	if (cfg.passwdd_failure_budget[0] != '\0') {
		if (number(cfg.passwdd_failure_budget, PW_BUDGET_MAX, &v) < 0) {
			fprintf(stderr, "passwdd: bad failure budget '%s' (0 to %d; from the %s)\n",
				cfg.passwdd_failure_budget, PW_BUDGET_MAX,
				ix_config_source_name(cfg.src_passwdd_failure_budget));
			return EX_USAGE;
		}
		srv.lock.budget = (unsigned)v;
	}
	/* privd's and sessiond's users may ask about anyone and are relays
	 * (monitor.c): flag, environment or ixkit.conf. */
	if ((cfg.privd_user[0] != '\0' && user_uid(cfg.privd_user, &srv.privd_uid) < 0) ||
	    (cfg.sessiond_user[0] != '\0' && user_uid(cfg.sessiond_user, &srv.sessiond_uid) < 0))
		return EX_USAGE;
	if (srv.nprov > 0 && ix_stream_providers_check(srv.prov, srv.nprov, &e) < 0) {
		fprintf(stderr, "passwdd: %s\n", e.msg);
		return EX_USAGE;
	}
	snprintf(srv.secrets_db, sizeof srv.secrets_db, "%s", db != NULL ? db : PW_DEFAULT_SECRETS_DB);
	if (sock != NULL)
		snprintf(srv.socket, sizeof srv.socket, "%s", sock);
	else if (snprintf(srv.socket, sizeof srv.socket, "%s/passwdd.sock", cfg.rundir) >=
		 (int)sizeof srv.socket) {
		fputs("passwdd: run directory path too long\n", stderr);
		return EX_USAGE;
	}
	if (pw_confine_ids(user, &srv.ids, &e) < 0 ||
	    ix_srv_worker_user(wuser, &srv.worker_uid, &srv.worker_gid, &e) < 0) {
		fprintf(stderr, "passwdd: %s\n", e.msg);
		return EX_USAGE;
	}
	if (srv.worker_uid == srv.ids.uid) {
		fprintf(stderr, "passwdd: the workers' user %s must not be passwdd's user %s\n", wuser,
			user);
		return EX_USAGE;
	}
	if (srv.lim.per_key > srv.lim.slots || srv.lim.per_key_root > srv.lim.slots) {
		fputs("passwdd: --per-user and --per-root cannot pass --max-slots\n", stderr);
		return EX_USAGE;
	}
	srv.log = ix_log_open(cfg.log, "passwdd", &e);
	if (srv.log == NULL) {
		fprintf(stderr, "passwdd: %s\n", e.msg);
		return EX_USAGE;
	}
	/* Only on request: the sysctl is the administrator's (etc/sysctl.d). */
	if (tiocsti_off && set_tiocsti_off(srv.log) < 0)
		return EX_FAIL;
	/* Without cgroup v2 no session can be told apart: tags never match. */
	if (ix_cgroup2_mount(cgroot, sizeof cgroot, &e) == 0)
		srv.cgroot = cgroot;
	else
		ix_log_event(srv.log, "warning", "session tags disabled: %s", e.msg);
	if (prepare_dbdir(srv.secrets_db, &srv.ids, srv.dbdir, sizeof srv.dbdir, &e) < 0) {
		fprintf(stderr, "passwdd: %s\n", e.msg);
		return EX_FAIL;
	}
	/* The run directory is root's and 0755: the socket is reached there. */
	if (sock == NULL && own_dir(cfg.rundir, 0755, 0, 0, &e) < 0) {
		fprintf(stderr, "passwdd: %s\n", e.msg);
		return EX_FAIL;
	}
	if (reset_store(&srv, &e) < 0) {
		fprintf(stderr, "passwdd: %s\n", e.msg);
		return EX_FAIL;
	}
	/* Anyone may ask for themselves: the socket is 0666 in a 0755 directory. */
	lfd = ix_ipc_listen(srv.socket, 0666, 128, &e);
	if (lfd < 0) {
		fprintf(stderr, "passwdd: %s\n", e.msg);
		return EX_FAIL;
	}
	rc = ix_caps_narrow(MAIN_CAPS, &step);
	if (rc < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		fprintf(stderr, "passwdd: keeping only its slots' capabilities: %s: %s\n",
			rc < 0 ? step : "no_new_privs", strerror(rc < 0 ? -rc : errno));
		unlink(srv.socket);
		return EX_FAIL;
	}
	if (ix_landlock_abi() <= 0)
		ix_log_event(srv.log, "warning", "no Landlock in this kernel: only uid, capabilities "
			     "and seccomp confine passwdd's monitors and workers");
	ix_log_event(srv.log, "start", "socket=%s secrets_db=%s user=%s uid=%u worker_user=%s "
		     "worker_uid=%u landlock_abi=%d slots=%u per_user=%u per_root=%u "
		     "queue_per_user=%u queue_ms=%d spares=%u lockout_after=%u failure_budget=%u "
		     "otp_window=%u",
		     srv.socket, srv.secrets_db, user, (unsigned)srv.ids.uid, wuser,
		     (unsigned)srv.worker_uid, ix_landlock_abi(), srv.lim.slots, srv.lim.per_key,
		     srv.lim.per_key_root, srv.lim.queued_per_key, srv.lim.queue_ms, srv.lim.spares,
		     srv.lock.after, srv.lock.budget, srv.otp_window);
	rc = ix_srv_serve(lfd, &srv.lim, &ops, &srv, srv.log, &e);
	close(lfd);
	unlink(srv.socket);
	if (rc < 0) {
		ix_log_event(srv.log, "error", "stage=serve error=%s", e.msg);
		fprintf(stderr, "passwdd: %s\n", e.msg);
	}
	ix_log_close(srv.log);
	return rc < 0 ? EX_FAIL : EX_OK;
}
