/*
 * passwdd: the password server (passwdd(8)).
 *
 *	passwdd [-f] [--config FILE] [--rundir DIR] [--log DEST] [--user U]
 *	        [--secrets-db PATH] [--socket PATH] [--privd-user U]
 *	        [--sessiond-user U] [--lockout-after N] [--backoff-ms N]
 *	        [--backoff-max-ms N] [--otp-window N] [--prompt-timeout S]
 *	        [--provider NAME=PATH]... [--tiocsti-off]
 *
 * main narrows step by step: stray descriptors closed, umask 077, options
 * and configuration, the secrets database's directory made passwdd's
 * user's, the socket bound, the helper started (helper.h: it stays root
 * with four capabilities for pex, the prompt and PAM), then main confines
 * itself for good (confine.h: passwdd's user, no capability, no_new_privs,
 * Landlock, seccomp), opens the secrets database (and drops its tags), and
 * the loop keeps one worker forked ahead (the spare, which accepts the
 * next connection itself): one process per connection (prompts take
 * seconds; the parent only forks and reaps).
 *
 * Exit status: 0 stopped by SIGTERM/SIGINT; 2 usage or configuration
 * error; 3 any other error, among them the helper's death (a confined
 * passwdd cannot start another: its service manager restarts it).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>

#include "libcompart/compart.h"
#include "libterm/pex.h"
#include "libipc/ipc.h"
#include "passwdd/confine.h"
#include "passwdd/helper.h"
#include "passwdd/server.h"
#include "libixutil/ix_time.h"

enum { EX_OK = 0, EX_USAGE = 2, EX_FAIL = 3 };

#ifndef PW_DEFAULT_SECRETS_DB
#define PW_DEFAULT_SECRETS_DB "/var/lib/ixkit/passwdd/passwdd.db"
#endif
#define WORKERS_MAX 64
#define NEXT_SPARE_MS 100
#define SPARES_MAX 8
#define EXTRA_SPARE_MS 1

static volatile sig_atomic_t stop;

static void
on_stop(int sig)
{
	stop = sig;
}

static void
usage(FILE *f)
{
	fputs("usage: passwdd [-f] [--config FILE] [--rundir DIR] [--log DEST] [--user USER]\n"
	      "               [--secrets-db PATH] [--socket PATH] [--privd-user USER]\n"
	      "               [--sessiond-user USER] [--lockout-after N] [--backoff-ms MS]\n"
	      "               [--backoff-max-ms MS] [--otp-window STEPS] [--prompt-timeout S]\n"
	      "               [--provider NAME=PATH]... [--tiocsti-off]\n", f);
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

/* Logs a worker that did not end normally (a seccomp kill is SIGSYS). */
static void
reaped(struct pw_server *srv, pid_t pid, int st)
{
	if (WIFSIGNALED(st) && WTERMSIG(st) != SIGALRM)
		ix_log_event(srv->log, "worker-killed", "pid=%d signal=%d%s", (int)pid, WTERMSIG(st),
			     WTERMSIG(st) == SIGSYS ? " (a system call outside the seccomp allow-list)" : "");
}

/*
 * Logs how the helper ended. Confined, passwdd cannot start another (it
 * needs root): it stops with EX_FAIL, and its service manager restarts
 * it (the unit has Restart=on-failure). Workers already running keep
 * their own channel servers and finish.
 */
static int
helper_died(struct pw_server *srv, pid_t pid, int st)
{
	char how[64];

	if (WIFSIGNALED(st))
		snprintf(how, sizeof how, "signal=%d", WTERMSIG(st));
	else
		snprintf(how, sizeof how, "status=%d", WEXITSTATUS(st));
	ix_log_event(srv->log, "helper-died", "pid=%d %s: without it no terminal can be checked; "
		     "passwdd stops (exit status %d) to be restarted", (int)pid, how, EX_FAIL);
	return EX_FAIL;
}

/*
 * The spare (ipc.h): a worker forked before its connection. It opens its
 * own channel to the helper (whose server for it is forked meanwhile) and
 * its own connection to the secrets database (a SQLite connection must not
 * cross fork), deletes the session tags that have expired (which also has
 * SQLite read the schema now rather than at the request's first
 * statement), then takes the next connection and serves it. What it
 * could not open the worker tries again, logging and reporting the error
 * to its client. Its alarm starts with the connection; ctl stays open
 * until it ends, which tells main it is done. Returns the process's exit
 * status.
 */
