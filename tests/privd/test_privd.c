/* privd's pure parts: a decision's plan turned into the steps privd
 * carries out and the identity its EXEC runs as (privd/act.c), and the
 * listing of priv -l (privd/list.c). What a step may do is the plan's,
 * judged by libauthtree (tests/libauthtree/test_plan.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <cmocka.h>

#include "libauthtree/action.h"
#include "libauthtree/plan.h"
#include "libauthtree/policy.h"
#include "privd/server.h"

static const char policy_text[] =
	"ixkit-policy 1\n"
	"right probe plain\n"
	"right downgrade label\n"
	"level unclassified\n"
	"level secret\n"
	"category projectbit 0\n"
	"category otherbit 1\n"
	"node /\n\tpredicate NONE\n\trights ALL\n"
	"node /svc\n\tpredicate ID(svc)\n\trights probe\n"
	"node /pat\n\tpredicate ID(pat) & PW(pat)\n\trights downgrade(projectbit)\n"
	"node /console\n\tpredicate SRC(/dev/tty[0-9]+)\n\trights probe\n"
	"rule probe\n\ttemplate probe\n\tneed probe\n\taction EXEC(/usr/bin/true)\n"
	"rule down\n\ttemplate down (\\S+) (\\S+)\n\tneed downgrade($1)\n\taction DOWNGRADE($2, $1)\n";

static struct ix_policy *pol;

static int
setup(void **state)
{
	struct ix_err e;

	if (ix_policy_parse("test", policy_text, sizeof policy_text - 1, NULL, &pol, &e) != 0)
		fail_msg("policy: %s", e.msg);
	return 0;
}

static int
teardown(void **state)
{
	ix_policy_free(pol);
	return 0;
}

/* The action of text with captures caps[1..n] ($1...). */
static struct ix_action *
action(const char *text, const char *const *caps, size_t ncaps)
{
	struct ix_action_tmpl *t;
	struct ix_action *a;
	struct ix_err e;

	if (ix_action_parse(pol->enc, text, strlen(text), (int)ncaps - 1, &t, &e) != 0)
		fail_msg("'%s': %s", text, e.msg);
	if (ix_action_subst(t, pol->enc, caps, ncaps, &a, &e) != 0)
		fail_msg("'%s': %s", text, e.msg);
	ix_action_tmpl_free(t);
	return a;
}

/* The plan of action text with captures caps[1..n] ($1...), granted
 * nothing (act.c never looks at the grant). */
struct planned {
	struct ix_action *a;
	struct ix_plan plan;
};

static struct planned *
planned(const char *text, const char *const *caps, size_t ncaps)
{
	struct planned *pl = calloc(1, sizeof *pl);
	struct ix_err e;

	assert_non_null(pl);
	pl->a = action(text, caps, ncaps);
	if (ix_plan_build(pol, pl->a, ix_rights_new(pol->decls), ix_rights_new(pol->decls),
			  &pl->plan, &e) < 0)
		fail_msg("plan of '%s': %s", text, e.msg);
	return pl;
}

static void
planned_free(struct planned *pl)
{
	ix_plan_free(&pl->plan);
	ix_action_free(pl->a);
	free(pl);
}

static void
build_refused(const char *text, enum ix_errcode code, const char *msg)
{
	static const char *const caps[] = { "x" };
	struct planned *pl = planned(text, caps, 1);
	struct privd_act act;
	struct ix_err e = { 0 };

	assert_int_equal(privd_act_build(&pl->plan, "nobody", &act, &e), -1);
	assert_int_equal(e.code, code);
	assert_string_equal(e.msg, msg);
	planned_free(pl);
}

