/* Action language: every rejection with its message and column, canonical
 * printing, substitution with type checks, and the description shown to the
 * user. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "libauthtree/action.h"

#define PROJECTBIT 3
#define CRYPTO 7

static struct ix_label_enc *enc;

static int
setup(void **state)
{
	struct ix_err e;

	enc = ix_label_enc_new();
	assert_non_null(enc);
	assert_int_equal(ix_label_enc_add_level(enc, "unclassified", &e), 0);
	assert_int_equal(ix_label_enc_add_level(enc, "secret", &e), 1);
	assert_int_equal(ix_label_enc_add_category(enc, "projectbit", PROJECTBIT, &e), 0);
	assert_int_equal(ix_label_enc_add_category(enc, "crypto", CRYPTO, &e), 0);
	return 0;
}

static int
teardown(void **state)
{
	ix_label_enc_free(enc);
	return 0;
}

static struct ix_action_tmpl *
parse_ok(const char *text, int ngroups)
{
	struct ix_action_tmpl *t = NULL;
	struct ix_err e = { 0 };

	if (ix_action_parse(enc, text, strlen(text), ngroups, &t, &e) != 0)
		fail_msg("'%s' rejected: %s", text, e.msg);
	assert_non_null(t);
	return t;
}

static void
reject_n(const char *text, size_t len, int ngroups, enum ix_errcode code, const char *msg)
{
	struct ix_action_tmpl *t = (struct ix_action_tmpl *)&t;	/* must become NULL */
	struct ix_err e = { 0 };

	assert_int_equal(ix_action_parse(enc, text, len, ngroups, &t, &e), -1);
	assert_null(t);
	if (strcmp(e.msg, msg) != 0)
		fail_msg("'%.60s':\n got      %s\n expected %s", text, e.msg, msg);
	assert_int_equal(e.code, code);
}

static void
reject(const char *text, const char *msg)
{
	reject_n(text, strlen(text), 2, IX_EINVAL, msg);
}

/* ---- syntax ---- */

static void
parse_rejects_unknown_primitive(void **state)
{
	reject("RUN(/bin/x)", "column 1: unknown primitive 'RUN'");
	reject("EXEC(/bin/x), exec(/bin/y)", "column 15: unknown primitive 'exec'");
	reject("EXEC(/bin/x), -", "column 15: expected a primitive, found '-'");
	reject("", "column 1: expected a primitive, found end of text");
	reject("EXEC(/bin/x),", "column 14: expected a primitive, found end of text");
}

static void
parse_rejects_wrong_arity(void **state)
{
	reject("EXEC()", "column 1: EXEC takes at least 1 argument, not 0");
	reject("EXEC(/x), CEILING(secret, secret)", "column 11: CEILING takes 1 argument, not 2");
	reject("LABEL(/x)", "column 1: LABEL takes 2 arguments, not 1");
	reject("EXEC(/x), ENV(A)", "column 11: ENV takes 2 arguments, not 1");
	reject("LICENSE(/x)", "column 1: LICENSE takes at least 2 arguments, not 1");
	reject("EDIT(/a, /b)", "column 1: EDIT takes 1 argument, not 2");
}

static void
parse_rejects_reference_beyond_template_groups(void **state)
{
	reject("EXEC(/bin/x, $3)", "column 14: $3 but the template has 2 capture groups");
	reject_n("EXEC(/bin/x, \"a$1\")", 19, 0, IX_EINVAL,
		 "column 16: $1 but the template has 0 capture groups");
	reject_n("EXEC(/bin/x, $2)", 16, 1, IX_EINVAL,
		 "column 14: $2 but the template has 1 capture group");
}

static void
parse_rejects_dollar_without_digit(void **state)
{
	reject("EXEC(/bin/x, $HOME)",
	       "column 14: '$' must be followed by a digit 1 to 9 (write \"\\$\" for a dollar sign)");
	reject("EXEC(/bin/x, \"$0\")",
	       "column 15: '$' must be followed by a digit 1 to 9 (write \\$ for a dollar sign)");
	reject("EXEC(/bin/x, a$)",
	       "column 15: '$' must be followed by a digit 1 to 9 (write \"\\$\" for a dollar sign)");
}

