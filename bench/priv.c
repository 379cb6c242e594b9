/*
 * bench-priv: the timing half of `make bench-priv` (bench/priv.sh sets up
 * the private world, the policies and privd, then calls this).
 *
 *	bench-priv run --user NAME [--size LABEL] [--rounds R] [--budget S]
 *	           LABEL COMMAND [LABEL COMMAND ...]
 *	bench-priv audit --db PATH --head PATH [--count N]
 *
 * run: each COMMAND (words split on spaces, an absolute program first) is
 * started as NAME (its groups, gid and uid; stdin and stdout /dev/null,
 * stderr kept in a file shown on failure) and waited for; the time from
 * fork to the end of waitpid is one sample. The commands run round-robin,
 * one of each per round, so that load from elsewhere on the machine falls
 * on all of them alike; a command that has used its budget of S seconds
 * (default 20) and has 10 samples stops early. Two warm-up rounds are not
 * counted. Any exit status but 0, or anything on stderr, stops the run
 * with the command's words. Prints the median, p90 and mean per command
 * and its ratio to and difference from the first (the baseline).
 *
 * audit: the cost of one durable audit record on the filesystem of PATH,
 * through db/ as privd makes it: a record in its own transaction with the
 * head file (what privd pays per record), two records in one transaction
 * with the head file, a record without the head file, the same with
 * PRAGMA synchronous=OFF (no fsync at all: the difference is the cost of
 * durability), and a bare write+fsync of a small file in the same
 * directory. PATH must be a throwaway database (the records stay in it).
 *
 * Asserts nothing (make bench). run needs root to change users.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/stats.h"
#include "db/ixdb.h"

#define CMDS_MAX 8
#define WORDS_MAX 16
#define SAMPLES_MAX 100000
#define WARMUP 2
#define MIN_SAMPLES 10

struct cmd {
	const char *label;
	char *line;			/* as given, for messages */
	char *argv[WORDS_MAX + 1];	/* words of a copy of line */
	double *ms;			/* samples */
	size_t n;
	double spent;			/* ms, counted samples */
};

static double
mean(const double *v, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += v[i];
	return n ? s / (double)n : 0;
}

static _Noreturn void
die(const char *what, const char *msg)
{
	fprintf(stderr, "bench-priv: %s: %s\n", what, msg);
	exit(1);
}

static void
usage(void)
{
	fputs("usage: bench-priv run --user NAME [--size LABEL] [--rounds R] [--budget S] "
	      "LABEL COMMAND...\n"
	      "       bench-priv audit --db PATH --head PATH [--count N]\n", stderr);
	exit(2);
}

static void
split(struct cmd *c, const char *label, const char *line)
{
	char *copy = strdup(line), *save = NULL, *w;
	size_t n = 0;

	if (copy == NULL || (c->line = strdup(line)) == NULL)
		die("split", "out of memory");
	c->label = label;
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (n == WORDS_MAX)
			die(line, "too many words");
		c->argv[n++] = w;
	}
	c->argv[n] = NULL;
	if (n == 0 || c->argv[0][0] != '/')
		die(line, "the program must be an absolute path");
	if ((c->ms = calloc(SAMPLES_MAX, sizeof *c->ms)) == NULL)
		die("samples", "out of memory");
}

struct who {
	uid_t uid;
	gid_t gid;
	gid_t groups[64];
	int ngroups;
	char *envp[5];
};

static void
lookup(const char *name, struct who *w)
{
	static char home[PATH_MAX + 8], user[64], logname[72];
	struct passwd *pw = getpwnam(name);

	if (pw == NULL)
		die(name, "no such user");
	w->uid = pw->pw_uid;
	w->gid = pw->pw_gid;
	w->ngroups = 64;
	if (getgrouplist(name, pw->pw_gid, w->groups, &w->ngroups) < 0)
		die(name, "too many groups");
	snprintf(home, sizeof home, "HOME=%s", pw->pw_dir);
	snprintf(user, sizeof user, "USER=%s", name);
	snprintf(logname, sizeof logname, "LOGNAME=%s", name);
	w->envp[0] = "PATH=/usr/bin:/bin";
	w->envp[1] = home;
	w->envp[2] = user;
	w->envp[3] = logname;
	w->envp[4] = NULL;
}

