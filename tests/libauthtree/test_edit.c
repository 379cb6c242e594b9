/* Monotone edits through the store (ix_store_edit on the demo policy in a
 * temporary database): bounded by the editor's rights and by the tree; a
 * refused edit changes nothing (same exported text, no audit record, same
 * generation); an accepted one adds one audit record and bumps the
 * generation, and the audit chain stays sound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "libauthtree/eval.h"
#include "libauthtree/store.h"
#include "tests/db/test_db_util.h"
#include "tests/libauthtree/test_policy_util.h"
#include "tests/libauthtree/test_store_util.h"

struct fx {
	struct ixdb *db;
	struct ix_policy *demo;	/* the demo policy as imported */
	int64_t nedits;		/* accepted edits so far */
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct ix_err e = { 0 };
	struct ix_audit_ref ref;

	tdb_setup(state);
	f->db = tdb_open();
	f->demo = tp_demo();
	if (ix_store_save(f->db, f->demo, "root", tdb_head, &ref, &e) != 0)
		fail_msg("ix_store_save: %s", e.msg);
	assert_int_equal(ref.seq, 1);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	ixdb_close(f->db);
	ix_policy_free(f->demo);
	free(f);
	return tdb_teardown(state);
}

/* Editors as privtree passes them: login, stream and the passwords the
 * administrator vouches for. */
static const char *const bob_pw[] = { "bob" };
static const char *const alice_bob_pw[] = { "alice", "bob" };
static const struct ix_editor PAT = { "pat", "/dev/pts/3", NULL, 0 };
static const struct ix_editor BOB = { "bob", "/dev/pts/3", bob_pw, 1 };
static const struct ix_editor BOB_NO_PW = { "bob", "/dev/pts/3", NULL, 0 };
static const struct ix_editor ALICE_BOB = { "alice", "/dev/pts/3", alice_bob_pw, 2 };

/* ix_store_edit_plan with plan NULL is ix_store_edit, which privtree calls. */
static void
plan_edit_ok(struct fx *f, const struct ix_plan *plan, enum ix_edit_op op, const char *path,
	     const char *pred, const char *rights, const struct ix_editor *editor)
{
	struct ix_edit ed = { op, path, pred, rights };
	struct ix_audit_ref ref = { 0 };
	struct ix_err e = { 0 };
	int64_t audit = ts_count(f->db, "SELECT count(*) FROM audit");
	int64_t gen = ts_generation(f->db);

	if (ix_store_edit_plan(f->db, plan, &ed, editor, "tester", tdb_head, &ref, &e) != 0)
		fail_msg("edit %s %s refused: %s", ix_edit_op_name(op), path, e.msg);
	f->nedits++;
	assert_int_equal(ts_count(f->db, "SELECT count(*) FROM audit"), audit + 1);
	assert_int_equal(ref.seq, audit + 1);
	assert_int_equal(strlen(ref.hex), 64);
	assert_int_equal(ts_generation(f->db), gen + 1);
}

static void
edit_ok(struct fx *f, enum ix_edit_op op, const char *path, const char *pred,
	const char *rights, const struct ix_editor *editor)
{
	plan_edit_ok(f, NULL, op, path, pred, rights, editor);
}

/* Asserts the edit is refused with one of two codes, the message holds
 * every string of what, and nothing changed. */
