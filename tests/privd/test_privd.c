/* privd's pure parts: a decided action turned into the context-free
 * exec's inputs (privd/act.c) and the listing of priv -l (privd/list.c). */
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

	if (ix_policy_parse("test", policy_text, sizeof policy_text - 1, &pol, &e) != 0)
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

static void
build_refused(const char *text, enum ix_errcode code, const char *msg)
{
	static const char *const caps[] = { "x" };
	struct ix_action *a = action(text, caps, 1);
	struct privd_act act;
	struct ix_err e = { 0 };

	assert_int_equal(privd_act_build(a, "nobody", &act, &e), -1);
	assert_int_equal(e.code, code);
	assert_string_equal(e.msg, msg);
	ix_action_free(a);
}

static void
act_takes_argv_env_caps_and_user_exactly(void **state)
{
	static const char *const caps[] = { "probe one two", "one two" };
	struct ix_action *a = action("PRIV(net_bind_service, sys_time), AS(daemon), "
				     "ENV(A, \"b c\"), ENV(B, x), EXEC(/bin/echo, $1, z)", caps, 2);
	struct passwd *pw = getpwnam("daemon");
	struct privd_act act;
	struct ix_err e;

	assert_non_null(pw);
	assert_int_equal(privd_act_build(a, "nobody", &act, &e), 0);
	assert_string_equal(act.argv[0], "/bin/echo");
	assert_string_equal(act.argv[1], "one two");	/* one argument, never re-split */
	assert_string_equal(act.argv[2], "z");
	assert_null(act.argv[3]);
	assert_int_equal(act.nenv, 2);
	assert_string_equal(act.envp[0], "A=b c");
	assert_string_equal(act.envp[1], "B=x");
	assert_null(act.envp[2]);
	assert_int_equal(act.caps, (1ull << 10) | (1ull << 25));
	assert_int_equal(act.ids.uid, pw->pw_uid);
	assert_int_equal(act.ids.gid, pw->pw_gid);
	assert_string_equal(act.user, "daemon");
	assert_false(act.has_ceiling);
	privd_act_free(&act);
	ix_action_free(a);
}

static void
act_defaults_to_the_action_user_no_caps_empty_env(void **state)
{
	static const char *const caps[] = { "x" };
	struct ix_action *a = action("EXEC(/usr/bin/true)", caps, 1);
	struct passwd *pw = getpwnam("nobody");
	struct privd_act act;
	struct ix_err e;

	assert_non_null(pw);
	assert_int_equal(privd_act_build(a, "nobody", &act, &e), 0);
	assert_int_equal(act.ids.uid, pw->pw_uid);
	assert_int_equal(act.caps, 0);
	assert_int_equal(act.nenv, 0);
	assert_null(act.envp[0]);
	privd_act_free(&act);
	ix_action_free(a);
}

static void
act_ceiling_gives_a_compartment_label(void **state)
{
	static const char *const caps[] = { "x" };
	struct ix_action *a = action("CEILING(secret:projectbit), EXEC(/usr/bin/true)", caps, 1);
	struct privd_act act;
	struct ix_label want;
	struct ix_err e;

	assert_int_equal(ix_label_parse(pol->enc, "secret:projectbit", 17, &want, &e), 0);
	assert_int_equal(privd_act_build(a, "nobody", &act, &e), 0);
	assert_true(act.has_ceiling);
	assert_true(ix_label_eq(&act.ceiling, &want));
	privd_act_free(&act);
	ix_action_free(a);
}

static void
act_refuses_what_privd_cannot_carry_out(void **state)
{
	build_refused("COPY(a, /tmp/b)", IX_EINVAL,
		      "COPY actions are not carried out by this privd yet");
	build_refused("LICENSE(a, x)", IX_EINVAL,
		      "LICENSE actions are not carried out by this privd yet");
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
	struct ix_action *a = action("DOWNGRADE(report, projectbit), AS(daemon), "
				     "EXEC(/usr/bin/true), EDIT(/pat), LABEL(/tmp/x, secret)", caps, 1);
	struct privd_act act;
	struct ix_err e;

	assert_int_equal(privd_act_build(a, "nobody", &act, &e), 0);
	assert_int_equal(act.nsteps, 4);
	assert_int_equal(act.steps[0].prim->kind, IX_A_DOWNGRADE);
	assert_int_equal(act.steps[1].prim->kind, IX_A_EXEC);
	assert_int_equal(act.steps[2].prim->kind, IX_A_EDIT);
	assert_int_equal(act.steps[3].prim->kind, IX_A_LABEL);
	for (size_t i = 0; i < act.nsteps; i++)
		assert_int_equal(act.steps[i].fd, -1);	/* opened only by the worker */
	assert_true(act.exec);
	assert_string_equal(act.user, "daemon");
	assert_string_equal(act.edit_subtree, "/pat");
	privd_act_free(&act);
	ix_action_free(a);
}

