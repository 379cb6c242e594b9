/*
 * Unit tests of libpcopy/licence.c on real files in /var/tmp (a file
 * system with xattrs and the immutable attribute): the capability xattr
 * in the kernel's formats, dummy licences and their binding, and the seal
 * (the immutable attribute and tier 1's licence mark).
 * Needs root (security.* xattrs, FS_IMMUTABLE_FL): CI runs the suite as
 * root, so a non-root run fails rather than skips.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "libpcopy/licence.h"

struct f {
	char path[64];
	int fd;
};

static int
setup(void **state)
{
	struct f *f = calloc(1, sizeof *f);

	if (f == NULL || geteuid() != 0) {
		fprintf(stderr, "test_licence must run as root (security.* xattrs, chattr)\n");
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "/var/tmp/ixkit-licence-XXXXXX");
	f->fd = mkstemp(f->path);
	if (f->fd < 0 || write(f->fd, "program", 7) != 7) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct f *f = *state;
	struct ix_err e;

	pc_immutable_set(f->fd, false, &e);
	close(f->fd);
	unlink(f->path);
	free(f);
	return 0;
}

static void
roles_are_names_without_separators(void **state)
{
	(void)state;
	assert_true(pc_role_ok("sysadmin"));
	assert_true(pc_role_ok("qa.team-2"));
	assert_false(pc_role_ok(""));
	assert_false(pc_role_ok("-x"));
	assert_false(pc_role_ok(".x"));
	assert_false(pc_role_ok("a/b"));
	assert_false(pc_role_ok("a b"));
	assert_false(pc_role_ok("x0123456789012345678901234567890123456789012345678901234567890123"));
}

static void
caps_round_trip_and_removal(void **state)
{
	struct f *f = *state;
	uint64_t caps, want = UINT64_C(1) << 13 | UINT64_C(1) << 40;	/* net_raw, checkpoint_restore */
	bool present;
	struct ix_err e;

	assert_int_equal(pc_caps_read(f->fd, &caps, &present, &e), 0);
	assert_false(present);
	assert_int_equal(pc_caps_write(f->fd, want, &e), 0);
	assert_int_equal(pc_caps_read(f->fd, &caps, &present, &e), 0);
	assert_true(present);
	assert_true(caps == want);
	assert_int_equal(pc_caps_write(f->fd, 0, &e), 0);
	assert_int_equal(pc_caps_read(f->fd, &caps, &present, &e), 0);
	assert_false(present);
	assert_int_equal(pc_caps_write(f->fd, 0, &e), 0);	/* none to remove: fine */
}

/* What setcap writes for a namespaced root (revision 3) is read too; a
 * value of another length is refused, never half-read. */
static void
caps_revision_3_read_and_malformed_refused(void **state)
{
	struct f *f = *state;
	unsigned char v3[24] = { 0x01, 0x00, 0x00, 0x03, 0x00, 0x20 };	/* rev 3, eff, cap 13 */
	uint64_t caps;
	bool present;
	struct ix_err e;

	assert_int_equal(fsetxattr(f->fd, "security.capability", v3, sizeof v3, 0), 0);
	assert_int_equal(pc_caps_read(f->fd, &caps, &present, &e), 0);
	assert_true(present);
	assert_true(caps == UINT64_C(1) << 13);
	/* The kernel itself refuses a malformed value: a short one can only
	 * be tested as the reader's own check on a truncated copy. */
	assert_int_equal(fsetxattr(f->fd, "security.capability", v3, 4, 0), -1);
}

