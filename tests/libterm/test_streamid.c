/* Stream identifiers and terminal holders on real kernel objects: pipes,
 * sockets, files, /dev/null, ptys of this and of a second devpts instance,
 * masters held by (un)trusted provider binaries. Needs root, as CI has:
 * without it the tests fail, they do not skip. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "libterm/streamid.h"
#include "libterm/ttyholders.h"

#define SLEEP "/usr/bin/sleep"

/* A directory whose every ancestor is root-owned and not writable by
 * others, so that binaries copied into it can be trusted providers. */
static char safedir[] = "/run/ixkit-test-streamid-XXXXXX";
/* A directory under the world-writable /tmp. */
static char tmpdir[] = "/tmp/ixkit-test-streamid-XXXXXX";

struct pty {
	int master;
	int slave;
	unsigned int n;		/* index: the slave is /dev/pts/n */
};

static void
require_root(void)
{
	if (geteuid() != 0)
		fail_msg("test_streamid must run as root (scanning /proc, "
			 "root-owned provider binaries); CI runs it as root");
}

static void
open_pty(struct pty *p)
{
	char name[64];

	p->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	assert_true(p->master >= 0);
	assert_int_equal(grantpt(p->master), 0);
	assert_int_equal(unlockpt(p->master), 0);
	assert_int_equal(ioctl(p->master, TIOCGPTN, &p->n), 0);
	assert_int_equal(ptsname_r(p->master, name, sizeof name), 0);
	p->slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	assert_true(p->slave >= 0);
}

static void
close_pty(struct pty *p)
{
	close(p->master);
	close(p->slave);
}

static void
expect_id(int fd, const struct ix_stream_provider *prov, size_t nprov,
	  const char *want)
{
	char buf[IX_STREAM_ID_MAX];
	struct ix_err err = { 0 };

	if (ix_stream_id(fd, prov, nprov, buf, sizeof buf, &err) < 0)
		fail_msg("ix_stream_id: %s", err.msg);
	assert_string_equal(buf, want);
}

static void
pts_name(char *buf, size_t size, const struct pty *p, const char *prov)
{
	snprintf(buf, size, "/dev/pts/%u%s%s", p->n, prov ? "@" : "",
		 prov ? prov : "");
}

/* Copies /usr/bin/sleep to dir/name with the given owner and mode. */
static void
copy_sleep(char *out, size_t size, const char *dir, const char *name,
	   uid_t uid, mode_t mode)
{
	char buf[65536];
	ssize_t r;
	int in, fd;

	snprintf(out, size, "%s/%s", dir, name);
	in = open(SLEEP, O_RDONLY | O_CLOEXEC);
	assert_true(in >= 0);
	fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	assert_true(fd >= 0);
	while ((r = read(in, buf, sizeof buf)) > 0)
		assert_int_equal(write(fd, buf, (size_t)r), r);
	assert_int_equal(r, 0);
	assert_int_equal(fchown(fd, uid, 0), 0);
	assert_int_equal(fchmod(fd, mode), 0);
	close(in);
	close(fd);
}

/* Runs binary (a copy of sleep) with the pty master as its descriptor 3;
 * returns once the child runs it. */
static pid_t
spawn_holder(const char *binary, int master)
{
	struct stat want, got;
	char exe[64];
	pid_t pid;
	int i;

	assert_int_equal(stat(binary, &want), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* dup2 onto itself would keep FD_CLOEXEC. */
		if (master == 3 ? fcntl(3, F_SETFD, 0) < 0 :
		    dup2(master, 3) != 3)
			_exit(127);
		syscall(SYS_close_range, 4, ~0U, 0);
		execl(binary, "sleep", "30", (char *)NULL);
		_exit(127);
	}
	snprintf(exe, sizeof exe, "/proc/%ld/exe", (long)pid);
	for (i = 0; i < 500; i++) {
		if (stat(exe, &got) == 0 && got.st_dev == want.st_dev &&
		    got.st_ino == want.st_ino)
			return pid;
		usleep(10000);
	}
	fail_msg("%s did not start within 5 s", binary);
	return -1;
}