/* One run of c as w; its time in ms. Dies on a non-zero status or any
 * output on stderr (errfd, truncated before each run). */
static double
once(struct cmd *c, const struct who *w, int nullfd, int errfd)
{
	double t0, t1;
	pid_t pid;
	int st;
	struct stat sb;

	if (ftruncate(errfd, 0) < 0)
		die("stderr file", strerror(errno));
	t0 = bench_now_ms();
	pid = fork();
	if (pid < 0)
		die("fork", strerror(errno));
	if (pid == 0) {
		if (setgroups((size_t)w->ngroups, w->groups) < 0 ||
		    setresgid(w->gid, w->gid, w->gid) < 0 || setresuid(w->uid, w->uid, w->uid) < 0)
			_exit(120);
		if (dup2(nullfd, 0) < 0 || dup2(nullfd, 1) < 0 || dup2(errfd, 2) < 0)
			_exit(121);
		execve(c->argv[0], c->argv, w->envp);
		_exit(122);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid", strerror(errno));
	t1 = bench_now_ms();
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || (fstat(errfd, &sb) == 0 && sb.st_size > 0)) {
		char buf[2048];
		ssize_t n = pread(errfd, buf, sizeof buf - 1, 0);

		buf[n > 0 ? n : 0] = '\0';
		fprintf(stderr, "bench-priv: '%s' %s %d; its stderr:\n%s\n", c->line,
			WIFEXITED(st) ? "exited" : "killed by signal",
			WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), buf);
		exit(1);
	}
	return t1 - t0;
}

static int
run_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "size", required_argument, NULL, 's' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "budget", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	const char *user = NULL, *size = "-";
	unsigned long rounds = 200;
	double budget_ms = 20000;
	char errpath[] = "/tmp/ixkit-bench-priv-err-XXXXXX";
	struct cmd cmds[CMDS_MAX] = { 0 };
	struct who w;
	size_t ncmds = 0;
	int c, nullfd, errfd;

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'u': user = optarg; break;
		case 's': size = optarg; break;
		case 'r': rounds = strtoul(optarg, NULL, 10); break;
		case 'b': budget_ms = strtod(optarg, NULL) * 1000; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (user == NULL || argc < 2 || argc % 2 != 0 || argc / 2 > CMDS_MAX || rounds == 0 ||
	    rounds > SAMPLES_MAX)
		usage();
	for (int i = 0; i < argc; i += 2)
		split(&cmds[ncmds++], argv[i], argv[i + 1]);
	lookup(user, &w);
	nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
	errfd = mkstemp(errpath);
	if (nullfd < 0 || errfd < 0)
		die("/dev/null or stderr file", strerror(errno));
	unlink(errpath);
	for (int r = 0; r < WARMUP; r++)
		for (size_t i = 0; i < ncmds; i++)
			once(&cmds[i], &w, nullfd, errfd);
	for (unsigned long r = 0; r < rounds; r++) {
		int ran = 0;

		for (size_t i = 0; i < ncmds; i++) {
			struct cmd *k = &cmds[i];
			double t;

			if (k->spent > budget_ms && k->n >= MIN_SAMPLES)
				continue;
			t = once(k, &w, nullfd, errfd);
			k->ms[k->n++] = t;
			k->spent += t;
			ran = 1;
		}
		if (!ran)
			break;
	}
	printf("%-8s %-8s %6s %10s %10s %10s %8s %10s   %s\n", "size", "tool", "n", "median_ms",
	       "p90_ms", "mean_ms", "x_base", "+base_ms", "command");
	for (size_t i = 0; i < ncmds; i++) {
		struct cmd *k = &cmds[i];
		double base = bench_quantile(cmds[0].ms, cmds[0].n, 0.5);
		double med = bench_quantile(k->ms, k->n, 0.5);

		printf("%-8s %-8s %6zu %10.3f %10.3f %10.3f %8.2f %10.3f   %s\n", size, k->label, k->n,
		       med, bench_quantile(k->ms, k->n, 0.9), mean(k->ms, k->n), med / base, med - base,
		       k->line);
	}
	fflush(stdout);
	return 0;
}

