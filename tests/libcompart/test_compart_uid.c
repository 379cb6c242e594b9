/*
 * Compartment uids (libcompart/compart_uid.c), through the calls that use
 * them: ix_compart_create_uids draws a sealed compartment's uid,
 * ix_compart_get reads it, ix_compart_remove releases it. Each test draws
 * from a small range of its own (every compartment's uid counts, so ranges
 * shared with other tests would make exhaustion a race): a range that is
 * full, a release, a removal done twice, a crash before or after the
 * record, a corrupt record, concurrent drawers in forked processes (there
 * is no lock: each claims, then checks). Needs root and cgroup v2;
 * creates compartments "u<pid>-..." and removes them.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <cmocka.h>

#include "libcompart/compart.h"

/* Ranges of these tests: BASE + 32 * n, clear of the built-in range and
 * of tests/scenario/compartctl_uid.sh's. */
#define BASE 2100000000u
#define RANGE(n, size) ((struct ix_uid_range){ BASE + 32u * (n), BASE + 32u * (n) + (size) - 1 })
#define NCHILD 24

static char names[64][IX_COMPART_NAME_MAX + 1];
static int nnames;

/* The name of compartment "u<pid>-what", remembered for the teardown. */
static const char *
cname(const char *what)
{
	char *n = names[nnames < 64 ? nnames++ : 63];

	snprintf(n, IX_COMPART_NAME_MAX + 1, "u%d-%s", (int)getpid(), what);
	return n;
}

/* Creates compartment what, sealed or not, drawing from r. Returns the
 * result of ix_compart_create_uids; *uid its uid, *err its error. */
static int
make(const char *what, bool sealed, struct ix_uid_range r, uid_t *uid, struct ix_err *err)
{
	struct ix_compart c = { 0 };
	int rc;

	snprintf(c.name, sizeof c.name, "%s", cname(what));
	c.flags = sealed ? IX_TASK_SEALED : 0;
	rc = ix_compart_create_uids(&c, &r, err);
	if (uid)
		*uid = c.uid;
	return rc;
}

static uid_t
uid_of(const char *what)
{
	char n[IX_COMPART_NAME_MAX + 1];
	struct ix_compart c;
	struct ix_err e;

	snprintf(n, sizeof n, "u%d-%s", (int)getpid(), what);
	assert_int_equal(ix_compart_get(n, &c, &e), 0);
	return c.uid;
}

static int
drop(const char *what, struct ix_err *err)
{
	char n[IX_COMPART_NAME_MAX + 1];

	snprintf(n, sizeof n, "u%d-%s", (int)getpid(), what);
	return ix_compart_remove(n, err);
}

/* <cgroup2>/ixkit/u<pid>-what, for the records made by hand. */
static void
raw_path(const char *what, char *out, size_t size)
{
	char cg[PATH_MAX];
	struct ix_err e;

	assert_int_equal(ix_cgroup2_mount(cg, sizeof cg, &e), 0);
	snprintf(out, size, "%s/%s/%s", cg, IX_COMPART_PARENT, cname(what));
}

static void
sealed_compartments_get_distinct_uids_of_the_range(void **state)
{
	const struct ix_uid_range r = RANGE(0, 3);
	uid_t a, b, c, open_;
	struct ix_err e;

	(void)state;
	assert_int_equal(make("d-a", true, r, &a, &e), 0);
	assert_int_equal(make("d-b", true, r, &b, &e), 0);
	assert_int_equal(make("d-c", true, r, &c, &e), 0);
	assert_int_equal(make("d-open", false, r, &open_, &e), 0);
	assert_true(a >= r.min && a <= r.max && b >= r.min && b <= r.max && c >= r.min && c <= r.max);
	assert_true(a != b && b != c && a != c);
	assert_int_equal(open_, 0);
	/* recorded: what get reads is what create drew */
	assert_int_equal(uid_of("d-a"), a);
	assert_int_equal(uid_of("d-c"), c);
	assert_int_equal(uid_of("d-open"), 0);
}