static void
parse_rejects_missing_parenthesis_and_separator(void **state)
{
	reject("EXEC /x", "column 5: expected '(' after EXEC");
	reject("EXEC(/x", "column 8: expected ',' or ')' after an argument of EXEC, found end of text");
	reject("EXEC(/x y)", "column 9: expected ',' or ')' after an argument of EXEC, found 'y'");
	reject("EXEC(/x) junk", "column 10: expected ',' between primitives, found 'j'");
	reject("EXEC(/x)(", "column 9: expected ',' between primitives, found '('");
	reject("EXEC(/x, (a))", "column 10: expected an argument, found '('");
	reject("EXEC(/x, \"a\"b)",
	       "column 13: expected ',' or ')' after an argument of EXEC, found 'b'");
}

static void
parse_rejects_empty_argument(void **state)
{
	reject("EXEC(/x,,y)", "column 9: expected an argument, found ','");
	reject("EXEC(/x, )", "column 10: expected an argument, found ')'");
	reject("EXEC(", "column 6: expected an argument, found end of text");
	reject("EXEC(/x, ", "column 10: expected an argument, found end of text");
}

static void
parse_rejects_unterminated_quote(void **state)
{
	reject("EXEC(/x, \"abc)", "column 10: unterminated quoted string");
	reject("EXEC(/x, \"abc\\", "column 10: unterminated quoted string");
}

static void
parse_rejects_bad_escape(void **state)
{
	reject("EXEC(/x, \"a\\nb\")",
	       "column 12: bad escape '\\n'; only \\\", \\\\ and \\$ are known");
	reject("EXEC(/x, \"a\\\tb\")", "column 12: bad escape: '\\' followed by \\x09");
}

static void
parse_rejects_control_character(void **state)
{
	reject("EXEC(/x, \"a\tb\")", "column 12: control character \\x09");
	reject("EXEC(/x, a\001b)", "column 11: control character \\x01");
	reject("EXEC(/x, \"\x7f\")", "column 11: control character \\x7f");
}

static void
parse_rejects_nul_byte(void **state)
{
	reject_n("EXEC(/x\0)", 9, 2, IX_EINVAL, "column 8: NUL byte");
}

static void
parse_rejects_text_over_size_limit(void **state)
{
	size_t n = IX_ACTION_TEXT_MAX + 1;
	char *text = malloc(n);

	assert_non_null(text);
	memset(text, ' ', n);
	memcpy(text, "EXEC(/x)", 8);
	reject_n(text, n, 0, IX_ELIMIT, "column 16385: action longer than 16384 bytes");
	free(text);
}

static void
parse_rejects_over_many_primitives_and_arguments(void **state)
{
	char text[4096];
	size_t n = 0;
	int i;

	n += (size_t)snprintf(text + n, sizeof text - n, "EXEC(/x)");
	for (i = 1; i <= IX_ACTION_PRIMS_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, ", LABEL(/f%d, secret)", i);
	reject_n(text, n, 0, IX_ELIMIT, "column 653: more than 32 primitives");

	n = (size_t)snprintf(text, sizeof text, "EXEC(/x");
	for (i = 1; i < IX_ACTION_ARGS_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, ",a");
	/* 64 arguments are fine, the 65th is not */
	memcpy(text + n, ")", 2);
	ix_action_tmpl_free(parse_ok(text, 0));
	memcpy(text + n, ",b)", 4);
	reject_n(text, n + 3, 0, IX_ELIMIT, "column 135: EXEC has more than 64 arguments");
}

static void
parse_rejects_over_long_argument(void **state)
{
	char text[IX_ACTION_ARG_MAX + 32];
	size_t n;

	n = (size_t)snprintf(text, sizeof text, "EXEC(/x, ");
	memset(text + n, 'a', IX_ACTION_ARG_MAX + 1);
	n += IX_ACTION_ARG_MAX + 1;
	memcpy(text + n, ")", 2);
	reject_n(text, n + 1, 0, IX_ELIMIT, "column 10: argument longer than 4096 bytes");
	text[n - 1] = ')';	/* exactly the limit */
	text[n] = '\0';
	ix_action_tmpl_free(parse_ok(text, 0));
}

/* ---- types of constants ---- */

static void
parse_rejects_relative_exec_path(void **state)
{
	reject("EXEC(bin/x)", "column 6: EXEC: program 'bin/x' is not an absolute path");
	reject("EXEC(./x)", "column 6: EXEC: program './x' is not an absolute path");
	reject("EDIT(admin/networks)",
	       "column 6: EDIT: subtree 'admin/networks' is not an absolute path");
}