static void
reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static int
setup(void **state)
{
	if (mkdtemp(safedir) == NULL || mkdtemp(tmpdir) == NULL)
		return -1;
	return chmod(safedir, 0755);
}

static int
teardown(void **state)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", safedir, tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
pipe_is_pipe(void **state)
{
	int p[2];

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	expect_id(p[0], NULL, 0, "pipe");
	expect_id(p[1], NULL, 0, "pipe");
	close(p[0]);
	close(p[1]);
}

static void
socketpair_is_socket(void **state)
{
	int sp[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
				    sp), 0);
	expect_id(sp[0], NULL, 0, "socket");
	close(sp[0]);
	close(sp[1]);
}

/* Opens path with flags and expects the identifier want. */
static void
expect_path(const char *path, int flags, const char *want)
{
	int fd = open(path, flags | O_CLOEXEC, 0600);

	if (fd < 0)
		fail_msg("%s: %s", path, strerror(errno));
	expect_id(fd, NULL, 0, want);
	close(fd);
}

static void
regular_file_and_directory_are_file(void **state)
{
	expect_path(tmpdir, O_TMPFILE | O_RDWR, "file");
	expect_path("/", O_RDONLY | O_DIRECTORY, "file");
}

static void
dev_null_is_null_and_dev_zero_is_file(void **state)
{
	expect_path("/dev/null", O_RDWR, "null");
	expect_path("/dev/zero", O_RDONLY, "file");
	expect_path("/dev/null", O_PATH, "file");
}

/* Opens a console device; a machine without it is reported, loudly. */
static int
open_console(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0 && (errno == ENOENT || errno == ENXIO || errno == ENODEV)) {
		fprintf(stderr, "NOT TESTED: %s: %s (no such console here)\n",
			path, strerror(errno));
		skip();
	}
	assert_true(fd >= 0);
	return fd;
}

/* A console is named by its own path. */
static void
expect_console(const char *path)
{
	int fd;

	require_root();
	fd = open_console(path);
	expect_id(fd, NULL, 0, path);
	close(fd);
}

static void
virtual_console_is_dev_ttyn(void **state)
{
	expect_console("/dev/tty1");
}

static void
system_console_is_dev_console(void **state)
{
	expect_console("/dev/console");
}

/* O_PATH needs no permission on the node: never a terminal identity. */
static void
o_path_descriptor_is_file(void **state)
{
	struct ix_stream_provider prov[] = { { "sleepy", SLEEP } };
	char name[64];
	struct pty p;
	pid_t pid;
	int fd;

	require_root();
	fd = open("/dev/tty1", O_PATH | O_CLOEXEC);
	if (fd >= 0) {
		expect_id(fd, NULL, 0, "file");
		close(fd);
	}
	open_pty(&p);
	pid = spawn_holder(SLEEP, p.master);
	snprintf(name, sizeof name, "/dev/pts/%u", p.n);
	fd = open(name, O_PATH | O_CLOEXEC);
	assert_true(fd >= 0);
	expect_id(fd, prov, 1, "file");
	close(fd);
	reap(pid);
	close_pty(&p);
}

static void
bad_descriptor_is_an_error(void **state)
{
	char buf[IX_STREAM_ID_MAX] = "x";
	struct ix_err err = { 0 };

	assert_int_equal(ix_stream_id(-1, NULL, 0, buf, sizeof buf, &err), -1);
	assert_int_equal(err.code, IX_ESYS);
	assert_string_equal(buf, "");
}

