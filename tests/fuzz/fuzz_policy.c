/*
 * Fuzz target for the policy text parser (policy(5)). Besides "no crash",
 * checks the parser's promise on every accepted input: the canonical text
 * parses again and prints the same bytes (export -> import -> export is a
 * fixed point), and the evaluator runs on the result.
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
decide(const struct ix_policy *p, const char *text)
{
	struct ix_request rq = { "pat", 1000, "/dev/pts/3", text, NULL, NULL };
	struct ix_decision d;
	struct ix_err err;

	if (ix_decide(p, &rq, &d, &err) == 0)
		ix_decision_free(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ix_policy *p = NULL, *q = NULL;
	struct ix_err err;
	char *s, *t;
	size_t i;

	if (ix_policy_parse("fuzz", (const char *)data, size, &p, &err) != 0)
		return 0;
	s = ix_policy_print(p, &err);
	if (s == NULL) {
		fprintf(stderr, "accepted policy does not print: %s\n", err.msg);
		abort();
	}
	if (ix_policy_parse("canonical", s, strlen(s), &q, &err) != 0) {
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
	free(s);
	free(t);
	ix_policy_free(p);
	ix_policy_free(q);
	return 0;
}
