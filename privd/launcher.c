/*
 * The launcher's side (launcher.h): root with every capability, no
 * filter, no Landlock, not dumpable. Its main process forks one server per
 * worker channel; a server answers its worker until the worker closes the
 * channel, and is the parent of the actions it starts.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/openat2.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libcompart/cfexec.h"
#include "libcompart/compart.h"
#include "libcompart/flabel.h"
#include "libauthtree/store.h"
#include "libcompart/flabel_index.h"
#include "privd/launcher.h"

#define ANSWER_TIMEOUT_MS 5000

/*
 * What the policy's rules can ask of a launch, as of a generation of the
 * database: the launcher starts nothing beyond it, whatever a worker
 * says. Loaded by the launcher's main process whenever it hands out a
 * channel and the generation has moved (off any request's path), and by
 * a channel's server when a launch falls outside and the policy may have
 * changed since.
 */
struct bounds {
	int64_t gen;		/* -1: none loaded */
	uint64_t caps;		/* every capability some PRIV(...) names */
	bool any_prog;		/* some EXEC's program is a parameter */
	char **progs;		/* the constant programs, sorted */
	size_t nprogs, room;
	bool failed;		/* a program could not be recorded */
};

static struct bounds bounds = { .gen = -1 };
static struct ixdb *bounds_db;	/* this process's own connection (own_db) */
static pid_t bounds_pid;	/* the process that opened it */

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
add_prog(void *arg, const char *path)
{
	struct bounds *b = arg;
	char **v;

	if (path == NULL) {
		b->any_prog = true;
		return;
	}
	if (b->nprogs == b->room) {
		b->room = b->room ? 2 * b->room : 64;
		v = realloc(b->progs, b->room * sizeof *v);
		if (v == NULL) {
			b->failed = true;
			return;
		}
		b->progs = v;
	}
	if ((b->progs[b->nprogs] = strdup(path)) == NULL)
		b->failed = true;
	else
		b->nprogs++;
}

static void
bounds_free(struct bounds *b)
{
	for (size_t i = 0; i < b->nprogs; i++)
		free(b->progs[i]);
	free(b->progs);
	*b = (struct bounds){ .gen = -1 };
}

/* This process's own connection to the database, opened at first use.
 * NULL with *err. */
static struct ixdb *
own_db(const struct privd_server *srv, struct ix_err *err)
{
	/* A connection opened before a fork is the parent's: left alone. */
	if (bounds_pid != getpid()) {
		bounds_db = NULL;
		if (ixdb_open(srv->cfg.db, 0, &bounds_db, err) < 0)
			return NULL;
		bounds_pid = getpid();
	}
	return bounds_db;
}

/* Reloads the bounds when the database's generation has moved. Returns 0,
 * or -1 with *err (the bounds stay as they were). */
static int
bounds_refresh(const struct privd_server *srv, struct ix_err *err)
{
	struct bounds nb = { .gen = -1 };
	struct ix_policy *p;
	int64_t gen;

	if (own_db(srv, err) == NULL || ixdb_generation(bounds_db, &gen, err) < 0)
		return -1;
	if (gen == bounds.gen)
		return 0;
	if (ix_store_load(bounds_db, &p, err) < 0)
		return -1;
	for (size_t i = 0; i < p->nrules; i++)
		ix_action_tmpl_bound(p->rules[i].action, &nb.caps, add_prog, &nb);
	ix_policy_free(p);
	/* Every channel's server is a fork of this process: the tree's
	 * memory goes back rather than into every fork's page tables. */
	malloc_trim(0);
	if (nb.failed) {
		bounds_free(&nb);
		return ix_err_set(err, IX_ENOMEM, "launcher: out of memory for the policy's programs");
	}
	qsort(nb.progs, nb.nprogs, sizeof *nb.progs, by_name);
	nb.gen = gen;
	bounds_free(&bounds);
	bounds = nb;
	return 0;
}