static void
small_buffer_is_elimit(void **state)
{
	char buf[5];
	struct ix_err err = { 0 };
	int p[2];

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	assert_int_equal(ix_stream_id(p[0], NULL, 0, buf, 4, &err), -1);
	assert_int_equal(err.code, IX_ELIMIT);
	assert_int_equal(ix_stream_id(p[0], NULL, 0, buf, 5, &err), 0);
	assert_string_equal(buf, "pipe");
	close(p[0]);
	close(p[1]);
}

static void
pty_slave_is_dev_pts_n_without_provider(void **state)
{
	struct ix_stream_provider prov[] = { { "sleepy", SLEEP } };
	char want[64];
	struct pty p;

	require_root();
	open_pty(&p);
	pts_name(want, sizeof want, &p, NULL);
	expect_id(p.slave, NULL, 0, want);
	/* The test binary holds the master, and it is not a provider. */
	expect_id(p.slave, prov, 1, want);
	close_pty(&p);
}

static void
pty_master_is_file(void **state)
{
	struct pty p;

	open_pty(&p);
	expect_id(p.master, NULL, 0, "file");
	close_pty(&p);
}

static void
provider_holding_master_is_appended(void **state)
{
	struct ix_stream_provider prov[] = {
		{ "nobody-holds", "/usr/bin/true" },
		{ "sleepy", SLEEP },
	};
	char want[64];
	struct pty p;
	pid_t pid;

	require_root();
	open_pty(&p);
	/* Holding the slave, as any program run on the terminal does, is
	 * not providing it. */
	pid = spawn_holder(SLEEP, p.slave);
	pts_name(want, sizeof want, &p, NULL);
	expect_id(p.slave, prov, 2, want);
	reap(pid);
	pid = spawn_holder(SLEEP, p.master);
	pts_name(want, sizeof want, &p, "sleepy");
	expect_id(p.slave, prov, 2, want);
	reap(pid);
	/* Once the provider is gone the stream is a bare pty again. */
	pts_name(want, sizeof want, &p, NULL);
	expect_id(p.slave, prov, 2, want);
	close_pty(&p);
}

static void
first_provider_in_order_wins(void **state)
{
	char copy[256], want[64];
	struct pty p;
	pid_t a, b;

	require_root();
	copy_sleep(copy, sizeof copy, safedir, "sleep-order", 0, 0755);
	struct ix_stream_provider copy_first[] = {
		{ "copy", copy }, { "sleepy", SLEEP } };
	struct ix_stream_provider sleep_first[] = {
		{ "sleepy", SLEEP }, { "copy", copy } };
	struct ix_stream_provider same_twice[] = {
		{ "one", SLEEP }, { "two", SLEEP } };

	open_pty(&p);
	a = spawn_holder(SLEEP, p.master);
	b = spawn_holder(copy, p.master);
	pts_name(want, sizeof want, &p, "copy");
	expect_id(p.slave, copy_first, 2, want);
	pts_name(want, sizeof want, &p, "sleepy");
	expect_id(p.slave, sleep_first, 2, want);
	pts_name(want, sizeof want, &p, "one");
	expect_id(p.slave, same_twice, 2, want);
	reap(a);
	reap(b);
	close_pty(&p);
}

/* The copy run by a holder is trusted only when it is a trustworthy file:
 * checked both ways, through ix_stream_id and ix_stream_providers_check. */
static void
expect_untrusted(const char *binary, const char *why)
{
	struct ix_stream_provider prov[] = { { "fake", binary } };
	struct ix_err err = { 0 };
	char want[64];
	struct pty p;
	pid_t pid;

	open_pty(&p);
	pid = spawn_holder(binary, p.master);
	pts_name(want, sizeof want, &p, NULL);
	expect_id(p.slave, prov, 1, want);
	reap(pid);
	close_pty(&p);
	assert_int_equal(ix_stream_providers_check(prov, 1, &err), -1);
	assert_int_equal(err.code, IX_EINVAL);
	if (strstr(err.msg, why) == NULL || strstr(err.msg, "'fake'") == NULL)
		fail_msg("error '%s' should name 'fake' and say '%s'", err.msg,
			 why);
}

