/* libipc over real sockets: round trips, rejections with descriptor
 * cleanup, timeouts, listening on a path safely. (Slots forked ahead of
 * their connection are the server kit's: tests/libipc/test_srv.c.) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <poll.h>
#include <unistd.h>
#include <cmocka.h>

#include "libipc/ipc.h"

static int sp[2];	/* sp[0] sends, sp[1] receives */
static char dir[] = "/tmp/ixkit-test-ipc-XXXXXX";

static int
setup(void **state)
{
	return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp);
}

static int
teardown(void **state)
{
	close(sp[0]);
	close(sp[1]);
	return 0;
}

static int
open_fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		n++;
	closedir(d);
	return n;
}

/* Sends a raw packet with the given descriptors, bypassing the library. */
static void
send_raw(const void *buf, size_t len, const int *fds, size_t nfds)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 16)];
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (nfds > 0) {
		memset(cbuf, 0, sizeof cbuf);
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	}
	assert_int_equal(sendmsg(sp[0], &mh, 0), (ssize_t)len);
}

static void
hdr(uint8_t *p, uint32_t len, uint16_t type, uint8_t nfds)
{
	p[0] = (uint8_t)(len >> 24);
	p[1] = (uint8_t)(len >> 16);
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[4] = (uint8_t)(type >> 8);
	p[5] = (uint8_t)type;
	p[6] = nfds;
	p[7] = 0;
}

/* Sends a raw packet with nsent copies of stdin's descriptor and checks
 * that recv rejects it with text in the error, and that none of the
 * descriptors it received is left open: the numbers the kernel would
 * install them at are still free afterwards. */
static void
expect_rejected_and_closed(const uint8_t *pkt, size_t len, size_t nsent,
    const char *text)
{
	int fds[16], probe[16];
	struct ix_msg *m = (struct ix_msg *)1;
	struct ix_err e;
	size_t i;
	int before;

	for (i = 0; i < nsent; i++)
		fds[i] = 0;
	/* The lowest free numbers are where recvmsg will install them. */
	for (i = 0; i < nsent; i++)
		probe[i] = dup(0);
	for (i = 0; i < nsent; i++)
		close(probe[i]);
	send_raw(pkt, len, fds, nsent);
	before = open_fd_count();
	assert_int_equal(ix_ipc_recv(sp[1], &m, 1000, &e), -1);
	assert_null(m);
	assert_non_null(strstr(e.msg, text));
	assert_int_equal(open_fd_count(), before);
	for (i = 0; i < nsent; i++) {
		errno = 0;
		assert_int_equal(fcntl(probe[i], F_GETFD), -1);
		assert_int_equal(errno, EBADF);
	}
}

