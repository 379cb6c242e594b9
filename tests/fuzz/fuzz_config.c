/*
 * Fuzz target for ixkit.conf's parser (libixutil/ix_config.c,
 * ix_config_parse), which every program runs on the file an
 * administrator wrote. Beyond not crashing: a file accepted leaves every
 * value non-empty and shorter than IX_PATH_MAX, NUL-terminated; a file
 * refused leaves the configuration exactly as it was.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libixutil/ix_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ix_config c, before;
	struct ix_err e;
	const char *v[] = { c.db, c.rundir, c.log, c.audit_head };

	memset(&c, 0, sizeof c);
	strcpy(c.db, "/d");
	strcpy(c.rundir, "/r");
	strcpy(c.log, "stderr");
	strcpy(c.audit_head, "/h");
	before = c;
	if (ix_config_parse(&c, "fuzz.conf", (const char *)data, size, &e) < 0) {
		if (memcmp(&c, &before, sizeof c) != 0)
			abort();
		return 0;
	}
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		if (v[i][0] == '\0' || strnlen(v[i], IX_PATH_MAX) >= IX_PATH_MAX)
			abort();
	if (strnlen(c.privd_user, IX_PATH_MAX) >= IX_PATH_MAX ||
	    strnlen(c.sessiond_user, IX_PATH_MAX) >= IX_PATH_MAX ||
	    strnlen(c.passwdd_failure_budget, IX_PATH_MAX) >= IX_PATH_MAX)
		abort();
	return 0;
}