static void
parse_rejects_unnormalised_paths(void **state)
{
	reject("EXEC(/a/../b)", "column 6: EXEC: program '/a/../b' holds a '..' component");
	reject("EXEC(/a//b)", "column 6: EXEC: program '/a//b' holds '//'");
	reject("EXEC(/a/./b)", "column 6: EXEC: program '/a/./b' holds a '.' component");
	reject("EXEC(/a/)", "column 6: EXEC: program '/a/' ends with '/'");
	reject("LABEL(/a/.., secret)", "column 7: LABEL: file '/a/..' holds a '..' component");
	reject("EDIT(//)", "column 6: EDIT: subtree '//' holds '//'");
	reject("EDIT(/a/b/)", "column 6: EDIT: subtree '/a/b/' ends with '/'");
	reject("COPY(/a, /b/)", "column 10: COPY: destination '/b/' ends with '/'");
}

static void
parse_rejects_dotdot_in_relative_operand(void **state)
{
	reject("LABEL(../x, secret)", "column 7: LABEL: file '../x' holds a '..' component");
	reject("COPY(a/../b, /c)", "column 6: COPY: source 'a/../b' holds a '..' component");
	reject("DOWNGRADE(x/.., projectbit)",
	       "column 11: DOWNGRADE: file 'x/..' holds a '..' component");
	reject("LICENSE(./p, sysadmin)", "column 9: LICENSE: file './p' holds a '.' component");
}

static void
parse_accepts_relative_file_operands(void **state)
{
	ix_action_tmpl_free(parse_ok("LABEL(report, secret)", 0));
	ix_action_tmpl_free(parse_ok("COPY(new/p, /usr/bin/p), LICENSE(p..q, sysadmin)", 0));
	ix_action_tmpl_free(parse_ok("EDIT(/)", 0));
}

static void
parse_rejects_bad_label_category_privilege_user_env(void **state)
{
	reject("LABEL(/x, secret:nosuch)",
	       "column 11: LABEL: label 'secret:nosuch' is not a label (unknown category "
	       "'nosuch' at column 8)");
	reject("EXEC(/x), CEILING(supersecret)",
	       "column 19: CEILING: label 'supersecret' is not a label (unknown level or "
	       "category 'supersecret' at column 1)");
	reject("DOWNGRADE(/x, secret)", "column 15: DOWNGRADE: category 'secret' is not a category");
	reject("DOWNGRADE(/x, nosuch)", "column 15: DOWNGRADE: category 'nosuch' is not a category");
	reject("PRIV(net_admin, nosuch), EXEC(/x)",
	       "column 17: PRIV: privilege 'nosuch' is not a privilege");
	reject("AS(Root), EXEC(/x)",
	       "column 4: AS: user 'Root' is not a user name: it must start with a lower-case "
	       "letter or '_'");
	reject("ENV(1X, y), EXEC(/x)",
	       "column 5: ENV: name '1X' is not an environment variable name");
	reject("ENV(A-B, y), EXEC(/x)",
	       "column 5: ENV: name 'A-B' is not an environment variable name");
	reject("LICENSE(/x, a/b)", "column 13: LICENSE: licence 'a/b' is not a licence name");
}

static void
parse_without_encodings_rejects_constant_label(void **state)
{
	struct ix_action_tmpl *t = NULL;
	struct ix_err e;

	assert_int_equal(ix_action_parse(NULL, "LABEL(/x, secret)", 17, 0, &t, &e), -1);
	assert_string_equal(e.msg, "column 11: LABEL: label 'secret' cannot be checked: no "
				   "label encodings");
}

/* ---- structure ---- */

static void
parse_rejects_modifier_without_exec(void **state)
{
	reject("PRIV(net_admin), LABEL(/x, secret)", "column 1: PRIV only goes with EXEC");
	reject("LABEL(/x, secret), ENV(A, b)", "column 20: ENV only goes with EXEC");
	reject("EDIT(/a), AS(ches)", "column 11: AS only goes with EXEC");
}

static void
parse_rejects_repeated_singletons(void **state)
{
	reject("EXEC(/a), EXEC(/b)", "column 11: second EXEC (the first is at column 1)");
	reject("PRIV(chown), EXEC(/a), PRIV(kill)",
	       "column 24: second PRIV (the first is at column 1)");
	reject("EXEC(/a), CEILING(secret), CEILING(secret)",
	       "column 28: second CEILING (the first is at column 11)");
	reject("EXEC(/a), AS(a), AS(b)", "column 18: second AS (the first is at column 11)");
	reject("EXEC(/a), ENV(A, b), ENV(A, c)", "column 22: ENV A is set twice");
}

