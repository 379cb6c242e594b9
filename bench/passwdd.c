/*
 * bench-passwdd: passwdd's verification throughput and latency against the
 * raw cost of one argon2id verification at the parameters of its store.
 *
 *	bench-passwdd --passwdd PATH [--ref PATH] [--seconds K] [--runs R]
 *	              [--raw N] [--user NAME] [--paired-only]
 *
 * 1. raw: N crypto_pwhash_str_verify calls on a hash that passwdd's own
 *    store (pw_store_set_password) wrote, read back from the database.
 * 2. pty: the real path. The built passwdd runs on a private socket and
 *    secrets database, with this binary named as its trusted terminal
 *    provider. Each of C clients (1, 2, 4, 8) is a pair: a provider
 *    process (this binary) holding a pty's master, typing the password
 *    when "Password:" appears, and a client in a session of its own whose
 *    controlling terminal is the slave, calling pw_client_verify in a loop
 *    for K seconds. Each call is a connection, a worker, pex, the prompt,
 *    argon2id and the answer.
 * 3. pipe: the same with HOTP codes written into a pipe (pex refuses a
 *    pipe, so only a code is asked): passwdd's overhead alone, no argon2id.
 * 4. paired: the pty at C = 1, each verification paired with a raw one
 *    the client runs in a process forked for it, as passwdd runs its own in
 *    a fresh worker, after a pause that lets passwdd settle, raw first in
 *    every other pair (the first argon2id after a pause is the slower):
 *    the mean of the two orders' median differences is the overhead least
 *    disturbed by other load on the machine. R runs of K seconds each;
 *    the summary is the median over the runs of each run's median
 *    difference, in ms and as a share of the raw verification.
 *
 * --ref PATH runs a second passwdd (another build, say main's) beside the
 * first, on a socket and database of its own, and alternates their paired
 * runs, so that both meet the same load; the summary has a line for each.
 * --paired-only leaves out 2 and 3.
 *
 * Prints medians and ratios; asserts nothing (make bench). Needs root
 * (passwdd does). A passwdd that takes --user (one that runs as its own
 * user) runs confined as in production, as ixkit-passwd: when the host
 * has no such user, it is created (useradd --system) in an overlay of
 * /etc private to the benchmark's mount namespace; --user names another.
 * One that does not take --user is run as root. pex refuses
 * every terminal unless
 * dev.tty.legacy_tiocsti is 0: as tests/scenario/passwdd_pty.sh does, the
 * benchmark sets it to 0 under /tmp/ixkit-tiocsti.lock (the lock every
 * writer of the sysctl takes) and puts the old value back at the end.
 * Runs in a private PID namespace with its own /proc, as the scenario
 * tests do, so that pex scans only this benchmark's processes and never
 * a process it cannot read.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "bench/stats.h"
#include "passwdd/client.h"
#include "passwdd/otp.h"
#include "passwdd/store.h"

#define PASSWORD "correct horse battery"
#define PW_USER "benchpw"
#define SLOTS_MAX 8
#define LAT_MAX 20000		/* latencies kept per client and run */
#define RAW_MAX 1000
#define RUNS_MAX 50
#define SETTLE_MS 20		/* paired: a pause before each raw verification */
#define OTP_KEYLEN 20

static const unsigned levels[] = { 1, 2, 4, 8 };

/* One client's results, in memory shared across fork. */
struct slot {
	unsigned n;		/* verifications granted */
	unsigned bad;		/* refused or failed */
	double lat[LAT_MAX];	/* ms per granted verification, first n */
	double raw[LAT_MAX];	/* paired runs: ms of the raw verify paired with each */
	bool pw_first[LAT_MAX];	/* paired runs: passwdd's went before the raw one */
	double scratch;		/* a raw verification's ms, from its own process */
	char err[160];		/* first failure, "" if none */
};

