/*
 * Fuzz target for the policy text parser (policy(5)). Besides "no crash",
 * checks the parser's promise on every accepted input: the canonical text
 * parses again and prints the same bytes (export -> import -> export is a
 * fixed point), and the evaluator runs on the result; an allowed
 * decision's plan has a step for each primitive that does something, and
 * its judges run on every label step (from the bottom, the top, NO and no
 * label) and on an edit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libauthtree/eval.h"
#include "libauthtree/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A request per rule is enough to reach substitution and the password
 * choice; a large policy would only slow the fuzzer down. */
#define DECIDE_MAX 4

static void
judge(const struct ix_policy *p, const struct ix_decision *d)
{
	struct ix_edit ed = { IX_EDIT_ADD, "/fuzz", "ANY", "NONE" };
	struct ix_label l[3], after;
	struct ix_err err;
	size_t i, n = 0;

	for (i = 0; i < d->action->nprims; i++) {
		enum ix_prim_kind k = d->action->prims[i].kind;

		n += k == IX_A_EXEC || k == IX_A_LABEL || k == IX_A_DOWNGRADE || k == IX_A_EDIT ||
		     k == IX_A_COPY || k == IX_A_LICENSE;
	}
	if (n != d->plan.nsteps) {
		fprintf(stderr, "plan has %zu steps for %zu primitives that act\n",
			d->plan.nsteps, n);
		abort();
	}
	ix_label_bottom(p->enc, &l[0]);
	ix_label_top(p->enc, &l[1]);
	ix_label_no(&l[2]);
	for (i = 0; i < d->plan.nsteps; i++) {
		if (d->plan.steps[i].kind != IX_STEP_LABEL &&
		    d->plan.steps[i].kind != IX_STEP_DOWNGRADE)
			continue;
		for (size_t j = 0; j < 3; j++)
			(void)ix_judge_label(&d->plan, i, true, &l[j], &after, &err);
		(void)ix_judge_label(&d->plan, i, false, &l[0], &after, &err);
	}
	(void)ix_judge_edit(&d->plan, p, d->plan.held, &ed, &err);
}

static void
decide(const struct ix_policy *p, const char *text)
{
	struct ix_request rq = { "pat", 1000, "/dev/pts/3", text, NULL, NULL };
	struct ix_decision d;
	struct ix_err err;

	if (ix_decide(p, &rq, &d, &err) == 0) {
		if (d.allow)
			judge(p, &d);
		ix_decision_free(&d);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ix_policy *p = NULL, *q = NULL;
	struct ix_err err;
	char *s, *t;
	size_t i;

	if (ix_policy_parse("fuzz", (const char *)data, size, NULL, &p, &err) != 0)
		return 0;
	s = ix_policy_print(p, &err);
	if (s == NULL) {
		fprintf(stderr, "accepted policy does not print: %s\n", err.msg);
		abort();
	}
	if (ix_policy_parse("canonical", s, strlen(s), NULL, &q, &err) != 0) {
		fprintf(stderr, "canonical text rejected: %s\n%s\n", err.msg, s);
		abort();
	}
	t = ix_policy_print(q, &err);
	if (t == NULL || strcmp(s, t) != 0) {
		fprintf(stderr, "unstable print:\n%s\n----\n%s\n", s, t ? t : "(null)");
		abort();
	}
	for (i = 0; i < p->nrules && i < DECIDE_MAX; i++)
		decide(p, p->rules[i].prefix ? p->rules[i].prefix : p->rules[i].name);
	decide(p, "downgrade projectbit report");
	decide(p, "lower a report");
	free(s);
	free(t);
	ix_policy_free(p);
	ix_policy_free(q);
	return 0;
}