static void
parse_types_licence_names_and_roles(void **state)
{
	(void)state;
	reject("LICENSE(/x, downgrade)",
	       "column 13: LICENSE: licence 'downgrade' is an ixkit privilege, which no file can carry");
	reject("REQUIRE(/x, net_raw)", "column 13: REQUIRE: role 'net_raw' is a privilege, not a role");
	reject("REQUIRE(/x)", "column 1: REQUIRE takes at least 2 arguments, not 1");
	reject("UNLICENSE(/x, -a)", "column 15: UNLICENSE: licence '-a' is not a licence name");
	ix_action_tmpl_free(parse_ok("UNLICENSE(p), UNLICENSE(/x, cap_net_raw, qa.team), "
				     "REQUIRE(p, sysadmin, secadmin)", 0));
}

static void
parse_rejects_action_that_does_nothing(void **state)
{
	reject("PRIV(net_admin)",
	       "column 1: the action does nothing: it needs EXEC, LABEL, DOWNGRADE, EDIT, COPY, "
	       "LICENSE, UNLICENSE or REQUIRE");
	reject("AS(ches), ENV(A, b)",
	       "column 1: the action does nothing: it needs EXEC, LABEL, DOWNGRADE, EDIT, COPY, "
	       "LICENSE, UNLICENSE or REQUIRE");
}

/* ---- canonical printing ---- */

static void
check_print(const char *in, int ngroups, const char *want)
{
	struct ix_action_tmpl *t = parse_ok(in, ngroups), *u;
	char *s, *s2;

	s = ix_action_tmpl_print(t, NULL);
	assert_non_null(s);
	if (strcmp(s, want) != 0)
		fail_msg("print(%s):\n got      %s\n expected %s", in, s, want);
	u = parse_ok(s, ngroups);
	s2 = ix_action_tmpl_print(u, NULL);
	assert_string_equal(s2, s);
	free(s);
	free(s2);
	ix_action_tmpl_free(t);
	ix_action_tmpl_free(u);
}

static void
print_is_canonical_and_stable(void **state)
{
	check_print("PRIV(extern),EXEC(/lib/tcp/tcpgateway)", 0,
		    "PRIV(extern), EXEC(/lib/tcp/tcpgateway)");
	check_print(" EXEC( \"/bin/echo\" , \"hello world\",\"a\\\"b\" , \"\\$1\", $1, \"x$1y\", \"\" ) ",
		    1, "EXEC(/bin/echo, \"hello world\", \"a\\\"b\", \"\\$1\", $1, x$1y, \"\")");
	check_print("LABEL(/x, \"secret:projectbit\")", 0, "LABEL(/x, secret:projectbit)");
	check_print("LABEL(/x, \"secret:projectbit,crypto\")", 0,
		    "LABEL(/x, \"secret:projectbit,crypto\")");
	check_print("EXEC(/x, a\\b, \"c\\\\d\", \"(\", \"\\$\")", 0,
		    "EXEC(/x, a\\b, c\\d, \"(\", \"\\$\")");
	check_print("DOWNGRADE($2,$1)", 2, "DOWNGRADE($2, $1)");
	check_print("EXEC(/x),ENV(TZ,\"Europe/Paris\"),AS(ches),CEILING(secret),"
		    "LICENSE(p,a,b),COPY(a,/b),EDIT(/admin)",
		    0,
		    "EXEC(/x), ENV(TZ, Europe/Paris), AS(ches), CEILING(secret), "
		    "LICENSE(p, a, b), COPY(a, /b), EDIT(/admin)");
}

static void
print_and_free_accept_null(void **state)
{
	struct ix_err e = { 0 };

	assert_null(ix_action_tmpl_print(NULL, &e));
	assert_int_equal(e.code, IX_EINVAL);
	assert_null(ix_action_describe(NULL, enc, &e));
	ix_action_tmpl_free(NULL);
	ix_action_free(NULL);
}

/* ---- substitution ---- */

static struct ix_action *
subst_ok(const char *text, int ngroups, const char *const *caps, size_t ncaps)
{
	struct ix_action_tmpl *t = parse_ok(text, ngroups);
	struct ix_action *a = NULL;
	struct ix_err e = { 0 };

	if (ix_action_subst(t, enc, caps, ncaps, &a, &e) != 0)
		fail_msg("subst into '%s' failed: %s", text, e.msg);
	ix_action_tmpl_free(t);
	return a;
}

