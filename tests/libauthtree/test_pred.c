/* Predicates: every rejection with its message and column, canonical
 * printing, three-valued evaluation, login keys and PW users. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "libauthtree/pred.h"

static struct ix_pred *
parse_ok(const char *text)
{
	struct ix_pred *p = NULL;
	struct ix_err e = { 0 };

	if (ix_pred_parse(text, strlen(text), &p, &e) != 0)
		fail_msg("'%s' rejected: %s", text, e.msg);
	assert_non_null(p);
	return p;
}

static void
reject_n(const char *text, size_t len, enum ix_errcode code, const char *msg)
{
	struct ix_pred *p = (struct ix_pred *)&p;	/* must be reset to NULL */
	struct ix_err e = { 0 };

	assert_int_equal(ix_pred_parse(text, len, &p, &e), -1);
	assert_null(p);
	assert_string_equal(e.msg, msg);
	assert_int_equal(e.code, code);
}

static void
reject(const char *text, const char *msg)
{
	reject_n(text, strlen(text), IX_EINVAL, msg);
}

/* ---- rejections ---- */

static void
parse_rejects_unclosed_group(void **state)
{
	reject("(ID(a) & ID(b)", "column 15: no ')' closes '(' at column 1");
	reject("ANY & ((ID(a) | ANY)", "column 21: no ')' closes '(' at column 7");
}

static void
parse_rejects_unmatched_close(void **state)
{
	reject("ID(a))", "column 6: ')' without a matching '('");
	reject(")", "column 1: expected an atom, found ')'");
}

static void
parse_rejects_unknown_atom(void **state)
{
	reject("ID(a) & IDX(b)", "column 9: unknown atom 'IDX'");
	reject("id(a)", "column 1: unknown atom 'id'");
	reject("ALL", "column 1: unknown atom 'ALL'");
}

static void
parse_rejects_atom_without_parenthesis(void **state)
{
	reject("ID (a)", "column 3: expected '(' after ID");
	reject("SRC", "column 4: expected '(' after SRC");
}

static void
parse_rejects_empty_arguments(void **state)
{
	reject("ID()", "column 4: empty ID()");
	reject("ANY | SRC()", "column 11: empty SRC()");
	reject("PW()", "column 4: empty PW()");
}

static void
parse_rejects_unterminated_atom(void **state)
{
	reject("ID(abc", "column 7: no ')' closes ID( at column 3");
	/* "\)" and ")" inside a class do not close the pattern */
	reject("ID(a\\)", "column 7: no ')' closes ID( at column 3");
	reject("SRC([)]", "column 8: no ')' closes SRC( at column 4");
}

static void
parse_rejects_bad_pcre2_pattern_with_its_message_and_column(void **state)
{
	reject("ANY & ID(a**)",
	       "column 12: bad pattern in ID(): quantifier does not follow a repeatable item");
	reject("SRC(/dev/tty[9-0])",
	       "column 16: bad pattern in SRC(): range out of order in character class");
	reject("ID((a)", "column 7: no ')' closes ID( at column 3");
	reject("ID(a(?<n>b)(?<n>c))",
	       "column 17: bad pattern in ID(): two named subpatterns have the same name "
	       "(PCRE2_DUPNAMES not set)");
}

static void
parse_rejects_utf_mode_pattern(void **state)
{
	reject("ID((*UTF)a)",
	       "column 10: bad pattern in ID(): using UTF is disabled by the application");
}

static void
parse_rejects_bad_user_names(void **state)
{
	reject("PW(Ches)", "column 4: user name 'Ches' in PW() must start with a lower-case "
			   "letter or '_'");
	reject("PW(ch es)", "column 6: user name 'ch es' in PW() may hold only a-z, 0-9, "
			    "'_', '.', '-' and a final '$'");
	reject("PW(a$b)", "column 5: user name 'a$b' in PW() may hold only a-z, 0-9, '_', "
			  "'.', '-' and a final '$'");
	reject("PW(0day)", "column 4: user name '0day' in PW() must start with a lower-case "
			   "letter or '_'");
	reject("PW(abcdefghijabcdefghijabcdefghijabc)",
	       "column 36: user name 'abcdefghijabcdefghijabcdefghijabc' in PW() is longer than "
	       "32 bytes");
}

