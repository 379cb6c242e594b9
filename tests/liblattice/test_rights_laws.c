/* The rights lattice on thousands of random values mixing all four kinds
 * (plain, label, regex from a pool of random patterns, privset): the
 * lattice laws, and the round trip through canonical text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "liblattice/rights.h"
#include "tests/liblattice/lattice_laws.h"

#define POOL 48

static struct ix_label_enc *enc;
static struct ix_rdecls *decls;
static char *pool[POOL];	/* random regex patterns that compile */
static uint64_t rng = 0x853c49e6748fea9bu;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Appends a random pattern of nesting depth at most depth over {a, b, /}. */
static void
random_pattern(char *buf, size_t size, int depth)
{
	static const char *const atoms[] = { "a", "b", "/", ".", "[ab]", "[^/]", "ab", "/a" };
	size_t n = strlen(buf);
	unsigned r = (unsigned)(rnd() % (depth > 0 ? 7 : 1));

	if (n + 24 >= size)
		return;
	switch (r) {
	case 0:
		strcat(buf, atoms[rnd() % (sizeof atoms / sizeof atoms[0])]);
		break;
	case 1:
	case 2:		/* concatenation */
		random_pattern(buf, size, depth - 1);
		random_pattern(buf, size, depth - 1);
		break;
	case 3:		/* alternation */
		strcat(buf, "(");
		random_pattern(buf, size, depth - 1);
		strcat(buf, "|");
		random_pattern(buf, size, depth - 1);
		strcat(buf, ")");
		break;
	default:	/* a quantified group */
		strcat(buf, "(");
		random_pattern(buf, size, depth - 1);
		strcat(buf, r == 4 ? ")*" : r == 5 ? ")?" : "){1,2}");
		break;
	}
}

static int
setup(void **state)
{
	static const char *const fixed[] = { ".*", "[^\\x00-\\xff]", "/a(/.*)?", "/a/b" };
	struct ix_err e;
	struct ix_re *re;
	char buf[256];
	size_t i;

	enc = ix_label_enc_new();
	assert_int_equal(ix_label_enc_add_level(enc, "unclassified", &e), 0);
	assert_int_equal(ix_label_enc_add_level(enc, "secret", &e), 1);
	assert_int_equal(ix_label_enc_add_level(enc, "topsecret", &e), 2);
	assert_int_equal(ix_label_enc_add_category(enc, "projectbit", 0, &e), 0);
	assert_int_equal(ix_label_enc_add_category(enc, "otherbit", 1, &e), 0);
	assert_int_equal(ix_label_enc_add_category(enc, "last", 255, &e), 0);
	decls = ix_rdecls_new(enc);
	assert_int_equal(ix_rdecls_declare(decls, "netadmin", IX_RK_PLAIN, &e), 0);
	assert_int_equal(ix_rdecls_declare(decls, "downgrade", IX_RK_LABEL, &e), 1);
	assert_int_equal(ix_rdecls_declare(decls, "edit", IX_RK_REGEX, &e), 2);
	assert_int_equal(ix_rdecls_declare(decls, "priv", IX_RK_PRIVSET, &e), 3);
	assert_int_equal(ix_rdecls_declare(decls, "netoper", IX_RK_PLAIN, &e), 4);
	assert_int_equal(ix_rdecls_declare(decls, "exec", IX_RK_REGEX, &e), 5);
	for (i = 0; i < POOL; i++) {
		if (i < sizeof fixed / sizeof fixed[0]) {
			snprintf(buf, sizeof buf, "%s", fixed[i]);
		} else {
			do {
				buf[0] = '\0';
				random_pattern(buf, sizeof buf, 4);
			} while (ix_re_compile(buf, strlen(buf), 0, &re, &e) < 0);
			ix_re_free(re);
		}
		pool[i] = strdup(buf);
	}
	return 0;
}

static int
teardown(void **state)
{
	size_t i;

	for (i = 0; i < POOL; i++)
		free(pool[i]);
	ix_rdecls_free(decls);
	ix_label_enc_free(enc);
	return 0;
}

/* Text of a random value of every kind; now and then ALL or NONE. */
static void
random_text(char *buf, size_t size)
{
	static const char *const labels[] = { "unclassified", "projectbit", "otherbit", "last",
					      "projectbit,last", "secret", "secret:otherbit",
					      "secret:projectbit,otherbit,last", "topsecret:last",
					      "TOP", "#7" };
	static const char *const privs[] = { "kill", "chown", "net_admin", "downgrade" };
	unsigned r = (unsigned)(rnd() % 100);
	size_t n;
	int i;

	buf[0] = '\0';
	if (r < 3) {
		snprintf(buf, size, "ALL");
		return;
	}
	if (r < 6) {
		snprintf(buf, size, "NONE");
		return;
	}
	/* listed in a shuffled order, to exercise the sorting */
	for (i = 0; i < 6; i++) {
		int which = (int)((rnd() + (unsigned)i) % 6);

		if (rnd() % 2)
			continue;
		n = strlen(buf);
		if (n > 0) {
			snprintf(buf + n, size - n, " | ");
			n += 3;
		}
		switch (which) {
		case 0:
			snprintf(buf + n, size - n, "netadmin");
			break;
		case 4:
			snprintf(buf + n, size - n, "netoper");
			break;
		case 1:
			snprintf(buf + n, size - n, "downgrade(%s)",
				 labels[rnd() % (sizeof labels / sizeof labels[0])]);
			break;
		case 2:
		case 5:
			snprintf(buf + n, size - n, "%s(%s)", which == 2 ? "edit" : "exec",
				 pool[rnd() % POOL]);
			break;
		default: {
			int k, first = 1;

			n += (size_t)snprintf(buf + n, size - n, "priv(");
			for (k = 0; k < 4; k++)
				if (rnd() % 2) {
					n += (size_t)snprintf(buf + n, size - n, "%s%s",
							      first ? "" : ",", privs[k]);
					first = 0;
				}
			snprintf(buf + n, size - n, ")");
		}
		}
	}
}

