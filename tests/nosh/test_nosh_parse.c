/* The nosh parser: what it accepts, and every way it rejects a script. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nosh/parse.h"

static struct nosh_script s;

static int
teardown(void **state)
{
	nosh_script_free(&s);
	return 0;
}

static void
parse_ok_n(const char *text, size_t len)
{
	struct ix_err err = { 0 };

	if (nosh_parse("t", text, len, 1, &s, &err) != 0)
		fail_msg("unexpected error: %s", err.msg);
}

static void
parse_ok(const char *text)
{
	parse_ok_n(text, strlen(text));
}

/* Expects a rejection reported at "t:POS: " whose message contains what,
 * and no command left in the script. */
static void
expect_error_n(const char *text, size_t len, const char *pos, const char *what)
{
	struct ix_err err = { 0 };
	char prefix[64];

	snprintf(prefix, sizeof prefix, "t:%s: ", pos);
	assert_int_equal(nosh_parse("t", text, len, 1, &s, &err), -1);
	if (strncmp(err.msg, prefix, strlen(prefix)) != 0 || strstr(err.msg, what) == NULL)
		fail_msg("for %s: got \"%s\", want \"%s...%s\"", text, err.msg, prefix, what);
	assert_int_equal(s.n, 0);
	assert_null(s.cmds);
}

static void
expect_error(const char *text, const char *pos, const char *what)
{
	expect_error_n(text, strlen(text), pos, what);
}

/* Accepted scripts */

static void
parse_simple_command_splits_words_on_blanks(void **state)
{
	parse_ok("/bin/echo  a\tb\n");
	assert_int_equal(s.n, 1);
	assert_int_equal(s.cmds[0].kind, NOSH_RUN);
	assert_int_equal(s.cmds[0].argc, 3);
	assert_string_equal(s.cmds[0].argv[0], "/bin/echo");
	assert_string_equal(s.cmds[0].argv[1], "a");
	assert_string_equal(s.cmds[0].argv[2], "b");
	assert_null(s.cmds[0].argv[3]);
	assert_null(s.cmds[0].out);
	assert_int_equal(s.cmds[0].caps, 0);
}

static void
parse_skips_blank_lines_and_comments_and_counts_lines(void **state)
{
	parse_ok("# header\n\n   \t\n/bin/true # trailing\n  # indented\n./run x#y\n");
	assert_int_equal(s.n, 2);
	assert_int_equal(s.cmds[0].line, 4);
	assert_int_equal(s.cmds[0].argc, 1);
	assert_int_equal(s.cmds[1].line, 6);
	assert_string_equal(s.cmds[1].argv[0], "./run");
	assert_string_equal(s.cmds[1].argv[1], "x#y");
}

static void
parse_accepts_last_line_without_newline(void **state)
{
	parse_ok("/bin/true\n/bin/false");
	assert_int_equal(s.n, 2);
	assert_string_equal(s.cmds[1].argv[0], "/bin/false");
}

static void
parse_accepts_empty_script(void **state)
{
	parse_ok("");
	assert_int_equal(s.n, 0);
}

static void
parse_single_quotes_keep_spaces_and_reserved_bytes(void **state)
{
	parse_ok("'/opt/my prog' 'a b' '|&;<$`*?[](){}~\\\"#>+' ''\n");
	assert_int_equal(s.cmds[0].argc, 4);
	assert_string_equal(s.cmds[0].argv[0], "/opt/my prog");
	assert_string_equal(s.cmds[0].argv[1], "a b");
	assert_string_equal(s.cmds[0].argv[2], "|&;<$`*?[](){}~\\\"#>+");
	assert_string_equal(s.cmds[0].argv[3], "");
}

static void
parse_doubled_quote_inside_quotes_is_one_quote(void **state)
{
	parse_ok("/bin/echo 'it''s' ''''\n");
	assert_string_equal(s.cmds[0].argv[1], "it's");
	assert_string_equal(s.cmds[0].argv[2], "'");
}

static void
parse_quoted_and_plain_parts_join_into_one_word(void **state)
{
	parse_ok("/bin/echo a'b c'd 'x'#y\n");
	assert_int_equal(s.cmds[0].argc, 3);
	assert_string_equal(s.cmds[0].argv[1], "ab cd");
	assert_string_equal(s.cmds[0].argv[2], "x#y");
}