static struct slot *slots;	/* SLOTS_MAX, MAP_SHARED */
static uint8_t otp_key[OTP_KEYLEN];
static char stored[crypto_pwhash_STRBYTES];	/* the store's argon2id string */
static char tmpdir[] = "/tmp/ixkit-bench-pw-XXXXXX";

/* A passwdd under test: its binary, socket, database and log. */
struct target {
	const char *bin;
	const char *user;		/* NULL: it runs as root */
	char sock[PATH_MAX], db[PATH_MAX], log[PATH_MAX];
	pid_t pid;
	uint64_t counters[SLOTS_MAX];	/* HOTP counters of its users */
	double ovh[RUNS_MAX];		/* each paired run's median difference, ms */
	double ratio[RUNS_MAX];		/* the same over that run's raw median */
	unsigned nruns;
};

static const char *sock, *db, *logpath;	/* of the target being run */

static void
use(const struct target *t)
{
	sock = t->sock;
	db = t->db;
	logpath = t->log;
}

static void
die(const char *what, const char *msg)
{
	fprintf(stderr, "bench-passwdd: %s: %s\n", what, msg);
	exit(1);
}

static void
otp_user(unsigned i, char *out, size_t size)
{
	snprintf(out, size, "benchotp%u", i);
}

/* The secrets database, made by passwdd's own store code: one user with a
 * password, SLOTS_MAX users with an HOTP generator each. */
static void
make_db(void)
{
	struct pw_store *st;
	struct ix_err e;
	char name[PW_USER_MAX + 1];

	if (pw_store_open(db, PW_STORE_CREATE, &st, &e) < 0 ||
	    pw_store_set_password(st, PW_USER, PASSWORD, &e) < 0)
		die(db, e.msg);
	for (unsigned i = 0; i < SLOTS_MAX; i++) {
		otp_user(i, name, sizeof name);
		if (pw_store_set_otp(st, name, PW_OTP_HOTP, PW_OTP_SHA1, 6, 30, otp_key,
				     sizeof otp_key, &e) < 0)
			die(db, e.msg);
	}
	pw_store_close(st);
}

/* The argon2id string the store wrote, read back as SQL. */
static void
stored_hash(char out[crypto_pwhash_STRBYTES])
{
	sqlite3 *h;
	sqlite3_stmt *s;
	const unsigned char *t;

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, "SELECT pwhash FROM users WHERE name = ?1", -1, &s, NULL) != SQLITE_OK)
		die(db, sqlite3_errmsg(h));
	sqlite3_bind_text(s, 1, PW_USER, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW || (t = sqlite3_column_text(s, 0)) == NULL ||
	    strlen((const char *)t) >= crypto_pwhash_STRBYTES)
		die(db, "no password hash stored");
	snprintf(out, crypto_pwhash_STRBYTES, "%s", (const char *)t);
	sqlite3_finalize(s);
	sqlite3_close(h);
}

/* One crypto_pwhash_str_verify of the stored string; its ms. */
static double
raw_once(void)
{
	double t = bench_now_ms();

	if (crypto_pwhash_str_verify(stored, PASSWORD, strlen(PASSWORD)) != 0)
		die("crypto_pwhash_str_verify", "the stored hash does not verify");
	return bench_now_ms() - t;
}

/*
 * The same in a process forked for it, timed inside that process (the
 * fork is not counted): passwdd verifies in a fresh worker, and on this
 * kind of machine the first argon2id of a fresh process runs faster than
 * one in a process that has run many (measured: 61.5 against 64.8 ms), which
 * would count against raw. *shared is one double of MAP_SHARED memory.
 */
static double
raw_fresh(double *shared)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork", strerror(errno));
	if (pid == 0) {
		*shared = raw_once();
		_exit(0);
	}
	while (waitpid(pid, NULL, 0) < 0)
		if (errno != EINTR)
			die("waitpid", strerror(errno));
	return *shared;
}

