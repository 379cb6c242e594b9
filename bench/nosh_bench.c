/*
 * make bench-nosh: startup-to-exit time of "nosh -c /bin/true" side by side
 * with "dash -c /bin/true", "execlineb -c /bin/true" (when installed) and a
 * direct exec of /bin/true (the floor). Runs are interleaved round-robin so
 * that drift in machine load touches every tool alike.
 * usage: nosh_bench NOSH [RUNS]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct tool {
	const char *name;	/* label in the table */
	char *argv[4];		/* command; argv[0] NULL when not installed */
	double *ns;		/* one time per run */
};

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double
run_once(char *const argv[])
{
	static char *const env[] = { NULL };
	double t0 = now_ns();
	pid_t pid = fork();
	int ws;

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		execve(argv[0], argv, env);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &ws, 0) < 0 || !WIFEXITED(ws) || WEXITSTATUS(ws)) {
		fprintf(stderr, "nosh_bench: %s did not exit 0\n", argv[0]);
		exit(1);
	}
	return now_ns() - t0;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static char *
first_of(const char *a, const char *b)
{
	return access(a, X_OK) == 0 ? (char *)a : access(b, X_OK) == 0 ? (char *)b : NULL;
}

int
main(int argc, char **argv)
{
	struct tool t[] = {
		{ "nosh -c /bin/true", { argv[1], "-c", "/bin/true", NULL }, NULL },
		{ "dash -c /bin/true", { first_of("/usr/bin/dash", "/bin/dash"), "-c",
					 "/bin/true", NULL }, NULL },
		{ "execlineb -c /bin/true", { first_of("/usr/bin/execlineb",
					      "/bin/execlineb"), "-c", "/bin/true", NULL }, NULL },
		{ "/bin/true (direct exec)", { "/bin/true", NULL }, NULL },
	};
	size_t nt = sizeof t / sizeof t[0], runs, i, k;
	double dash_med = 0;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: nosh_bench NOSH [RUNS]\n");
		return 2;
	}
	runs = argc == 3 ? strtoul(argv[2], NULL, 10) : 2000;
	if (runs < 10 || runs > 1000000)
		runs = 2000;
	for (k = 0; k < nt; k++) {
		if (t[k].argv[0] == NULL)
			continue;
		t[k].ns = calloc(runs, sizeof *t[k].ns);
		if (t[k].ns == NULL)
			return 1;
		for (i = 0; i < 20; i++)	/* warm the page cache */
			run_once(t[k].argv);
	}
	for (i = 0; i < runs; i++)
		for (k = 0; k < nt; k++)
			if (t[k].ns)
				t[k].ns[i] = run_once(t[k].argv);
	for (k = 0; k < nt; k++)
		if (t[k].ns)
			qsort(t[k].ns, runs, sizeof *t[k].ns, cmp);
	if (t[1].ns)
		dash_med = t[1].ns[runs / 2];
	printf("%-26s %10s %10s %10s %8s\n", "startup to exit", "median us",
	       "p99 us", "mean us", "med/dash");
	for (k = 0; k < nt; k++) {
		double sum = 0, med;

		if (t[k].ns == NULL) {
			printf("%-26s (not installed)\n", t[k].name);
			continue;
		}
		for (i = 0; i < runs; i++)
			sum += t[k].ns[i];
		med = t[k].ns[runs / 2];
		printf("%-26s %10.1f %10.1f %10.1f %8.2f\n", t[k].name, med / 1e3,
		       t[k].ns[(runs * 99) / 100] / 1e3, sum / runs / 1e3,
		       dash_med > 0 ? med / dash_med : 0.0);
	}
	printf("(%zu interleaved runs each, empty environment, stdout to /dev/null)\n", runs);
	return 0;
}