static void
act_takes_argv_env_caps_and_user_exactly(void **state)
{
	static const char *const caps[] = { "probe one two", "one two" };
	struct planned *pl = planned("PRIV(net_bind_service, sys_time), AS(daemon), "
				     "ENV(A, \"b c\"), ENV(B, x), EXEC(/bin/echo, $1, z)", caps, 2);
	struct passwd *pw = getpwnam("daemon");
	struct privd_act act;
	struct ix_err e;

	assert_non_null(pw);
	assert_int_equal(privd_act_build(&pl->plan, "nobody", &act, &e), 0);
	assert_non_null(act.exec);
	assert_string_equal(act.exec->argv[0], "/bin/echo");
	assert_string_equal(act.exec->argv[1], "one two");	/* one argument, never re-split */
	assert_string_equal(act.exec->argv[2], "z");
	assert_null(act.exec->argv[3]);
	assert_int_equal(act.exec->nenv, 2);
	assert_string_equal(act.exec->envp[0], "A=b c");
	assert_string_equal(act.exec->envp[1], "B=x");
	assert_null(act.exec->envp[2]);
	assert_int_equal(act.exec->caps, (1ull << 10) | (1ull << 25));
	assert_int_equal(act.ids.uid, pw->pw_uid);
	assert_int_equal(act.ids.gid, pw->pw_gid);
	assert_string_equal(act.user, "daemon");
	assert_false(act.exec->has_ceiling);
	privd_act_free(&act);
	planned_free(pl);
}

static void
act_defaults_to_the_action_user_no_caps_empty_env(void **state)
{
	static const char *const caps[] = { "x" };
	struct planned *pl = planned("EXEC(/usr/bin/true)", caps, 1);
	struct passwd *pw = getpwnam("nobody");
	struct privd_act act;
	struct ix_err e;

	assert_non_null(pw);
	assert_int_equal(privd_act_build(&pl->plan, "nobody", &act, &e), 0);
	assert_int_equal(act.ids.uid, pw->pw_uid);
	assert_int_equal(act.exec->caps, 0);
	assert_int_equal(act.exec->nenv, 0);
	assert_null(act.exec->envp[0]);
	privd_act_free(&act);
	planned_free(pl);
}

static void
act_ceiling_gives_a_compartment_label(void **state)
{
	static const char *const caps[] = { "x" };
	struct planned *pl = planned("CEILING(secret:projectbit), EXEC(/usr/bin/true)", caps, 1);
	struct privd_act act;
	struct ix_label want;
	struct ix_err e;

	assert_int_equal(ix_label_parse(pol->enc, "secret:projectbit", 17, &want, &e), 0);
	assert_int_equal(privd_act_build(&pl->plan, "nobody", &act, &e), 0);
	assert_true(act.exec->has_ceiling);
	assert_true(ix_label_eq(&act.exec->ceiling, &want));
	privd_act_free(&act);
	planned_free(pl);
}

static void
act_refuses_what_privd_cannot_carry_out(void **state)
{
	build_refused("EDIT(/a), EDIT(/b)", IX_EINVAL, "the action has more than one EDIT");
	build_refused("PRIV(downgrade), EXEC(/usr/bin/true)", IX_EINVAL,
		      "PRIV: 'downgrade' is an ixkit privilege, not one a program can be given");
	build_refused("AS(no-such-user-here), EXEC(/usr/bin/true)", IX_ENOENT,
		      "the action's user 'no-such-user-here' does not exist");
}

static void
act_lists_its_steps_in_the_actions_order(void **state)
{
	static const char *const caps[] = { "x" };
	struct planned *pl = planned("DOWNGRADE(report, projectbit), AS(daemon), "
				     "EXEC(/usr/bin/true), EDIT(/pat), LABEL(/tmp/x, secret)", caps, 1);
	struct privd_act act;
	struct ix_err e;

	assert_int_equal(privd_act_build(&pl->plan, "nobody", &act, &e), 0);
	assert_int_equal(act.nsteps, 4);
	assert_int_equal(act.steps[0].step->kind, IX_STEP_DOWNGRADE);
	assert_int_equal(act.steps[1].step->kind, IX_STEP_EXEC);
	assert_int_equal(act.steps[2].step->kind, IX_STEP_EDIT);
	assert_int_equal(act.steps[3].step->kind, IX_STEP_LABEL);
	for (size_t i = 0; i < act.nsteps; i++) {
		assert_int_equal(act.steps[i].index, i);	/* the plan's numbering */
		assert_int_equal(act.steps[i].fd, -1);	/* opened only by the monitor */
	}
	assert_non_null(act.exec);
	assert_string_equal(act.user, "daemon");
	assert_string_equal(act.steps[2].step->edit.subtree, "/pat");
	privd_act_free(&act);
	planned_free(pl);
}