static void
parse_plus_in_argument_is_literal(void **state)
{
	parse_ok("/bin/date +%s a+b\n");
	assert_string_equal(s.cmds[0].argv[1], "+%s");
	assert_string_equal(s.cmds[0].argv[2], "a+b");
	assert_int_equal(s.cmds[0].caps, 0);
}

static void
parse_passes_utf8_and_equals_signs_unchanged(void **state)
{
	parse_ok("/bin/dd if=/dev/zero caf\xc3\xa9\n");
	assert_string_equal(s.cmds[0].argv[1], "if=/dev/zero");
	assert_string_equal(s.cmds[0].argv[2], "caf\xc3\xa9");
}

static void
parse_redirect_sets_target_with_or_without_blank(void **state)
{
	parse_ok("/bin/echo a > out\n/bin/echo b >'my file' # c\n/bin/echo c >>log\n");
	assert_int_equal(s.n, 3);
	assert_int_equal(s.cmds[0].argc, 2);
	assert_string_equal(s.cmds[0].out, "out");
	assert_int_equal(s.cmds[0].append, 0);
	assert_string_equal(s.cmds[1].out, "my file");
	assert_string_equal(s.cmds[2].out, "log");
	assert_int_equal(s.cmds[2].append, 1);
}

static void
parse_caps_prefix_sets_requested_bits(void **state)
{
	parse_ok("+cap_chown,cap_net_bind_service /bin/true\n");
	assert_int_equal(s.cmds[0].caps, (UINT64_C(1) << 0) | (UINT64_C(1) << 10));
	assert_string_equal(s.cmds[0].argv[0], "/bin/true");
	assert_int_equal(s.cmds[0].line, 1);
}

static void
parse_builtins_cd_and_exit(void **state)
{
	parse_ok("cd /tmp\nexit\nexit 3\n'exit' 255\n");
	assert_int_equal(s.n, 4);
	assert_int_equal(s.cmds[0].kind, NOSH_CD);
	assert_string_equal(s.cmds[0].argv[1], "/tmp");
	assert_int_equal(s.cmds[1].kind, NOSH_EXIT);
	assert_int_equal(s.cmds[1].exit_status, -1);
	assert_int_equal(s.cmds[2].exit_status, 3);
	assert_int_equal(s.cmds[3].exit_status, 255);
}

static void
parse_first_line_number_offsets_lines_and_messages(void **state)
{
	struct ix_err err;

	assert_int_equal(nosh_parse("t", "/bin/true\n", 10, 7, &s, &err), 0);
	assert_int_equal(s.cmds[0].line, 7);
	nosh_script_free(&s);
	assert_int_equal(nosh_parse("t", "ls\n", 3, 7, &s, &err), -1);
	assert_string_equal(err.msg, "t:7:1: 'ls' is not a path: a command starts "
			    "with / or ./ (nosh has no path search)");
}

/* Rejections: commands */

static void
parse_rejects_command_without_slash_naming_it(void **state)
{
	expect_error("/bin/true\n\n  ls -l\n", "3:3", "'ls' is not a path");
}

static void
parse_rejects_relative_command_not_starting_with_dot_slash(void **state)
{
	expect_error("bin/ls\n", "1:1", "'bin/ls' is not a path");
	expect_error("../bin/ls\n", "1:1", "'../bin/ls' is not a path");
	expect_error(".\n", "1:1", "'.' is not a path");
}

static void
parse_rejects_empty_command_word(void **state)
{
	expect_error("'' /bin/true\n", "1:1", "'' is not a path");
}

static void
parse_rejects_variable_assignment_as_command(void **state)
{
	expect_error("PATH=/bin /bin/ls\n", "1:1", "'PATH=/bin' is not a path");
}

static void
parse_error_anywhere_discards_earlier_commands(void **state)
{
	expect_error("/bin/true\n/bin/true\n/bin/echo a | /bin/cat\n", "3:13",
		     "unquoted '|'");
}

/* Rejections: bytes */

