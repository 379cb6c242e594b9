/*
 * Cost of the compartment kernel on the two system calls it guards most:
 * open()+close() (of an unlabelled and of a labelled file) and connect()
 * to a unix socket, measured by the same code outside any compartment and
 * inside one, on whichever tier this host runs (natively tier 2; in the
 * QEMU guests tier 1, where only the ratios mean anything).
 *
 *	bench-compart            outer: set up, run both sides, print ratios
 *	bench-compart --inner D  one side: measure in directory D, print medians
 *
 * Each figure is the median over 201 batches of 200 calls, per call.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libcompart/cfexec.h"
#include "libcompart/compart.h"
#include "libcompart/flabel.h"
#include "libcompart/status.h"

#define BATCHES 201
#define PER_BATCH 200

static double
now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int
op_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int
op_connect(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), r;

	snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
	r = s < 0 ? -1 : connect(s, (struct sockaddr *)&a, sizeof a);
	if (s >= 0)
		close(s);
	return r;
}

/* Median nanoseconds per call of op(path). */
static double
measure(int (*op)(const char *), const char *path)
{
	double v[BATCHES];

	for (int b = 0; b < BATCHES; b++) {
		double t0 = now_ns();
		for (int i = 0; i < PER_BATCH; i++)
			if (op(path) < 0) {
				fprintf(stderr, "bench-compart: %s: %s\n", path, strerror(errno));
				exit(1);
			}
		v[b] = (now_ns() - t0) / PER_BATCH;
	}
	qsort(v, BATCHES, sizeof v[0], cmp_double);
	return v[BATCHES / 2];
}

static int
inner(const char *dir)
{
	char plain[4096], labelled[4096], sock[4096];

	snprintf(plain, sizeof plain, "%s/plain", dir);
	snprintf(labelled, sizeof labelled, "%s/labelled", dir);
	snprintf(sock, sizeof sock, "%s/sock", dir);
	printf("%.0f %.0f %.0f\n", measure(op_open, plain), measure(op_open, labelled),
	       measure(op_connect, sock));
	return 0;
}

/* Accepts and closes connections until killed. */
static pid_t
listener(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	pid_t p;

	snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 512) < 0 ||
	    chmod(path, 0666) < 0) {
		perror("bench-compart: listener");
		exit(1);
	}
	if ((p = fork()) == 0) {
		for (;;) {
			int c = accept(s, NULL, NULL);
			if (c >= 0)
				close(c);
		}
	}
	close(s);
	return p;
}

/* Runs --inner in comp (NULL: none) and reads its three medians. */
static int
side(const char *self, const char *dir, const char *hole, const char *comp, double out[3])
{
	char *argv[] = { (char *)self, "--inner", (char *)dir, NULL };
	struct ix_labelled_file f = { .path = NULL };
	char lab[4096];
	struct ix_cfexec s = { 0 };
	struct ix_err e;
	int p[2], pidfd, st;
	pid_t pid;
	FILE *in;

	snprintf(lab, sizeof lab, "%s/labelled", dir);
	f.path = lab;
	f.label.level = 1;	/* below the compartment's: readable */
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	s.path = self;
	s.argv = argv;
	s.fds[0] = -1, s.fds[1] = p[1], s.fds[2] = 2;
	s.compart = comp;
	s.files = &f;
	s.nfiles = 1;
	s.blackhole = hole;
	if (ix_cfexec_start(&s, &pid, &pidfd, &e) < 0) {
		fprintf(stderr, "bench-compart: %s\n", e.msg);
		return -1;
	}
	close(p[1]);
	in = fdopen(p[0], "r");
	if (!in || fscanf(in, "%lf %lf %lf", &out[0], &out[1], &out[2]) != 3)
		return -1;
	fclose(in);
	waitpid(pid, &st, 0);
	close(pidfd);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	static const char *names[3] = { "open+close, unlabelled file", "open+close, labelled file",
					"connect, unix socket" };
	char dir[] = "/tmp/ixkit-bench-XXXXXX", self[4096], path[4200], hole[4200];
	struct ix_compart c = { 0 };
	struct ix_status st;
	struct ix_label l = { .level = 2 };
	struct ix_err e;
	double out[3], in[3];
	ssize_t n;
	pid_t lp;
	int fd;

	if (argc == 3 && !strcmp(argv[1], "--inner"))
		return inner(argv[2]);
	if (geteuid() != 0 || !mkdtemp(dir) || chmod(dir, 0755) < 0) {
		fprintf(stderr, "bench-compart: must run as root (creates a compartment)\n");
		return 1;
	}
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return 1;
	self[n] = 0;
	snprintf(path, sizeof path, "%s/plain", dir);
	if ((fd = open(path, O_WRONLY | O_CREAT, 0644)) >= 0)
		close(fd);
	snprintf(path, sizeof path, "%s/labelled", dir);
	if ((fd = open(path, O_WRONLY | O_CREAT, 0644)) < 0)
		return 1;
	l.level = 1;
	if (ix_flabel_set_fd(fd, &l, &e) < 0) {
		fprintf(stderr, "bench-compart: %s\n", e.msg);
		return 1;
	}
	close(fd);
	snprintf(path, sizeof path, "%s/sock", dir);
	lp = listener(path);
	snprintf(hole, sizeof hole, "%s/blackhole", dir);
	snprintf(c.name, sizeof c.name, "bench-%d", (int)getpid());
	c.label.level = 2;
	c.ceiling = c.label;
	if (ix_blackhole(hole, &e) < 0 || ix_compart_create(&c, &e) < 0 ||
	    ix_status_probe(NULL, &st, &e) < 0) {
		fprintf(stderr, "bench-compart: %s\n", e.msg);
		kill(lp, SIGKILL);
		return 1;
	}
	int r = side(self, dir, hole, NULL, out) < 0 || side(self, dir, hole, c.name, in) < 0;
	kill(lp, SIGKILL);
	waitpid(lp, NULL, 0);
	ix_compart_remove(c.name, &e);
	if (r) {
		fprintf(stderr, "bench-compart: a side failed\n");
		return 1;
	}
	printf("compartment kernel overhead, tier %d, kernel %s, Landlock ABI %d\n", st.tier, st.kernel,
	       st.landlock_abi);
	printf("%-30s %12s %12s %8s\n", "median per call", "outside ns", "inside ns", "ratio");
	for (int i = 0; i < 3; i++)
		printf("%-30s %12.0f %12.0f %8.2f\n", names[i], out[i], in[i], in[i] / out[i]);
	printf("(IX paper: label checks cost 15-20%%; ratio 1.15-1.20)\n");
	snprintf(path, sizeof path, "rm -rf %s", dir);
	return system(path) == 0 ? 0 : 1;
}
