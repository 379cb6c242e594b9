/* The private path check and passwdd's prompts on real kernel objects:
 * ptys whose master is held by a (copy of a) provider binary, a client in
 * its own session with the slave as controlling terminal, holders inside
 * and outside that session, a person typing through the master.
 * Needs root, as CI has: without it the tests fail, they do not skip.
 * Changes dev.tty.legacy_tiocsti around each test and writes the previous
 * value back in the test's teardown and at exit, holding TIOCSTI_LOCK so
 * that other tests changing it (scenario tests) wait their turn. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <arpa/inet.h>
#include <grp.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "libterm/pex.h"
#include "libterm/prompt.h"

#define SLEEP "/usr/bin/sleep"
#define CLIENT_UID 4242		/* the clients' uid, in no /etc/passwd */
/* The next client is set-uid root, as su is (real uid CLIENT_UID), or
 * root itself. */
static bool setuid_root, root_client;
#define SYSCTL "/proc/sys/dev/tty/legacy_tiocsti"
/* Held (flock) by every test that changes SYSCTL, for as long as it runs. */
#define TIOCSTI_LOCK "/tmp/ixkit-tiocsti.lock"
#define SECRET_MAX 64

/* A directory whose ancestors are root-owned and not writable by others. */
static char safedir[] = "/run/ixkit-test-pex-XXXXXX";
/* A directory under the world-writable /tmp. */
static char tmpdir[] = "/tmp/ixkit-test-pex-XXXXXX";
/* legacy_tiocsti as found, -1 while unknown. */
static int tiocsti_found = -1;

static const struct ix_stream_provider sleep_prov[] = {
	{ "sleep", SLEEP },
};

/* One pty, a trusted provider on its master, a client session on it. */
struct world {
	int master;
	int slave;		/* the test's own descriptor: the party's fd */
	char pts[32];		/* /dev/pts/N */
	pid_t provider;		/* runs SLEEP with the master, 0 if none */
	pid_t client;		/* session leader, slave as its terminal */
	int client_pidfd;
	int cmd;		/* commands to the client (spawn_client) */
	int ack;		/* its answers */
	pid_t extra[4];		/* other processes to kill at the end */
};

static void
require_root(void)
{
	if (geteuid() != 0)
		fail_msg("test_pex must run as root (scanning /proc, sessions, "
			 "root-owned provider binaries); CI runs it as root");
}

static int
tiocsti_read(void)
{
	char buf[8] = "";
	int fd = open(SYSCTL, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);

	if (fd >= 0)
		close(fd);
	return n > 0 ? buf[0] - '0' : -1;
}

static void
tiocsti_write(int v)
{
	char c = (char)('0' + v);
	int fd = open(SYSCTL, O_WRONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, &c, 1), 1);
	close(fd);
	assert_int_equal(tiocsti_read(), v);
}

static void
tiocsti_restore(void)
{
	if (tiocsti_found >= 0)
		tiocsti_write(tiocsti_found);
}

/* Moves fd above the numbers a child rearranges. */
static int
high(int fd)
{
	int h = fcntl(fd, F_DUPFD_CLOEXEC, 64);

	assert_true(h >= 64);
	close(fd);
	return h;
}

static void
wait_until(bool (*cond)(pid_t, const void *), pid_t pid, const void *arg,
	   const char *what)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (cond(pid, arg))
			return;
		usleep(10000);
	}
	fail_msg("pid %d: %s did not happen within 5 s", (int)pid, what);
}

static bool
runs(pid_t pid, const void *arg)
{
	const struct stat *want = arg;
	struct stat got;
	char exe[64];

	snprintf(exe, sizeof exe, "/proc/%d/exe", (int)pid);
	return stat(exe, &got) == 0 && got.st_dev == want->st_dev &&
	       got.st_ino == want->st_ino;
}

/* Runs binary ("sleep 60") holding fd as its descriptor 3 and nothing
 * else of ours; returns once it runs binary. */
static pid_t
spawn_holder(const char *binary, int fd)
{
	struct stat want;
	pid_t pid;

	assert_int_equal(stat(binary, &want), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* dup2 onto itself would keep FD_CLOEXEC. */
		if (fd == 3 ? fcntl(3, F_SETFD, 0) < 0 : dup2(fd, 3) != 3)
			_exit(127);
		syscall(SYS_close_range, 4, ~0U, 0);
		execl(binary, "sleep", "60", (char *)NULL);
		_exit(127);
	}
	wait_until(runs, pid, &want, "exec");
	return pid;
}

static void
reap(pid_t *pid)
{
	if (*pid > 0) {
		kill(*pid, SIGKILL);
		waitpid(*pid, NULL, 0);
	}
	*pid = 0;
}

static bool
has_ctty(pid_t pid, const void *arg)
{
	char path[64], buf[512];
	const char *p;
	int fd, sid = 0, tty = 0;
	ssize_t n;

	(void)arg;
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p != NULL && sscanf(p + 1, " %*c %*d %*d %d %d", &sid, &tty) == 2 &&
	       sid == pid && tty != 0;
}

/*
 * The client: a new session whose controlling terminal is slave (unless
 * ctty is false), the slave as its standard descriptors and nothing else.
 * Commands on cmd: 'o' opens its terminal by name once more and keeps it,
 * 'f' forks a child that stays in its process group, 'F' one that does
 * and closes the terminal (a member of the group holding nothing), 'b'
 * one that gets a group of its own (a background job); 'g' gives the
 * foreground to the last 'b' child's group, 'G' takes it back to the
 * client's own group (as a job-control shell does, SIGTTOU ignored); each
 * is answered on ack with the child's pid (0 for 'o', 'g', 'G').
 */
