/*
 * Whether a provider holding a pty master is a private path for a client
 * (see provider.h): the process itself here, its inputs in
 * provider_input.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libterm/provider.h"
#include "libterm/provider_int.h"
#include "libterm/ttyholders.h"

#define STATUS_MAX 8192
#define PROC_PID_INIT_INO 0xEFFFFFFCU	/* the initial pid namespace's inode */

/* Parses "Name:\tA\tB\tC\tD" into four ids. */
static bool
four_ids(const char *line, const char *name, unsigned long v[4])
{
	size_t len = strlen(name);

	return strncmp(line, name, len) == 0 &&
	       sscanf(line + len, "%lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3]) == 4;
}

static int
parse_groups(const char *s, struct ix_prov_status *st, struct ix_err *err)
{
	char *end;
	unsigned long g;

	st->ngroups = 0;
	for (;;) {
		s += strspn(s, " \t");
		if (*s == '\0' || *s == '\n')
			return 0;
		errno = 0;
		g = strtoul(s, &end, 10);
		if (end == s || errno != 0 || g > UINT32_MAX)
			return ix_err_set(err, IX_ECORRUPT, "unreadable Groups: line");
		if (st->ngroups == IX_PROVIDER_GROUPS_MAX)
			return ix_err_set(err, IX_ELIMIT, "more than %d groups",
					  IX_PROVIDER_GROUPS_MAX);
		st->groups[st->ngroups++] = (gid_t)g;
		s = end;
	}
}

int
ix_prov_status(pid_t pid, struct ix_prov_status *st, struct ix_err *err)
{
	char path[64], *buf, *line, *save = NULL;
	unsigned long u[4], g[4];
	unsigned seen = 0;
	ssize_t n;
	int fd, rc = 0;

	memset(st, 0, sizeof *st);
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH ?
		       ix_err_set(err, IX_ENOENT, "pid %d has exited", (int)pid) :
		       ix_err_sys(err, "%s", path);
	buf = malloc(STATUS_MAX);
	if (buf == NULL) {
		close(fd);
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	}
	n = read(fd, buf, STATUS_MAX - 1);
	close(fd);
	if (n <= 0) {
		free(buf);
		return n == 0 || errno == ESRCH ?
		       ix_err_set(err, IX_ENOENT, "pid %d has exited", (int)pid) :
		       ix_err_sys(err, "%s", path);
	}
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line && rc == 0;
	     line = strtok_r(NULL, "\n", &save)) {
		if (four_ids(line, "Uid:", u)) {
			for (int i = 0; i < 4; i++)
				st->uids[i] = (uid_t)u[i];
			seen |= 1;
		} else if (four_ids(line, "Gid:", g)) {
			st->fsgid = (gid_t)g[3];
			seen |= 2;
		} else if (strncmp(line, "Groups:", 7) == 0) {
			rc = parse_groups(line + 7, st, err);
			seen |= 4;
		} else if (sscanf(line, "CapEff: %" SCNx64, &st->capeff) == 1) {
			seen |= 8;
		} else if (sscanf(line, "TracerPid: %d", &st->tracer) == 1) {
			seen |= 16;
		}
	}
	free(buf);
	if (rc == 0 && seen != 31)
		rc = ix_err_set(err, IX_ECORRUPT, "%s lacks a field pex needs", path);
	return rc < 0 ? ix_err_prefix(err, "pid %d", (int)pid) : 0;
}

int
ix_provider_client(pid_t pid, struct ix_provider_client *c, struct ix_err *err)
{
	struct ix_prov_status st;

	if (ix_prov_status(pid, &st, err) < 0)
		return -1;
	memset(c, 0, sizeof *c);
	/* The person's uid: a set-uid client (su, login through PAM) keeps
	 * its caller's real uid, and only that uid's programs are the ones
	 * a private path must hold off; its effective root is not theirs. */
	c->pid = pid;
	c->uid = st.uids[0];
	for (int i = 0; i < 4; i++)
		c->uids[i] = st.uids[0];
	c->gid = st.fsgid;
	memcpy(c->groups, st.groups, st.ngroups * sizeof *st.groups);
	c->ngroups = st.ngroups;
	return 0;
}

bool
ix_prov_uid_is_clients(const uid_t uids[4], const struct ix_provider_client *c)
{
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
			if (uids[i] == c->uids[j])
				return true;
	return false;
}

/* 1 when pid's namespace ns is the caller's, 0 when not, -1 on error. */
static int
same_ns(pid_t pid, const char *ns, struct ix_err *err)
{
	char path[64];
	struct stat a, b;

	snprintf(path, sizeof path, "/proc/self/ns/%s", ns);
	if (stat(path, &a) < 0)
		return ix_err_sys(err, "%s", path);
	snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)pid, ns);
	if (stat(path, &b) < 0)
		return errno == ENOENT || errno == ESRCH ?
		       ix_err_set(err, IX_ENOENT, "pid %d has exited", (int)pid) :
		       ix_err_sys(err, "%s", path);
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Reads pid's command name for messages ("?" when gone). */
void
ix_prov_comm(pid_t pid, char *out, size_t size)
{
	char path[64];
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, out, size - 1);
		close(fd);
	}
	if (n <= 0)
		n = snprintf(out, size, "?");
	out[n] = '\0';
	out[strcspn(out, "\n")] = '\0';
}