static void
round_trip_every_field_type(void **state)
{
	struct ix_msg *m = ix_msg_new(0x0203, NULL), *r = NULL;
	static const uint8_t blob[] = { 0, 1, 0, 0xff };
	struct ix_err e;
	const uint8_t *p;
	const char *s;
	struct stat a, b;
	uint64_t v64;
	uint32_t v32;
	uint16_t v16;
	uint8_t v8;
	size_t n;
	int pipefd[2], fd1, fd2;

	assert_int_equal(pipe(pipefd), 0);
	assert_int_equal(ix_msg_put_u8(m, 0xfe, &e), 0);
	assert_int_equal(ix_msg_put_u16(m, 0xbeef, &e), 0);
	assert_int_equal(ix_msg_put_u32(m, 0xdeadbeef, &e), 0);
	assert_int_equal(ix_msg_put_u64(m, 0x0123456789abcdefULL, &e), 0);
	assert_int_equal(ix_msg_put_str(m, "downgrade projectbit report", 64, &e), 0);
	assert_int_equal(ix_msg_put_fd(m, pipefd[0], &e), 0);
	assert_int_equal(ix_msg_put_str(m, "", 0, &e), 0);
	assert_int_equal(ix_msg_put_blob(m, blob, sizeof blob, 4, &e), 0);
	assert_int_equal(ix_msg_put_fd(m, pipefd[1], &e), 0);
	assert_int_equal(ix_ipc_send(sp[0], m, 1000, &e), 0);
	ix_msg_free(m);

	assert_int_equal(ix_ipc_recv(sp[1], &r, 1000, &e), 1);
	assert_int_equal(ix_msg_type(r), 0x0203);
	assert_int_equal(ix_msg_nfds(r), 2);
	assert_int_equal(ix_msg_get_u8(r, &v8, &e), 0);
	assert_int_equal(v8, 0xfe);
	assert_int_equal(ix_msg_get_u16(r, &v16, &e), 0);
	assert_int_equal(v16, 0xbeef);
	assert_int_equal(ix_msg_get_u32(r, &v32, &e), 0);
	assert_int_equal(v32, 0xdeadbeef);
	assert_int_equal(ix_msg_get_u64(r, &v64, &e), 0);
	assert_true(v64 == 0x0123456789abcdefULL);
	assert_int_equal(ix_msg_get_str(r, &s, 64, &e), 0);
	assert_string_equal(s, "downgrade projectbit report");
	assert_int_equal(ix_msg_get_fd(r, &fd1, &e), 0);
	assert_int_equal(ix_msg_get_str(r, &s, 0, &e), 0);
	assert_string_equal(s, "");
	assert_int_equal(ix_msg_get_blob(r, &p, &n, 4, &e), 0);
	assert_int_equal(n, sizeof blob);
	assert_memory_equal(p, blob, sizeof blob);
	assert_int_equal(ix_msg_get_fd(r, &fd2, &e), 0);
	assert_int_equal(ix_msg_end(r, &e), 0);
	ix_msg_free(r);

	/* The descriptors name the same pipe and were received CLOEXEC;
	 * freeing the message did not close the ones taken. */
	assert_int_equal(fstat(fd1, &a), 0);
	assert_int_equal(fstat(pipefd[0], &b), 0);
	assert_true(a.st_ino == b.st_ino);
	assert_int_equal(fcntl(fd1, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	assert_int_equal(fcntl(fd2, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	assert_int_equal(write(fd2, "x", 1), 1);
	assert_int_equal(read(pipefd[0], &v8, 1), 1);
	assert_int_equal(v8, 'x');
	close(fd1);
	close(fd2);
	close(pipefd[0]);
	close(pipefd[1]);
}

static void
msg_free_closes_untaken_received_descriptors(void **state)
{
	struct ix_msg *m = ix_msg_new(0x0101, NULL), *r = NULL;
	struct ix_err e;
	int probe = dup(0);

	close(probe);
	assert_int_equal(ix_msg_put_fd(m, 0, &e), 0);
	assert_int_equal(ix_ipc_send(sp[0], m, 1000, &e), 0);
	ix_msg_free(m);
	assert_int_equal(ix_ipc_recv(sp[1], &r, 1000, &e), 1);
	assert_int_not_equal(fcntl(probe, F_GETFD), -1);	/* installed here */
	ix_msg_free(r);
	assert_int_equal(fcntl(probe, F_GETFD), -1);
}

static void
recv_rejects_truncated_packet(void **state)
{
	size_t len = IX_MSG_HDR_LEN + IX_MSG_MAX_PAYLOAD + 100;
	uint8_t *pkt = calloc(1, len);

	hdr(pkt, (uint32_t)(len - IX_MSG_HDR_LEN), 0x0101, 1);
	expect_rejected_and_closed(pkt, len, 1, "packet truncated");
	free(pkt);
}

static void
recv_rejects_oversized_length(void **state)
{
	size_t len = IX_MSG_HDR_LEN + IX_MSG_MAX_PAYLOAD + 1;
	uint8_t *pkt = calloc(1, len);

	hdr(pkt, IX_MSG_MAX_PAYLOAD + 1, 0x0101, 1);
	expect_rejected_and_closed(pkt, len, 1, "over the maximum of 65536");
	free(pkt);
}

static void
recv_rejects_length_mismatch(void **state)
{
	uint8_t pkt[IX_MSG_HDR_LEN + 4] = { 0 };

	hdr(pkt, 5, 0x0101, 2);
	expect_rejected_and_closed(pkt, sizeof pkt, 2,
	    "header says 5 payload bytes, packet has 4");
}

static void
recv_rejects_and_closes_more_descriptors_than_announced(void **state)
{
	uint8_t pkt[IX_MSG_HDR_LEN + 1] = { 0 };

	hdr(pkt, 1, 0x0101, 1);
	expect_rejected_and_closed(pkt, sizeof pkt, 3,
	    "header says 1 descriptors, 3 received");
}

static void
recv_rejects_and_closes_fewer_descriptors_than_announced(void **state)
{
	uint8_t pkt[IX_MSG_HDR_LEN + 2] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

	hdr(pkt, 2, 0x0101, 2);
	expect_rejected_and_closed(pkt, sizeof pkt, 1,
	    "header says 2 descriptors, 1 received");
}

static void
recv_rejects_and_closes_descriptors_over_maximum(void **state)
{
	uint8_t pkt[IX_MSG_HDR_LEN + 5] = { 0 };

	hdr(pkt, 5, 0x0101, 5);
	expect_rejected_and_closed(pkt, sizeof pkt, 5,
	    "5 descriptors over the maximum of 4");
}

static void
recv_rejects_and_closes_descriptors_beyond_control_buffer(void **state)
{
	uint8_t pkt[IX_MSG_HDR_LEN] = { 0 };

	hdr(pkt, 0, 0x0101, 0);
	expect_rejected_and_closed(pkt, sizeof pkt, 16,
	    "control data truncated");
}

static void
recv_rejects_control_message_other_than_rights(void **state)
{
	uint8_t pkt[IX_MSG_HDR_LEN + 1] = { 0 };
	int on = 1;

	/* With SO_PASSCRED every packet also carries SCM_CREDENTIALS. */
	assert_int_equal(setsockopt(sp[1], SOL_SOCKET, SO_PASSCRED, &on,
	    sizeof on), 0);
	hdr(pkt, 1, 0x0101, 1);
	expect_rejected_and_closed(pkt, sizeof pkt, 1, "is not SCM_RIGHTS");
}

static void
recv_returns_zero_when_peer_closes(void **state)
{
	struct ix_msg *m = NULL;
	struct ix_err e;

	close(sp[0]);
	sp[0] = -1;
	assert_int_equal(ix_ipc_recv(sp[1], &m, 1000, &e), 0);
	assert_null(m);
}

static void
recv_times_out(void **state)
{
	struct ix_msg *m = NULL;
	struct ix_err e;

	assert_int_equal(ix_ipc_recv(sp[1], &m, 50, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
	assert_string_equal(e.msg, "receiving: timed out after 50 ms");
}

static void
send_refuses_broken_message(void **state)
{
	struct ix_msg *m = ix_msg_new(0x0101, NULL), *r;
	struct ix_err e;

	ix_msg_put_str(m, "too long", 3, &e);
	assert_int_equal(ix_ipc_send(sp[0], m, 1000, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	ix_msg_free(m);
	/* Nothing went out. */
	assert_int_equal(ix_ipc_recv(sp[1], &r, 0, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
}

/* ---- listening on a path ---- */

static char sock_path[128];

static int
setup_dir(void **state)
{
	assert_non_null(mkdtemp(dir));
	snprintf(sock_path, sizeof sock_path, "%s/privd.sock", dir);
	return 0;
}

static int
teardown_dir(void **state)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
listen_creates_socket_with_mode_and_accepts(void **state)
{
	struct ix_err e;
	struct stat st;
	int l, c, a;

	unlink(sock_path);
	l = ix_ipc_listen(sock_path, 0660, 4, &e);
	assert_true(l >= 0);
	assert_int_equal(lstat(sock_path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0660);
	assert_int_equal(fcntl(l, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	c = ix_ipc_connect(sock_path, &e);
	assert_true(c >= 0);
	a = ix_ipc_accept(l, &e);
	assert_true(a >= 0);
	assert_int_equal(fcntl(a, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	assert_int_equal(fcntl(c, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	close(a);
	close(c);
	close(l);
}

static void
listen_refuses_live_socket(void **state)
{
	struct ix_err e;
	int l;

	unlink(sock_path);
	l = ix_ipc_listen(sock_path, 0600, 4, &e);
	assert_true(l >= 0);
	assert_int_equal(ix_ipc_listen(sock_path, 0600, 4, &e), -1);
	assert_int_equal(e.code, IX_EEXIST);
	assert_non_null(strstr(e.msg, "already listening"));
	close(l);
}

static void
listen_replaces_stale_socket(void **state)
{
	struct ix_err e;
	int l;

	unlink(sock_path);
	l = ix_ipc_listen(sock_path, 0600, 4, &e);
	assert_true(l >= 0);
	close(l);	/* the server died; its socket file remains */
	l = ix_ipc_listen(sock_path, 0600, 4, &e);
	assert_true(l >= 0);
	close(l);
}

static void
listen_refuses_to_replace_regular_file(void **state)
{
	struct ix_err e;
	struct stat st;
	int fd;

	unlink(sock_path);
	fd = open(sock_path, O_CREAT | O_WRONLY | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(ix_ipc_listen(sock_path, 0600, 4, &e), -1);
	assert_int_equal(e.code, IX_EEXIST);
	assert_non_null(strstr(e.msg, "is not a socket"));
	assert_int_equal(lstat(sock_path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
}

static void
listen_refuses_symlink(void **state)
{
	char target[160];
	struct ix_err e;
	struct stat st;

	snprintf(target, sizeof target, "%s/elsewhere", dir);
	unlink(sock_path);
	assert_int_equal(symlink(target, sock_path), 0);
	assert_int_equal(ix_ipc_listen(sock_path, 0600, 4, &e), -1);
	assert_int_equal(e.code, IX_EEXIST);
	/* Neither replaced nor followed. */
	assert_int_equal(lstat(sock_path, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(lstat(target, &st), -1);
	unlink(sock_path);
}

int
main(void)
{
	const struct CMUnitTest sock_tests[] = {
		cmocka_unit_test_setup_teardown(round_trip_every_field_type, setup, teardown),
		cmocka_unit_test_setup_teardown(msg_free_closes_untaken_received_descriptors, setup, teardown),
		cmocka_unit_test_setup_teardown(recv_rejects_truncated_packet, setup, teardown),
		cmocka_unit_test_setup_teardown(recv_rejects_oversized_length, setup, teardown),
		cmocka_unit_test_setup_teardown(recv_rejects_length_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(recv_rejects_and_closes_more_descriptors_than_announced, setup, teardown),
		cmocka_unit_test_setup_teardown(recv_rejects_and_closes_fewer_descriptors_than_announced, setup, teardown),
		cmocka_unit_test_setup_teardown(recv_rejects_and_closes_descriptors_over_maximum, setup, teardown),
		cmocka_unit_test_setup_teardown(recv_rejects_and_closes_descriptors_beyond_control_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(recv_rejects_control_message_other_than_rights, setup, teardown),
		cmocka_unit_test_setup_teardown(recv_returns_zero_when_peer_closes, setup, teardown),
		cmocka_unit_test_setup_teardown(recv_times_out, setup, teardown),
		cmocka_unit_test_setup_teardown(send_refuses_broken_message, setup, teardown),
	};
	const struct CMUnitTest path_tests[] = {
		cmocka_unit_test(listen_creates_socket_with_mode_and_accepts),
		cmocka_unit_test(listen_refuses_live_socket),
		cmocka_unit_test(listen_replaces_stale_socket),
		cmocka_unit_test(listen_refuses_to_replace_regular_file),
		cmocka_unit_test(listen_refuses_symlink),
	};
	int rc = cmocka_run_group_tests_name("sockets", sock_tests, NULL, NULL);

	return rc | cmocka_run_group_tests_name("paths", path_tests, setup_dir,
	    teardown_dir);
}
