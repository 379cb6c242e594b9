/* Rights: declarations, the product order, parsing with typed "$n"
 * substitution, canonical printing and the explanation of refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "liblattice/rights.h"

static struct ix_label_enc *enc;
static struct ix_rdecls *decls;

/* Declaration indexes, in declaration (and so printing) order. */
enum { NETADMIN, NETOPER, DOWNGRADE, EDIT, EXEC, PRIV };

static int
setup(void **state)
{
	struct ix_err e;

	enc = ix_label_enc_new();
	assert_non_null(enc);
	assert_int_equal(ix_label_enc_add_level(enc, "unclassified", &e), 0);
	assert_int_equal(ix_label_enc_add_level(enc, "secret", &e), 1);
	assert_int_equal(ix_label_enc_add_category(enc, "projectbit", 0, &e), 0);
	assert_int_equal(ix_label_enc_add_category(enc, "otherbit", 1, &e), 0);
	assert_int_equal(ix_label_enc_add_category(enc, "last", 255, &e), 0);
	decls = ix_rdecls_new(enc);
	assert_non_null(decls);
	assert_int_equal(ix_rdecls_declare(decls, "netadmin", IX_RK_PLAIN, &e), NETADMIN);
	assert_int_equal(ix_rdecls_declare(decls, "netoper", IX_RK_PLAIN, &e), NETOPER);
	assert_int_equal(ix_rdecls_declare(decls, "downgrade", IX_RK_LABEL, &e), DOWNGRADE);
	assert_int_equal(ix_rdecls_declare(decls, "edit", IX_RK_REGEX, &e), EDIT);
	assert_int_equal(ix_rdecls_declare(decls, "exec", IX_RK_REGEX, &e), EXEC);
	assert_int_equal(ix_rdecls_declare(decls, "priv", IX_RK_PRIVSET, &e), PRIV);
	return 0;
}

static int
teardown(void **state)
{
	ix_rdecls_free(decls);
	ix_label_enc_free(enc);
	return 0;
}

static struct ix_rights *
subst_ok(const char *text, const char *const *caps, size_t ncaps)
{
	struct ix_rights *r = NULL;
	struct ix_err e = { 0 };

	if (ix_rights_parse(decls, text, strlen(text), caps, ncaps, &r, &e) != 0)
		fail_msg("parsing '%s' failed: %s", text, e.msg);
	return r;
}

static struct ix_rights *
parse_ok(const char *text)
{
	return subst_ok(text, NULL, 0);
}

static void
assert_prints(const struct ix_rights *r, const char *want)
{
	struct ix_err e = { 0 };
	char *s = ix_rights_print(r, &e);

	if (s == NULL)
		fail_msg("print failed: %s", e.msg);
	assert_string_equal(s, want);
	free(s);
}

/* The canonical text of text. */
static void
assert_canonical(const char *text, const char *want)
{
	struct ix_rights *r = parse_ok(text);

	assert_prints(r, want);
	ix_rights_free(r);
}

static void
assert_subst_rejects(const char *text, size_t len, const char *const *caps, size_t ncaps,
		     const char *msg)
{
	struct ix_rights *r = (struct ix_rights *)&r;
	struct ix_err e = { 0 };

	assert_int_equal(ix_rights_parse(decls, text, len, caps, ncaps, &r, &e), -1);
	assert_null(r);
	assert_string_equal(e.msg, msg);
}

#define REJECTS(text, msg) assert_subst_rejects(text, strlen(text), NULL, 0, msg)
#define SUBST_REJECTS(text, caps, msg) \
	assert_subst_rejects(text, strlen(text), caps, sizeof caps / sizeof caps[0], msg)

static int
le(const char *a, const char *b)
{
	struct ix_rights *x = parse_ok(a), *y = parse_ok(b);
	struct ix_err e = { 0 };
	int rc = ix_rights_le(x, y, &e);

	assert_true(rc >= 0);
	ix_rights_free(x);
	ix_rights_free(y);
	return rc;
}

/* ---- declarations ---- */

static void
declare_rejects_bad_names(void **state)
{
	static const char *const bad[] = { "Netoper", "9x", "a-b", "", "net oper", "ALL", "NONE",
					   "_x" };
	struct ix_err e = { 0 };
	char msg[256];
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(ix_rdecls_declare(decls, bad[i], IX_RK_PLAIN, &e), -1);
		snprintf(msg, sizeof msg, "bad right name '%s': use a lower-case letter then "
			 "lower-case letters, digits or '_'", bad[i]);
		assert_string_equal(e.msg, msg);
	}
	assert_int_equal(ix_rdecls_count(decls), 6);
}