/* Median and p90 of count calls of f(arg), in ms. */
static void
time_it(const char *what, unsigned count, int (*f)(void *), void *arg)
{
	double *v = calloc(count, sizeof *v);

	if (v == NULL)
		die(what, "out of memory");
	for (unsigned i = 0; i < count; i++) {
		double t = bench_now_ms();

		if (f(arg) < 0)
			die(what, "failed");
		v[i] = bench_now_ms() - t;
	}
	printf("%-58s n=%-5u median %7.3f ms  p90 %7.3f ms\n", what, count,
	       bench_quantile(v, count, 0.5), bench_quantile(v, count, 0.9));
	free(v);
}

struct audit_arg {
	struct ixdb *db;
	const char *head;	/* NULL: no head file */
	int fd;			/* for the bare fsync */
};

#define RECORD "v1 request uid=1000 pid=4242 src=null flags=0 decision=granted rule=backup " \
	       "nodes=/svc unattended=yes request=backup"

static int
one_record(void *p)
{
	struct audit_arg *a = p;
	struct ix_err e;

	if (ixdb_audit_append(a->db, a->head, "bench", "bench", RECORD, NULL, NULL, &e) < 0)
		die("audit append", e.msg);
	return 0;
}

static int
two_records(void *p)
{
	struct audit_arg *a = p;
	struct ix_err e;

	if (ixdb_begin(a->db, &e) < 0 ||
	    ixdb_audit_append(a->db, a->head, "bench", "bench", RECORD, NULL, NULL, &e) < 0 ||
	    ixdb_audit_append(a->db, a->head, "bench", "bench", RECORD, NULL, NULL, &e) < 0 ||
	    ixdb_commit(a->db, &e) < 0)
		die("audit append (two in one transaction)", e.msg);
	return 0;
}

static int
bare_fsync(void *p)
{
	struct audit_arg *a = p;
	static const char line[] = "1 0000000000000000000000000000000000000000000000000000000000000000\n";

	if (write(a->fd, line, sizeof line - 1) != (ssize_t)(sizeof line - 1) || fsync(a->fd) < 0)
		die("write+fsync", strerror(errno));
	return 0;
}

static int
audit_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "head", required_argument, NULL, 'H' },
		{ "count", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dbpath = NULL, *head = NULL;
	unsigned count = 300;
	char tmp[PATH_MAX];
	struct audit_arg a = { .fd = -1 };
	struct ix_err e;
	int c;

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dbpath = optarg; break;
		case 'H': head = optarg; break;
		case 'n': count = (unsigned)strtoul(optarg, NULL, 10); break;
		default: usage();
		}
	}
	if (dbpath == NULL || head == NULL || count == 0 || optind != argc)
		usage();
	if (ixdb_open(dbpath, 0, &a.db, &e) < 0)
		die(dbpath, e.msg);
	printf("one durable audit record on the filesystem of %s:\n", dbpath);
	a.head = head;
	time_it("record + head file (privd's per-record cost)", count, one_record, &a);
	time_it("two records in one transaction + head file", count, two_records, &a);
	a.head = NULL;
	time_it("record, no head file (WAL commit, synchronous=FULL)", count, one_record, &a);
	if (ixdb_exec(a.db, "PRAGMA synchronous=OFF", &e) < 0)
		die(dbpath, e.msg);
	time_it("record, no head file, synchronous=OFF (no fsync)", count, one_record, &a);
	ixdb_close(a.db);
	snprintf(tmp, sizeof tmp, "%s.fsync-probe", head);
	a.fd = open(tmp, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (a.fd < 0)
		die(tmp, strerror(errno));
	time_it("bare append of one head-sized line + fsync", count, bare_fsync, &a);
	close(a.fd);
	unlink(tmp);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "run") == 0)
		return run_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "audit") == 0)
		return audit_main(argc - 1, argv + 1);
	usage();
}
