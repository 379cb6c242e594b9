/* The label lattice: encodings, order, flow checks, parsing, printing, and
 * the lattice laws on thousands of random labels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "liblattice/label.h"
#include "tests/liblattice/lattice_laws.h"

static struct ix_label_enc *enc;

/* Levels unclassified < confidential < secret < topsecret; categories
 * projectbit=0, otherbit=1, crypto=7, nato=64, last=255; bits 2, 100 and
 * 254 stay unnamed. */
static int
setup(void **state)
{
	struct ix_err e;

	enc = ix_label_enc_new();
	assert_non_null(enc);
	assert_int_equal(ix_label_enc_add_level(enc, "unclassified", &e), 0);
	assert_int_equal(ix_label_enc_add_level(enc, "confidential", &e), 1);
	assert_int_equal(ix_label_enc_add_level(enc, "secret", &e), 2);
	assert_int_equal(ix_label_enc_add_level(enc, "topsecret", &e), 3);
	assert_int_equal(ix_label_enc_add_category(enc, "projectbit", 0, &e), 0);
	assert_int_equal(ix_label_enc_add_category(enc, "otherbit", 1, &e), 0);
	assert_int_equal(ix_label_enc_add_category(enc, "crypto", 7, &e), 0);
	assert_int_equal(ix_label_enc_add_category(enc, "nato", 64, &e), 0);
	assert_int_equal(ix_label_enc_add_category(enc, "last", 255, &e), 0);
	return 0;
}

static int
teardown(void **state)
{
	ix_label_enc_free(enc);
	enc = NULL;
	return 0;
}

static struct ix_label
parse_ok(const char *text)
{
	struct ix_label l;
	struct ix_err e = { 0 };

	if (ix_label_parse(enc, text, strlen(text), &l, &e) != 0)
		fail_msg("parsing '%s' failed: %s", text, e.msg);
	return l;
}

static void
assert_prints(const struct ix_label *l, const char *want)
{
	char buf[IX_LABEL_TEXT_MAX + 1];
	struct ix_err e = { 0 };
	int n = ix_label_print(enc, l, buf, sizeof buf, &e);

	if (n < 0)
		fail_msg("print failed: %s", e.msg);
	assert_string_equal(buf, want);
	assert_int_equal(n, (int)strlen(want));
}

static void
assert_rejects(const char *text, size_t len, const char *msg)
{
	struct ix_label l;
	struct ix_err e = { 0 };

	assert_int_equal(ix_label_parse(enc, text, len, &l, &e), -1);
	assert_string_equal(e.msg, msg);
}

#define REJECTS(text, msg) assert_rejects(text, strlen(text), msg)

/* ---- encodings ---- */

static void
enc_rejects_bad_and_duplicate_names(void **state)
{
	struct ix_err e = { 0 };

	assert_int_equal(ix_label_enc_add_level(enc, "9lives", &e), -1);
	assert_string_equal(e.msg,
			    "bad label name '9lives': use a letter then letters, digits, '_' or '-'");
	assert_int_equal(ix_label_enc_add_level(enc, "a b", &e), -1);
	assert_int_equal(ix_label_enc_add_level(enc, "", &e), -1);
	assert_int_equal(ix_label_enc_add_level(enc, "secret", &e), -1);
	assert_string_equal(e.msg, "label name 'secret' is already a level");
	assert_int_equal(ix_label_enc_add_level(enc, "crypto", &e), -1);
	assert_string_equal(e.msg, "label name 'crypto' is already a category");
	assert_int_equal(ix_label_enc_add_category(enc, "secret", 9, &e), -1);
	assert_string_equal(e.msg, "label name 'secret' is already a level");
	assert_int_equal(ix_label_enc_add_category(enc, "crypto", 9, &e), -1);
	assert_int_equal(e.code, IX_EEXIST);
	assert_int_equal(ix_label_enc_nlevels(enc), 4);
	assert_null(ix_label_enc_category_name(enc, 9));
}

