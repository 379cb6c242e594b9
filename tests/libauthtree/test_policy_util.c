/* Helpers shared by the libauthtree tests (see test_policy_util.h). */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/libauthtree/test_policy_util.h"

char *
tp_read_file(const char *path, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		fail_msg("cannot open %s", path);
	assert_non_null(buf);
	while ((r = read(fd, buf + n, cap - n - 1)) > 0) {
		n += (size_t)r;
		if (n + 1 == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	assert_true(r == 0);
	close(fd);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

char *
tp_demo_text(size_t *len)
{
	const char *top = getenv("IXKIT_SRCDIR");
	char path[4096];

	snprintf(path, sizeof path, "%s/etc/demo.policy", top ? top : ".");
	return tp_read_file(path, len);
}

struct ix_policy *
tp_parse(const char *name, const char *text)
{
	struct ix_policy *p = NULL;
	struct ix_err e = { 0 };

	if (ix_policy_parse(name, text, strlen(text), NULL, &p, &e) != 0)
		fail_msg("%s rejected: %s", name, e.msg);
	assert_non_null(p);
	return p;
}

struct ix_policy *
tp_demo(void)
{
	char *text = tp_demo_text(NULL);
	struct ix_policy *p = tp_parse("demo.policy", text);

	free(text);
	return p;
}

char *
tp_print(const struct ix_policy *p)
{
	struct ix_err e = { 0 };
	char *s = ix_policy_print(p, &e);

	if (s == NULL)
		fail_msg("ix_policy_print: %s", e.msg);
	return s;
}

void
tp_reject_n(const char *text, size_t len, enum ix_errcode code, const char *where,
	    const char *const *what)
{
	tp_reject_opts(NULL, text, len, code, where, what);
}

void
tp_reject_opts(const struct ix_policy_opts *opts, const char *text, size_t len,
	       enum ix_errcode code, const char *where, const char *const *what)
{
	struct ix_policy *p = (struct ix_policy *)&p;	/* must stay untouched or be NULL */
	struct ix_err e = { 0 };

	if (ix_policy_parse("t.policy", text, len, opts, &p, &e) == 0)
		fail_msg("accepted, expected '%s' error", where);
	if (strncmp(e.msg, where, strlen(where)) != 0)
		fail_msg("message '%s' does not begin with '%s'", e.msg, where);
	for (; what != NULL && *what != NULL; what++)
		if (strstr(e.msg, *what) == NULL)
			fail_msg("message '%s' does not contain '%s'", e.msg, *what);
	/* The position is said once, in front, without leftovers. */
	if (strstr(e.msg, ": :") != NULL || strstr(e.msg + strlen(where), "column") != NULL)
		fail_msg("message '%s' is garbled or says the column twice", e.msg);
	if (e.code != code)
		fail_msg("message '%s': code %d, expected %d", e.msg, (int)e.code, (int)code);
}

void
tp_reject(const char *text, enum ix_errcode code, const char *where, const char *what)
{
	const char *const w[] = { what, NULL };

	tp_reject_n(text, strlen(text), code, where, w);
}
