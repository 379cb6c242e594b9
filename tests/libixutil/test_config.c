/* ixkit.conf precedence (flag > environment > file > default) and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "libixutil/ix_config.h"

static char dir[] = "/tmp/ixkit-test-config-XXXXXX";
static char path[256];

static void
write_conf(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int
setup(void **state)
{
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/ixkit.conf", dir);
	unsetenv("IXKIT_DB");
	unsetenv("IXKIT_RUNDIR");
	unsetenv("IXKIT_LOG");
	unsetenv("IXKIT_AUDIT_HEAD");
	unsetenv("IXKIT_PRIVD_USER");
	unsetenv("IXKIT_SESSIOND_USER");
	unsetenv("IXKIT_POLICY_INTERPRETERS");
	setenv("IXKIT_CONFIG", path, 1);
	return 0;
}

static int
teardown(void **state)
{
	unlink(path);
	rmdir(dir);
	return 0;
}

static void
defaults_apply_without_file(void **state)
{
	struct ix_config c;
	struct ix_err e;

	setenv("IXKIT_CONFIG", "/dev/null", 1);
	assert_int_equal(ix_config_load(&c, NULL, &e), 0);
	assert_string_equal(c.db, IX_DEFAULT_DB);
	assert_string_equal(c.rundir, IX_DEFAULT_RUNDIR);
	assert_string_equal(c.log, "stderr");
	assert_int_equal(c.src_db, IX_SRC_DEFAULT);
	assert_string_equal(c.config, "");
	setenv("IXKIT_CONFIG", path, 1);
}

static void
flag_beats_env_beats_file(void **state)
{
	struct ix_config c;
	struct ix_err e;
	struct ix_config_flags f = { .db = "/flag.db" };

	write_conf("# comment\n db = /file.db \nrundir=/file/run\nlog = syslog\n");
	setenv("IXKIT_DB", "/env.db", 1);
	setenv("IXKIT_RUNDIR", "/env/run", 1);
	assert_int_equal(ix_config_load(&c, &f, &e), 0);
	assert_string_equal(c.db, "/flag.db");
	assert_int_equal(c.src_db, IX_SRC_FLAG);
	assert_string_equal(c.rundir, "/env/run");
	assert_int_equal(c.src_rundir, IX_SRC_ENV);
	assert_string_equal(c.log, "syslog");
	assert_int_equal(c.src_log, IX_SRC_FILE);
	assert_string_equal(c.audit_head, "/flag.db-audit.head");
	assert_string_equal(c.config, path);
	unsetenv("IXKIT_DB");
	unsetenv("IXKIT_RUNDIR");
}

/* passwdd trusts privd's and sessiond's users: none unless named. */
static void
server_users_come_from_file_env_or_flag(void **state)
{
	struct ix_config c;
	struct ix_err e;
	struct ix_config_flags f = { .sessiond_user = "flag-sessiond" };

	setenv("IXKIT_CONFIG", "/dev/null", 1);
	assert_int_equal(ix_config_load(&c, NULL, &e), 0);
	assert_string_equal(c.privd_user, "");
	assert_string_equal(c.sessiond_user, "");
	setenv("IXKIT_CONFIG", path, 1);
	write_conf("privd_user = file-privd\nsessiond_user = file-sessiond\n");
	assert_int_equal(ix_config_load(&c, &f, &e), 0);
	assert_string_equal(c.privd_user, "file-privd");
	assert_int_equal(c.src_privd_user, IX_SRC_FILE);
	assert_string_equal(c.sessiond_user, "flag-sessiond");
	assert_int_equal(c.src_sessiond_user, IX_SRC_FLAG);
	setenv("IXKIT_PRIVD_USER", "env-privd", 1);
	assert_int_equal(ix_config_load(&c, NULL, &e), 0);
	assert_string_equal(c.privd_user, "env-privd");
	unsetenv("IXKIT_PRIVD_USER");
}