static void
subst_rejects(const char *text, int ngroups, const char *const *caps, size_t ncaps,
	      enum ix_errcode code, const char *msg)
{
	struct ix_action_tmpl *t = parse_ok(text, ngroups);
	struct ix_action *a = (struct ix_action *)&a;
	struct ix_err e = { 0 };

	assert_int_equal(ix_action_subst(t, enc, caps, ncaps, &a, &e), -1);
	assert_null(a);
	if (strcmp(e.msg, msg) != 0)
		fail_msg("subst into '%s':\n got      %s\n expected %s", text, e.msg, msg);
	assert_int_equal(e.code, code);
	ix_action_tmpl_free(t);
}

static void
subst_keeps_capture_with_spaces_as_one_argument(void **state)
{
	const char *caps[] = { "echo a b; rm -rf /", "a b; rm -rf /" };
	struct ix_action *a = subst_ok("EXEC(/bin/echo, $1, \"[$1]\")", 1, caps, 2);

	assert_int_equal(a->nprims, 1);
	assert_int_equal(a->prims[0].kind, IX_A_EXEC);
	assert_int_equal(a->prims[0].nargs, 3);
	assert_string_equal(a->prims[0].args[0], "/bin/echo");
	assert_string_equal(a->prims[0].args[1], "a b; rm -rf /");
	assert_string_equal(a->prims[0].args[2], "[a b; rm -rf /]");
	ix_action_free(a);
}

static void
subst_splices_and_keeps_quotes_and_dollars_literal(void **state)
{
	const char *caps[] = { "x", "ches", "\"$2\\" };
	struct ix_action *a = subst_ok("EXEC(/bin/cat, /home/$1/notes, \"\\$1\", $2)", 2, caps, 3);

	assert_string_equal(a->prims[0].args[1], "/home/ches/notes");
	assert_string_equal(a->prims[0].args[2], "$1");
	/* a capture is bytes: its quotes, dollars and backslashes stay */
	assert_string_equal(a->prims[0].args[3], "\"$2\\");
	ix_action_free(a);
}

static void
subst_rejects_capture_with_dotdot_in_path(void **state)
{
	const char *up[] = { "x", ".." };
	const char *rel[] = { "x", "../etc/shadow" };
	const char *abs[] = { "x", "/etc/../etc/shadow" };

	subst_rejects("LABEL(/home/$1/notes, secret)", 1, up, 2, IX_EINVAL,
		      "LABEL: '/home/$1/notes' = '/home/../notes' holds a '..' component");
	subst_rejects("LABEL($1, secret)", 1, rel, 2, IX_EINVAL,
		      "LABEL: '$1' = '../etc/shadow' holds a '..' component");
	subst_rejects("EXEC($1)", 1, abs, 2, IX_EINVAL,
		      "EXEC: '$1' = '/etc/../etc/shadow' holds a '..' component");
	subst_rejects("EXEC($1)", 1, rel, 2, IX_EINVAL,
		      "EXEC: '$1' = '../etc/shadow' is not an absolute path");
}

static void
subst_rejects_capture_with_control_character(void **state)
{
	const char *nl[] = { "x", "a\nb" };
	const char *esc[] = { "x", "\033[2J" };

	subst_rejects("EXEC(/bin/echo, $1)", 1, nl, 2, IX_EINVAL,
		      "EXEC: '$1' = 'a\\x0ab' holds control character \\x0a");
	subst_rejects("ENV(TERM, x$1), EXEC(/bin/sh)", 1, esc, 2, IX_EINVAL,
		      "ENV: 'x$1' = 'x\\x1b[2J' holds control character \\x1b");
}