static void
parse_accepts_user_name_edge_cases(void **state)
{
	const char *ok[] = { "PW(_)", "PW(a.b-c_9)", "PW(host$)",
			     "PW(abcdefghijabcdefghijabcdefghijab)",
			     "PW(abcdefghijabcdefghijabcdefghija$)" };
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
		ix_pred_free(parse_ok(ok[i]));
}

static void
parse_rejects_trailing_garbage(void **state)
{
	reject("ID(a) ID(b)", "column 7: expected '&', '|' or end of text, found 'I'");
	reject("ANY !", "column 5: expected '&', '|' or end of text, found '!'");
}

static void
parse_rejects_missing_operand(void **state)
{
	reject("ID(a) &", "column 8: expected an atom at end of text");
	reject("ID(a) | & ANY", "column 9: expected an atom, found '&'");
	reject("", "column 1: expected an atom at end of text");
	reject("   ", "column 4: expected an atom at end of text");
}

static void
parse_rejects_nesting_beyond_depth_limit(void **state)
{
	char text[2 * IX_PRED_DEPTH_MAX + 16];
	int i, n = 0;

	/* exactly the limit is fine */
	for (i = 0; i < IX_PRED_DEPTH_MAX; i++)
		text[n++] = '(';
	memcpy(text + n, "ANY", 3);
	n += 3;
	for (i = 0; i < IX_PRED_DEPTH_MAX; i++)
		text[n++] = ')';
	text[n] = '\0';
	ix_pred_free(parse_ok(text));

	n = 0;
	for (i = 0; i <= IX_PRED_DEPTH_MAX; i++)
		text[n++] = '(';
	memcpy(text + n, "ANY", 4);
	reject_n(text, strlen(text), IX_ELIMIT, "column 65: parentheses nested deeper than 64");
}

static void
parse_rejects_nul_byte(void **state)
{
	reject_n("ID(a\0b)", 7, IX_EINVAL, "column 5: NUL byte");
}

static void
parse_rejects_control_character_in_argument(void **state)
{
	reject("ID(a\nb)", "column 5: control character \\x0a in ID()");
	reject("PW(a\x7f)", "column 5: control character \\x7f in PW()");
}

static void
parse_rejects_text_over_size_limit(void **state)
{
	size_t n = IX_PRED_TEXT_MAX + 1;
	char *text = malloc(n);

	assert_non_null(text);
	memset(text, ' ', n);
	memcpy(text, "ANY", 3);
	reject_n(text, n, IX_ELIMIT, "column 8193: predicate longer than 8192 bytes");
	/* the limit itself is accepted */
	{
		struct ix_pred *p = NULL;
		struct ix_err e;

		assert_int_equal(ix_pred_parse(text, n - 1, &p, &e), 0);
		ix_pred_free(p);
	}
	free(text);
}

static void
parse_rejects_text_whose_canonical_form_exceeds_limit(void **state)
{
	/* "ANY&ANY&..." within the limit prints as "ANY & ANY & ...", longer */
	size_t n = IX_PRED_TEXT_MAX - 3, i;
	char *text = malloc(n + 1);

	assert_non_null(text);
	for (i = 0; i + 4 <= n; i += 4)
		memcpy(text + i, "ANY&", 4);
	memcpy(text + i - 1, "   ", n - i + 1);	/* drop the last '&' */
	reject_n(text, n, IX_ELIMIT,
		 "column 1: predicate's canonical text would be longer than 8192 bytes");
	free(text);
}

/* ---- canonical printing ---- */

static void
check_print(const char *in, const char *want)
{
	struct ix_pred *p = parse_ok(in), *q;
	char *s, *t;

	s = ix_pred_print(p, NULL);
	assert_non_null(s);
	assert_string_equal(s, want);
	q = parse_ok(s);
	t = ix_pred_print(q, NULL);
	assert_string_equal(t, s);
	free(s);
	free(t);
	ix_pred_free(p);
	ix_pred_free(q);
}

