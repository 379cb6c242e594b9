/* Shared fixture of the passwdd unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tests/passwdd/test_pw_util.h"

int
pw_fx_setup(void **state)
{
	struct pw_fx *f = calloc(1, sizeof *f);
	struct ix_err e;

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/test_passwdd.XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/passwdd.db", f->dir);
	if (pw_store_open(f->path, PW_STORE_CREATE, &f->st, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		rmdir(f->dir);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

int
pw_fx_teardown(void **state)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	struct pw_fx *f = *state;
	char p[192];
	size_t i;

	pw_store_close(f->st);
	for (i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}