static void
plan_edit_refused(struct fx *f, const struct ix_plan *plan, enum ix_edit_op op,
		  const char *path, const char *pred, const char *rights,
		  const struct ix_editor *editor, enum ix_errcode c1, enum ix_errcode c2,
		  const char *const *what)
{
	struct ix_edit ed = { op, path, pred, rights };
	struct ix_err e = { 0 };
	char *before = ts_exported(f->db), *after;
	int64_t audit = ts_count(f->db, "SELECT count(*) FROM audit");
	int64_t gen = ts_generation(f->db);

	if (ix_store_edit_plan(f->db, plan, &ed, editor, "tester", tdb_head, NULL, &e) == 0)
		fail_msg("edit %s %s accepted", ix_edit_op_name(op), path);
	if (e.code != c1 && e.code != c2)
		fail_msg("'%s': code %d", e.msg, (int)e.code);
	for (; what != NULL && *what != NULL; what++)
		if (strstr(e.msg, *what) == NULL)
			fail_msg("'%s' does not contain '%s'", e.msg, *what);
	after = ts_exported(f->db);
	assert_string_equal(before, after);
	assert_int_equal(ts_count(f->db, "SELECT count(*) FROM audit"), audit);
	assert_int_equal(ts_generation(f->db), gen);
	assert_false(ixdb_in_transaction(f->db));
	free(before);
	free(after);
}

static void
edit_refused(struct fx *f, enum ix_edit_op op, const char *path, const char *pred,
	     const char *rights, const struct ix_editor *editor, enum ix_errcode c1,
	     enum ix_errcode c2, const char *const *what)
{
	plan_edit_refused(f, NULL, op, path, pred, rights, editor, c1, c2, what);
}

#define WHAT(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void
assert_chain_sound(struct fx *f)
{
	struct ixdb_verify v;
	struct ix_err e = { 0 };

	assert_int_equal(ixdb_audit_verify(f->db, tdb_head, &v, &e), 0);
	assert_int_equal(v.nrecords, 1 + f->nedits);
	assert_int_equal(v.head_seq, 1 + f->nedits);
	assert_int_equal(v.head_lag, 0);
}

static long
find(struct fx *f, const char *path)
{
	struct ix_policy *p = NULL;
	struct ix_err e = { 0 };
	long i;

	assert_int_equal(ix_store_load(f->db, &p, &e), 0);
	i = ix_policy_find_node(p, path);
	ix_policy_free(p);
	return i;
}

/* ---- the delegate of a subtree (pat) ---- */

static void
pat_adds_child_with_downgrade_projectbit(void **state)
{
	struct fx *f = *state;
	char *text, *last;
	sqlite3_stmt *st;

	edit_ok(f, IX_EDIT_ADD, "/projects/projectbit/alice", "ID(alice)", "downgrade(projectbit)",
		&PAT);
	text = ts_exported(f->db);
	assert_non_null(strstr(text, "\nnode /projects/projectbit/alice\n\tpredicate ID(alice)\n"
				     "\trights downgrade(projectbit)\n"));
	free(text);
	/* The audit record says what was done and by whom. */
	assert_int_equal(sqlite3_prepare_v2(ixdb_sqlite(f->db),
					    "SELECT kind, actor, text FROM audit ORDER BY seq DESC",
					    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "edit");
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "tester");
	last = (char *)sqlite3_column_text(st, 2);
	assert_non_null(strstr(last, "op=add path=/projects/projectbit/alice"));
	assert_non_null(strstr(last, "editor=pat@/dev/pts/3"));
	sqlite3_finalize(st);
	assert_chain_sound(f);
}

static void
pat_cannot_add_child_with_downgrade_otherbit(void **state)
{
	struct fx *f = *state;

	edit_refused(f, IX_EDIT_ADD, "/projects/projectbit/x", "ID(x)", "downgrade(otherbit)",
		     &PAT, IX_EDENIED, IX_ECONFLICT, WHAT("/projects/projectbit/x", "otherbit"));
	assert_chain_sound(f);
}