static void
print_is_canonical_and_stable(void **state)
{
	check_print("ID(ches)&PW(ches)", "ID(ches) & PW(ches)");
	check_print("  ID(ches)\t&\n PW(ches) ", "ID(ches) & PW(ches)");
	check_print("SRC(/dev/(console|tty[0-9]+))", "SRC(/dev/(console|tty[0-9]+))");
	check_print("(ANY)", "ANY");
	check_print("((ID(a)))", "ID(a)");
	check_print("ID(a) & (ID(b) & ID(c))", "ID(a) & ID(b) & ID(c)");
	check_print("(ID(a) | ID(b)) | ID(c)", "ID(a) | ID(b) | ID(c)");
	check_print("ID(a) | (ID(b) & ID(c))", "ID(a) | ID(b) & ID(c)");
	check_print("(ID(a) | ID(b)) & ID(c)", "(ID(a) | ID(b)) & ID(c)");
	check_print("ID(a) & (SRC(x) | (PW(a) & NONE))", "ID(a) & (SRC(x) | PW(a) & NONE)");
	/* pattern text is kept verbatim, spaces and escapes included */
	check_print("ID( a\\)b [)] )", "ID( a\\)b [)] )");
	check_print("SRC(/dev/pts/[0-9]+@sshd)|SRC(\\Q)(\\E)", "SRC(/dev/pts/[0-9]+@sshd) | SRC(\\Q)(\\E)");
	check_print("ID(a(?#)b)", "ID(a(?#)b)");
	check_print("ID([[:alpha:])]+)", "ID([[:alpha:])]+)");
}

static void
print_accepts_null(void **state)
{
	struct ix_err e = { 0 };

	assert_null(ix_pred_print(NULL, &e));
	assert_int_equal(e.code, IX_EINVAL);
	ix_pred_free(NULL);
}

/* ---- evaluation ---- */

struct oracle {
	enum ix_tv a, b;	/* answers for users "a" and "b" */
	int calls_a, calls_b;
};

static enum ix_tv
oracle_fn(void *arg, const char *user)
{
	struct oracle *o = arg;

	if (strcmp(user, "a") == 0) {
		o->calls_a++;
		return o->a;
	}
	o->calls_b++;
	return o->b;
}

static const enum ix_tv tvs[3] = { IX_TV_FALSE, IX_TV_TRUE, IX_TV_UNKNOWN };

static enum ix_tv
kleene_and(enum ix_tv x, enum ix_tv y)
{
	if (x == IX_TV_FALSE || y == IX_TV_FALSE)
		return IX_TV_FALSE;
	return x == IX_TV_TRUE && y == IX_TV_TRUE ? IX_TV_TRUE : IX_TV_UNKNOWN;
}

static enum ix_tv
kleene_or(enum ix_tv x, enum ix_tv y)
{
	if (x == IX_TV_TRUE || y == IX_TV_TRUE)
		return IX_TV_TRUE;
	return x == IX_TV_FALSE && y == IX_TV_FALSE ? IX_TV_FALSE : IX_TV_UNKNOWN;
}

/* Runs "PW(a) OP PW(b)" over all nine answer pairs: the result must follow
 * Kleene's table `want`, and b must not be asked once a alone decides
 * (a == `decides`). */
static void
check_table(const char *text, enum ix_tv (*want)(enum ix_tv, enum ix_tv), enum ix_tv decides)
{
	struct ix_pred *p = parse_ok(text);
	int i, j;

	for (i = 0; i < 3; i++) {
		for (j = 0; j < 3; j++) {
			struct oracle o = { tvs[i], tvs[j], 0, 0 };

			assert_int_equal(ix_pred_eval(p, "x", "pipe", oracle_fn, &o),
					 want(tvs[i], tvs[j]));
			assert_int_equal(o.calls_a, 1);
			assert_int_equal(o.calls_b, tvs[i] == decides ? 0 : 1);
		}
	}
	ix_pred_free(p);
}

static void
eval_and_follows_kleene_table_with_short_circuit(void **state)
{
	check_table("PW(a) & PW(b)", kleene_and, IX_TV_FALSE);
}

static void
eval_or_follows_kleene_table_with_short_circuit(void **state)
{
	check_table("PW(a) | PW(b)", kleene_or, IX_TV_TRUE);
}

