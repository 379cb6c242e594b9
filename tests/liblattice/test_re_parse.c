/*
 * The regular-language engine: every rejection of the parser (message and
 * column), the limits, matching semantics of each construct, minimality,
 * the constants, literals, escaping, reference counting and timings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "liblattice/re.h"

static struct ix_re *
compile(const char *p)
{
	struct ix_err err = { 0 };
	struct ix_re *re = NULL;

	if (ix_re_compile(p, strlen(p), 0, &re, &err) < 0)
		fail_msg("compile \"%s\": %s", p, err.msg);
	return re;
}

/* Compiling p (len bytes) fails with code and exactly msg. */
static void
rejects_n(const char *p, size_t len, enum ix_errcode code, const char *msg)
{
	struct ix_err err = { 0 };
	struct ix_re *re = (struct ix_re *)1;

	if (ix_re_compile(p, len, 0, &re, &err) == 0)
		fail_msg("\"%s\" compiled", p);
	assert_null(re);
	assert_int_equal(err.code, code);
	assert_string_equal(err.msg, msg);
}

static void
rejects(const char *p, enum ix_errcode code, const char *msg)
{
	rejects_n(p, strlen(p), code, msg);
}

static bool
m(const struct ix_re *re, const char *s)
{
	return ix_re_match(re, s, strlen(s));
}

/* ---- rejections ---- */

static void
parse_accepts_pattern_at_size_limit_and_rejects_one_more(void **state)
{
	char *p = malloc(IX_RE_PATTERN_MAX + 1);
	struct ix_err err = { 0 };
	struct ix_re *re;

	memset(p, 'a', IX_RE_PATTERN_MAX + 1);
	assert_int_equal(ix_re_compile(p, IX_RE_PATTERN_MAX, 0, &re, &err), 0);
	assert_true(ix_re_match(re, p, IX_RE_PATTERN_MAX));
	ix_re_free(re);
	rejects_n(p, IX_RE_PATTERN_MAX + 1, IX_ELIMIT,
		  "pattern longer than 4096 bytes at column 4097");
	free(p);
}

static void
parse_rejects_null_pattern_but_accepts_empty_one(void **state)
{
	struct ix_err err = { 0 };
	struct ix_re *re = NULL;

	assert_int_equal(ix_re_compile(NULL, 3, 0, &re, &err), -1);
	assert_null(re);
	assert_int_equal(err.code, IX_EINVAL);
	assert_string_equal(err.msg, "no pattern");
	assert_int_equal(ix_re_compile(NULL, 0, 0, &re, &err), 0);
	assert_true(ix_re_match(re, "", 0));
	ix_re_free(re);
}

static void
parse_rejects_nul_bytes(void **state)
{
	rejects_n("ab\0c", 4, IX_EINVAL,
		  "NUL byte at column 3: write \\x00 for a NUL byte");
	rejects_n("[a\0]", 4, IX_EINVAL,
		  "NUL byte at column 3: write \\x00 for a NUL byte");
}

static void
parse_rejects_trailing_backslash(void **state)
{
	rejects("ab\\", IX_EINVAL,
		"trailing backslash at column 3: write \\\\ for a backslash");
	rejects("[a\\", IX_EINVAL,
		"trailing backslash at column 3: write \\\\ for a backslash");
}

static void
parse_rejects_hex_escapes_that_are_not_two_digits(void **state)
{
	rejects("a\\x{41}", IX_EINVAL,
		"unsupported unicode escape \\x{...} at column 2: "
		"patterns match bytes; write each byte as \\xHH");
	rejects("\\x4", IX_EINVAL, "\\x must be followed by two hex digits at column 1");
	rejects("[\\xg0]", IX_EINVAL, "\\x must be followed by two hex digits at column 2");
}

static void
parse_rejects_backreferences(void **state)
{
	rejects("(a)\\1", IX_EINVAL,
		"unsupported backreference \\1 at column 4: "
		"backreferences do not describe regular languages");
	rejects("(a)\\9", IX_EINVAL,
		"unsupported backreference \\9 at column 4: "
		"backreferences do not describe regular languages");
	rejects("(a)\\g1", IX_EINVAL,
		"unsupported backreference \\g at column 4: "
		"backreferences do not describe regular languages");
	rejects("(?<n>a)", IX_EINVAL,
		"unsupported named group at column 1: use a plain group (...)");
	rejects("a\\k<n>", IX_EINVAL,
		"unsupported backreference \\k at column 2: "
		"backreferences do not describe regular languages");
}

static void
parse_rejects_octal_escapes(void **state)
{
	rejects("\\0", IX_EINVAL,
		"unsupported octal escape \\0 at column 1: write the byte as \\xHH");
	rejects("ab\\o{12}", IX_EINVAL,
		"unsupported octal escape \\o at column 3: write the byte as \\xHH");
}

