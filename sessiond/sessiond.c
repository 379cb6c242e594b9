/*
 * sessiond: the session supervisor (sessiond(8)).
 *
 *	sessiond [-f] [--db PATH] [--rundir DIR] [--config FILE] [--log DEST]
 *	         [--passwdd-socket PATH] [--nosh PATH] [--prompt-timeout S]
 *	         [--admin-lifetime S]
 *
 * main narrows step by step as privd's does: stray descriptors closed,
 * umask 077, options and configuration, the database opened (migrated)
 * and the tree loaded, sessions left open by a sessiond that died ended
 * and their terminals given back their labels, the run directory and the
 * black hole made, the socket bound, the capabilities narrowed to what a
 * session needs (KEEP); then the accept loop forks one worker per
 * connection (a session lasts as long as the person works).
 * The tree is reloaded before each fork when the database moved.
 *
 * Exit status: 0 stopped by SIGTERM/SIGINT; 2 usage or configuration
 * error; 3 any other error.
 */
#include <errno.h>
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
#include "libcompart/compart.h"
#include "libcompart/tier1.h"
#include "libipc/ipc.h"
#include "sessiond/proto.h"
#include "sessiond/record.h"
#include "sessiond/server.h"

enum { EX_OK = 0, EX_USAGE = 2, EX_FAIL = 3 };

#define WORKERS_MAX 256
#define DEFAULT_ADMIN_LIFETIME 3600
#ifndef IX_DEFAULT_NOSH
#define IX_DEFAULT_NOSH "/usr/bin/nosh"
#endif

#ifndef CAP_BPF
#define CAP_BPF 39
#endif
#define CAP(c) (1ull << (c))
/*
 * What sessiond and its workers use, and no more (sessiond(8),
 * PRIVILEGES): terminals given away and relabelled (CHOWN, FOWNER),
 * hung up, compartments' trusted xattrs and tier 1's maps (SYS_ADMIN,
 * BPF), users' homes and files searched for the allowlist and the black
 * hole entered (DAC_OVERRIDE, DAC_READ_SEARCH), the holders of a terminal
 * found in /proc for its stream identifier (SYS_PTRACE), a shell of
 * another uid signalled (KILL), and the shell's identity set
 * (SETUID, SETGID, SETPCAP). Never a seccomp filter or Landlock domain:
 * the shells would inherit it.
 */
#define KEEP (CAP(CAP_CHOWN) | CAP(CAP_DAC_OVERRIDE) | CAP(CAP_DAC_READ_SEARCH) | \
	      CAP(CAP_FOWNER) | CAP(CAP_KILL) | CAP(CAP_SETGID) | CAP(CAP_SETUID) | \
	      CAP(CAP_SETPCAP) | CAP(CAP_SYS_PTRACE) | CAP(CAP_SYS_ADMIN) | CAP(CAP_BPF))

static volatile sig_atomic_t stop;

static void
on_stop(int sig)
{
	stop = sig;
}

static void
usage(FILE *f)
{
	fputs("usage: sessiond [-f] [--db PATH] [--rundir DIR] [--config FILE] [--log DEST]\n"
	      "                [--passwdd-socket PATH] [--nosh PATH] [--prompt-timeout S]\n"
	      "                [--admin-lifetime S]\n", f);
}

static void
reload(struct sessiond_server *srv, struct ixdb *db)
{
	struct ix_err e;
	int r = ix_store_reload(db, &srv->policy, &srv->gen, &e);

	if (r < 0)
		ix_log_event(srv->log, "reload-error", "%s", e.msg);
	else if (r == 1)
		ix_log_event(srv->log, "reload", "by=main generation=%lld", (long long)srv->gen);
}