/* Whether some rule could ask for this launch: its capabilities among
 * those some PRIV(...) names, its program one some EXEC names. */
static bool
within_bounds(const char *prog, uint64_t caps)
{
	if (bounds.gen < 0 || (caps & ~bounds.caps) != 0)
		return false;
	return bounds.any_prog ||
	       bsearch(&prog, bounds.progs, bounds.nprogs, sizeof *bounds.progs, by_name) != NULL;
}

struct lserver {
	const struct privd_server *srv;
	int ch;			/* the worker's channel */
	struct ix_peer worker;	/* its creator: a relay of the terminals it passes */
};

/* A request's descriptors, as its handler takes them in order. */
struct taken {
	int fd[IX_MSG_MAX_FDS];
	unsigned n;
};

static void
let_go(struct taken *t)
{
	for (unsigned i = 0; i < t->n; i++)
		if (t->fd[i] >= 0) {
			close(t->fd[i]);
			t->fd[i] = -1;
		}
}

/*
 * Answers the worker, having closed the request's descriptors first: the
 * worker goes on to passwdd with the client's terminal at once, and
 * passwdd's pex must not find this process (no relay of passwdd's) still
 * holding it.
 */
static int
send_ok(struct lserver *l, struct taken *t, struct ix_msg *a, struct ix_err *err)
{
	int rc;

	let_go(t);
	if (a == NULL)
		return -1;
	rc = ix_ipc_send(l->ch, a, ANSWER_TIMEOUT_MS, err);
	ix_msg_free(a);
	return rc;
}

static struct ix_msg *
ok_verdict(int v, const char *why, struct ix_err *err)
{
	struct ix_msg *a = ix_msg_new(PRIVD_L_OK, err);

	if (a != NULL && (ix_msg_put_u8(a, v == 1, err) < 0 ||
			  ix_msg_put_str(a, v == 1 ? "" : why, IX_PEX_WHY_MAX, err) < 0)) {
		ix_msg_free(a);
		return NULL;
	}
	return a;
}

static int
get_ids(struct ix_msg *m, struct ix_ids *ids, struct ix_err *err)
{
	uint32_t uid, gid, g;
	uint16_t n;

	if (ix_msg_get_u32(m, &uid, err) < 0 || ix_msg_get_u32(m, &gid, err) < 0 ||
	    ix_msg_get_u16(m, &n, err) < 0)
		return -1;
	if (uid == (uint32_t)-1 || gid == (uint32_t)-1)
		return ix_err_set(err, IX_EINVAL, "launcher: uid or gid -1");
	if (n > IX_CAPS_MAX_GROUPS)
		return ix_err_set(err, IX_ELIMIT, "launcher: %u groups, at most %d", n,
				  IX_CAPS_MAX_GROUPS);
	ids->uid = uid;
	ids->gid = gid;
	ids->ngroups = n;
	for (uint16_t i = 0; i < n; i++) {
		if (ix_msg_get_u32(m, &g, err) < 0)
			return -1;
		ids->groups[i] = g;
	}
	return 0;
}

static int
get_label(struct ix_msg *m, struct ix_label *l, struct ix_err *err)
{
	const uint8_t *p;
	size_t n;

	if (ix_msg_get_blob(m, &p, &n, IX_FLABEL_SIZE, err) < 0)
		return -1;
	return ix_flabel_decode(p, n, l, err);
}

static int
take(struct ix_msg *m, struct taken *t, int *fd, struct ix_err *err)
{
	if (t->n >= IX_MSG_MAX_FDS)
		return ix_err_set(err, IX_ELIMIT, "launcher: too many descriptors");
	if (ix_msg_get_fd(m, fd, err) < 0)
		return -1;
	t->fd[t->n++] = *fd;
	return 0;
}