static void
spawn_client(struct world *w, int slave, bool ctty)
{
	int cmd[2], ack[2];
	pid_t pid;

	assert_int_equal(pipe2(cmd, O_CLOEXEC), 0);
	assert_int_equal(pipe2(ack, O_CLOEXEC), 0);
	cmd[0] = high(cmd[0]);
	ack[1] = high(ack[1]);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char c;

		/* A person's client: an unprivileged uid, no capabilities
		 * (a root client could drive any provider, provider.h). */
		if (setsid() < 0 || (ctty && ioctl(slave, TIOCSCTTY, 0) < 0) ||
		    dup2(slave, 0) != 0 || dup2(slave, 1) != 1 ||
		    dup2(slave, 2) != 2 || dup2(cmd[0], 3) != 3 ||
		    dup2(ack[1], 4) != 4 || (!root_client && (setgroups(0, NULL) < 0 ||
		    setresgid(CLIENT_UID, CLIENT_UID, CLIENT_UID) < 0 ||
		    setresuid(CLIENT_UID, setuid_root ? 0 : CLIENT_UID,
			      setuid_root ? 0 : CLIENT_UID) < 0)))
			_exit(127);
		syscall(SYS_close_range, 5, ~0U, 0);
		signal(SIGTTOU, SIG_IGN);
		while (read(3, &c, 1) == 1) {
			static pid_t job;
			pid_t kid = 0;

			if (c == 'o' && open(w->pts, O_RDWR | O_NOCTTY) < 0)
				_exit(126);
			/* A new descriptor on the terminal without opening it
			 * anew, which the prompt's 0600 root owner forbids. */
			if (c == 'd' && fcntl(0, F_DUPFD, 10) < 0)
				_exit(126);
			if ((c == 'g' && tcsetpgrp(0, job) < 0) ||
			    (c == 'G' && tcsetpgrp(0, getpgrp()) < 0))
				_exit(126);
			if (strchr("fFb", c) != NULL && (kid = fork()) == 0) {
				close(3);
				close(4);
				if (c == 'F')
					syscall(SYS_close_range, 0, 2, 0);
				for (;;)
					pause();
			}
			/* As a shell starts a job: its own group, both sides. */
			if (c == 'b' && kid > 0 && setpgid(kid, kid) < 0)
				_exit(126);
			if (c == 'b')
				job = kid;
			if (kid < 0 || write(4, &kid, sizeof kid) != sizeof kid)
				_exit(126);
		}
		_exit(0);
	}
	close(cmd[0]);
	close(ack[1]);
	w->cmd = cmd[1];
	w->ack = ack[0];
	w->client = pid;
	if (ctty)
		wait_until(has_ctty, pid, NULL, "setsid and TIOCSCTTY");
	w->client_pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	assert_true(w->client_pidfd >= 0);
}

/* Sends the client command c; returns its answer. */
static pid_t
client_do(struct world *w, char c)
{
	pid_t pid;

	assert_int_equal(write(w->cmd, &c, 1), 1);
	assert_int_equal(read(w->ack, &pid, sizeof pid), sizeof pid);
	return pid;
}

static void
open_pty(struct world *w)
{
	unsigned int n;

	w->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	assert_true(w->master >= 0);
	assert_int_equal(grantpt(w->master), 0);
	assert_int_equal(unlockpt(w->master), 0);
	assert_int_equal(ioctl(w->master, TIOCGPTN, &n), 0);
	snprintf(w->pts, sizeof w->pts, "/dev/pts/%u", n);
	w->slave = open(w->pts, O_RDWR | O_NOCTTY | O_CLOEXEC);
	assert_true(w->slave >= 0);
	/* As login gives a person's terminal to the person. */
	assert_int_equal(fchown(w->slave, CLIENT_UID, 5), 0);
}

/* A pty, a provider running prov_binary on its master (NULL: none), and a
 * client whose controlling terminal it is. */
static void
make_world(struct world *w, const char *prov_binary)
{
	memset(w, 0, sizeof *w);
	open_pty(w);
	if (prov_binary != NULL)
		w->provider = spawn_holder(prov_binary, w->master);
	spawn_client(w, w->slave, true);
}

static void
end_world(struct world *w)
{
	size_t i;

	reap(&w->provider);
	reap(&w->client);
	for (i = 0; i < sizeof w->extra / sizeof w->extra[0]; i++)
		reap(&w->extra[i]);
	close(w->client_pidfd);
	close(w->cmd);
	close(w->ack);
	close(w->master);
	close(w->slave);
}

static struct ix_pex_req
req_of(const struct world *w, const struct ix_stream_provider *prov,
       size_t nprov)
{
	return (struct ix_pex_req){ .fd = w->slave, .client_pid = w->client,
		.client_pidfd = w->client_pidfd, .prov = prov, .nprov = nprov };
}

/* Runs check (pex or one of its parts) and checks its verdict and, when
 * refused, that why holds want. */
static void
expect_verdict(int (*check)(const struct ix_pex_req *, char *, size_t, struct ix_err *),
	       const struct ix_pex_req *r, int verdict, const char *want)
{
	char why[IX_PEX_WHY_MAX];
	struct ix_err err = { 0 };
	int rc = check(r, why, sizeof why, &err);

	if (rc < 0)
		fail_msg("pex failed: %s", err.msg);
	if (rc != verdict)
		fail_msg("pex returned %d, wanted %d (reason: '%s')", rc,
			 verdict, why);
	if (verdict == 1)
		assert_string_equal(why, "");
	else if (strstr(why, want) == NULL)
		fail_msg("reason '%s' does not say '%s'", why, want);
}

static void
expect_pex(const struct ix_pex_req *r, int verdict, const char *want)
{
	expect_verdict(ix_pex_check, r, verdict, want);
}

static int
setup_group(void **state)
{
	(void)state;
	atexit(tiocsti_restore);
	if (mkdtemp(safedir) == NULL || mkdtemp(tmpdir) == NULL)
		return -1;
	return chmod(safedir, 0755);
}

