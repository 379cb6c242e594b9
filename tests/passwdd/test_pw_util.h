/* A fresh secrets database in a temporary directory, for the passwdd
 * unit tests (cmocka setup/teardown). */
#ifndef TEST_PW_UTIL_H
#define TEST_PW_UTIL_H

#include "passwdd/store.h"

struct pw_fx {
	char dir[64];		/* the temporary directory */
	char path[128];		/* dir/passwdd.db */
	struct pw_store *st;	/* open on path */
};

/* *state becomes a struct pw_fx; returns 0 or -1 (cmocka's convention). */
int pw_fx_setup(void **state);
/* Closes and removes the database and its WAL files. */
int pw_fx_teardown(void **state);

#endif