/* The policy's terminal providers, as the worker passes them. */
static int
get_providers(struct ix_msg *m, struct ix_stream_provider *prov, uint16_t *n, struct ix_err *err)
{
	if (ix_msg_get_u16(m, n, err) < 0)
		return -1;
	if (*n > PRIVD_PROVIDERS_MAX)
		return ix_err_set(err, IX_ELIMIT, "launcher: %u providers, at most %d", *n,
				  PRIVD_PROVIDERS_MAX);
	for (uint16_t i = 0; i < *n; i++)
		if (ix_msg_get_str(m, &prov[i].name, IX_PATH_MAX, err) < 0 ||
		    ix_msg_get_str(m, &prov[i].path, IX_PATH_MAX, err) < 0)
			return -1;
	return 0;
}

static int
identify(struct lserver *l, struct ix_msg *m, struct taken *t, struct ix_err *err)
{
	struct ix_stream_provider prov[PRIVD_PROVIDERS_MAX];
	char why[IX_PEX_WHY_MAX] = "", src[IX_STREAM_ID_MAX];
	struct ix_msg *a;
	uint32_t pid;
	uint16_t n;
	int fd, pidfd, v;

	if (ix_msg_get_u32(m, &pid, err) < 0 || get_providers(m, prov, &n, err) < 0 ||
	    take(m, t, &fd, err) < 0 || take(m, t, &pidfd, err) < 0 || ix_msg_end(m, err) < 0)
		return -1;
	struct ix_pex_req r = { fd, (pid_t)pid, pidfd, NULL, 0, NULL, 0 };

	/* With providers, a pty's identifier names the one holding its
	 * master: a scan of every process, like pex. */
	if (ix_stream_id(fd, prov, n, src, sizeof src, err) < 0)
		return -1;
	v = ix_pex_controlling(&r, why, sizeof why, err);
	if (v < 0)
		return -1;
	a = ok_verdict(v, why, err);
	if (a != NULL && ix_msg_put_str(a, src, IX_STREAM_ID_MAX, err) < 0) {
		ix_msg_free(a);
		return -1;
	}
	return send_ok(l, t, a, err);
}

static int
pex(struct lserver *l, struct ix_msg *m, struct taken *t, struct ix_err *err)
{
	struct ix_stream_provider prov[PRIVD_PROVIDERS_MAX];
	struct ix_pex_relay relay = { l->worker.pid, l->worker.pidfd };
	struct ix_pex_seen seen = { 0 };
	char why[IX_PEX_WHY_MAX] = "";
	struct ix_msg *a;
	uint8_t fg;
	uint16_t n;
	uint32_t pid;
	int fd, pidfd, v;

	if (ix_msg_get_u8(m, &fg, err) < 0 || ix_msg_get_u32(m, &pid, err) < 0 ||
	    get_providers(m, prov, &n, err) < 0)
		return -1;
	if (take(m, t, &fd, err) < 0 || take(m, t, &pidfd, err) < 0 || ix_msg_end(m, err) < 0)
		return -1;
	struct ix_pex_req r = { fd, (pid_t)pid, pidfd, prov, n, &relay, 1 };

	v = ix_pex_check_seen(&r, &seen, why, sizeof why, err);
	if (v == 1 && fg)
		v = ix_pex_foreground(&r, why, sizeof why, err);
	if (v < 0)
		return -1;
	a = ok_verdict(v, why, err);
	if (a != NULL && ix_msg_put_blob(a, &seen, sizeof seen, sizeof seen, err) < 0) {
		ix_msg_free(a);
		return -1;
	}
	return send_ok(l, t, a, err);
}

static int
open_file(const char *path, int cwd, struct ix_err *err)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	/* A relative operand is the client's: it names something beneath
	 * the directory the client stood in, nothing outside it. */
	if (path[0] != '/')
		how.resolve |= RESOLVE_BENEATH;
	fd = (int)syscall(SYS_openat2, path[0] == '/' ? AT_FDCWD : cwd, path, &how, sizeof how);
	if (fd >= 0)
		return fd;
	if (errno == ELOOP)
		return ix_err_set(err, IX_EDENIED, "%s is, or passes through, a symbolic link: "
				  "privd labels no file through a link", path);
	if (errno == EXDEV)
		return ix_err_set(err, IX_EDENIED, "%s leads outside your working directory", path);
	/* The request's own mistake, not privd's: the worker tells them apart by code. */
	if (errno == ENOENT || errno == ENOTDIR)
		return ix_err_set(err, IX_ENOENT, "%s: %s", path, strerror(errno));
	return ix_err_sys(err, "%s", path);
}