/* Is pid a sessiond worker still serving (the same program as this one)? */
static int
worker_alive(pid_t pid)
{
	char path[64];
	struct stat a, b;

	snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
	return pid > 0 && pid != getpid() && stat(path, &a) == 0 && stat("/proc/self/exe", &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* A session whose worker died: its terminals get their labels back, its
 * compartment is emptied and removed. 0 done, 1 still served. */
static int
orphan(const struct sess_orphan *o, void *arg)
{
	struct sessiond_server *srv = arg;
	char name[IX_COMPART_NAME_MAX + 1];
	struct ix_t1 *t1 = NULL;
	struct ix_err e;

	if (worker_alive(o->worker))
		return 1;
	if (ix_t1_open(NULL, &t1, &e) == 0) {
		if (ix_t1_tty_set(t1, o->user_tty_rdev, o->user_tty_labelled ? &o->user_tty_label : NULL,
				  &e) < 0 || ix_t1_tty_set(t1, o->tty_rdev, NULL, &e) < 0)
			ix_log_event(srv->log, "error", "session=%lld terminal label not restored: %s",
				     (long long)o->id, e.msg);
		ix_t1_close(t1);
	}
	snprintf(name, sizeof name, "session-%d", (int)o->worker);
	if ((ix_compart_kill(name, 5000, &e) < 0 || ix_compart_remove(name, &e) < 0) &&
	    e.code != IX_ENOENT)
		ix_log_event(srv->log, "warning", "session=%lld compartment %s not removed: %s",
			     (long long)o->id, name, e.msg);
	ix_log_event(srv->log, "orphan", "session=%lld worker=%d ended, terminal label restored",
		     (long long)o->id, (int)o->worker);
	return 0;
}

/* Forgets a reaped worker. */
static void
reaped(pid_t *pids, unsigned *n, pid_t pid)
{
	for (unsigned i = 0; i < *n; i++)
		if (pids[i] == pid) {
			pids[i] = pids[--*n];
			return;
		}
}

static int
serve(struct sessiond_server *srv, struct ixdb *db, int lfd)
{
	static pid_t pids[WORKERS_MAX];
	unsigned workers = 0;
	struct ix_err e;
	pid_t pid;

	while (!stop) {
		struct pollfd p = { .fd = lfd, .events = POLLIN };
		int st, fd;

		while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
			reaped(pids, &workers, pid);
		if (poll(&p, 1, 1000) <= 0)
			continue;
		fd = ix_ipc_accept(lfd, &e);
		if (fd < 0) {
			ix_log_event(srv->log, "error", "stage=accept error=%s", e.msg);
			continue;
		}
		if (workers >= WORKERS_MAX) {
			ix_log_event(srv->log, "reject", "stage=accept error=too many connections (%d)",
				     WORKERS_MAX);
			close(fd);
			continue;
		}
		reload(srv, db);
		pid = fork();
		if (pid == 0) {
			close(lfd);
			_exit(sessiond_worker(srv, fd));
		}
		if (pid < 0)
			ix_log_event(srv->log, "error", "stage=fork error=%s", strerror(errno));
		else
			pids[workers++] = pid;
		close(fd);
	}
	ix_log_event(srv->log, "stop", "signal=%d workers=%u", (int)stop, workers);
	/* Each worker ends its session cleanly: terminal restored, recorded. */
	for (unsigned i = 0; i < workers; i++)
		kill(pids[i], SIGTERM);
	while (workers > 0 && (pid = wait(NULL)) > 0)
		reaped(pids, &workers, pid);
	return EX_OK;
}

static int
seconds(const char *opt, const char *s, long max, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 1 || v > max) {
		fprintf(stderr, "sessiond: %s takes 1 to %ld seconds\n", opt, max);
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sessiond_server srv = { .nosh = IX_DEFAULT_NOSH, .prompt_timeout_ms = 60000,
				       .admin_lifetime = DEFAULT_ADMIN_LIFETIME };
	struct ix_config_flags fl = { 0 };
	const char *pwsock = NULL;
	char sock[IX_PATH_MAX];
	struct sigaction sa;
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
			if (seconds("--prompt-timeout", optarg, 3600, &v) < 0)
				return EX_USAGE;
			srv.prompt_timeout_ms = (int)v * 1000;
			break;
		case 'a':
			if (seconds("--admin-lifetime", optarg, 86400, &v) < 0)
				return EX_USAGE;
			srv.admin_lifetime = (uint32_t)v;
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
	if (ix_ipc_rundir(srv.cfg.rundir, &e) < 0 || ix_blackhole(srv.blackhole, &e) < 0) {
		fprintf(stderr, "sessiond: %s\n", e.msg);
		rc = EX_FAIL;
		goto out;
	}
	/* Anyone may ask: the socket is 0666 in a 0755 directory. Bound
	 * before the orphans are ended, so a second sessiond stops here. */
	lfd = ix_ipc_listen(sock, 0666, 64, &e);
	if (lfd < 0) {
		fprintf(stderr, "sessiond: %s\n", e.msg);
		rc = EX_FAIL;
		goto out;
	}
	n = sess_record_orphans(db, "sessiond restarted", orphan, &srv, &e);
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
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	ix_log_event(srv.log, "start", "socket=%s db=%s generation=%lld clearances=%zu ports=%zu "
		     "passwdd=%s orphans=%d", sock, srv.cfg.db, (long long)srv.gen,
		     srv.policy->nclearances, srv.policy->nports, srv.passwdd, n < 0 ? 0 : n);
	rc = serve(&srv, db, lfd);
	close(lfd);
	unlink(sock);
out:
	ix_policy_free(srv.policy);
	ixdb_close(db);
	ix_log_close(srv.log);
	return rc;
}