static void
parse_rejects_word_boundaries(void **state)
{
	rejects("\\bword", IX_EINVAL,
		"unsupported word boundary \\b at column 1: "
		"patterns always match the whole string");
	rejects("a\\B", IX_EINVAL,
		"unsupported word boundary \\B at column 2: "
		"patterns always match the whole string");
	/* In PCRE, [\b] is a backspace: make the writer say which. */
	rejects("[\\b]", IX_EINVAL,
		"unsupported word boundary \\b at column 2: write a backspace as \\x08");
}

static void
parse_rejects_anchors(void **state)
{
	rejects("^abc", IX_EINVAL,
		"unsupported anchor ^ at column 1: "
		"patterns always match the whole string; write \\^ for a literal");
	rejects("abc$", IX_EINVAL,
		"unsupported anchor $ at column 4: "
		"patterns always match the whole string; write \\$ for a literal");
	rejects("\\Aa", IX_EINVAL,
		"unsupported anchor \\A at column 1: patterns always match the whole string");
	rejects("a\\z", IX_EINVAL,
		"unsupported anchor \\z at column 2: patterns always match the whole string");
	rejects("a\\Z", IX_EINVAL,
		"unsupported anchor \\Z at column 2: patterns always match the whole string");
	rejects("\\G", IX_EINVAL,
		"unsupported anchor \\G at column 1: patterns always match the whole string");
}

static void
parse_rejects_unicode_escapes(void **state)
{
	rejects("\\u0041", IX_EINVAL,
		"unsupported unicode escape \\u at column 1: "
		"patterns match bytes; write each byte as \\xHH");
	rejects("a\\p{L}", IX_EINVAL,
		"unsupported unicode escape \\p at column 2: "
		"patterns match bytes; write each byte as \\xHH");
	rejects("\\X", IX_EINVAL,
		"unsupported unicode escape \\X at column 1: "
		"patterns match bytes; write each byte as \\xHH");
	rejects("\\N", IX_EINVAL,
		"unsupported unicode escape \\N at column 1: "
		"patterns match bytes; write each byte as \\xHH");
}

static void
parse_rejects_quoting_and_match_reset(void **state)
{
	rejects("\\Qa.b\\E", IX_EINVAL,
		"unsupported quoting \\Q at column 1: escape each byte with \\ instead");
	rejects("a\\Kb", IX_EINVAL,
		"unsupported match reset \\K at column 2: "
		"patterns always match the whole string");
}

static void
parse_rejects_pcre_only_class_escapes(void **state)
{
	/* \v is vertical space in PCRE but VT in C: too easy to misread. */
	rejects("a\\v", IX_EINVAL,
		"unsupported escape \\v at column 2: "
		"write the bytes as a bracket class or \\xHH");
	rejects("\\h", IX_EINVAL,
		"unsupported escape \\h at column 1: "
		"write the bytes as a bracket class or \\xHH");
	rejects("\\R", IX_EINVAL,
		"unsupported escape \\R at column 1: "
		"write the bytes as a bracket class or \\xHH");
	rejects("\\cA", IX_EINVAL,
		"unsupported escape \\c at column 1: "
		"write the bytes as a bracket class or \\xHH");
}

static void
parse_rejects_unknown_escape(void **state)
{
	rejects("ab\\y", IX_EINVAL, "unknown escape \\y at column 3");
	rejects("\\i", IX_EINVAL, "unknown escape \\i at column 1");
}

static void
parse_rejects_backslash_before_unprintable_byte(void **state)
{
	rejects("a\\\x01", IX_EINVAL,
		"backslash before byte 0x01 at column 2: write the byte as \\xHH");
	rejects("\\\xe9", IX_EINVAL,
		"backslash before byte 0xe9 at column 1: write the byte as \\xHH");
}

static void
parse_rejects_posix_classes_and_bare_bracket_in_class(void **state)
{
	rejects("[[:alpha:]]", IX_EINVAL,
		"unsupported POSIX class [: at column 2: "
		"write the bytes as ranges or \\d \\w \\s");
	rejects("[a[=a=]]", IX_EINVAL,
		"unsupported POSIX class [= at column 3: "
		"write the bytes as ranges or \\d \\w \\s");
	rejects("[a[]", IX_EINVAL,
		"unescaped [ in bracket class at column 3: write \\[ for a literal [");
}

static void
parse_rejects_class_that_pcre_reads_as_posix_syntax(void **state)
{
	struct ix_re *re;

	rejects("x[.-/.]", IX_EINVAL,
		"bracket class read as POSIX syntax [.....] by PCRE at column 2: "
		"escape the first byte of the class");
	rejects("[:a:]", IX_EINVAL,
		"bracket class read as POSIX syntax [:...:] by PCRE at column 1: "
		"escape the first byte of the class");
	rejects("[=\\]=]", IX_EINVAL,
		"bracket class read as POSIX syntax [=...=] by PCRE at column 1: "
		"escape the first byte of the class");
	/* not POSIX for PCRE either: a "]" comes first */
	re = compile("[.]");
	assert_true(m(re, "."));
	ix_re_free(re);
	re = compile("[.a]b.");
	ix_re_free(re);
	re = compile("[\\.-/.]");
	assert_true(m(re, "/"));
	ix_re_free(re);
}