static void
eval_skips_password_when_login_already_fails(void **state)
{
	struct ix_pred *p = parse_ok("ID(ches) & PW(a)");
	struct oracle o = { IX_TV_TRUE, IX_TV_TRUE, 0, 0 };

	assert_int_equal(ix_pred_eval(p, "alice", "pipe", oracle_fn, &o), IX_TV_FALSE);
	assert_int_equal(o.calls_a, 0);
	assert_int_equal(ix_pred_eval(p, "ches", "pipe", oracle_fn, &o), IX_TV_TRUE);
	assert_int_equal(o.calls_a, 1);
	ix_pred_free(p);

	p = parse_ok("SRC(/dev/console) | PW(a)");
	assert_int_equal(ix_pred_eval(p, "ches", "/dev/console", oracle_fn, &o), IX_TV_TRUE);
	assert_int_equal(o.calls_a, 1);
	ix_pred_free(p);
}

static void
eval_unknown_password_stays_unknown_unless_decided(void **state)
{
	struct ix_pred *p = parse_ok("ID(ches) & PW(ches) | SRC(/dev/console)");

	/* no oracle: every PW is unknown */
	assert_int_equal(ix_pred_eval(p, "ches", "pipe", NULL, NULL), IX_TV_UNKNOWN);
	assert_int_equal(ix_pred_eval(p, "ches", "/dev/console", NULL, NULL), IX_TV_TRUE);
	assert_int_equal(ix_pred_eval(p, "bob", "pipe", NULL, NULL), IX_TV_FALSE);
	/* unknown & false is false, whatever the order */
	ix_pred_free(p);
	p = parse_ok("PW(ches) & ID(ches)");
	assert_int_equal(ix_pred_eval(p, "bob", "pipe", NULL, NULL), IX_TV_FALSE);
	ix_pred_free(p);
}

static enum ix_tv
bogus_oracle(void *arg, const char *user)
{
	return (enum ix_tv)7;
}

static void
eval_treats_out_of_range_oracle_answer_as_false(void **state)
{
	struct ix_pred *p = parse_ok("PW(a) & ANY");

	assert_int_equal(ix_pred_eval(p, "x", "pipe", bogus_oracle, NULL), IX_TV_FALSE);
	ix_pred_free(p);
}

static void
eval_any_none(void **state)
{
	struct ix_pred *p = parse_ok("ANY");

	assert_int_equal(ix_pred_eval(p, "x", "y", NULL, NULL), IX_TV_TRUE);
	ix_pred_free(p);
	p = parse_ok("NONE");
	assert_int_equal(ix_pred_eval(p, "x", "y", NULL, NULL), IX_TV_FALSE);
	ix_pred_free(p);
	assert_int_equal(ix_pred_eval(NULL, "x", "y", NULL, NULL), IX_TV_FALSE);
}

static void
check_match(const char *pred, const char *login, const char *src, enum ix_tv want)
{
	struct ix_pred *p = parse_ok(pred);

	if (ix_pred_eval(p, login, src, NULL, NULL) != want)
		fail_msg("%s on login '%s' src '%s': expected %d", pred, login, src, want);
	ix_pred_free(p);
}

static void
eval_id_and_src_match_whole_string(void **state)
{
	const char *console = "SRC(/dev/(console|tty[0-9]+))";

	check_match("ID(ches)", "ches", "", IX_TV_TRUE);
	check_match("ID(ches)", "che", "", IX_TV_FALSE);
	check_match("ID(ches)", "chess", "", IX_TV_FALSE);
	check_match("ID(ch)", "ches", "", IX_TV_FALSE);
	check_match("ID(alice|bob)", "bob", "", IX_TV_TRUE);
	check_match("ID(alice|bob)", "alicebob", "", IX_TV_FALSE);
	check_match("ID(alice|bob)", "ali", "", IX_TV_FALSE);
	check_match("ID(ch.*)", "ches", "", IX_TV_TRUE);
	check_match("ID(ch.*)", "xches", "", IX_TV_FALSE);
	/* the end anchor applies to every branch, not only the last */
	check_match("ID(a|ab+)", "abb", "", IX_TV_TRUE);
	check_match("ID(a+|b)", "aab", "", IX_TV_FALSE);
	check_match(console, "x", "/dev/console", IX_TV_TRUE);
	check_match(console, "x", "/dev/tty12", IX_TV_TRUE);
	check_match(console, "x", "/dev/tty", IX_TV_FALSE);
	check_match(console, "x", "/dev/console2", IX_TV_FALSE);
	check_match(console, "x", "x/dev/console", IX_TV_FALSE);
	check_match(console, "x", "/dev/pts/3", IX_TV_FALSE);
	check_match("SRC(/dev/pts/[0-9]+@sshd)", "x", "/dev/pts/3@sshd", IX_TV_TRUE);
	check_match("SRC(/dev/pts/[0-9]+@sshd)", "x", "/dev/pts/3@tmux", IX_TV_FALSE);
	check_match("SRC(/dev/console)", "x", "/dev/console", IX_TV_TRUE);
	check_match("SRC(/dev/console)", "/dev/console", "pipe", IX_TV_FALSE);
	check_match("ID(a\\.b)", "a.b", "", IX_TV_TRUE);
	check_match("ID(a\\.b)", "axb", "", IX_TV_FALSE);
}