static void
pat_cannot_raise_or_touch_his_own_node(void **state)
{
	struct fx *f = *state;

	/* edit(/projects/projectbit/.+) does not reach the node itself. */
	edit_refused(f, IX_EDIT_RIGHTS, "/projects/projectbit",
		     NULL, "downgrade(projectbit,otherbit) | edit(/projects/projectbit/.+)",
		     &PAT, IX_EDENIED, IX_EDENIED, WHAT("/projects/projectbit", "outside"));
	edit_refused(f, IX_EDIT_RIGHTS, "/projects/projectbit", NULL, "downgrade(projectbit)",
		     &PAT, IX_EDENIED, IX_EDENIED, WHAT("/projects/projectbit"));
	edit_refused(f, IX_EDIT_PREDICATE, "/projects/projectbit", "ANY", NULL,
		     &PAT, IX_EDENIED, IX_EDENIED, WHAT("/projects/projectbit"));
	edit_refused(f, IX_EDIT_REMOVE, "/projects/projectbit", NULL, NULL,
		     &PAT, IX_EDENIED, IX_EDENIED, WHAT("/projects/projectbit"));
	/* Nor anything outside his subtree. */
	edit_refused(f, IX_EDIT_ADD, "/projects/other", "ID(pat)", "NONE",
		     &PAT, IX_EDENIED, IX_EDENIED, WHAT("/projects/other"));
	edit_refused(f, IX_EDIT_ADD, "/projects/projectbit2", "ID(pat)", "NONE",
		     &PAT, IX_EDENIED, IX_EDENIED, WHAT("/projects/projectbit2"));
}

static void
pat_delegates_then_narrows_and_removes_below_his_node(void **state)
{
	struct fx *f = *state;

	edit_ok(f, IX_EDIT_ADD, "/projects/projectbit/team", "ID(carol) | ID(dave)",
		"downgrade(projectbit) | edit(/projects/projectbit/team/.+)", &PAT);
	edit_ok(f, IX_EDIT_PREDICATE, "/projects/projectbit/team", "ID(carol)", NULL, &PAT);
	edit_ok(f, IX_EDIT_RIGHTS, "/projects/projectbit/team", NULL, "downgrade(projectbit)",
		&PAT);
	edit_ok(f, IX_EDIT_REMOVE, "/projects/projectbit/team", NULL, NULL, &PAT);
	assert_int_equal(find(f, "/projects/projectbit/team"), -1);
	assert_true(find(f, "/projects/projectbit") > 0);
	assert_chain_sound(f);
}

/* ---- the holder of /projects (bob) ---- */

static void
bob_narrows_projectbit(void **state)
{
	struct fx *f = *state;
	char *text;

	edit_ok(f, IX_EDIT_RIGHTS, "/projects/projectbit", NULL, "downgrade(projectbit)", &BOB);
	text = ts_exported(f->db);
	assert_non_null(strstr(text, "\nnode /projects/projectbit\n\tpredicate ID(pat)\n"
				     "\trights downgrade(projectbit)\n"));
	free(text);
	assert_chain_sound(f);
}

static void
bob_cannot_raise_projectbit_beyond_his_rights(void **state)
{
	struct fx *f = *state;

	edit_refused(f, IX_EDIT_RIGHTS, "/projects/projectbit", NULL,
		     "downgrade(projectbit) | netoper", &BOB, IX_EDENIED, IX_ECONFLICT,
		     WHAT("/projects/projectbit", "netoper"));
	/* Without his password bob holds nothing, not even narrowing. */
	edit_refused(f, IX_EDIT_RIGHTS, "/projects/projectbit", NULL, "downgrade(projectbit)",
		     &BOB_NO_PW, IX_EDENIED, IX_EDENIED, WHAT("/projects/projectbit"));
	/* Nor edit outside /projects. */
	edit_refused(f, IX_EDIT_ADD, "/admin/x", "ID(bob)", "NONE", &BOB, IX_EDENIED,
		     IX_EDENIED, WHAT("/admin/x"));
}

static void
raising_a_node_above_its_parent_names_both(void **state)
{
	struct fx *f = *state;

	/* alice and bob together hold ALL: only the tree bounds them. */
	edit_refused(f, IX_EDIT_RIGHTS, "/projects/projectbit", NULL,
		     "downgrade(projectbit) | netoper", &ALICE_BOB, IX_ECONFLICT,
		     IX_ECONFLICT, WHAT("monotonicity", "node /projects/projectbit ",
					"node /projects ", "netoper"));
	/* The database owner too. */
	edit_refused(f, IX_EDIT_RIGHTS, "/projects/projectbit", NULL,
		     "downgrade(projectbit) | edit(/(/.*)?)", NULL, IX_ECONFLICT, IX_ECONFLICT,
		     WHAT("node /projects/projectbit ", "node /projects ", "edit("));
}

