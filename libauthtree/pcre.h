/*
 * PCRE2 for rule templates and port patterns: compiled anchored at both
 * ends (the whole request or stream identifier must match), JIT where the
 * machine allows it, and matched with bounded limits so that a hostile
 * pattern in a policy cannot stall the server.
 */
#ifndef IX_AT_PCRE_H
#define IX_AT_PCRE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>

#include "libixutil/ix_err.h"

#define IX_PCRE_MAX_GROUPS 9

/* Compiles pattern; errors give PCRE2's message and 1-based column.
 * Returns the code or NULL. */
pcre2_code *ix_pcre_compile(const char *pattern, struct ix_err *err);

/* The match context with this file's bounds on a match, made once per
 * policy (its index holds it): read-only while matching, so any number of
 * threads share it. NULL when out of memory. Free with
 * pcre2_match_context_free. */
pcre2_match_context *ix_pcre_match_context(void);

/*
 * Matches s (len bytes) against code within mctx's bounds
 * (ix_pcre_match_context). On a match fills caps[0..ncaps-1] with copies
 * of the whole match and the groups (NULL for a group that did not take
 * part), all in one allocation, and returns 1; returns 0 on no match, -1
 * on error (limits exceeded, memory). caps must hold IX_PCRE_MAX_GROUPS +
 * 1 entries; free them with ix_pcre_caps_free.
 */
int ix_pcre_match(const pcre2_code *code, const pcre2_match_context *mctx, const char *s,
		  size_t len, char **caps, size_t *ncaps, struct ix_err *err);
/* Match without captures, within the same bounds: 1, 0 or -1. */
int ix_pcre_test(const pcre2_code *code, const char *s, size_t len, struct ix_err *err);
void ix_pcre_caps_free(char **caps, size_t ncaps);

/*
 * The literal first word every match of pattern must begin with, followed
 * by a space or the end ("downgrade (\S+) (\S+)" -> "downgrade",
 * "tcpgateway" -> "tcpgateway"), or NULL when the pattern does not start
 * with a plain literal word. malloc'd.
 */
char *ix_pcre_literal_prefix(const char *pattern);

#endif
