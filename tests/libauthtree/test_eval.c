/* Deciding requests (ix_decide) on the demo policy: the decisions of the IX
 * paper's privilege server, the explanation a person reads, and the
 * password demands (only when they can change the outcome, each user's at
 * most once per request, in the order that stops earliest). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "libauthtree/eval.h"
#include "tests/libauthtree/test_policy_util.h"

/* A password callback that records every demand. */
struct pwbook {
	const char *ok[4];	/* users whose password verifies */
	int error;		/* answer -1 (callback failure) */
	size_t ncalls;
	char asked[32][IX_USER_NAME_MAX + 1];	/* users asked, in order */
};

static int
pw_answer(void *arg, const char *user, struct ix_err *err)
{
	struct pwbook *b = arg;
	size_t i;

	if (b->ncalls < 32)
		snprintf(b->asked[b->ncalls], sizeof b->asked[0], "%s", user);
	b->ncalls++;
	if (b->error)
		return ix_err_set(err, IX_ESYS, "passwdd is not answering");
	for (i = 0; i < 4 && b->ok[i] != NULL; i++)
		if (strcmp(b->ok[i], user) == 0)
			return 1;
	return 0;
}

static size_t
times_asked(const struct pwbook *b, const char *user)
{
	size_t i, n = 0;

	for (i = 0; i < b->ncalls && i < 32; i++)
		n += strcmp(b->asked[i], user) == 0;
	return n;
}

/* Every user is asked at most once and the decision lists exactly the
 * demands the callback saw, in order. */
static void
assert_demands_consistent(const struct ix_decision *d, const struct pwbook *b)
{
	size_t i;

	assert_int_equal(d->npw, b->ncalls);
	for (i = 0; i < d->npw; i++) {
		assert_string_equal(d->pw[i].user, b->asked[i]);
		assert_int_equal(times_asked(b, d->pw[i].user), 1);
	}
}

static void
decide(const struct ix_policy *p, const char *login, const char *src, const char *text,
       struct pwbook *b, struct ix_decision *d)
{
	struct ix_request rq = { login, 1000, src, text, pw_answer, b };
	struct ix_err e = { 0 };

	if (ix_decide(p, &rq, d, &e) != 0)
		fail_msg("ix_decide('%s' by %s from %s): %s", text, login, src, e.msg);
	assert_non_null(d->explanation);
	assert_demands_consistent(d, b);
}

static const char *
node_path(const struct ix_policy *p, const struct ix_decision *d, size_t i)
{
	assert_true(i < d->nnodes);
	return p->nodes[d->nodes[i]].path;
}

static void
assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("'%s' does not contain '%s'", hay, needle);
}

static int
setup(void **state)
{
	*state = tp_demo();
	return 0;
}

static int
teardown(void **state)
{
	ix_policy_free(*state);
	return 0;
}

/* ---- the network gateway ---- */

static void
tcpgateway_from_pts_asks_only_ches_and_grants(void **state)
{
	const struct ix_policy *p = *state;
	struct pwbook b = { .ok = { "ches" } };
	struct ix_decision d;

	decide(p, "ches", "/dev/pts/3", "tcpgateway", &b, &d);
	assert_true(d.allow);
	/* One demand, ches's own: alice's and bob's together would also
	 * grant it (the root), but ches's alone decides. */
	assert_int_equal(d.npw, 1);
	assert_string_equal(d.pw[0].user, "ches");
	assert_int_equal(d.pw[0].verified, 1);
	assert_string_equal(p->rules[d.rule].name, "tcpgateway");
	assert_int_equal(d.nnodes, 1);
	assert_string_equal(node_path(p, &d, 0), "/admin/networks");
	assert_false(d.unattended);
	assert_int_equal(d.action->nprims, 2);
	assert_int_equal(d.action->prims[0].kind, IX_A_PRIV);
	assert_int_equal(d.action->prims[1].kind, IX_A_EXEC);
	assert_string_equal(d.action->prims[1].args[0], "/lib/tcp/tcpgateway");
	assert_contains(d.explanation, "password of ches verified");
	ix_decision_free(&d);
}