static void
subst_rejects_capture_that_would_disguise_the_description(void **state)
{
	const char *c1[] = { "x", "a\xc2\x9b" };		/* U+009B, CSI */
	const char *bidi[] = { "x", "txt.\xe2\x80\xae" "exe" };	/* U+202E */
	const char *raw[] = { "x", "a\x9b" };		/* CSI byte, not UTF-8 */
	const char *over[] = { "x", "\xc0\xaf" };		/* overlong "/" */
	const char *ok[] = { "x", "caf\xc3\xa9 \xe2\x82\xac" };
	struct ix_action *a;

	subst_rejects("EXEC(/bin/echo, $1)", 1, c1, 2, IX_EINVAL,
		      "EXEC: '$1' = 'a\\xc2\\x9b' holds Unicode control character U+009B");
	subst_rejects("COPY($1, /b)", 1, bidi, 2, IX_EINVAL,
		      "COPY: '$1' = 'txt.\\xe2\\x80\\xaeexe' holds Unicode control character "
		      "U+202E");
	subst_rejects("EXEC(/bin/echo, $1)", 1, raw, 2, IX_EINVAL,
		      "EXEC: '$1' = 'a\\x9b' is not valid UTF-8 (byte 2)");
	subst_rejects("EXEC(/bin/echo, $1)", 1, over, 2, IX_EINVAL,
		      "EXEC: '$1' = '\\xc0\\xaf' is not valid UTF-8 (byte 1)");
	a = subst_ok("EXEC(/bin/echo, $1)", 1, ok, 2);
	assert_string_equal(a->prims[0].args[1], ok[1]);
	ix_action_free(a);
	reject("EXEC(/bin/echo, \"\xe2\x80\x8b\")",
	       "column 17: EXEC: argument '\\xe2\\x80\\x8b' holds Unicode control character "
	       "U+200B");
}

static void
subst_fills_category_bit_for_downgrade(void **state)
{
	/* priv downgrade projectbit report */
	const char *caps[] = { "downgrade projectbit report", "projectbit", "report" };
	struct ix_action *a = subst_ok("DOWNGRADE($2, $1)", 2, caps, 3);

	assert_int_equal(a->prims[0].kind, IX_A_DOWNGRADE);
	assert_string_equal(a->prims[0].args[0], "report");
	assert_string_equal(a->prims[0].args[1], "projectbit");
	assert_int_equal(a->prims[0].cat_bit, PROJECTBIT);
	ix_action_free(a);
}

static void
subst_rejects_non_category_for_downgrade(void **state)
{
	const char *caps[] = { "x", "secret/x", "report" };

	subst_rejects("DOWNGRADE($2, $1)", 2, caps, 3, IX_EINVAL,
		      "DOWNGRADE: '$1' = 'secret/x' is not a category");
}

static void
subst_fills_label_and_privileges(void **state)
{
	struct ix_action *a = subst_ok("LABEL(/x, \"secret:projectbit\"), PRIV(net_admin, extern), "
				       "EXEC(/bin/x), CEILING(secret:crypto)",
				       0, NULL, 0);
	struct ix_label want;
	struct ix_privset ps;

	assert_int_equal(a->prims[0].kind, IX_A_LABEL);
	memset(&want, 0, sizeof want);
	want.level = 1;
	ix_label_set_cat(&want, PROJECTBIT);
	assert_true(ix_label_eq(&a->prims[0].label, &want));
	assert_int_equal(a->prims[0].cat_bit, -1);

	ix_privset_empty(&ps);
	ix_privset_add(&ps, ix_priv_bit("net_admin", 9));
	ix_privset_add(&ps, IX_PRIV_EXTERN);
	assert_true(ix_privset_eq(&a->prims[1].priv, &ps));

	want.cats[0] = 0;
	ix_label_set_cat(&want, CRYPTO);
	assert_true(ix_label_eq(&a->prims[3].label, &want));
	ix_action_free(a);
}

static void
subst_rejects_missing_group(void **state)
{
	const char *caps[] = { "x", NULL, "y" };

	subst_rejects("EXEC(/bin/x, $1)", 2, caps, 3, IX_EINVAL,
		      "EXEC: '$1' uses $1, a group that did not take part in the match");
	subst_rejects("EXEC(/bin/x, a$2)", 2, caps, 2, IX_EINVAL,
		      "EXEC: 'a$2' uses $2, a group that did not take part in the match");
}

static void
subst_rejects_bad_user_and_env_name(void **state)
{
	const char *caps[] = { "x", "Root" };
	const char *num[] = { "x", "1X" };
	const char *env[] = { "x", "B" };

	subst_rejects("AS($1), EXEC(/bin/x)", 1, caps, 2, IX_EINVAL,
		      "AS: '$1' = 'Root' is not a user name: it must start with a lower-case "
		      "letter or '_'");
	subst_rejects("ENV($1, v), EXEC(/bin/x)", 1, num, 2, IX_EINVAL,
		      "ENV: '$1' = '1X' is not an environment variable name");
	subst_rejects("ENV($1, a), ENV(B, c), EXEC(/x)", 1, env, 2, IX_EINVAL,
		      "ENV: B is set twice");
}