static void
parse_rejects_unterminated_and_empty_classes(void **state)
{
	rejects("ab[cd", IX_EINVAL, "missing ] for [ at column 3");
	rejects("[^", IX_EINVAL, "missing ] for [ at column 1");
	rejects("a[]b]", IX_EINVAL,
		"empty bracket class at column 3: write \\] for a literal ]");
	rejects("[^]a]", IX_EINVAL,
		"empty bracket class at column 3: write \\] for a literal ]");
}

static void
parse_rejects_bad_ranges(void **state)
{
	rejects("[a-c-e]", IX_EINVAL,
		"ambiguous - in bracket class at column 5: write \\- for a literal -");
	rejects("[\\d-z]", IX_EINVAL, "range from class escape \\d at column 4");
	rejects("[a-\\w]", IX_EINVAL, "range to class escape \\w at column 4");
	rejects("[z-a]", IX_EINVAL, "range out of order (0x7a > 0x61) at column 2");
}

static void
parse_rejects_lookaround(void **state)
{
	rejects("a(?=b)", IX_EINVAL,
		"unsupported lookahead (?= at column 2: "
		"lookaround is not regular matching of the whole string");
	rejects("(?!b)", IX_EINVAL,
		"unsupported lookahead (?! at column 1: "
		"lookaround is not regular matching of the whole string");
	rejects("(?<=a)b", IX_EINVAL,
		"unsupported lookbehind (?<= at column 1: "
		"lookaround is not regular matching of the whole string");
	rejects("x(?<!a)b", IX_EINVAL,
		"unsupported lookbehind (?<! at column 2: "
		"lookaround is not regular matching of the whole string");
}

static void
parse_rejects_other_group_syntax(void **state)
{
	rejects("(?P<x>a)", IX_EINVAL,
		"unsupported named group at column 1: use a plain group (...)");
	rejects("(?'x'a)", IX_EINVAL,
		"unsupported named group at column 1: use a plain group (...)");
	rejects("a(?:b)", IX_EINVAL,
		"unsupported non-capturing group (?: at column 2: "
		"groups do not capture here; use (...)");
	rejects("(?i)a", IX_EINVAL,
		"unsupported group syntax (? at column 1: "
		"(?...) constructs are outside the regular subset");
	rejects("(*UTF)a", IX_EINVAL,
		"unsupported verb (* at column 1: (*...) verbs are outside the regular subset");
}

static void
parse_rejects_unbalanced_parentheses(void **state)
{
	rejects("a(b", IX_EINVAL, "missing ) for ( at column 2");
	rejects("((a)", IX_EINVAL, "missing ) for ( at column 1");
	rejects("a)b", IX_EINVAL, "unmatched ) at column 2");
	rejects("(a))", IX_EINVAL, "unmatched ) at column 4");
}

static void
parse_rejects_groups_nested_too_deep(void **state)
{
	char p[200];
	struct ix_re *re;
	struct ix_err err = { 0 };
	int i;

	/* 64 levels compile */
	for (i = 0; i < 64; i++)
		p[i] = '(';
	p[64] = 'a';
	for (i = 0; i < 64; i++)
		p[65 + i] = ')';
	assert_int_equal(ix_re_compile(p, 129, 0, &re, &err), 0);
	assert_true(m(re, "a"));
	ix_re_free(re);
	/* the 65th does not */
	for (i = 0; i < 65; i++)
		p[i] = '(';
	p[65] = 'a';
	for (i = 0; i < 65; i++)
		p[66 + i] = ')';
	rejects_n(p, 131, IX_ELIMIT, "groups nested deeper than 64 at column 65");
}

static void
parse_rejects_bad_repetition_bounds(void **state)
{
	rejects("a{256}", IX_ELIMIT, "repetition bound greater than 255 at column 3");
	rejects("a{1,300}", IX_ELIMIT, "repetition bound greater than 255 at column 5");
	rejects("a{,3}", IX_EINVAL,
		"malformed repetition bound at column 2: write {m}, {m,} or {m,n} with m given");
	rejects("a{x}", IX_EINVAL,
		"malformed repetition bound at column 2: write {m}, {m,} or {m,n} with m given");
	rejects("a{3", IX_EINVAL,
		"malformed repetition bound at column 2: write {m}, {m,} or {m,n} with m given");
	rejects("ab{2,3x}", IX_EINVAL,
		"malformed repetition bound at column 3: write {m}, {m,} or {m,n} with m given");
	rejects("a{3,2}", IX_EINVAL, "repetition bounds out of order {3,2} at column 2");
}

static void
parse_rejects_quantifier_without_operand(void **state)
{
	rejects("*a", IX_EINVAL, "nothing to repeat before * at column 1");
	rejects("a|+b", IX_EINVAL, "nothing to repeat before + at column 3");
	rejects("(?", IX_EINVAL,
		"unsupported group syntax (? at column 1: "
		"(?...) constructs are outside the regular subset");
	rejects("a(?b)", IX_EINVAL,
		"unsupported group syntax (? at column 2: "
		"(?...) constructs are outside the regular subset");
	rejects("({2})", IX_EINVAL, "nothing to repeat before { at column 2");
	rejects("?", IX_EINVAL, "nothing to repeat before ? at column 1");
}