static void
tcpgateway_from_pts_refused_when_ches_password_fails(void **state)
{
	const struct ix_policy *p = *state;
	struct pwbook b = { .ok = { NULL } };
	struct ix_decision d;

	decide(p, "ches", "/dev/pts/3", "tcpgateway", &b, &d);
	assert_false(d.allow);
	assert_int_equal(d.nnodes, 0);
	assert_null(d.action);
	/* ches's own password is the first demand and is not asked again. */
	assert_true(d.npw >= 1);
	assert_string_equal(d.pw[0].user, "ches");
	assert_int_equal(d.pw[0].verified, 0);
	assert_int_equal(times_asked(&b, "ches"), 1);
	/* Should the root be tried, the first of alice and bob to fail ends
	 * it: the other is never asked. */
	assert_true(times_asked(&b, "alice") + times_asked(&b, "bob") <= 1);
	assert_contains(d.explanation, "needs netoper");
	assert_contains(d.explanation, "password of ches NOT verified");
	ix_decision_free(&d);
}

static void
tcpgateway_from_console_needs_no_password(void **state)
{
	const struct ix_policy *p = *state;
	static const char *const logins[] = { "ches", "pat", "zed", "svc-backup" };
	static const char *const srcs[] = { "/dev/console", "/dev/tty1", "/dev/tty12" };
	size_t i, j;

	(void)state;
	for (i = 0; i < 4; i++)
		for (j = 0; j < 3; j++) {
			struct pwbook b = { .ok = { NULL } };
			struct ix_decision d;

			decide(p, logins[i], srcs[j], "tcpgateway", &b, &d);
			assert_true(d.allow);
			assert_int_equal(b.ncalls, 0);
			assert_int_equal(d.nnodes, 1);
			assert_string_equal(node_path(p, &d, 0), "/admin/networks/internet");
			assert_false(d.unattended);
			ix_decision_free(&d);
		}
}

static void
tcpgateway_src_must_match_whole_stream_identifier(void **state)
{
	const struct ix_policy *p = *state;
	static const char *const srcs[] = { "/dev/console2", "x/dev/console", "/dev/tty",
					    "/dev/pts/3@sshd", "pipe" };
	size_t i;

	for (i = 0; i < 5; i++) {
		struct pwbook b = { .ok = { NULL } };
		struct ix_decision d;

		decide(p, "zed", srcs[i], "tcpgateway", &b, &d);
		assert_false(d.allow);
		ix_decision_free(&d);
	}
}

/* ---- downgrade, confined to the project's bit ---- */

static void
downgrade_projectbit_granted_to_pat_without_password(void **state)
{
	const struct ix_policy *p = *state;
	struct pwbook b = { .ok = { NULL } };
	struct ix_decision d;

	decide(p, "pat", "/dev/pts/3", "downgrade projectbit report", &b, &d);
	assert_true(d.allow);
	assert_int_equal(b.ncalls, 0);
	assert_string_equal(p->rules[d.rule].name, "downgrade");
	assert_int_equal(d.nnodes, 1);
	assert_string_equal(node_path(p, &d, 0), "/projects/projectbit");
	assert_int_equal(d.action->nprims, 1);
	assert_int_equal(d.action->prims[0].kind, IX_A_DOWNGRADE);
	assert_int_equal(d.action->prims[0].nargs, 2);
	assert_string_equal(d.action->prims[0].args[0], "report");
	assert_string_equal(d.action->prims[0].args[1], "projectbit");
	assert_int_equal(d.action->prims[0].cat_bit, 0);
	assert_contains(d.explanation, "granted by rule downgrade");
	assert_contains(d.explanation, "/projects/projectbit");
	ix_decision_free(&d);
}

static void
downgrade_otherbit_refused_to_pat_with_explanation(void **state)
{
	const struct ix_policy *p = *state;
	struct pwbook b = { .ok = { NULL } };
	struct ix_decision d;

	decide(p, "pat", "/dev/pts/3", "downgrade otherbit report", &b, &d);
	assert_false(d.allow);
	assert_null(d.action);
	/* What was needed and what pat holds, as ix_rights_explain_missing
	 * says it. */
	assert_contains(d.explanation, "rule downgrade needs downgrade(otherbit)");
	assert_contains(d.explanation, "granted downgrade(projectbit)");
	/* pat's own node never asks a password: none of pat's is asked. */
	assert_int_equal(times_asked(&b, "pat"), 0);
	ix_decision_free(&d);
}

