/* passwdd/pam_loop.c: does a PAM stack in a pam.d directory load
 * pam_passwdd, through @include, include and substack, with libpam's
 * rules for comments, continuations, brackets, "other" and the vendor
 * directory? Each test writes its files into fresh temporary directories
 * (FX/etc for /etc/pam.d, FX/usr for /usr/lib/pam.d). */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "passwdd/pam_loop.h"

struct fx {
	char top[64];	/* the temporary directory */
	char dir[80];	/* top/etc: stands for /etc/pam.d */
	char usr[80];	/* top/usr: stands for /usr/lib/pam.d */
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	strcpy(f->top, "/tmp/ixkit-pamloop-XXXXXX");
	if (mkdtemp(f->top) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->dir, sizeof f->dir, "%s/etc", f->top);
	snprintf(f->usr, sizeof f->usr, "%s/usr", f->top);
	if (mkdir(f->dir, 0755) < 0 || mkdir(f->usr, 0755) < 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->top);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* Writes len bytes of text as d/name. */
static void
put_in(const char *d, const char *name, const char *text, size_t len)
{
	char path[128];
	int fd;

	snprintf(path, sizeof path, "%s/%s", d, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
}

static void
put_n(struct fx *f, const char *name, const char *text, size_t len)
{
	put_in(f->dir, name, text, len);
}

static void
put(struct fx *f, const char *name, const char *text)
{
	put_n(f, name, text, strlen(text));
}

/* Asks about service; on -1 checks that the message contains want. */
static int
ask(struct fx *f, const char *service, const char *want)
{
	struct ix_err e = { 0 };
	int rc = pw_pam_service_loops_at(f->dir, f->usr, service, &e);

	if (rc < 0 && want != NULL && strstr(e.msg, want) == NULL)
		fail_msg("message '%s' lacks '%s'", e.msg, want);
	if (rc < 0 && want == NULL)
		fail_msg("unexpected error: %s", e.msg);
	return rc;
}

static void
direct_module_line_loops(void **state)
{
	struct fx *f = *state;

	put(f, "svc", "auth [success=done authinfo_unavail=ignore default=die] pam_passwdd.so\n"
		      "auth required pam_unix.so\n");
	assert_int_equal(ask(f, "svc", NULL), 1);
}

static void
stack_without_pam_passwdd_does_not_loop(void **state)
{
	struct fx *f = *state;

	put(f, "svc", "# pam_passwdd.so is only named in this comment\n"
		      "auth required pam_unix.so nullok # and pam_passwdd.so here\n"
		      "\n"
		      "account required pam_unix.so debug arg=pam_passwdd.so\n");
	assert_int_equal(ask(f, "svc", NULL), 0);
}

static void
absolute_module_path_and_dash_type_loop(void **state)
{
	struct fx *f = *state;

	put(f, "a", "auth required /usr/lib/x86_64-linux-gnu/security/pam_passwdd.so socket=/x\n");
	put(f, "b", "-session optional pam_passwdd.so\n");
	assert_int_equal(ask(f, "a", NULL), 1);
	assert_int_equal(ask(f, "b", NULL), 1);
}

static void
at_include_chain_loops(void **state)
{
	struct fx *f = *state;

	put(f, "svc", "@include common-auth\n");
	put(f, "common-auth", "@include common-deep\n");
	put(f, "common-deep", "auth sufficient pam_passwdd.so\n");
	assert_int_equal(ask(f, "svc", NULL), 1);
	put(f, "common-deep", "auth sufficient pam_unix.so\n");
	assert_int_equal(ask(f, "svc", NULL), 0);
}

static void
include_and_substack_controls_loop(void **state)
{
	struct fx *f = *state;

	put(f, "inc", "auth include common-pw\n");
	put(f, "sub", "auth substack common-pw\n");
	put(f, "common-pw", "auth required pam_passwdd.so\n");
	assert_int_equal(ask(f, "inc", NULL), 1);
	assert_int_equal(ask(f, "sub", NULL), 1);
}

static void
continued_line_is_one_line(void **state)
{
	struct fx *f = *state;

	put(f, "svc", "auth required \\\n    pam_passwdd.so\n");
	assert_int_equal(ask(f, "svc", NULL), 1);
	/* Blanks after the backslash still continue; the backslash becomes
	 * a blank, so "pam_passwd\" + "d.so" is a module pam_passwd and an
	 * argument d.so. */
	put(f, "svc", "auth required \\ \t\npam_passwdd.so\n");
	assert_int_equal(ask(f, "svc", NULL), 1);
	put(f, "svc", "auth required pam_passwd\\\nd.so\n");
	assert_int_equal(ask(f, "svc", NULL), 0);
}

static void
comment_ends_the_logical_line(void **state)
{
	struct fx *f = *state;

	/* libpam: a "#" ends the line even after a backslash. */
	put(f, "svc", "auth required # \\\npam_passwdd.so x y\n");
	assert_int_equal(ask(f, "svc", "svc:1: fewer than three fields"), -1);
	put(f, "svc", "auth required pam_unix.so \\\n");
	assert_int_equal(ask(f, "svc", "continued past the end of the file"), -1);
}

static void
bracket_field_ends_at_its_bracket(void **state)
{
	struct fx *f = *state;

	/* "[a]pam_passwdd.so" is two fields to libpam. */
	put(f, "svc", "auth [default=ignore]pam_passwdd.so\n");
	assert_int_equal(ask(f, "svc", NULL), 1);
	/* "\\]" does not close the bracket. */
	put(f, "svc", "auth [success=ok \\] x=1] pam_passwdd.so\n");
	assert_int_equal(ask(f, "svc", NULL), 1);
	put(f, "svc", "auth [success=ok \\] pam_passwdd.so] pam_unix.so\n");
	assert_int_equal(ask(f, "svc", NULL), 0);
}

static void
include_keywords_ignore_case(void **state)
{
	struct fx *f = *state;

	put(f, "common-pw", "auth required pam_passwdd.so\n");
	put(f, "a", "auth Include common-pw\n");
	put(f, "b", "auth SUBSTACK common-pw\n");
	assert_int_equal(ask(f, "a", NULL), 1);
	assert_int_equal(ask(f, "b", NULL), 1);
}

static void
vendor_directory_is_read_after_etc(void **state)
{
	struct fx *f = *state;

	put_in(f->usr, "svc", "auth required pam_passwdd.so\n", 29);
	assert_int_equal(ask(f, "svc", NULL), 1);
	/* /etc/pam.d's file hides the vendor's, for includes too. */
	put(f, "svc", "@include common\n");
	put_in(f->usr, "common", "auth required pam_passwdd.so\n", 29);
	assert_int_equal(ask(f, "svc", NULL), 1);
	put(f, "common", "auth required pam_unix.so\n");
	assert_int_equal(ask(f, "svc", NULL), 0);
}

static void
other_is_read_with_every_service(void **state)
{
	struct fx *f = *state;

	put(f, "svc", "auth required pam_unix.so\n");
	put(f, "other", "auth required pam_passwdd.so\n");
	assert_int_equal(ask(f, "svc", NULL), 1);
	put(f, "other", "auth required pam_deny.so\n");
	assert_int_equal(ask(f, "svc", NULL), 0);
}

static void
missing_service_reads_other(void **state)
{
	struct fx *f = *state;

	put(f, "other", "auth required pam_passwdd.so\n");
	assert_int_equal(ask(f, "nosuch", NULL), 1);
	put(f, "other", "auth required pam_deny.so\n");
	assert_int_equal(ask(f, "nosuch", NULL), 0);
}

static void
missing_service_and_other_is_an_error(void **state)
{
	struct fx *f = *state;

	assert_int_equal(ask(f, "nosuch", "neither PAM file nosuch nor other exists"), -1);
}

static void
missing_include_is_an_error_with_its_line(void **state)
{
	struct fx *f = *state;

	put(f, "svc", "auth required pam_unix.so\n@include gone\n");
	assert_int_equal(ask(f, "svc", "svc:2: PAM file gone does not exist"), -1);
}

static void
invalid_names_are_refused(void **state)
{
	struct fx *f = *state;

	put(f, "svc", "auth required pam_unix.so\n");
	assert_int_equal(ask(f, "../svc", "not a name"), -1);
	assert_int_equal(ask(f, "..", "not a name"), -1);
	assert_int_equal(ask(f, "", "not a name"), -1);
	assert_int_equal(ask(f, "a b", "not a name"), -1);
	put(f, "up", "@include ../../etc/shadow\n");
	assert_int_equal(ask(f, "up", "up:1: include of '../../etc/shadow'"), -1);
	put(f, "abs", "auth include /etc/pam.d/common-auth\n");
	assert_int_equal(ask(f, "abs", "not a name"), -1);
}

static void
include_cycle_stops_at_depth_limit(void **state)
{
	struct fx *f = *state;

	put(f, "ping", "@include pong\n");
	put(f, "pong", "@include ping\n");
	assert_int_equal(ask(f, "ping", "nested deeper than"), -1);
}

static void
fan_out_stops_at_file_limit(void **state)
{
	struct fx *f = *state;
	char text[PW_PAM_FILES_MAX * 16];
	size_t n = 0;
	int i;

	put(f, "leaf", "auth required pam_unix.so\n");
	for (i = 0; i < PW_PAM_FILES_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "@include leaf\n");
	put(f, "wide", text);
	assert_int_equal(ask(f, "wide", "more than"), -1);
}

static void
oversized_file_and_line_are_refused(void **state)
{
	struct fx *f = *state;
	char *big = malloc(PW_PAM_FILE_MAX + 2);

	assert_non_null(big);
	memset(big, '#', PW_PAM_FILE_MAX + 1);
	put_n(f, "big", big, PW_PAM_FILE_MAX + 1);
	assert_int_equal(ask(f, "big", "larger than"), -1);
	/* Exactly at the limit: a comment, read completely. */
	put_n(f, "fits", big, PW_PAM_FILE_MAX);
	assert_int_equal(ask(f, "fits", NULL), 0);
	memset(big, 'a', PW_PAM_LINE_MAX + 1);
	put_n(f, "long", big, PW_PAM_LINE_MAX + 1);
	assert_int_equal(ask(f, "long", "long:1: line longer than"), -1);
	free(big);
}

static void
nul_byte_and_short_lines_are_refused(void **state)
{
	struct fx *f = *state;

	put_n(f, "nul", "auth required pam_unix.so\0pam_passwdd.so\n", 41);
	assert_int_equal(ask(f, "nul", "NUL"), -1);
	put(f, "short", "auth required\n");
	assert_int_equal(ask(f, "short", "short:1: fewer than three fields"), -1);
	put(f, "open", "auth [success=done pam_passwdd.so\n");
	assert_int_equal(ask(f, "open", "unclosed"), -1);
	put(f, "bare", "@include\n");
	assert_int_equal(ask(f, "bare", "without a name"), -1);
}

static void
directory_as_service_is_refused(void **state)
{
	struct fx *f = *state;
	char path[128];

	snprintf(path, sizeof path, "%s/sub", f->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(ask(f, "sub", "not a regular file"), -1);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(direct_module_line_loops),
		T(stack_without_pam_passwdd_does_not_loop),
		T(absolute_module_path_and_dash_type_loop),
		T(at_include_chain_loops),
		T(include_and_substack_controls_loop),
		T(continued_line_is_one_line),
		T(comment_ends_the_logical_line),
		T(bracket_field_ends_at_its_bracket),
		T(include_keywords_ignore_case),
		T(vendor_directory_is_read_after_etc),
		T(other_is_read_with_every_service),
		T(missing_service_reads_other),
		T(missing_service_and_other_is_an_error),
		T(missing_include_is_an_error_with_its_line),
		T(invalid_names_are_refused),
		T(include_cycle_stops_at_depth_limit),
		T(fan_out_stops_at_file_limit),
		T(oversized_file_and_line_are_refused),
		T(nul_byte_and_short_lines_are_refused),
		T(directory_as_service_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
