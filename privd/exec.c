/*
 * The monitor's privileged acts (exec.h). The monitor is one thread: the
 * filesystem identity it takes for a walk is its own again before
 * anything else runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcompart/cfexec.h"
#include "libcompart/flabel_index.h"
#include "libcompart/rungroup.h"
#include "privd/exec.h"

#define GROUP_END_MS 5000

int
privd_identify(int fd, pid_t pid, int pidfd, const struct ix_stream_provider *prov, size_t nprov,
	       char *src, size_t srcsize, char *why, size_t whysize, struct ix_err *err)
{
	struct ix_pex_req r = { fd, pid, pidfd, NULL, 0, NULL, 0 };

	if (ix_stream_id(fd, prov, nprov, src, srcsize, err) < 0)
		return -1;
	return ix_pex_controlling(&r, why, whysize, err);
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
	/* The request's own mistake, not privd's: told apart by its code. */
	if (errno == ENOENT || errno == ENOTDIR)
		return ix_err_set(err, IX_ENOENT, "%s: %s", path, strerror(errno));
	return ix_err_sys(err, "%s", path);
}

/* The monitor's identity while it acts as its client. */
struct saved_ids {
	gid_t groups[IX_CAPS_MAX_GROUPS];
	int ngroups;
	uid_t uid;
	gid_t gid;
};

/* Takes who's filesystem identity: 0, or -1 with *err and the monitor's
 * own identity unchanged or back (give_back is called either way). */
static int
take_ids(const struct ix_ids *who, struct saved_ids *sv, struct ix_err *err)
{
	sv->ngroups = getgroups(IX_CAPS_MAX_GROUPS, sv->groups);
	sv->uid = geteuid();
	sv->gid = getegid();
	if (sv->ngroups < 0)
		return ix_err_sys(err, "reading privd's groups");
	if (setgroups(who->ngroups, who->groups) < 0)
		return ix_err_sys(err, "taking the client's groups");
	/* A non-zero fsuid also drops CAP_DAC_OVERRIDE and
	 * CAP_DAC_READ_SEARCH from the effective set meanwhile: privd never
	 * reaches a file the client could not reach itself. */
	setfsgid(who->gid);
	setfsuid(who->uid);
	if ((uid_t)setfsuid((uid_t)-1) != who->uid || (gid_t)setfsgid((gid_t)-1) != who->gid)
		return ix_err_set(err, IX_ESYS, "privd cannot take the client's filesystem identity");
	return 0;
}

static void
give_back(const struct saved_ids *sv)
{
	setfsuid(sv->uid);
	setfsgid(sv->gid);
	if (sv->ngroups < 0)
		return;	/* nothing was changed */
	if (setgroups((size_t)sv->ngroups, sv->groups) < 0 ||
	    (uid_t)setfsuid((uid_t)-1) != sv->uid || (gid_t)setfsgid((gid_t)-1) != sv->gid)
		abort();	/* never go on as someone else */
}

int
privd_open_as(const struct ix_ids *who, const char *path, int cwd, struct ix_err *err)
{
	struct saved_ids sv;
	int fd = -1;

	if (path[0] == '\0')
		return ix_err_set(err, IX_EINVAL, "an empty path");
	if (take_ids(who, &sv, err) == 0)
		fd = open_file(path, cwd, err);
	give_back(&sv);
	return fd;
}