static void
downgrade_by_bob_asks_bobs_password_once(void **state)
{
	const struct ix_policy *p = *state;
	struct pwbook b = { .ok = { "bob" } };
	struct ix_decision d;

	decide(p, "bob", "/dev/pts/1", "downgrade otherbit report", &b, &d);
	assert_true(d.allow);
	assert_int_equal(d.npw, 1);
	assert_string_equal(d.pw[0].user, "bob");
	assert_string_equal(node_path(p, &d, 0), "/projects");
	assert_int_equal(d.action->prims[0].cat_bit, 1);
	ix_decision_free(&d);
}

static void
downgrade_with_unknown_category_matches_no_rule(void **state)
{
	const struct ix_policy *p = *state;
	struct pwbook b = { .ok = { "alice", "bob" } };
	struct ix_decision d;

	/* The need rejects the capture, so even the root is never consulted
	 * and no password is asked. */
	decide(p, "pat", "/dev/pts/3", "downgrade nosuchcat report", &b, &d);
	assert_false(d.allow);
	assert_int_equal(d.rule, -1);
	assert_int_equal(b.ncalls, 0);
	assert_contains(d.explanation, "no rule matches");
	assert_contains(d.explanation, "nosuchcat");
	ix_decision_free(&d);
}

/* ---- refusals ---- */

static void
user_without_node_is_refused(void **state)
{
	const struct ix_policy *p = *state;
	struct pwbook b = { .ok = { NULL } };
	struct ix_decision d;

	decide(p, "mallory", "/dev/pts/9", "downgrade projectbit report", &b, &d);
	assert_false(d.allow);
	assert_int_equal(d.nnodes, 0);
	assert_null(d.action);
	assert_contains(d.explanation, "needs downgrade(projectbit)");
	assert_contains(d.explanation, "granted nothing of it");
	ix_decision_free(&d);
}

static void
request_without_matching_rule_is_refused(void **state)
{
	const struct ix_policy *p = *state;
	static const char *const reqs[] = {
		"rm -rf /", "tcpgateway now", "downgrade projectbit", " tcpgateway", "TCPGATEWAY",
	};
	size_t i;

	for (i = 0; i < 5; i++) {
		struct pwbook b = { .ok = { "alice", "bob" } };
		struct ix_decision d;
		char want[64];

		decide(p, "alice", "/dev/console", reqs[i], &b, &d);
		assert_false(d.allow);
		assert_int_equal(d.rule, -1);
		assert_int_equal(b.ncalls, 0);
		snprintf(want, sizeof want, "no rule matches '%s'", reqs[i]);
		assert_contains(d.explanation, want);
		ix_decision_free(&d);
	}
}

static void
request_with_control_character_is_refused(void **state)
{
	const struct ix_policy *p = *state;
	static const char *const reqs[] = {
		"downgrade projectbit re\033port", "tcpgateway\n", "downgrade\tprojectbit report",
		"tcpgateway\177",
	};
	static const char *const cols[] = { "column 24", "column 11", "column 10", "column 11" };
	size_t i;

	for (i = 0; i < 4; i++) {
		struct pwbook b = { .ok = { "alice", "bob", "pat" } };
		struct ix_decision d;

		decide(p, "pat", "/dev/console", reqs[i], &b, &d);
		assert_false(d.allow);
		assert_int_equal(b.ncalls, 0);
		assert_contains(d.explanation, "control character");
		assert_contains(d.explanation, cols[i]);
		ix_decision_free(&d);
	}
}

static void
over_long_request_is_refused(void **state)
{
	const struct ix_policy *p = *state;
	struct pwbook b = { .ok = { NULL } };
	struct ix_decision d;
	char *req = malloc(IX_REQUEST_MAX + 2);

	memcpy(req, "downgrade projectbit ", 21);
	memset(req + 21, 'r', IX_REQUEST_MAX + 1 - 21);
	req[IX_REQUEST_MAX + 1] = '\0';
	decide(p, "pat", "/dev/pts/3", req, &b, &d);
	assert_false(d.allow);
	assert_contains(d.explanation, "longer than");
	ix_decision_free(&d);
	free(req);
}

/* ---- two-person control at the root ---- */

