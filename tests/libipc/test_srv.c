/*
 * The server kit (libipc/srv_*.c) serving a toy server, tried as a hostile
 * local user would: the worker's prelude seen from inside the worker, a
 * flood of stalled connections from one uid while another uid asks, a key
 * at its limits answered "busy" (never silence), a wait that outlasts the
 * queue's limit, a slot killed with -9, and main killed while a slot
 * serves. Needs root (workers and clients of other uids).
 *
 * (The worker's parent-death signal survives its change of uid.)
 *
 * The toy: a slot forks its worker (user nobody), takes a connection and
 * passes it to the worker, which writes one line about itself to the
 * client and then holds the connection until the client closes it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "libipc/srv.h"
#include "libixutil/ix_time.h"

#define T_CONN (IX_RANGE_PRIVD + 0x70)
#define T_FACTS (IX_RANGE_PRIVD + 0x71)
#define UID_A 65534	/* nobody */
#define UID_B 65533

static char dir[] = "/tmp/ixkit-test-srv-XXXXXX";
static char sock[256], ended[256], termed[256];
static pid_t mainpid = -1;
static uid_t wuid;
static gid_t wgid;

static void
append(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);

	if (fd >= 0) {
		(void)!write(fd, text, strlen(text));
		close(fd);
	}
}

/* ---- the toy server ---- */

