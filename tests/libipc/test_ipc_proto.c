/* libipc: banner and version rule, dispatch table, peer identity. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "libipc/ipc.h"
#include "libipc/peer_priv.h"

/* ---- banner ---- */

/* Passes m through a socket pair, so the reader sees what a server would;
 * frees m and returns the received message. */
static struct ix_msg *
through_socket(struct ix_msg *m)
{
	struct ix_msg *r = NULL;
	struct ix_err e;
	int sp[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp), 0);
	assert_int_equal(ix_ipc_send(sp[0], m, 1000, &e), 0);
	assert_int_equal(ix_ipc_recv(sp[1], &r, 1000, &e), 1);
	ix_msg_free(m);
	close(sp[0]);
	close(sp[1]);
	return r;
}

/* A message marked secret keeps its bytes whole through the growth of
 * its buffer (which moves it: the old one is wiped, not realloc'ed) and
 * through a socket read with ix_ipc_recv_secret. */
static void
secret_message_survives_growth_and_the_wire(void **state)
{
	struct ix_msg *m = ix_msg_new(IX_RANGE_PASSWDD + 1, NULL), *r = NULL;
	char secret[1025];
	const uint8_t *p;
	size_t n;
	struct ix_err e;
	int sp[2];

	(void)state;
	memset(secret, 'x', sizeof secret - 1);
	secret[sizeof secret - 1] = '\0';
	ix_msg_set_secret(m);
	assert_int_equal(ix_msg_put_u8(m, 7, &e), 0);
	assert_int_equal(ix_msg_put_blob(m, secret, sizeof secret - 1, 2048, &e), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp), 0);
	assert_int_equal(ix_ipc_send(sp[0], m, 1000, &e), 0);
	assert_int_equal(ix_ipc_recv_secret(sp[1], &r, 1000, &e), 1);
	ix_msg_free(m);
	close(sp[0]);
	close(sp[1]);
	assert_int_equal(ix_msg_get_u8(r, &(uint8_t){ 0 }, &e), 0);
	assert_int_equal(ix_msg_get_blob(r, &p, &n, 2048, &e), 0);
	assert_int_equal(n, sizeof secret - 1);
	assert_memory_equal(p, secret, n);
	assert_int_equal(ix_msg_end(r, &e), 0);
	ix_msg_free(r);
}

/* Checks a HELLO {service, version} (plus extra trailing bytes) against
 * a server; want is NULL for acceptance, else the exact error message. */
static void
expect_hello(const char *service, uint16_t version, size_t extra,
    const char *srv, uint16_t srv_version, enum ix_errcode code,
    const char *want)
{
	struct ix_msg *m = ix_msg_new(IX_MSG_HELLO, NULL);
	struct ix_err e;
	uint16_t v = 0;
	size_t i;

	assert_int_equal(ix_msg_put_str(m, service, 64, &e), 0);
	assert_int_equal(ix_msg_put_u16(m, version, &e), 0);
	for (i = 0; i < extra; i++)
		assert_int_equal(ix_msg_put_u8(m, 0, &e), 0);
	m = through_socket(m);
	if (want == NULL) {
		assert_int_equal(ix_ipc_check_hello(m, srv, srv_version, &v, &e), 0);
		assert_int_equal(v, version);
	} else {
		assert_int_equal(ix_ipc_check_hello(m, srv, srv_version, &v, &e), -1);
		assert_int_equal(e.code, code);
		assert_string_equal(e.msg, want);
	}
	ix_msg_free(m);
}

static void
check_hello_accepts_own_version(void **state)
{
	expect_hello("privd", 2, 0, "privd", 2, IX_OK, NULL);
}

static void
check_hello_accepts_previous_version(void **state)
{
	expect_hello("privd", 1, 0, "privd", 2, IX_OK, NULL);
}

static void
check_hello_rejects_newer_version_naming_both(void **state)
{
	expect_hello("privd", 3, 0, "privd", 2, IX_EVERSION,
	    "client speaks privd protocol 3, server speaks 1 and 2");
}

static void
check_hello_rejects_version_two_behind(void **state)
{
	expect_hello("sessiond", 1, 0, "sessiond", 3, IX_EVERSION,
	    "client speaks sessiond protocol 1, server speaks 2 and 3");
}

