/*
 * Fuzz target for the predicate parser. Besides "no crash", checks the
 * parser's promises on every accepted input: printing is stable
 * (print(parse(print(p))) == print(p)), and evaluation, login keys and PW
 * users run on the result.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libauthtree/pred.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
count(void *arg, const char *name)
{
	(*(size_t *)arg) += strlen(name);
}

static enum ix_tv
oracle(void *arg, const char *user)
{
	return user[0] == 'a' ? IX_TV_TRUE : user[0] == 'b' ? IX_TV_FALSE : IX_TV_UNKNOWN;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ix_pred *p = NULL, *q = NULL;
	struct ix_err err;
	char *s, *t;
	size_t n = 0;

	if (ix_pred_parse((const char *)data, size, &p, &err) != 0)
		return 0;
	s = ix_pred_print(p, &err);
	if (s == NULL)
		abort();
	if (ix_pred_parse(s, strlen(s), &q, &err) != 0) {
		fprintf(stderr, "canonical text rejected: %s\n%s\n", err.msg, s);
		abort();
	}
	t = ix_pred_print(q, &err);
	if (t == NULL || strcmp(s, t) != 0) {
		fprintf(stderr, "unstable print:\n%s\n%s\n", s, t ? t : "(null)");
		abort();
	}
	ix_pred_eval(p, "ches", "/dev/console", oracle, NULL);
	ix_pred_eval(p, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "pipe", NULL, NULL);
	ix_pred_eval(p, "", "", oracle, NULL);
	ix_pred_login_keys(p, count, &n);
	ix_pred_pw_users(p, count, &n);
	free(s);
	free(t);
	ix_pred_free(p);
	ix_pred_free(q);
	return 0;
}