static void
adding_a_child_above_its_parent_names_both(void **state)
{
	struct fx *f = *state;

	edit_refused(f, IX_EDIT_ADD, "/admin/networks/internet/x", "ANY", "netadmin", NULL,
		     IX_ECONFLICT, IX_ECONFLICT,
		     WHAT("node /admin/networks/internet/x ", "node /admin/networks/internet ",
			  "netadmin"));
}

static void
narrowing_a_parent_below_its_child_names_both(void **state)
{
	struct fx *f = *state;

	/* /admin/networks/internet keeps netoper; its parent cannot drop it. */
	edit_refused(f, IX_EDIT_RIGHTS, "/admin/networks", NULL, "netadmin", NULL,
		     IX_ECONFLICT, IX_ECONFLICT,
		     WHAT("/admin/networks/internet", "node /admin/networks ", "netoper"));
}

static void
root_keeps_all_and_stays(void **state)
{
	struct fx *f = *state;

	edit_refused(f, IX_EDIT_RIGHTS, "/", NULL, "netoper", NULL, IX_ECONFLICT, IX_ECONFLICT,
		     WHAT("/ must keep ALL"));
	edit_refused(f, IX_EDIT_REMOVE, "/", NULL, NULL, NULL, IX_EDENIED, IX_EDENIED,
		     WHAT("root node /"));
}

/* ---- removing subtrees ---- */

static void
removing_a_subtree_removes_its_children(void **state)
{
	struct fx *f = *state;
	char *text;

	edit_ok(f, IX_EDIT_ADD, "/projects/projectbit/alice", "ID(alice)", "downgrade(projectbit)",
		NULL);
	edit_ok(f, IX_EDIT_ADD, "/projects/projectbit/alice/sub", "ID(alice)", "NONE", NULL);
	edit_ok(f, IX_EDIT_ADD, "/projects/projectbitx", "ID(x)", "NONE", NULL);
	assert_int_equal(ts_count(f->db, "SELECT count(*) FROM nodes"), 13);
	edit_ok(f, IX_EDIT_REMOVE, "/projects/projectbit", NULL, NULL, &BOB);
	assert_int_equal(ts_count(f->db, "SELECT count(*) FROM nodes"), 10);
	text = ts_exported(f->db);
	assert_null(strstr(text, "/projects/projectbit\n"));
	assert_null(strstr(text, "/projects/projectbit/"));
	/* A sibling whose name merely starts the same stays. */
	assert_non_null(strstr(text, "node /projects/projectbitx\n"));
	assert_non_null(strstr(text, "node /projects\n"));
	free(text);
	assert_chain_sound(f);
}

/* ---- bad operands ---- */

static void
edits_with_bad_operands_change_nothing(void **state)
{
	struct fx *f = *state;

	edit_refused(f, IX_EDIT_ADD, "/projects", "ANY", "NONE", NULL, IX_EEXIST, IX_EEXIST,
		     WHAT("/projects"));
	edit_refused(f, IX_EDIT_REMOVE, "/nowhere", NULL, NULL, NULL, IX_ENOENT, IX_ENOENT,
		     WHAT("/nowhere"));
	edit_refused(f, IX_EDIT_ADD, "/nowhere/x", "ANY", "NONE", NULL, IX_ENOENT, IX_ENOENT,
		     WHAT("/nowhere/x"));
	edit_refused(f, IX_EDIT_ADD, "/projects/x", "ID(", "NONE", NULL, IX_EINVAL, IX_EINVAL,
		     WHAT("predicate"));
	edit_refused(f, IX_EDIT_ADD, "/projects/x", "ANY", "downgrade(nosuch)", NULL, IX_EINVAL,
		     IX_EINVAL, WHAT("nosuch"));
	edit_refused(f, IX_EDIT_ADD, "/projects/../x", "ANY", "NONE", NULL, IX_EINVAL, IX_EINVAL,
		     WHAT("'..'"));
	edit_refused(f, IX_EDIT_ADD, "/projects/x", NULL, "NONE", NULL, IX_EINVAL, IX_EINVAL,
		     WHAT("edit add /projects/x takes a predicate and rights"));
	edit_refused(f, IX_EDIT_RIGHTS, "/projects", NULL, NULL, NULL, IX_EINVAL, IX_EINVAL,
		     WHAT("edit rights /projects takes rights only"));
	assert_chain_sound(f);
}