static void
full_range_refuses_and_removal_releases(void **state)
{
	const struct ix_uid_range r = RANGE(1, 2);
	uid_t a, b, c;
	struct ix_err e;

	(void)state;
	assert_int_equal(make("f-a", true, r, &a, &e), 0);
	assert_int_equal(make("f-b", true, r, &b, &e), 0);
	assert_int_equal(make("f-c", true, r, &c, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
	assert_non_null(strstr(e.msg, "no free compartment uid in"));
	assert_non_null(strstr(e.msg, "(2 held by compartments, 0 by the user database)"));
	/* the refused compartment was not left behind half made */
	assert_int_equal(drop("f-c", &e), -1);
	assert_int_equal(e.code, IX_ENOENT);
	assert_int_equal(drop("f-a", &e), 0);
	assert_int_equal(make("f-c", true, r, &c, &e), 0);
	assert_int_equal(c, a);
}

static void
removal_twice_releases_nothing_the_second_time(void **state)
{
	const struct ix_uid_range r = RANGE(2, 2);
	uid_t a, b, c, d;
	struct ix_err e;

	(void)state;
	assert_int_equal(make("t-a", true, r, &a, &e), 0);
	assert_int_equal(make("t-b", true, r, &b, &e), 0);
	assert_int_equal(drop("t-a", &e), 0);
	assert_int_equal(make("t-c", true, r, &c, &e), 0);
	assert_int_equal(c, a);
	/* the second removal of a finds nothing, and c keeps a's old uid */
	assert_int_equal(drop("t-a", &e), -1);
	assert_int_equal(e.code, IX_ENOENT);
	assert_int_equal(make("t-d", true, r, &d, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
	assert_int_equal(uid_of("t-c"), a);
	assert_int_equal(uid_of("t-b"), b);
}

static void
a_released_uid_comes_back_last(void **state)
{
	const struct ix_uid_range r = RANGE(3, 3);
	uid_t a, b, c, d;
	struct ix_err e;

	(void)state;
	assert_int_equal(make("l-a", true, r, &a, &e), 0);
	assert_int_equal(drop("l-a", &e), 0);
	/* a's uid is free, yet the next two are drawn before it */
	assert_int_equal(make("l-b", true, r, &b, &e), 0);
	assert_int_equal(make("l-c", true, r, &c, &e), 0);
	assert_true(b != a && c != a && b != c);
	assert_int_equal(make("l-d", true, r, &d, &e), 0);
	assert_int_equal(d, a);
}

/* A drawer killed before its compartment was complete (a directory with
 * its uid record and no flags), and one killed after it was made, each
 * still hold their uid: the record is the directory, and only its
 * removal releases it. */
static void
a_crash_leaves_no_uid_held_twice(void **state)
{
	const struct ix_uid_range r = RANGE(4, 1);
	char half[PATH_MAX];
	uint8_t rec[4] = { (uint8_t)r.min, (uint8_t)(r.min >> 8), (uint8_t)(r.min >> 16),
			   (uint8_t)(r.min >> 24) };
	uid_t u;
	struct ix_err e;
	pid_t p;
	int st;

	(void)state;
	/* the parent exists once any compartment does */
	assert_int_equal(make("c-open", false, r, NULL, &e), 0);
	raw_path("c-half", half, sizeof half);
	assert_int_equal(mkdir(half, 0755), 0);
	assert_int_equal(setxattr(half, "trusted.ixkit.uid", rec, sizeof rec, 0), 0);
	assert_int_equal(make("c-a", true, r, &u, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
	assert_int_equal(rmdir(half), 0);
	/* a child makes one and dies without removing it */
	p = fork();
	assert_true(p >= 0);
	if (p == 0) {
		struct ix_compart c = { 0 };
		snprintf(c.name, sizeof c.name, "u%d-c-dead", (int)getppid());
		c.flags = IX_TASK_SEALED;
		_exit(ix_compart_create_uids(&c, &r, &e) == 0 && c.uid == r.min ? 0 : 1);
	}
	assert_int_equal(waitpid(p, &st, 0), p);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	cname("c-dead");
	assert_int_equal(make("c-b", true, r, &u, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
	assert_int_equal(drop("c-dead", &e), 0);
	assert_int_equal(make("c-b", true, r, &u, &e), 0);
	assert_int_equal(u, r.min);
}

static void
a_corrupt_record_fails_closed(void **state)
{
	const struct ix_uid_range r = RANGE(5, 4);
	char bad[PATH_MAX];
	uid_t u;
	struct ix_err e;

	(void)state;
	assert_int_equal(make("x-open", false, r, NULL, &e), 0);
	raw_path("x-bad", bad, sizeof bad);
	assert_int_equal(mkdir(bad, 0755), 0);
	assert_int_equal(setxattr(bad, "trusted.ixkit.uid", "abc", 3, 0), 0);
	assert_int_equal(make("x-a", true, r, &u, &e), -1);
	assert_int_equal(e.code, IX_ECORRUPT);
	assert_non_null(strstr(e.msg, "its uid record is not a uid"));
	assert_int_equal(rmdir(bad), 0);
	assert_int_equal(make("x-a", true, r, &u, &e), 0);
}

static void
a_range_without_uids_other_than_0_is_refused(void **state)
{
	uid_t u;
	struct ix_err e;

	(void)state;
	assert_int_equal(make("v-a", true, (struct ix_uid_range){ 0, 10 }, &u, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_int_equal(make("v-b", true, (struct ix_uid_range){ BASE + 9, BASE + 1 }, &u, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_int_equal(make("v-c", true, (struct ix_uid_range){ BASE, (uid_t)-1 }, &u, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	/* the built-in range, when none is given */
	assert_int_equal(make("v-d", true, (struct ix_uid_range){ 0, 0 }, &u, &e), 0);
	assert_true(u >= IX_COMPART_UID_MIN && u <= IX_COMPART_UID_MAX);
}

/* NCHILD processes draw at once from a range of NCHILD: each gets one,
 * no two the same, and the range is then full. */
static void
concurrent_drawers_never_share_a_uid(void **state)
{
	const struct ix_uid_range r = RANGE(6, NCHILD);
	int go[2], out[2];
	uint32_t got[NCHILD];
	pid_t kids[NCHILD];
	struct ix_err e;
	uid_t u;

	(void)state;
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(out), 0);
	for (int i = 0; i < NCHILD; i++) {
		kids[i] = fork();
		assert_true(kids[i] >= 0);
		if (kids[i] == 0) {
			struct ix_compart c = { 0 };
			char b;
			uint32_t v = 0;

			close(go[1]);
			if (read(go[0], &b, 1) != 0)	/* EOF: all started */
				_exit(2);
			snprintf(c.name, sizeof c.name, "u%d-k%d", (int)getppid(), i);
			c.flags = IX_TASK_SEALED;
			if (ix_compart_create_uids(&c, &r, &e) == 0)
				v = c.uid;
			_exit(write(out[1], &v, sizeof v) == sizeof v ? 0 : 3);
		}
	}
	close(go[0]);
	close(go[1]);	/* releases every child at once */
	close(out[1]);
	for (int i = 0; i < NCHILD; i++) {
		char k[16];
		int st;

		assert_int_equal(read(out[0], &got[i], sizeof got[i]), sizeof got[i]);
		assert_int_equal(waitpid(kids[i], &st, 0), kids[i]);
		snprintf(k, sizeof k, "k%d", i);
		cname(k);
	}
	close(out[0]);
	for (int i = 0; i < NCHILD; i++) {
		assert_true(got[i] >= r.min && got[i] <= r.max);
		for (int j = 0; j < i; j++)
			assert_int_not_equal(got[i], got[j]);
	}
	assert_int_equal(make("k-more", true, r, &u, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
}

static int
teardown(void **state)
{
	(void)state;
	for (int i = 0; i < nnames; i++)
		ix_compart_remove(names[i], &(struct ix_err){ 0 });
	nnames = 0;
	return 0;
}

/* The cursors of these tests' ranges, kept on the host's parent. */
static int
forget_cursors(void **state)
{
	char cg[PATH_MAX], parent[PATH_MAX + 16], xa[64];
	struct ix_err e;

	(void)state;
	if (ix_cgroup2_mount(cg, sizeof cg, &e) < 0)
		return 0;
	snprintf(parent, sizeof parent, "%s/%s", cg, IX_COMPART_PARENT);
	for (unsigned n = 0; n < 8; n++) {
		snprintf(xa, sizeof xa, "trusted.ixkit.uid_next.%u", BASE + 32u * n);
		removexattr(parent, xa);
	}
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(sealed_compartments_get_distinct_uids_of_the_range, teardown),
		cmocka_unit_test_teardown(full_range_refuses_and_removal_releases, teardown),
		cmocka_unit_test_teardown(removal_twice_releases_nothing_the_second_time, teardown),
		cmocka_unit_test_teardown(a_released_uid_comes_back_last, teardown),
		cmocka_unit_test_teardown(a_crash_leaves_no_uid_held_twice, teardown),
		cmocka_unit_test_teardown(a_corrupt_record_fails_closed, teardown),
		cmocka_unit_test_teardown(a_range_without_uids_other_than_0_is_refused, teardown),
		cmocka_unit_test_teardown(concurrent_drawers_never_share_a_uid, teardown),
	};

	if (geteuid() != 0) {
		fprintf(stderr, "test_compart_uid: needs root (creates cgroups); CI runs it as root\n");
		return 77;
	}
	return cmocka_run_group_tests_name("compart_uid", tests, NULL, forget_cursors);
}
