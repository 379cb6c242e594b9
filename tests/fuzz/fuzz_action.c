/*
 * Fuzz target for the action language. The first byte picks the number of
 * template groups (0..9, an ASCII digit or any byte modulo 10); the rest is the action text, parsed against a
 * small fixed label encoding. On an accepted template it checks that
 * printing is stable, then substitutes fixed captures (a benign set and a
 * hostile one with "..", spaces and a control character) and describes
 * the result.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libauthtree/action.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ix_label_enc *
fixed_enc(void)
{
	struct ix_label_enc *enc = ix_label_enc_new();

	if (enc == NULL || ix_label_enc_add_level(enc, "unclassified", NULL) < 0 ||
	    ix_label_enc_add_level(enc, "secret", NULL) < 0 ||
	    ix_label_enc_add_category(enc, "projectbit", 3, NULL) < 0 ||
	    ix_label_enc_add_category(enc, "crypto", 7, NULL) < 0)
		abort();
	return enc;
}

static void
try_subst(const struct ix_action_tmpl *t, const struct ix_label_enc *enc,
	  const char *const *caps, size_t ncaps)
{
	struct ix_action *a = NULL;
	struct ix_err err;
	char *d;

	if (ix_action_subst(t, enc, caps, ncaps, &a, &err) != 0)
		return;
	d = ix_action_describe(a, enc, &err);
	if (d == NULL)
		abort();
	free(d);
	ix_action_free(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const good[] = { "x", "projectbit", "report", "/usr/bin/p", "ches",
					    "secret:crypto", "TZ", "a b", "net_admin", "v" };
	static const char *const bad[] = { "x", "../etc", "a\nb", NULL, "/a//b", "Root",
					   "", "$1", "\"", "secret/x" };
	struct ix_label_enc *enc;
	struct ix_action_tmpl *t = NULL, *u = NULL;
	struct ix_err err;
	char *s, *s2;
	int ngroups;

	if (size == 0)
		return 0;
	/* an ASCII digit keeps the seed files readable */
	ngroups = data[0] >= '0' && data[0] <= '9' ? data[0] - '0' : data[0] % 10;
	enc = fixed_enc();
	if (ix_action_parse(enc, (const char *)data + 1, size - 1, ngroups, &t, &err) != 0) {
		ix_label_enc_free(enc);
		return 0;
	}
	s = ix_action_tmpl_print(t, &err);
	if (s == NULL)
		abort();
	if (ix_action_parse(enc, s, strlen(s), ngroups, &u, &err) != 0) {
		fprintf(stderr, "canonical text rejected: %s\n%s\n", err.msg, s);
		abort();
	}
	s2 = ix_action_tmpl_print(u, &err);
	if (s2 == NULL || strcmp(s, s2) != 0) {
		fprintf(stderr, "unstable print:\n%s\n%s\n", s, s2 ? s2 : "(null)");
		abort();
	}
	try_subst(t, enc, good, 10);
	try_subst(t, enc, bad, 10);
	try_subst(t, enc, good, 2);
	free(s);
	free(s2);
	ix_action_tmpl_free(t);
	ix_action_tmpl_free(u);
	ix_label_enc_free(enc);
	return 0;
}