static void
edit_root_stops_at_alice_when_her_password_fails(void **state)
{
	const struct ix_policy *p = *state;
	struct pwbook b = { .ok = { "bob" } };
	struct ix_decision d;

	decide(p, "alice", "/dev/pts/1", "edit /", &b, &d);
	assert_false(d.allow);
	assert_int_equal(d.npw, 1);
	assert_string_equal(d.pw[0].user, "alice");
	assert_int_equal(d.pw[0].verified, 0);
	assert_int_equal(times_asked(&b, "bob"), 0);
	assert_contains(d.explanation, "node / would grant it");
	ix_decision_free(&d);
}

static void
refusal_explanation_shows_substituted_need_canonically(void **state)
{
	const struct ix_policy *p = *state;
	struct pwbook b = { .ok = { NULL } };
	struct ix_decision d;
	char why[4096];

	/* "edit /projects/x" needs edit(/projects/x), printed as the need
	 * "edit(/projects/x)" of a node would be, not as an internal form. */

	decide(p, "pat", "/dev/pts/1", "edit /projects/x", &b, &d);
	assert_false(d.allow);
	snprintf(why, sizeof why, "%s", d.explanation);
	ix_decision_free(&d);
	assert_contains(why, "needs edit(/projects/x); granted edit(");
}

static void
edit_root_granted_with_alice_and_bob(void **state)
{
	const struct ix_policy *p = *state;
	struct pwbook b = { .ok = { "alice", "bob" } };
	struct ix_decision d;

	decide(p, "alice", "/dev/pts/1", "edit /", &b, &d);
	assert_true(d.allow);
	assert_int_equal(d.npw, 2);
	assert_string_equal(d.pw[0].user, "alice");
	assert_string_equal(d.pw[1].user, "bob");
	assert_int_equal(d.nnodes, 1);
	assert_string_equal(node_path(p, &d, 0), "/");
	assert_int_equal(d.action->prims[0].kind, IX_A_EDIT);
	assert_string_equal(d.action->prims[0].args[0], "/");
	ix_decision_free(&d);
}

static void
edit_root_refused_when_only_alice_verifies(void **state)
{
	const struct ix_policy *p = *state;
	struct pwbook b = { .ok = { "alice" } };
	struct ix_decision d;

	decide(p, "alice", "/dev/pts/1", "edit /", &b, &d);
	assert_false(d.allow);
	assert_int_equal(d.npw, 2);
	assert_int_equal(d.pw[0].verified, 1);
	assert_string_equal(d.pw[1].user, "bob");
	assert_int_equal(d.pw[1].verified, 0);
	ix_decision_free(&d);
}

/* ---- passwords only when they can change the outcome ---- */

static void
password_not_asked_when_granted_without_it(void **state)
{
	const struct ix_policy *p = *state;
	struct pwbook b = { .ok = { "ches", "alice", "bob" } };
	struct ix_decision d;

	/* ches at the console: /admin/networks (ID(ches) & PW(ches)) would
	 * grant it too, but the console already does. */
	decide(p, "ches", "/dev/console", "tcpgateway", &b, &d);
	assert_true(d.allow);
	assert_int_equal(b.ncalls, 0);
	ix_decision_free(&d);
}

static void
password_not_asked_when_no_answer_can_grant(void **state)
{
	/* Here the root needs ID(root): no password ches could give makes
	 * "downgrade projectbit x" possible, so none is asked. */
	static const char text[] =
		"ixkit-policy 1\nright netoper plain\nright downgrade label\n"
		"level low\ncategory projectbit 0\n"
		"node /\n\tpredicate ID(root) & PW(root)\n\trights ALL\n"
		"node /net\n\tpredicate ID(ches) & PW(ches)\n\trights netoper\n"
		"rule downgrade\n\ttemplate downgrade (\\S+) (\\S+)\n\tneed downgrade($1)\n"
		"\taction DOWNGRADE($2, $1)\n";
	struct ix_policy *p = tp_parse("t", text);
	struct pwbook b = { .ok = { "ches", "root" } };
	struct ix_decision d;

	(void)state;
	decide(p, "ches", "/dev/pts/3", "downgrade projectbit x", &b, &d);
	assert_false(d.allow);
	assert_int_equal(b.ncalls, 0);
	ix_decision_free(&d);
	ix_policy_free(p);
}

