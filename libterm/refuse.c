/*
 * The reason a libterm check gives (refuse.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "libterm/refuse.h"

int
ix_term_refuse(char *why, size_t whysize, const char *fmt, ...)
{
	va_list ap;

	if (whysize == 0)
		return 0;
	va_start(ap, fmt);
	vsnprintf(why, whysize, fmt, ap);
	va_end(ap);
	return 0;
}