static void
parse_rejects_every_reserved_byte_unquoted(void **state)
{
	const char *meta = "|&;<$`*?[](){}~\\\"";

	for (const char *m = meta; *m; m++) {
		char text[32], what[32];

		snprintf(text, sizeof text, "/bin/echo a%cb\n", *m);
		snprintf(what, sizeof what, "unquoted '%c'", *m);
		expect_error(text, "1:12", what);
		snprintf(text, sizeof text, "/bin/echo %c\n", *m);
		expect_error(text, "1:11", what);
		snprintf(text, sizeof text, "%c/bin/echo\n", *m);
		expect_error(text, "1:1", what);
		snprintf(text, sizeof text, "/bin/echo > %c\n", *m);
		expect_error(text, "1:13", what);
		snprintf(text, sizeof text, "/bin/echo >%c\n", *m);
		expect_error(text, "1:12", what);
		snprintf(text, sizeof text, "/bin/echo > f%c\n", *m);
		expect_error(text, "1:14", what);
		snprintf(text, sizeof text, "/bin/echo > f %c\n", *m);
		expect_error(text, "1:15", what);
	}
}

static void
parse_rejects_nul_byte(void **state)
{
	expect_error_n("/bin/echo a\0b\n", 14, "1:12", "control byte 0x00");
	expect_error_n("# comment \0\n", 12, "1:11", "control byte 0x00");
	expect_error_n("/bin/echo '\0'\n", 14, "1:12", "control byte 0x00");
}

static void
parse_rejects_carriage_return_and_other_control_bytes(void **state)
{
	expect_error("/bin/true\r\n", "1:10", "control byte 0x0d");
	expect_error("/bin/echo '\x1b[2J'\n", "1:12", "control byte 0x1b");
	expect_error("/bin/echo \x7f\n", "1:11", "control byte 0x7f");
	expect_error("+cap_chown\x01 /bin/true\n", "1:11", "control byte 0x01");
	expect_error("/bin/echo > f\x02\n", "1:14", "control byte 0x02");
	expect_error("/bin/echo > 'f\x02'\n", "1:15", "control byte 0x02");
	expect_error("/bin/echo > f \x03\n", "1:15", "control byte 0x03");
	expect_error("/bin/echo 'a'\x04\n", "1:14", "control byte 0x04");
	expect_error("/bin/echo >\x05\n", "1:12", "control byte 0x05");
	expect_error("/bin/echo > \x06\n", "1:13", "control byte 0x06");
	expect_error("/bin/echo > 'f'\x07\n", "1:16", "control byte 0x07");
	expect_error("/bin/echo \x08\n", "1:11", "control byte 0x08");
	expect_error("\x0b\n", "1:1", "control byte 0x0b");
}

static void
parse_rejects_unterminated_quote_at_its_opening(void **state)
{
	expect_error("/bin/echo ab 'cd\n", "1:14", "quote not closed");
	expect_error("/bin/echo 'a''b", "1:11", "quote not closed");
	expect_error("/bin/echo > 'out\n", "1:13", "quote not closed");
}

static void
parse_rejects_quote_spanning_lines(void **state)
{
	expect_error("/bin/echo 'a\nb'\n", "1:11", "quote not closed");
}

/* Rejections: redirection */

static void
parse_rejects_gt_inside_word(void **state)
{
	expect_error("/bin/echo a>b\n", "1:12", "'>' inside a word");
	expect_error("/bin/echo 2>err\n", "1:12", "'>' inside a word");
	expect_error("/bin/echo 'a'>b\n", "1:14", "'>' inside a word");
	expect_error("/bin/echo > a>b\n", "1:14", "'>' inside a word");
	expect_error("/bin/echo > 'a'>b\n", "1:16", "'>' inside a word");
}

static void
parse_rejects_redirect_without_command(void **state)
{
	expect_error("> out\n", "1:1", "redirection without a command");
	expect_error("+cap_chown > out\n", "1:12", "redirection without a command");
}

static void
parse_rejects_redirect_without_file_name(void **state)
{
	expect_error("/bin/echo >\n", "1:12", "'>' without a file name");
	expect_error("/bin/echo >  \n", "1:14", "'>' without a file name");
	expect_error("/bin/echo > # note\n", "1:13", "'>' without a file name");
	expect_error("/bin/echo >#\n", "1:12", "'>' without a file name");
	expect_error("/bin/echo >", "1:12", "'>' without a file name");
}