static void
password_asked_at_most_once_per_user(void **state)
{
	/* u appears in three nodes, v in two; whatever the answers, nobody
	 * is asked twice in one request. */
	static const char text[] =
		"ixkit-policy 1\nright a plain\nright b plain\nright c plain\n"
		"node /\n\tpredicate ID(root) & PW(root)\n\trights ALL\n"
		"node /x\n\tpredicate PW(u) & ID(me)\n\trights a\n"
		"node /y\n\tpredicate PW(u) & PW(v)\n\trights b\n"
		"node /z\n\tpredicate (PW(v) | PW(u)) & PW(w)\n\trights a | b | c\n"
		"rule ab\n\ttemplate ab\n\tneed a | b\n\taction EXEC(/bin/true)\n"
		"rule abc\n\ttemplate abc\n\tneed a | b | c\n\taction EXEC(/bin/true)\n";
	static const char *const answers[][4] = {
		{ NULL }, { "u" }, { "v" }, { "w" }, { "u", "v" }, { "u", "w" }, { "v", "w" },
		{ "u", "v", "w" },
	};
	struct ix_policy *p = tp_parse("t", text);
	size_t i, r;

	(void)state;
	for (r = 0; r < 2; r++)
		for (i = 0; i < sizeof answers / sizeof answers[0]; i++) {
			struct pwbook b = { .ok = { answers[i][0], answers[i][1], answers[i][2] } };
			struct ix_decision d;

			decide(p, "me", "/dev/pts/2", r ? "abc" : "ab", &b, &d);
			assert_true(b.ncalls <= 3);
			assert_int_equal(times_asked(&b, "root"), 0);
			ix_decision_free(&d);
		}
	ix_policy_free(p);
}

static void
password_callback_error_fails_the_request(void **state)
{
	const struct ix_policy *p = *state;
	struct pwbook b = { .error = 1 };
	struct ix_request rq = { "ches", 1000, "/dev/pts/3", "tcpgateway", pw_answer, &b };
	struct ix_decision d;
	struct ix_err e = { 0 };

	assert_int_equal(ix_decide(p, &rq, &d, &e), -1);
	assert_false(d.allow);
	assert_null(d.explanation);
	assert_contains(e.msg, "passwdd is not answering");
	ix_decision_free(&d);
}

static void
no_password_callback_means_every_demand_fails(void **state)
{
	const struct ix_policy *p = *state;
	struct ix_request rq = { "alice", 1000, "/dev/pts/1", "edit /", NULL, NULL };
	struct ix_decision d;
	struct ix_err e = { 0 };

	assert_int_equal(ix_decide(p, &rq, &d, &e), 0);
	assert_false(d.allow);
	assert_int_equal(d.npw, 1);
	assert_int_equal(d.pw[0].verified, 0);
	ix_decision_free(&d);
}

/* ---- unattended service accounts ---- */

static void
backup_for_service_account_is_unattended(void **state)
{
	const struct ix_policy *p = *state;
	struct pwbook b = { .ok = { NULL } };
	struct ix_decision d;

	decide(p, "svc-backup", "pipe", "backup", &b, &d);
	assert_true(d.allow);
	assert_true(d.unattended);
	assert_int_equal(b.ncalls, 0);
	assert_string_equal(node_path(p, &d, 0), "/services");
	assert_int_equal(d.action->prims[0].kind, IX_A_AS);
	assert_string_equal(d.action->prims[0].args[0], "nobody");
	assert_contains(d.explanation, "unattended");
	ix_decision_free(&d);
}

/* ALL holds "unattended" only by implication: a grant through the root,
 * the two-person root edit included, is confirmed. */
static void
root_edit_through_all_is_confirmed(void **state)
{
	const struct ix_policy *p = *state;
	struct pwbook b = { .ok = { "alice", "bob" } };
	struct ix_decision d;

	decide(p, "alice", "/dev/pts/1", "edit /", &b, &d);
	assert_true(d.allow);
	assert_string_equal(node_path(p, &d, 0), "/");
	assert_false(d.unattended);
	if (strstr(d.explanation, "unattended") != NULL)
		fail_msg("explanation says unattended: %s", d.explanation);
	ix_decision_free(&d);
}

