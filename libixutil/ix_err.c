#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "libixutil/ix_err.h"

int
ix_err_set(struct ix_err *e, enum ix_errcode code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	e->code = code;
	e->sys_errno = 0;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

int
ix_err_sys(struct ix_err *e, const char *fmt, ...)
{
	int saved = errno;
	size_t n;
	va_list ap;

	if (e == NULL)
		return -1;
	e->code = IX_ESYS;
	e->sys_errno = saved;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	n = strlen(e->msg);
	snprintf(e->msg + n, sizeof e->msg - n, ": %s", strerror(saved));
	errno = saved;
	return -1;
}

int
ix_err_prefix(struct ix_err *e, const char *fmt, ...)
{
	char head[IX_ERR_MSG_MAX], old[IX_ERR_MSG_MAX];
	va_list ap;

	if (e == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(head, sizeof head, fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof old);
	snprintf(e->msg, sizeof e->msg, "%s: %s", head, old);
	return -1;
}

void
ix_err_clear(struct ix_err *e)
{
	if (e == NULL)
		return;
	e->code = IX_OK;
	e->sys_errno = 0;
	e->msg[0] = '\0';
}