/* The two-person install's steps: each a step of its own, in order, its
 * names told apart into capabilities and roles by the plan. */
static void
act_carries_copy_and_licence_steps(void **state)
{
	static const char *const caps[] = { "x" };
	struct planned *pl = planned("REQUIRE(new/p, sysadmin, secadmin), UNLICENSE(/usr/bin/p), "
				     "COPY(new/p, /usr/bin/p), LICENSE(/usr/bin/p, net_raw, qa), "
				     "UNLICENSE(new/p, qa)", caps, 1);
	static const enum ix_step_kind want[] = { IX_STEP_REQUIRE, IX_STEP_UNLICENSE,
						  IX_STEP_COPY, IX_STEP_LICENSE,
						  IX_STEP_UNLICENSE };
	struct privd_act act;
	struct ix_err e;

	(void)state;
	assert_int_equal(privd_act_build(&pl->plan, "no-such-user-here", &act, &e), 0);
	assert_int_equal(act.nsteps, 5);
	for (size_t i = 0; i < act.nsteps; i++) {
		assert_int_equal(act.steps[i].step->kind, want[i]);
		assert_int_equal(act.steps[i].fd, -1);
		assert_int_equal(act.steps[i].dir_fd, -1);
	}
	assert_int_equal(act.steps[0].step->license.nroles, 2);
	assert_int_equal(act.steps[1].step->license.nnames, 0);	/* every licence */
	assert_int_equal(act.steps[3].step->license.caps, UINT64_C(1) << 13);	/* CAP_NET_RAW */
	assert_int_equal(act.steps[3].step->license.nroles, 1);
	assert_string_equal(act.steps[3].step->license.roles[0], "qa");
	privd_act_free(&act);
	planned_free(pl);
}

static void
act_without_exec_needs_no_action_user(void **state)
{
	static const char *const caps[] = { "x" };
	struct planned *pl = planned("DOWNGRADE(report, projectbit)", caps, 1);
	struct privd_act act;
	struct ix_err e;

	assert_int_equal(privd_act_build(&pl->plan, "no-such-user-here", &act, &e), 0);
	assert_null(act.exec);
	assert_int_equal(act.nsteps, 1);
	privd_act_free(&act);
	planned_free(pl);
}

static char *
list(const char *login, const char *src)
{
	struct ix_err e;
	char *t = privd_list(pol, login, src, &e);

	if (t == NULL)
		fail_msg("privd_list: %s", e.msg);
	return t;
}

static void
list_shows_only_rules_within_reach(void **state)
{
	char *t = list("svc", "pipe");

	assert_non_null(strstr(t, "\nprobe\n  rule probe, needs probe\n  action EXEC(/usr/bin/true)\n"
				  "  granted by /svc (no password)\n"));
	assert_null(strstr(t, "down"));
	free(t);
	t = list("nobody", "pipe");
	assert_non_null(strstr(t, "none: no node you can reach"));
	free(t);
}

static void
list_names_passwords_and_streams(void **state)
{
	char *t = list("pat", "/dev/tty1");

	assert_non_null(strstr(t, "  granted by /pat (password of pat)\n"));
	assert_non_null(strstr(t, "  granted by /console (no password) (only from a stream its SRC names)\n"));
	free(t);
	t = list("pat", "pipe");
	assert_null(strstr(t, "/console"));	/* out of reach from a pipe */
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(act_takes_argv_env_caps_and_user_exactly),
		cmocka_unit_test(act_defaults_to_the_action_user_no_caps_empty_env),
		cmocka_unit_test(act_ceiling_gives_a_compartment_label),
		cmocka_unit_test(act_refuses_what_privd_cannot_carry_out),
		cmocka_unit_test(act_lists_its_steps_in_the_actions_order),
		cmocka_unit_test(act_carries_copy_and_licence_steps),
		cmocka_unit_test(act_without_exec_needs_no_action_user),
		cmocka_unit_test(list_shows_only_rules_within_reach),
		cmocka_unit_test(list_names_passwords_and_streams),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