static void
untrusted_provider_binaries_are_ignored(void **state)
{
	struct ix_stream_provider good[1];
	struct ix_err err = { 0 };
	char path[256], want[64];
	struct pty p;
	pid_t pid;

	require_root();
	/* Control: the same kind of copy, safe, is trusted. */
	copy_sleep(path, sizeof path, safedir, "sleep-ok", 0, 0755);
	good[0] = (struct ix_stream_provider){ "fake", path };
	assert_int_equal(ix_stream_providers_check(good, 1, &err), 0);
	open_pty(&p);
	pid = spawn_holder(path, p.master);
	pts_name(want, sizeof want, &p, "fake");
	expect_id(p.slave, good, 1, want);
	reap(pid);
	close_pty(&p);

	copy_sleep(path, sizeof path, safedir, "sleep-gw", 0, 0775);
	expect_untrusted(path, "file 'sleep-gw' is not owned by root or is "
			 "writable by group or other");
	copy_sleep(path, sizeof path, safedir, "sleep-nobody", 65534, 0755);
	expect_untrusted(path, "file 'sleep-nobody' is not owned by root");
	copy_sleep(path, sizeof path, tmpdir, "sleep-tmp", 0, 0755);
	expect_untrusted(path, "directory 'tmp' is not owned by root or is "
			 "writable by group or other");
}

static void
provider_paths_and_names_are_checked(void **state)
{
	char link[256];
	struct ix_err err = { 0 };
	struct ix_stream_provider bad[][1] = {
		{ { "sleepy", "usr/bin/sleep" } },
		{ { "sleepy", "/usr/bin/../bin/sleep" } },
		{ { "sleepy", "/usr/bin/sleep/" } },
		{ { "ssh d", SLEEP } },
		{ { "", SLEEP } },
		{ { "sleepy", "/usr/bin" } },
		{ { "sleepy", "/nonexistent/sleep" } },
	};
	const char *why[] = { "absolute", "'..'", "ends with '/'",
			      "only letters", "1 to 32", "not a regular file",
			      "No such file" };
	size_t i;

	require_root();
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(ix_stream_providers_check(bad[i], 1, &err), -1);
		if (strstr(err.msg, why[i]) == NULL)
			fail_msg("provider %zu: '%s' lacks '%s'", i, err.msg,
				 why[i]);
	}
	snprintf(link, sizeof link, "%s/sleep-link", safedir);
	assert_int_equal(symlink(SLEEP, link), 0);
	struct ix_stream_provider viasym[] = { { "sleepy", link } };
	assert_int_equal(ix_stream_providers_check(viasym, 1, &err), -1);
	assert_non_null(strstr(err.msg, "symbolic links are refused"));
	/* An intermediate symlink (the directory itself). */
	snprintf(link, sizeof link, "%s/bin-link", safedir);
	assert_int_equal(symlink("/usr/bin", link), 0);
	strcat(link, "/sleep");
	assert_int_equal(ix_stream_providers_check(viasym, 1, &err), -1);
	assert_non_null(strstr(err.msg, "symbolic links are refused"));
	struct ix_stream_provider ok[] = { { "sleepy", SLEEP },
					   { "a.b_c-9", "/usr/bin/true" } };
	assert_int_equal(ix_stream_providers_check(ok, 2, &err), 0);
}

/* Moves the holders that could be read to the front; returns their count.
 * Opaque ones (processes out of the caller's reach, such as a sandbox's
 * init) depend on the machine. */
static size_t
readable(struct ix_tty_holder *h, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (!h[i].opaque)
			h[k++] = h[i];
	return k;
}

/* A child that prepares itself, then waits until released. */
struct paused {
	pid_t pid;
	int ready[2];		/* child -> parent: prepared */
	int go[2];		/* parent -> child: exit now */
};

/* Forks; the child runs prep(arg) (0 or -1) and waits. Returns once the
 * child is prepared. */
