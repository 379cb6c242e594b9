/* The privilege-set lattice: names checked against <linux/capability.h>,
 * parsing, printing, and the lattice laws on thousands of random sets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/capability.h>

#include "liblattice/privset.h"
#include "tests/liblattice/lattice_laws.h"

#define C(n, s) { CAP_##n, s }
static const struct {
	int bit;
	const char *name;
} caps[] = {
	C(CHOWN, "chown"), C(DAC_OVERRIDE, "dac_override"), C(DAC_READ_SEARCH, "dac_read_search"),
	C(FOWNER, "fowner"), C(FSETID, "fsetid"), C(KILL, "kill"), C(SETGID, "setgid"),
	C(SETUID, "setuid"), C(SETPCAP, "setpcap"), C(LINUX_IMMUTABLE, "linux_immutable"),
	C(NET_BIND_SERVICE, "net_bind_service"), C(NET_BROADCAST, "net_broadcast"),
	C(NET_ADMIN, "net_admin"), C(NET_RAW, "net_raw"), C(IPC_LOCK, "ipc_lock"),
	C(IPC_OWNER, "ipc_owner"), C(SYS_MODULE, "sys_module"), C(SYS_RAWIO, "sys_rawio"),
	C(SYS_CHROOT, "sys_chroot"), C(SYS_PTRACE, "sys_ptrace"), C(SYS_PACCT, "sys_pacct"),
	C(SYS_ADMIN, "sys_admin"), C(SYS_BOOT, "sys_boot"), C(SYS_NICE, "sys_nice"),
	C(SYS_RESOURCE, "sys_resource"), C(SYS_TIME, "sys_time"),
	C(SYS_TTY_CONFIG, "sys_tty_config"), C(MKNOD, "mknod"), C(LEASE, "lease"),
	C(AUDIT_WRITE, "audit_write"), C(AUDIT_CONTROL, "audit_control"), C(SETFCAP, "setfcap"),
	C(MAC_OVERRIDE, "mac_override"), C(MAC_ADMIN, "mac_admin"), C(SYSLOG, "syslog"),
	C(WAKE_ALARM, "wake_alarm"), C(BLOCK_SUSPEND, "block_suspend"),
	C(AUDIT_READ, "audit_read"), C(PERFMON, "perfmon"), C(BPF, "bpf"),
	C(CHECKPOINT_RESTORE, "checkpoint_restore"),
};

static struct ix_privset
parse_ok(const char *text)
{
	struct ix_privset s;
	struct ix_err e = { 0 };

	if (ix_privset_parse(text, strlen(text), &s, &e) != 0)
		fail_msg("parsing '%s' failed: %s", text, e.msg);
	return s;
}

static void
assert_prints(const struct ix_privset *s, const char *want)
{
	char buf[2048];
	struct ix_err e = { 0 };
	int n = ix_privset_print(s, buf, sizeof buf, &e);

	if (n < 0)
		fail_msg("print failed: %s", e.msg);
	assert_string_equal(buf, want);
	assert_int_equal(n, (int)strlen(want));
}

static void
assert_rejects(const char *text, size_t len, const char *msg)
{
	struct ix_privset s;
	struct ix_err e = { 0 };

	assert_int_equal(ix_privset_parse(text, len, &s, &e), -1);
	assert_string_equal(e.msg, msg);
}

#define REJECTS(text, msg) assert_rejects(text, strlen(text), msg)

static void
capability_names_match_linux_header(void **state)
{
	size_t i;

	assert_int_equal(sizeof caps / sizeof caps[0], IX_PRIV_CAP_LAST + 1);
	assert_int_equal(CAP_LAST_CAP, IX_PRIV_CAP_LAST);
	for (i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		assert_string_equal(ix_priv_name(caps[i].bit), caps[i].name);
		assert_int_equal(ix_priv_bit(caps[i].name, strlen(caps[i].name)), caps[i].bit);
	}
	assert_null(ix_priv_name(IX_PRIV_CAP_LAST + 1));
	assert_null(ix_priv_name(IX_PRIV_OWN_BASE - 1));
	assert_null(ix_priv_name(IX_PRIV_OWN_END));
	assert_null(ix_priv_name(-1));
	assert_null(ix_priv_name(IX_PRIV_BITS));
}

static void
own_privileges_follow_the_capabilities(void **state)
{
	static const char *const own[] = { "downgrade", "upgrade", "setlabel", "setlicence",
					   "setceiling", "nocheck", "extern" };
	size_t i;

	assert_int_equal(sizeof own / sizeof own[0], IX_PRIV_OWN_END - IX_PRIV_OWN_BASE);
	for (i = 0; i < sizeof own / sizeof own[0]; i++) {
		assert_string_equal(ix_priv_name(IX_PRIV_OWN_BASE + (int)i), own[i]);
		assert_int_equal(ix_priv_bit(own[i], strlen(own[i])), IX_PRIV_OWN_BASE + (int)i);
	}
	assert_int_equal(ix_priv_bit("downgrade", 9), IX_PRIV_DOWNGRADE);
	assert_int_equal(ix_priv_bit("extern", 6), IX_PRIV_EXTERN);
}

static void
names_accept_cap_prefix_and_upper_case(void **state)
{
	assert_int_equal(ix_priv_bit("CAP_NET_ADMIN", 13), CAP_NET_ADMIN);
	assert_int_equal(ix_priv_bit("cap_sys_time", 12), CAP_SYS_TIME);
	assert_int_equal(ix_priv_bit("Sys_Time", 8), CAP_SYS_TIME);
	assert_int_equal(ix_priv_bit("cap_", 4), -1);
	assert_int_equal(ix_priv_bit("net_admi", 8), -1);
	assert_int_equal(ix_priv_bit("net_adminx", 10), -1);
	assert_int_equal(ix_priv_bit("net_admin", 3), -1);	/* only len bytes count */
}

