/* A decision is a plan (plan.h): the typed steps of each primitive with
 * their preconditions, the granted and held rights, and the judges of the
 * facts a server observes later (ix_judge_label, ix_judge_edit), with their
 * acceptances and their refusals' messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "libauthtree/eval.h"
#include "libauthtree/plan.h"
#include "tests/libauthtree/test_policy_util.h"

#define HEAD \
	"ixkit-policy 1\n" \
	"right op plain\n" \
	"right down label\n" \
	"right edit regex\n" \
	"right secadmin plain\n"
#define RELABEL "relabel down\n"
#define BODY \
	"level low\nlevel mid\nlevel high\n" \
	"category a 0\ncategory b 1\ncategory c 2\n" \
	"node /\n\tpredicate ID(root)\n\trights ALL\n" \
	"node /p\n\tpredicate ID(pat)\n\trights op | down(mid:a) | edit(/p(/.*)?)\n" \
	"node /q\n\tpredicate ID(pat) & SRC(/dev/console)\n\trights down(b)\n" \
	"rule run\n\ttemplate run (\\S+)\n\tneed op\n" \
	"\taction ENV(A, 1), PRIV(net_admin, downgrade), EXEC(/bin/prog, --x, $1), " \
	"CEILING(mid:a), ENV(B, \"two words\"), AS(nobody)\n" \
	"rule bare\n\ttemplate bare\n\tneed op\n\taction EXEC(/bin/true)\n" \
	"rule relabel\n\ttemplate relabel (\\S+) (\\S+)\n\tneed op\n\taction LABEL($2, $1)\n" \
	"rule down\n\ttemplate down (\\S+) (\\S+)\n\tneed down($1)\n\taction DOWNGRADE($2, $1)\n" \
	"rule edit\n\ttemplate edit (\\S+)\n\tneed edit($1)\n\taction EDIT($1)\n" \
	"rule copy\n\ttemplate copy (\\S+) (\\S+)\n\tneed op\n" \
	"\taction COPY($1, $2), LICENSE($2, install, approved)\n" \
	"rule mark\n\ttemplate mark (\\S+) (\\S+)\n\tneed op\n" \
	"\taction LICENSE($2, net_raw, $1), UNLICENSE($2), UNLICENSE($2, $1)\n" \
	"rule all\n\ttemplate all\n\tneed op\n" \
	"\taction LABEL(f, low), EXEC(/bin/x), DOWNGRADE(g, a), EDIT(/p)\n" \
	"rule free\n\ttemplate free\n\tneed NONE\n\taction EXEC(/bin/true)\n"

static const char policy_text[] = HEAD RELABEL BODY;
static const char unbounded_text[] = HEAD BODY;	/* no relabel line */

static struct ix_policy *pol, *unbounded;

static int
setup(void **state)
{
	(void)state;
	pol = tp_parse("plan.policy", policy_text);
	unbounded = tp_parse("unbounded.policy", unbounded_text);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ix_policy_free(pol);
	ix_policy_free(unbounded);
	return 0;
}

static void
decide(const struct ix_policy *p, const char *login, const char *src, const char *text,
       struct ix_decision *d)
{
	struct ix_request rq = { login, 1000, src, text, NULL, NULL };
	struct ix_err e = { 0 };

	if (ix_decide(p, &rq, d, &e) != 0)
		fail_msg("ix_decide('%s' by %s): %s", text, login, e.msg);
	if (!d->allow)
		fail_msg("'%s' by %s refused: %s", text, login, d->explanation);
}

static struct ix_label
label(const char *text)
{
	struct ix_label l;
	struct ix_err e;

	if (ix_label_parse(pol->enc, text, strlen(text), &l, &e) != 0)
		fail_msg("label %s: %s", text, e.msg);
	return l;
}

static void
assert_label(const struct ix_label *l, const char *want)
{
	char buf[IX_LABEL_TEXT_MAX];
	struct ix_err e;

	assert_true(ix_label_print(pol->enc, l, buf, sizeof buf, &e) > 0);
	assert_string_equal(buf, want);
}