int
privd_reopen_as(const struct ix_ids *who, int pathfd, int flags, struct ix_err *err)
{
	struct saved_ids sv;
	char proc[64];
	int fd = -1;

	/* The magic link reaches the inode already found, without a second
	 * walk; the open is checked against the client's identity. */
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", pathfd);
	if (take_ids(who, &sv, err) == 0) {
		fd = open(proc, flags | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			ix_err_sys(err, "opening it as you");
	}
	give_back(&sv);
	return fd;
}

void
privd_run_group(pid_t monitor, char *name, size_t size)
{
	snprintf(name, size, "privd-%d", (int)monitor);
}

int
privd_run_start(const struct privd_server *srv, struct ixdb *db, const struct privd_exec *x,
		struct privd_run *run, struct ix_err *err)
{
	struct ix_cfexec spec = { 0 };
	struct ix_compart comp = { 0 };
	struct ix_labelled_file *files = NULL;
	size_t nfiles = 0, stale = 0;
	int cg = -1, rc = -1;

	*run = (struct privd_run){ .kill_fd = -1, .pidfd = -1 };
	privd_run_group(getpid(), run->group, sizeof run->group);
	spec.path = x->argv[0];
	spec.argv = x->argv;
	spec.envp = x->envp;
	memcpy(spec.fds, x->fds, sizeof spec.fds);
	spec.ids = x->ids;
	spec.caps = x->caps;
	spec.blackhole = srv->blackhole;
	spec.flags = IX_CF_SETSID;	/* out of the monitor's session and process group */
	if (x->has_ceiling) {
		snprintf(comp.name, sizeof comp.name, "%s", run->group);
		comp.label = comp.ceiling = x->ceiling;
		/* A compartment of this name is a dead monitor's whose pid came
		 * round again: ended first. */
		if (ix_compart_kill(comp.name, GROUP_END_MS, &(struct ix_err){ 0 }) == 0)
			ix_compart_remove(comp.name, &(struct ix_err){ 0 });
		if (ix_compart_create(&comp, err) < 0)
			return -1;
		run->compartment = true;
		if (ix_flabel_index_load(db, &files, &nfiles, &stale, err) < 0)
			goto out;
		spec.compart = comp.name;
		spec.files = files;
		spec.nfiles = nfiles;
	} else {
		if ((cg = ix_rungroup_create(run->group, err)) < 0)
			return -1;
		spec.in_cgroup = true;
		spec.cgroup = cg;
		if ((run->kill_fd = ix_rungroup_kill_fd(run->group, err)) < 0)
			goto out;
	}
	if (run->compartment) {
		int dir = ix_compart_open(comp.name, err);

		if (dir < 0)
			goto out;
		run->kill_fd = openat(dir, "cgroup.kill", O_WRONLY | O_CLOEXEC);
		close(dir);
		if (run->kill_fd < 0) {
			ix_err_sys(err, "compartment %s: opening cgroup.kill", comp.name);
			goto out;
		}
	}
	if (ix_cfexec_start(&spec, &run->pid, &run->pidfd, err) < 0)
		goto out;
	rc = 0;
out:
	if (cg >= 0)
		close(cg);
	ix_flabel_index_free(files, nfiles);
	if (rc < 0)
		privd_run_end(srv, run);
	return rc;
}

void
privd_run_end(const struct privd_server *srv, struct privd_run *run)
{
	struct ix_err e;

	if (run->group[0] == '\0')
		return;
	if (run->compartment) {
		if (ix_compart_kill(run->group, GROUP_END_MS, &e) < 0 ||
		    ix_compart_remove(run->group, &e) < 0)
			ix_log_event(srv->log, "warning", "compartment %s not removed: %s", run->group,
				     e.msg);
	} else if (ix_rungroup_end(run->group, GROUP_END_MS, &e) < 0) {
		ix_log_event(srv->log, "warning", "run group %s not removed: %s", run->group, e.msg);
	}
	if (run->kill_fd >= 0)
		close(run->kill_fd);
	if (run->pidfd >= 0)
		close(run->pidfd);
	*run = (struct privd_run){ .kill_fd = -1, .pidfd = -1 };
}

int
privd_run_abandon(pid_t monitor, struct ix_err *err)
{
	char group[IX_COMPART_NAME_MAX + 1];
	struct ix_err e;

	privd_run_group(monitor, group, sizeof group);
	if (ix_rungroup_end(group, GROUP_END_MS, err) < 0)
		return -1;
	/* or its compartment, when the action had a ceiling */
	if (ix_compart_kill(group, GROUP_END_MS, &e) == 0 && ix_compart_remove(group, &e) < 0)
		return ix_err_set(err, e.code, "%s", e.msg);
	return 0;
}
