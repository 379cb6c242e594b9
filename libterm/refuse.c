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
	/* Reasons carry names others chose (commands, socket and file
	 * paths) and are written to the person's terminal and the audit:
	 * no control character reaches either. */
	for (unsigned char *c = (unsigned char *)why; *c != '\0'; c++)
		if (*c < 0x20 || *c == 0x7f)
			*c = '?';
	return 0;
}
