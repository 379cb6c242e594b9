/* Helpers shared by the libauthtree tests (policy, eval, edit, store):
 * reading the demo policy, parsing with failure messages, and asserting a
 * parse error's exact position and substance. */
#ifndef TEST_POLICY_UTIL_H
#define TEST_POLICY_UTIL_H

#include <stddef.h>

#include "libauthtree/policy.h"

/* Whole file, NUL-terminated (len excludes the NUL); fails the test on
 * error. Caller frees. */
char *tp_read_file(const char *path, size_t *len);

/* $IXKIT_SRCDIR/etc/demo.policy (IXKIT_SRCDIR defaults to "."). */
char *tp_demo_text(size_t *len);

/* Parses text (strlen) named name; fails the test with the message on
 * error. */
struct ix_policy *tp_parse(const char *name, const char *text);
struct ix_policy *tp_demo(void);

/* ix_policy_print or fail. Caller frees. */
char *tp_print(const struct ix_policy *p);

/* Parses len bytes of text as "t.policy" and asserts that it fails with
 * code, that the message begins with where ("t.policy:3:9: ") and that it
 * contains every non-NULL string of what (NULL-terminated list). */
void tp_reject_n(const char *text, size_t len, enum ix_errcode code, const char *where,
		 const char *const *what);
/* tp_reject_n with the writer's options (opts may be NULL). */
void tp_reject_opts(const struct ix_policy_opts *opts, const char *text, size_t len,
		    enum ix_errcode code, const char *where, const char *const *what);

/* tp_reject_n on a NUL-terminated text with one substance string. */
void tp_reject(const char *text, enum ix_errcode code, const char *where, const char *what);

#endif