static int
teardown_group(void **state)
{
	char cmd[256];

	(void)state;
	tiocsti_restore();
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", safedir, tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Each test starts with TIOCSTI off, as pex requires, and ends with the
 * value found. */
static int
setup(void **state)
{
	static struct world w;

	require_root();
	if (tiocsti_found < 0)
		fail_msg("%s is missing: this kernel predates 6.2", SYSCTL);
	tiocsti_write(0);
	memset(&w, 0, sizeof w);
	w.client_pidfd = w.cmd = w.ack = w.master = w.slave = -1;
	*state = &w;
	return 0;
}

static int
teardown(void **state)
{
	struct world *w = *state;

	end_world(w);
	tiocsti_restore();
	return 0;
}

/* --- pex --- */

static void
pex_passes_own_terminal_with_trusted_provider(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;

	make_world(w, SLEEP);
	r = req_of(w, sleep_prov, 1);
	expect_pex(&r, 1, NULL);
}

static void
pex_refuses_master_held_by_unlisted_binary(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;
	char want[64];

	make_world(w, SLEEP);
	r = req_of(w, NULL, 0);
	snprintf(want, sizeof want, "pty master is held by pid %d, which is "
		 "not a trusted", (int)w->provider);
	expect_pex(&r, 0, want);
}

static void
pex_refuses_pty_without_provider_on_master(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;

	/* Only the checker itself holds the master: no provider at all. */
	make_world(w, NULL);
	r = req_of(w, sleep_prov, 1);
	expect_pex(&r, 0, "no trusted terminal provider holds the pty master");
}

static void
pex_refuses_slave_held_outside_session(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;
	char want[64];

	make_world(w, SLEEP);
	/* A process of the test's own session keeps the slave open. */
	w->extra[0] = spawn_holder(SLEEP, w->slave);
	r = req_of(w, sleep_prov, 1);
	snprintf(want, sizeof want, "terminal held by pid %d outside your "
		 "session", (int)w->extra[0]);
	expect_pex(&r, 0, want);
}

/* A server that forwarded the descriptor (privd asking passwdd) holds the
 * slave outside the client's session: allowed when named as a relay, on
 * the slave only, and only that process. */
static void
pex_passes_slave_held_by_named_relay(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;
	struct ix_pex_relay relays[2];
	char want[64];

	make_world(w, SLEEP);
	w->extra[0] = spawn_holder(SLEEP, w->slave);
	r = req_of(w, sleep_prov, 1);
	relays[0].pid = w->extra[0];
	relays[0].pidfd = (int)syscall(SYS_pidfd_open, w->extra[0], 0);
	assert_true(relays[0].pidfd >= 0);
	relays[1].pidfd = -1;
	r.relays = relays;
	r.nrelays = 1;
	expect_pex(&r, 1, NULL);
	/* Another outsider is still refused, relay or not. */
	w->extra[1] = spawn_holder(SLEEP, w->slave);
	snprintf(want, sizeof want, "terminal held by pid %d outside your "
		 "session", (int)w->extra[1]);
	expect_pex(&r, 0, want);
	/* A relay on the master side is no provider. */
	reap(&w->extra[1]);
	relays[1].pid = w->provider;
	relays[1].pidfd = (int)syscall(SYS_pidfd_open, w->provider, 0);
	assert_true(relays[1].pidfd >= 0);
	r.nrelays = 2;
	r.prov = NULL;
	r.nprov = 0;
	snprintf(want, sizeof want, "pty master is held by pid %d, which is "
		 "not a trusted", (int)w->provider);
	expect_pex(&r, 0, want);
	close(relays[0].pidfd);
	close(relays[1].pidfd);
}

/* A relay is its pidfd's process, not a pid: a holder whose pid is named
 * with the pidfd of another process (as when the relay exited and its pid
 * was reused) excuses nothing; a relay without a pidfd is an error. */
static void
pex_relay_is_confirmed_by_pidfd(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;
	struct ix_pex_relay relay;
	struct ix_err e;
	char why[IX_PEX_WHY_MAX];
	char want[80];

	make_world(w, SLEEP);
	w->extra[0] = spawn_holder(SLEEP, w->slave);
	r = req_of(w, sleep_prov, 1);
	relay.pid = w->extra[0];
	relay.pidfd = (int)syscall(SYS_pidfd_open, w->provider, 0);
	assert_true(relay.pidfd >= 0);
	r.relays = &relay;
	r.nrelays = 1;
	snprintf(want, sizeof want, "the server that passed your terminal "
		 "(pid %d) has exited", (int)w->extra[0]);
	expect_pex(&r, 0, want);
	close(relay.pidfd);
	relay.pidfd = -1;
	assert_int_equal(ix_pex_check(&r, why, sizeof why, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
}

static void
pex_passes_virtual_console_without_provider(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;
	int fd = open("/dev/tty1", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0 && (errno == ENOENT || errno == ENXIO || errno == ENODEV)) {
		fprintf(stderr, "NOT TESTED: /dev/tty1: %s (no virtual "
			"console here)\n", strerror(errno));
		skip();
	}
	assert_true(fd >= 0);
	/* A console has no master: no provider is needed or looked for. */
	memset(w, 0, sizeof *w);
	w->master = -1;
	w->slave = fd;
	snprintf(w->pts, sizeof w->pts, "/dev/tty1");
	spawn_client(w, fd, true);
	r = req_of(w, NULL, 0);
	expect_pex(&r, 1, NULL);
	/* ... and a holder outside the session still refuses it. */
	w->extra[0] = spawn_holder(SLEEP, fd);
	expect_pex(&r, 0, "outside your session");
}

static void
pex_refuses_pipe(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;
	int p[2];

	make_world(w, SLEEP);
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	r = req_of(w, sleep_prov, 1);
	r.fd = p[0];
	expect_pex(&r, 0, "not a terminal");
	close(p[0]);
	close(p[1]);
}

static void
pex_refuses_terminal_not_client_controlling(void **state)
{
	struct world *w = *state, other;
	struct ix_pex_req r;

	make_world(w, SLEEP);
	/* A second pty, trusted provider and all, that is not the client's. */
	memset(&other, 0, sizeof other);
	open_pty(&other);
	w->extra[0] = spawn_holder(SLEEP, other.master);
	r = req_of(w, sleep_prov, 1);
	r.fd = other.slave;
	expect_pex(&r, 0, "this terminal is not your controlling terminal");
	close(other.master);
	close(other.slave);
}

static void
pex_refuses_client_without_controlling_terminal(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;

	memset(w, 0, sizeof *w);
	open_pty(w);
	w->provider = spawn_holder(SLEEP, w->master);
	spawn_client(w, w->slave, false);
	r = req_of(w, sleep_prov, 1);
	expect_pex(&r, 0, "you have no controlling terminal");
}

static void
expect_controlling(const struct ix_pex_req *r, int verdict, const char *want)
{
	expect_verdict(ix_pex_controlling, r, verdict, want);
}

static void
controlling_passes_own_terminal_and_non_terminals(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;
	int p[2], null;

	/* No provider: this check is not about who holds the master. */
	make_world(w, NULL);
	r = req_of(w, NULL, 0);
	expect_controlling(&r, 1, NULL);
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	r.fd = p[0];
	expect_controlling(&r, 1, NULL);
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(null >= 0);
	r.fd = null;
	expect_controlling(&r, 1, NULL);
	close(null);
	close(p[0]);
	close(p[1]);
}

static void
controlling_refuses_another_terminal(void **state)
{
	struct world *w = *state, other;
	struct ix_pex_req r;
	int path;

	make_world(w, NULL);
	memset(&other, 0, sizeof other);
	open_pty(&other);
	r = req_of(w, NULL, 0);
	r.fd = other.slave;
	expect_controlling(&r, 0, "not your controlling terminal");
	/* An O_PATH descriptor answers no tcgetattr: still a terminal. */
	path = open(other.pts, O_PATH | O_CLOEXEC);
	assert_true(path >= 0);
	r.fd = path;
	expect_controlling(&r, 0, "not your controlling terminal");
	close(path);
	close(other.master);
	close(other.slave);
}

static void
controlling_refuses_terminal_of_client_without_one(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;

	memset(w, 0, sizeof *w);
	open_pty(w);
	spawn_client(w, w->slave, false);
	r = req_of(w, NULL, 0);
	expect_controlling(&r, 0, "you have no controlling terminal");
}

static void
copy_sleep(char *out, size_t size, const char *dir, uid_t uid, mode_t mode)
{
	char buf[65536];
	ssize_t n;
	int in, fd;

	snprintf(out, size, "%s/sleep", dir);
	unlink(out);
	in = open(SLEEP, O_RDONLY | O_CLOEXEC);
	assert_true(in >= 0);
	fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	assert_true(fd >= 0);
	while ((n = read(in, buf, sizeof buf)) > 0)
		assert_int_equal(write(fd, buf, (size_t)n), n);
	assert_int_equal(n, 0);
	assert_int_equal(fchown(fd, uid, 0), 0);
	assert_int_equal(fchmod(fd, mode), 0);
	close(in);
	close(fd);
}

/* A copy of sleep named as the provider holds the master. */
static void
expect_copy(struct world *w, const char *copy, int verdict)
{
	const struct ix_stream_provider prov[] = { { "sleep", copy } };
	struct ix_pex_req r;
	char want[64];

	make_world(w, copy);
	r = req_of(w, prov, 1);
	snprintf(want, sizeof want, "held by pid %d, which is not a trusted",
		 (int)w->provider);
	expect_pex(&r, verdict, want);
}

static void
pex_refuses_user_owned_copy_named_as_provider(void **state)
{
	char copy[128];

	copy_sleep(copy, sizeof copy, tmpdir, 65534, 0755);
	expect_copy(*state, copy, 0);
}

static void
pex_refuses_group_writable_root_copy_named_as_provider(void **state)
{
	char copy[128];

	copy_sleep(copy, sizeof copy, safedir, 0, 0775);
	expect_copy(*state, copy, 0);
}

static void
pex_passes_root_copy_in_safe_directory(void **state)
{
	char copy[128];

	/* The control for the two above: only owner and mode differ. */
	copy_sleep(copy, sizeof copy, safedir, 0, 0755);
	expect_copy(*state, copy, 1);
}

static bool
named_sshd(pid_t pid, const void *arg)
{
	char path[64], buf[32] = "";
	int fd;
	ssize_t n;

	(void)arg;
	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	return n > 0 && strcmp(buf, "sshd\n") == 0;
}

/* --- providers that are not private paths (provider.h) --- */

enum input { NO_INPUT, UNIX_LISTEN, TCP_LISTEN, ABSTRACT_LISTEN, UNIX_DGRAM };

/* Runs sleep on the world's master as the provider, under uid, with the
 * input named as its descriptor 4: a unix socket listening at path (mode
 * 0777), or a TCP socket listening on a loopback port. */
static void
spawn_provider(struct world *w, uid_t uid, enum input in, const char *path)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct sockaddr_in in4 = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct stat want;
	pid_t pid;
	int s = -1;

	assert_int_equal(stat(SLEEP, &want), 0);
	if (in == UNIX_LISTEN || in == UNIX_DGRAM) {
		snprintf(un.sun_path, sizeof un.sun_path, "%s", path);
		unlink(path);
		s = socket(AF_UNIX, (in == UNIX_DGRAM ? SOCK_DGRAM : SOCK_STREAM) |
			   SOCK_CLOEXEC, 0);
		assert_true(s >= 0);
		assert_int_equal(bind(s, (struct sockaddr *)&un, sizeof un), 0);
		assert_int_equal(chmod(path, 0777), 0);
	} else if (in == ABSTRACT_LISTEN) {
		/* "\0ixkit-test-pex-PID": no file, no permission, anyone's. */
		socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
			(size_t)snprintf(un.sun_path + 1, sizeof un.sun_path - 1,
					 "ixkit-test-pex-%d", (int)getpid()));

		s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		assert_true(s >= 0);
		assert_int_equal(bind(s, (struct sockaddr *)&un, len), 0);
	} else if (in == TCP_LISTEN) {
		s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		assert_true(s >= 0);
		assert_int_equal(bind(s, (struct sockaddr *)&in4, sizeof in4), 0);
	}
	if (s >= 0 && in != UNIX_DGRAM)
		assert_int_equal(listen(s, 1), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (dup2(w->master, 3) != 3 || (s >= 0 && dup2(s, 4) != 4) ||
		    syscall(SYS_close_range, s >= 0 ? 5 : 4, ~0U, 0) < 0 ||
		    (uid != 0 && (setgroups(0, NULL) < 0 ||
				  setresgid(uid, uid, uid) < 0 ||
				  setresuid(uid, uid, uid) < 0)))
			_exit(127);
		execl(SLEEP, "sleep", "60", (char *)NULL);
		_exit(127);
	}
	if (s >= 0)
		close(s);
	wait_until(runs, pid, &want, "exec");
	w->provider = pid;
}

static void
pex_refuses_provider_of_the_clients_uid(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;
	char want[96];

	memset(w, 0, sizeof *w);
	open_pty(w);
	spawn_provider(w, CLIENT_UID, NO_INPUT, NULL);
	spawn_client(w, w->slave, true);
	r = req_of(w, sleep_prov, 1);
	snprintf(want, sizeof want, "pid %d (sleep), runs as uid %d, yours",
		 (int)w->provider, CLIENT_UID);
	expect_pex(&r, 0, want);
}

static void
pex_refuses_provider_listening_where_client_connects(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;
	char path[128], want[192];

	memset(w, 0, sizeof *w);
	open_pty(w);
	snprintf(path, sizeof path, "%s/ctl", safedir);
	spawn_provider(w, 0, UNIX_LISTEN, path);
	spawn_client(w, w->slave, true);
	r = req_of(w, sleep_prov, 1);
	snprintf(want, sizeof want, "listens on %s, which you can reach", path);
	expect_pex(&r, 0, want);
}

static void
pex_passes_provider_listening_out_of_reach(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;
	char path[128];

	memset(w, 0, sizeof *w);
	open_pty(w);
	snprintf(path, sizeof path, "%s/ctl", tmpdir);	/* 0700 root */
	spawn_provider(w, 0, UNIX_LISTEN, path);
	spawn_client(w, w->slave, true);
	r = req_of(w, sleep_prov, 1);
	expect_pex(&r, 1, NULL);
}

/* su asking passwdd: effective root, acting for its caller's real uid. */
static void
pex_passes_setuid_client_of_a_root_provider(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;

	setuid_root = true;
	make_world(w, SLEEP);
	setuid_root = false;
	r = req_of(w, sleep_prov, 1);
	expect_pex(&r, 1, NULL);
}

static void
pex_refuses_pty_for_a_root_client(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;

	root_client = true;
	make_world(w, SLEEP);
	root_client = false;
	r = req_of(w, sleep_prov, 1);
	expect_pex(&r, 0, "you are root");
}

static void
pex_refuses_provider_listening_on_abstract_socket(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;

	memset(w, 0, sizeof *w);
	open_pty(w);
	spawn_provider(w, 0, ABSTRACT_LISTEN, NULL);
	spawn_client(w, w->slave, true);
	r = req_of(w, sleep_prov, 1);
	expect_pex(&r, 0, "listens on an abstract socket (descriptor 4)");
}

/* A datagram socket listens for nobody, yet anyone may sendto it. */
static void
pex_refuses_provider_receiving_datagrams_where_client_sends(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;
	char path[128], want[192];

	memset(w, 0, sizeof *w);
	open_pty(w);
	snprintf(path, sizeof path, "%s/dgram", safedir);
	spawn_provider(w, 0, UNIX_DGRAM, path);
	spawn_client(w, w->slave, true);
	r = req_of(w, sleep_prov, 1);
	snprintf(want, sizeof want, "receives on %s, which you can reach", path);
	expect_pex(&r, 0, want);
}

static void
pex_refuses_provider_with_network_socket(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;

	memset(w, 0, sizeof *w);
	open_pty(w);
	spawn_provider(w, 0, TCP_LISTEN, NULL);
	spawn_client(w, w->slave, true);
	r = req_of(w, sleep_prov, 1);
	expect_pex(&r, 0, "listening or datagram network socket (descriptor 4)");
}

static void
pex_refuses_process_renamed_sshd_on_master(void **state)
{
	struct world *w = *state;
	/* sshd may not be installed: the provider is a root binary that
	 * exists; the holder only calls itself sshd. */
	const char *path = access("/usr/sbin/sshd", X_OK) == 0 ?
			   "/usr/sbin/sshd" : SLEEP;
	const struct ix_stream_provider prov[] = { { "sshd", path } };
	struct ix_pex_req r;
	char want[64];
	pid_t pid;

	make_world(w, NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (dup2(w->master, 3) != 3)
			_exit(127);
		syscall(SYS_close_range, 4, ~0U, 0);
		prctl(PR_SET_NAME, "sshd", 0, 0, 0);
		for (;;)
			pause();
	}
	w->extra[0] = pid;
	wait_until(named_sshd, pid, NULL, "renaming to sshd");
	r = req_of(w, prov, 1);
	snprintf(want, sizeof want, "pty master is held by pid %d, which is "
		 "not a trusted", (int)pid);
	expect_pex(&r, 0, want);
}

static void
pex_refuses_while_legacy_tiocsti_is_1(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;
	struct ix_err err = { 0 };

	make_world(w, SLEEP);
	r = req_of(w, sleep_prov, 1);
	tiocsti_write(1);
	assert_int_equal(ix_pex_legacy_tiocsti(&err), 1);
	expect_pex(&r, 0, "dev.tty.legacy_tiocsti is 1");
	tiocsti_write(0);
	assert_int_equal(ix_pex_legacy_tiocsti(&err), 0);
	expect_pex(&r, 1, NULL);
}

static void
pex_refuses_exited_client(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;

	siginfo_t si;

	make_world(w, SLEEP);
	r = req_of(w, sleep_prov, 1);
	/* A zombie, still in the process table with its pid, ... */
	assert_int_equal(kill(w->client, SIGKILL), 0);
	assert_int_equal(waitid(P_PID, (id_t)w->client, &si,
				WEXITED | WNOWAIT), 0);
	expect_pex(&r, 0, "has exited");
	/* ... and once it is gone. */
	reap(&w->client);
	expect_pex(&r, 0, "has exited");
}

static void
pex_foreground_refuses_second_member(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;
	char why[IX_PEX_WHY_MAX], want[80];
	struct ix_err err = { 0 };

	make_world(w, SLEEP);
	r = req_of(w, sleep_prov, 1);
	assert_int_equal(ix_pex_foreground(&r, why, sizeof why, &err), 1);
	assert_string_equal(why, "");
	/* A child of the client stays in its (the foreground) group. */
	w->extra[0] = client_do(w, 'f');
	assert_true(w->extra[0] > 0);
	assert_int_equal(ix_pex_foreground(&r, why, sizeof why, &err), 0);
	snprintf(want, sizeof want, "pid %d is also in your terminal's "
		 "foreground process group", (int)w->extra[0]);
	assert_string_equal(why, want);
}

/* Makes pid (a child of the client) the client of r. */
static void
client_is(struct world *w, struct ix_pex_req *r, pid_t pid)
{
	r->client_pid = pid;
	close(w->client_pidfd);
	w->client_pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	assert_true(w->client_pidfd >= 0);
	r->client_pidfd = w->client_pidfd;
}

static void
pex_foreground_refuses_client_in_background(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;
	char why[IX_PEX_WHY_MAX];
	struct ix_err err = { 0 };
	pid_t pid;

	make_world(w, SLEEP);
	/* A background job of the client's session asks. */
	pid = client_do(w, 'b');
	w->extra[0] = pid;
	r = req_of(w, sleep_prov, 1);
	client_is(w, &r, pid);
	/* The child is in the session but not in the foreground group. */
	assert_int_equal(ix_pex_foreground(&r, why, sizeof why, &err), 0);
	assert_string_equal(why, "you are not in your terminal's foreground "
			    "process group");
}

/* A background job of the client's own session keeps the terminal open
 * (it inherited it): it could take the foreground and read the line. */
static void
pex_refuses_background_job_holding_terminal(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;
	char want[96];

	make_world(w, SLEEP);
	w->extra[0] = client_do(w, 'b');
	r = req_of(w, sleep_prov, 1);
	snprintf(want, sizeof want, "%s is also held by pid %d (test_pex): "
		 "stop or close it", w->pts, (int)w->extra[0]);
	expect_pex(&r, 0, want);
	expect_pex(&r, 0, "kill %1");
}

/* The shell waiting for its foreground job holds the terminal: the job
 * (the client) and its ancestors in the session pass; a second job does
 * not. */
static void
pex_passes_waiting_ancestor_refuses_sibling_job(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;
	char want[96];
	pid_t job, sibling;

	make_world(w, SLEEP);
	job = w->extra[0] = client_do(w, 'b');
	r = req_of(w, sleep_prov, 1);
	client_is(w, &r, job);
	expect_pex(&r, 1, NULL);
	sibling = w->extra[1] = client_do(w, 'b');
	snprintf(want, sizeof want, "is also held by pid %d (test_pex)",
		 (int)sibling);
	expect_pex(&r, 0, want);
}

/* Every such holder is named, up to three. */
static void
pex_names_every_other_holder(void **state)
{
	struct world *w = *state;
	struct ix_pex_req r;
	char want[128];

	make_world(w, SLEEP);
	w->extra[0] = client_do(w, 'b');
	w->extra[1] = client_do(w, 'f');
	r = req_of(w, sleep_prov, 1);
	snprintf(want, sizeof want, "is also held by pid %d (test_pex), pid "
		 "%d (test_pex): stop or close them", (int)w->extra[0],
		 (int)w->extra[1]);
	expect_pex(&r, 0, want);
}

/* --- pw_prompt_secret --- */

struct prompt_run {
	struct pw_party party;
	char *out;
	int timeout_ms;
	int rc;
	bool pex_first;		/* the return came from the first pex */
	char why[IX_PEX_WHY_MAX];
	struct ix_err err;
};

static void *
prompt_thread(void *arg)
{
	struct prompt_run *p = arg;

	p->rc = pw_prompt_secret(&p->party, "Password: ", p->out, SECRET_MAX,
				 p->timeout_ms, &p->pex_first, p->why, sizeof p->why,
				 &p->err);
	return NULL;
}

static void
start_prompt(struct world *w, struct prompt_run *p, char *out, int timeout_ms,
	     pthread_t *t)
{
	memset(p, 0, sizeof *p);
	p->party = (struct pw_party){ .fd = w->slave, .client_pid = w->client,
		.client_pidfd = w->client_pidfd, .prov = sleep_prov,
		.nprov = 1 };
	p->out = out;
	p->timeout_ms = timeout_ms;
	assert_int_equal(pthread_create(t, NULL, prompt_thread, p), 0);
}

/* Reads what the terminal shows (the master side) until want appears or
 * 5 s pass; all of it is appended to seen (size bytes, NUL-terminated). */
static bool
read_screen(int master, char *seen, size_t size, const char *want)
{
	struct pollfd pf = { .fd = master, .events = POLLIN };
	size_t len = strlen(seen);
	ssize_t n;
	int i;

	for (i = 0; i < 50 && strstr(seen, want) == NULL; i++) {
		if (poll(&pf, 1, 100) <= 0)
			continue;
		n = read(master, seen + len, size - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		seen[len] = '\0';
	}
	return strstr(seen, want) != NULL;
}

/* The slave as the test leaves it before a prompt, to see it restored:
 * owned by nobody, as a terminal is owned by the user logged in on it. */
struct before {
	struct termios tio;
	struct stat st;
};

static void
prepare_slave(struct world *w, struct before *b)
{
	assert_int_equal(fchown(w->slave, 65534, 5), 0);
	assert_int_equal(fchmod(w->slave, 0620), 0);
	assert_int_equal(tcgetattr(w->slave, &b->tio), 0);
	b->tio.c_lflag |= ECHO | ICANON;
	b->tio.c_lflag &= ~(tcflag_t)TOSTOP;
	assert_int_equal(tcsetattr(w->slave, TCSANOW, &b->tio), 0);
	assert_int_equal(tcgetattr(w->slave, &b->tio), 0);
	assert_int_equal(fstat(w->slave, &b->st), 0);
}

static void
expect_restored(const struct world *w, const struct before *b)
{
	struct termios t;
	struct stat st;

	assert_int_equal(fstat(w->slave, &st), 0);
	assert_int_equal(st.st_uid, 65534);
	assert_int_equal(st.st_gid, 5);
	assert_int_equal(st.st_mode & 07777, 0620);
	assert_int_equal(tcgetattr(w->slave, &t), 0);
	assert_int_equal(t.c_lflag, b->tio.c_lflag);
	assert_int_equal(t.c_iflag, b->tio.c_iflag);
	assert_int_equal(t.c_oflag, b->tio.c_oflag);
	assert_int_equal(t.c_cc[VSUSP], b->tio.c_cc[VSUSP]);
}

/* Whether an unprivileged process can open path for reading. */
static bool
nobody_can_open(const char *path)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		if (setresgid(65534, 65534, 65534) < 0 ||
		    setresuid(65534, 65534, 65534) < 0)
			_exit(2);
		_exit(open(path, O_RDWR | O_NOCTTY) >= 0 ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) <= 1);
	return WEXITSTATUS(status) == 0;
}