static void
dummies_bind_sort_and_remove(void **state)
{
	struct f *f = *state;
	unsigned char h1[PC_HASH_BYTES], h2[PC_HASH_BYTES];
	struct pc_dummy d[PC_DUMMY_MAX];
	char text[PC_HASH_TEXT_MAX];
	size_t n;
	struct ix_err e;

	memset(h1, 0x11, sizeof h1);
	memset(h2, 0xab, sizeof h2);
	assert_int_equal(pc_dummy_add(f->fd, "sysadmin", h1, &e), 0);
	assert_int_equal(pc_dummy_add(f->fd, "secadmin", h2, &e), 0);
	assert_int_equal(pc_dummy_read(f->fd, d, PC_DUMMY_MAX, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(d[0].role, "secadmin");	/* sorted */
	assert_true(d[0].well_formed && memcmp(d[0].hash, h2, PC_HASH_BYTES) == 0);
	assert_string_equal(d[1].role, "sysadmin");
	assert_true(d[1].well_formed && memcmp(d[1].hash, h1, PC_HASH_BYTES) == 0);
	assert_int_equal(fgetxattr(f->fd, "security.ixkit.dummy.sysadmin", text, sizeof text - 1),
			 76);
	assert_memory_equal(text, "blake2b-256:1111", 16);
	assert_int_equal(pc_dummy_add(f->fd, "a/b", h1, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_int_equal(pc_dummy_remove(f->fd, "sysadmin", &e), 0);
	assert_int_equal(pc_dummy_remove(f->fd, "sysadmin", &e), -1);
	assert_int_equal(e.code, IX_ENOENT);
	assert_int_equal(pc_dummy_read(f->fd, d, PC_DUMMY_MAX, &n, &e), 0);
	assert_int_equal(n, 1);
}

/* A value or name no privileged writer makes is shown, never taken for a
 * licence that binds. */
static void
malformed_dummies_are_not_licences_that_bind(void **state)
{
	struct f *f = *state;
	struct pc_dummy d[PC_DUMMY_MAX];
	size_t n;
	struct ix_err e;
	static const char upper[] = "blake2b-256:"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

	assert_int_equal(fsetxattr(f->fd, "security.ixkit.dummy.short", "blake2b-256:00", 14, 0), 0);
	assert_int_equal(fsetxattr(f->fd, "security.ixkit.dummy.upper", upper, sizeof upper - 1, 0), 0);
	assert_int_equal(fsetxattr(f->fd, "security.ixkit.dummy.-bad", "x", 1, 0), 0);
	assert_int_equal(pc_dummy_read(f->fd, d, PC_DUMMY_MAX, &n, &e), 0);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_false(d[i].well_formed);
}

static void
seal_follows_the_licences(void **state)
{
	struct f *f = *state;
	unsigned char h[PC_HASH_BYTES] = { 0 };
	bool on, yes;
	struct ix_err e;

	char v[8];
	bool marked;

	assert_int_equal(pc_licence_seal(f->fd, &e), 0);
	assert_int_equal(pc_immutable_get(f->fd, &on, &e), 0);
	assert_false(on);	/* nothing licensed: not sealed */
	assert_int_equal(pc_licence_marked(f->fd, &marked, &e), 0);
	assert_false(marked);
	assert_int_equal(pc_dummy_add(f->fd, "sysadmin", h, &e), 0);
	assert_int_equal(pc_licensed(f->fd, &yes, &e), 0);
	assert_true(yes);
	assert_int_equal(pc_licence_seal(f->fd, &e), 0);
	assert_int_equal(pc_immutable_get(f->fd, &on, &e), 0);
	assert_true(on);
	/* The mark tier 1 reads, with its one value. */
	assert_int_equal(fgetxattr(f->fd, IX_T1_LICENCE_XATTR, v, sizeof v), 1);
	assert_memory_equal(v, IX_T1_LICENCE_VALUE, 1);
	assert_int_equal(pc_licence_marked(f->fd, &marked, &e), 0);
	assert_true(marked);
	/* Sealing a sealed file again changes nothing, and succeeds. */
	assert_int_equal(pc_licence_seal(f->fd, &e), 0);
	/* Sealed: the kernel refuses a new writer and a licence change. */
	assert_int_equal(open(f->path, O_WRONLY | O_APPEND), -1);
	assert_int_equal(pc_dummy_add(f->fd, "secadmin", h, &e), -1);
	assert_int_equal(pc_licence_unseal(f->fd, &e), 0);
	/* Unsealed for a change, the file keeps its mark: tier 1 still
	 * guards it while its licences change. */
	assert_int_equal(pc_licence_marked(f->fd, &marked, &e), 0);
	assert_true(marked);
	assert_int_equal(pc_dummy_remove(f->fd, "sysadmin", &e), 0);
	assert_int_equal(pc_licence_seal(f->fd, &e), 0);
	assert_int_equal(pc_immutable_get(f->fd, &on, &e), 0);
	assert_false(on);
	assert_int_equal(pc_licence_marked(f->fd, &marked, &e), 0);
	assert_false(marked);
}

/* The mark follows the licences whatever it was before: a stray mark on
 * an unlicensed file goes, one of another value is rewritten, and a file
 * made immutable without it (sealed before the mark existed) is refused
 * rather than left unmarked, until it is unsealed. */
static void
seal_sets_and_clears_the_mark(void **state)
{
	struct f *f = *state;
	unsigned char h[PC_HASH_BYTES] = { 0 };
	char v[8];
	bool on, marked;
	struct ix_err e;

	assert_int_equal(fsetxattr(f->fd, IX_T1_LICENCE_XATTR, "stray", 5, 0), 0);
	assert_int_equal(pc_licence_seal(f->fd, &e), 0);
	assert_int_equal(pc_licence_marked(f->fd, &marked, &e), 0);
	assert_false(marked);
	assert_int_equal(pc_dummy_add(f->fd, "sysadmin", h, &e), 0);
	assert_int_equal(fsetxattr(f->fd, IX_T1_LICENCE_XATTR, "0123456789", 10, 0), 0);
	assert_int_equal(pc_licence_seal(f->fd, &e), 0);
	assert_int_equal(fgetxattr(f->fd, IX_T1_LICENCE_XATTR, v, sizeof v), 1);
	assert_int_equal(pc_licence_unseal(f->fd, &e), 0);
	assert_int_equal(fremovexattr(f->fd, IX_T1_LICENCE_XATTR), 0);
	assert_int_equal(pc_immutable_set(f->fd, true, &e), 0);
	assert_int_equal(pc_licence_seal(f->fd, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_non_null(strstr(e.msg, "lacks the licence mark"));
	assert_int_equal(pc_licence_unseal(f->fd, &e), 0);
	assert_int_equal(pc_licence_seal(f->fd, &e), 0);
	assert_int_equal(pc_immutable_get(f->fd, &on, &e), 0);
	assert_true(on);
	assert_int_equal(pc_licence_marked(f->fd, &marked, &e), 0);
	assert_true(marked);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roles_are_names_without_separators),
		cmocka_unit_test_setup_teardown(caps_round_trip_and_removal, setup, teardown),
		cmocka_unit_test_setup_teardown(caps_revision_3_read_and_malformed_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(dummies_bind_sort_and_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_dummies_are_not_licences_that_bind, setup,
						teardown),
		cmocka_unit_test_setup_teardown(seal_follows_the_licences, setup, teardown),
		cmocka_unit_test_setup_teardown(seal_sets_and_clears_the_mark, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