/* A node that names "unattended" waives the question for its service's
 * actions, never for an edit of the tree; and ALL next to it does not. */
static void
named_unattended_is_never_honoured_for_an_edit(void **state)
{
	static const char text[] =
		"ixkit-policy 1\n"
		"right edit regex\nright run plain\nright unattended plain\n"
		"node /\n\tpredicate ID(root)\n\trights ALL\n"
		"node /svc\n\tpredicate ID(svc)\n\trights run | edit(/svc(/.*)?) | unattended\n"
		"rule run\n\ttemplate run\n\tneed run\n\taction EXEC(/bin/true)\n"
		"rule edit\n\ttemplate edit (/\\S*)\n\tneed edit($1)\n\taction EDIT($1)\n";
	struct ix_policy *q = tp_parse("unattended-edit", text);
	struct pwbook b = { .ok = { NULL } };
	struct ix_decision d;

	(void)state;
	decide(q, "svc", "pipe", "run", &b, &d);
	assert_true(d.allow);
	assert_true(d.unattended);
	ix_decision_free(&d);
	decide(q, "svc", "pipe", "edit /svc", &b, &d);
	assert_true(d.allow);
	assert_false(d.unattended);
	ix_decision_free(&d);
	decide(q, "root", "pipe", "run", &b, &d);
	assert_true(d.allow);
	assert_false(d.unattended);
	ix_decision_free(&d);
	ix_policy_free(q);
}

/* Naming is what counts, not the value: a node that lists every right of
 * a small policy (its rights print as ALL) still waives the question, and
 * keeps doing so through the policy's canonical text; the root's ALL
 * beside it does not. */
static void
named_unattended_survives_printing_as_all(void **state)
{
	static const char text[] =
		"ixkit-policy 1\nright run plain\nright unattended plain\n"
		"node /\n\tpredicate ID(root)\n\trights ALL\n"
		"node /svc\n\tpredicate ID(svc)\n\trights run | unattended\n"
		"rule run\n\ttemplate run\n\tneed run\n\taction EXEC(/bin/true)\n";
	struct ix_policy *q = tp_parse("all-by-listing", text), *r;
	struct pwbook b = { .ok = { NULL } };
	struct ix_decision d;
	char *printed;

	(void)state;
	printed = tp_print(q);
	assert_non_null(strstr(printed, "rights ALL | unattended"));
	r = tp_parse("all-by-listing, printed", printed);
	for (int k = 0; k < 2; k++) {
		struct ix_policy *x = k ? r : q;

		decide(x, "svc", "pipe", "run", &b, &d);
		assert_true(d.allow);
		assert_true(d.unattended);
		ix_decision_free(&d);
		decide(x, "root", "pipe", "run", &b, &d);
		assert_true(d.allow);
		assert_false(d.unattended);
		ix_decision_free(&d);
	}
	free(printed);
	ix_policy_free(q);
	ix_policy_free(r);
}

static void
backup_for_other_login_is_refused(void **state)
{
	const struct ix_policy *p = *state;
	struct pwbook b = { .ok = { NULL } };
	struct ix_decision d;

	decide(p, "pat", "pipe", "backup", &b, &d);
	assert_false(d.allow);
	assert_false(d.unattended);
	ix_decision_free(&d);
}

static void
granted_rights_of_pat_and_of_alice_with_password(void **state)
{
	const struct ix_policy *p = *state;
	const char *alice[] = { "alice" };
	struct ix_err e = { 0 };
	struct ix_rights *r = ix_granted_rights(p, "pat", "/dev/pts/3", NULL, 0, &e);
	char *s;

	assert_non_null(r);
	s = ix_rights_print(r, &e);
	assert_string_equal(s, "downgrade(projectbit) | edit(/projects/projectbit/.+)");
	free(s);
	ix_rights_free(r);
	/* alice without her password holds nothing; with it, /admin. */
	r = ix_granted_rights(p, "alice", "/dev/pts/3", NULL, 0, &e);
	assert_true(ix_rights_is_bottom(r));
	ix_rights_free(r);
	r = ix_granted_rights(p, "alice", "/dev/pts/3", alice, 1, &e);
	s = ix_rights_print(r, &e);
	assert_string_equal(s, "netadmin | netoper | edit(/admin(/.*)?)");
	free(s);
	ix_rights_free(r);
}