static void
enc_rejects_keywords_in_any_case(void **state)
{
	struct ix_err e = { 0 };

	assert_int_equal(ix_label_enc_add_level(enc, "NO", &e), -1);
	assert_string_equal(e.msg, "label name 'NO' is a keyword");
	assert_int_equal(ix_label_enc_add_category(enc, "top", 3, &e), -1);
	assert_string_equal(e.msg, "label name 'top' is a keyword");
	assert_int_equal(ix_label_enc_add_category(enc, "Bottom", 3, &e), -1);
	assert_string_equal(e.msg, "label name 'Bottom' is a keyword");
}

static void
enc_rejects_long_names(void **state)
{
	struct ix_err e = { 0 };
	char name[IX_LABEL_NAME_MAX + 2];

	memset(name, 'a', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	assert_int_equal(ix_label_enc_add_category(enc, name, 3, &e), -1);
	name[IX_LABEL_NAME_MAX] = '\0';	/* exactly the maximum is fine */
	assert_int_equal(ix_label_enc_add_category(enc, name, 3, &e), 0);
	assert_string_equal(ix_label_enc_category_name(enc, 3), name);
}

static void
enc_rejects_bit_out_of_range_or_in_use(void **state)
{
	struct ix_err e = { 0 };

	assert_int_equal(ix_label_enc_add_category(enc, "neg", -1, &e), -1);
	assert_string_equal(e.msg, "category bit -1 out of range 0..255");
	assert_int_equal(ix_label_enc_add_category(enc, "big", 256, &e), -1);
	assert_string_equal(e.msg, "category bit 256 out of range 0..255");
	assert_int_equal(ix_label_enc_add_category(enc, "again", 255, &e), -1);
	assert_string_equal(e.msg, "category bit 255 is already named 'last'");
	assert_int_equal(e.code, IX_ECONFLICT);
	assert_int_equal(ix_label_enc_category_bit(enc, "last"), 255);
	assert_int_equal(ix_label_enc_category_bit(enc, "again"), -1);
}

static void
enc_limits_levels(void **state)
{
	struct ix_label_enc *big = ix_label_enc_new();
	struct ix_err e = { 0 };
	char name[16];
	int i;

	for (i = 0; i < IX_LEVELS_MAX; i++) {
		snprintf(name, sizeof name, "l%d", i);
		assert_int_equal(ix_label_enc_add_level(big, name, &e), i);
	}
	assert_int_equal(ix_label_enc_add_level(big, "onemore", &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
	assert_string_equal(ix_label_enc_level_name(big, 255), "l255");
	assert_null(ix_label_enc_level_name(big, 256));
	assert_null(ix_label_enc_level_name(big, -1));
	ix_label_enc_free(big);
	ix_label_enc_free(NULL);
}

/* Every level and every bit named (the name index at its fullest): each
 * name is found as what it is and not as the other kind, a prefix or an
 * extension of a name is not a name, and a label of every bit prints back. */
static void
enc_finds_every_name_of_a_full_table(void **state)
{
	struct ix_label_enc *big = ix_label_enc_new();
	struct ix_err e = { 0 };
	struct ix_label l;
	char name[16], text[IX_LABEL_TEXT_MAX];
	int i;

	for (i = 0; i < IX_LEVELS_MAX; i++) {
		snprintf(name, sizeof name, "l%d", i);
		assert_int_equal(ix_label_enc_add_level(big, name, &e), i);
	}
	for (i = 0; i < IX_CAT_BITS; i++) {
		snprintf(name, sizeof name, "c%d", i);
		assert_int_equal(ix_label_enc_add_category(big, name, i, &e), 0);
	}
	assert_int_equal(ix_label_enc_add_category(big, "l7", 3, &e), -1);
	for (i = 0; i < IX_LEVELS_MAX; i++) {
		snprintf(name, sizeof name, "l%d", i);
		assert_int_equal(ix_label_enc_level_rank(big, name), i);
		assert_int_equal(ix_label_enc_category_bit(big, name), -1);
	}
	for (i = 0; i < IX_CAT_BITS; i++) {
		snprintf(name, sizeof name, "c%d", i);
		assert_int_equal(ix_label_enc_category_bit(big, name), i);
		assert_int_equal(ix_label_enc_level_rank(big, name), -1);
	}
	assert_int_equal(ix_label_enc_category_bit(big, "c"), -1);
	assert_int_equal(ix_label_enc_category_bit(big, "c2555"), -1);
	assert_int_equal(ix_label_enc_level_rank(big, "l25"), 25);
	assert_int_equal(ix_label_enc_level_rank(big, "l2"), 2);
	assert_int_equal(ix_label_parse(big, "l9:c0,c63,c64,c200,c255", 23, &l, &e), 0);
	assert_int_equal(ix_label_print(big, &l, text, sizeof text, &e), 23);
	assert_string_equal(text, "l9:c0,c63,c64,c200,c255");
	ix_label_enc_free(big);
}

/* ---- order and flow ---- */

static void
no_is_above_top_but_never_readable_or_writable(void **state)
{
	struct ix_label no, top, bot, s, r;

	ix_label_no(&no);
	ix_label_top(enc, &top);
	ix_label_bottom(enc, &bot);
	s = parse_ok("secret:projectbit");
	assert_true(ix_label_le(&top, &no));
	assert_false(ix_label_le(&no, &top));
	assert_true(ix_label_le(&bot, &s));
	ix_label_join(&top, &no, &r);
	assert_true(ix_label_eq(&r, &no));
	ix_label_meet(&s, &no, &r);
	assert_true(ix_label_eq(&r, &s));
	assert_false(ix_label_can_read(&no, &bot));
	assert_false(ix_label_can_read(&top, &no));
	assert_false(ix_label_can_write(&bot, &no));
	assert_false(ix_label_can_write(&no, &top));
	assert_false(ix_label_can_read(&no, &no));
	assert_true(ix_label_can_read(&top, &s));
	assert_false(ix_label_can_write(&top, &s));
	assert_true(ix_label_can_write(&s, &top));
	assert_true(ix_label_can_read(&s, &s) && ix_label_can_write(&s, &s));
}

static void
categories_decide_incomparable_labels(void **state)
{
	struct ix_label a = parse_ok("secret:projectbit"), b = parse_ok("confidential:otherbit");
	struct ix_label j, m;

	assert_false(ix_label_le(&a, &b));
	assert_false(ix_label_le(&b, &a));
	assert_false(ix_label_can_read(&a, &b));
	ix_label_join(&a, &b, &j);
	ix_label_meet(&a, &b, &m);
	assert_prints(&j, "secret:projectbit,otherbit");
	assert_prints(&m, "confidential");
}

static void
category_bits_cover_0_to_255(void **state)
{
	struct ix_label l;

	ix_label_bottom(enc, &l);
	ix_label_set_cat(&l, 255);
	ix_label_set_cat(&l, 0);
	ix_label_set_cat(&l, 256);	/* out of range: ignored */
	ix_label_set_cat(&l, -1);
	assert_true(ix_label_has_cat(&l, 255));
	assert_true(ix_label_has_cat(&l, 0));
	assert_false(ix_label_has_cat(&l, 256));
	assert_prints(&l, "projectbit,last");
	ix_label_clear_cat(&l, 255);
	assert_false(ix_label_has_cat(&l, 255));
	assert_prints(&l, "projectbit");
}

/* ---- parse and print ---- */

static void
parse_accepts_every_form(void **state)
{
	struct ix_label l, t;

	l = parse_ok("secret:projectbit,otherbit");
	assert_int_equal(l.level, 2);
	assert_true(ix_label_has_cat(&l, 0) && ix_label_has_cat(&l, 1));
	assert_prints(&l, "secret:projectbit,otherbit");
	l = parse_ok("  secret : otherbit , projectbit\t");
	assert_prints(&l, "secret:projectbit,otherbit");
	l = parse_ok("projectbit");
	assert_int_equal(l.level, 0);
	assert_prints(&l, "projectbit");
	l = parse_ok("BOTTOM");
	assert_prints(&l, "unclassified");
	l = parse_ok("BOTTOM:crypto");
	assert_prints(&l, "crypto");
	l = parse_ok("unclassified:crypto,crypto");
	assert_prints(&l, "crypto");
	l = parse_ok("#255");
	assert_true(ix_label_has_cat(&l, 255));
	assert_prints(&l, "last");
	l = parse_ok("topsecret:#254,#2,#100,last");
	assert_prints(&l, "topsecret:#2,#100,#254,last");
	l = parse_ok("NO");
	assert_true(l.flags & IX_LABEL_F_NO);
	assert_prints(&l, "NO");
	l = parse_ok("TOP");
	ix_label_top(enc, &t);
	assert_true(ix_label_eq(&l, &t));
	assert_prints(&l, "TOP");
	/* the top level with every category spelled out is TOP too */
	ix_label_top(enc, &t);
	ix_label_clear_cat(&t, 254);
	assert_prints(&t, "topsecret:projectbit,otherbit,#2,#3,#4,#5,#6,crypto,#8,#9,#10,#11,"
		      "#12,#13,#14,#15,#16,#17,#18,#19,#20,#21,#22,#23,#24,#25,#26,#27,#28,#29,"
		      "#30,#31,#32,#33,#34,#35,#36,#37,#38,#39,#40,#41,#42,#43,#44,#45,#46,#47,"
		      "#48,#49,#50,#51,#52,#53,#54,#55,#56,#57,#58,#59,#60,#61,#62,#63,nato,#65,"
		      "#66,#67,#68,#69,#70,#71,#72,#73,#74,#75,#76,#77,#78,#79,#80,#81,#82,#83,"
		      "#84,#85,#86,#87,#88,#89,#90,#91,#92,#93,#94,#95,#96,#97,#98,#99,#100,#101,"
		      "#102,#103,#104,#105,#106,#107,#108,#109,#110,#111,#112,#113,#114,#115,"
		      "#116,#117,#118,#119,#120,#121,#122,#123,#124,#125,#126,#127,#128,#129,"
		      "#130,#131,#132,#133,#134,#135,#136,#137,#138,#139,#140,#141,#142,#143,"
		      "#144,#145,#146,#147,#148,#149,#150,#151,#152,#153,#154,#155,#156,#157,"
		      "#158,#159,#160,#161,#162,#163,#164,#165,#166,#167,#168,#169,#170,#171,"
		      "#172,#173,#174,#175,#176,#177,#178,#179,#180,#181,#182,#183,#184,#185,"
		      "#186,#187,#188,#189,#190,#191,#192,#193,#194,#195,#196,#197,#198,#199,"
		      "#200,#201,#202,#203,#204,#205,#206,#207,#208,#209,#210,#211,#212,#213,"
		      "#214,#215,#216,#217,#218,#219,#220,#221,#222,#223,#224,#225,#226,#227,"
		      "#228,#229,#230,#231,#232,#233,#234,#235,#236,#237,#238,#239,#240,#241,"
		      "#242,#243,#244,#245,#246,#247,#248,#249,#250,#251,#252,#253,last");
	ix_label_set_cat(&t, 254);
	assert_prints(&t, "TOP");
}

static void
parse_reads_only_len_bytes(void **state)
{
	struct ix_label l;
	struct ix_err e = { 0 };

	assert_int_equal(ix_label_parse(enc, "secret:projectbitXYZ", 17, &l, &e), 0);
	assert_prints(&l, "secret:projectbit");
}

static void
parse_rejects_unknown_category(void **state)
{
	REJECTS("secret:projcetbit", "unknown category 'projcetbit' at column 8");
	REJECTS("secret:projectbit, nosuch", "unknown category 'nosuch' at column 20");
	REJECTS("crypto,nosuch", "unknown category 'nosuch' at column 8");
}

static void
parse_rejects_unknown_first_name(void **state)
{
	REJECTS("sekret", "unknown level or category 'sekret' at column 1");
	REJECTS("  top", "unknown level or category 'top' at column 3");
}

static void
parse_rejects_level_where_category_expected(void **state)
{
	REJECTS("secret:confidential", "'confidential' is a level, expected a category at column 8");
	REJECTS("crypto,secret", "'secret' is a level, expected a category at column 8");
}

static void
parse_rejects_keyword_where_category_expected(void **state)
{
	REJECTS("secret:TOP", "keyword 'TOP' where a category was expected at column 8");
	REJECTS("crypto,NO", "keyword 'NO' where a category was expected at column 8");
}

static void
parse_rejects_trailing_text(void **state)
{
	REJECTS("secret secret", "unexpected 's', expected ':' or the end of the label at column 8");
	REJECTS("crypto:nato", "unexpected ':', expected ',' or the end of the label at column 7");
	REJECTS("TOP:crypto", "unexpected ':', expected the end of the label at column 4");
	REJECTS("NO x", "unexpected 'x', expected the end of the label at column 4");
}

static void
parse_rejects_missing_category(void **state)
{
	REJECTS("secret:", "expected a category but the label ends at column 8");
	REJECTS("crypto, ", "expected a category but the label ends at column 9");
	REJECTS("secret:,crypto", "unexpected ',', expected a category at column 8");
}

static void
parse_rejects_bad_characters(void **state)
{
	REJECTS("secret;crypto", "unexpected ';', expected ':' or the end of the label at column 7");
	REJECTS("_x", "unexpected '_', expected a level or category at column 1");
	REJECTS("secret:\x01", "unexpected byte 0x01, expected a category at column 8");
	REJECTS("secret:crypto\xff", "unexpected byte 0xff, expected ',' or the end of the label at column 14");
}

static void
parse_rejects_bad_bit_numbers(void **state)
{
	REJECTS("#", "expected a bit number after '#' but the label ends at column 2");
	REJECTS("#x", "unexpected 'x', expected a bit number after '#' at column 2");
	REJECTS("#256", "category bit '#256' out of range 0..255 at column 1");
	REJECTS("secret:#1000", "category bit '#100...' out of range 0..255 at column 8");
	REJECTS("#12a", "unexpected 'a', expected ',' or the end of the label at column 4");
}

static void
parse_rejects_empty_text(void **state)
{
	REJECTS("", "empty label at column 1");
	REJECTS("   ", "empty label at column 4");
}

static void
parse_rejects_nul_byte(void **state)
{
	assert_rejects("secret\0:crypto", 14, "NUL byte in label at column 7");
}

static void
parse_rejects_overlong_text_and_names(void **state)
{
	char *big = malloc(IX_LABEL_TEXT_MAX + 1);
	char name[80];
	struct ix_label l;
	struct ix_err e = { 0 };

	assert_non_null(big);
	memset(big, ' ', IX_LABEL_TEXT_MAX + 1);
	memcpy(big, "secret", 6);
	/* exactly the limit is accepted, one byte more is not */
	assert_int_equal(ix_label_parse(enc, big, IX_LABEL_TEXT_MAX, &l, &e), 0);
	assert_rejects(big, IX_LABEL_TEXT_MAX + 1, "label longer than 8192 bytes at column 8193");
	free(big);
	snprintf(name, sizeof name, "secret:%065d", 0);
	name[7] = 'a';
	assert_rejects(name, strlen(name), "name 'a000000000000000...' longer than 64 bytes at column 8");
}

static void
parse_rejects_when_no_levels_exist(void **state)
{
	struct ix_label_enc *empty = ix_label_enc_new();
	struct ix_label l;
	struct ix_err e = { 0 };

	assert_int_equal(ix_label_enc_add_category(empty, "crypto", 1, &e), 0);
	assert_int_equal(ix_label_parse(empty, "crypto", 6, &l, &e), -1);
	assert_string_equal(e.msg, "no label levels are defined at column 1");
	ix_label_enc_free(empty);
}

static void
print_rejects_small_buffer_and_unnamed_level(void **state)
{
	struct ix_label l = parse_ok("secret:crypto");
	struct ix_err e = { 0 };
	char buf[14];

	/* "secret:crypto" is 13 bytes: it needs 14 with its NUL */
	assert_int_equal(ix_label_print(enc, &l, buf, 13, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
	assert_int_equal(ix_label_print(enc, &l, buf, sizeof buf, &e), 13);
	assert_string_equal(buf, "secret:crypto");
	l.level = 9;
	assert_int_equal(ix_label_print(enc, &l, buf, sizeof buf, &e), -1);
	assert_string_equal(e.msg, "label level 9 has no name");
}

/* Without the encodings (a user who cannot read the database), a label
 * prints by number, and that text is never taken for a label. */
static void
print_raw_names_level_and_bits_by_number(void **state)
{
	struct ix_label l = parse_ok("secret:projectbit,crypto,#100,last");
	struct ix_err e = { 0 };
	char buf[IX_LABEL_TEXT_MAX + 1];

	assert_int_equal(ix_label_print_raw(&l, buf, sizeof buf, &e), 23);
	assert_string_equal(buf, "level#2:#0,#7,#100,#255");
	l = parse_ok("projectbit");
	assert_int_equal(ix_label_print_raw(&l, buf, sizeof buf, &e), 10);
	assert_string_equal(buf, "level#0:#0");
	l = parse_ok("unclassified");
	ix_label_print_raw(&l, buf, sizeof buf, &e);
	assert_string_equal(buf, "level#0");
	ix_label_no(&l);
	ix_label_print_raw(&l, buf, sizeof buf, &e);
	assert_string_equal(buf, "NO");
	assert_int_equal(ix_label_parse(enc, "level#2:#0", 10, &l, &e), -1);
}

static void
print_raw_rejects_small_buffer(void **state)
{
	struct ix_label l = parse_ok("secret:crypto");
	struct ix_err e = { 0 };
	char buf[11];

	/* "level#2:#7" is 10 bytes: it needs 11 with its NUL */
	assert_int_equal(ix_label_print_raw(&l, buf, 10, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
	assert_int_equal(ix_label_print_raw(&l, buf, sizeof buf, &e), 10);
	assert_string_equal(buf, "level#2:#7");
	assert_int_equal(ix_label_print_raw(&l, buf, 0, &e), -1);
}

/* ---- random elements: the lattice laws and the round trip ---- */

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Bits drawn from a small set so that random labels are often comparable,
 * always including the edges 0, 63, 64 and 255. */
static const int bitpool[] = { 0, 1, 2, 7, 63, 64, 100, 200, 254, 255 };

static void
random_label(struct ix_label *l)
{
	unsigned r = (unsigned)(rnd() % 100), i;

	if (r < 4) {
		ix_label_no(l);
		return;
	}
	if (r < 8) {
		ix_label_top(enc, l);
		return;
	}
	ix_label_bottom(enc, l);
	if (r < 12)
		return;
	l->level = (uint16_t)(rnd() % 4);
	for (i = 0; i < sizeof bitpool / sizeof bitpool[0]; i++)
		if (rnd() % 3 == 0)
			ix_label_set_cat(l, bitpool[i]);
	if (rnd() % 8 == 0)
		ix_label_set_cat(l, (int)(rnd() % IX_CAT_BITS));
}

static void *
op_random(void *ctx)
{
	struct ix_label *l = test_malloc(sizeof *l);

	random_label(l);
	return l;
}

static bool
op_le(void *ctx, const void *a, const void *b)
{
	return ix_label_le(a, b);
}

static bool
op_eq(void *ctx, const void *a, const void *b)
{
	return ix_label_eq(a, b);
}

static void *
op_join(void *ctx, const void *a, const void *b)
{
	struct ix_label *l = test_malloc(sizeof *l);

	ix_label_join(a, b, l);
	return l;
}

static void *
op_meet(void *ctx, const void *a, const void *b)
{
	struct ix_label *l = test_malloc(sizeof *l);

	ix_label_meet(a, b, l);
	return l;
}

static void
op_free(void *ctx, void *x)
{
	test_free(x);
}

static void
random_labels_obey_lattice_laws(void **state)
{
	const struct lattice_ops ops = { "label", op_random, op_le, op_eq, op_join, op_meet,
					 op_free, NULL };
	struct ix_label a, b;
	unsigned k;

	assert_true(check_lattice_laws(&ops, 4000) >= 12000);
	/* NO poisons the flow checks, not the order */
	for (k = 0; k < 4000; k++) {
		random_label(&a);
		random_label(&b);
		if ((a.flags | b.flags) & IX_LABEL_F_NO)
			assert_false(ix_label_can_read(&a, &b) || ix_label_can_write(&a, &b));
		else
			assert_int_equal(ix_label_can_read(&a, &b), ix_label_le(&b, &a));
	}
}

static void
random_labels_round_trip_through_text(void **state)
{
	char buf[IX_LABEL_TEXT_MAX + 1];
	struct ix_label a, b;
	struct ix_err e = { 0 };
	unsigned k;
	int n;

	for (k = 0; k < 5000; k++) {
		random_label(&a);
		n = ix_label_print(enc, &a, buf, sizeof buf, &e);
		assert_true(n > 0);
		if (ix_label_parse(enc, buf, (size_t)n, &b, &e) != 0)
			fail_msg("'%s' does not parse back: %s", buf, e.msg);
		assert_true(ix_label_eq(&a, &b));
	}
	printf("label text: %u random elements round-tripped\n", k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(enc_rejects_bad_and_duplicate_names, setup, teardown),
		cmocka_unit_test_setup_teardown(enc_rejects_keywords_in_any_case, setup, teardown),
		cmocka_unit_test_setup_teardown(enc_rejects_long_names, setup, teardown),
		cmocka_unit_test_setup_teardown(enc_rejects_bit_out_of_range_or_in_use, setup, teardown),
		cmocka_unit_test(enc_limits_levels),
		cmocka_unit_test(enc_finds_every_name_of_a_full_table),
		cmocka_unit_test_setup_teardown(no_is_above_top_but_never_readable_or_writable, setup, teardown),
		cmocka_unit_test_setup_teardown(categories_decide_incomparable_labels, setup, teardown),
		cmocka_unit_test_setup_teardown(category_bits_cover_0_to_255, setup, teardown),
		cmocka_unit_test_setup_teardown(parse_accepts_every_form, setup, teardown),
		cmocka_unit_test_setup_teardown(parse_reads_only_len_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(parse_rejects_unknown_category, setup, teardown),
		cmocka_unit_test_setup_teardown(parse_rejects_unknown_first_name, setup, teardown),
		cmocka_unit_test_setup_teardown(parse_rejects_level_where_category_expected, setup, teardown),
		cmocka_unit_test_setup_teardown(parse_rejects_keyword_where_category_expected, setup, teardown),
		cmocka_unit_test_setup_teardown(parse_rejects_trailing_text, setup, teardown),
		cmocka_unit_test_setup_teardown(parse_rejects_missing_category, setup, teardown),
		cmocka_unit_test_setup_teardown(parse_rejects_bad_characters, setup, teardown),
		cmocka_unit_test_setup_teardown(parse_rejects_bad_bit_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(parse_rejects_empty_text, setup, teardown),
		cmocka_unit_test_setup_teardown(parse_rejects_nul_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(parse_rejects_overlong_text_and_names, setup, teardown),
		cmocka_unit_test(parse_rejects_when_no_levels_exist),
		cmocka_unit_test_setup_teardown(print_rejects_small_buffer_and_unnamed_level, setup, teardown),
		cmocka_unit_test_setup_teardown(print_raw_names_level_and_bits_by_number, setup, teardown),
		cmocka_unit_test_setup_teardown(print_raw_rejects_small_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(random_labels_obey_lattice_laws, setup, teardown),
		cmocka_unit_test_setup_teardown(random_labels_round_trip_through_text, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