static void
subst_rejects_over_long_result(void **state)
{
	char *big = malloc(IX_ACTION_ARG_MAX + 1);
	const char *caps[2] = { "x", big };

	assert_non_null(big);
	memset(big, 'a', IX_ACTION_ARG_MAX);
	big[IX_ACTION_ARG_MAX] = '\0';
	ix_action_free(subst_ok("EXEC(/bin/x, $1)", 1, caps, 2));
	subst_rejects("EXEC(/bin/x, b$1)", 1, caps, 2, IX_ELIMIT,
		      "EXEC: 'b$1' is longer than 4096 bytes once substituted");
	free(big);
}

/* ---- description ---- */

static char *
describe(const char *text, const char *const *caps, size_t ncaps, int ngroups)
{
	struct ix_action *a = subst_ok(text, ngroups, caps, ncaps);
	char *s = ix_action_describe(a, enc, NULL);

	assert_non_null(s);
	ix_action_free(a);
	return s;
}

static void
describe_shows_exec_with_its_modifiers(void **state)
{
	const char *caps[] = { "x", "a b" };
	char *s = describe("PRIV(net_admin, extern), EXEC(/lib/tcp/tcpgateway, -v, $1, \"\"), "
			   "AS(ches), CEILING(secret:projectbit), ENV(TZ, UTC)",
			   caps, 2, 1);

	assert_string_equal(s, "run /lib/tcp/tcpgateway -v \"a b\" \"\"\n"
			       "  with privileges net_admin, extern\n"
			       "  as user ches\n"
			       "  with label ceiling secret:projectbit\n"
			       "  with environment variable TZ set to UTC\n");
	free(s);
}

static void
describe_lists_every_argument_of_file_primitives(void **state)
{
	const char *caps[] = { "x", "my report", "projectbit" };
	char *s = describe("DOWNGRADE($1, $2), LABEL(/srv/x, \"secret:projectbit,crypto\"), "
			   "EDIT(/admin/networks), COPY(new/p, /usr/bin/p), "
			   "LICENSE(/usr/bin/p, sysadmin, secadmin), UNLICENSE(new/p), "
			   "UNLICENSE(/usr/bin/p, net_raw), REQUIRE(/usr/bin/p, sysadmin)",
			   caps, 3, 2);

	assert_string_equal(s, "remove category projectbit from the label of \"my report\" "
			       "(in your working directory)\n"
			       "set the label of /srv/x to \"secret:projectbit,crypto\"\n"
			       "edit the authorization subtree /admin/networks\n"
			       "copy new/p (in your working directory) to /usr/bin/p\n"
			       "add to /usr/bin/p the licences sysadmin, secadmin\n"
			       "remove from new/p (in your working directory) every licence\n"
			       "remove from /usr/bin/p the licences net_raw\n"
			       "only if /usr/bin/p carries the dummy licences sysadmin, bound to "
			       "its content\n");
	free(s);
}

static void
describe_quotes_arguments_with_quotes_and_backslashes(void **state)
{
	const char *caps[] = { "x", "say \"hi\"\\" };
	char *s = describe("EXEC(/bin/echo, $1)", caps, 2, 1);

	assert_string_equal(s, "run /bin/echo \"say \\\"hi\\\"\\\\\"\n");
	free(s);
}

/* ---- names ---- */

static void
prim_names_round_trip(void **state)
{
	int k;

	for (k = IX_A_EXEC; k <= IX_A_LAST; k++) {
		const char *n = ix_prim_name((enum ix_prim_kind)k);

		assert_non_null(n);
		assert_int_equal(ix_prim_kind_parse(n, strlen(n)), k);
	}
	assert_string_equal(ix_prim_name(IX_A_DOWNGRADE), "DOWNGRADE");
	assert_int_equal(ix_prim_kind_parse("EXECX", 5), -1);
	assert_int_equal(ix_prim_kind_parse("EXECX", 4), IX_A_EXEC);
	assert_int_equal(ix_prim_kind_parse("exec", 4), -1);
	assert_null(ix_prim_name((enum ix_prim_kind)99));
}

/* ---- the bound of what a policy's rules can run ---- */

struct progs {
	const char *seen[4];
	size_t n;
};

static void
note_prog(void *arg, const char *path)
{
	struct progs *p = arg;

	assert_true(p->n < 4);
	p->seen[p->n++] = path;
}

