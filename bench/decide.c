/*
 * Decision benchmark: generated trees and rule sets of 10, 1,000 and
 * 100,000 entries. Prints, per size, the time to parse and index the policy
 * text, to load it from SQLite, and the median, p90 and p99 of one
 * ix_decide() (which returns the plan of a granted request, plan.h).
 *
 * Each size has N nodes /u/userK (ID(userK), a literal login, so the login
 * index must make the decision independent of N) and N rules "cmdK (\S+)"
 * needing downgrade($1) (found through the first-word index). Requests mix
 * granted and refused decisions.
 *
 * usage: bench-decide [DECISIONS] [SIZE...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/ixdb.h"
#include "libauthtree/eval.h"
#include "libauthtree/store.h"

#define NCATS 200

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static char *
gen_policy(size_t n, size_t *len)
{
	size_t cap = 4096 + n * 256, off = 0, i;
	char *s = malloc(cap);

	if (s == NULL)
		return NULL;
	off += (size_t)snprintf(s + off, cap - off,
		"ixkit-policy 1\nright op plain\nright downgrade label\nright edit regex\n"
		"level low\nlevel high\n");
	for (i = 0; i < NCATS; i++)
		off += (size_t)snprintf(s + off, cap - off, "category c%zu %zu\n", i, i);
	off += (size_t)snprintf(s + off, cap - off,
		"node /\n\tpredicate ID(root)\n\trights ALL\n"
		"node /u\n\tpredicate NONE\n\trights op | downgrade(TOP) | edit(/u(/.*)?)\n");
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(s + off, cap - off,
			"node /u/user%zu\n\tpredicate ID(user%zu)\n\trights op | downgrade(c%zu)\n",
			i, i, i % NCATS);
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(s + off, cap - off,
			"rule r%zu\n\ttemplate cmd%zu (\\S+)\n\tneed downgrade($1)\n"
			"\taction DOWNGRADE(/srv/data/f%zu, $1)\n", i, i, i);
	*len = off;
	return s;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
run_size(size_t n, size_t ndec)
{
	struct ix_policy *p = NULL, *q = NULL;
	struct ixdb *db = NULL;
	struct ix_err e;
	char dir[] = "/tmp/ixkit-bench-XXXXXX", path[64], login[32], req[64];
	double t0, t_parse, t_save, t_load, *lat;
	size_t len, i, granted = 0;
	char *text = gen_policy(n, &len);
	unsigned seed = 42;

	lat = malloc(ndec * sizeof *lat);
	if (text == NULL || lat == NULL || mkdtemp(dir) == NULL)
		return -1;
	t0 = now_us();
	if (ix_policy_parse("bench", text, len, NULL, &p, &e) < 0) {
		fprintf(stderr, "bench: %s\n", e.msg);
		return -1;
	}
	t_parse = now_us() - t0;
	snprintf(path, sizeof path, "%s/bench.db", dir);
	t0 = now_us();
	if (ixdb_open(path, IXDB_CREATE, &db, &e) < 0 ||
	    ix_store_save(db, p, "bench", NULL, NULL, &e) < 0) {
		fprintf(stderr, "bench: %s\n", e.msg);
		return -1;
	}
	t_save = now_us() - t0;
	t0 = now_us();
	if (ix_store_load(db, &q, &e) < 0) {
		fprintf(stderr, "bench: %s\n", e.msg);
		return -1;
	}
	t_load = now_us() - t0;

	for (i = 0; i < ndec; i++) {
		struct ix_request rq = { 0 };
		struct ix_decision d;
		size_t u = (size_t)rand_r(&seed) % n, r = (size_t)rand_r(&seed) % n;
		/* Half the requests name the user's own category (granted). */
		size_t cat = (rand_r(&seed) & 1) ? u % NCATS : (u + 1) % NCATS;

		snprintf(login, sizeof login, "user%zu", u);
		snprintf(req, sizeof req, "cmd%zu c%zu", r, cat);
		rq.login = login;
		rq.src = "/dev/pts/3";
		rq.text = req;
		t0 = now_us();
		if (ix_decide(q, &rq, &d, &e) < 0) {
			fprintf(stderr, "bench: %s\n", e.msg);
			return -1;
		}
		lat[i] = now_us() - t0;
		granted += d.allow;
		ix_decision_free(&d);
	}
	qsort(lat, ndec, sizeof *lat, cmp_double);
	printf("%8zu  %12.1f  %10.1f  %10.1f  %8.2f  %8.2f  %8.2f  %6.1f%%\n", n, t_parse / 1e3,
	       t_save / 1e3, t_load / 1e3, lat[ndec / 2], lat[(ndec * 9) / 10],
	       lat[(ndec * 99) / 100], 100.0 * (double)granted / (double)ndec);
	ix_policy_free(p);
	ix_policy_free(q);
	ixdb_close(db);
	unlink(path);
	{
		char aux[80];

		snprintf(aux, sizeof aux, "%s-wal", path);
		unlink(aux);
		snprintf(aux, sizeof aux, "%s-shm", path);
		unlink(aux);
	}
	rmdir(dir);
	free(text);
	free(lat);
	return 0;
}

int
main(int argc, char **argv)
{
	size_t ndec = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000;
	static const size_t sizes[] = { 10, 1000, 100000 };
	int i;

	printf("decision benchmark: %zu decisions per size (each node and rule set has N entries)\n",
	       ndec);
	printf("%8s  %12s  %10s  %10s  %8s  %8s  %8s  %7s\n", "N", "parse+index", "db save",
	       "db load", "median", "p90", "p99", "granted");
	printf("%8s  %12s  %10s  %10s  %8s  %8s  %8s  %7s\n", "", "(ms)", "(ms)", "(ms)", "(us)",
	       "(us)", "(us)", "");
	if (argc > 2) {
		for (i = 2; i < argc; i++)
			if (run_size(strtoul(argv[i], NULL, 10), ndec) < 0)
				return 1;
		return 0;
	}
	for (i = 0; i < 3; i++)
		if (run_size(sizes[i], ndec) < 0)
			return 1;
	return 0;
}