static void
declare_rejects_duplicates_long_names_and_unknown_kinds(void **state)
{
	struct ix_err e = { 0 };
	char name[IX_RIGHT_NAME_MAX + 2];

	assert_int_equal(ix_rdecls_declare(decls, "edit", IX_RK_PLAIN, &e), -1);
	assert_string_equal(e.msg, "right 'edit' is declared twice");
	assert_int_equal(e.code, IX_EEXIST);
	assert_int_equal(ix_rdecls_declare(decls, "x", (enum ix_right_kind)7, &e), -1);
	assert_string_equal(e.msg, "right 'x' has an unknown kind 7");
	memset(name, 'a', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	assert_int_equal(ix_rdecls_declare(decls, name, IX_RK_PLAIN, &e), -1);
	name[IX_RIGHT_NAME_MAX] = '\0';
	assert_int_equal(ix_rdecls_declare(decls, name, IX_RK_PLAIN, &e), 6);
	assert_int_equal(ix_rdecls_find(decls, name, IX_RIGHT_NAME_MAX), 6);
}

static void
declare_stops_at_the_limit(void **state)
{
	struct ix_rdecls *d = ix_rdecls_new(enc);
	struct ix_err e = { 0 };
	char name[16];
	int i;

	for (i = 0; i < IX_RIGHTS_DECL_MAX; i++) {
		snprintf(name, sizeof name, "r%d", i);
		assert_int_equal(ix_rdecls_declare(d, name, IX_RK_PLAIN, &e), i);
	}
	assert_int_equal(ix_rdecls_declare(d, "onemore", IX_RK_PLAIN, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
	assert_int_equal(ix_rdecls_find(d, "r1023", 5), 1023);
	ix_rdecls_free(d);
	ix_rdecls_free(NULL);
}

static void
declarations_answer_queries(void **state)
{
	assert_int_equal(ix_rdecls_find(decls, "downgrade", 9), DOWNGRADE);
	assert_int_equal(ix_rdecls_find(decls, "downgradex", 9), DOWNGRADE);
	assert_int_equal(ix_rdecls_find(decls, "down", 4), -1);
	assert_string_equal(ix_rdecls_name(decls, EDIT), "edit");
	assert_null(ix_rdecls_name(decls, 6));
	assert_int_equal(ix_rdecls_kind(decls, PRIV), IX_RK_PRIVSET);
	assert_ptr_equal(ix_rdecls_enc(decls), enc);
	assert_string_equal(ix_right_kind_name(IX_RK_REGEX), "regex");
	assert_int_equal(ix_right_kind_parse("label"), IX_RK_LABEL);
	assert_int_equal(ix_right_kind_parse("plain"), IX_RK_PLAIN);
	assert_int_equal(ix_right_kind_parse("privset"), IX_RK_PRIVSET);
	assert_int_equal(ix_right_kind_parse("Regex"), -1);
	assert_null(ix_right_kind_name((enum ix_right_kind)4));
}

/* ---- values ---- */

static void
print_is_canonical(void **state)
{
	assert_canonical("netoper | netadmin", "netadmin | netoper");
	assert_canonical("  priv(sys_time, net_admin)|downgrade(otherbit ,projectbit)\t",
			 "downgrade(projectbit,otherbit) | priv(net_admin,sys_time)");
	assert_canonical("downgrade(projectbit)", "downgrade(projectbit)");
	assert_canonical("downgrade(secret:last)", "downgrade(secret:last)");
	assert_canonical("edit(/dept/physics(/.*)?)", "edit(/dept/physics(/.*)?)");
	assert_canonical("netoper | netoper", "netoper");
	assert_canonical("", "NONE");
	assert_canonical("  ", "NONE");
	assert_canonical("NONE", "NONE");
	assert_canonical("NONE | netoper", "netoper");
	assert_canonical("ALL", "ALL");
	assert_canonical("netoper | ALL", "ALL");
}

/* The text of a union may hold a "$" in a bracket class ("a[$b]"), which
 * the rights parser would take for a parameter: it prints as "\$". */
static void
print_escapes_a_dollar_the_regex_text_leaves_bare(void **state)
{
	struct ix_rights *a = parse_ok("edit(a\\$)"), *b = parse_ok("edit(ab)"), *j, *back;
	struct ix_err e = { 0 };
	char *text;

	j = ix_rights_join(a, b, &e);
	assert_non_null(j);
	assert_string_equal(ix_re_text(ix_rights_regex(j, EDIT)), "a[$b]");
	assert_prints(j, "edit(a[\\$b])");
	text = ix_rights_print(j, &e);
	back = parse_ok(text);
	assert_int_equal(ix_rights_eq(back, j, &e), 1);
	assert_prints(back, text);
	/* an escaped dollar outside a class stays one escape */
	assert_canonical("edit(x\\$|y)", "edit(x\\$|y)");
	free(text);
	ix_rights_free(a);
	ix_rights_free(b);
	ix_rights_free(j);
	ix_rights_free(back);
}

static void
bottom_values_are_absent(void **state)
{
	struct ix_rights *r = parse_ok("priv() | downgrade(unclassified) | edit([^\\x00-\\xff])");

	assert_true(ix_rights_is_bottom(r));
	assert_false(ix_rights_has(r, PRIV));
	assert_prints(r, "NONE");
	ix_rights_free(r);
	r = parse_ok("downgrade(BOTTOM) | netoper");
	assert_prints(r, "netoper");
	assert_false(ix_rights_has(r, DOWNGRADE));
	ix_rights_free(r);
}

static void
all_is_every_identifier_at_its_top(void **state)
{
	struct ix_rights *a = parse_ok("ALL"), *t = ix_rights_top(decls);
	struct ix_rights *spelled = parse_ok("netadmin | netoper | downgrade(TOP) | edit(.*) | "
					     "exec(.*) | priv(ALL)");
	struct ix_rights *almost = parse_ok("netadmin | netoper | downgrade(TOP) | edit(.*) | "
					    "exec(.+) | priv(ALL)");
	struct ix_err e = { 0 };

	assert_true(ix_rights_is_top(a));
	assert_int_equal(ix_rights_eq(a, t, &e), 1);
	assert_int_equal(ix_rights_eq(a, spelled, &e), 1);
	assert_true(ix_rights_is_top(spelled));
	assert_prints(spelled, "ALL");
	assert_false(ix_rights_is_top(almost));
	assert_int_equal(ix_rights_le(almost, a, &e), 1);
	assert_int_equal(ix_rights_le(a, almost, &e), 0);
	assert_string_equal(ix_rights_label(a, DOWNGRADE)->flags & IX_LABEL_F_NO ? "NO" : "ok",
			    "ok");
	ix_rights_free(a);
	ix_rights_free(t);
	ix_rights_free(spelled);
	ix_rights_free(almost);
}

static void
order_is_pointwise(void **state)
{
	assert_int_equal(le("netadmin", "netadmin | netoper"), 1);
	assert_int_equal(le("netadmin | netoper", "netadmin"), 0);
	assert_int_equal(le("NONE", "netoper"), 1);
	assert_int_equal(le("netoper", "NONE"), 0);
	assert_int_equal(le("downgrade(projectbit)", "downgrade(projectbit,otherbit)"), 1);
	assert_int_equal(le("downgrade(projectbit)", "downgrade(otherbit)"), 0);
	assert_int_equal(le("downgrade(secret)", "downgrade(projectbit)"), 0);
	assert_int_equal(le("downgrade(projectbit)", "downgrade(secret:projectbit)"), 1);
	assert_int_equal(le("edit(/dept/physics/x)", "edit(/dept/physics(/.*)?)"), 1);
	assert_int_equal(le("edit(/dept/physics(/.*)?)", "edit(/dept/physics/x)"), 0);
	assert_int_equal(le("edit(/a)", "exec(/a)"), 0);
	assert_int_equal(le("priv(net_admin)", "priv(net_admin,sys_time)"), 1);
	assert_int_equal(le("priv(net_admin,sys_time)", "priv(net_admin)"), 0);
	assert_int_equal(le("netoper | priv(kill)", "ALL"), 1);
}

static void
join_and_meet_work_per_identifier(void **state)
{
	struct ix_rights *a = parse_ok("netoper | downgrade(projectbit) | edit(/a(/.*)?) | priv(kill)");
	struct ix_rights *b = parse_ok("netadmin | downgrade(secret:otherbit) | edit(/a/b|/c) | "
				       "priv(kill,chown)");
	struct ix_rights *j, *m, *x;
	struct ix_err e = { 0 };

	j = ix_rights_join(a, b, &e);
	m = ix_rights_meet(a, b, &e);
	assert_non_null(j);
	assert_non_null(m);
	assert_int_equal(ix_rights_le(a, j, &e), 1);
	assert_int_equal(ix_rights_le(b, j, &e), 1);
	assert_true(ix_re_match(ix_rights_regex(j, EDIT), "/c", 2));
	assert_true(ix_re_match(ix_rights_regex(j, EDIT), "/a/x", 4));
	assert_false(ix_re_match(ix_rights_regex(j, EDIT), "/b", 2));
	x = parse_ok("downgrade(secret:projectbit,otherbit)");
	assert_int_equal(ix_rights_eq(x, m, &e), 0);
	assert_true(ix_label_eq(ix_rights_label(j, DOWNGRADE), ix_rights_label(x, DOWNGRADE)));
	ix_rights_free(x);
	/* the meet keeps only what both hold */
	assert_false(ix_rights_has(m, NETOPER));
	assert_false(ix_rights_has(m, NETADMIN));
	assert_false(ix_rights_has(m, DOWNGRADE));	/* unclassified, no category */
	assert_true(ix_re_match(ix_rights_regex(m, EDIT), "/a/b", 4));
	assert_false(ix_re_match(ix_rights_regex(m, EDIT), "/c", 2));
	x = parse_ok("edit(/a/b) | priv(kill)");
	assert_int_equal(ix_rights_eq(x, m, &e), 1);
	ix_rights_free(x);
	/* join_into joins in place */
	x = ix_rights_dup(a);
	assert_int_equal(ix_rights_join_into(x, b, &e), 0);
	assert_int_equal(ix_rights_eq(x, j, &e), 1);
	assert_int_equal(ix_rights_eq(a, j, &e), 0);
	ix_rights_free(x);
	ix_rights_free(j);
	ix_rights_free(m);
	ix_rights_free(a);
	ix_rights_free(b);
	ix_rights_free(NULL);
}

static void
identifier_given_twice_is_joined(void **state)
{
	struct ix_rights *r = parse_ok("edit(/a) | priv(kill) | edit(/b) | priv(chown)");
	const struct ix_re *re = ix_rights_regex(r, EDIT);

	assert_true(ix_re_match(re, "/a", 2) && ix_re_match(re, "/b", 2));
	assert_false(ix_re_match(re, "/c", 2));
	assert_true(ix_privset_has(ix_rights_privset(r, PRIV), 0));
	assert_true(ix_privset_has(ix_rights_privset(r, PRIV), 5));
	ix_rights_free(r);
}

static void
accessors_check_kind_and_presence(void **state)
{
	struct ix_rights *r = parse_ok("netoper | downgrade(projectbit) | edit(/x) | priv(kill)");

	assert_true(ix_rights_has(r, NETOPER));
	assert_false(ix_rights_has(r, NETADMIN));
	assert_false(ix_rights_has(r, 99));
	assert_non_null(ix_rights_label(r, DOWNGRADE));
	assert_null(ix_rights_label(r, EDIT));
	assert_null(ix_rights_regex(r, EXEC));
	assert_non_null(ix_rights_regex(r, EDIT));
	assert_null(ix_rights_regex(r, PRIV));
	assert_non_null(ix_rights_privset(r, PRIV));
	assert_null(ix_rights_privset(r, 99));
	assert_false(ix_rights_is_bottom(r));
	assert_false(ix_rights_is_top(r));
	ix_rights_free(r);
}

static void
values_of_different_declarations_are_refused(void **state)
{
	struct ix_rdecls *other = ix_rdecls_new(enc);
	struct ix_rights *a = parse_ok("netoper"), *b = ix_rights_new(other);
	struct ix_err e = { 0 };

	assert_int_equal(ix_rights_le(a, b, &e), -1);
	assert_string_equal(e.msg, "rights values of different declarations");
	assert_int_equal(ix_rights_eq(a, b, &e), -1);
	assert_null(ix_rights_join(a, b, &e));
	assert_null(ix_rights_meet(a, b, &e));
	assert_null(ix_rights_explain_missing(a, b, &e));
	assert_int_equal(e.code, IX_EINVAL);
	ix_rights_free(a);
	ix_rights_free(b);
	ix_rdecls_free(other);
}

/* ---- explanations ---- */

static void
explain(const char *have, const char *need, const char *want)
{
	struct ix_rights *h = parse_ok(have), *n = parse_ok(need);
	struct ix_err e = { 0 };
	char *s = ix_rights_explain_missing(h, n, &e);

	if (want == NULL) {
		assert_null(s);
		assert_int_equal(e.code, IX_OK);
	} else {
		assert_non_null(s);
		assert_string_equal(s, want);
	}
	free(s);
	ix_rights_free(h);
	ix_rights_free(n);
}

static void
explain_missing_names_each_missing_item(void **state)
{
	explain("downgrade(otherbit)", "downgrade(projectbit)",
		"needs downgrade(projectbit); granted downgrade(otherbit)");
	explain("netadmin", "netoper", "needs netoper; granted nothing of it");
	explain("netadmin | priv(kill)", "netoper | netadmin | priv(kill,chown)",
		"needs netoper; granted nothing of it; needs priv(chown,kill); granted priv(kill)");
	explain("edit(/a(/.*)?)", "edit(/b)", "needs edit(/b); granted edit(/a(/.*)?)");
	explain("ALL", "netoper | edit(/b)", NULL);
	explain("netoper", "NONE", NULL);
}

/* ---- rejections, with message and column ---- */

static void
parse_rejects_unknown_right(void **state)
{
	REJECTS("netadmin | netoperr", "unknown right 'netoperr' at column 12");
	REJECTS("Netoper", "unknown right 'Netoper' at column 1");
}

static void
parse_rejects_value_on_plain_right_and_keywords(void **state)
{
	REJECTS("netoper(x)", "'netoper' is a plain right and takes no value at column 8");
	REJECTS("ALL()", "'ALL' takes no value at column 4");
	REJECTS("netoper | NONE(x)", "'NONE' takes no value at column 15");
}

static void
parse_rejects_missing_value(void **state)
{
	REJECTS("downgrade", "'downgrade' is a label right and needs a value: downgrade(...) at column 10");
	REJECTS("edit | netoper", "'edit' is a regex right and needs a value: edit(...) at column 5");
	REJECTS("priv (kill)", "'priv' is a privset right and needs a value: priv(...) at column 5");
}

static void
parse_rejects_unclosed_value(void **state)
{
	REJECTS("edit(/a(b)", "missing ')' for the '(' of 'edit' at column 5");
	REJECTS("edit(/a\\)", "missing ')' for the '(' of 'edit' at column 5");
	REJECTS("edit([)]", "missing ')' for the '(' of 'edit' at column 5");
	REJECTS("netoper | downgrade(projectbit", "missing ')' for the '(' of 'downgrade' at column 20");
}

static void
parse_rejects_bad_separators(void **state)
{
	REJECTS("netadmin netoper", "unexpected 'n', expected '|' or the end of the rights at column 10");
	REJECTS("netadmin, netoper", "unexpected ',', expected '|' or the end of the rights at column 9");
	REJECTS("netadmin |", "expected a right name but the text ends at column 11");
	REJECTS("netadmin || netoper", "unexpected '|', expected a right name at column 11");
	REJECTS("| netoper", "unexpected '|', expected a right name at column 1");
	REJECTS("netoper\x01", "unexpected byte 0x01, expected '|' or the end of the rights at column 8");
}

static void
parse_rejects_nul_and_overlong_text(void **state)
{
	char *big = malloc(IX_RIGHTS_TEXT_MAX + 1);

	assert_subst_rejects("netoper\0| netadmin", 18, NULL, 0, "NUL byte in rights at column 8");
	assert_non_null(big);
	memset(big, ' ', IX_RIGHTS_TEXT_MAX + 1);
	memcpy(big, "netoper", 7);
	assert_subst_rejects(big, IX_RIGHTS_TEXT_MAX + 1, NULL, 0,
			     "rights longer than 65536 bytes at column 65537");
	free(big);
}

static void
parse_rejects_bad_label_value_at_its_column(void **state)
{
	REJECTS("netadmin | downgrade(projcetbit)", "unknown level or category 'projcetbit' at column 22");
	REJECTS("downgrade(secret:projectbit,, otherbit)",
		"unexpected ',', expected a category at column 29");
	REJECTS("downgrade()", "empty label at column 11");
	REJECTS("downgrade(secret:)", "expected a category but the label ends at column 18");
}

static void
parse_rejects_label_no(void **state)
{
	REJECTS("netoper | downgrade(NO)", "the label NO is not a value of 'downgrade' at column 21");
}

static void
parse_rejects_bad_privset_value_at_its_column(void **state)
{
	REJECTS("priv(net_admin, sys_tiem)", "unknown privilege 'sys_tiem' at column 17");
	REJECTS("priv(kill;chown)", "unexpected ';', expected ',' or the end of the set at column 10");
}

static void
parse_rejects_bad_regex_value_at_its_column(void **state)
{
	struct ix_rights *r = NULL;
	struct ix_err e = { 0 }, re_e = { 0 };
	struct ix_re *re = NULL;
	char want[IX_ERR_MSG_MAX];
	const char *at;

	/* The engine's message, with its column moved by the 5 bytes of "edit(". */
	assert_int_equal(ix_re_compile("/a\\1", 4, 0, &re, &re_e), -1);
	at = strstr(re_e.msg, " at column 3");
	assert_non_null(at);
	snprintf(want, sizeof want, "%.*s at column 8%s", (int)(at - re_e.msg), re_e.msg, at + 12);
	assert_int_equal(ix_rights_parse(decls, "edit(/a\\1)", 10, NULL, 0, &r, &e), -1);
	assert_string_equal(e.msg, want);
	assert_int_equal(ix_rights_parse(decls, "netoper | exec(a{3,1})", 22, NULL, 0, &r, &e), -1);
	assert_non_null(strstr(e.msg, " at column 17"));
}

static void
parse_rejects_overlong_value(void **state)
{
	char *text = malloc(IX_RE_PATTERN_MAX + 16);

	assert_non_null(text);
	memcpy(text, "edit(", 5);
	memset(text + 5, 'a', IX_RE_PATTERN_MAX + 1);
	memcpy(text + 5 + IX_RE_PATTERN_MAX + 1, ")", 2);
	REJECTS(text, "value of 'edit' longer than 4096 bytes at column 6");
	text[5 + IX_RE_PATTERN_MAX] = ')';	/* exactly the maximum is fine */
	text[5 + IX_RE_PATTERN_MAX + 1] = '\0';
	ix_rights_free(parse_ok(text));
	free(text);
}

/* ---- substitution ---- */

static void
subst_regex_capture_is_a_literal(void **state)
{
	const char *caps[] = { "edit /a.*", "/a.*" };
	struct ix_rights *need = subst_ok("edit($1)", caps, 2);
	struct ix_rights *lit = parse_ok("edit(/a\\.\\*)"), *pat = parse_ok("edit(/a.*)");
	struct ix_rights *abc = parse_ok("edit(/abc)");
	struct ix_err e = { 0 };

	/* the need is exactly the string "/a.*" */
	assert_int_equal(ix_rights_le(need, lit, &e), 1);
	assert_int_equal(ix_rights_eq(need, lit, &e), 1);
	assert_int_equal(ix_rights_le(abc, need, &e), 0);
	assert_int_equal(ix_rights_le(pat, need, &e), 0);
	assert_int_equal(ix_rights_le(need, pat, &e), 1);
	assert_false(ix_re_match(ix_rights_regex(need, EDIT), "/abc", 4));
	ix_rights_free(need);
	ix_rights_free(lit);
	ix_rights_free(pat);
	ix_rights_free(abc);
}

static void
subst_regex_capture_keeps_its_place(void **state)
{
	const char *caps[] = { "", "bob", "ab", "(x|y)[z]\\" };
	struct ix_rights *r = subst_ok("edit(/home/$1/.*) | exec(x$2*)", caps, 3);
	const struct ix_re *edit = ix_rights_regex(r, EDIT), *exec = ix_rights_regex(r, EXEC);
	struct ix_rights *home = parse_ok("edit(/home/[^/]+/.*)");
	struct ix_err e = { 0 };

	assert_true(ix_re_match(edit, "/home/bob/f", 11));
	assert_false(ix_re_match(edit, "/home/bo/f", 10));
	/* the quantifier repeats the whole capture */
	assert_true(ix_re_match(exec, "x", 1));
	assert_true(ix_re_match(exec, "xabab", 5));
	assert_false(ix_re_match(exec, "xabb", 4));
	assert_int_equal(ix_rights_le(r, home, &e), 0);	/* exec is not in home */
	ix_rights_free(r);
	r = subst_ok("edit(/home/$1/.*)", caps, 2);
	assert_int_equal(ix_rights_le(r, home, &e), 1);
	ix_rights_free(r);
	ix_rights_free(home);
	r = subst_ok("edit($3)", caps, 4);
	assert_true(ix_re_match(ix_rights_regex(r, EDIT), "(x|y)[z]\\", 9));
	assert_false(ix_re_match(ix_rights_regex(r, EDIT), "x[z]\\", 5));
	ix_rights_free(r);
}

static void
subst_escaped_dollar_is_a_dollar(void **state)
{
	const char *caps[] = { "x", "y" };
	struct ix_rights *r = subst_ok("edit(/a\\$1)", caps, 2);

	assert_true(ix_re_match(ix_rights_regex(r, EDIT), "/a$1", 4));
	assert_false(ix_re_match(ix_rights_regex(r, EDIT), "/ay", 3));
	ix_rights_free(r);
	r = parse_ok("edit(\\\\\\$)");	/* edit(\\\$): a backslash and a dollar */
	assert_true(ix_re_match(ix_rights_regex(r, EDIT), "\\$", 2));
	ix_rights_free(r);
}

static void
subst_label_capture_is_a_name_list(void **state)
{
	const char *caps[] = { "priv downgrade projectbit report", "projectbit", "otherbit,last" };
	struct ix_rights *a = subst_ok("downgrade($1)", caps, 3);
	struct ix_rights *b = parse_ok("downgrade(projectbit)");
	struct ix_err e = { 0 };

	assert_int_equal(ix_rights_eq(a, b, &e), 1);
	ix_rights_free(a);
	ix_rights_free(b);
	a = subst_ok("downgrade(secret:$1,$2)", caps, 3);
	assert_prints(a, "downgrade(secret:projectbit,otherbit,last)");
	ix_rights_free(a);
}

static void
subst_privset_capture_is_privilege_names(void **state)
{
	const char *caps[] = { "", "net_admin,sys_time" };
	struct ix_rights *a = subst_ok("priv(kill, $1)", caps, 2);

	assert_prints(a, "priv(kill,net_admin,sys_time)");
	ix_rights_free(a);
}

static void
subst_rejects_dollar_without_captures(void **state)
{
	REJECTS("edit(/a$1)", "'$' outside an action rule (write \\$ for a dollar) at column 8");
}

static void
subst_rejects_bad_parameter_numbers(void **state)
{
	const char *caps[] = { "all", "one", NULL };

	SUBST_REJECTS("edit(/a$0)", caps,
		      "unexpected '0', expected a parameter number 1-9 after '$' at column 9");
	SUBST_REJECTS("edit(/a$)", caps,
		      "unexpected ')', expected a parameter number 1-9 after '$' at column 9");
	SUBST_REJECTS("edit(/a$x)", caps,
		      "unexpected 'x', expected a parameter number 1-9 after '$' at column 9");
	SUBST_REJECTS("netoper | edit($2)", caps, "parameter $2 is not set at column 16");
	SUBST_REJECTS("edit($9)", caps, "parameter $9 is not set at column 6");
}

static void
subst_rejects_parameter_in_bracket_class(void **state)
{
	const char *caps[] = { "all", "a" };

	SUBST_REJECTS("edit(/[$1])", caps, "parameter $1 inside a bracket class at column 8");
}

static void
subst_rejects_label_capture_with_syntax(void **state)
{
	const char *paren[] = { "", "projectbit)" };
	const char *bar[] = { "", "projectbit|otherbit" };
	const char *colon[] = { "", "secret:projectbit" };
	const char *top[] = { "", "TOP" };
	const char *no[] = { "", "projectbit,no" };
	const char *empty[] = { "", "" };
	const char *hole[] = { "", "projectbit,,otherbit" };
	const char *ctl[] = { "", "projectbit\n" };

	SUBST_REJECTS("downgrade($1)", paren,
		      "parameter $1 contains ')', which a label name cannot at column 11");
	SUBST_REJECTS("netoper | downgrade($1)", bar,
		      "parameter $1 contains '|', which a label name cannot at column 21");
	SUBST_REJECTS("downgrade($1)", colon,
		      "parameter $1 contains ':', which a label name cannot at column 11");
	SUBST_REJECTS("downgrade($1)", top,
		      "parameter $1 is the keyword 'TOP', not a label name at column 11");
	SUBST_REJECTS("downgrade($1)", no,
		      "parameter $1 is the keyword 'no', not a label name at column 11");
	SUBST_REJECTS("downgrade($1)", empty,
		      "parameter $1 is empty, expected a label name at column 11");
	SUBST_REJECTS("downgrade($1)", hole,
		      "parameter $1 has an empty label name at column 11");
	SUBST_REJECTS("downgrade($1)", ctl,
		      "parameter $1 contains byte 0x0a, which a label name cannot at column 11");
}

static void
subst_reports_unknown_names_at_the_parameter(void **state)
{
	const char *caps[] = { "", "projcetbit" };
	const char *privs[] = { "", "net_admin,sys_tiem" };

	SUBST_REJECTS("downgrade(secret:$1)", caps, "unknown category 'projcetbit' at column 18");
	SUBST_REJECTS("priv(kill,$1)", privs, "unknown privilege 'sys_tiem' at column 11");
}

static void
subst_rejects_privset_capture_with_syntax(void **state)
{
	const char *all[] = { "", "ALL" };
	const char *paren[] = { "", "kill)" };
	const char *space[] = { "", "kill, chown" };

	SUBST_REJECTS("priv($1)", all,
		      "parameter $1 is the keyword 'ALL', not a privilege name at column 6");
	SUBST_REJECTS("priv($1)", paren,
		      "parameter $1 contains ')', which a privilege name cannot at column 6");
	SUBST_REJECTS("priv($1)", space,
		      "parameter $1 contains byte 0x20, which a privilege name cannot at column 6");
}

static void
subst_rejects_overlong_regex_capture(void **state)
{
	char *big = malloc(IX_RE_PATTERN_MAX);
	const char *caps[2] = { "", big };

	assert_non_null(big);
	memset(big, '.', IX_RE_PATTERN_MAX - 1);	/* each '.' escapes to 2 bytes */
	big[IX_RE_PATTERN_MAX - 1] = '\0';
	SUBST_REJECTS("netoper | edit($1)", caps,
		      "value of 'edit' longer than 4096 bytes after substitution at column 16");
	free(big);
}

/* A value grows past the parser's room on the stack (256 bytes) at any
 * point of its substitution and still means what it says. */
static void
subst_long_values_parse_whole(void **state)
{
	char *big = malloc(2000), *text = malloc(2100), *want = malloc(2100);
	const char *caps[2] = { "", big };
	struct ix_rights *r;

	assert_non_null(big);
	assert_non_null(text);
	assert_non_null(want);
	memset(big, 'a', 1999);
	big[1999] = '\0';
	big[700] = '.';		/* escaped, and nowhere near the start */
	r = subst_ok("edit(/x/$1/y)", caps, 2);
	snprintf(want, 2100, "/x/%s/y", big);
	assert_true(ix_re_match(ix_rights_regex(r, EDIT), want, strlen(want)));
	want[703] = 'b';	/* the '.' is a literal dot */
	assert_false(ix_re_match(ix_rights_regex(r, EDIT), want, strlen(want)));
	ix_rights_free(r);
	/* The same length written out, no parameter. */
	memset(text, 0, 2100);
	snprintf(text, 2100, "edit(/%.1500s)", big);
	text[5 + 700 + 1] = 'c';	/* no metacharacter left */
	r = parse_ok(text);
	assert_true(ix_re_match(ix_rights_regex(r, EDIT), text + 5, strlen(text) - 6));
	ix_rights_free(r);
	free(big);
	free(text);
	free(want);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(subst_long_values_parse_whole),
		T(declare_rejects_bad_names),
		T(declare_rejects_duplicates_long_names_and_unknown_kinds),
		T(declare_stops_at_the_limit),
		T(declarations_answer_queries),
		T(print_is_canonical),
		T(print_escapes_a_dollar_the_regex_text_leaves_bare),
		T(bottom_values_are_absent),
		T(all_is_every_identifier_at_its_top),
		T(order_is_pointwise),
		T(join_and_meet_work_per_identifier),
		T(identifier_given_twice_is_joined),
		T(accessors_check_kind_and_presence),
		T(values_of_different_declarations_are_refused),
		T(explain_missing_names_each_missing_item),
		T(parse_rejects_unknown_right),
		T(parse_rejects_value_on_plain_right_and_keywords),
		T(parse_rejects_missing_value),
		T(parse_rejects_unclosed_value),
		T(parse_rejects_bad_separators),
		T(parse_rejects_nul_and_overlong_text),
		T(parse_rejects_bad_label_value_at_its_column),
		T(parse_rejects_label_no),
		T(parse_rejects_bad_privset_value_at_its_column),
		T(parse_rejects_bad_regex_value_at_its_column),
		T(parse_rejects_overlong_value),
		T(subst_regex_capture_is_a_literal),
		T(subst_regex_capture_keeps_its_place),
		T(subst_escaped_dollar_is_a_dollar),
		T(subst_label_capture_is_a_name_list),
		T(subst_privset_capture_is_privilege_names),
		T(subst_rejects_dollar_without_captures),
		T(subst_rejects_bad_parameter_numbers),
		T(subst_rejects_parameter_in_bracket_class),
		T(subst_rejects_label_capture_with_syntax),
		T(subst_reports_unknown_names_at_the_parameter),
		T(subst_rejects_privset_capture_with_syntax),
		T(subst_rejects_overlong_regex_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