/* A world with a trusted provider, and a prompt on it shown on screen. */
static void
begin_prompt(struct world *w, struct before *b, struct prompt_run *p,
	     char *out, pthread_t *t)
{
	char seen[512] = "";

	make_world(w, SLEEP);
	prepare_slave(w, b);
	start_prompt(w, p, out, 5000, t);
	assert_true(read_screen(w->master, seen, sizeof seen, "Password: "));
}

/* Types an answer; the prompt must void it, saying want, and restore. */
static void
expect_voided(struct world *w, const struct before *b, struct prompt_run *p,
	      pthread_t t, const char *out, const char *want)
{
	assert_int_equal(write(w->master, "hunter2\n", 8), 8);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(p->rc, 0);
	if (strstr(p->why, want) == NULL)
		fail_msg("reason '%s' does not say '%s'", p->why, want);
	assert_string_equal(out, "");
	expect_restored(w, b);
}

static void
prompt_secret_reads_typed_answer_with_echo_off(void **state)
{
	struct world *w = *state;
	struct prompt_run p;
	struct before b;
	struct termios during;
	struct stat st;
	char out[SECRET_MAX], seen[512] = "";
	pthread_t t;

	make_world(w, SLEEP);
	prepare_slave(w, &b);
	assert_true(nobody_can_open(w->pts));
	start_prompt(w, &p, out, 5000, &t);
	assert_true(read_screen(w->master, seen, sizeof seen, "Password: "));
	/* While prompting: nobody else may open it, echo off, TOSTOP. */
	assert_int_equal(fstat(w->slave, &st), 0);
	assert_int_equal(st.st_uid, 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_false(nobody_can_open(w->pts));
	assert_int_equal(tcgetattr(w->master, &during), 0);
	assert_false(during.c_lflag & ECHO);
	assert_true(during.c_lflag & TOSTOP);
	/* ^Z cannot stop the client mid-prompt (prompt.h, tier 1). */
	assert_int_equal(during.c_cc[VSUSP], _POSIX_VDISABLE);
	/* The person types, with a carriage return as a keyboard sends. */
	assert_int_equal(write(w->master, "hunter2\r", 8), 8);
	assert_int_equal(pthread_join(t, NULL), 0);
	if (p.rc != 1)
		fail_msg("prompt returned %d: %s%s", p.rc, p.why, p.err.msg);
	assert_false(p.pex_first);
	assert_string_equal(out, "hunter2");
	/* The screen showed the newline, never the password. */
	read_screen(w->master, seen, sizeof seen, "\n");
	assert_non_null(strstr(seen, "\n"));
	assert_null(strstr(seen, "hunter"));
	expect_restored(w, &b);
	assert_true(nobody_can_open(w->pts));
}

/* The client opens its terminal once more while the prompt waits. */
static void
prompt_secret_voided_by_holder_in_session(void **state)
{
	struct world *w = *state;
	struct prompt_run p;
	struct before b;
	char out[SECRET_MAX], want[80];
	pthread_t t;

	/* The client's uid cannot open the terminal anew (the prompt gave it
	 * to root, mode 0600): its new descriptor is a duplicate. */
	begin_prompt(w, &b, &p, out, &t);
	assert_int_equal(client_do(w, 'd'), 0);
	snprintf(want, sizeof want, "prompt voided: pid %d opened your "
		 "terminal during the prompt", (int)w->client);
	expect_voided(w, &b, &p, t, out, want);
}

/* A root process outside the session opens the slave during the prompt. */
static void
prompt_secret_voided_by_holder_outside_session(void **state)
{
	struct world *w = *state;
	struct prompt_run p;
	struct before b;
	char out[SECRET_MAX], want[80];
	pthread_t t;
	int fd;

	begin_prompt(w, &b, &p, out, &t);
	fd = open(w->pts, O_RDWR | O_NOCTTY | O_CLOEXEC);
	assert_true(fd >= 0);
	w->extra[0] = spawn_holder(SLEEP, fd);
	close(fd);
	snprintf(want, sizeof want, "prompt voided: terminal held by pid %d "
		 "outside your session", (int)w->extra[0]);
	expect_voided(w, &b, &p, t, out, want);
}

/* The shell, an excused holder, takes the foreground back in the middle
 * of the prompt (as a background job or a hostile parent would, to read
 * the line): the prompt is voided at once, before anything is typed,
 * and the terminal says so. */
static void
prompt_secret_voided_when_foreground_taken(void **state)
{
	struct world *w = *state;
	struct prompt_run p;
	struct before b;
	char out[SECRET_MAX], seen[512] = "", want[160];
	pthread_t t;
	pid_t shell;

	make_world(w, SLEEP);
	prepare_slave(w, &b);
	/* The client is a job of the session leader (the shell), put in
	 * the foreground by it. */
	shell = w->extra[0] = w->client;
	w->client = client_do(w, 'b');
	assert_int_equal(client_do(w, 'g'), 0);
	close(w->client_pidfd);
	w->client_pidfd = (int)syscall(SYS_pidfd_open, w->client, 0);
	assert_true(w->client_pidfd >= 0);
	start_prompt(w, &p, out, 5000, &t);
	assert_true(read_screen(w->master, seen, sizeof seen, "Password: "));
	assert_int_equal(client_do(w, 'G'), 0);
	snprintf(want, sizeof want, "prompt voided: the foreground process "
		 "group changed (pid %d (test_pex) took the terminal); nothing "
		 "typed was used", (int)shell);
	assert_true(read_screen(w->master, seen, sizeof seen, want));
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(p.rc, 0);
	assert_string_equal(p.why, want);
	assert_string_equal(out, "");
	expect_restored(w, &b);
}

static void
prompt_secret_timeout_restores_terminal(void **state)
{
	struct world *w = *state;
	struct prompt_run p;
	struct before b;
	char out[SECRET_MAX];
	pthread_t t;

	make_world(w, SLEEP);
	prepare_slave(w, &b);
	start_prompt(w, &p, out, 300, &t);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(p.rc, 0);
	assert_false(p.pex_first);	/* a timeout is no pex verdict */
	assert_non_null(strstr(p.why, "no answer within 0.300 seconds"));
	expect_restored(w, &b);
}

static void
prompt_secret_refused_leaves_terminal_untouched(void **state)
{
	struct world *w = *state;
	struct prompt_run p;
	struct before b;
	char out[SECRET_MAX], seen[64] = "";
	pthread_t t;

	make_world(w, SLEEP);
	prepare_slave(w, &b);
	tiocsti_write(1);
	start_prompt(w, &p, out, 5000, &t);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(p.rc, 0);
	assert_true(p.pex_first);	/* passwdd falls back to a one-time code */
	assert_non_null(strstr(p.why, "legacy_tiocsti is 1"));
	/* No prompt was written. */
	assert_false(read_screen(w->master, seen, sizeof seen, "Password"));
	expect_restored(w, &b);
}

static bool
holds_no_stdin(pid_t pid, const void *arg)
{
	char path[64];
	struct stat st;

	(void)arg;
	snprintf(path, sizeof path, "/proc/%d/fd/0", (int)pid);
	return lstat(path, &st) < 0 && errno == ENOENT;
}

static void
prompt_secret_refuses_shared_foreground_group(void **state)
{
	struct world *w = *state;
	struct prompt_run p;
	struct before b;
	char out[SECRET_MAX], seen[64] = "", want[80];
	pthread_t t;

	make_world(w, SLEEP);
	prepare_slave(w, &b);
	/* It holds nothing, yet could open /dev/tty and read. The child
	 * closes its descriptors after the fork is answered: waited for, or
	 * the prompt may see it still holding the terminal. */
	w->extra[0] = client_do(w, 'F');
	wait_until(holds_no_stdin, w->extra[0], NULL, "close_range in the child");
	start_prompt(w, &p, out, 5000, &t);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(p.rc, 0);
	snprintf(want, sizeof want, "pid %d is also in your terminal's "
		 "foreground process group", (int)w->extra[0]);
	assert_string_equal(p.why, want);
	assert_false(read_screen(w->master, seen, sizeof seen, "Password"));
	expect_restored(w, &b);
}

static void
prompt_secret_overlong_answer_is_discarded(void **state)
{
	struct world *w = *state;
	struct prompt_run p;
	struct before b;
	char out[SECRET_MAX], line[200], rest[8];
	pthread_t t;

	begin_prompt(w, &b, &p, out, &t);
	memset(line, 'x', sizeof line - 1);
	line[sizeof line - 1] = '\n';
	assert_int_equal(write(w->master, line, sizeof line), sizeof line);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(p.rc, -1);
	assert_int_equal(p.err.code, IX_ELIMIT);
	assert_string_equal(out, "");
	/* Nothing of the secret is left for the next reader. */
	assert_int_equal(fcntl(w->slave, F_SETFL, O_RDWR | O_NONBLOCK), 0);
	assert_int_equal(read(w->slave, rest, sizeof rest), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(fcntl(w->slave, F_SETFL, O_RDWR), 0);
	expect_restored(w, &b);
}

/* --- pw_prompt_line --- */

static void
prompt_line_reads_one_line_from_pipe(void **state)
{
	char out[16], rest[8] = "";
	struct ix_err err = { 0 };
	int p[2];

	(void)state;
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	assert_int_equal(write(p[1], "123456\r\nnext", 12), 12);
	assert_int_equal(pw_prompt_line(p[0], "Code: ", out, sizeof out, 1000,
					&err), 1);
	assert_string_equal(out, "123456");
	/* What follows the line is left for its reader. */
	assert_int_equal(read(p[0], rest, 4), 4);
	assert_string_equal(rest, "next");
	close(p[0]);
	close(p[1]);
}

static void
prompt_line_bounds_length(void **state)
{
	char out[8];
	struct ix_err err = { 0 };
	int p[2];

	(void)state;
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	/* max - 1 bytes fit exactly; one more does not. */
	assert_int_equal(write(p[1], "1234567\n12345678\n", 17), 17);
	assert_int_equal(pw_prompt_line(p[0], NULL, out, sizeof out, 1000,
					&err), 1);
	assert_string_equal(out, "1234567");
	assert_int_equal(pw_prompt_line(p[0], NULL, out, sizeof out, 1000,
					&err), -1);
	assert_int_equal(err.code, IX_ELIMIT);
	assert_string_equal(out, "");
	close(p[0]);
	close(p[1]);
}

static void
prompt_line_timeout_and_eof_return_0(void **state)
{
	char out[8];
	struct ix_err err = { 0 };
	struct timespec a, b;
	long ms;
	int p[2];

	(void)state;
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(pw_prompt_line(p[0], NULL, out, sizeof out, 200,
					&err), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	assert_true(ms >= 190 && ms < 2000);
	assert_int_equal(write(p[1], "12", 2), 2);
	close(p[1]);
	assert_int_equal(pw_prompt_line(p[0], NULL, out, sizeof out, 1000,
					&err), 0);
	assert_string_equal(out, "");
	close(p[0]);
}

struct line_run {
	int fd;
	char out[16];
	int rc;
	struct ix_err err;
};

static void *
line_thread(void *arg)
{
	struct line_run *l = arg;

	l->rc = pw_prompt_line(l->fd, "Code: ", l->out, sizeof l->out, 5000,
			       &l->err);
	return NULL;
}

static void
prompt_line_on_terminal_echoes(void **state)
{
	struct world *w = *state;
	struct line_run l = { .rc = -2 };
	char seen[256] = "";
	struct termios t;
	pthread_t th;

	open_pty(w);
	/* Echo off beforehand, as a previous prompt might have left it. */
	assert_int_equal(tcgetattr(w->slave, &t), 0);
	t.c_lflag &= ~(tcflag_t)ECHO;
	assert_int_equal(tcsetattr(w->slave, TCSANOW, &t), 0);
	l.fd = w->slave;
	assert_int_equal(pthread_create(&th, NULL, line_thread, &l), 0);
	assert_true(read_screen(w->master, seen, sizeof seen, "Code: "));
	assert_int_equal(write(w->master, "654321\r", 7), 7);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(l.rc, 1);
	assert_string_equal(l.out, "654321");
	/* The code was echoed; the terminal's own setting came back. */
	assert_true(read_screen(w->master, seen, sizeof seen, "654321"));
	assert_int_equal(tcgetattr(w->slave, &t), 0);
	assert_false(t.c_lflag & ECHO);
}

/*
 * Runs the tests in a child while this process, the namespace's init,
 * reaps orphans. The tests must not run as init: signals from inside the
 * namespace do not reach it, and LeakSanitizer stops the process it checks
 * with ptrace. Returns the tests' status.
 */
static int
run_as_child(const struct CMUnitTest *tests, size_t n)
{
	int status;
	pid_t pid = fork(), got;

	if (pid < 0)
		return 1;
	if (pid == 0)
		_exit(_cmocka_run_group_tests("test_pex", tests, n, setup_group,
					      teardown_group));
	while ((got = wait(&status)) != pid)
		if (got < 0 && errno != EINTR)
			return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/*
 * Runs the tests in a new PID namespace whose init (a child) mounts its
 * own /proc. Called in a throwaway process: once the namespace's init is
 * gone, its parent can no longer fork (ENOMEM), not even LeakSanitizer's
 * tracer at exit. Returns the tests' status.
 */
static int
run_in_namespace(const struct CMUnitTest *tests, size_t n)
{
	int status;
	pid_t pid;

	if (unshare(CLONE_NEWPID) < 0) {
		perror("test_pex: unshare");
		return 1;
	}
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV |
			  MS_NOEXEC, NULL) < 0) {
			perror("test_pex: mounting /proc");
			_exit(1);
		}
		_exit(run_as_child(tests, n));
	}
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(pex_passes_own_terminal_with_trusted_provider),
		T(pex_refuses_master_held_by_unlisted_binary),
		T(pex_refuses_pty_without_provider_on_master),
		T(pex_refuses_slave_held_outside_session),
		T(pex_passes_slave_held_by_named_relay),
		T(pex_relay_is_confirmed_by_pidfd),
		T(pex_passes_virtual_console_without_provider),
		T(pex_refuses_pipe),
		T(pex_refuses_terminal_not_client_controlling),
		T(pex_refuses_client_without_controlling_terminal),
		T(controlling_passes_own_terminal_and_non_terminals),
		T(controlling_refuses_another_terminal),
		T(controlling_refuses_terminal_of_client_without_one),
		T(pex_refuses_user_owned_copy_named_as_provider),
		T(pex_refuses_group_writable_root_copy_named_as_provider),
		T(pex_passes_root_copy_in_safe_directory),
		T(pex_refuses_process_renamed_sshd_on_master),
		T(pex_refuses_provider_of_the_clients_uid),
		T(pex_refuses_provider_listening_where_client_connects),
		T(pex_passes_provider_listening_out_of_reach),
		T(pex_refuses_provider_with_network_socket),
		T(pex_refuses_provider_listening_on_abstract_socket),
		T(pex_refuses_provider_receiving_datagrams_where_client_sends),
		T(pex_passes_setuid_client_of_a_root_provider),
		T(pex_refuses_pty_for_a_root_client),
		T(pex_refuses_while_legacy_tiocsti_is_1),
		T(pex_refuses_exited_client),
		T(pex_foreground_refuses_second_member),
		T(pex_foreground_refuses_client_in_background),
		T(pex_refuses_background_job_holding_terminal),
		T(pex_passes_waiting_ancestor_refuses_sibling_job),
		T(pex_names_every_other_holder),
		T(prompt_secret_reads_typed_answer_with_echo_off),
		T(prompt_secret_voided_by_holder_in_session),
		T(prompt_secret_voided_by_holder_outside_session),
		T(prompt_secret_voided_when_foreground_taken),
		T(prompt_secret_timeout_restores_terminal),
		T(prompt_secret_refused_leaves_terminal_untouched),
		T(prompt_secret_refuses_shared_foreground_group),
		T(prompt_secret_overlong_answer_is_discarded),
		T(prompt_line_reads_one_line_from_pipe),
		T(prompt_line_bounds_length),
		T(prompt_line_timeout_and_eof_return_0),
		T(prompt_line_on_terminal_echoes),
	};

	int status, fd, lock;
	pid_t pid;

	require_root();
	/* Tests that change the sysctl take turns (make check runs tests
	 * in parallel); the lock is released when this process ends. */
	lock = open(TIOCSTI_LOCK, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		    0600);
	if (lock < 0 || flock(lock, LOCK_EX) < 0) {
		perror("test_pex: " TIOCSTI_LOCK);
		return 1;
	}
	/* A world of our own: a PID namespace with its own /proc, so that
	 * every process is one the test made and can read. (A machine's own
	 * pid 1 may be a sandbox's init whose descriptors even root cannot
	 * read; pex rightly refuses every terminal while such a process
	 * exists, as it may hold any of them.) */
	tiocsti_found = tiocsti_read();
	pid = fork();
	if (pid < 0) {
		perror("test_pex: fork");
		return 1;
	}
	if (pid == 0)
		_exit(run_in_namespace(tests, sizeof tests / sizeof tests[0]));
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	/* Whatever happened inside, the sysctl goes back. */
	if (tiocsti_found >= 0 && tiocsti_read() != tiocsti_found) {
		fd = open(SYSCTL, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, tiocsti_found ? "1" : "0", 1) != 1) {
			perror("test_pex: restoring " SYSCTL);
			return 1;
		}
		close(fd);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