static struct ix_rights *
random_rights(void)
{
	char buf[4096];
	struct ix_rights *r = NULL;
	struct ix_err e = { 0 };

	random_text(buf, sizeof buf);
	if (ix_rights_parse(decls, buf, strlen(buf), NULL, 0, &r, &e) != 0)
		fail_msg("random rights '%s' do not parse: %s", buf, e.msg);
	return r;
}

static void *
op_random(void *ctx)
{
	return random_rights();
}

static bool
op_le(void *ctx, const void *a, const void *b)
{
	struct ix_err e = { 0 };
	int rc = ix_rights_le(a, b, &e);

	if (rc < 0)
		fail_msg("le failed: %s", e.msg);
	return rc == 1;
}

static bool
op_eq(void *ctx, const void *a, const void *b)
{
	struct ix_err e = { 0 };
	int rc = ix_rights_eq(a, b, &e);

	if (rc < 0)
		fail_msg("eq failed: %s", e.msg);
	return rc == 1;
}

static void *
op_join(void *ctx, const void *a, const void *b)
{
	struct ix_err e = { 0 };
	struct ix_rights *r = ix_rights_join(a, b, &e);

	if (r == NULL)
		fail_msg("join failed: %s", e.msg);
	return r;
}

static void *
op_meet(void *ctx, const void *a, const void *b)
{
	struct ix_err e = { 0 };
	struct ix_rights *r = ix_rights_meet(a, b, &e);

	if (r == NULL)
		fail_msg("meet failed: %s", e.msg);
	return r;
}

static void
op_free(void *ctx, void *x)
{
	ix_rights_free(x);
}

static void
random_rights_obey_lattice_laws(void **state)
{
	const struct lattice_ops ops = { "rights", op_random, op_le, op_eq, op_join, op_meet,
					 op_free, NULL };

	assert_true(check_lattice_laws(&ops, 4000) >= 12000);
}

/* print then parse gives back an equal value */
static void
assert_round_trip(const struct ix_rights *a)
{
	struct ix_rights *b = NULL;
	struct ix_err e = { 0 };
	char *text = ix_rights_print(a, &e);

	assert_non_null(text);
	if (ix_rights_parse(decls, text, strlen(text), NULL, 0, &b, &e) != 0)
		fail_msg("'%s' does not parse back: %s", text, e.msg);
	if (ix_rights_eq(a, b, &e) != 1)
		fail_msg("'%s' parses back to another value", text);
	free(text);
	ix_rights_free(b);
}

static void
random_rights_round_trip_through_text(void **state)
{
	struct ix_err e = { 0 };
	unsigned k, n = 0;

	for (k = 0; k < 1500; k++) {
		struct ix_rights *a = random_rights(), *b = random_rights();
		/* joins and meets carry regex texts derived from automata */
		struct ix_rights *j = ix_rights_join(a, b, &e), *m = ix_rights_meet(a, b, &e);

		assert_non_null(j);
		assert_non_null(m);
		assert_round_trip(a);
		assert_round_trip(j);
		assert_round_trip(m);
		n += 3;
		ix_rights_free(a);
		ix_rights_free(b);
		ix_rights_free(j);
		ix_rights_free(m);
	}
	printf("rights text: %u random elements round-tripped (incl. joins and meets)\n", n);
}
/* The in-place join, which a decision uses on every node that holds, is
 * the join; also when a value outgrows the room inside it (six
 * identifiers are declared, four fit) and when a is joined with itself. */
static void
random_join_into_is_the_join(void **state)
{
	struct ix_err e = { 0 };
	unsigned k;

	for (k = 0; k < 3000; k++) {
		struct ix_rights *a = random_rights(), *b = random_rights();
		struct ix_rights *j = ix_rights_join(a, b, &e), *x = ix_rights_dup(a);

		assert_non_null(j);
		assert_non_null(x);
		assert_int_equal(ix_rights_join_into(x, b, &e), 0);
		assert_int_equal(ix_rights_eq(x, j, &e), 1);
		assert_int_equal(ix_rights_join_into(x, x, &e), 0);
		assert_int_equal(ix_rights_eq(x, j, &e), 1);
		ix_rights_free(a);
		ix_rights_free(b);
		ix_rights_free(j);
		ix_rights_free(x);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_rights_obey_lattice_laws),
		cmocka_unit_test(random_rights_round_trip_through_text),
		cmocka_unit_test(random_join_into_is_the_join),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
