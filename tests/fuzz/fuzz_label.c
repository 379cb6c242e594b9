/*
 * Fuzz target for the label parser: any input either is rejected with a
 * message naming a column, or parses to a label whose canonical text
 * parses back to the same label.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "liblattice/label.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ix_label_enc *
make_enc(void)
{
	static const char *const levels[] = { "unclassified", "confidential", "secret",
					      "topsecret" };
	static const struct {
		const char *name;
		int bit;
	} cats[] = { { "projectbit", 0 }, { "otherbit", 1 }, { "crypto", 7 },
		     { "nato", 64 }, { "x-ray_2", 200 }, { "last", 255 } };
	struct ix_label_enc *enc = ix_label_enc_new();
	size_t i;

	if (enc == NULL)
		abort();
	for (i = 0; i < sizeof levels / sizeof levels[0]; i++)
		if (ix_label_enc_add_level(enc, levels[i], NULL) < 0)
			abort();
	for (i = 0; i < sizeof cats / sizeof cats[0]; i++)
		if (ix_label_enc_add_category(enc, cats[i].name, cats[i].bit, NULL) < 0)
			abort();
	return enc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ix_label_enc *enc = make_enc();
	struct ix_label a, b;
	struct ix_err err;
	char buf[IX_LABEL_TEXT_MAX + 1];
	int n;

	if (ix_label_parse(enc, (const char *)data, size, &a, &err) < 0) {
		if (strstr(err.msg, " at column ") == NULL)
			abort();
	} else {
		n = ix_label_print(enc, &a, buf, sizeof buf, &err);
		if (n < 0 || ix_label_parse(enc, buf, (size_t)n, &b, &err) < 0 ||
		    !ix_label_eq(&a, &b))
			abort();
	}
	ix_label_enc_free(enc);
	return 0;
}