static double
raw_cost(unsigned n)
{
	static double v[RAW_MAX];

	stored_hash(stored);
	printf("stored hash: %.*s...\n", 40, stored);
	for (unsigned i = 0; i < n; i++)
		v[i] = raw_once();
	printf("raw argon2id verify: n=%u median %.2f ms, min %.2f ms, p90 %.2f ms\n", n,
	       bench_quantile(v, n, 0.5), v[0], bench_quantile(v, n, 0.9));
	return bench_quantile(v, n, 0.5);
}

/* Whether passwdd's usage names opt (it runs as a user of its own). */
static int
passwdd_takes(const char *bin, const char *opt)
{
	char out[4096];
	size_t len = 0;
	ssize_t n;
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0 || (pid = fork()) < 0)
		die("fork", strerror(errno));
	if (pid == 0) {
		dup2(p[1], STDOUT_FILENO);
		execl(bin, bin, "--help", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while (len < sizeof out - 1 && (n = read(p[0], out + len, sizeof out - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(p[0]);
	waitpid(pid, NULL, 0);
	if (len == 0)
		die(bin, "printed no usage with --help");
	return strstr(out, opt) != NULL;
}

/* Starts passwdd as user (NULL: it stays root, for a passwdd without
 * --user). */
static pid_t
start_passwdd(const char *bin, const char *user)
{
	char self[PATH_MAX], prov[PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	pid_t pid;

	if (n < 0)
		die("/proc/self/exe", strerror(errno));
	self[n] = '\0';
	snprintf(prov, sizeof prov, "bench=%s", self);
	pid = fork();
	if (pid < 0)
		die("fork", strerror(errno));
	if (pid == 0) {
		execl(bin, bin, "-f", "--config", "/dev/null", "--socket", sock, "--secrets-db", db,
		      "--log", logpath, "--lockout-after", "0", "--backoff-ms", "1",
		      "--backoff-max-ms", "1", "--otp-window", "1", "--provider", prov,
		      user != NULL ? "--user" : (char *)NULL, user, (char *)NULL);
		fprintf(stderr, "bench-passwdd: %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	for (int i = 0; i < 100; i++) {
		struct stat sb;

		if (stat(sock, &sb) == 0 && S_ISSOCK(sb.st_mode))
			return pid;
		if (waitpid(pid, NULL, WNOHANG) == pid)
			die(bin, "exited at start (see its stderr above)");
		usleep(50000);
	}
	die(bin, "no socket after 5 s");
	return -1;
}

static void
record(struct slot *sl, int v, double ms, double raw, bool pw_first, const struct ix_err *e)
{
	if (v == PW_VERDICT_OK) {
		if (sl->n < LAT_MAX) {
			sl->raw[sl->n] = raw;
			sl->pw_first[sl->n] = pw_first;
			sl->lat[sl->n++] = ms;
		}
		return;
	}
	if (sl->bad++ == 0)
		snprintf(sl->err, sizeof sl->err, "%s", v < 0 ? e->msg : pw_verdict_name(v));
}

/* A client whose controlling terminal is the slave at path; paired: one
 * raw verify of its own before each through passwdd. */
static void
pty_client(struct slot *sl, const char *path, double until, int paired)
{
	struct ix_err e;
	int fd, v;
	double t0, ms, raw = 0;
	bool pw_first;

	if (setsid() < 0)
		_exit(1);
	fd = open(path, O_RDWR | O_CLOEXEC);	/* the session leader's first tty: its ctty */
	if (fd < 0 || ioctl(fd, TIOCSCTTY, 0) < 0) {
		snprintf(sl->err, sizeof sl->err, "%s: %s", path, strerror(errno));
		sl->bad++;
		_exit(1);
	}
	for (unsigned k = 0; bench_now_ms() < until; k++) {
		/* Paired: passwdd is let settle first (its worker ending, the
		 * next spare prepared), so that work it does between requests
		 * falls on neither side. The raw verification goes first in
		 * every other pair: the first of two argon2id runs after a pause
		 * is the slower on a virtual machine (caches, the host), and
		 * this order effect would otherwise count against raw. */
		pw_first = paired && (k & 1);
		if (paired) {
			poll(NULL, 0, SETTLE_MS);
			if (!pw_first)
				raw = raw_fresh(&sl->scratch);
		}
		t0 = bench_now_ms();
		v = pw_client_verify(sock, PW_USER, fd, -1, 30000, &e);
		ms = bench_now_ms() - t0;
		if (pw_first)
			raw = raw_fresh(&sl->scratch);
		record(sl, v, ms, raw, pw_first, &e);
		/* A refusal here is pex's (the log says why); one that never
		 * passes would spin. */
		if (v != PW_VERDICT_OK && sl->bad > sl->n + 20)
			break;
	}
	_exit(0);
}

/* The provider: holds the master, types the password at each prompt,
 * until the client closes the slave. */
static void
pty_slot(struct slot *sl, double until, int paired)
{
	char buf[512], seen[64] = "";
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	const char *path;
	pid_t c;
	ssize_t n;

	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0 || (path = ptsname(m)) == NULL)
		die("pty", strerror(errno));
	c = fork();
	if (c < 0)
		die("fork", strerror(errno));
	if (c == 0) {
		close(m);
		pty_client(sl, path, until, paired);
	}
	for (;;) {
		n = read(m, buf, sizeof buf - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;	/* EIO: the slave's last holder closed it */
		buf[n] = '\0';
		/* The prompt may arrive in pieces: keep a tail of what came. */
		size_t k = strlen(seen);
		snprintf(seen + k, sizeof seen - k, "%s", n > 32 ? buf + n - 32 : buf);
		if (strstr(seen, "Password:") != NULL) {
			if (write(m, PASSWORD "\n", sizeof PASSWORD) != (ssize_t)sizeof PASSWORD)
				die("pty", "cannot type the password");
			seen[0] = '\0';
		} else if (strstr(seen, "One-time code:") != NULL) {
			/* pex refused the pty: fail now, the client reports it */
			if (write(m, "\n", 1) != 1)
				die("pty", "cannot answer");
			seen[0] = '\0';
		} else if (strlen(seen) > 32) {
			memmove(seen, seen + strlen(seen) - 16, 17);
		}
	}
	waitpid(c, NULL, 0);
	_exit(0);
}

/* A client answering HOTP codes from a pipe: codes 0, 1, 2... of its own
 * user, so that concurrent clients never race for one counter. */
static void
pipe_slot(struct slot *sl, unsigned i, uint64_t *counter, double until)
{
	char name[PW_USER_MAX + 1], code[PW_OTP_CODE_MAX + 1];
	struct ix_err e;
	int p[2], v;
	double t0;

	otp_user(i, name, sizeof name);
	while (bench_now_ms() < until) {
		if (pw_hotp(PW_OTP_SHA1, otp_key, sizeof otp_key, *counter, 6, code, &e) < 0)
			die("hotp", e.msg);
		strcat(code, "\n");
		t0 = bench_now_ms();
		if (pipe2(p, O_CLOEXEC) < 0 || write(p[1], code, strlen(code)) < 0)
			die("pipe", strerror(errno));
		close(p[1]);
		v = pw_client_verify(sock, name, p[0], -1, 30000, &e);
		close(p[0]);
		record(sl, v, bench_now_ms() - t0, 0, false, &e);
		if (v == PW_VERDICT_OK)
			(*counter)++;
		else if (sl->bad > 20)
			break;
	}
	_exit(0);
}

/* Runs c clients of one kind for secs seconds; prints one line. Returns
 * the median latency in ms. */
static double
run(const char *kind, unsigned c, double secs, uint64_t *counters, double raw)
{
	static double all[SLOTS_MAX * LAT_MAX];
	double start, until, wall, med, p90;
	size_t n = 0;
	unsigned bad = 0;
	const char *why = "see the log";
	pid_t pid[SLOTS_MAX];

	memset(slots, 0, sizeof *slots * SLOTS_MAX);
	start = bench_now_ms();
	until = start + secs * 1e3;
	for (unsigned i = 0; i < c; i++) {
		pid[i] = fork();
		if (pid[i] < 0)
			die("fork", strerror(errno));
		if (pid[i] == 0) {
			if (kind[1] == 't')
				pty_slot(&slots[i], until, 0);
			pipe_slot(&slots[i], i, &counters[i], until);
		}
	}
	for (unsigned i = 0; i < c; i++)
		waitpid(pid[i], NULL, 0);
	wall = (bench_now_ms() - start) / 1e3;
	for (unsigned i = 0; i < c; i++) {
		memcpy(all + n, slots[i].lat, slots[i].n * sizeof *all);
		n += slots[i].n;
		bad += slots[i].bad;
		if (slots[i].err[0] != '\0')
			why = slots[i].err;
		/* The parent's counters move as the child's did. */
		if (counters != NULL)
			counters[i] += slots[i].n;
	}
	med = bench_quantile(all, n, 0.5);
	p90 = bench_quantile(all, n, 0.9);
	printf("%-4s C=%u  %6zu ok  %7.1f verif/s  median %8.2f ms  p90 %8.2f ms", kind, c, n,
	       (double)n / wall, med, p90);
	if (raw > 0)
		printf("  median/raw %.3f", med / raw);
	if (bad > 0)
		printf("  %u refused (%s)", bad, why);
	putchar('\n');
	fflush(stdout);
	return med;
}

/* C = 1 over the pty, each verification through passwdd preceded by a
 * raw one in the same client: drift of the machine's speed (other load,
 * frequency) hits both sides of a pair alike. Prints the medians and the
 * median of the differences, and keeps that median (ms, and over the raw
 * median) in t. */
static void
paired(struct target *t, const char *label, double secs)
{
	static double d[2][LAT_MAX];
	struct slot *sl = &slots[0];
	double until = bench_now_ms() + secs * 1e3, mraw, mpw, mdiff, m[2];
	unsigned n[2] = { 0, 0 };
	pid_t pid;

	memset(sl, 0, sizeof *sl);
	pid = fork();
	if (pid < 0)
		die("fork", strerror(errno));
	if (pid == 0)
		pty_slot(sl, until, 1);
	waitpid(pid, NULL, 0);
	for (unsigned i = 0; i < sl->n; i++) {
		unsigned o = sl->pw_first[i];

		d[o][n[o]++] = sl->lat[i] - sl->raw[i];
	}
	if (n[0] == 0 || n[1] == 0) {
		printf("paired %s C=1: no verification passed (%u refused: %s)\n", label, sl->bad,
		       sl->err[0] ? sl->err : "see the log");
		return;
	}
	/* Each order's median difference, then their mean. */
	m[0] = bench_quantile(d[0], n[0], 0.5);
	m[1] = bench_quantile(d[1], n[1], 0.5);
	mdiff = (m[0] + m[1]) / 2;
	mraw = bench_quantile(sl->raw, sl->n, 0.5);
	mpw = bench_quantile(sl->lat, sl->n, 0.5);
	printf("paired %s C=1 %u pairs: raw median %.2f ms, through passwdd median %.2f ms, "
	       "median difference %.2f ms (raw first %.2f, passwdd first %.2f) = %.1f%% of raw",
	       label, sl->n, mraw, mpw, mdiff, m[0], m[1], 100 * mdiff / mraw);
	if (sl->bad > 0)
		printf("  %u refused (%s)", sl->bad, sl->err);
	printf("\n");
	t->ovh[t->nruns] = mdiff;
	t->ratio[t->nruns++] = mdiff / mraw;
}

/* The summary of t's paired runs: the median over the runs. */
static void
paired_summary(struct target *t, const char *label)
{
	double o, r;

	if (t->nruns == 0) {
		printf("overhead %s: no paired run passed\n", label);
		return;
	}
	printf("overhead %s (%s): runs", label, t->bin);
	for (unsigned i = 0; i < t->nruns; i++)
		printf(" %.2f", t->ovh[i]);
	o = bench_quantile(t->ovh, t->nruns, 0.5);
	r = bench_quantile(t->ratio, t->nruns, 0.5);
	printf(" ms; median of %u runs %.2f ms = %.1f%% of one raw argon2id verification "
	       "(%s 5%%)\n", t->nruns, o, 100 * r, r < 0.05 ? "under" : "NOT under");
}

#define TIOCSTI_SYSCTL "/proc/sys/dev/tty/legacy_tiocsti"

/* The sysctl's value, -1 when it cannot be read (no such sysctl before
 * Linux 6.2: TIOCSTI always allowed). */
static int
tiocsti_get(void)
{
	FILE *f = fopen(TIOCSTI_SYSCTL, "re");
	int v = -1;

	if (f != NULL) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int
tiocsti_set(int v)
{
	FILE *f = fopen(TIOCSTI_SYSCTL, "we");
	int rc;

	if (f == NULL)
		return -1;
	rc = fprintf(f, "%d\n", v) < 0;
	return fclose(f) != 0 || rc ? -1 : 0;
}

static pid_t ns_init;	/* the namespace's first process, seen from outside */

/* SIGINT, SIGTERM outside: the namespace's first process takes only
 * SIGKILL from here, and its end ends every process in it, passwdd too. */
static void
on_stop(int sig)
{
	(void)sig;
	kill(ns_init, SIGKILL);
}

/* A private PID namespace with its own /proc: pex then scans only the
 * benchmark's processes. Returns in the namespace's first process; the
 * original process waits, puts legacy_tiocsti back to old (>= 0) and
 * exits with its status (a run stopped by a signal leaves its temporary
 * directory behind). */
static void
enter_namespaces(int old)
{
	int st;
	pid_t pid;

	if (unshare(CLONE_NEWNS | CLONE_NEWPID) < 0)
		die("unshare", strerror(errno));
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die("mount --make-rprivate /", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork", strerror(errno));
	if (pid > 0) {
		struct sigaction sa = { .sa_handler = on_stop };

		ns_init = pid;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		while (waitpid(pid, &st, 0) < 0)
			if (errno != EINTR) {
				st = 1 << 8;
				break;
			}
		if (old >= 0 && tiocsti_set(old) < 0)
			fprintf(stderr, "bench-passwdd: cannot put %s back to %d\n", TIOCSTI_SYSCTL, old);
		exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
	}
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		die("mount /proc", strerror(errno));
}

/* Creates the system user passwdd runs as in production, in an overlay
 * of /etc that only this mount namespace sees (as the scenario tests do;
 * etc/sysusers.d/ixkit.conf makes it on a real host). */
static void
add_user(const char *name)
{
	char up[PATH_MAX + 16], work[PATH_MAX + 16], opt[3 * PATH_MAX], cmd[256];
	static int overlaid;	/* /etc is overlaid once, for every user made */

	snprintf(up, sizeof up, "%s/etc-up", tmpdir);
	snprintf(work, sizeof work, "%s/etc-work", tmpdir);
	if (!overlaid && (mkdir(up, 0755) < 0 || mkdir(work, 0755) < 0))
		die(tmpdir, strerror(errno));
	snprintf(opt, sizeof opt, "lowerdir=/etc,upperdir=%s,workdir=%s", up, work);
	if (!overlaid && mount("overlay", "/etc", "overlay", 0, opt) < 0)
		die("overlay on /etc", strerror(errno));
	overlaid = 1;
	snprintf(cmd, sizeof cmd, "useradd --system -M -d /nonexistent -s /usr/sbin/nologin '%s'", name);
	if (system(cmd) != 0)
		die("useradd", name);
}

static void
usage(void)
{
	fputs("usage: bench-passwdd --passwdd PATH [--ref PATH] [--seconds K] [--runs R]\n"
	      "                     [--raw N] [--user NAME] [--paired-only]\n", stderr);
	exit(2);
}

/* Settles which user t's passwdd runs as: user (NULL: ixkit-passwd) when
 * it takes --user, else root. Sets *own when that user is to be made. */
static void
choose_user(struct target *t, const char *user, int *own)
{
	struct passwd *pw;

	t->user = NULL;
	if (!passwdd_takes(t->bin, "--user")) {
		if (user != NULL)
			die(t->bin, "takes no --user: it runs as root");
		return;
	}
	t->user = user != NULL ? user : "ixkit-passwd";
	if (user == NULL && getpwnam(t->user) == NULL) {
		*own = 1;
		return;
	}
	if ((pw = getpwnam(t->user)) == NULL || pw->pw_uid == 0)
		die(t->user, "not a non-root user for passwdd to become (--user)");
}

/* t's directory (its database's, passwdd's user's), socket and log under
 * tmpdir/name; its database made. */
static void
prepare(struct target *t, const char *name)
{
	char dir[PATH_MAX + 64];
	struct passwd *pw = t->user != NULL ? getpwnam(t->user) : NULL;

	if (t->user != NULL && (pw == NULL || pw->pw_uid == 0))
		die(t->user, "useradd did not create it");
	snprintf(dir, sizeof dir, "%s/%s", tmpdir, name);
	if (mkdir(dir, 0755) < 0)
		die(dir, strerror(errno));
	snprintf(t->sock, sizeof t->sock, "%s/passwdd.sock", dir);
	snprintf(t->log, sizeof t->log, "%s/passwdd.log", dir);
	snprintf(dir, sizeof dir, "%s/%s/secrets", tmpdir, name);
	if (mkdir(dir, 0700) < 0 || (pw != NULL && chown(dir, pw->pw_uid, pw->pw_gid) < 0))
		die(dir, strerror(errno));
	snprintf(t->db, sizeof t->db, "%s/passwdd.db", dir);
	use(t);
	make_db();
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "passwdd", required_argument, NULL, 'p' },
		{ "ref", required_argument, NULL, 'r' },
		{ "seconds", required_argument, NULL, 's' },
		{ "runs", required_argument, NULL, 'R' },
		{ "raw", required_argument, NULL, 'n' },
		{ "user", required_argument, NULL, 'u' },
		{ "paired-only", no_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	static struct target tg[2];
	static const char *const label[2] = { "A", "B" };
	const char *user = NULL;
	double secs = 5, raw, med1 = 0, otp1 = 0;
	unsigned nraw = 20, runs = 5, ntg = 1, k;
	int own_user = 0, paired_only = 0;
	int c, st, lock, old;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': tg[0].bin = optarg; break;
		case 'r': tg[1].bin = optarg; ntg = 2; break;
		case 's': secs = atof(optarg); break;
		case 'R': runs = (unsigned)atoi(optarg); break;
		case 'n': nraw = (unsigned)atoi(optarg); break;
		case 'u': user = optarg; break;
		case 'P': paired_only = 1; break;
		default: usage();
		}
	}
	if (tg[0].bin == NULL || optind != argc || secs <= 0 || secs > 600 || nraw == 0 ||
	    nraw > RAW_MAX || runs == 0 || runs > RUNS_MAX)
		usage();
	if (geteuid() != 0)
		die("passwdd", "the benchmark needs root, as passwdd does");
	for (k = 0; k < ntg; k++)
		choose_user(&tg[k], user, &own_user);
	if (sodium_init() < 0)
		die("libsodium", "cannot initialise");
	setvbuf(stdout, NULL, _IOLBF, 0);
	lock = open("/tmp/ixkit-tiocsti.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lock < 0 || flock(lock, LOCK_EX) < 0)
		die("/tmp/ixkit-tiocsti.lock", strerror(errno));
	old = tiocsti_get();
	if (old > 0 && tiocsti_set(0) < 0)
		die(TIOCSTI_SYSCTL, strerror(errno));
	enter_namespaces(old);
	slots = mmap(NULL, sizeof *slots * SLOTS_MAX, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (slots == MAP_FAILED)
		die("mmap", strerror(errno));
	if (mkdtemp(tmpdir) == NULL || chmod(tmpdir, 0755) < 0)
		die(tmpdir, strerror(errno));
	if (own_user)
		add_user("ixkit-passwd");
	/* A passwdd of slots runs its workers as a user of their own. */
	for (k = 0; k < ntg; k++)
		if (passwdd_takes(tg[k].bin, "--worker-user") && getpwnam("ixkit-passwdd-worker") == NULL)
			add_user("ixkit-passwdd-worker");

	printf("bench-passwdd: %ld CPUs, %.0f s per run, argon2id opslimit/memlimit of the store "
	       "(libsodium INTERACTIVE: %llu, %zu MiB)\n", sysconf(_SC_NPROCESSORS_ONLN), secs,
	       (unsigned long long)crypto_pwhash_OPSLIMIT_INTERACTIVE,
	       (size_t)crypto_pwhash_MEMLIMIT_INTERACTIVE >> 20);
	randombytes_buf(otp_key, sizeof otp_key);
	for (k = 0; k < ntg; k++)
		prepare(&tg[k], label[k]);
	use(&tg[0]);
	raw = raw_cost(nraw);
	for (k = 0; k < ntg; k++) {
		use(&tg[k]);
		tg[k].pid = start_passwdd(tg[k].bin, tg[k].user);
		printf("passwdd %s: %s as %s, log %s\n", label[k], tg[k].bin,
		       tg[k].user != NULL ? tg[k].user : "root", tg[k].log);
	}

	/* Level by level, the daemons one after the other, so that both
	 * meet the same load. */
	for (size_t i = 0; i < sizeof levels / sizeof levels[0] && !paired_only; i++)
		for (k = 0; k < ntg; k++) {
			double m;

			use(&tg[k]);
			printf("%s ", label[k]);
			m = run("pipe", levels[i], secs, tg[k].counters, 0);
			if (i == 0 && k == 0)
				otp1 = m;
		}
	for (size_t i = 0; i < sizeof levels / sizeof levels[0] && !paired_only &&
			   tiocsti_get() == 0; i++)
		for (k = 0; k < ntg; k++) {
			double m;

			use(&tg[k]);
			printf("%s ", label[k]);
			m = run("pty", levels[i], secs, NULL, raw);
			if (i == 0 && k == 0)
				med1 = m;
		}
	if (tiocsti_get() != 0) {
		printf("pty: skipped, dev.tty.legacy_tiocsti is not 0 (pex refuses every terminal)\n");
	} else {
		/* Alternated, so that both meet the same load. */
		for (unsigned r = 0; r < runs; r++)
			for (k = 0; k < ntg; k++) {
				use(&tg[k]);
				paired(&tg[k], label[k], secs);
			}
	}
	printf("summary: raw argon2id %.2f ms", raw);
	if (!paired_only)
		printf("; one-time code over a pipe %.2f ms per request (passwdd's own cost, C=1)",
		       otp1);
	if (med1 > 0)
		printf("; password over a trusted pty %.2f ms, %.1f%% over raw (unpaired)", med1,
		       100 * (med1 - raw) / raw);
	printf("\n");
	for (k = 0; k < ntg; k++)
		paired_summary(&tg[k], label[k]);

	for (k = 0; k < ntg; k++) {
		kill(tg[k].pid, SIGTERM);
		waitpid(tg[k].pid, &st, 0);
	}
	if (own_user)
		umount("/etc");
	if (getenv("BENCH_KEEP") == NULL) {
		char cmd[PATH_MAX + 16];

		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "bench-passwdd: could not remove %s\n", tmpdir);
	}
	return 0;
}
