#include <stdlib.h>
#include <string.h>

#include "libauthtree/pcre.h"

/* Bounds for one match: enough for any sane template, small enough that a
 * catastrophic pattern fails fast instead of stalling privd. */
#define MATCH_LIMIT 100000
#define DEPTH_LIMIT 10000

pcre2_code *
ix_pcre_compile(const char *pattern, struct ix_err *err)
{
	pcre2_code *code;
	int ec;
	PCRE2_SIZE off;

	code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			     PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_NEVER_UTF |
			     PCRE2_DOLLAR_ENDONLY, &ec, &off, NULL);
	if (code == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(ec, msg, sizeof msg);
		ix_err_set(err, IX_EINVAL, "column %zu: %s", (size_t)off + 1, (char *)msg);
		return NULL;
	}
	/* JIT is an optimisation only; the interpreter gives the same answers. */
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	return code;
}

pcre2_match_context *
ix_pcre_match_context(void)
{
	pcre2_match_context *mc = pcre2_match_context_create(NULL);

	if (mc != NULL) {
		pcre2_set_match_limit(mc, MATCH_LIMIT);
		pcre2_set_depth_limit(mc, DEPTH_LIMIT);
	}
	return mc;
}

/* 0 no match, -1 error, else the number of ovector pairs the match set
 * (pairs beyond it belong to groups that did not take part). */
static int
run(const pcre2_code *code, const pcre2_match_context *mctx, const char *s, size_t len,
    pcre2_match_data *md, struct ix_err *err)
{
	int rc = pcre2_match(code, (PCRE2_SPTR)s, len, 0, 0, md, (pcre2_match_context *)mctx);

	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(rc, msg, sizeof msg);
		return ix_err_set(err, IX_ELIMIT, "pattern match failed: %s", (char *)msg);
	}
	return rc == 0 ? (int)pcre2_get_ovector_count(md) : rc;	/* 0: every pair set */
}

int
ix_pcre_test(const pcre2_code *code, const char *s, size_t len, struct ix_err *err)
{
	/* One pair: only "did it match" is asked, and a small ovector still
	 * reports a match. Not on a decision's path: its own context. */
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	pcre2_match_context *mctx = ix_pcre_match_context();
	int rc;

	if (md == NULL || mctx == NULL) {
		pcre2_match_data_free(md);
		pcre2_match_context_free(mctx);
		return ix_err_set(err, IX_ENOMEM, "out of memory matching a pattern");
	}
	rc = run(code, mctx, s, len, md, err);
	pcre2_match_data_free(md);
	pcre2_match_context_free(mctx);
	return rc > 0 ? 1 : rc;
}

int
ix_pcre_match(const pcre2_code *code, const pcre2_match_context *mctx, const char *s,
	      size_t len, char **caps, size_t *ncaps, struct ix_err *err)
{
	pcre2_match_data *md = pcre2_match_data_create(IX_PCRE_MAX_GROUPS + 1, NULL);
	PCRE2_SIZE *ov;
	uint32_t i, n;
	size_t bytes = 0;
	char *block;
	int rc;

	*ncaps = 0;
	if (md == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory matching a pattern");
	rc = run(code, mctx, s, len, md, err);
	if (rc <= 0) {
		pcre2_match_data_free(md);
		return rc;
	}
	ov = pcre2_get_ovector_pointer(md);
	n = pcre2_get_ovector_count(md);
	if (n > IX_PCRE_MAX_GROUPS + 1)
		n = IX_PCRE_MAX_GROUPS + 1;
	for (i = (uint32_t)rc; i < n; i++)
		ov[2 * i] = ov[2 * i + 1] = PCRE2_UNSET;
	for (i = 0; i < n; i++)
		if (ov[2 * i] != PCRE2_UNSET)
			bytes += ov[2 * i + 1] - ov[2 * i] + 1;
	/* Group 0, the whole match, is always set: caps[0] is the block. */
	block = malloc(bytes);
	if (block == NULL) {
		pcre2_match_data_free(md);
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		size_t l;

		caps[i] = NULL;
		if (ov[2 * i] == PCRE2_UNSET)
			continue;
		l = ov[2 * i + 1] - ov[2 * i];
		caps[i] = block;
		memcpy(block, s + ov[2 * i], l);
		block[l] = '\0';
		block += l + 1;
	}
	*ncaps = n;
	pcre2_match_data_free(md);
	return 1;
}

void
ix_pcre_caps_free(char **caps, size_t ncaps)
{
	if (ncaps > 0)
		free(caps[0]);	/* the block that holds them all */
	for (size_t i = 0; i < ncaps; i++)
		caps[i] = NULL;
}

/* A "|" outside every group makes the first word only one alternative. */
static int
has_top_level_alternation(const char *p)
{
	int depth = 0, in_class = 0;

	for (; *p != '\0'; p++) {
		if (*p == '\\') {
			if (p[1] == '\0')
				break;
			p++;
		} else if (in_class) {
			if (*p == ']')
				in_class = 0;
		} else if (*p == '[') {
			in_class = 1;
			if (p[1] == ']' || (p[1] == '^' && p[2] == ']'))
				p += p[1] == '^' ? 2 : 1;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			depth--;
		} else if (*p == '|' && depth <= 0) {
			return 1;
		}
	}
	return 0;
}

char *
ix_pcre_literal_prefix(const char *p)
{
	size_t n = 0;

	/* Only characters that are literal in PCRE2 and cannot be quantified
	 * away: stop before any metacharacter, and give up if the character
	 * after the word could make its last letter optional. */
	while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
	       (p[n] >= '0' && p[n] <= '9') || p[n] == '_' || p[n] == '-')
		n++;
	if (n == 0)
		return NULL;
	if (p[n] == ' ' && p[n + 1] != '\0' && strchr("*?+{", p[n + 1]) != NULL)
		return NULL;
	if (p[n] != '\0' && p[n] != ' ')
		return NULL;
	if (has_top_level_alternation(p))
		return NULL;
	return strndup(p, n);
}