/*
 * open_file with the walk's permission checks made as the client: its
 * fsuid, fsgid and groups (a non-zero fsuid also drops CAP_DAC_OVERRIDE
 * and CAP_DAC_READ_SEARCH from the effective set meanwhile), so that
 * privd never relabels a file the client could not reach itself. The
 * server is one thread; its own identity is restored before returning,
 * and a server that cannot restore it aborts rather than go on as
 * someone else.
 */
static int
open_as(const struct ix_ids *who, const char *path, int cwd, struct ix_err *err)
{
	gid_t saved[IX_CAPS_MAX_GROUPS];
	int nsaved = getgroups(IX_CAPS_MAX_GROUPS, saved), fd = -1;
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (nsaved < 0)
		return ix_err_sys(err, "reading privd's groups");
	if (setgroups(who->ngroups, who->groups) < 0)
		return ix_err_sys(err, "taking the client's groups");
	setfsgid(who->gid);
	setfsuid(who->uid);
	if ((uid_t)setfsuid((uid_t)-1) != who->uid || (gid_t)setfsgid((gid_t)-1) != who->gid)
		ix_err_set(err, IX_ESYS, "privd cannot take the client's filesystem identity");
	else
		fd = open_file(path, cwd, err);
	setfsuid(uid);
	setfsgid(gid);
	if (setgroups((size_t)nsaved, saved) < 0 || (uid_t)setfsuid((uid_t)-1) != uid ||
	    (gid_t)setfsgid((gid_t)-1) != gid)
		abort();
	return fd;
}

static int
open_step(struct lserver *l, struct ix_msg *m, struct taken *t, struct ix_err *err)
{
	struct ix_ids who;
	struct ix_msg *a;
	const char *path;
	struct stat st;
	int cwd, fd, rc;

	if (get_ids(m, &who, err) < 0 || ix_msg_get_str(m, &path, IX_ACTION_ARG_MAX, err) < 0 ||
	    take(m, t, &cwd, err) < 0 || ix_msg_end(m, err) < 0)
		return -1;
	if (path[0] == '\0')
		return ix_err_set(err, IX_EINVAL, "launcher: an empty path");
	if (fstat(cwd, &st) < 0 || !S_ISDIR(st.st_mode))
		return ix_err_set(err, IX_EINVAL, "launcher: the working directory is not a directory");
	if ((fd = open_as(&who, path, cwd, err)) < 0)
		return -1;
	a = ix_msg_new(PRIVD_L_OK, err);
	rc = a != NULL && ix_msg_put_fd(a, fd, err) == 0 ? send_ok(l, t, a, err) : -1;
	if (rc < 0 && a != NULL)
		ix_msg_free(a);
	close(fd);
	return rc;
}

static int
label(struct lserver *l, struct ix_msg *m, struct taken *t, struct ix_err *err)
{
	struct ix_label lab;
	struct stat st;
	int fd;

	if (get_label(m, &lab, err) < 0 || take(m, t, &fd, err) < 0 || ix_msg_end(m, err) < 0)
		return -1;
	if (fstat(fd, &st) < 0 || (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)))
		return ix_err_set(err, IX_EINVAL, "launcher: only regular files and directories take labels");
	if (ix_flabel_set_fd(fd, &lab, err) < 0)
		return -1;
	return send_ok(l, t, ix_msg_new(PRIVD_L_OK, err), err);
}

/* An EXEC step's spec as received; strings point into the message. */
struct exec_in {
	const char *argv[IX_ACTION_ARGS_MAX + 1];
	const char *envp[IX_ACTION_PRIMS_MAX + 1];
	struct ix_ids ids;
	uint64_t caps;
	bool has_ceiling;
	struct ix_label ceiling;
	int fds[3];
};