static void
act_without_exec_needs_no_action_user(void **state)
{
	static const char *const caps[] = { "x" };
	struct ix_action *a = action("DOWNGRADE(report, projectbit)", caps, 1);
	struct privd_act act;
	struct ix_err e;

	assert_int_equal(privd_act_build(a, "no-such-user-here", &act, &e), 0);
	assert_false(act.exec);
	assert_int_equal(act.nsteps, 1);
	assert_null(act.edit_subtree);
	privd_act_free(&act);
	ix_action_free(a);
}

static struct ix_label
lab(const char *text)
{
	struct ix_label l;
	struct ix_err e;

	if (ix_label_parse(pol->enc, text, strlen(text), &l, &e) != 0)
		fail_msg("label '%s': %s", text, e.msg);
	return l;
}

/* The rights of the one node at path, as a decision granted by it. */
static struct ix_rights *
granted_by(const char *path)
{
	size_t n = (size_t)ix_policy_find_node(pol, path);
	struct ix_rights *r;
	struct ix_err e;

	assert_true(ix_policy_find_node(pol, path) >= 0);
	r = privd_granted(pol, &n, 1, &e);
	if (r == NULL)
		fail_msg("privd_granted: %s", e.msg);
	return r;
}

/* Runs the label step of action text (captures "x") on a file labelled
 * before ("" for none), granted by node path; returns its result. */
static int
step(const char *text, const char *path, const char *before, struct ix_label *after,
     struct ix_err *e)
{
	static const char *const caps[] = { "x" };
	struct ix_action *a = action(text, caps, 1);
	struct ix_rights *g = granted_by(path);
	struct ix_label b = before[0] ? lab(before) : lab("unclassified");
	int rc = privd_step_label(&a->prims[0], pol, g, "report", before[0] != '\0', &b, after, e);

	ix_rights_free(g);
	ix_action_free(a);
	return rc;
}

static void
step_downgrade_removes_exactly_its_category(void **state)
{
	struct ix_label after, want = lab("secret:otherbit");
	struct ix_err e;

	assert_int_equal(step("DOWNGRADE(report, projectbit)", "/pat", "secret:projectbit,otherbit",
			      &after, &e), 0);
	assert_true(ix_label_eq(&after, &want));
}