static int
spare(const struct pw_server *srv, int lfd, int ctl)
{
	struct pw_store *st = NULL;
	struct ix_err e;
	int hch, fd, rc;

	hch = pw_hcall_open(srv->helper, &e);
	if (pw_store_open(srv->secrets_db, 0, &st, &e) == 0 &&
	    pw_store_tag_expire(st, time(NULL), &e) < 0)
		ix_log_event(srv->log, "tag-error", "stage=expire error=%s", e.msg);
	while ((rc = ix_spare_accept(lfd, ctl, &fd, &e)) < 0) {
		ix_log_event(srv->log, "error", "stage=accept error=%s", e.msg);
		poll(NULL, 0, 100);
	}
	close(lfd);
	if (rc == 0) {
		pw_store_close(st);
		if (hch >= 0)
			close(hch);
		return 0;
	}
	/* A worker lives at most as long as one prompt and the back-off. */
	alarm((unsigned)(srv->prompt_timeout_ms / 1000 + srv->lock.cap_ms / 1000 + 60));
	return pw_worker(srv, st, hch, fd);
}

/* Only interrupts main's poll: a worker that ended may make room for a
 * spare at once rather than at the next tick. */
static void
on_child(int sig)
{
	(void)sig;
}

/* Forks the next spare; returns its control socket, or -1 (logged). */
static int
spawn(struct pw_server *srv, int lfd)
{
	struct ix_err e;
	int ctl;
	pid_t pid = ix_spare_fork(&ctl, &e);

	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		_exit(spare(srv, lfd, ctl));
	}
	if (pid < 0) {
		ix_log_event(srv->log, "error", "stage=fork error=%s", e.msg);
		return -1;
	}
	return ctl;
}

/* The spares forked and not yet taken: their control sockets. */
struct spares {
	int ctl[SPARES_MAX];
	bool ready[SPARES_MAX];	/* prepared, waiting for a connection */
	unsigned n;
	unsigned nready;
};

static void
spares_drop(struct spares *sp, unsigned i)
{
	if (sp->ready[i])
		sp->nready--;
	sp->n--;
	sp->ctl[i] = sp->ctl[sp->n];
	sp->ready[i] = sp->ready[sp->n];
}

/*
 * One spare ahead. Once it has taken a connection, the next is forked
 * when that worker ends, or NEXT_SPARE_MS later (a person typing),
 * whichever comes first: the fork, the database open and the helper's
 * fork of a server then do not compete for the CPUs with the request in
 * flight, and a lone request never waits for them. A connection that
 * waits while no spare is ready (concurrent clients) has another spare
 * forked at once, and another every EXTRA_SPARE_MS while that lasts, up to
 * SPARES_MAX preparing together.
 */
