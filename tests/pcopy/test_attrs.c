/*
 * Unit tests of pcopy/attrs.c: which xattrs are copied, and the lines
 * --verify prints for each difference.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "libcompart/compart_maps.h"
#include "libpcopy/attrs.h"

static void
copied_names_are_the_licence_label_and_ixkit_prefixes(void **state)
{
	(void)state;
	assert_true(pc_xattr_copied("security.capability"));
	assert_true(pc_xattr_copied("security.bpf.ixkit"));
	assert_true(pc_xattr_copied("security.ixkit.dummy"));
	assert_true(pc_xattr_copied("trusted.ixkit.approval"));
}

static void
copied_names_reject_others_and_near_misses(void **state)
{
	(void)state;
	assert_false(pc_xattr_copied("user.note"));
	assert_false(pc_xattr_copied("security.selinux"));
	assert_false(pc_xattr_copied("system.posix_acl_access"));
	assert_false(pc_xattr_copied("security.ixkit"));	/* no dot: not the prefix */
	assert_false(pc_xattr_copied("trusted.ixkitx.a"));
	assert_false(pc_xattr_copied("security.bpf.ixkit2"));
	/* The licence mark is the seal, given after the copy is in place. */
	assert_false(pc_xattr_copied(IX_T1_LICENCE_XATTR));
	assert_false(pc_xattr_copied("security.capabilityx"));
	assert_false(pc_xattr_copied(""));
}

struct lines {
	size_t n;
	char text[8][512];
};

static void
collect(void *arg, const char *line)
{
	struct lines *l = arg;
	assert_true(l->n < 8);
	snprintf(l->text[l->n++], sizeof l->text[0], "%s", line);
}

static void
compare_equal_attributes_reports_nothing(void **state)
{
	struct pc_xattr x[] = {{"security.capability", (unsigned char *)"\1\2", 2}};
	struct pc_attrs a = {0, 0, 04755, 1, x}, b = a;
	struct lines l = {0};
	(void)state;
	assert_int_equal(pc_attrs_compare(&a, &b, collect, &l), 0);
	assert_int_equal(l.n, 0);
	assert_true(pc_attrs_equal(&a, &b));
}

static void
compare_reports_one_line_per_difference(void **state)
{
	struct pc_xattr xa[] = {
		{"security.bpf.ixkit", (unsigned char *)"\1\0", 2},
		{"security.capability", (unsigned char *)"\1\2", 2},
	};
	struct pc_xattr xb[] = {
		{"security.bpf.ixkit", (unsigned char *)"\1\1", 2},
		{"trusted.ixkit.extra", (unsigned char *)"x", 1},
	};
	struct pc_attrs a = {0, 0, 04755, 2, xa}, b = {4242, 4343, 0755, 2, xb};
	struct lines l = {0};
	(void)state;
	assert_int_equal(pc_attrs_compare(&a, &b, collect, &l), 6);
	assert_string_equal(l.text[0], "owner: 0 (source) 4242 (copy)");
	assert_string_equal(l.text[1], "group: 0 (source) 4343 (copy)");
	assert_string_equal(l.text[2], "mode: 4755 (source) 0755 (copy)");
	assert_string_equal(l.text[3], "xattr security.bpf.ixkit: 0100 (source) 0101 (copy)");
	assert_string_equal(l.text[4], "xattr security.capability: only on the source");
	assert_string_equal(l.text[5], "xattr trusted.ixkit.extra: only on the copy");
	assert_false(pc_attrs_equal(&a, &b));
}

static void
compare_values_of_different_length_differ(void **state)
{
	struct pc_xattr xa[] = {{"security.capability", (unsigned char *)"\1\2", 2}};
	struct pc_xattr xb[] = {{"security.capability", (unsigned char *)"\1\2\3", 3}};
	struct pc_attrs a = {0, 0, 0755, 1, xa}, b = {0, 0, 0755, 1, xb};
	struct lines l = {0};
	(void)state;
	assert_int_equal(pc_attrs_compare(&a, &b, collect, &l), 1);
	assert_string_equal(l.text[0], "xattr security.capability: 0102 (source) 010203 (copy)");
}

static void
free_accepts_null_and_empty(void **state)
{
	struct pc_attrs a = {0};
	(void)state;
	pc_attrs_free(NULL);
	pc_attrs_free(&a);
	assert_int_equal(a.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(copied_names_are_the_licence_label_and_ixkit_prefixes),
		cmocka_unit_test(copied_names_reject_others_and_near_misses),
		cmocka_unit_test(compare_equal_attributes_reports_nothing),
		cmocka_unit_test(compare_reports_one_line_per_difference),
		cmocka_unit_test(compare_values_of_different_length_differ),
		cmocka_unit_test(free_accepts_null_and_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