static void
bound_names_priv_and_programs(void **state)
{
	struct ix_action_tmpl *t = parse_ok("PRIV(net_bind_service, sys_time), EXEC(/bin/x, $1)", 1);
	struct progs p = { { 0 }, 0 };
	uint64_t caps = 1ull << 0;	/* joined, not replaced */

	ix_action_tmpl_bound(t, &caps, note_prog, &p);
	assert_int_equal(caps, (1ull << 0) | (1ull << 10) | (1ull << 25));
	assert_int_equal(p.n, 1);
	assert_string_equal(p.seen[0], "/bin/x");
	ix_action_tmpl_free(t);
}

static void
bound_of_parameters_is_everything(void **state)
{
	struct ix_action_tmpl *t = parse_ok("PRIV($1), EXEC($2)", 2);
	struct progs p = { { 0 }, 0 };
	uint64_t caps = 0;

	ix_action_tmpl_bound(t, &caps, note_prog, &p);
	assert_int_equal(caps, (1ull << (IX_PRIV_CAP_LAST + 1)) - 1);
	assert_int_equal(p.n, 1);
	assert_null(p.seen[0]);
	ix_action_tmpl_free(t);
}

static void
bound_of_label_steps_is_nothing(void **state)
{
	struct ix_action_tmpl *t = parse_ok("LABEL($1, secret)", 1);
	struct progs p = { { 0 }, 0 };
	uint64_t caps = 0;

	ix_action_tmpl_bound(t, &caps, note_prog, &p);
	assert_int_equal(caps, 0);
	assert_int_equal(p.n, 0);
	ix_action_tmpl_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_rejects_unknown_primitive),
		cmocka_unit_test(parse_rejects_wrong_arity),
		cmocka_unit_test(parse_rejects_reference_beyond_template_groups),
		cmocka_unit_test(parse_rejects_dollar_without_digit),
		cmocka_unit_test(parse_rejects_missing_parenthesis_and_separator),
		cmocka_unit_test(parse_rejects_empty_argument),
		cmocka_unit_test(parse_rejects_unterminated_quote),
		cmocka_unit_test(parse_rejects_bad_escape),
		cmocka_unit_test(parse_rejects_control_character),
		cmocka_unit_test(parse_rejects_nul_byte),
		cmocka_unit_test(parse_rejects_text_over_size_limit),
		cmocka_unit_test(parse_rejects_over_many_primitives_and_arguments),
		cmocka_unit_test(parse_rejects_over_long_argument),
		cmocka_unit_test(parse_rejects_relative_exec_path),
		cmocka_unit_test(parse_rejects_unnormalised_paths),
		cmocka_unit_test(parse_rejects_dotdot_in_relative_operand),
		cmocka_unit_test(parse_accepts_relative_file_operands),
		cmocka_unit_test(parse_rejects_bad_label_category_privilege_user_env),
		cmocka_unit_test(parse_without_encodings_rejects_constant_label),
		cmocka_unit_test(parse_rejects_modifier_without_exec),
		cmocka_unit_test(parse_rejects_repeated_singletons),
		cmocka_unit_test(parse_rejects_action_that_does_nothing),
		cmocka_unit_test(parse_types_licence_names_and_roles),
		cmocka_unit_test(print_is_canonical_and_stable),
		cmocka_unit_test(print_and_free_accept_null),
		cmocka_unit_test(subst_keeps_capture_with_spaces_as_one_argument),
		cmocka_unit_test(subst_splices_and_keeps_quotes_and_dollars_literal),
		cmocka_unit_test(subst_rejects_capture_with_dotdot_in_path),
		cmocka_unit_test(subst_rejects_capture_with_control_character),
		cmocka_unit_test(subst_rejects_capture_that_would_disguise_the_description),
		cmocka_unit_test(subst_fills_category_bit_for_downgrade),
		cmocka_unit_test(subst_rejects_non_category_for_downgrade),
		cmocka_unit_test(subst_fills_label_and_privileges),
		cmocka_unit_test(subst_rejects_missing_group),
		cmocka_unit_test(subst_rejects_bad_user_and_env_name),
		cmocka_unit_test(subst_rejects_over_long_result),
		cmocka_unit_test(describe_shows_exec_with_its_modifiers),
		cmocka_unit_test(describe_lists_every_argument_of_file_primitives),
		cmocka_unit_test(describe_quotes_arguments_with_quotes_and_backslashes),
		cmocka_unit_test(prim_names_round_trip),
		cmocka_unit_test(bound_names_priv_and_programs),
		cmocka_unit_test(bound_of_parameters_is_everything),
		cmocka_unit_test(bound_of_label_steps_is_nothing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