static int
get_exec(struct ix_msg *m, struct taken *t, struct exec_in *x, struct ix_err *err)
{
	uint16_t argc, envc;
	uint8_t has;

	if (ix_msg_get_u16(m, &argc, err) < 0)
		return -1;
	if (argc < 1 || argc > IX_ACTION_ARGS_MAX)
		return ix_err_set(err, IX_ELIMIT, "launcher: %u arguments", argc);
	for (uint16_t i = 0; i < argc; i++)
		if (ix_msg_get_str(m, &x->argv[i], IX_ACTION_ARG_MAX, err) < 0)
			return -1;
	x->argv[argc] = NULL;
	if (x->argv[0][0] != '/')
		return ix_err_set(err, IX_EINVAL, "launcher: program path '%s' is not absolute",
				  x->argv[0]);
	if (ix_msg_get_u16(m, &envc, err) < 0)
		return -1;
	if (envc > IX_ACTION_PRIMS_MAX)
		return ix_err_set(err, IX_ELIMIT, "launcher: %u environment variables", envc);
	for (uint16_t i = 0; i < envc; i++) {
		if (ix_msg_get_str(m, &x->envp[i], IX_ACTION_ARG_MAX, err) < 0)
			return -1;
		if (x->envp[i][0] == '=' || strchr(x->envp[i], '=') == NULL)
			return ix_err_set(err, IX_EINVAL, "launcher: environment entry is not NAME=value");
	}
	x->envp[envc] = NULL;
	if (get_ids(m, &x->ids, err) < 0 || ix_msg_get_u64(m, &x->caps, err) < 0 ||
	    ix_msg_get_u8(m, &has, err) < 0)
		return -1;
	if (has > 1)
		return ix_err_set(err, IX_EINVAL, "launcher: ceiling flag %u", has);
	x->has_ceiling = has;
	if (has && get_label(m, &x->ceiling, err) < 0)
		return -1;
	for (int i = 0; i < 3; i++)
		if (take(m, t, &x->fds[i], err) < 0)
			return -1;
	return ix_msg_end(m, err);
}

/* Waits for the action, sending it the worker's signals; a worker that
 * goes away hangs the action up. Returns the wait status, or -1. */