static int
toy_worker(void *arg, int mon)
{
	struct ix_msg *m = NULL, *out;
	struct ix_err e;
	char facts[1024] = "", line[256], fds[256] = "";
	FILE *f;
	int conn = -1, pdeath = 0;

	(void)arg;
	if (ix_ipc_recv(mon, &m, -1, &e) != 1 || ix_msg_get_fd(m, &conn, &e) < 0)
		return 1;
	ix_msg_free(m);
	if ((f = fopen("/proc/self/status", "r")) != NULL) {
		while (fgets(line, sizeof line, f))
			if (!strncmp(line, "Cap", 3) || !strncmp(line, "NoNewPrivs", 10) ||
			    !strncmp(line, "Uid", 3) || !strncmp(line, "Gid", 3) ||
			    !strncmp(line, "Groups", 6))
				strncat(facts, line, sizeof facts - strlen(facts) - 1);
		fclose(f);
	}
	for (int fd = 0; fd < 64; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			snprintf(fds + strlen(fds), sizeof fds - strlen(fds), " %d", fd);
	prctl(PR_GET_PDEATHSIG, &pdeath);
	snprintf(facts + strlen(facts), sizeof facts - strlen(facts),
		 "Dumpable:\t%d\nPdeathsig:\t%d\nFds:%s\n", prctl(PR_GET_DUMPABLE), pdeath, fds);
	out = ix_msg_new(T_FACTS, &e);
	ix_msg_put_str(out, facts, sizeof facts, &e);
	ix_ipc_send(conn, out, 1000, &e);
	ix_msg_free(out);
	/* held until the client closes */
	while (ix_ipc_recv(conn, &m, -1, &e) == 1)
		ix_msg_free(m);
	return 0;
}

static void
on_term(int sig)
{
	(void)sig;
	append(termed, "term\n");
	_exit(0);
}

static int
toy_slot(void *arg, int ctl)
{
	struct ix_srv_worker w = { wuid, wgid, NULL, toy_worker, NULL };
	struct ix_srv_conn c;
	struct ix_msg *m;
	struct ix_err e;
	pid_t wp;
	int mon, st;

	(void)arg;
	signal(SIGTERM, on_term);
	if ((wp = ix_srv_worker_spawn(&w, &mon, &e)) < 0)
		return 1;
	if (ix_srv_slot_take(ctl, &c, &e) != 1)
		return 0;
	m = ix_msg_new(T_CONN, &e);
	ix_msg_put_fd(m, c.fd, &e);
	ix_ipc_send(mon, m, 1000, &e);
	ix_msg_free(m);
	close(c.fd);
	waitpid(wp, &st, 0);
	return 0;
}

static void
toy_ended(void *arg, const struct ix_srv_slot_info *s, int status)
{
	char text[128];

	(void)arg;
	if (!s->served)
		return;
	snprintf(text, sizeof text, "key=%u signal=%d\n", (unsigned)s->key,
		 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	append(ended, text);
}

static const struct ix_srv_ops ops = { "toy", toy_slot, toy_ended, NULL };

static void
start(const struct ix_srv_limits *lim)
{
	struct ix_err e;
	int lfd;

	unlink(sock);
	unlink(ended);
	unlink(termed);
	lfd = ix_ipc_listen(sock, 0666, 128, &e);
	assert_true(lfd >= 0);
	mainpid = fork();
	assert_true(mainpid >= 0);
	if (mainpid == 0) {
		struct ix_log *log = ix_log_open("stderr", "test_srv", &e);

		_exit(ix_srv_serve(lfd, lim, &ops, NULL, log, &e) < 0 ? 3 : 0);
	}
	close(lfd);
}

static void
stop(void)
{
	int st;

	if (mainpid > 0) {
		kill(mainpid, SIGTERM);
		waitpid(mainpid, &st, 0);
		mainpid = -1;
	}
}

/* A connection made by a process of uid, handed back to us. */
static int
connect_as(uid_t uid)
{
	int sv[2], fd = -1, st;
	struct ix_err e;
	struct ix_msg *m = NULL;
	pid_t pid;

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct ix_msg *out;
		int c;

		close(sv[0]);
		if (uid != 0 && setresuid(uid, uid, uid) < 0)
			_exit(1);
		if ((c = ix_ipc_connect(sock, &e)) < 0)
			_exit(2);
		out = ix_msg_new(T_CONN, &e);
		ix_msg_put_fd(out, c, &e);
		_exit(ix_ipc_send(sv[1], out, 1000, &e) < 0 ? 3 : 0);
	}
	close(sv[1]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(ix_ipc_recv(sv[0], &m, 1000, &e), 1);
	assert_int_equal(ix_msg_get_fd(m, &fd, &e), 0);
	ix_msg_free(m);
	close(sv[0]);
	return fd;
}

/* What the server says first: 1 the worker's facts (into text), 2 an
 * ERROR (its words into text), 0 nothing within ms. */
static int
first_word(int fd, int ms, char *text, size_t size)
{
	struct ix_msg *m = NULL;
	struct ix_err e, remote;
	const char *s;
	int r = ix_ipc_recv(fd, &m, ms, &e);

	if (r != 1)
		return 0;
	if (ix_msg_type(m) == IX_MSG_ERROR && ix_ipc_read_error(m, &remote, &e) == 0) {
		snprintf(text, size, "%s", remote.msg);
		ix_msg_free(m);
		return 2;
	}
	r = ix_msg_type(m) == T_FACTS && ix_msg_get_str(m, &s, 1024, &e) == 0;
	if (r)
		snprintf(text, size, "%s", s);
	ix_msg_free(m);
	return r ? 1 : 0;
}

static const struct ix_srv_limits roomy = {
	.slots = 16, .per_key = 4, .per_key_root = 4, .queued_per_key = 8, .spares = 1,
	.queue_ms = 5000,
};

static void
the_worker_is_nobody_with_nothing(void **state)
{
	char text[1024];
	int fd;

	(void)state;
	start(&roomy);
	fd = connect_as(0);
	assert_int_equal(first_word(fd, 5000, text, sizeof text), 1);
	assert_non_null(strstr(text, "Uid:\t65534\t65534\t65534\t65534"));
	assert_non_null(strstr(text, "Groups:\t \n"));
	for (const char *c = "CapInh\0CapPrm\0CapEff\0CapBnd\0CapAmb\0"; *c; c += strlen(c) + 1) {
		char want[64];

		snprintf(want, sizeof want, "%s:\t0000000000000000", c);
		assert_non_null(strstr(text, want));
	}
	assert_non_null(strstr(text, "NoNewPrivs:\t1"));
	assert_non_null(strstr(text, "Dumpable:\t0"));
	/* killed with its monitor: the uid change had cleared it once */
	assert_non_null(strstr(text, "Pdeathsig:\t9"));
	/* 0-2 on /dev/null, 3 its monitor, and the connection it was given */
	assert_non_null(strstr(text, "Fds: 0 1 2 3 4\n"));
	close(fd);
	stop();
}

static void
a_key_beyond_its_limits_is_told_busy(void **state)
{
	char text[1024];
	int a1, a2, a3, b;

	(void)state;
	start(&(struct ix_srv_limits){ .slots = 8, .per_key = 1, .per_key_root = 1,
				       .queued_per_key = 1, .spares = 1, .queue_ms = 10000 });
	a1 = connect_as(UID_A);
	assert_int_equal(first_word(a1, 5000, text, sizeof text), 1);
	a2 = connect_as(UID_A);		/* waits for a1's slot */
	a3 = connect_as(UID_A);		/* one more than the key may queue */
	assert_int_equal(first_word(a3, 5000, text, sizeof text), 2);
	assert_string_equal(text, "busy: toy: uid 65534 has 1 connections served and 1 waiting; "
				  "try again");
	assert_int_equal(first_word(a2, 300, text, sizeof text), 0);
	/* another uid is served meanwhile */
	b = connect_as(UID_B);
	assert_int_equal(first_word(b, 5000, text, sizeof text), 1);
	/* a1 ends: a2 gets its turn */
	close(a1);
	assert_int_equal(first_word(a2, 5000, text, sizeof text), 1);
	close(a2);
	close(a3);
	close(b);
	stop();
}

static void
a_flood_of_stalled_connections_does_not_delay_another_uid(void **state)
{
	char text[1024];
	int flood[42], b, n = 0;
	long long t0, took;

	(void)state;
	start(&(struct ix_srv_limits){ .slots = 8, .per_key = 2, .per_key_root = 2,
				       .queued_per_key = 40, .spares = 1, .queue_ms = 30000 });
	for (int i = 0; i < 42; i++)
		flood[i] = connect_as(UID_A);
	for (int i = 0; i < 42; i++)
		n += first_word(flood[i], i < 2 ? 5000 : 0, text, sizeof text) == 1;
	assert_int_equal(n, 2);		/* two served and stalled, forty waiting */
	t0 = ix_now_ms();
	b = connect_as(UID_B);
	assert_int_equal(first_word(b, 5000, text, sizeof text), 1);
	took = ix_now_ms() - t0;
	print_message("the other uid was served in %lld ms\n", took);
	assert_true(took < 1000);
	close(b);
	for (int i = 0; i < 42; i++)
		close(flood[i]);
	stop();
}

static void
a_wait_beyond_the_queue_limit_is_told_busy(void **state)
{
	char text[1024];
	int a1, a2;

	(void)state;
	start(&(struct ix_srv_limits){ .slots = 8, .per_key = 1, .per_key_root = 1,
				       .queued_per_key = 4, .spares = 1, .queue_ms = 300 });
	a1 = connect_as(UID_A);
	assert_int_equal(first_word(a1, 5000, text, sizeof text), 1);
	a2 = connect_as(UID_A);
	assert_int_equal(first_word(a2, 5000, text, sizeof text), 2);
	assert_non_null(strstr(text, "busy: toy: no slot for "));
	close(a1);
	close(a2);
	stop();
}

/* The monitor of the slot that serves: main's child that has a child
 * (its worker) and a connection. */
static pid_t
busy_slot(void)
{
	char path[64], line[256], kids[64];
	struct dirent *d;
	pid_t found = -1;
	DIR *proc = opendir("/proc");

	while (proc != NULL && found < 0 && (d = readdir(proc)) != NULL) {
		pid_t p = atoi(d->d_name);
		FILE *f;

		snprintf(path, sizeof path, "/proc/%d/status", (int)p);
		if (p <= 0 || (f = fopen(path, "r")) == NULL)
			continue;
		while (fgets(line, sizeof line, f))
			if (!strncmp(line, "PPid:", 5)) {
				snprintf(kids, sizeof kids, "/proc/%d/task/%d/children", (int)p, (int)p);
				if (atoi(line + 5) == mainpid) {
					FILE *k = fopen(kids, "r");

					if (k != NULL) {
						if (fgets(line, sizeof line, k) && line[0] >= '0')
							found = p;
						fclose(k);
					}
				}
				break;
			}
		fclose(f);
	}
	if (proc != NULL)
		closedir(proc);
	return found;
}

static void
a_slot_killed_is_reaped_and_the_next_is_served(void **state)
{
	char text[1024], log[256] = "";
	int a, b, fd;
	pid_t slot;

	(void)state;
	start(&roomy);
	a = connect_as(UID_A);
	assert_int_equal(first_word(a, 5000, text, sizeof text), 1);
	slot = busy_slot();
	assert_true(slot > 0);
	assert_int_equal(kill(slot, SIGKILL), 0);
	for (int i = 0; i < 50; i++) {
		if ((fd = open(ended, O_RDONLY)) >= 0) {
			(void)!read(fd, log, sizeof log - 1);
			close(fd);
			break;
		}
		poll(NULL, 0, 100);
	}
	assert_string_equal(log, "key=65534 signal=9\n");
	b = connect_as(UID_A);
	assert_int_equal(first_word(b, 5000, text, sizeof text), 1);
	close(a);
	close(b);
	stop();
}

static void
main_killed_sends_its_slots_sigterm(void **state)
{
	char text[1024];
	struct stat st;
	int a, i;

	(void)state;
	start(&roomy);
	a = connect_as(UID_A);
	assert_int_equal(first_word(a, 5000, text, sizeof text), 1);
	assert_int_equal(kill(mainpid, SIGKILL), 0);
	waitpid(mainpid, NULL, 0);
	mainpid = -1;
	for (i = 0; i < 50 && stat(termed, &st) < 0; i++)
		poll(NULL, 0, 100);
	assert_true(i < 50);
	close(a);
}

static int
setup(void **state)
{
	struct passwd *pw = getpwuid(UID_A);

	(void)state;
	if (geteuid() != 0 || pw == NULL)
		return -1;
	wuid = pw->pw_uid;
	wgid = pw->pw_gid;
	if (mkdtemp(dir) == NULL)
		return -1;
	chmod(dir, 0755);
	snprintf(sock, sizeof sock, "%s/toy.sock", dir);
	snprintf(ended, sizeof ended, "%s/ended", dir);
	snprintf(termed, sizeof termed, "%s/termed", dir);
	return 0;
}

/* After each test: main stopped, even when an assertion cut it short. */
static int
stop_main(void **state)
{
	(void)state;
	stop();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	stop();
	unlink(sock);
	unlink(ended);
	unlink(termed);
	rmdir(dir);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(the_worker_is_nobody_with_nothing, stop_main),
		cmocka_unit_test_teardown(a_key_beyond_its_limits_is_told_busy, stop_main),
		cmocka_unit_test_teardown(a_flood_of_stalled_connections_does_not_delay_another_uid, stop_main),
		cmocka_unit_test_teardown(a_wait_beyond_the_queue_limit_is_told_busy, stop_main),
		cmocka_unit_test_teardown(a_slot_killed_is_reaped_and_the_next_is_served, stop_main),
		cmocka_unit_test_teardown(main_killed_sends_its_slots_sigterm, stop_main),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
