/*
 * The private world of the property tests (harness.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libcompart/cfexec.h"
#include "libcompart/compart_int.h"
#include "libcompart/compart_ns.h"
#include "libcompart/flabel_index.h"
#include "tests/libcompart/harness.h"

struct th T;

static void
die(const char *what, const struct ix_err *e)
{
	fprintf(stderr, "test_compart: %s: %s\n", what, e ? e->msg : strerror(errno));
	th_cleanup();
	exit(99);
}

struct ix_label
th_label(int level, int cat)
{
	struct ix_label l = { 0 };

	l.level = (uint16_t)level;
	if (cat >= 0)
		ix_label_set_cat(&l, cat);
	return l;
}

/* Kills every member and the namespaces' init (cgroup.kill, 5.14+) and
 * removes the directory, the init's first, waiting up to two seconds for
 * the members to be reaped. */
static void
remove_comp(const char *name)
{
	struct timespec t = { 0, 10 * 1000 * 1000 };
	struct ix_err e;
	int parent = ix_compart_parent(false, &e), fd;

	if (parent < 0)
		return;
	fd = openat(parent, name, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		int k = openat(fd, "cgroup.kill", O_WRONLY | O_CLOEXEC);
		if (k >= 0) {
			(void)!write(k, "1", 1);
			close(k);
		}
		close(fd);
	}
	for (int i = 0; i < 200; i++) {
		char ns[IX_COMPART_NAME_MAX + sizeof "/" IX_COMPART_NS_DIR];

		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		snprintf(ns, sizeof ns, "%s/%s", name, IX_COMPART_NS_DIR);
		unlinkat(parent, ns, AT_REMOVEDIR);
		if (unlinkat(parent, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
			break;
		nanosleep(&t, NULL);
	}
	close(parent);
}

void
th_cleanup(void)
{
	static int done;

	if (done++)
		return;
	for (int i = 0; i < T.ncomps; i++)
		remove_comp(T.comps[i]);
	T.ncomps = 0;
	if (T.rawdev[0])
		unlink(T.rawdev);
	ixdb_close(T.db);
	T.db = NULL;
}

static void
on_signal(int sig)
{
	th_cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
copy_self(void)
{
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), out;
	struct stat st;

	snprintf(T.exe, sizeof T.exe, "%s/bin/test_compart", T.work);
	if (in < 0 || fstat(in, &st) < 0)
		die("reading /proc/self/exe", NULL);
	out = open(T.exe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (out < 0)
		die(T.exe, NULL);
	for (off_t off = 0; off < st.st_size;)
		if (sendfile(out, in, &off, (size_t)(st.st_size - off)) <= 0)
			die("copying the test binary", NULL);
	close(in);
	close(out);
}

int
th_setup(void)
{
	char path[PATH_MAX + 32];
	struct ix_t1 *t1;
	struct ix_err e;

	if (geteuid() != 0) {
		fprintf(stderr, "test_compart: must run as root (CI does); refusing to pretend\n");
		exit(99);
	}
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die("private mount namespace", NULL);
	/* Our own bpffs unless compartd has pinned tier 1 in the one we see. */
	if (ix_t1_open(NULL, &t1, &e) == 0)
		ix_t1_close(t1);
	else if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700") < 0)
		die("mounting a private bpffs on /sys/fs/bpf", NULL);
	snprintf(T.work, sizeof T.work, "/tmp/ixkit-compart-%d", (int)getpid());
	if (mkdir(T.work, 0755) < 0 || mount("tmpfs", T.work, "tmpfs", 0, "mode=0755") < 0)
		die(T.work, NULL);
	atexit(th_cleanup);
	/* A parent that ignores SIGCHLD (a guest's init script may) would
	 * have the kernel reap our probes before we read their status. */
	signal(SIGCHLD, SIG_DFL);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGABRT, on_signal);
	signal(SIGSEGV, on_signal);
	snprintf(path, sizeof path, "%s/bin", T.work);
	mkdir(path, 0755);
	snprintf(T.wdir, sizeof T.wdir, "%s/w", T.work);
	if (mkdir(T.wdir, 0777) < 0 || chmod(T.wdir, 0777) < 0)
		die(T.wdir, NULL);
	snprintf(path, sizeof path, "%s/r", T.work);
	mkdir(path, 0755);
	copy_self();
	/* A stand-in for a raw disk: root-only by mode, in the shared /dev
	 * (devtmpfs is the host's even in our namespace), so it is a null
	 * device that is harmless if a crash leaves it behind. */
	snprintf(T.rawdev, sizeof T.rawdev, "/dev/ixkit-test-raw-%d", (int)getpid());
	if (mknod(T.rawdev, S_IFCHR | 0600, makedev(1, 3)) < 0)
		die(T.rawdev, NULL);
	snprintf(T.hole, sizeof T.hole, "%s/blackhole", T.work);
	if (ix_blackhole(T.hole, &e) < 0)
		die("black hole", &e);
	snprintf(path, sizeof path, "%s/index.db", T.work);
	if (ixdb_open(path, IXDB_CREATE, &T.db, &e) < 0)
		die("label index", &e);
	if (ix_status_probe(NULL, &T.st, &e) < 0)
		die("status", &e);
	printf("# tier %d, kernel %s, Landlock ABI %d\n", T.st.tier, T.st.kernel, T.st.landlock_abi);
	for (int i = 0; i < T.st.nprops; i++)
		printf("# %-36s %-9s %s\n", T.st.props[i].name,
		       ix_prop_state_name(T.st.props[i].state), T.st.props[i].how);
	return 0;
}

const char *
th_comp(const char *suffix, const struct ix_label *l, bool sealed)
{
	struct ix_compart c;
	struct ix_err e;

	memset(&c, 0, sizeof c);
	snprintf(c.name, sizeof c.name, "t%d-%s", (int)getpid(), suffix);
	c.label = *l;
	c.ceiling = *l;
	c.flags = sealed ? IX_TASK_SEALED : 0;
	if (T.ncomps == TH_COMPARTS_MAX)
		die("too many compartments", NULL);
	if (ix_compart_create(&c, &e) < 0)
		die("creating a compartment", &e);
	snprintf(T.comps[T.ncomps], IX_COMPART_NAME_MAX + 1, "%s", c.name);
	return T.comps[T.ncomps++];
}

void
th_file(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	if (fd < 0 || write(fd, "data\n", 5) != 5 || fchmod(fd, mode) < 0)
		die(path, NULL);
	close(fd);
}

void
th_set_label(const char *path, const struct ix_label *l)
{
	struct ix_err e;
	int fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		die(path, NULL);
	if (ix_flabel_label(T.db, fd, l, &e) < 0)
		die(path, &e);
	close(fd);
}

enum ix_prop_state
th_prop(const char *name, const char **why)
{
	for (int i = 0; i < T.st.nprops; i++)
		if (!strcmp(T.st.props[i].name, name)) {
			if (why)
				*why = T.st.props[i].how;
			return T.st.props[i].state;
		}
	fprintf(stderr, "test_compart: status has no property '%s'\n", name);
	exit(99);
}

int
th_wait(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int
th_run(const char *comp, uid_t uid, uint64_t caps, const char *const *writable, const int *fds,
       const char *const *args, pid_t *pid, int *pidfd)
{
	char *argv[16] = { T.exe, "--probe" };
	struct ix_labelled_file *files = NULL;
	struct ix_cfexec s = { 0 };
	size_t nfiles = 0, stale = 0, nw = 0;
	struct ix_err e;
	pid_t p;
	int pfd, i;

	for (i = 0; args[i] && i < 13; i++)
		argv[2 + i] = (char *)args[i];
	while (writable && writable[nw])
		nw++;
	if (ix_flabel_index_load(T.db, &files, &nfiles, &stale, &e) < 0)
		die("loading the label index", &e);
	s.path = T.exe;
	s.argv = argv;
	for (i = 0; i < 3; i++)
		s.fds[i] = fds ? fds[i] : -1;
	s.ids.uid = uid;
	s.ids.gid = uid;
	s.caps = caps;
	s.compart = comp;
	s.writable = writable;
	s.nwritable = nw;
	s.files = files;
	s.nfiles = nfiles;
	s.blackhole = T.hole;
	if (ix_cfexec_start(&s, &p, &pfd, &e) < 0) {
		ix_flabel_index_free(files, nfiles);
		fprintf(stderr, "test_compart: starting the probe %s: %s\n", args[0], e.msg);
		return -1;
	}
	ix_flabel_index_free(files, nfiles);
	if (pid) {
		*pid = p;
		if (pidfd)
			*pidfd = pfd;
		else
			close(pfd);
		return 0;
	}
	close(pfd);
	return th_wait(p);
}