static void
unknown_key_is_rejected_with_line(void **state)
{
	struct ix_config c;
	struct ix_err e;

	write_conf("db = /x.db\n\n  database = /y.db\n");
	assert_int_equal(ix_config_load(&c, NULL, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_non_null(strstr(e.msg, ":3:3: unknown option 'database'"));
}

static void
line_without_equals_is_rejected(void **state)
{
	struct ix_config c;
	struct ix_err e;

	write_conf("db /x.db\n");
	assert_int_equal(ix_config_load(&c, NULL, &e), -1);
	assert_non_null(strstr(e.msg, ":1:1: expected 'key = value'"));
}

static void
repeated_key_is_rejected(void **state)
{
	struct ix_config c;
	struct ix_err e;

	write_conf("db = /a\ndb = /b\n");
	assert_int_equal(ix_config_load(&c, NULL, &e), -1);
	assert_non_null(strstr(e.msg, ":2:1: option 'db' given twice"));
}

/* The parser alone, as its fuzz target drives it: a NUL anywhere and a
 * line past the bound are refused with where they are; nothing of a file
 * with an error is applied. */
static void
parser_refuses_nul_and_long_lines_and_applies_nothing(void **state)
{
	struct ix_config c = { 0 };
	struct ix_err e;
	char big[5000];

	(void)state;
	strcpy(c.db, "/before");
	assert_int_equal(ix_config_parse(&c, "f", "db = /a\0b\n", 10, &e), -1);
	assert_non_null(strstr(e.msg, "f: contains a NUL byte at offset 7"));
	memset(big, 'x', sizeof big);
	memcpy(big, "db = /new\nrundir = ", 19);
	assert_int_equal(ix_config_parse(&c, "f", big, sizeof big, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
	assert_non_null(strstr(e.msg, "f:2:4097: line longer than 4096 bytes"));
	assert_string_equal(c.db, "/before");
	assert_int_equal(ix_config_parse(&c, "f", "db = /x\nrundir =\n", 17, &e), -1);
	assert_non_null(strstr(e.msg, "f:2:9: empty value for rundir"));
	assert_string_equal(c.db, "/before");
}

static void
empty_value_is_rejected(void **state)
{
	struct ix_config c;
	struct ix_err e;

	write_conf("rundir =\n");
	assert_int_equal(ix_config_load(&c, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "empty value for rundir"));
}

static void
named_file_must_exist(void **state)
{
	struct ix_config c;
	struct ix_err e;
	struct ix_config_flags f = { .config = "/nonexistent/ixkit.conf" };

	assert_int_equal(ix_config_load(&c, &f, &e), -1);
	assert_int_equal(e.code, IX_ESYS);
	assert_non_null(strstr(e.msg, "/nonexistent/ixkit.conf"));
}

static void
group_writable_file_is_refused_for_root(void **state)
{
	struct ix_config c;
	struct ix_err e;

	if (geteuid() != 0)
		skip();
	write_conf("db = /x.db\n");
	chmod(path, 0664);
	assert_int_equal(ix_config_load(&c, NULL, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	chmod(path, 0644);
	assert_int_equal(ix_config_load(&c, NULL, &e), 0);
}

static void
nul_byte_is_rejected(void **state)
{
	struct ix_config c;
	struct ix_err e;
	FILE *f = fopen(path, "w");

	fwrite("db = /a\0b\n", 1, 10, f);
	fclose(f);
	assert_int_equal(ix_config_load(&c, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "NUL"));
}

/* ---- policy_interpreters: names added to the built-in interpreters ---- */

static void
policy_interpreters_default_to_none(void **state)
{
	struct ix_config c;
	struct ix_err e;
	const char *list[IX_INTERPRETERS_MAX + 1];

	(void)state;
	write_conf("db = /x.db\n");
	assert_int_equal(ix_config_load(&c, NULL, &e), 0);
	assert_int_equal(c.ninterpreters, 0);
	assert_string_equal(c.policy_interpreters, "");
	assert_int_equal(c.src_policy_interpreters, IX_SRC_DEFAULT);
	assert_null(ix_config_interpreters(&c, list)[0]);
}

static void
policy_interpreters_split_on_blanks_and_commas_last_source_wins(void **state)
{
	struct ix_config c;
	struct ix_err e;
	const char *list[IX_INTERPRETERS_MAX + 1];
	struct ix_config_flags f = { .policy_interpreters = "tclsh8.6" };

	(void)state;
	write_conf("policy_interpreters = myscript-runner, ruby3.1 node18\tpwsh,,c++ \n");
	assert_int_equal(ix_config_load(&c, NULL, &e), 0);
	assert_int_equal(c.src_policy_interpreters, IX_SRC_FILE);
	assert_int_equal(c.ninterpreters, 5);
	ix_config_interpreters(&c, list);
	assert_string_equal(list[0], "myscript-runner");
	assert_string_equal(list[1], "ruby3.1");
	assert_string_equal(list[2], "node18");
	assert_string_equal(list[3], "pwsh");
	assert_string_equal(list[4], "c++");
	assert_null(list[5]);
	/* the environment replaces the file's list, a flag the environment's */
	setenv("IXKIT_POLICY_INTERPRETERS", "myrunner", 1);
	assert_int_equal(ix_config_load(&c, NULL, &e), 0);
	assert_int_equal(c.src_policy_interpreters, IX_SRC_ENV);
	assert_int_equal(c.ninterpreters, 1);
	assert_string_equal(ix_config_interpreters(&c, list)[0], "myrunner");
	assert_null(list[1]);
	assert_int_equal(ix_config_load(&c, &f, &e), 0);
	assert_int_equal(c.src_policy_interpreters, IX_SRC_FLAG);
	assert_int_equal(c.ninterpreters, 1);
	assert_string_equal(c.interpreters[0], "tclsh8.6");
	unsetenv("IXKIT_POLICY_INTERPRETERS");
}

static void
policy_interpreters_refuse_what_is_not_a_program_name(void **state)
{
	struct ix_config c = { 0 };
	struct ix_err e;
	char long_name[IX_INTERPRETER_NAME_MAX + 2], text[200];

	(void)state;
	write_conf("policy_interpreters = ruby /usr/bin/ruby\n");
	assert_int_equal(ix_config_load(&c, NULL, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_non_null(strstr(e.msg, "ixkit.conf:1:23: policy_interpreters: '/usr/bin/ruby' is "
			       "not a program name"));
	setenv("IXKIT_POLICY_INTERPRETERS", "sh;id", 1);
	write_conf("db = /x.db\n");
	assert_int_equal(ix_config_load(&c, NULL, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_non_null(strstr(e.msg, "IXKIT_POLICY_INTERPRETERS: policy_interpreters: 'sh;id'"));
	setenv("IXKIT_POLICY_INTERPRETERS", "node ..", 1);
	assert_int_equal(ix_config_load(&c, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "'..' is not a program name"));
	unsetenv("IXKIT_POLICY_INTERPRETERS");
	/* 64 bytes is a name, 65 is not */
	memset(long_name, 'r', sizeof long_name - 1);
	long_name[IX_INTERPRETER_NAME_MAX] = '\0';
	snprintf(text, sizeof text, "policy_interpreters = %s\n", long_name);
	assert_int_equal(ix_config_parse(&c, "f", text, strlen(text), &e), 0);
	assert_int_equal(c.ninterpreters, 1);
	long_name[IX_INTERPRETER_NAME_MAX] = 'r';
	long_name[IX_INTERPRETER_NAME_MAX + 1] = '\0';
	snprintf(text, sizeof text, "db = /y\npolicy_interpreters = %s\n", long_name);
	assert_int_equal(ix_config_parse(&c, "f", text, strlen(text), &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_non_null(strstr(e.msg, "f:2:23: policy_interpreters: 'rrrrrrrrrrrrrrrr...' is "
			       "longer than 64 bytes"));
	/* nothing of the failed file applied: the earlier list stands */
	assert_int_equal(c.ninterpreters, 1);
	assert_int_equal(strlen(c.interpreters[0]), IX_INTERPRETER_NAME_MAX);
	assert_string_not_equal(c.db, "/y");
}

static void
policy_interpreters_name_at_most_64_programs(void **state)
{
	struct ix_config c = { 0 };
	struct ix_err e;
	char text[IX_INTERPRETERS_MAX * 8 + 64];
	size_t o;

	(void)state;
	o = (size_t)snprintf(text, sizeof text, "policy_interpreters =");
	for (int i = 0; i < IX_INTERPRETERS_MAX; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, " p%d", i);
	assert_int_equal(ix_config_parse(&c, "f", text, o, &e), 0);
	assert_int_equal(c.ninterpreters, IX_INTERPRETERS_MAX);
	assert_string_equal(c.interpreters[IX_INTERPRETERS_MAX - 1], "p63");
	o += (size_t)snprintf(text + o, sizeof text - o, ",p64");
	assert_int_equal(ix_config_parse(&c, "f", text, o, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_non_null(strstr(e.msg, "f:1:23: policy_interpreters names more than 64 programs"));
	assert_int_equal(c.ninterpreters, IX_INTERPRETERS_MAX);
}

/* ---- compartment_uids: the range sealed compartments' uids come from ---- */

static void
compartment_uids_default_to_libcompart_s_range(void **state)
{
	struct ix_config c;
	struct ix_err e;

	(void)state;
	write_conf("db = /x.db\n");
	assert_int_equal(ix_config_load(&c, NULL, &e), 0);
	assert_string_equal(c.compartment_uids, "");
	assert_int_equal(c.compart_uid_min, 0);
	assert_int_equal(c.compart_uid_max, 0);
	assert_int_equal(c.src_compartment_uids, IX_SRC_DEFAULT);
}

static void
compartment_uids_from_file_then_environment(void **state)
{
	struct ix_config c;
	struct ix_err e;

	(void)state;
	write_conf("compartment_uids = 3000000000-3000009999\n");
	assert_int_equal(ix_config_load(&c, NULL, &e), 0);
	assert_int_equal(c.src_compartment_uids, IX_SRC_FILE);
	assert_int_equal(c.compart_uid_min, 3000000000u);
	assert_int_equal(c.compart_uid_max, 3000009999u);
	setenv("IXKIT_COMPARTMENT_UIDS", "70000-70000", 1);
	assert_int_equal(ix_config_load(&c, NULL, &e), 0);
	assert_int_equal(c.src_compartment_uids, IX_SRC_ENV);
	assert_int_equal(c.compart_uid_min, 70000);
	assert_int_equal(c.compart_uid_max, 70000);
	unsetenv("IXKIT_COMPARTMENT_UIDS");
}

static void
compartment_uids_refuse_what_is_not_a_range_without_0(void **state)
{
	static const char *const bad[] = {
		"10", "0-5", "-5-6", "5-", "1-2x", " 1-2-3", "1-4294967294", "1-4294967295",
		"12345678901-12345678902", "0x10-0x20", "+1-2",
	};
	struct ix_config c = { 0 };
	struct ix_err e;
	char text[128];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, "db = /y\ncompartment_uids = %s\n", bad[i]);
		assert_int_equal(ix_config_parse(&c, "f", text, strlen(text), &e), -1);
		assert_int_equal(e.code, IX_EINVAL);
		assert_non_null(strstr(e.msg, "f:2:"));
		assert_non_null(strstr(e.msg, "compartment_uids must be MIN-MAX"));
	}
	snprintf(text, sizeof text, "compartment_uids = 5-1\n");
	assert_int_equal(ix_config_parse(&c, "f", text, strlen(text), &e), -1);
	assert_non_null(strstr(e.msg, "f:1:20: compartment_uids '5-1' ends below its start"));
	/* nothing of a refused file applied */
	assert_int_equal(c.compart_uid_min, 0);
	assert_string_not_equal(c.db, "/y");
	snprintf(text, sizeof text, "compartment_uids = 1-4294967293\n");
	assert_int_equal(ix_config_parse(&c, "f", text, strlen(text), &e), 0);
	assert_int_equal(c.compart_uid_max, IX_CONFIG_UID_TOP);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_apply_without_file),
		cmocka_unit_test(flag_beats_env_beats_file),
		cmocka_unit_test(server_users_come_from_file_env_or_flag),
		cmocka_unit_test(unknown_key_is_rejected_with_line),
		cmocka_unit_test(line_without_equals_is_rejected),
		cmocka_unit_test(repeated_key_is_rejected),
		cmocka_unit_test(parser_refuses_nul_and_long_lines_and_applies_nothing),
		cmocka_unit_test(empty_value_is_rejected),
		cmocka_unit_test(named_file_must_exist),
		cmocka_unit_test(group_writable_file_is_refused_for_root),
		cmocka_unit_test(nul_byte_is_rejected),
		cmocka_unit_test(policy_interpreters_default_to_none),
		cmocka_unit_test(policy_interpreters_split_on_blanks_and_commas_last_source_wins),
		cmocka_unit_test(policy_interpreters_refuse_what_is_not_a_program_name),
		cmocka_unit_test(policy_interpreters_name_at_most_64_programs),
		cmocka_unit_test(compartment_uids_default_to_libcompart_s_range),
		cmocka_unit_test(compartment_uids_from_file_then_environment),
		cmocka_unit_test(compartment_uids_refuse_what_is_not_a_range_without_0),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