/* More candidate nodes (40 that any login may satisfy) and rules (12
 * without a literal first word) than a decision keeps on its stack: the
 * same answers as with few. */
static void
many_candidates_decide_as_few(void **state)
{
	char *text = malloc(65536), *at;
	struct ix_policy *p;
	struct ix_decision d;
	struct pwbook b = { .ok = { NULL } };
	int i;

	(void)state;
	assert_non_null(text);
	at = text + sprintf(text, "ixkit-policy 1\nright r plain\nright q plain\nlevel low\n"
			    "node /\n\tpredicate NONE\n\trights ALL\n");
	for (i = 0; i < 40; i++)
		at += sprintf(at, "node /n%02d\n\tpredicate %s\n\trights %s\n", i,
			      i == 39 ? "SRC(pipe)" : "ANY", i == 39 ? "r" : "NONE");
	for (i = 0; i < 12; i++)
		at += sprintf(at, "rule g%02d\n\ttemplate (x|y)%d\n\tneed %s\n"
			      "\taction EXEC(/bin/g%d)\n", i, i % 2, i == 11 ? "r" : "q", i);
	p = tp_parse("many.policy", text);
	decide(p, "anyone", "pipe", "x1", &b, &d);
	assert_true(d.allow);
	assert_string_equal(p->rules[d.rule].name, "g11");
	assert_int_equal(d.nnodes, 1);
	assert_string_equal(p->nodes[d.nodes[0]].path, "/n39");
	assert_string_equal(d.plan.steps[0].exec.program, "/bin/g11");
	ix_decision_free(&d);
	decide(p, "anyone", "/dev/pts/1", "x1", &b, &d);
	assert_false(d.allow);
	assert_contains(d.explanation, "rule g01 needs q");
	assert_contains(d.explanation, "also rule g11 needs r");
	assert_contains(d.explanation, "node /n39 would grant it but its predicate SRC(pipe) "
			"does not hold for stream /dev/pts/1");
	ix_decision_free(&d);
	ix_policy_free(p);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tcpgateway_from_pts_asks_only_ches_and_grants),
		cmocka_unit_test(tcpgateway_from_pts_refused_when_ches_password_fails),
		cmocka_unit_test(tcpgateway_from_console_needs_no_password),
		cmocka_unit_test(tcpgateway_src_must_match_whole_stream_identifier),
		cmocka_unit_test(downgrade_projectbit_granted_to_pat_without_password),
		cmocka_unit_test(downgrade_otherbit_refused_to_pat_with_explanation),
		cmocka_unit_test(downgrade_by_bob_asks_bobs_password_once),
		cmocka_unit_test(downgrade_with_unknown_category_matches_no_rule),
		cmocka_unit_test(user_without_node_is_refused),
		cmocka_unit_test(request_without_matching_rule_is_refused),
		cmocka_unit_test(request_with_control_character_is_refused),
		cmocka_unit_test(over_long_request_is_refused),
		cmocka_unit_test(edit_root_stops_at_alice_when_her_password_fails),
		cmocka_unit_test(refusal_explanation_shows_substituted_need_canonically),
		cmocka_unit_test(edit_root_granted_with_alice_and_bob),
		cmocka_unit_test(edit_root_refused_when_only_alice_verifies),
		cmocka_unit_test(password_not_asked_when_granted_without_it),
		cmocka_unit_test(password_not_asked_when_no_answer_can_grant),
		cmocka_unit_test(password_asked_at_most_once_per_user),
		cmocka_unit_test(password_callback_error_fails_the_request),
		cmocka_unit_test(no_password_callback_means_every_demand_fails),
		cmocka_unit_test(backup_for_service_account_is_unattended),
		cmocka_unit_test(root_edit_through_all_is_confirmed),
		cmocka_unit_test(named_unattended_is_never_honoured_for_an_edit),
		cmocka_unit_test(named_unattended_survives_printing_as_all),
		cmocka_unit_test(backup_for_other_login_is_refused),
		cmocka_unit_test(granted_rights_of_pat_and_of_alice_with_password),
		cmocka_unit_test(many_candidates_decide_as_few),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