static void
parse_rejects_unescaped_closing_brackets(void **state)
{
	rejects("a]", IX_EINVAL, "unescaped ] (write \\] for a literal) at column 2");
	rejects("a}", IX_EINVAL, "unescaped } (write \\} for a literal) at column 2");
}

static void
parse_rejects_lazy_possessive_and_stacked_quantifiers(void **state)
{
	rejects("a*?", IX_EINVAL,
		"unsupported lazy quantifier at column 3: "
		"matching the whole string makes laziness meaningless");
	rejects("a{2,3}?", IX_EINVAL,
		"unsupported lazy quantifier at column 7: "
		"matching the whole string makes laziness meaningless");
	rejects("a++", IX_EINVAL,
		"unsupported possessive quantifier at column 3: "
		"possessive matching is not regular");
	rejects("a?+", IX_EINVAL,
		"unsupported possessive quantifier at column 3: "
		"possessive matching is not regular");
	rejects("a**", IX_EINVAL,
		"quantifier after quantifier at column 3: put the repeated part in parentheses");
	rejects("a{2}{3}", IX_EINVAL,
		"quantifier after quantifier at column 5: put the repeated part in parentheses");
}

static void
compile_rejects_pattern_over_state_limit_quickly(void **state)
{
	const char *p = "(a|b)*a(a|b){20}";
	struct ix_err err = { 0 };
	struct ix_re *re = NULL;
	struct timespec t0, t1;
	double ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(ix_re_compile(p, strlen(p), 0, &re, &err), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	printf("state limit: %s rejected in %.1f ms\n", p, ms);
	assert_null(re);
	assert_int_equal(err.code, IX_ELIMIT);
	assert_string_equal(err.msg, "pattern needs more than 20000 DFA states (state limit)");
	assert_true(ms < 2000);
	/* a caller's own, smaller limit */
	assert_int_equal(ix_re_compile("(a|b)*a(a|b){5}", 15, 40, &re, &err), -1);
	assert_string_equal(err.msg, "pattern needs more than 40 DFA states (state limit)");
	assert_int_equal(ix_re_compile("(a|b)*a(a|b){4}", 15, 40, &re, &err), 0);
	assert_int_equal(ix_re_nstates(re), 32);
	ix_re_free(re);
}

static void
compile_rejects_pattern_expanding_past_node_limit(void **state)
{
	struct ix_err err = { 0 };
	struct ix_re *re = NULL;
	const char *p = "((((a{255}){255}){255}){255})";

	assert_int_equal(ix_re_compile(p, strlen(p), 0, &re, &err), -1);
	assert_int_equal(err.code, IX_ELIMIT);
	assert_string_equal(err.msg, "pattern expands to more than 250000 automaton nodes "
			    "(repetition bounds too large)");
}

/* ---- semantics of each construct ---- */

static void
match_is_full_match_not_substring(void **state)
{
	struct ix_re *re = compile("abc");

	assert_true(m(re, "abc"));
	assert_false(m(re, "abcd"));
	assert_false(m(re, "xabc"));
	assert_false(m(re, "ab"));
	assert_false(m(re, ""));
	ix_re_free(re);
}

static void
dot_matches_every_byte_including_newline_and_nul(void **state)
{
	struct ix_re *re = compile(".");

	for (int b = 0; b < 256; b++) {
		char c = (char)b;

		assert_true(ix_re_match(re, &c, 1));
	}
	assert_false(m(re, ""));
	assert_false(m(re, "ab"));
	ix_re_free(re);
}

static void
escapes_stand_for_their_bytes(void **state)
{
	struct ix_re *re = compile("\\n\\t\\r\\f\\a\\e\\x00\\xfF\\.\\*\\\\\\/\\-\\ ");

	assert_true(ix_re_match(re, "\n\t\r\f\a\x1b\0\xff.*\\/- ", 14));
	assert_false(ix_re_match(re, "\n\t\r\f\a\x1b\0\xfe.*\\/- ", 14));
	ix_re_free(re);
}

static void
class_escapes_follow_pcre_defaults(void **state)
{
	struct ix_re *d = compile("\\d"), *w = compile("\\w"), *s = compile("\\s");
	struct ix_re *D = compile("\\D"), *W = compile("\\W"), *S = compile("\\S");

	for (int b = 0; b < 256; b++) {
		char c = (char)b;
		bool isd = b >= '0' && b <= '9';
		bool isw = isd || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_';
		bool iss = b == ' ' || (b >= 9 && b <= 13);

		assert_int_equal(ix_re_match(d, &c, 1), isd);
		assert_int_equal(ix_re_match(w, &c, 1), isw);
		assert_int_equal(ix_re_match(s, &c, 1), iss);
		assert_int_equal(ix_re_match(D, &c, 1), !isd);
		assert_int_equal(ix_re_match(W, &c, 1), !isw);
		assert_int_equal(ix_re_match(S, &c, 1), !iss);
	}
	ix_re_free(d);
	ix_re_free(w);
	ix_re_free(s);
	ix_re_free(D);
	ix_re_free(W);
	ix_re_free(S);
}

static void
bracket_classes_ranges_negation_and_literal_dashes(void **state)
{
	struct ix_re *re = compile("[a-c_\\d-]");
	struct ix_re *neg = compile("[^/]+");
	struct ix_re *meta = compile("[.*+?(){}|$^\\]\\[\\\\]");

	assert_true(m(re, "b"));
	assert_true(m(re, "_"));
	assert_true(m(re, "7"));
	assert_true(m(re, "-"));
	assert_false(m(re, "d"));
	assert_true(m(neg, "a\nb"));	/* negated classes include newline */
	assert_false(m(neg, "a/b"));
	for (const char *c = ".*+?(){}|$^][\\"; *c; c++)
		assert_true(ix_re_match(meta, c, 1));
	assert_false(m(meta, "a"));
	ix_re_free(re);
	ix_re_free(neg);
	ix_re_free(meta);
}

static void
quantifiers_and_bounds_count_repetitions(void **state)
{
	struct ix_re *a = compile("a{2,4}"), *b = compile("a{3}"), *c = compile("a{2,}");
	struct ix_re *d = compile("(ab)+c?"), *e = compile("x{0}y");
	char s[8] = "aaaaaaa";

	for (size_t n = 0; n < 7; n++) {
		assert_int_equal(ix_re_match(a, s, n), n >= 2 && n <= 4);
		assert_int_equal(ix_re_match(b, s, n), n == 3);
		assert_int_equal(ix_re_match(c, s, n), n >= 2);
	}
	assert_true(m(d, "abab"));
	assert_true(m(d, "abc"));
	assert_false(m(d, "c"));
	assert_true(m(e, "y"));
	assert_false(m(e, "xy"));
	ix_re_free(a);
	ix_re_free(b);
	ix_re_free(c);
	ix_re_free(d);
	ix_re_free(e);
}

static void
empty_pattern_and_empty_alternatives_match_empty_string(void **state)
{
	struct ix_re *e = compile(""), *g = compile("()"), *alt = compile("a|"), *alt2 = compile("|b");

	assert_true(m(e, ""));
	assert_false(m(e, "a"));
	assert_true(m(g, ""));
	assert_true(m(alt, ""));
	assert_true(m(alt, "a"));
	assert_true(m(alt2, "b"));
	assert_true(ix_re_equal(e, g));
	assert_int_equal(ix_re_nstates(e), 1);
	ix_re_free(e);
	ix_re_free(g);
	ix_re_free(alt);
	ix_re_free(alt2);
}

static void
typical_path_pattern(void **state)
{
	struct ix_re *re = compile("/dept/physics(/.*)?");
	struct ix_re *sub = compile("/dept/physics/lab[0-9]+");
	struct ix_err err = { 0 };

	assert_true(m(re, "/dept/physics"));
	assert_true(m(re, "/dept/physics/"));
	assert_true(m(re, "/dept/physics/a/b"));
	assert_false(m(re, "/dept/physicsx"));
	assert_false(m(re, "/dept/physic"));
	assert_int_equal(ix_re_subset(sub, re, &err), 1);
	assert_int_equal(ix_re_subset(re, sub, &err), 0);
	assert_string_equal(ix_re_text(re), "/dept/physics(/.*)?");
	ix_re_free(re);
	ix_re_free(sub);
}

static void
derived_text_reuses_operand_text_or_joins_with_bar(void **state)
{
	struct ix_re *a = compile("/dept/physics(/.*)?"), *b = compile("/dept/chem(/.*)?");
	struct ix_re *c = compile("/dept/physics/lab[0-9]+"), *r;
	struct ix_err err = { 0 };

	assert_int_equal(ix_re_union(a, c, &r, &err), 0);
	assert_string_equal(ix_re_text(r), "/dept/physics(/.*)?");	/* c <= a */
	ix_re_free(r);
	assert_int_equal(ix_re_intersect(a, c, &r, &err), 0);
	assert_string_equal(ix_re_text(r), "/dept/physics/lab[0-9]+");
	ix_re_free(r);
	assert_int_equal(ix_re_union(a, b, &r, &err), 0);
	/* state elimination finds the shorter of the two patterns here */
	assert_string_equal(ix_re_text(r), "/dept/(chem|physics)(/.*)?");
	ix_re_free(r);
	assert_int_equal(ix_re_intersect(a, b, &r, &err), 0);
	assert_string_equal(ix_re_text(r), "[^\\x00-\\xff]");
	ix_re_free(r);
	a = ix_re_ref(a);
	ix_re_free(a);
	ix_re_free(a);
	ix_re_free(b);
	ix_re_free(c);
}

/* ---- minimality and canonical form ---- */

static void
minimal_dfa_is_canonical(void **state)
{
	struct ix_re *a = compile("(a|b)*"), *b = compile("(a*b*)*"), *c = compile("[ab]*");
	struct ix_re *d = compile("a*a*"), *e = compile("a*");
	struct ix_re *f = compile("(a|b)*abb"), *g = compile("(a|b)*a(a|b)");

	assert_int_equal(ix_re_nstates(a), 1);
	assert_int_equal(ix_re_nstates(b), 1);
	assert_true(ix_re_equal(a, b));
	assert_true(ix_re_equal(a, c));
	assert_true(ix_re_equal(d, e));
	assert_int_equal(ix_re_nstates(d), 1);
	assert_int_equal(ix_re_nstates(f), 4);	/* the dragon book's example */
	assert_int_equal(ix_re_nstates(g), 4);
	assert_false(ix_re_equal(f, g));
	ix_re_free(a);
	ix_re_free(b);
	ix_re_free(c);
	ix_re_free(d);
	ix_re_free(e);
	ix_re_free(f);
	ix_re_free(g);
}

static void
state_count_of_kth_from_last_is_exponential_but_exact(void **state)
{
	char p[32];

	for (int k = 1; k <= 10; k++) {
		struct ix_re *re;

		snprintf(p, sizeof p, "(a|b)*a(a|b){%d}", k - 1);
		re = compile(p);
		assert_int_equal(ix_re_nstates(re), (size_t)1 << k);
		ix_re_free(re);
	}
}

/* ---- constants, literals, escaping, references ---- */

static void
none_and_all_are_bottom_and_top(void **state)
{
	struct ix_re *none, *all, *x = compile("ab*"), *t;
	struct ix_err err = { 0 };

	assert_int_equal(ix_re_none(&none, &err), 0);
	assert_int_equal(ix_re_all(&all, &err), 0);
	assert_true(ix_re_is_empty(none));
	assert_false(ix_re_is_empty(all));
	assert_false(ix_re_is_empty(x));
	assert_int_equal(ix_re_nstates(none), 0);
	assert_int_equal(ix_re_nstates(all), 1);
	assert_false(ix_re_match(none, "", 0));
	assert_true(ix_re_match(all, "\0\n\xff", 3));
	assert_int_equal(ix_re_subset(none, x, &err), 1);
	assert_int_equal(ix_re_subset(x, all, &err), 1);
	assert_int_equal(ix_re_subset(all, x, &err), 0);
	assert_int_equal(ix_re_subset(x, none, &err), 0);
	assert_string_equal(ix_re_text(none), "[^\\x00-\\xff]");
	assert_string_equal(ix_re_text(all), ".*");
	t = compile(ix_re_text(none));
	assert_true(ix_re_equal(t, none));
	ix_re_free(t);
	t = compile(ix_re_text(all));
	assert_true(ix_re_equal(t, all));
	ix_re_free(t);
	t = compile("[^\\x00-\\xff]");
	assert_true(ix_re_is_empty(t));
	ix_re_free(t);
	ix_re_free(none);
	ix_re_free(all);
	ix_re_free(x);
}

static void
literal_matches_exactly_its_bytes(void **state)
{
	const char s[] = "/home/a.b*(c)[d]\n\0\xff$^|";
	struct ix_re *lit, *re;
	struct ix_err err = { 0 };

	assert_int_equal(ix_re_literal(s, sizeof s - 1, &lit, &err), 0);
	assert_true(ix_re_match(lit, s, sizeof s - 1));
	assert_false(ix_re_match(lit, s, sizeof s - 2));
	assert_false(ix_re_match(lit, "/home/aXb*(c)[d]\n\0\xff$^|", sizeof s - 1));
	assert_int_equal(ix_re_nstates(lit), sizeof s);
	re = compile(ix_re_text(lit));
	assert_true(ix_re_equal(re, lit));
	ix_re_free(re);
	ix_re_free(lit);
	assert_int_equal(ix_re_literal("", 0, &lit, &err), 0);
	re = compile("");
	assert_true(ix_re_equal(re, lit));
	ix_re_free(re);
	ix_re_free(lit);
}

static void
literal_of_every_byte_is_canonical(void **state)
{
	char s[256];
	struct ix_re *lit, *re;
	struct ix_err err = { 0 };
	char pat[1100];

	for (int i = 0; i < 256; i++)
		s[i] = (char)(255 - i);
	assert_int_equal(ix_re_literal(s, 256, &lit, &err), 0);
	assert_int_equal(ix_re_escape(s, 256, pat, sizeof pat, &err) > 0, 1);
	re = compile(pat);
	assert_true(ix_re_equal(re, lit));
	assert_true(ix_re_match(re, s, 256));
	ix_re_free(re);
	ix_re_free(lit);
}

static void
escape_produces_pattern_of_the_literal_and_checks_room(void **state)
{
	char buf[64];
	struct ix_err err = { 0 };
	const char s[] = "a.b\n(\x80";

	assert_int_equal(ix_re_escape(s, sizeof s - 1, buf, sizeof buf, &err), 14);
	assert_string_equal(buf, "a\\.b\\x0a\\(\\x80");
	assert_int_equal(ix_re_escape("abc", 3, buf, 4, &err), 3);
	assert_int_equal(ix_re_escape("abc", 3, buf, 3, &err), -1);
	assert_int_equal(err.code, IX_ELIMIT);
	assert_string_equal(err.msg, "escaped literal does not fit in 3 bytes");
	assert_int_equal(ix_re_escape("", 0, buf, 0, &err), -1);
	assert_int_equal(ix_re_escape("", 0, buf, 1, &err), 0);
	assert_string_equal(buf, "");
}

static void
literal_rejects_what_cannot_be_printed_as_pattern(void **state)
{
	char *s = malloc(2049);
	struct ix_re *lit = NULL;
	struct ix_err err = { 0 };

	memset(s, '.', 2049);	/* each needs two bytes escaped */
	assert_int_equal(ix_re_literal(s, 2000, &lit, &err), 0);
	ix_re_free(lit);
	assert_int_equal(ix_re_literal(s, 2049, &lit, &err), -1);
	assert_int_equal(err.code, IX_ELIMIT);
	assert_null(lit);
	free(s);
	s = calloc(5000, 1);
	assert_int_equal(ix_re_literal(s, 5000, &lit, &err), -1);
	assert_string_equal(err.msg, "literal longer than 4096 bytes");
	free(s);
}

static void
references_are_counted(void **state)
{
	struct ix_re *re = compile("a+"), *r2 = ix_re_ref(re);

	assert_ptr_equal(re, r2);
	ix_re_free(re);
	assert_true(m(r2, "aa"));	/* still alive (ASan would see a use after free) */
	ix_re_free(r2);
	ix_re_free(NULL);
	assert_null(ix_re_ref(NULL));
}

static void
derived_text_that_would_not_fit_is_elimit(void **state)
{
	/* The 9th byte from the end is an a and the 8th a b: 512 states; a
	 * pattern by state elimination is far beyond 4096 bytes. */
	struct ix_re *a = compile("[ab]*a[ab]{8}"), *b = compile("[ab]*b[ab]{7}"), *u = NULL;
	struct ix_err err = { 0 };

	assert_int_equal(ix_re_intersect(a, b, &u, &err), -1);
	assert_null(u);
	assert_int_equal(err.code, IX_ELIMIT);
	assert_string_equal(err.msg,
			    "intersection: no pattern of at most 4096 bytes found for this language");
	/* a union can always fall back on "A|B" */
	assert_int_equal(ix_re_union(a, b, &u, &err), 0);
	assert_string_equal(ix_re_text(u), "[ab]*a[ab]{8}|[ab]*b[ab]{7}");
	ix_re_free(u);
	ix_re_free(a);
	ix_re_free(b);
}

/* ---- repetition and size ----
 * The figures printed are for reading in the log; speed is asserted by
 * the benchmarks (bench/), never here: a loaded or sanitizer machine made
 * these bounds fail where nothing was wrong. */

static double
now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void
repeated_compile_literal_subset_and_union_stay_correct(void **state)
{
	const char *p = "/dept/physics(/.*)?";
	struct ix_re *re, *lit, *x = compile("/dept/physics/lab[0-9]+"), *y = compile(p);
	struct ix_err err = { 0 };
	const int N = 2000;
	double t0, compile_us, literal_us, subset_us, union_us;
	int r = 0;

	t0 = now_us();
	for (int i = 0; i < N; i++) {
		assert_int_equal(ix_re_compile(p, strlen(p), 0, &re, &err), 0);
		ix_re_free(re);
	}
	compile_us = (now_us() - t0) / N;
	t0 = now_us();
	for (int i = 0; i < N; i++) {
		assert_int_equal(ix_re_literal("/dept/physics/report.pdf", 24, &lit, &err), 0);
		ix_re_free(lit);
	}
	literal_us = (now_us() - t0) / N;
	t0 = now_us();
	for (int i = 0; i < N; i++)
		r += ix_re_subset(x, y, &err);
	subset_us = (now_us() - t0) / N;
	assert_int_equal(r, N);
	t0 = now_us();
	for (int i = 0; i < N / 10; i++) {
		assert_int_equal(ix_re_union(x, y, &re, &err), 0);
		ix_re_free(re);
	}
	union_us = (now_us() - t0) / (N / 10);
	printf("timing: compile %s %.1f us, literal(24 bytes) %.2f us, "
	       "subset %.2f us, union+text %.1f us\n",
	       p, compile_us, literal_us, subset_us, union_us);
	ix_re_free(x);
	ix_re_free(y);
}

static void
minimisation_handles_thousands_of_states(void **state)
{
	char *chain = malloc(IX_RE_PATTERN_MAX + 1);
	struct ix_re *a, *b, *all;
	struct ix_err err = { 0 };
	double t0, chain_ms, kth_ms, sub_ms;

	/* a chain is Moore's worst case (one round per state) */
	memset(chain, 'a', IX_RE_PATTERN_MAX);
	t0 = now_us();
	assert_int_equal(ix_re_compile(chain, IX_RE_PATTERN_MAX, 0, &a, &err), 0);
	chain_ms = (now_us() - t0) / 1e3;
	assert_int_equal(ix_re_nstates(a), IX_RE_PATTERN_MAX + 1);
	t0 = now_us();
	assert_int_equal(ix_re_compile("(a|b)*a(a|b){13}", 16, 0, &b, &err), 0);
	kth_ms = (now_us() - t0) / 1e3;
	assert_int_equal(ix_re_nstates(b), 16384);
	assert_int_equal(ix_re_all(&all, &err), 0);
	t0 = now_us();
	assert_int_equal(ix_re_subset(b, all, &err), 1);
	assert_int_equal(ix_re_subset(a, b, &err), 1);	/* a^4096 has an a 14th from the end */
	assert_int_equal(ix_re_subset(b, a, &err), 0);
	sub_ms = (now_us() - t0) / 1e3;
	printf("large: %d-state chain %.1f ms, 16384-state (a|b)*a(a|b){13} %.1f ms, "
	       "two inclusion tests %.1f ms\n", IX_RE_PATTERN_MAX + 1, chain_ms, kth_ms, sub_ms);
	ix_re_free(a);
	ix_re_free(b);
	ix_re_free(all);
	free(chain);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_accepts_pattern_at_size_limit_and_rejects_one_more),
		cmocka_unit_test(parse_rejects_null_pattern_but_accepts_empty_one),
		cmocka_unit_test(parse_rejects_nul_bytes),
		cmocka_unit_test(parse_rejects_trailing_backslash),
		cmocka_unit_test(parse_rejects_hex_escapes_that_are_not_two_digits),
		cmocka_unit_test(parse_rejects_backreferences),
		cmocka_unit_test(parse_rejects_octal_escapes),
		cmocka_unit_test(parse_rejects_word_boundaries),
		cmocka_unit_test(parse_rejects_anchors),
		cmocka_unit_test(parse_rejects_unicode_escapes),
		cmocka_unit_test(parse_rejects_quoting_and_match_reset),
		cmocka_unit_test(parse_rejects_pcre_only_class_escapes),
		cmocka_unit_test(parse_rejects_unknown_escape),
		cmocka_unit_test(parse_rejects_backslash_before_unprintable_byte),
		cmocka_unit_test(parse_rejects_posix_classes_and_bare_bracket_in_class),
		cmocka_unit_test(parse_rejects_class_that_pcre_reads_as_posix_syntax),
		cmocka_unit_test(parse_rejects_unterminated_and_empty_classes),
		cmocka_unit_test(parse_rejects_bad_ranges),
		cmocka_unit_test(parse_rejects_lookaround),
		cmocka_unit_test(parse_rejects_other_group_syntax),
		cmocka_unit_test(parse_rejects_unbalanced_parentheses),
		cmocka_unit_test(parse_rejects_groups_nested_too_deep),
		cmocka_unit_test(parse_rejects_bad_repetition_bounds),
		cmocka_unit_test(parse_rejects_quantifier_without_operand),
		cmocka_unit_test(parse_rejects_unescaped_closing_brackets),
		cmocka_unit_test(parse_rejects_lazy_possessive_and_stacked_quantifiers),
		cmocka_unit_test(compile_rejects_pattern_over_state_limit_quickly),
		cmocka_unit_test(compile_rejects_pattern_expanding_past_node_limit),
		cmocka_unit_test(match_is_full_match_not_substring),
		cmocka_unit_test(dot_matches_every_byte_including_newline_and_nul),
		cmocka_unit_test(escapes_stand_for_their_bytes),
		cmocka_unit_test(class_escapes_follow_pcre_defaults),
		cmocka_unit_test(bracket_classes_ranges_negation_and_literal_dashes),
		cmocka_unit_test(quantifiers_and_bounds_count_repetitions),
		cmocka_unit_test(empty_pattern_and_empty_alternatives_match_empty_string),
		cmocka_unit_test(typical_path_pattern),
		cmocka_unit_test(derived_text_reuses_operand_text_or_joins_with_bar),
		cmocka_unit_test(minimal_dfa_is_canonical),
		cmocka_unit_test(state_count_of_kth_from_last_is_exponential_but_exact),
		cmocka_unit_test(none_and_all_are_bottom_and_top),
		cmocka_unit_test(literal_matches_exactly_its_bytes),
		cmocka_unit_test(literal_of_every_byte_is_canonical),
		cmocka_unit_test(escape_produces_pattern_of_the_literal_and_checks_room),
		cmocka_unit_test(literal_rejects_what_cannot_be_printed_as_pattern),
		cmocka_unit_test(references_are_counted),
		cmocka_unit_test(derived_text_that_would_not_fit_is_elimit),
		cmocka_unit_test(repeated_compile_literal_subset_and_union_stay_correct),
		cmocka_unit_test(minimisation_handles_thousands_of_states),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