int
ix_prov_process(pid_t pid, const struct ix_provider_client *c, unsigned depth,
		char *why, size_t whysize, struct ix_err *err)
{
	struct ix_prov_status st;
	char comm[32];
	int rc;

	ix_prov_comm(pid, comm, sizeof comm);
	if ((rc = same_ns(pid, "user", err)) <= 0 ||
	    (rc == 1 && (rc = same_ns(pid, "net", err)) <= 0)) {
		if (rc == 0)
			return ix_term_refuse(why, whysize, "the terminal's provider, pid %d "
			    "(%s), runs in another user or network namespace, where "
			    "its users and sockets cannot be judged", (int)pid, comm);
		return err->code == IX_ENOENT ? ix_term_refuse(why, whysize,
		    "the terminal's provider, pid %d, exited during the check", (int)pid) : -1;
	}
	if (ix_prov_status(pid, &st, err) < 0)
		return err->code == IX_ENOENT ? ix_term_refuse(why, whysize,
		    "the terminal's provider, pid %d, exited during the check", (int)pid) : -1;
	if (ix_prov_uid_is_clients(st.uids, c))
		return ix_term_refuse(why, whysize, "the terminal's provider, pid %d (%s), "
		    "runs as uid %u, yours: any program of yours can type into it",
		    (int)pid, comm, (unsigned)st.uids[0] == c->uid ? (unsigned)c->uid :
		    (unsigned)st.uids[1]);
	if (st.tracer != 0)
		return ix_term_refuse(why, whysize, "the terminal's provider, pid %d (%s), "
		    "is being traced by pid %d", (int)pid, comm, (int)st.tracer);
	return ix_prov_inputs(pid, comm, c, depth, why, whysize, err);
}

int
ix_provider_private(pid_t holder, const struct ix_provider_client *c,
		    char *why, size_t whysize, struct ix_err *err)
{
	if (c->uid == 0)
		return ix_term_refuse(why, whysize, "you are root, and a program of "
		    "root's can drive any terminal provider: only a console is a "
		    "private path for root");
	return ix_prov_process(holder, c, 0, why, whysize, err);
}

/* State of the master-holder walk over one pty the provider reads. */
struct ttywalk {
	const struct ix_provider_client *c;
	unsigned depth;
	char *why;
	size_t whysize;
	int verdict;		/* 1 until a holder fails */
	bool master;		/* some master holder seen */
};

static int
on_master(const struct ix_tty_holder *h, void *arg, struct ix_err *err)
{
	struct ttywalk *w = arg;
	int rc;

	if (w->verdict != 1 || !h->master)
		return 0;
	if (h->opaque || h->unsure) {
		w->verdict = ix_term_refuse(w->why, w->whysize, "a terminal the provider "
		    "reads has its master held by pid %d, which cannot be judged",
		    (int)h->pid);
		return 0;
	}
	w->master = true;
	rc = ix_prov_process(h->pid, w->c, w->depth + 1, w->why, w->whysize, err);
	if (rc < 0)
		return -1;
	w->verdict = rc;
	return 0;
}

/*
 * A terminal the provider reads whose master no process in sight holds.
 * In the initial pid namespace every process is in sight: the pty has no
 * master left, and nobody can be typing on it. In a namespace of its own
 * (a test's world, the demo's) the checker cannot see the processes of
 * the namespaces around it, where the terminal it was started from is
 * served: that terminal is trusted as the namespace's creator's, which
 * every process inside (the client's included) was started by. Returns 1
 * trusted, 0 not (why), -1 error.
 */
static int
outer_master(char *why, size_t whysize, struct ix_err *err)
{
	struct stat st;

	if (stat("/proc/self/ns/pid", &st) < 0)
		return ix_err_sys(err, "/proc/self/ns/pid");
	if (st.st_ino == PROC_PID_INIT_INO)
		return ix_term_refuse(why, whysize, "a terminal the provider reads has "
		    "no master anyone holds");
	return 1;
}

int
ix_provider_tty_private(int ttyfd, const struct ix_provider_client *c,
			unsigned depth, char *why, size_t whysize,
			struct ix_err *err)
{
	struct ttywalk w = { c, depth, why, whysize, 1, false };
	int rc;

	if (depth >= IX_PROVIDER_DEPTH)
		return ix_term_refuse(why, whysize, "the terminal's provider reads "
		    "terminals more than %d deep", IX_PROVIDER_DEPTH);
	if (ix_tty_holders_each(ttyfd, on_master, &w, err) < 0)
		return -1;
	if (w.verdict == 1 && !w.master && (rc = outer_master(why, whysize, err)) != 1)
		return rc;
	return w.verdict;
}