static void
assert_rights(const struct ix_rights *r, const char *want)
{
	struct ix_err e;
	char *s = ix_rights_print(r, &e);

	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

/* ---- the steps of each primitive ---- */

static void
plan_exec_folds_its_modifiers_into_one_step(void **state)
{
	struct ix_decision d;
	const struct ix_step_exec *x;

	(void)state;
	decide(pol, "pat", "/dev/pts/3", "run hello", &d);
	assert_int_equal(d.plan.nsteps, 1);
	assert_int_equal(d.plan.steps[0].kind, IX_STEP_EXEC);
	assert_int_equal(d.plan.steps[0].pre, IX_PRE_USER);
	assert_ptr_equal(d.plan.steps[0].prim, &d.action->prims[2]);
	x = &d.plan.steps[0].exec;
	assert_string_equal(x->program, "/bin/prog");
	assert_int_equal(x->argc, 3);
	assert_string_equal(x->argv[0], "/bin/prog");
	assert_string_equal(x->argv[1], "--x");
	assert_string_equal(x->argv[2], "hello");	/* $1, one argument */
	assert_null(x->argv[3]);
	assert_int_equal(x->nenv, 2);
	assert_string_equal(x->envp[0], "A=1");
	assert_string_equal(x->envp[1], "B=two words");
	assert_null(x->envp[2]);
	assert_string_equal(x->user, "nobody");
	assert_int_equal(x->caps, UINT64_C(1) << 12);	/* CAP_NET_ADMIN alone */
	assert_true(x->own_privs);			/* downgrade is ixkit's */
	assert_true(x->has_ceiling);
	assert_label(&x->ceiling, "mid:a");
	ix_decision_free(&d);
}

static void
plan_bare_exec_has_no_environment_user_or_privileges(void **state)
{
	struct ix_decision d;
	const struct ix_step_exec *x;

	(void)state;
	decide(pol, "pat", "/dev/pts/3", "bare", &d);
	assert_int_equal(d.plan.nsteps, 1);
	x = &d.plan.steps[0].exec;
	assert_int_equal(x->argc, 1);
	assert_null(x->argv[1]);
	assert_non_null(x->envp);
	assert_null(x->envp[0]);
	assert_int_equal(x->nenv, 0);
	assert_null(x->user);
	assert_int_equal(x->caps, 0);
	assert_false(x->own_privs);
	assert_false(x->has_ceiling);
	ix_decision_free(&d);
}

static void
plan_label_and_downgrade_carry_the_granted_bound(void **state)
{
	struct ix_decision d;
	const struct ix_step_label *l;

	(void)state;
	decide(pol, "pat", "/dev/pts/3", "relabel low:a report", &d);
	assert_int_equal(d.plan.nsteps, 1);
	assert_int_equal(d.plan.steps[0].kind, IX_STEP_LABEL);
	assert_int_equal(d.plan.steps[0].pre, IX_PRE_FILE | IX_PRE_LABEL);
	l = &d.plan.steps[0].label;
	assert_string_equal(l->file, "report");
	assert_label(&l->label, "a");	/* low:a, canonically */
	assert_int_equal(l->cat_bit, -1);
	assert_null(l->cat);
	assert_int_equal(l->bound_right, 1);	/* "down", the relabel line's */
	assert_label(&l->bound, "mid:a");
	ix_decision_free(&d);

	decide(pol, "pat", "/dev/pts/3", "down a /srv/f", &d);
	assert_int_equal(d.plan.steps[0].kind, IX_STEP_DOWNGRADE);
	assert_int_equal(d.plan.steps[0].pre, IX_PRE_FILE | IX_PRE_LABEL);
	l = &d.plan.steps[0].label;
	assert_string_equal(l->file, "/srv/f");
	assert_int_equal(l->cat_bit, 0);
	assert_string_equal(l->cat, "a");
	assert_label(&l->bound, "mid:a");
	ix_decision_free(&d);

	/* No relabel line: the step has no bound of its own. */
	decide(unbounded, "pat", "/dev/pts/3", "relabel low report", &d);
	assert_int_equal(d.plan.steps[0].label.bound_right, -1);
	ix_decision_free(&d);
}

static void
plan_edit_copy_and_license_are_typed(void **state)
{
	struct ix_decision d;
	const struct ix_step *s;

	(void)state;
	decide(pol, "pat", "/dev/pts/3", "edit /p/x", &d);
	assert_int_equal(d.plan.nsteps, 1);
	assert_int_equal(d.plan.steps[0].kind, IX_STEP_EDIT);
	assert_int_equal(d.plan.steps[0].pre, IX_PRE_EDIT);
	assert_string_equal(d.plan.steps[0].edit.subtree, "/p/x");
	ix_decision_free(&d);

	decide(pol, "pat", "/dev/pts/3", "copy /src/a /dst/b", &d);
	assert_int_equal(d.plan.nsteps, 2);
	s = &d.plan.steps[0];
	assert_int_equal(s->kind, IX_STEP_COPY);
	assert_int_equal(s->pre, IX_PRE_FILE | IX_PRE_SOURCE | IX_PRE_UNLICENSED);
	assert_string_equal(s->copy.src, "/src/a");
	assert_string_equal(s->copy.dst, "/dst/b");
	s = &d.plan.steps[1];
	assert_int_equal(s->kind, IX_STEP_LICENSE);
	assert_int_equal(s->pre, IX_PRE_FILE | IX_PRE_ROLES);
	assert_string_equal(s->license.file, "/dst/b");
	assert_int_equal(s->license.nnames, 2);
	assert_string_equal(s->license.names[0], "install");
	assert_string_equal(s->license.names[1], "approved");
	assert_null(s->license.names[2]);
	assert_int_equal(s->license.caps, 0);	/* no capability named: roles only */
	assert_int_equal(s->license.nroles, 2);
	ix_decision_free(&d);
}

/* Adding or removing a role's dummy licence needs the right of that
 * role; a capability and "every licence" need only the rule's need. */
static void
plan_licence_roles_need_their_right(void **state)
{
	struct ix_decision d;
	struct ix_err e;

	(void)state;
	decide(pol, "pat", "/dev/pts/3", "mark op /f", &d);
	assert_int_equal(d.plan.nsteps, 3);
	assert_int_equal(d.plan.steps[0].license.caps, UINT64_C(1) << 13);
	assert_int_equal(ix_judge_licence(&d.plan, 0, &e), 0);
	assert_int_equal(ix_judge_licence(&d.plan, 1, &e), 0);
	assert_int_equal(ix_judge_licence(&d.plan, 2, &e), 0);
	ix_decision_free(&d);

	decide(pol, "pat", "/dev/pts/3", "mark secadmin /f", &d);
	assert_int_equal(ix_judge_licence(&d.plan, 0, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_string_equal(e.msg, "/f: the dummy licence of secadmin needs the right secadmin, "
			    "which the granting nodes do not give");
	assert_int_equal(ix_judge_licence(&d.plan, 1, &e), 0);	/* every licence */
	assert_int_equal(ix_judge_licence(&d.plan, 2, &e), -1);
	ix_decision_free(&d);

	decide(pol, "pat", "/dev/pts/3", "mark nobody /f", &d);
	assert_int_equal(ix_judge_licence(&d.plan, 0, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_non_null(strstr(e.msg, "names no right of this policy"));
	ix_decision_free(&d);
}

static void
plan_keeps_the_actions_order(void **state)
{
	struct ix_decision d;

	(void)state;
	decide(pol, "pat", "/dev/pts/3", "all", &d);
	assert_int_equal(d.plan.nsteps, 4);
	assert_int_equal(d.plan.steps[0].kind, IX_STEP_LABEL);
	assert_int_equal(d.plan.steps[1].kind, IX_STEP_EXEC);
	assert_int_equal(d.plan.steps[2].kind, IX_STEP_DOWNGRADE);
	assert_int_equal(d.plan.steps[3].kind, IX_STEP_EDIT);
	assert_int_equal(ix_plan_find(&d.plan, IX_STEP_EDIT, 0), 3);
	assert_int_equal(ix_plan_find(&d.plan, IX_STEP_LABEL, 1), -1);
	assert_int_equal(ix_plan_find(&d.plan, IX_STEP_COPY, 0), -1);
	ix_decision_free(&d);
}

/* ---- the rights of a plan ---- */

static void
plan_granted_is_the_granting_nodes_held_is_everything(void **state)
{
	struct ix_decision d;

	(void)state;
	/* From the console pat satisfies /p and /q: the need down(b) is /q's
	 * alone, which bounds the steps; he holds both. */
	decide(pol, "pat", "/dev/console", "down b f", &d);
	assert_int_equal(d.nnodes, 1);
	assert_string_equal(pol->nodes[d.nodes[0]].path, "/q");
	assert_rights(d.plan.granted, "down(b)");
	assert_rights(d.plan.held, "op | down(mid:a,b) | edit(/p(/.*)?)");
	assert_ptr_equal(d.plan.policy, pol);
	ix_decision_free(&d);

	/* A need of NONE is granted with no node at all: nothing granted. */
	decide(pol, "nobody", "pipe", "free", &d);
	assert_int_equal(d.nnodes, 0);
	assert_rights(d.plan.granted, "NONE");
	assert_rights(d.plan.held, "NONE");
	ix_decision_free(&d);
}

static void
plan_is_empty_when_refused(void **state)
{
	struct ix_request rq = { "pat", 1000, "/dev/pts/3", "down c f", NULL, NULL };
	struct ix_decision d;
	struct ix_err e;

	(void)state;
	assert_int_equal(ix_decide(pol, &rq, &d, &e), 0);
	assert_false(d.allow);
	assert_int_equal(d.plan.nsteps, 0);
	assert_null(d.plan.steps);
	assert_null(d.plan.granted);
	assert_null(d.plan.held);
	ix_decision_free(&d);
	ix_decision_free(&d);	/* freeing twice is harmless */
}

/* ---- ix_judge_label ---- */

/* Judges step 0 of `request` by login from src on a file labelled `before`
 * ("" for no label): 0 with *after, or -1 with the message in msg. */
static int
judge(const struct ix_policy *p, const char *login, const char *src, const char *request,
      const char *before, struct ix_label *after, struct ix_err *e)
{
	struct ix_decision d;
	struct ix_label b = label(before[0] ? before : "low");
	int rc;

	decide(p, login, src, request, &d);
	rc = ix_judge_label(&d.plan, 0, before[0] != '\0', &b, after, e);
	ix_decision_free(&d);
	return rc;
}

static void
judge_label_accepts_within_the_granted_value(void **state)
{
	struct ix_label after;
	struct ix_err e;

	(void)state;
	assert_int_equal(judge(pol, "pat", "/dev/pts/3", "down a f", "mid:a,b", &after, &e), 0);
	assert_label(&after, "mid:b");
	assert_int_equal(judge(pol, "pat", "/dev/pts/3", "relabel low f", "mid:a", &after, &e), 0);
	assert_label(&after, "low");
	/* Raising is not relabelling down: no bound. */
	assert_int_equal(judge(pol, "pat", "/dev/pts/3", "relabel high:c f", "low", &after, &e), 0);
	assert_label(&after, "high:c");
	/* An unlabelled file is at the bottom. */
	assert_int_equal(judge(pol, "pat", "/dev/pts/3", "relabel mid f", "", &after, &e), 0);
	assert_label(&after, "mid");
	/* With every right (the root's ALL) anything goes, NO included. */
	assert_int_equal(judge(pol, "root", "pipe", "relabel low f", "NO", &after, &e), 0);
	assert_label(&after, "low");
}

static void
judge_label_refuses_a_category_beyond_the_grant(void **state)
{
	struct ix_label after;
	struct ix_err e;

	(void)state;
	assert_int_equal(judge(pol, "pat", "/dev/pts/3", "relabel low f", "mid:a,b", &after, &e),
			 -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_string_equal(e.msg, "f: removing category b needs down(b), which the granting "
				   "nodes do not give");
	/* From the console pat holds down(b) too, through /q; but the request
	 * is granted by /p alone, and /p's grant bounds it. */
	assert_int_equal(judge(pol, "pat", "/dev/console", "relabel low f", "mid:a,b", &after,
			       &e), -1);
	assert_string_equal(e.msg, "f: removing category b needs down(b), which the granting "
				   "nodes do not give");
	/* An unnamed bit is named by number. */
	assert_int_equal(judge(pol, "pat", "/dev/pts/3", "relabel low f", "mid:#7", &after, &e),
			 -1);
	assert_string_equal(e.msg, "f: removing category bit #7 is beyond the granted down right");
}

static void
judge_label_refuses_a_level_or_no_beyond_the_grant(void **state)
{
	struct ix_label after;
	struct ix_err e;

	(void)state;
	assert_int_equal(judge(pol, "pat", "/dev/pts/3", "relabel low f", "high", &after, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_string_equal(e.msg, "f: lowering its level from high needs a down right at that "
				   "level, which the granting nodes do not give");
	assert_int_equal(judge(pol, "pat", "/dev/pts/3", "relabel low f", "NO", &after, &e), -1);
	assert_string_equal(e.msg, "f: leaving the NO label needs down(TOP), which the granting "
				   "nodes do not give");
}

static void
judge_label_refuses_a_downgrade_the_file_cannot_take(void **state)
{
	struct ix_label after;
	struct ix_err e;

	(void)state;
	assert_int_equal(judge(pol, "pat", "/dev/pts/3", "down a f", "", &after, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_string_equal(e.msg, "f carries no label: there is no category a to remove");
	assert_int_equal(judge(pol, "pat", "/dev/pts/3", "down a f", "mid:b", &after, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_string_equal(e.msg, "f does not carry category a: nothing to downgrade");
}

static void
judge_label_without_a_relabel_line_leaves_it_to_the_need(void **state)
{
	struct ix_label after;
	struct ix_err e;

	(void)state;
	assert_int_equal(judge(unbounded, "pat", "/dev/pts/3", "relabel low f", "high:a,b,c",
			       &after, &e), 0);
	assert_label(&after, "low");
}

static void
judge_label_refuses_a_step_that_is_no_label_step(void **state)
{
	struct ix_decision d;
	struct ix_label b = label("low"), after;
	struct ix_err e;

	(void)state;
	decide(pol, "pat", "/dev/pts/3", "all", &d);
	assert_int_equal(ix_judge_label(&d.plan, 0, true, &b, &after, &e), 0);
	assert_int_equal(ix_judge_label(&d.plan, 1, true, &b, &after, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_string_equal(e.msg, "step 1 of the plan is not a label step");
	assert_int_equal(ix_judge_label(&d.plan, 4, true, &b, &after, &e), -1);
	ix_decision_free(&d);
}

/* ---- ix_judge_edit ---- */

/* Judges edit e (NULL: none) for `request` by login, with the plan's held
 * rights as the editor's, as a server does before the question. */
static int
judge_edit(const char *login, const char *request, const struct ix_edit *ed,
	   struct ix_err *e)
{
	struct ix_decision d;
	int rc;

	decide(pol, login, "/dev/pts/3", request, &d);
	rc = ix_judge_edit(&d.plan, pol, d.plan.held, ed, e);
	ix_decision_free(&d);
	return rc;
}

static void
judge_edit_accepts_an_edit_within_the_subtree_and_the_editor(void **state)
{
	struct ix_edit add = { IX_EDIT_ADD, "/p/y", "ID(zoe)", "op" };
	struct ix_edit top = { IX_EDIT_RIGHTS, "/p", NULL, "op" };
	struct ix_err e;

	(void)state;
	assert_int_equal(judge_edit("pat", "edit /p", &add, &e), 0);
	assert_int_equal(judge_edit("pat", "edit /p", &top, &e), 0);	/* the node itself */
	/* No EDIT and no edit: nothing to judge. */
	assert_int_equal(judge_edit("pat", "bare", NULL, &e), 0);
}

static void
judge_edit_refuses_what_the_plan_does_not_cover(void **state)
{
	struct ix_edit out = { IX_EDIT_ADD, "/q/y", "ID(zoe)", "NONE" };
	struct ix_edit prefix = { IX_EDIT_ADD, "/px", "ID(zoe)", "NONE" };
	struct ix_edit in = { IX_EDIT_ADD, "/p/y", "ID(zoe)", "op" };
	struct ix_err e;

	(void)state;
	assert_int_equal(judge_edit("pat", "edit /p", &out, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_string_equal(e.msg, "node /q/y is outside the subtree /p this request may edit");
	assert_int_equal(judge_edit("pat", "edit /p", &prefix, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_int_equal(judge_edit("pat", "edit /p", NULL, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_string_equal(e.msg, "the action edits the subtree /p, but the request carries no "
				   "edit");
	assert_int_equal(judge_edit("pat", "bare", &in, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_string_equal(e.msg, "the request carries an edit, but its action has no EDIT: "
				   "nothing would apply it");
}

static void
judge_edit_refuses_a_malformed_edit(void **state)
{
	struct ix_edit ctl = { IX_EDIT_ADD, "/p/y", "ID(z\033)", "op" };
	struct ix_edit extra = { IX_EDIT_REMOVE, "/p/y", "ANY", NULL };
	struct ix_edit nopred = { IX_EDIT_ADD, "/p/y", NULL, "op" };
	struct ix_edit badop = { (enum ix_edit_op)9, "/p/y", NULL, NULL };
	struct ix_edit badpath = { IX_EDIT_REMOVE, "/p/../y", NULL, NULL };
	struct ix_err e;

	(void)state;
	assert_int_equal(judge_edit("pat", "edit /p", &ctl, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_string_equal(e.msg, "the edit's predicate has a control character at byte 5");
	assert_int_equal(judge_edit("pat", "edit /p", &extra, &e), -1);
	assert_string_equal(e.msg, "edit remove /p/y takes no predicate and no rights");
	assert_int_equal(judge_edit("pat", "edit /p", &nopred, &e), -1);
	assert_string_equal(e.msg, "edit add /p/y takes a predicate and rights");
	assert_int_equal(judge_edit("pat", "edit /p", &badop, &e), -1);
	assert_string_equal(e.msg, "unknown edit operation 9");
	assert_int_equal(judge_edit("pat", "edit /p", &badpath, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_string_equal(e.msg, "edit of '/p/../y': node path has a '.' or '..' component at "
				   "column 4");
}

static void
judge_edit_refuses_beyond_the_editor_and_the_tree(void **state)
{
	struct ix_edit more = { IX_EDIT_ADD, "/p/y", "ID(zoe)", "down(high)" };
	struct ix_decision d;
	struct ix_err e;

	(void)state;
	assert_int_equal(judge_edit("pat", "edit /p", &more, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_non_null(strstr(e.msg, "node /p/y: the new rights exceed your own"));
	/* The root may give anything, but the tree still bounds it. */
	assert_int_equal(judge_edit("root", "edit /p", &more, &e), -1);
	assert_int_equal(e.code, IX_ECONFLICT);
	assert_non_null(strstr(e.msg, "monotonicity: node /p/y would grant more than node /p"));
	/* A decided request's edit is never the owner's. */
	decide(pol, "pat", "/dev/pts/3", "edit /p", &d);
	assert_int_equal(ix_judge_edit(&d.plan, pol, NULL, &more, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	ix_decision_free(&d);
	/* Without a plan and an editor: the owner, bounded by the tree. */
	assert_int_equal(ix_judge_edit(NULL, pol, NULL, &more, &e), -1);
	assert_int_equal(e.code, IX_ECONFLICT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plan_exec_folds_its_modifiers_into_one_step),
		cmocka_unit_test(plan_bare_exec_has_no_environment_user_or_privileges),
		cmocka_unit_test(plan_label_and_downgrade_carry_the_granted_bound),
		cmocka_unit_test(plan_edit_copy_and_license_are_typed),
		cmocka_unit_test(plan_licence_roles_need_their_right),
		cmocka_unit_test(plan_keeps_the_actions_order),
		cmocka_unit_test(plan_granted_is_the_granting_nodes_held_is_everything),
		cmocka_unit_test(plan_is_empty_when_refused),
		cmocka_unit_test(judge_label_accepts_within_the_granted_value),
		cmocka_unit_test(judge_label_refuses_a_category_beyond_the_grant),
		cmocka_unit_test(judge_label_refuses_a_level_or_no_beyond_the_grant),
		cmocka_unit_test(judge_label_refuses_a_downgrade_the_file_cannot_take),
		cmocka_unit_test(judge_label_without_a_relabel_line_leaves_it_to_the_need),
		cmocka_unit_test(judge_label_refuses_a_step_that_is_no_label_step),
		cmocka_unit_test(judge_edit_accepts_an_edit_within_the_subtree_and_the_editor),
		cmocka_unit_test(judge_edit_refuses_what_the_plan_does_not_cover),
		cmocka_unit_test(judge_edit_refuses_a_malformed_edit),
		cmocka_unit_test(judge_edit_refuses_beyond_the_editor_and_the_tree),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