static void
parse_rejects_empty_file_name(void **state)
{
	expect_error("/bin/echo > ''\n", "1:13", "empty file name");
}

static void
parse_rejects_second_redirection(void **state)
{
	expect_error("/bin/echo > a > b\n", "1:15", "only one redirection");
	expect_error("/bin/echo > > a\n", "1:13", "only one redirection");
	expect_error("/bin/echo >>> a\n", "1:13", "only one redirection");
}

static void
parse_rejects_words_after_file_name(void **state)
{
	expect_error("/bin/echo > a b\n", "1:15", "only a comment may follow");
	expect_error("/bin/echo > a 'b'\n", "1:15", "only a comment may follow");
	expect_error("/bin/echo > a +b\n", "1:15", "only a comment may follow");
}

/* Rejections: capability prefix */

static void
parse_rejects_caps_prefix_without_command(void **state)
{
	expect_error("+cap_chown\n", "1:1", "capability prefix without a command");
	expect_error("  +cap_chown   # why\n", "1:3", "capability prefix without a command");
	expect_error("+cap_chown ", "1:1", "capability prefix without a command");
}

static void
parse_rejects_empty_caps_prefix(void **state)
{
	expect_error("+ /bin/true\n", "1:1", "empty capability prefix");
}

static void
parse_rejects_malformed_capability_names(void **state)
{
	expect_error("+chown /bin/true\n", "1:1", "'chown' is not a capability list");
	expect_error("+cap_CHOWN /bin/true\n", "1:1", "is not a capability list");
	expect_error("+cap_ /bin/true\n", "1:1", "is not a capability list");
	expect_error("+cap_chown, /bin/true\n", "1:1", "is not a capability list");
	expect_error("+cap_chown,,cap_kill /bin/true\n", "1:1", "is not a capability list");
	expect_error("+cap_chown+cap_kill /bin/true\n", "1:1", "is not a capability list");
	expect_error("+cap_chown>x /bin/true\n", "1:1", "is not a capability list");
	expect_error("+'cap_chown' /bin/true\n", "1:1", "is not a capability list");
	expect_error("+cap_12 /bin/true\n", "1:1", "is not a capability list");
	expect_error("+cap_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		     " /bin/true\n", "1:1", "is not a capability list");
}

static void
parse_rejects_unknown_capability(void **state)
{
	expect_error("+cap_chown,cap_fly /bin/true\n", "1:1", "unknown capability 'cap_fly'");
}

static void
parse_rejects_repeated_capability(void **state)
{
	expect_error("+cap_kill,cap_chown,cap_kill /bin/true\n", "1:1",
		     "capability 'cap_kill' named twice");
}

/* Rejections: built-ins */

static void
parse_rejects_builtin_with_caps_prefix(void **state)
{
	expect_error("+cap_chown cd /\n", "1:1", "built-in cd takes no capability prefix");
	expect_error("+cap_chown exit\n", "1:1", "built-in exit takes no capability prefix");
}

static void
parse_rejects_builtin_with_redirection(void **state)
{
	expect_error("cd / > out\n", "1:1", "built-in cd takes no redirection");
	expect_error("  exit > out\n", "1:3", "built-in exit takes no redirection");
}

static void
parse_rejects_cd_without_exactly_one_directory(void **state)
{
	expect_error("cd\n", "1:1", "cd takes exactly one directory");
	expect_error("cd /a /b\n", "1:1", "cd takes exactly one directory");
}

static void
parse_rejects_exit_with_bad_status(void **state)
{
	expect_error("exit 1 2\n", "1:1", "exit takes at most one status");
	expect_error("exit 256\n", "1:1", "'256' is not a number from 0 to 255");
	expect_error("exit 0255\n", "1:1", "'0255' is not a number");
	expect_error("exit -1\n", "1:1", "'-1' is not a number");
	expect_error("exit x\n", "1:1", "'x' is not a number");
	expect_error("exit ''\n", "1:1", "'' is not a number");
}

/* Rejections: limits */

static void
parse_rejects_script_over_size_limit(void **state)
{
	size_t len = NOSH_SCRIPT_MAX + 1;
	char *big = malloc(len);
	struct ix_err err;

	assert_non_null(big);
	memset(big, '#', len);
	assert_int_equal(nosh_parse("t", big, len, 1, &s, &err), -1);
	assert_int_equal(err.code, IX_ELIMIT);
	assert_non_null(strstr(err.msg, "script longer than"));
	free(big);
}

static void
parse_rejects_word_over_size_limit(void **state)
{
	size_t len = 11 + NOSH_WORD_MAX + 1;
	char *big = malloc(len + 1);
	char pos[32];

	assert_non_null(big);
	memcpy(big, "/bin/echo ", 10);
	memset(big + 10, 'x', len - 10);
	big[len] = '\0';
	snprintf(pos, sizeof pos, "1:%u", 11 + NOSH_WORD_MAX);
	expect_error_n(big, len, pos, "word longer than");
	free(big);
}

static void
parse_rejects_too_many_words(void **state)
{
	size_t len = 10 + 2 * NOSH_ARGS_MAX;
	char *big = malloc(len);
	char pos[32];

	assert_non_null(big);
	memcpy(big, "/bin/echo", 9);
	for (size_t i = 9; i + 1 < len; i += 2)
		memcpy(big + i, " x", 2);
	big[len - 1] = '\n';
	/* The 4097th word starts at column 9 + 2 * 4096. */
	snprintf(pos, sizeof pos, "1:%u", 9 + 2 * NOSH_ARGS_MAX);
	expect_error_n(big, len, pos, "more than 4096 words");
	free(big);
}

static void
parse_rejects_too_many_commands(void **state)
{
	size_t len = 3 * ((size_t)NOSH_CMDS_MAX + 1);
	char *big = malloc(len);
	char pos[32];

	assert_non_null(big);
	for (size_t i = 0; i < len; i += 3)
		memcpy(big + i, "/a\n", 3);
	snprintf(pos, sizeof pos, "%u:1", NOSH_CMDS_MAX + 1);
	expect_error_n(big, len, pos, "more than 65536 commands");
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_teardown(f, teardown)
		T(parse_simple_command_splits_words_on_blanks),
		T(parse_skips_blank_lines_and_comments_and_counts_lines),
		T(parse_accepts_last_line_without_newline),
		T(parse_accepts_empty_script),
		T(parse_single_quotes_keep_spaces_and_reserved_bytes),
		T(parse_doubled_quote_inside_quotes_is_one_quote),
		T(parse_quoted_and_plain_parts_join_into_one_word),
		T(parse_plus_in_argument_is_literal),
		T(parse_passes_utf8_and_equals_signs_unchanged),
		T(parse_redirect_sets_target_with_or_without_blank),
		T(parse_caps_prefix_sets_requested_bits),
		T(parse_builtins_cd_and_exit),
		T(parse_first_line_number_offsets_lines_and_messages),
		T(parse_rejects_command_without_slash_naming_it),
		T(parse_rejects_relative_command_not_starting_with_dot_slash),
		T(parse_rejects_empty_command_word),
		T(parse_rejects_variable_assignment_as_command),
		T(parse_error_anywhere_discards_earlier_commands),
		T(parse_rejects_every_reserved_byte_unquoted),
		T(parse_rejects_nul_byte),
		T(parse_rejects_carriage_return_and_other_control_bytes),
		T(parse_rejects_unterminated_quote_at_its_opening),
		T(parse_rejects_quote_spanning_lines),
		T(parse_rejects_gt_inside_word),
		T(parse_rejects_redirect_without_command),
		T(parse_rejects_redirect_without_file_name),
		T(parse_rejects_empty_file_name),
		T(parse_rejects_second_redirection),
		T(parse_rejects_words_after_file_name),
		T(parse_rejects_caps_prefix_without_command),
		T(parse_rejects_empty_caps_prefix),
		T(parse_rejects_malformed_capability_names),
		T(parse_rejects_unknown_capability),
		T(parse_rejects_repeated_capability),
		T(parse_rejects_builtin_with_caps_prefix),
		T(parse_rejects_builtin_with_redirection),
		T(parse_rejects_cd_without_exactly_one_directory),
		T(parse_rejects_exit_with_bad_status),
		T(parse_rejects_script_over_size_limit),
		T(parse_rejects_word_over_size_limit),
		T(parse_rejects_too_many_words),
		T(parse_rejects_too_many_commands),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