static void
parse_accepts_lists_all_and_empty(void **state)
{
	struct ix_privset s, all;

	s = parse_ok("net_admin, sys_time");
	assert_true(ix_privset_has(&s, CAP_NET_ADMIN) && ix_privset_has(&s, CAP_SYS_TIME));
	assert_prints(&s, "net_admin,sys_time");
	s = parse_ok(" CAP_SYS_TIME,net_admin ,\tdowngrade,net_admin ");
	assert_prints(&s, "net_admin,sys_time,downgrade");
	assert_int_equal(ix_privset_caps(&s), (1ULL << CAP_NET_ADMIN) | (1ULL << CAP_SYS_TIME));
	s = parse_ok("");
	assert_prints(&s, "");
	s = parse_ok("   ");
	assert_prints(&s, "");
	s = parse_ok("ALL");
	ix_privset_all(&all);
	assert_true(ix_privset_eq(&s, &all));
	assert_prints(&s, "ALL");
	assert_int_equal(ix_privset_caps(&s), (1ULL << (CAP_LAST_CAP + 1)) - 1);
	s = parse_ok("chown, all");
	assert_prints(&s, "ALL");
}

static void
all_is_every_named_privilege(void **state)
{
	struct ix_privset all, s;
	int bit;

	ix_privset_all(&all);
	for (bit = 0; bit < IX_PRIV_BITS; bit++)
		assert_int_equal(ix_privset_has(&all, bit), ix_priv_name(bit) != NULL);
	/* adding an unnamed bit is ignored, so every set prints */
	ix_privset_empty(&s);
	ix_privset_add(&s, 50);
	ix_privset_add(&s, IX_PRIV_BITS);
	ix_privset_add(&s, -1);
	assert_false(ix_privset_has(&s, 50));
	assert_prints(&s, "");
}

static void
parse_rejects_unknown_privilege(void **state)
{
	REJECTS("net_admin,sys_tiem", "unknown privilege 'sys_tiem' at column 11");
	REJECTS("  none", "unknown privilege 'none' at column 3");
}

static void
parse_rejects_empty_items(void **state)
{
	REJECTS("chown,,kill", "unexpected ',', expected a privilege name at column 7");
	REJECTS("chown,", "expected a privilege name but the text ends at column 7");
	REJECTS(",chown", "unexpected ',', expected a privilege name at column 1");
}

static void
parse_rejects_bad_separators_and_characters(void **state)
{
	REJECTS("chown kill", "unexpected 'k', expected ',' or the end of the set at column 7");
	REJECTS("chown;kill", "unexpected ';', expected ',' or the end of the set at column 6");
	REJECTS("net-admin", "unknown privilege 'net' at column 1");
	REJECTS("chown-x", "unexpected '-', expected ',' or the end of the set at column 6");
	REJECTS("chown,\x7f", "unexpected byte 0x7f, expected a privilege name at column 7");
}