static int
serve(struct pw_server *srv, int lfd, pid_t helper)
{
	struct spares sp = { .n = 0, .nready = 0 };
	unsigned workers = 0;	/* the spares included */
	bool full = false;
	int busy = -1;		/* the last spare's once it took a connection */
	long long since = 0;	/* when it did */
	long long extra = 0;	/* when a waiting connection last had a spare forked */
	struct ix_err e;
	unsigned i;

	if (ix_spare_listen(lfd, &e) < 0) {
		ix_log_event(srv->log, "error", "stage=listen error=%s", e.msg);
		return EX_FAIL;
	}
	while (!stop) {
		/* The shared channel wakes us when the helper is gone: it never
		 * writes there, so any event is its end. */
		struct pollfd p[3 + SPARES_MAX] = { { .fd = srv->helper, .events = POLLIN },
						    { .fd = -1, .events = POLLIN },
						    { .fd = -1, .events = POLLIN } };
		long long left = NEXT_SPARE_MS, now, gap;
		int timeout;
		bool waiting;
		pid_t pid;
		int st, ctl;

		while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
			if (pid == helper)
				return helper_died(srv, pid, st);
			reaped(srv, pid, st);
			if (workers > 0)
				workers--;
		}
		if (busy >= 0 && (left = since + NEXT_SPARE_MS - ix_now_ms()) <= 0) {
			close(busy);
			busy = -1;
		}
		/* At the limit new connections wait in the backlog. */
		if (sp.n == 0 && workers >= WORKERS_MAX && !full)
			ix_log_event(srv->log, "busy", "workers=%u new connections wait in the backlog",
				     workers);
		full = workers >= WORKERS_MAX;
		if (sp.n == 0 && busy < 0 && !full && (ctl = spawn(srv, lfd)) >= 0) {
			sp.ctl[sp.n] = ctl;
			sp.ready[sp.n++] = false;
			workers++;
		}
		/* A waiting connection matters only while no spare is ready. */
		now = ix_now_ms();
		gap = extra + EXTRA_SPARE_MS - now;
		waiting = sp.nready == 0 && sp.n < SPARES_MAX && !full;
		timeout = busy >= 0 ? (int)left : 1000;
		if (waiting && gap > 0 && gap < timeout)
			timeout = (int)gap;
		p[1].fd = busy;
		p[2].fd = waiting && gap <= 0 ? lfd : -1;
		for (i = 0; i < sp.n; i++)
			p[3 + i] = (struct pollfd){ .fd = sp.ctl[i], .events = POLLIN };
		if (poll(p, 3 + sp.n, timeout) <= 0)
			continue;
		if (p[0].revents != 0) {
			while ((pid = waitpid(helper, &st, 0)) < 0 && errno == EINTR)
				;
			if (pid == helper)
				return helper_died(srv, pid, st);
			ix_log_event(srv->log, "helper-died", "pid=%d channel closed: passwdd stops (exit status %d) to be restarted",
				     (int)helper, EX_FAIL);
			return EX_FAIL;
		}
		/* The last worker has ended (before a newer one replaces it). */
		if (busy >= 0 && p[1].revents != 0) {
			close(busy);
			busy = -1;
		}
		/* From the last slot down: spares_drop moves the last one. */
		for (i = sp.n; i-- > 0;) {
			if (p[3 + i].revents == 0)
				continue;
			switch (ix_spare_event(sp.ctl[i])) {
			case IX_SPARE_READY:
				if (!sp.ready[i])
					sp.nready++;
				sp.ready[i] = true;
				break;
			case IX_SPARE_TAKEN:
				if (busy >= 0)
					close(busy);
				busy = sp.ctl[i];
				since = ix_now_ms();
				spares_drop(&sp, i);
				break;
			case IX_SPARE_ENDED:
				/* Not replaced at once: whatever killed it may
				 * kill the next. */
				spares_drop(&sp, i);
				poll(NULL, 0, 100);
				break;
			}
		}
		if (p[2].revents != 0 && sp.nready == 0 && sp.n < SPARES_MAX && !full &&
		    (ctl = spawn(srv, lfd)) >= 0) {
			sp.ctl[sp.n] = ctl;
			sp.ready[sp.n++] = false;
			workers++;
			extra = ix_now_ms();
		}
	}
	for (i = 0; i < sp.n; i++)
		close(sp.ctl[i]);	/* the spares retire */
	if (busy >= 0)
		close(busy);
	ix_log_event(srv->log, "stop", "signal=%d", (int)stop);
	return EX_OK;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "rundir", required_argument, NULL, 'r' },
		{ "log", required_argument, NULL, 'l' },
		{ "user", required_argument, NULL, 'u' },
		{ "secrets-db", required_argument, NULL, 's' },
		{ "socket", required_argument, NULL, 'S' },
		{ "privd-user", required_argument, NULL, 'P' },
		{ "sessiond-user", required_argument, NULL, 'U' },
		{ "lockout-after", required_argument, NULL, 'n' },
		{ "backoff-ms", required_argument, NULL, 'b' },
		{ "backoff-max-ms", required_argument, NULL, 'B' },
		{ "otp-window", required_argument, NULL, 'w' },
		{ "prompt-timeout", required_argument, NULL, 't' },
		{ "provider", required_argument, NULL, 'p' },
		{ "tiocsti-off", no_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pw_server srv = {
		.privd_uid = (uid_t)-1,
		.sessiond_uid = (uid_t)-1,
		.lock = { .after = 5, .base_ms = 1000, .cap_ms = 30000 },
		.otp_window = 1,
		.prompt_timeout_ms = 60000,
	};
	struct ix_config_flags fl = { 0 };
	struct ix_config cfg;
	const char *db = NULL, *sock = NULL, *user = PW_DEFAULT_USER;
	char cgroot[IX_PATH_MAX], dbdir[IX_PATH_MAX];
	struct ix_ids ids;
	pid_t helper;
	struct pw_store *st;
	struct sigaction sa;
	unsigned long v;
	struct ix_err e;
	int c, lfd, rc, abi, tiocsti_off = 0;

	closefrom(3);
	umask(077);
	while ((c = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':	/* passwdd never detaches; accepted for systemd units and scripts */
			break;
		case 'c': fl.config = optarg; break;
		case 'r': fl.rundir = optarg; break;
		case 'l': fl.log = optarg; break;
		case 'u': user = optarg; break;
		case 's': db = optarg; break;
		case 'S': sock = optarg; break;
		case 'P': fl.privd_user = optarg; break;
		case 'U': fl.sessiond_user = optarg; break;
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
	if (ix_config_load(&cfg, &fl, &e) < 0) {
		fprintf(stderr, "passwdd: %s\n", e.msg);
		return EX_USAGE;
	}
	/* privd's and sessiond's users may ask about anyone and are relays
	 * (worker.c): flag, environment or ixkit.conf. */
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
	if (pw_confine_ids(user, &ids, &e) < 0) {
		fprintf(stderr, "passwdd: %s\n", e.msg);
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
	if (prepare_dbdir(srv.secrets_db, &ids, dbdir, sizeof dbdir, &e) < 0) {
		fprintf(stderr, "passwdd: %s\n", e.msg);
		return EX_FAIL;
	}
	/* The run directory is root's and 0755: the socket is reached there. */
	if (sock == NULL && own_dir(cfg.rundir, 0755, 0, 0, &e) < 0) {
		fprintf(stderr, "passwdd: %s\n", e.msg);
		return EX_FAIL;
	}
	/* Started before the socket exists, so that it never holds it. */
	if (pw_helper_start(&srv, &srv.helper, &helper, &e) < 0) {
		fprintf(stderr, "passwdd: %s\n", e.msg);
		return EX_FAIL;
	}
	/* Anyone may ask for themselves: the socket is 0666 in a 0755 directory. */
	lfd = ix_ipc_listen(srv.socket, 0666, 64, &e);
	if (lfd < 0) {
		fprintf(stderr, "passwdd: %s\n", e.msg);
		close(srv.helper);	/* the helper ends with its channel */
		return EX_FAIL;
	}
	if (pw_confine_enter(&ids, dbdir, &abi, &e) < 0) {
		fprintf(stderr, "passwdd: confining itself: %s\n", e.msg);
		pw_helper_stop(srv.helper, helper);
		_exit(EX_FAIL);
	}
	if (abi == 0)
		ix_log_event(srv.log, "warning", "no Landlock in this kernel: only uid, capabilities and seccomp confine passwdd");
	/* Tags do not outlive passwdd: sessiond registers them again. */
	if (pw_store_open(srv.secrets_db, PW_STORE_CREATE, &st, &e) < 0 ||
	    pw_store_tag_expire(st, INT64_MAX, &e) < 0) {
		fprintf(stderr, "passwdd: %s\n", e.msg);
		pw_store_close(st);
		pw_helper_stop(srv.helper, helper);
		_exit(EX_FAIL);
	}
	pw_store_close(st);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_child;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	ix_log_event(srv.log, "start", "socket=%s secrets_db=%s user=%s uid=%u landlock_abi=%d "
		     "helper=%d lockout_after=%u otp_window=%u", srv.socket, srv.secrets_db, user,
		     (unsigned)ids.uid, abi, (int)helper, srv.lock.after, srv.otp_window);
	rc = serve(&srv, lfd, helper);
	close(lfd);
	if (rc == EX_OK)
		pw_helper_stop(srv.helper, helper);	/* it removes the socket */
	ix_log_close(srv.log);
	/* Once confined, no exit-time handlers: they may need what the
	 * confinement forbids (LeakSanitizer reads /proc/self/maps and
	 * traces threads); stdio holds nothing by now. */
	_exit(rc);
}
