/*
 * Internal to libterm: the checks (pex, the prompt, the provider check)
 * answer "refused" with a reason in the caller's buffer.
 */
#ifndef IX_TERM_REFUSE_H
#define IX_TERM_REFUSE_H
#include <stddef.h>

/* Writes the reason (printf-style) into why, cut to whysize bytes and
 * with every control character made '?', when whysize is not 0, and
 * returns 0, the verdict "refused". */
int ix_term_refuse(char *why, size_t whysize, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#endif