/* ---- the EDIT step of a decided request: the store judges the edit with
 * the plan, as the server did before the question ---- */

static void
edit_of_a_plan_stays_within_its_subtree_in_the_transaction(void **state)
{
	struct fx *f = *state;
	struct ix_request rq = { "pat", 1000, "/dev/pts/3", "edit /projects/projectbit/team",
				 NULL, NULL };
	struct ix_edit out = { IX_EDIT_ADD, "/projects/projectbit/other", "ID(carol)", "NONE" };
	struct ix_decision d;
	struct ix_err e = { 0 }, judged = { 0 };

	assert_int_equal(ix_decide(f->demo, &rq, &d, &e), 0);
	assert_true(d.allow);
	assert_string_equal(d.plan.steps[0].edit.subtree, "/projects/projectbit/team");
	/* Before the question, on the tree decided on. */
	assert_int_equal(ix_judge_edit(&d.plan, f->demo, d.plan.held, &out, &judged), -1);
	/* In the transaction: the same judge, the same refusal. */
	plan_edit_refused(f, &d.plan, IX_EDIT_ADD, "/projects/projectbit/other", "ID(carol)",
			  "NONE", &PAT, IX_EDENIED, IX_EDENIED,
			  WHAT(judged.msg, "outside the subtree /projects/projectbit/team"));
	plan_edit_refused(f, &d.plan, IX_EDIT_ADD, "/projects/projectbit/team", "ID(carol)",
			  "NONE", NULL, IX_EINVAL, IX_EINVAL, WHAT("needs its editor"));
	plan_edit_ok(f, &d.plan, IX_EDIT_ADD, "/projects/projectbit/team", "ID(carol)",
		     "downgrade(projectbit)", &PAT);
	/* Still bounded by the editor's rights on the tree as it is now. */
	plan_edit_refused(f, &d.plan, IX_EDIT_RIGHTS, "/projects/projectbit/team", NULL,
			  "downgrade(otherbit)", &PAT, IX_EDENIED, IX_EDENIED,
			  WHAT("exceed your own"));
	ix_decision_free(&d);
	assert_chain_sound(f);
}

/* ---- ix_edit_check alone: the editor's rights come from the same
 * policy object, as the store's own check must compute them ---- */

static void
check_edit(const struct ix_policy *p, enum ix_edit_op op, const char *path, const char *pred,
	   const char *rights, const char *login, const char *const *users, size_t nusers,
	   enum ix_errcode want, const char *const *what)
{
	struct ix_edit ed = { op, path, pred, rights };
	struct ix_err e = { 0 };
	struct ix_rights *r = ix_granted_rights(p, login, "/dev/pts/3", users, nusers, &e);
	int rc;

	assert_non_null(r);
	rc = ix_edit_check(p, &ed, r, &e);
	ix_rights_free(r);
	if (want == IX_OK) {
		if (rc != 0)
			fail_msg("edit %s %s by %s refused: %s", ix_edit_op_name(op), path, login,
				 e.msg);
		return;
	}
	if (rc == 0)
		fail_msg("edit %s %s by %s accepted", ix_edit_op_name(op), path, login);
	if (e.code != want)
		fail_msg("'%s': code %d, expected %d", e.msg, (int)e.code, (int)want);
	for (; what != NULL && *what != NULL; what++)
		if (strstr(e.msg, *what) == NULL)
			fail_msg("'%s' does not contain '%s'", e.msg, *what);
}