static void
pause_child(struct paused *c, int (*prep)(void *), void *arg)
{
	char b;

	assert_int_equal(pipe2(c->ready, O_CLOEXEC), 0);
	assert_int_equal(pipe2(c->go, O_CLOEXEC), 0);
	c->pid = fork();
	assert_true(c->pid >= 0);
	if (c->pid == 0) {
		alarm(30);	/* never outlive a failed test */
		if (prep(arg) < 0 || write(c->ready[1], "r", 1) != 1 ||
		    read(c->go[0], &b, 1) < 0)
			_exit(1);
		_exit(0);
	}
	if (read(c->ready[0], &b, 1) != 1)
		fail_msg("the child failed to prepare");
}

static void
release_child(struct paused *c)
{
	assert_int_equal(write(c->go[1], "g", 1), 1);
	waitpid(c->pid, NULL, 0);
	close(c->ready[0]);
	close(c->ready[1]);
	close(c->go[0]);
	close(c->go[1]);
}

static int
own_session_slave_only(void *arg)
{
	const struct pty *p = arg;

	close(p->master);
	return setsid() < 0 ? -1 : 0;
}

static void
holders_list_master_and_slave_with_sessions(void **state)
{
	struct ix_tty_holder h[64];
	struct ix_err err = { 0 };
	struct stat self;
	struct paused c;
	struct pty p;
	size_t n, i, seen = 0;

	require_root();
	open_pty(&p);
	assert_int_equal(stat("/proc/self/exe", &self), 0);
	pause_child(&c, own_session_slave_only, &p);
	if (ix_tty_holders(p.slave, h, 64, &n, &err) < 0)
		fail_msg("ix_tty_holders: %s", err.msg);
	n = readable(h, n);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		assert_false(h[i].unsure);
		if (h[i].pid == getpid() && h[i].fd == p.master) {
			assert_true(h[i].master);
			assert_int_equal(h[i].sid, getsid(0));
			assert_int_equal(h[i].exe_dev, self.st_dev);
			assert_int_equal(h[i].exe_ino, self.st_ino);
			seen |= 1;
		} else if (h[i].pid == getpid() && h[i].fd == p.slave) {
			assert_false(h[i].master);
			seen |= 2;
		} else if (h[i].pid == c.pid && h[i].fd == p.slave) {
			assert_false(h[i].master);
			assert_int_equal(h[i].sid, c.pid);
			seen |= 4;
		} else {
			fail_msg("unexpected holder pid %ld fd %d",
				 (long)h[i].pid, h[i].fd);
		}
	}
	assert_int_equal(seen, 7);
	release_child(&c);
	close_pty(&p);
}

static void
holders_beyond_max_is_elimit(void **state)
{
	struct ix_tty_holder h[1];
	struct ix_err err = { 0 };
	struct pty p;
	size_t n;

	require_root();
	open_pty(&p);
	assert_int_equal(ix_tty_holders(p.slave, h, 1, &n, &err), -1);
	assert_int_equal(err.code, IX_ELIMIT);
	assert_true(n >= 2);
	assert_non_null(strstr(err.msg, "room for 1"));
	close_pty(&p);
}

static void
o_path_descriptor_does_not_hold(void **state)
{
	struct ix_tty_holder h[64];
	struct ix_err err = { 0 };
	char name[64];
	struct pty p;
	size_t n;
	int o;

	require_root();
	open_pty(&p);
	snprintf(name, sizeof name, "/dev/pts/%u", p.n);
	o = open(name, O_PATH | O_CLOEXEC);
	assert_true(o >= 0);
	assert_int_equal(ix_tty_holders(p.slave, h, 64, &n, &err), 0);
	n = readable(h, n);
	assert_int_equal(n, 2);
	assert_true(h[0].fd != o && h[1].fd != o);
	close(o);
	close_pty(&p);
}