static void
parse_rejects_nul_and_overlong_text(void **state)
{
	char *big = malloc(5000);

	assert_rejects("chown\0,kill", 11, "NUL byte in privilege set at column 6");
	assert_non_null(big);
	memset(big, ' ', 5000);
	assert_rejects(big, 4097, "privilege set longer than 4096 bytes at column 4097");
	free(big);
}

static void
print_rejects_small_buffer(void **state)
{
	struct ix_privset s = parse_ok("chown,kill");
	struct ix_err e = { 0 };
	char buf[16];

	assert_int_equal(ix_privset_print(&s, buf, 10, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
	assert_int_equal(ix_privset_print(&s, buf, 11, &e), 10);
	assert_string_equal(buf, "chown,kill");
	ix_privset_all(&s);
	assert_int_equal(ix_privset_print(&s, buf, 3, &e), -1);
}

/* ---- random elements ---- */

static uint64_t rng = 0x2545f4914f6cdd1du;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Random sets over a few privileges (so that they are often comparable),
 * now and then the empty set, ALL or a set drawn from the whole universe. */
static void
random_set(struct ix_privset *s)
{
	static const int pool[] = { 0, 12, 25, 40, 64, 70 };
	unsigned r = (unsigned)(rnd() % 100);
	size_t i;

	ix_privset_empty(s);
	if (r < 5) {
		ix_privset_all(s);
		return;
	}
	if (r < 10)
		return;
	for (i = 0; i < sizeof pool / sizeof pool[0]; i++)
		if (rnd() % 2)
			ix_privset_add(s, pool[i]);
	if (r > 90)
		for (i = 0; i < 20; i++)
			ix_privset_add(s, (int)(rnd() % IX_PRIV_BITS));
}

static void *
op_random(void *ctx)
{
	struct ix_privset *s = test_malloc(sizeof *s);

	random_set(s);
	return s;
}

static bool
op_le(void *ctx, const void *a, const void *b)
{
	return ix_privset_le(a, b);
}

static bool
op_eq(void *ctx, const void *a, const void *b)
{
	return ix_privset_eq(a, b);
}

static void *
op_join(void *ctx, const void *a, const void *b)
{
	struct ix_privset *s = test_malloc(sizeof *s);

	ix_privset_join(a, b, s);
	return s;
}

static void *
op_meet(void *ctx, const void *a, const void *b)
{
	struct ix_privset *s = test_malloc(sizeof *s);

	ix_privset_meet(a, b, s);
	return s;
}

static void
op_free(void *ctx, void *x)
{
	test_free(x);
}

static void
random_sets_obey_lattice_laws(void **state)
{
	const struct lattice_ops ops = { "privset", op_random, op_le, op_eq, op_join, op_meet,
					 op_free, NULL };

	assert_true(check_lattice_laws(&ops, 4000) >= 12000);
}

static void
random_sets_round_trip_through_text(void **state)
{
	char buf[2048];
	struct ix_privset a, b;
	struct ix_err e = { 0 };
	unsigned k;
	int n;

	for (k = 0; k < 5000; k++) {
		random_set(&a);
		n = ix_privset_print(&a, buf, sizeof buf, &e);
		assert_true(n >= 0);
		if (ix_privset_parse(buf, (size_t)n, &b, &e) != 0)
			fail_msg("'%s' does not parse back: %s", buf, e.msg);
		assert_true(ix_privset_eq(&a, &b));
	}
	printf("privset text: %u random elements round-tripped\n", k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(capability_names_match_linux_header),
		cmocka_unit_test(own_privileges_follow_the_capabilities),
		cmocka_unit_test(names_accept_cap_prefix_and_upper_case),
		cmocka_unit_test(parse_accepts_lists_all_and_empty),
		cmocka_unit_test(all_is_every_named_privilege),
		cmocka_unit_test(parse_rejects_unknown_privilege),
		cmocka_unit_test(parse_rejects_empty_items),
		cmocka_unit_test(parse_rejects_bad_separators_and_characters),
		cmocka_unit_test(parse_rejects_nul_and_overlong_text),
		cmocka_unit_test(print_rejects_small_buffer),
		cmocka_unit_test(random_sets_obey_lattice_laws),
		cmocka_unit_test(random_sets_round_trip_through_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
