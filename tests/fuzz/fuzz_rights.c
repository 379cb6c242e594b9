/*
 * Fuzz target for the rights parser with "$n" substitution.
 *
 * Input: the rights text, then optionally a newline and up to 9 captures
 * separated by newlines ($1, $2, ...). Any input is either rejected with a
 * message naming a column, or parses to a value that is <= ALL, equal to
 * itself, and whose canonical text parses back to an equal value.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "liblattice/rights.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
setup(struct ix_label_enc **enc, struct ix_rdecls **d)
{
	static const struct {
		const char *name;
		enum ix_right_kind kind;
	} rights[] = { { "netadmin", IX_RK_PLAIN }, { "netoper", IX_RK_PLAIN },
		       { "downgrade", IX_RK_LABEL }, { "edit", IX_RK_REGEX },
		       { "exec", IX_RK_REGEX }, { "priv", IX_RK_PRIVSET } };
	size_t i;

	*enc = ix_label_enc_new();
	*d = ix_rdecls_new(*enc);
	if (*enc == NULL || *d == NULL ||
	    ix_label_enc_add_level(*enc, "unclassified", NULL) < 0 ||
	    ix_label_enc_add_level(*enc, "secret", NULL) < 0 ||
	    ix_label_enc_add_category(*enc, "projectbit", 0, NULL) < 0 ||
	    ix_label_enc_add_category(*enc, "otherbit", 1, NULL) < 0 ||
	    ix_label_enc_add_category(*enc, "last", 255, NULL) < 0)
		abort();
	for (i = 0; i < sizeof rights / sizeof rights[0]; i++)
		if (ix_rdecls_declare(*d, rights[i].name, rights[i].kind, NULL) < 0)
			abort();
}

static void
check_value(const struct ix_rdecls *d, const struct ix_rights *r)
{
	struct ix_rights *top = ix_rights_top(d), *back = NULL;
	struct ix_err err;
	char *text = ix_rights_print(r, &err);

	if (top == NULL || text == NULL)
		abort();
	if (ix_rights_le(r, top, &err) != 1 || ix_rights_eq(r, r, &err) != 1)
		abort();
	if (ix_rights_parse(d, text, strlen(text), NULL, 0, &back, &err) < 0 ||
	    ix_rights_eq(r, back, &err) != 1)
		abort();
	free(text);
	ix_rights_free(back);
	ix_rights_free(top);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ix_label_enc *enc;
	struct ix_rdecls *d;
	struct ix_rights *r = NULL;
	struct ix_err err;
	const char *nl = memchr(data, '\n', size);
	char *copy = NULL;
	const char *caps[10] = { "" };
	size_t ncaps = 0, len = size;
	int rc;

	setup(&enc, &d);
	if (nl != NULL) {
		char *p, *q;

		len = (size_t)(nl - (const char *)data);
		copy = malloc(size - len);
		if (copy == NULL)
			abort();
		memcpy(copy, nl + 1, size - len - 1);
		copy[size - len - 1] = '\0';
		ncaps = 1;
		for (p = copy; ncaps < 10 && p != NULL; p = q) {
			if ((q = strchr(p, '\n')) != NULL)
				*q++ = '\0';
			caps[ncaps++] = p;
		}
	}
	rc = ix_rights_parse(d, (const char *)data, len, nl ? caps : NULL, ncaps, &r, &err);
	if (rc < 0) {
		if (r != NULL || strstr(err.msg, "column ") == NULL)
			abort();
	} else {
		check_value(d, r);
	}
	ix_rights_free(r);
	free(copy);
	ix_rdecls_free(d);
	ix_label_enc_free(enc);
	return 0;
}