static void
check_hello_first_version_server_names_one_version(void **state)
{
	expect_hello("passwdd", 0, 0, "passwdd", 1, IX_EVERSION,
	    "client speaks passwdd protocol 0, server speaks 1");
}

static void
check_hello_rejects_wrong_service(void **state)
{
	expect_hello("passwdd", 2, 0, "privd", 2, IX_EINVAL,
	    "client asks for service 'passwdd', this is privd");
}

static void
check_hello_rejects_trailing_bytes(void **state)
{
	expect_hello("privd", 2, 1, "privd", 2, IX_EINVAL,
	    "message 0x0002: offset 12: 1 trailing bytes");
}

/* Runs the client half in a child that writes its result to a pipe; the
 * parent runs the server half. Returns the server's result and fills
 * client_out with "ok N" or the client's error message. */
static int
exchange(const char *srv_service, uint16_t srv_version, const char *cli_service,
    uint16_t cli_version, uint16_t *negotiated, struct ix_err *e,
    char *client_out, size_t outlen)
{
	int sp[2], pp[2], status, rc;
	ssize_t n;
	pid_t pid;

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp), 0);
	assert_int_equal(pipe(pp), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct ix_err ce;
		uint16_t v;
		char buf[600];

		close(sp[0]);
		close(pp[0]);
		if (ix_ipc_client_hello(sp[1], cli_service, cli_version, 2000, &v,
		    &ce) == 0)
			snprintf(buf, sizeof buf, "ok %u", v);
		else
			snprintf(buf, sizeof buf, "%d %s", ce.code, ce.msg);
		n = write(pp[1], buf, strlen(buf));
		_exit(n > 0 ? 0 : 1);
	}
	close(sp[1]);
	close(pp[1]);
	rc = ix_ipc_server_banner(sp[0], srv_service, srv_version, 2000,
	    negotiated, e);
	close(sp[0]);
	n = read(pp[0], client_out, outlen - 1);
	client_out[n > 0 ? n : 0] = '\0';
	close(pp[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return rc;
}

static void
banner_exchange_negotiates_previous_version(void **state)
{
	struct ix_err e;
	char client[600];
	uint16_t v = 0;

	assert_int_equal(exchange("privd", 2, "privd", 1, &v, &e, client,
	    sizeof client), 0);
	assert_int_equal(v, 1);
	assert_string_equal(client, "ok 1");
}

static void
banner_exchange_mismatch_reaches_client_naming_both(void **state)
{
	struct ix_err e;
	char client[600], want[600];
	uint16_t v;

	assert_int_equal(exchange("privd", 2, "privd", 3, &v, &e, client,
	    sizeof client), -1);
	assert_int_equal(e.code, IX_EVERSION);
	snprintf(want, sizeof want, "%d privd server: client speaks privd "
	    "protocol 3, server speaks 1 and 2", IX_EVERSION);
	assert_string_equal(client, want);
}

static void
client_hello_rejects_banner_of_other_service(void **state)
{
	struct ix_err e;
	char client[600];
	uint16_t v;

	/* The client hangs up without HELLO; the server sees that. */
	assert_int_equal(exchange("passwdd", 1, "privd", 1, &v, &e, client,
	    sizeof client), -1);
	assert_non_null(strstr(client, "connected to service 'passwdd', expected privd"));
	assert_non_null(strstr(e.msg, "closed while waiting for HELLO"));
}

/* ---- dispatch ---- */

#define T_AUTH 0x0101
#define T_REQUEST 0x0102
#define T_LIST 0x0103
#define ST_AUTHED 0x2u

struct calls {
	int auth, request, list;	/* how many times each handler ran */
};

static int
h_auth(struct ix_dispatch *d, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	if (ix_msg_end(m, err) < 0)
		return -1;
	((struct calls *)ctx)->auth++;
	ix_dispatch_set_state(d, ST_AUTHED);
	return 0;
}

static int
h_request(struct ix_dispatch *d, struct ix_msg *m, void *ctx, struct ix_err *err)
{
	const char *s;

	if (ix_msg_get_str(m, &s, 64, err) < 0 || ix_msg_end(m, err) < 0)
		return -1;
	((struct calls *)ctx)->request++;
	return 0;
}

/* Forgets ix_msg_end: the dispatcher must not let that pass. */
static int
h_list_buggy(struct ix_dispatch *d, struct ix_msg *m, void *ctx,
    struct ix_err *err)
{
	((struct calls *)ctx)->list++;
	return 0;
}

static const struct ix_dispatch_entry table[] = {
	{ T_AUTH, "AUTH", IX_DISPATCH_ONCE | IX_DISPATCH_AFTER_HELLO, 0, h_auth },
	{ T_REQUEST, "REQUEST", IX_DISPATCH_AFTER_HELLO, ST_AUTHED, h_request },
	{ T_LIST, "LIST", 0, 0, h_list_buggy },
};

static struct ix_msg *
msg_of(uint16_t type, const char *str)
{
	struct ix_msg *m = ix_msg_new(type, NULL);
	struct ix_err e;

	if (str != NULL)
		assert_int_equal(ix_msg_put_str(m, str, 64, &e), 0);
	return through_socket(m);
}

static int
run(struct ix_dispatch *d, uint16_t type, const char *str, struct calls *c,
    struct ix_err *e)
{
	struct ix_msg *m = msg_of(type, str);
	int rc = ix_dispatch_one(d, m, c, e);

	ix_msg_free(m);
	return rc;
}

static void
dispatch_init_rejects_entry_outside_range(void **state)
{
	static const struct ix_dispatch_entry bad[] = {
		{ 0x0201, "PW", 0, 0, h_auth },
	};
	struct ix_dispatch d;
	struct ix_err e;

	assert_int_equal(ix_dispatch_init(&d, "privd", IX_RANGE_PRIVD, bad, 1, &e), -1);
	assert_string_equal(e.msg,
	    "privd: table entry 0x0201 outside range 0x0100-0x01ff");
}

static void
dispatch_rejects_type_outside_server_range(void **state)
{
	struct ix_dispatch d;
	struct calls c = { 0 };
	struct ix_err e;

	assert_int_equal(ix_dispatch_init(&d, "privd", IX_RANGE_PRIVD, table, 3, &e), 0);
	ix_dispatch_set_state(&d, IX_STATE_HELLO);
	assert_int_equal(run(&d, 0x0201, NULL, &c, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_string_equal(e.msg, "privd: message type 0x0201 outside the privd "
	    "range 0x0100-0x01ff");
	/* Common types are not requests either. */
	assert_int_equal(run(&d, IX_MSG_HELLO, NULL, &c, &e), -1);
	assert_non_null(strstr(e.msg, "0x0002 outside"));
}

static void
dispatch_rejects_unknown_type_in_range(void **state)
{
	struct ix_dispatch d;
	struct calls c = { 0 };
	struct ix_err e;

	assert_int_equal(ix_dispatch_init(&d, "privd", IX_RANGE_PRIVD, table, 3, &e), 0);
	assert_int_equal(run(&d, 0x01ff, NULL, &c, &e), -1);
	assert_string_equal(e.msg, "privd: unknown request type 0x01ff");
}

static void
dispatch_rejects_request_out_of_order(void **state)
{
	struct ix_dispatch d;
	struct calls c = { 0 };
	struct ix_err e;

	assert_int_equal(ix_dispatch_init(&d, "privd", IX_RANGE_PRIVD, table, 3, &e), 0);
	/* Before HELLO. */
	assert_int_equal(run(&d, T_AUTH, NULL, &c, &e), -1);
	assert_string_equal(e.msg, "privd: request AUTH (0x0101) out of order: "
	    "needs state 0x1, at 0x0");
	ix_dispatch_set_state(&d, IX_STATE_HELLO);
	/* After HELLO but before AUTH. */
	assert_int_equal(run(&d, T_REQUEST, "ls", &c, &e), -1);
	assert_string_equal(e.msg, "privd: request REQUEST (0x0102) out of order: "
	    "needs state 0x3, at 0x1");
	assert_int_equal(c.request, 0);
	assert_int_equal(run(&d, T_AUTH, NULL, &c, &e), 0);
	assert_int_equal(run(&d, T_REQUEST, "ls", &c, &e), 0);
	assert_int_equal(run(&d, T_REQUEST, "id", &c, &e), 0);
	assert_int_equal(c.auth, 1);
	assert_int_equal(c.request, 2);
}

static void
dispatch_rejects_once_request_repeated(void **state)
{
	struct ix_dispatch d;
	struct calls c = { 0 };
	struct ix_err e;

	assert_int_equal(ix_dispatch_init(&d, "privd", IX_RANGE_PRIVD, table, 3, &e), 0);
	ix_dispatch_set_state(&d, IX_STATE_HELLO);
	assert_int_equal(run(&d, T_AUTH, NULL, &c, &e), 0);
	assert_int_equal(run(&d, T_AUTH, NULL, &c, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_string_equal(e.msg,
	    "privd: request AUTH (0x0101) is permitted only once");
	assert_int_equal(c.auth, 1);
}

static void
dispatch_once_counts_a_failed_attempt(void **state)
{
	struct ix_dispatch d;
	struct calls c = { 0 };
	struct ix_err e;

	assert_int_equal(ix_dispatch_init(&d, "privd", IX_RANGE_PRIVD, table, 3, &e), 0);
	ix_dispatch_set_state(&d, IX_STATE_HELLO);
	/* AUTH with a stray string: the handler's ix_msg_end fails. */
	assert_int_equal(run(&d, T_AUTH, "x", &c, &e), -1);
	assert_non_null(strstr(e.msg, "trailing bytes"));
	assert_int_equal(run(&d, T_AUTH, NULL, &c, &e), -1);
	assert_non_null(strstr(e.msg, "only once"));
	assert_int_equal(c.auth, 0);
}

static void
dispatch_fails_handler_that_skips_msg_end(void **state)
{
	struct ix_dispatch d;
	struct calls c = { 0 };
	struct ix_err e;

	assert_int_equal(ix_dispatch_init(&d, "privd", IX_RANGE_PRIVD, table, 3, &e), 0);
	assert_int_equal(run(&d, T_LIST, NULL, &c, &e), -1);
	assert_string_equal(e.msg,
	    "privd: handler of LIST (0x0103) did not call ix_msg_end");
}

/* ---- peer identity ---- */

static char dir[] = "/tmp/ixkit-test-peer-XXXXXX";
static char path[128];

/* A child connects (as nobody when we are root), sends its pid, waits for
 * one byte and exits. Returns the accepted connection. */
static int
connect_child(pid_t *child, int *go, uid_t *child_uid)
{
	struct ix_err e;
	int l, a, pp[2];

	assert_int_equal(pipe(pp), 0);
	l = ix_ipc_listen(path, 0666, 4, &e);
	assert_true(l >= 0);
	*child_uid = geteuid() == 0 ? 65534 : geteuid();
	*child = fork();
	assert_true(*child >= 0);
	if (*child == 0) {
		struct ix_msg *m;
		char b;
		int c;

		close(pp[1]);
		if (geteuid() == 0 && (setgid(65534) < 0 || setuid(65534) < 0))
			_exit(2);
		c = ix_ipc_connect(path, &e);
		m = ix_msg_new(0x0101, &e);
		if (c < 0 || m == NULL || ix_msg_put_u32(m, (uint32_t)getpid(), &e) < 0 ||
		    ix_ipc_send(c, m, 2000, &e) < 0)
			_exit(3);
		_exit(read(pp[0], &b, 1) == 1 ? 0 : 4);
	}
	close(pp[0]);
	a = ix_ipc_accept(l, &e);
	assert_true(a >= 0);
	close(l);
	unlink(path);
	*go = pp[1];
	return a;
}

static pid_t
fdinfo_pid(int pidfd)
{
	char p[64], line[256];
	long pid = -2;
	FILE *f;

	snprintf(p, sizeof p, "/proc/self/fdinfo/%d", pidfd);
	f = fopen(p, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "Pid: %ld", &pid) == 1)
			break;
	fclose(f);
	return (pid_t)pid;
}

static void
check_peer(int fallback)
{
	struct ix_peer peer;
	struct ix_msg *m = NULL;
	struct ix_err e;
	uid_t uid;
	uint32_t sent;
	pid_t child;
	int a, go, status;

	a = connect_child(&child, &go, &uid);
	assert_int_equal(ix_ipc_recv(a, &m, 2000, &e), 1);
	assert_int_equal(ix_msg_get_u32(m, &sent, &e), 0);
	ix_msg_free(m);
	if (fallback)
		assert_int_equal(ix_ipc_peer_fallback(a, &peer, &e), 0);
	else
		assert_int_equal(ix_ipc_peer(a, &peer, &e), 0);
	assert_int_equal(peer.via_peerpidfd, !fallback);
	assert_int_equal(peer.pid, child);
	assert_int_equal(peer.pid, (pid_t)sent);	/* the child's getpid() */
	assert_int_equal(peer.uid, uid);
	assert_int_equal(fdinfo_pid(peer.pidfd), child);
	assert_int_equal(fcntl(peer.pidfd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	assert_int_equal(ix_peer_alive(&peer, &e), 1);
	/* Once the child is gone its pid may be reused; the pidfd says so. */
	assert_int_equal(write(go, "x", 1), 1);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(ix_peer_alive(&peer, &e), 0);
	ix_peer_close(&peer);
	assert_int_equal(peer.pidfd, -1);
	ix_peer_close(&peer);
	ix_peer_close(NULL);
	close(go);
	close(a);
}

static void
peer_names_forked_child_via_so_peerpidfd(void **state)
{
	check_peer(0);
}

static void
peer_names_forked_child_via_pidfd_open(void **state)
{
	check_peer(1);
}

static void
peer_fails_when_peer_process_is_gone(void **state)
{
	struct ix_peer peer;
	struct ix_err e;
	pid_t child;
	uid_t uid;
	int a, go, status;
	struct ix_msg *m = NULL;

	a = connect_child(&child, &go, &uid);
	assert_int_equal(ix_ipc_recv(a, &m, 2000, &e), 1);
	ix_msg_free(m);
	assert_int_equal(write(go, "x", 1), 1);
	assert_int_equal(waitpid(child, &status, 0), child);
	/* Reaped: there is no process left to hand out a pidfd for. */
	assert_int_equal(ix_ipc_peer_fallback(a, &peer, &e), -1);
	assert_int_equal(e.code, IX_ENOENT);
	assert_int_equal(peer.pidfd, -1);
	assert_int_equal(ix_ipc_peer(a, &peer, &e), -1);
	assert_int_equal(e.code, IX_ENOENT);
	close(go);
	close(a);
}

/* ---- a client's opening ---- */

/* A server on path, forked, that takes one connection and closes it
 * (how == 'c'), goes away with the connection still in its backlog, as
 * the listener held for a daemon that refused to start does (how == 'd'),
 * or sends the banner of another service (how == 'o'). Returns its pid;
 * it exits 0 once it did that. */
static pid_t
fork_server(char how)
{
	struct ix_err e;
	pid_t pid;
	int l = ix_ipc_listen(path, 0666, 4, &e);

	assert_true(l >= 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct pollfd p = { .fd = l, .events = POLLIN };
		uint16_t v;
		int a;

		if (how == 'd')	/* readable once a connection waits */
			_exit(poll(&p, 1, 5000) == 1 ? 0 : 1);
		a = ix_ipc_accept(l, &e);
		if (a < 0)
			_exit(1);
		if (how == 'o')	/* the client hangs up instead of HELLO */
			ix_ipc_server_banner(a, "passwdd", 1, 5000, &v, &e);
		_exit(0);
	}
	close(l);
	return pid;
}

/* ix_ipc_client_open against fork_server(how): fills *e. */
static void
open_against(char how, struct ix_err *e)
{
	uint16_t v;
	pid_t pid = fork_server(how);
	int status;

	assert_int_equal(ix_ipc_client_open(path, "privd", 1, 5000, &v, e), -1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	unlink(path);
}

/* What ix_ipc_client_open says of a server gone before its banner. */
static void
expect_gone_before_banner(char how)
{
	struct ix_err e;
	char want[600];

	open_against(how, &e);
	snprintf(want, sizeof want, "privd at %s closed the connection before its "
	    "banner: is privd running, with the same --rundir? see its log", path);
	assert_string_equal(e.msg, want);
}

static void
client_open_names_socket_when_server_closes_before_banner(void **state)
{
	expect_gone_before_banner('c');
}

static void
client_open_names_socket_when_listener_drops_waiting_connection(void **state)
{
	/* The kernel resets the connection: "Connection reset by peer". */
	expect_gone_before_banner('d');
}

static void
client_open_names_socket_when_no_banner_comes(void **state)
{
	struct ix_err e;
	char want[600];
	uint16_t v;
	int l = ix_ipc_listen(path, 0666, 4, &e);

	/* Nobody accepts: the connection waits in the backlog. */
	assert_true(l >= 0);
	assert_int_equal(ix_ipc_client_open(path, "sessiond", 1, 200, &v, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
	snprintf(want, sizeof want, "sessiond at %s sent no banner within 0.2 s: "
	    "is sessiond running, with the same --rundir? see its log", path);
	assert_string_equal(e.msg, want);
	close(l);
	unlink(path);
}

static void
client_open_names_socket_of_wrong_banner(void **state)
{
	struct ix_err e;
	char want[600];

	open_against('o', &e);
	snprintf(want, sizeof want, "privd at %s: connected to service 'passwdd', "
	    "expected privd", path);
	assert_string_equal(e.msg, want);
}

static void
client_open_names_server_it_cannot_reach(void **state)
{
	struct ix_err e;
	char want[600];
	uint16_t v;

	unlink(path);
	assert_int_equal(ix_ipc_client_open(path, "passwdd", 1, 200, &v, &e), -1);
	assert_int_equal(e.code, IX_ESYS);
	snprintf(want, sizeof want, "cannot reach passwdd: %s: connect: %s", path,
	    strerror(ENOENT));
	assert_string_equal(e.msg, want);
}

static int
setup_dir(void **state)
{
	if (mkdtemp(dir) == NULL || chmod(dir, 0755) < 0)
		return -1;
	snprintf(path, sizeof path, "%s/s", dir);
	return 0;
}

static int
teardown_dir(void **state)
{
	unlink(path);
	return rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(check_hello_accepts_own_version),
		cmocka_unit_test(check_hello_accepts_previous_version),
		cmocka_unit_test(check_hello_rejects_newer_version_naming_both),
		cmocka_unit_test(check_hello_rejects_version_two_behind),
		cmocka_unit_test(check_hello_first_version_server_names_one_version),
		cmocka_unit_test(check_hello_rejects_wrong_service),
		cmocka_unit_test(check_hello_rejects_trailing_bytes),
		cmocka_unit_test(banner_exchange_negotiates_previous_version),
		cmocka_unit_test(banner_exchange_mismatch_reaches_client_naming_both),
		cmocka_unit_test(client_hello_rejects_banner_of_other_service),
		cmocka_unit_test(dispatch_init_rejects_entry_outside_range),
		cmocka_unit_test(dispatch_rejects_type_outside_server_range),
		cmocka_unit_test(dispatch_rejects_unknown_type_in_range),
		cmocka_unit_test(dispatch_rejects_request_out_of_order),
		cmocka_unit_test(dispatch_rejects_once_request_repeated),
		cmocka_unit_test(dispatch_once_counts_a_failed_attempt),
		cmocka_unit_test(dispatch_fails_handler_that_skips_msg_end),
		cmocka_unit_test(peer_names_forked_child_via_so_peerpidfd),
		cmocka_unit_test(peer_names_forked_child_via_pidfd_open),
		cmocka_unit_test(peer_fails_when_peer_process_is_gone),
		cmocka_unit_test(client_open_names_socket_when_server_closes_before_banner),
		cmocka_unit_test(client_open_names_socket_when_listener_drops_waiting_connection),
		cmocka_unit_test(client_open_names_socket_when_no_banner_comes),
		cmocka_unit_test(client_open_names_socket_of_wrong_banner),
		cmocka_unit_test(client_open_names_server_it_cannot_reach),
		cmocka_unit_test(secret_message_survives_growth_and_the_wire),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