static void
edit_check_bounds_pat_to_below_his_node(void **state)
{
	struct ix_policy *p = tp_demo();

	(void)state;
	check_edit(p, IX_EDIT_ADD, "/projects/projectbit/alice", "ID(alice)",
		   "downgrade(projectbit)", "pat", NULL, 0, IX_OK, NULL);
	check_edit(p, IX_EDIT_ADD, "/projects/projectbit/alice", "ID(alice)",
		   "downgrade(otherbit)", "pat", NULL, 0, IX_EDENIED,
		   WHAT("node /projects/projectbit/alice", "exceed your own",
			"downgrade(otherbit)"));
	check_edit(p, IX_EDIT_RIGHTS, "/projects/projectbit", NULL, "downgrade(projectbit)",
		   "pat", NULL, 0, IX_EDENIED,
		   WHAT("node /projects/projectbit is outside the subtrees you may edit"));
	check_edit(p, IX_EDIT_ADD, "/services/x", "ANY", "NONE", "pat", NULL, 0, IX_EDENIED,
		   WHAT("/services/x"));
	ix_policy_free(p);
}

static void
edit_check_lets_bob_narrow_but_not_raise_projectbit(void **state)
{
	struct ix_policy *p = tp_demo();
	static const char *const b[] = { "bob" }, *const ab[] = { "alice", "bob" };

	(void)state;
	check_edit(p, IX_EDIT_RIGHTS, "/projects/projectbit", NULL, "downgrade(projectbit)",
		   "bob", b, 1, IX_OK, NULL);
	/* Without his password bob holds nothing. */
	check_edit(p, IX_EDIT_RIGHTS, "/projects/projectbit", NULL, "downgrade(projectbit)",
		   "bob", NULL, 0, IX_EDENIED, WHAT("/projects/projectbit"));
	check_edit(p, IX_EDIT_RIGHTS, "/projects/projectbit", NULL,
		   "downgrade(projectbit) | netoper", "bob", b, 1, IX_EDENIED,
		   WHAT("/projects/projectbit", "netoper"));
	/* With ALL (alice and bob at the root) only the tree bounds it. */
	check_edit(p, IX_EDIT_RIGHTS, "/projects/projectbit", NULL,
		   "downgrade(projectbit) | netoper", "alice", ab, 2, IX_ECONFLICT,
		   WHAT("node /projects/projectbit ", "node /projects ", "netoper"));
	ix_policy_free(p);
}

static void
edit_op_names_round_trip(void **state)
{
	int i;

	(void)state;
	for (i = IX_EDIT_ADD; i <= IX_EDIT_RIGHTS; i++)
		assert_int_equal(ix_edit_op_parse(ix_edit_op_name((enum ix_edit_op)i)), i);
	assert_int_equal(ix_edit_op_parse("delete"), -1);
	assert_int_equal(ix_edit_op_parse(""), -1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(pat_adds_child_with_downgrade_projectbit),
		T(pat_cannot_add_child_with_downgrade_otherbit),
		T(pat_cannot_raise_or_touch_his_own_node),
		T(pat_delegates_then_narrows_and_removes_below_his_node),
		T(bob_narrows_projectbit),
		T(bob_cannot_raise_projectbit_beyond_his_rights),
		T(raising_a_node_above_its_parent_names_both),
		T(adding_a_child_above_its_parent_names_both),
		T(narrowing_a_parent_below_its_child_names_both),
		T(root_keeps_all_and_stays),
		T(removing_a_subtree_removes_its_children),
		T(edits_with_bad_operands_change_nothing),
		T(edit_of_a_plan_stays_within_its_subtree_in_the_transaction),
		cmocka_unit_test(edit_check_bounds_pat_to_below_his_node),
		cmocka_unit_test(edit_check_lets_bob_narrow_but_not_raise_projectbit),
		cmocka_unit_test(edit_op_names_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