static void
eval_stops_runaway_pattern_at_match_limit(void **state)
{
	struct ix_pred *p = parse_ok("ID((a+)+b)");
	char login[64];
	struct timespec t0, t1;

	memset(login, 'a', sizeof login - 1);
	login[sizeof login - 1] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(ix_pred_eval(p, login, "pipe", NULL, NULL), IX_TV_FALSE);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* 2^63 steps without the limit; well under a second with it */
	assert_true(t1.tv_sec - t0.tv_sec < 2);
	ix_pred_free(p);
}

static void
eval_null_login_or_src_matches_nothing(void **state)
{
	check_match("ID(ches)", NULL, "pipe", IX_TV_FALSE);
	check_match("SRC(p.*)", "ches", NULL, IX_TV_FALSE);
}

struct thread_arg {
	const struct ix_pred *p;
	int wrong;		/* evaluations that gave a wrong answer */
};

static void *
eval_thread(void *v)
{
	struct thread_arg *a = v;
	char src[32];
	int i;

	for (i = 0; i < 20000; i++) {
		snprintf(src, sizeof src, i % 2 ? "/dev/tty%d" : "/dev/pts/%d", i);
		if (ix_pred_eval(a->p, "ches", src, NULL, NULL) !=
		    (i % 2 ? IX_TV_TRUE : IX_TV_FALSE))
			a->wrong++;
	}
	return NULL;
}

