/*
 * Fuzz target for the nosh parser. Beyond "no crash": a parse either fails
 * with a NAME:LINE:COLUMN message and no commands, or yields commands whose
 * program is a path or a built-in, with every word NUL-free.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nosh/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nosh_script s;
	struct ix_err err;

	if (nosh_parse("f", (const char *)data, size, 1, &s, &err) < 0) {
		if (s.n != 0 || s.cmds != NULL || strncmp(err.msg, "f:", 2) != 0)
			abort();
		return 0;
	}
	for (size_t i = 0; i < s.n; i++) {
		const struct nosh_cmd *c = &s.cmds[i];
		const char *p = c->argv[0];

		if (c->argc == 0 || c->argv[c->argc] != NULL)
			abort();
		if (c->kind == NOSH_RUN && p[0] != '/' && strncmp(p, "./", 2) != 0)
			abort();
		if (c->kind != NOSH_RUN && (c->caps || c->out))
			abort();
		if (c->out && c->out[0] == '\0')
			abort();
	}
	if (memchr(data, '\0', size) != NULL)
		abort();
	nosh_script_free(&s);
	return 0;
}