static void
step_downgrade_beyond_the_granted_right_is_refused(void **state)
{
	struct ix_label after;
	struct ix_err e;

	/* /pat holds downgrade(projectbit) only: a rule that asked for less
	 * than its action does cannot take otherbit away. */
	assert_int_equal(step("DOWNGRADE(report, otherbit)", "/pat", "secret:projectbit,otherbit",
			      &after, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_string_equal(e.msg, "report: removing category otherbit needs downgrade(otherbit), "
			    "which the granting nodes do not give");
	assert_int_equal(step("DOWNGRADE(report, projectbit)", "/svc", "secret:projectbit",
			      &after, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
}

static void
step_downgrade_of_a_category_not_carried_is_an_error(void **state)
{
	struct ix_label after;
	struct ix_err e;

	assert_int_equal(step("DOWNGRADE(report, projectbit)", "/pat", "secret:otherbit", &after,
			      &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_string_equal(e.msg, "report does not carry category projectbit: nothing to downgrade");
	assert_int_equal(step("DOWNGRADE(report, projectbit)", "/pat", "", &after, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_string_equal(e.msg, "report carries no label: there is no category projectbit to remove");
}

static void
step_label_may_raise_but_lowers_only_within_the_right(void **state)
{
	struct ix_label after, want = lab("secret:projectbit");
	struct ix_err e;

	assert_int_equal(step("LABEL(report, secret:projectbit)", "/svc", "", &after, &e), 0);
	assert_true(ix_label_eq(&after, &want));
	assert_int_equal(step("LABEL(report, secret:projectbit)", "/svc", "unclassified", &after,
			      &e), 0);
	/* Down from secret: downgrade(projectbit) is at the lowest level. */
	assert_int_equal(step("LABEL(report, unclassified:projectbit)", "/pat", "secret:projectbit",
			      &after, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_string_equal(e.msg, "report: lowering its level from secret needs a downgrade right "
			    "at that level, which the granting nodes do not give");
	assert_int_equal(step("LABEL(report, secret)", "/pat", "secret:projectbit", &after, &e), 0);
	assert_int_equal(step("LABEL(report, secret)", "/pat", "secret:otherbit", &after, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
}

static void
step_label_unbounded_when_the_policy_has_no_downgrade_right(void **state)
{
	static const char text[] =
		"ixkit-policy 1\nright probe plain\nlevel low\nlevel high\ncategory c 0\n"
		"node /\n\tpredicate NONE\n\trights ALL\n"
		"node /u\n\tpredicate ID(u)\n\trights probe\n";
	static const char *const caps[] = { "x" };
	struct ix_policy *q;
	struct ix_action_tmpl *t;
	struct ix_action *a;
	struct ix_rights *g;
	struct ix_label before, after;
	size_t n;
	struct ix_err e;

	assert_int_equal(ix_policy_parse("q", text, sizeof text - 1, &q, &e), 0);
	assert_int_equal(ix_action_parse(q->enc, "LABEL(f, low)", 13, 0, &t, &e), 0);
	assert_int_equal(ix_action_subst(t, q->enc, caps, 1, &a, &e), 0);
	assert_int_equal(ix_label_parse(q->enc, "high:c", 6, &before, &e), 0);
	n = (size_t)ix_policy_find_node(q, "/u");
	g = privd_granted(q, &n, 1, &e);
	assert_non_null(g);
	/* The rule's need is the only bound: no right to check against. */
	assert_int_equal(privd_step_label(&a->prims[0], q, g, "f", true, &before, &after, &e), 0);
	assert_int_equal(after.level, 0);
	ix_rights_free(g);
	ix_action_free(a);
	ix_action_tmpl_free(t);
	ix_policy_free(q);
}

static void
edit_must_fit_the_actions_subtree(void **state)
{
	static const char *const caps[] = { "x" };
	struct ix_action *a = action("EDIT(/projects/projectbit)", caps, 1);
	struct ix_action *b = action("DOWNGRADE(report, projectbit)", caps, 1);
	struct ix_edit in = { IX_EDIT_ADD, "/projects/projectbit/team", "ID(x)", "probe" };
	struct ix_edit top = { IX_EDIT_RIGHTS, "/projects/projectbit", NULL, "probe" };
	struct ix_edit prefix = { IX_EDIT_REMOVE, "/projects/projectbitx", NULL, NULL };
	struct ix_edit up = { IX_EDIT_REMOVE, "/projects", NULL, NULL };
	struct privd_act act, other;
	struct ix_err e;

	assert_int_equal(privd_act_build(a, "nobody", &act, &e), 0);
	assert_int_equal(privd_act_build(b, "nobody", &other, &e), 0);
	assert_int_equal(privd_edit_fits(&act, &in, &e), 0);
	assert_int_equal(privd_edit_fits(&act, &top, &e), 0);	/* the node itself */
	assert_int_equal(privd_edit_fits(&act, &prefix, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_string_equal(e.msg, "node /projects/projectbitx is outside the subtree "
			    "/projects/projectbit this request may edit");
	assert_int_equal(privd_edit_fits(&act, &up, &e), -1);
	assert_int_equal(privd_edit_fits(&act, NULL, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_non_null(strstr(e.msg, "the request carries no edit"));
	assert_int_equal(privd_edit_fits(&other, &in, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_string_equal(e.msg, "the request carries an edit, but its action has no EDIT: "
			    "nothing would apply it");
	assert_int_equal(privd_edit_fits(&other, NULL, &e), 0);
	privd_act_free(&act);
	privd_act_free(&other);
	ix_action_free(a);
	ix_action_free(b);
}

static void
edit_block_fields_are_validated(void **state)
{
	struct ix_edit ok[] = {
		{ IX_EDIT_ADD, "/a/b", "ID(x)", "probe" },
		{ IX_EDIT_REMOVE, "/a/b", NULL, NULL },
		{ IX_EDIT_PREDICATE, "/a", "ID(y)", NULL },
		{ IX_EDIT_RIGHTS, "/a", NULL, "NONE" },
	};
	struct ix_edit bad[] = {
		{ IX_EDIT_ADD, "/a/b", "ID(x)", NULL },
		{ IX_EDIT_REMOVE, "/a/b", "ID(x)", NULL },
		{ IX_EDIT_PREDICATE, "/a", NULL, "probe" },
		{ IX_EDIT_RIGHTS, "/a", "ID(x)", "probe" },
		{ IX_EDIT_REMOVE, "a/b", NULL, NULL },
		{ IX_EDIT_REMOVE, "/a/../b", NULL, NULL },
		{ (enum ix_edit_op)7, "/a", NULL, NULL },
		{ IX_EDIT_PREDICATE, "/a", "ID(x\033[2Ky)", NULL },
		{ IX_EDIT_RIGHTS, "/a", NULL, "probe\r" },
	};
	struct ix_err e;

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		assert_int_equal(privd_edit_valid(&ok[i], &e), 0);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(privd_edit_valid(&bad[i], &e), -1);
		assert_true(e.code == IX_EINVAL || e.code == IX_ELIMIT);
	}
	assert_int_equal(privd_edit_valid(&bad[0], &e), -1);
	assert_string_equal(e.msg, "edit add /a/b takes a predicate and rights");
	assert_int_equal(privd_edit_valid(&bad[7], &e), -1);
	assert_string_equal(e.msg, "the edit's predicate has a control character at byte 5");
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
		cmocka_unit_test(act_without_exec_needs_no_action_user),
		cmocka_unit_test(step_downgrade_removes_exactly_its_category),
		cmocka_unit_test(step_downgrade_beyond_the_granted_right_is_refused),
		cmocka_unit_test(step_downgrade_of_a_category_not_carried_is_an_error),
		cmocka_unit_test(step_label_may_raise_but_lowers_only_within_the_right),
		cmocka_unit_test(step_label_unbounded_when_the_policy_has_no_downgrade_right),
		cmocka_unit_test(edit_must_fit_the_actions_subtree),
		cmocka_unit_test(edit_block_fields_are_validated),
		cmocka_unit_test(list_shows_only_rules_within_reach),
		cmocka_unit_test(list_names_passwords_and_streams),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
