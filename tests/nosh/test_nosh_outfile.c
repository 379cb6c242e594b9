/* Opening a redirection target: what nosh writes to and what it refuses. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "nosh/outfile.h"

static char dir[] = "/tmp/nosh-test-outfile-XXXXXX";

static const char *
at(const char *name)
{
	/* Rotating buffers, so that two results can be passed to one call. */
	static char path[4][256];
	static unsigned i;

	i = (i + 1) % 4;
	snprintf(path[i], sizeof path[i], "%s/%s", dir, name);
	return path[i];
}

static void
put(const char *name, const char *text)
{
	FILE *f = fopen(at(name), "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char *
get(const char *name)
{
	static char buf[256];
	FILE *f = fopen(at(name), "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
write_through(int fd, const char *text)
{
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void
expect_refused(const char *path, int append, const char *why)
{
	struct ix_err err = { 0 };

	assert_int_equal(nosh_open_out(path, append, &err), -1);
	if (strstr(err.msg, why) == NULL)
		fail_msg("%s: got \"%s\", want \"%s\"", path, err.msg, why);
}

static int
setup(void **state)
{
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
open_out_creates_missing_file(void **state)
{
	struct ix_err err;

	write_through(nosh_open_out(at("new"), 0, &err), "hello\n");
	assert_string_equal(get("new"), "hello\n");
	unlink(at("new"));
}

static void
open_out_truncates_own_regular_file(void **state)
{
	struct ix_err err;

	put("old", "a long old content\n");
	write_through(nosh_open_out(at("old"), 0, &err), "new\n");
	assert_string_equal(get("old"), "new\n");
	unlink(at("old"));
}

static void
open_out_appends_with_double_gt(void **state)
{
	struct ix_err err;

	put("log", "one\n");
	write_through(nosh_open_out(at("log"), 1, &err), "two\n");
	assert_string_equal(get("log"), "one\ntwo\n");
	unlink(at("log"));
	write_through(nosh_open_out(at("log"), 1, &err), "fresh\n");
	assert_string_equal(get("log"), "fresh\n");
	unlink(at("log"));
}

static void
open_out_accepts_dev_null(void **state)
{
	struct ix_err err;

	write_through(nosh_open_out("/dev/null", 0, &err), "gone\n");
}

static void
open_out_refuses_symlink_as_final_component(void **state)
{
	put("victim", "keep\n");
	assert_int_equal(symlink(at("victim"), at("link")), 0);
	expect_refused(at("link"), 0, "symbolic link");
	expect_refused(at("link"), 1, "symbolic link");
	assert_string_equal(get("victim"), "keep\n");
	/* A dangling link is refused too, and nothing is created behind it. */
	assert_int_equal(symlink(at("nothing"), at("dangling")), 0);
	expect_refused(at("dangling"), 0, "symbolic link");
	assert_int_equal(access(at("nothing"), F_OK), -1);
	unlink(at("link"));
	unlink(at("dangling"));
	unlink(at("victim"));
}

static void
open_out_refuses_symlink_in_directory_component(void **state)
{
	char path[300];

	assert_int_equal(mkdir(at("real"), 0700), 0);
	assert_int_equal(symlink(at("real"), at("dirlink")), 0);
	snprintf(path, sizeof path, "%s/file", at("dirlink"));
	expect_refused(path, 0, "symbolic link");
	assert_int_equal(access(at("real/file"), F_OK), -1);
	unlink(at("dirlink"));
	rmdir(at("real"));
}

static void
open_out_refuses_proc_magic_link(void **state)
{
	struct ix_err err = { 0 };
	int fd = open(at("magic"), O_WRONLY | O_CREAT, 0600);
	char path[64];

	assert_true(fd >= 0);
	/* /proc/self is a symlink, /proc/thread-self/fd/N a magic link. */
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	assert_int_equal(nosh_open_out(path, 0, &err), -1);
	close(fd);
	unlink(at("magic"));
}

static void
open_out_refuses_directory(void **state)
{
	assert_int_equal(mkdir(at("d"), 0700), 0);
	expect_refused(at("d"), 0, "not a regular file");
	rmdir(at("d"));
}

static void
open_out_refuses_fifo_without_blocking(void **state)
{
	assert_int_equal(mkfifo(at("fifo"), 0600), 0);
	expect_refused(at("fifo"), 0, "not a regular file");
	expect_refused(at("fifo"), 1, "not a regular file");
	unlink(at("fifo"));
}

static void
open_out_refuses_socket(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", at("sock"));
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
	expect_refused(at("sock"), 0, "not a regular file");
	close(s);
	unlink(at("sock"));
}

static void
open_out_refuses_device_other_than_null(void **state)
{
	expect_refused("/dev/zero", 0, "not a regular file");
	expect_refused("/dev/full", 1, "not a regular file");
}

static void
open_out_refuses_hard_linked_file_and_keeps_content(void **state)
{
	put("orig", "precious\n");
	assert_int_equal(link(at("orig"), at("hard")), 0);
	expect_refused(at("hard"), 0, "other hard links");
	assert_string_equal(get("orig"), "precious\n");
	unlink(at("hard"));
	unlink(at("orig"));
}

static void
open_out_refuses_file_owned_by_another_user(void **state)
{
	if (geteuid() != 0)
		skip();	/* chown to another user needs root; CI runs as root */
	put("theirs", "not yours\n");
	assert_int_equal(chown(at("theirs"), 65534, 65534), 0);
	expect_refused(at("theirs"), 0, "owned by another user");
	assert_string_equal(get("theirs"), "not yours\n");
	unlink(at("theirs"));
}

static void
open_out_reports_missing_directory(void **state)
{
	expect_refused(at("no/such/file"), 0, "No such file or directory");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_out_creates_missing_file),
		cmocka_unit_test(open_out_truncates_own_regular_file),
		cmocka_unit_test(open_out_appends_with_double_gt),
		cmocka_unit_test(open_out_accepts_dev_null),
		cmocka_unit_test(open_out_refuses_symlink_as_final_component),
		cmocka_unit_test(open_out_refuses_symlink_in_directory_component),
		cmocka_unit_test(open_out_refuses_proc_magic_link),
		cmocka_unit_test(open_out_refuses_directory),
		cmocka_unit_test(open_out_refuses_fifo_without_blocking),
		cmocka_unit_test(open_out_refuses_socket),
		cmocka_unit_test(open_out_refuses_device_other_than_null),
		cmocka_unit_test(open_out_refuses_hard_linked_file_and_keeps_content),
		cmocka_unit_test(open_out_refuses_file_owned_by_another_user),
		cmocka_unit_test(open_out_reports_missing_directory),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