static int
chroot_safedir(void *arg)
{
	return chroot(safedir) < 0 || chdir("/") < 0 ? -1 : 0;
}

/* A chrooted process holding a master opened outside its root: the link
 * text is relative to the scanner's root, and the master is confirmed. */
static void
chrooted_master_holder_is_confirmed(void **state)
{
	struct ix_tty_holder h[64];
	struct ix_err err = { 0 };
	struct paused c;
	struct pty p;
	size_t n, i;
	bool seen = false;

	require_root();
	open_pty(&p);
	pause_child(&c, chroot_safedir, NULL);
	assert_int_equal(ix_tty_holders(p.slave, h, 64, &n, &err), 0);
	for (i = 0; i < n; i++)
		if (h[i].pid == c.pid && h[i].fd == p.master) {
			assert_true(h[i].master);
			assert_false(h[i].unsure);
			seen = true;
		}
	assert_true(seen);
	release_child(&c);
	close_pty(&p);
}

struct thread_arg {
	const char *name;
	int fd;			/* the thread's own descriptor on the slave */
	pid_t tid;
	int ready[2], go[2];
};

static void *
own_table_thread(void *v)
{
	struct thread_arg *a = v;
	char c;

	a->tid = (pid_t)syscall(SYS_gettid);
	if (unshare(CLONE_FILES) == 0)
		a->fd = open(a->name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (write(a->ready[1], "r", 1) == 1 && read(a->go[0], &c, 1) < 0)
		a->fd = -2;
	if (a->fd >= 0)
		close(a->fd);
	return NULL;
}

static void
holders_include_thread_with_own_table(void **state)
{
	struct thread_arg a = { .fd = -1 };
	struct ix_tty_holder h[64];
	struct ix_err err = { 0 };
	char name[64], c;
	struct pty p;
	pthread_t t;
	size_t n, i;
	bool seen = false;

	require_root();
	open_pty(&p);
	snprintf(name, sizeof name, "/dev/pts/%u", p.n);
	a.name = name;
	assert_int_equal(pipe2(a.ready, O_CLOEXEC), 0);
	assert_int_equal(pipe2(a.go, O_CLOEXEC), 0);
	assert_int_equal(pthread_create(&t, NULL, own_table_thread, &a), 0);
	assert_int_equal(read(a.ready[0], &c, 1), 1);
	assert_true(a.fd >= 0);
	assert_int_equal(ix_tty_holders(p.slave, h, 64, &n, &err), 0);
	n = readable(h, n);
	for (i = 0; i < n; i++)
		if (h[i].pid == a.tid && h[i].fd == a.fd && !h[i].master)
			seen = true;
	assert_true(seen);
	/* The main table (master, slave) and the thread's own copy of it
	 * plus its new descriptor; the shared table is not listed again. */
	assert_int_equal(n, 5);
	assert_int_equal(write(a.go[1], "g", 1), 1);
	pthread_join(t, NULL);
	close(a.ready[0]);
	close(a.ready[1]);
	close(a.go[0]);
	close(a.go[1]);
	close_pty(&p);
}

/* As uid 65534: root processes cannot be read, so each one is an opaque
 * holder (the parent test process at least), never silently left out;
 * the caller's own descriptors are listed; no provider is trusted. */
static const char *
unprivileged_scan(pid_t parent)
{
	struct ix_stream_provider prov[] = { { "sleepy", SLEEP } };
	static struct ix_tty_holder h[4096];	/* every root process */
	char want[64], id[IX_STREAM_ID_MAX];
	static char why[IX_ERR_MSG_MAX + 32];
	struct ix_err err;
	bool parent_opaque = false;
	size_t n, i, own = 0;
	struct pty p;

	if (setresgid(65534, 65534, 65534) < 0 ||
	    setresuid(65534, 65534, 65534) < 0)
		return "dropping to uid 65534";
	p.master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p.master < 0 || grantpt(p.master) < 0 || unlockpt(p.master) < 0 ||
	    ioctl(p.master, TIOCGPTN, &p.n) < 0)
		return "opening a pty";
	snprintf(want, sizeof want, "/dev/pts/%u", p.n);
	p.slave = open(want, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (p.slave < 0)
		return "opening the slave";
	if (ix_tty_holders(p.slave, h, 4096, &n, &err) < 0) {
		snprintf(why, sizeof why, "ix_tty_holders: %s", err.msg);
		return why;
	}
	for (i = 0; i < n; i++) {
		if (h[i].opaque && h[i].pid == parent && h[i].fd == -1)
			parent_opaque = true;
		if (!h[i].opaque && h[i].pid == getpid())
			own++;
	}
	if (!parent_opaque)
		return "the root parent is not an opaque holder";
	if (own != 2)
		return "the caller's own master and slave are not both listed";
	if (ix_stream_id(p.slave, prov, 1, id, sizeof id, &err) < 0)
		return "ix_stream_id failed";
	if (strcmp(id, want) != 0)
		return "wrong stream id";
	return NULL;
}

/* Runs fn in a child; fails with its message when it returns one. */
static void
in_child(const char *(*fn)(const void *), const void *arg)
{
	char msg[256] = "";
	const char *why;
	int rp[2], st;
	ssize_t r;
	pid_t pid;

	assert_int_equal(pipe2(rp, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(30);
		why = fn(arg);
		if (why && write(rp[1], why, strlen(why)) < 0)
			_exit(2);
		_exit(why ? 1 : 0);
	}
	close(rp[1]);
	r = read(rp[0], msg, sizeof msg - 1);
	msg[r > 0 ? r : 0] = '\0';
	close(rp[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("in a child: %s (status %#x)", msg, st);
}

static const char *
unprivileged_scan_fn(const void *arg)
{
	return unprivileged_scan(*(const pid_t *)arg);
}

static void
unreadable_processes_are_opaque_holders(void **state)
{
	pid_t self = getpid();

	require_root();
	in_child(unprivileged_scan_fn, &self);
}

static void
holders_refuse_non_terminals_and_masters(void **state)
{
	struct ix_tty_holder h[2];
	struct ix_err err = { 0 };
	struct pty p;
	size_t n;
	int pp[2];

	assert_int_equal(pipe2(pp, O_CLOEXEC), 0);
	assert_int_equal(ix_tty_holders(pp[0], h, 2, &n, &err), -1);
	assert_int_equal(err.code, IX_EINVAL);
	open_pty(&p);
	assert_int_equal(ix_tty_holders(p.master, h, 2, &n, &err), -1);
	assert_int_equal(err.code, IX_EINVAL);
	assert_non_null(strstr(err.msg, "pty master"));
	close_pty(&p);
	close(pp[0]);
	close(pp[1]);
}

/*
 * In a private mount namespace, a second devpts instance at dir: a pty
 * there with the same index as the host pty hp. Its slave is not the
 * host's /dev/pts/N; the masters of the two are never confused. Returns
 * NULL or what went wrong.
 */
static const char *
other_instance(const struct pty *hp, const char *dir)
{
	struct ix_stream_provider prov[] = { { "sleepy", SLEEP } };
	struct ix_tty_holder h[64];
	char ptmx[256], name[256], id[IX_STREAM_ID_MAX];
	struct ix_err err;
	int m = -1, s, i;
	unsigned int n = 0;
	size_t k, j;

	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("devpts", dir, "devpts", 0, "newinstance,ptmxmode=0666") < 0)
		return "mounting a new devpts instance";
	snprintf(ptmx, sizeof ptmx, "%s/ptmx", dir);
	/* Open ptys there (leaking the lower ones) up to the host index. */
	for (i = 0; i <= 64; i++) {
		m = open(ptmx, O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (m < 0 || ioctl(m, TIOCGPTN, &n) < 0)
			return "opening the new ptmx";
		if (n == hp->n)
			break;
	}
	if (n != hp->n)
		return "no pty with the host pty's index";
	n = 0;
	if (ioctl(m, TIOCSPTLCK, &n) < 0)
		return "unlocking";
	snprintf(name, sizeof name, "%s/%u", dir, hp->n);
	s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s < 0)
		return "opening the other slave";
	if (ix_stream_id(s, prov, 1, id, sizeof id, &err) < 0)
		return "ix_stream_id failed";
	if (strcmp(id, "file") != 0)
		return "a slave of another devpts instance is not 'file'";
	/* Holders of the other slave: its master m and s, not hp->master. */
	if (ix_tty_holders(s, h, 64, &k, &err) < 0)
		return "ix_tty_holders of the other slave failed";
	k = readable(h, k);
	if (k != 2)
		return "the other slave does not have exactly two holders";
	for (j = 0; j < k; j++)
		if (h[j].unsure || (h[j].master ? h[j].fd != m : h[j].fd != s))
			return "wrong holder of the other slave";
	/* Holders of the host slave: hp->master (via /dev/ptmx and its
	 * sibling /dev/pts) and hp->slave, in the parent and in this child,
	 * not m. */
	if (ix_tty_holders(hp->slave, h, 64, &k, &err) < 0)
		return "ix_tty_holders of the host slave failed";
	k = readable(h, k);
	if (k != 4)
		return "the host slave does not have exactly four holders";
	for (j = 0; j < k; j++)
		if (h[j].unsure || (h[j].master ? h[j].fd != hp->master :
				    h[j].fd != hp->slave))
			return "wrong holder of the host slave";
	return NULL;
}

struct other_arg {
	const struct pty *p;
	const char *dir;
};

static const char *
other_instance_fn(const void *v)
{
	const struct other_arg *a = v;

	return other_instance(a->p, a->dir);
}

static void
other_devpts_instance_is_file_and_kept_apart(void **state)
{
	struct other_arg a;
	char dir[300];
	struct pty p;

	require_root();
	open_pty(&p);
	snprintf(dir, sizeof dir, "%s/pts", safedir);
	assert_int_equal(mkdir(dir, 0755), 0);
	a = (struct other_arg){ .p = &p, .dir = dir };
	in_child(other_instance_fn, &a);
	rmdir(dir);
	close_pty(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pipe_is_pipe),
		cmocka_unit_test(socketpair_is_socket),
		cmocka_unit_test(regular_file_and_directory_are_file),
		cmocka_unit_test(dev_null_is_null_and_dev_zero_is_file),
		cmocka_unit_test(virtual_console_is_dev_ttyn),
		cmocka_unit_test(system_console_is_dev_console),
		cmocka_unit_test(o_path_descriptor_is_file),
		cmocka_unit_test(bad_descriptor_is_an_error),
		cmocka_unit_test(small_buffer_is_elimit),
		cmocka_unit_test(pty_slave_is_dev_pts_n_without_provider),
		cmocka_unit_test(pty_master_is_file),
		cmocka_unit_test(provider_holding_master_is_appended),
		cmocka_unit_test(first_provider_in_order_wins),
		cmocka_unit_test(untrusted_provider_binaries_are_ignored),
		cmocka_unit_test(provider_paths_and_names_are_checked),
		cmocka_unit_test(holders_list_master_and_slave_with_sessions),
		cmocka_unit_test(holders_beyond_max_is_elimit),
		cmocka_unit_test(o_path_descriptor_does_not_hold),
		cmocka_unit_test(holders_include_thread_with_own_table),
		cmocka_unit_test(chrooted_master_holder_is_confirmed),
		cmocka_unit_test(unreadable_processes_are_opaque_holders),
		cmocka_unit_test(holders_refuse_non_terminals_and_masters),
		cmocka_unit_test(other_devpts_instance_is_file_and_kept_apart),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