static int
wait_action(struct lserver *l, pid_t pid, int pidfd)
{
	bool worker = true;
	struct ix_err e;
	int st;

	for (;;) {
		struct pollfd pf[2] = { { pidfd, POLLIN, 0 }, { l->ch, POLLIN, 0 } };
		struct ix_msg *m = NULL;
		uint8_t sig;
		int r;

		if (poll(pf, worker ? 2 : 1, -1) < 0 && errno != EINTR)
			break;
		if (pf[0].revents)
			break;
		if (!worker || !pf[1].revents)
			continue;
		r = ix_ipc_recv(l->ch, &m, ANSWER_TIMEOUT_MS, &e);
		if (r == 1 && ix_msg_type(m) == PRIVD_L_SIGNAL && ix_msg_get_u8(m, &sig, &e) == 0 &&
		    ix_msg_end(m, &e) == 0 &&
		    (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT)) {
			syscall(SYS_pidfd_send_signal, pidfd, (int)sig, NULL, 0);
			ix_msg_free(m);
			continue;
		}
		if (r == 1)
			ix_log_event(l->srv->log, "launcher-error", "worker=%d type=0x%04x while an "
				     "action runs: the action is hung up", (int)l->worker.pid,
				     ix_msg_type(m));
		ix_msg_free(m);
		worker = false;
		syscall(SYS_pidfd_send_signal, pidfd, SIGHUP, NULL, 0);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return st;
}

static int
exec_step(struct lserver *l, struct ix_msg *m, struct taken *t, struct ix_err *err)
{
	struct exec_in x = { 0 };
	struct ix_cfexec spec = { 0 };
	struct ix_compart comp = { 0 };
	struct ix_labelled_file *files = NULL;
	struct ixdb *db = NULL;
	size_t nfiles = 0, stale = 0;
	struct ix_msg *a;
	bool made = false;
	struct ix_err e2;
	int pidfd = -1, st, rc = -1;
	pid_t pid;

	if (get_exec(m, t, &x, err) < 0)
		return -1;
	if (!within_bounds(x.argv[0], x.caps) &&
	    (bounds_refresh(l->srv, err) < 0 || !within_bounds(x.argv[0], x.caps))) {
		ix_log_event(l->srv->log, "launcher-refused", "worker=%d program=%s caps=0x%llx "
			     "generation=%lld", (int)l->worker.pid, x.argv[0],
			     (unsigned long long)x.caps, (long long)bounds.gen);
		return ix_err_set(err, IX_EDENIED, "launcher: no rule of the policy runs %s with "
				  "capabilities 0x%llx", x.argv[0], (unsigned long long)x.caps);
	}
	spec.path = x.argv[0];
	spec.argv = (char *const *)x.argv;
	spec.envp = (char *const *)x.envp;
	memcpy(spec.fds, x.fds, sizeof spec.fds);
	spec.ids = x.ids;
	spec.caps = x.caps;
	spec.blackhole = l->srv->blackhole;
	spec.flags = IX_CF_SETSID;	/* out of privd's session and process group */
	if (x.has_ceiling) {
		snprintf(comp.name, sizeof comp.name, "privd-%d", (int)getpid());
		comp.label = comp.ceiling = x.ceiling;
		if (ix_compart_create(&comp, err) < 0)
			goto out;
		made = true;
		if ((db = own_db(l->srv, err)) == NULL ||
		    ix_flabel_index_load(db, &files, &nfiles, &stale, err) < 0)
			goto out;
		spec.compart = comp.name;
		spec.files = files;
		spec.nfiles = nfiles;
	}
	if (ix_cfexec_start(&spec, &pid, &pidfd, err) < 0)
		goto out;
	let_go(t);	/* the client's descriptors are the action's now, not ours */
	a = ix_msg_new(PRIVD_L_OK, err);
	if (a != NULL && ix_msg_put_u32(a, (uint32_t)pid, err) < 0) {
		ix_msg_free(a);
		a = NULL;
	}
	if (send_ok(l, t, a, err) < 0)
		syscall(SYS_pidfd_send_signal, pidfd, SIGHUP, NULL, 0);
	st = wait_action(l, pid, pidfd);
	close(pidfd);
	if (made && ix_compart_remove(comp.name, &e2) < 0)
		ix_log_event(l->srv->log, "warning", "compartment %s not removed: %s", comp.name, e2.msg);
	made = false;
	a = ix_msg_new(PRIVD_L_EXITED, err);
	if (st < 0) {
		ix_err_sys(err, "waiting for the action (pid %d)", (int)pid);
		ix_msg_free(a);
		rc = -1;
	} else if (a != NULL && ix_msg_put_u32(a, (uint32_t)st, err) == 0) {
		rc = send_ok(l, t, a, err) < 0 ? 1 : 0;	/* the worker may be gone */
	} else {
		ix_msg_free(a);
	}
out:
	if (made && ix_compart_remove(comp.name, &e2) < 0)
		ix_log_event(l->srv->log, "warning", "compartment %s not removed: %s", comp.name, e2.msg);
	ix_flabel_index_free(files, nfiles);
	return rc;
}

/* Answers one request: 0 to go on, -1 when the channel has ended. */
static int
answer(struct lserver *l)
{
	struct ix_msg *m = NULL;
	struct ix_err e, e2;
	struct taken t = { .n = 0 };
	int r;

	r = ix_ipc_recv(l->ch, &m, -1, &e);
	if (r == 0)
		return -1;
	if (r < 0) {
		ix_log_event(l->srv->log, "launcher-error", "worker=%d error=%s", (int)l->worker.pid,
			     e.msg);
		return -1;	/* a worker that sends garbage gets nothing more */
	}
	switch (ix_msg_type(m)) {
	case PRIVD_L_IDENTIFY: r = identify(l, m, &t, &e); break;
	case PRIVD_L_PEX: r = pex(l, m, &t, &e); break;
	case PRIVD_L_OPEN: r = open_step(l, m, &t, &e); break;
	case PRIVD_L_LABEL: r = label(l, m, &t, &e); break;
	case PRIVD_L_EXEC: r = exec_step(l, m, &t, &e); break;
	default:
		r = ix_err_set(&e, IX_EINVAL, "launcher: request type 0x%04x", ix_msg_type(m));
		break;
	}
	let_go(&t);
	ix_msg_free(m);
	if (r < 0 && ix_ipc_send_error(l->ch, &e, ANSWER_TIMEOUT_MS, &e2) < 0)
		return -1;
	return r > 0 ? -1 : 0;
}

static int
serve_channel(const struct privd_server *srv, int ch)
{
	struct lserver l = { srv, ch, { .pidfd = -1 } };
	struct ix_err e;

	/* socketpair records its creator: the worker, pinned by a pidfd. */
	if (ix_ipc_peer(ch, &l.worker, &e) < 0) {
		ix_log_event(srv->log, "launcher-error", "error=the channel's worker is unknown: %s",
			     e.msg);
		return 1;
	}
	while (answer(&l) == 0)
		;
	ix_peer_close(&l.worker);
	return 0;
}

static int
serve(const struct privd_server *srv, int chan)
{
	for (;;) {
		struct ix_msg *m = NULL;
		struct ix_err e;
		pid_t pid;
		int rc, fd;

		rc = ix_ipc_recv(chan, &m, -1, &e);
		if (rc == 0)
			break;
		if (rc < 0) {
			ix_log_event(srv->log, "launcher-error", "error=%s", e.msg);
			continue;
		}
		fd = -1;
		if (ix_msg_type(m) != PRIVD_L_CHANNEL || ix_msg_get_fd(m, &fd, &e) < 0 ||
		    ix_msg_end(m, &e) < 0) {
			ix_log_event(srv->log, "launcher-error", "error=type 0x%04x with %u descriptors "
				     "on the shared channel", ix_msg_type(m), ix_msg_nfds(m));
			if (fd >= 0)
				close(fd);
			ix_msg_free(m);
			continue;
		}
		ix_msg_free(m);
		if (bounds_refresh(srv, &e) < 0)
			ix_log_event(srv->log, "launcher-error", "stage=policy error=%s", e.msg);
		pid = fork();
		if (pid == 0) {
			close(chan);
			signal(SIGCHLD, SIG_DFL);	/* it waits for its actions */
			_exit(serve_channel(srv, fd));
		}
		if (pid < 0)
			ix_log_event(srv->log, "launcher-error", "stage=fork error=%s", strerror(errno));
		close(fd);
	}
	return 0;
}

int
privd_launcher_start(const struct privd_server *srv, int activated, int *chan, pid_t *pid,
		     struct ix_err *err)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return ix_err_sys(err, "launcher: socketpair");
	*pid = fork();
	if (*pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return ix_err_sys(err, "launcher: fork");
	}
	if (*pid == 0) {
		close(sv[0]);
		for (int fd = 3; fd < 3 + activated; fd++)	/* systemd's sockets are main's */
			close(fd);
		signal(SIGTERM, SIG_IGN);	/* it ends when privd's processes have all gone */
		signal(SIGINT, SIG_IGN);
		signal(SIGPIPE, SIG_IGN);
		signal(SIGCHLD, SIG_IGN);	/* channel servers reap themselves */
		/* Not even a process of its own uid may read its memory. */
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		_exit(serve(srv, sv[1]));
	}
	close(sv[1]);
	*chan = sv[0];
	return 0;
}