static void
eval_is_safe_in_concurrent_threads(void **state)
{
	struct ix_pred *p = parse_ok("ID(ch.s) & SRC(/dev/(console|tty[0-9]+))");
	struct thread_arg args[4];
	pthread_t th[4];
	int i;

	for (i = 0; i < 4; i++) {
		args[i].p = p;
		args[i].wrong = 0;
		assert_int_equal(pthread_create(&th[i], NULL, eval_thread, &args[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(args[i].wrong, 0);
	}
	ix_pred_free(p);
}

/* ---- login keys, PW users ---- */

struct names {
	char buf[256];
};

static void
add_name(void *arg, const char *name)
{
	struct names *n = arg;

	if (n->buf[0] != '\0')
		strcat(n->buf, ",");
	strcat(n->buf, name);
}

static void
check_keys(const char *pred, int want_rc, const char *want)
{
	struct ix_pred *p = parse_ok(pred);
	struct names n = { "" };
	int rc = ix_pred_login_keys(p, add_name, &n);

	if (rc != want_rc || strcmp(n.buf, want) != 0)
		fail_msg("%s: got %d '%s', expected %d '%s'", pred, rc, n.buf, want_rc, want);
	ix_pred_free(p);
}

static void
login_keys_for_literal_ids(void **state)
{
	check_keys("ID(ches) & PW(ches)", 1, "ches");
	check_keys("ID(ches)", 1, "ches");
	check_keys("ID(alice|bob)", 1, "alice,bob");
	check_keys("ID(a) | ID(b)", 1, "a,b");
	check_keys("ID(a) | ID(a|b)", 1, "a,b");
	check_keys("ID(a) | ID(b) & SRC(/dev/console)", 1, "a,b");
	check_keys("(ID(a) | ID(b)) & SRC(/dev/console) & PW(a)", 1, "a,b");
	check_keys("ID(a|b|c) & ID(c|b)", 1, "b,c");
	check_keys("SRC(/dev/console) & ID(a)", 1, "a");
	/* never holds, so no login can reach it */
	check_keys("ID(a) & ID(b)", 1, "");
	check_keys("NONE", 1, "");
}

static void
login_keys_zero_when_any_login_may_match(void **state)
{
	check_keys("SRC(/dev/console)", 0, "");
	check_keys("ANY", 0, "");
	check_keys("PW(ches)", 0, "");
	check_keys("ID(ch.*)", 0, "");
	check_keys("ID((alice|bob))", 0, "");
	check_keys("ID(a|)", 0, "");
	check_keys("ID(a) | ANY", 0, "");
	check_keys("ID(a) | SRC(/dev/console)", 0, "");
	check_keys("ID(a) | ID(b.)", 0, "");
	assert_int_equal(ix_pred_login_keys(NULL, add_name, NULL), 0);
}

static void
pw_users_distinct_in_order(void **state)
{
	struct ix_pred *p = parse_ok("PW(b) & (PW(a) | PW(b)) & ID(x) | PW(c) & PW(a)");
	struct names n = { "" };

	ix_pred_pw_users(p, add_name, &n);
	assert_string_equal(n.buf, "b,a,c");
	assert_true(ix_pred_has_pw(p));
	assert_false(ix_pred_has_src(p));
	ix_pred_free(p);

	p = parse_ok("SRC(pipe) | ID(a)");
	n.buf[0] = '\0';
	ix_pred_pw_users(p, add_name, &n);
	assert_string_equal(n.buf, "");
	assert_false(ix_pred_has_pw(p));
	assert_true(ix_pred_has_src(p));
	ix_pred_free(p);
	assert_false(ix_pred_has_pw(NULL));
	assert_false(ix_pred_has_src(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_rejects_unclosed_group),
		cmocka_unit_test(parse_rejects_unmatched_close),
		cmocka_unit_test(parse_rejects_unknown_atom),
		cmocka_unit_test(parse_rejects_atom_without_parenthesis),
		cmocka_unit_test(parse_rejects_empty_arguments),
		cmocka_unit_test(parse_rejects_unterminated_atom),
		cmocka_unit_test(parse_rejects_bad_pcre2_pattern_with_its_message_and_column),
		cmocka_unit_test(parse_rejects_utf_mode_pattern),
		cmocka_unit_test(parse_rejects_bad_user_names),
		cmocka_unit_test(parse_accepts_user_name_edge_cases),
		cmocka_unit_test(parse_rejects_trailing_garbage),
		cmocka_unit_test(parse_rejects_missing_operand),
		cmocka_unit_test(parse_rejects_nesting_beyond_depth_limit),
		cmocka_unit_test(parse_rejects_nul_byte),
		cmocka_unit_test(parse_rejects_control_character_in_argument),
		cmocka_unit_test(parse_rejects_text_over_size_limit),
		cmocka_unit_test(parse_rejects_text_whose_canonical_form_exceeds_limit),
		cmocka_unit_test(print_is_canonical_and_stable),
		cmocka_unit_test(print_accepts_null),
		cmocka_unit_test(eval_and_follows_kleene_table_with_short_circuit),
		cmocka_unit_test(eval_or_follows_kleene_table_with_short_circuit),
		cmocka_unit_test(eval_skips_password_when_login_already_fails),
		cmocka_unit_test(eval_unknown_password_stays_unknown_unless_decided),
		cmocka_unit_test(eval_treats_out_of_range_oracle_answer_as_false),
		cmocka_unit_test(eval_any_none),
		cmocka_unit_test(eval_id_and_src_match_whole_string),
		cmocka_unit_test(eval_stops_runaway_pattern_at_match_limit),
		cmocka_unit_test(eval_null_login_or_src_matches_nothing),
		cmocka_unit_test(eval_is_safe_in_concurrent_threads),
		cmocka_unit_test(login_keys_for_literal_ids),
		cmocka_unit_test(login_keys_zero_when_any_login_may_match),
		cmocka_unit_test(pw_users_distinct_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
