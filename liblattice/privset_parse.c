/*
 * Text form of privilege sets.
 *
 * Grammar (ws = space or tab; names in any case, with or without "cap_"):
 *	set  = ws* [ item ( ws* "," ws* item )* ] ws*
 *	item = "ALL" | privilege-name
 * The parser stops at the first error and reports its 1-based column.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "liblattice/privset.h"
#include "liblattice/privset_int.h"

static bool
is_name(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static void
skip_ws(const char *s, size_t len, size_t *i)
{
	while (*i < len && (s[*i] == ' ' || s[*i] == '\t'))
		(*i)++;
}

static int
unexpected(const char *s, size_t len, size_t at, const char *wanted, char *why, size_t whysize,
	   size_t *pos, enum ix_errcode *code)
{
	unsigned char c = at < len ? (unsigned char)s[at] : 0;

	*pos = at;
	*code = IX_EINVAL;
	if (at >= len)
		snprintf(why, whysize, "expected %s but the text ends", wanted);
	else if (c > 0x20 && c < 0x7f)
		snprintf(why, whysize, "unexpected '%c', expected %s", c, wanted);
	else
		snprintf(why, whysize, "unexpected byte 0x%02x, expected %s", c, wanted);
	return -1;
}

/*
 * The parser proper; ix_privset_parse_pos adds the check of its result.
 * Inlined there, as label_parse.c's parser is, so that a release build
 * compiles ix_privset_parse_pos as it did before the check.
 */
static inline __attribute__((always_inline)) int
parse(const char *text, size_t len, struct ix_privset *out, char *why, size_t whysize,
      size_t *pos, enum ix_errcode *code)
{
	struct ix_privset s;
	const char *nul;
	size_t i = 0, b;
	int bit;

	*code = IX_EINVAL;
	if (len > IX_PRIVSET_TEXT_MAX) {
		*pos = IX_PRIVSET_TEXT_MAX;
		*code = IX_ELIMIT;
		snprintf(why, whysize, "privilege set longer than %d bytes", IX_PRIVSET_TEXT_MAX);
		return -1;
	}
	if ((nul = memchr(text, '\0', len)) != NULL) {
		*pos = (size_t)(nul - text);
		snprintf(why, whysize, "NUL byte in privilege set");
		return -1;
	}
	ix_privset_empty(&s);
	skip_ws(text, len, &i);
	if (i == len) {
		*out = s;
		return 0;
	}
	for (;;) {
		b = i;
		while (i < len && is_name(text[i]))
			i++;
		if (i == b)
			return unexpected(text, len, i, "a privilege name", why, whysize, pos, code);
		if (i - b == 3 && strncasecmp(text + b, "ALL", 3) == 0) {
			ix_privset_all(&s);
		} else if ((bit = ix_priv_bit(text + b, i - b)) >= 0) {
			ix_privset_add(&s, bit);
		} else {
			*pos = b;
			snprintf(why, whysize, "unknown privilege '%.*s'",
				 (int)(i - b > 64 ? 64 : i - b), text + b);
			return -1;
		}
		skip_ws(text, len, &i);
		if (i == len)
			break;
		if (text[i] != ',')
			return unexpected(text, len, i, "',' or the end of the set", why, whysize,
					  pos, code);
		i++;
		skip_ws(text, len, &i);
	}
	*out = s;
	return 0;
}

int
ix_privset_parse_pos(const char *text, size_t len, struct ix_privset *out,
		     char *why, size_t whysize, size_t *pos, enum ix_errcode *code)
{
	if (parse(text, len, out, why, whysize, pos, code) < 0)
		return -1;
	assert(ix_privset_check_text(out));
	return 0;
}

int
ix_privset_parse(const char *text, size_t len, struct ix_privset *out, struct ix_err *err)
{
	char why[IX_ERR_MSG_MAX - 32];
	enum ix_errcode code;
	size_t pos;

	if (ix_privset_parse_pos(text, len, out, why, sizeof why, &pos, &code) < 0)
		return ix_err_set(err, code, "%s at column %zu", why, pos + 1);
	return 0;
}

int
ix_privset_print(const struct ix_privset *s, char *buf, size_t size, struct ix_err *err)
{
	struct ix_privset all;
	const char *name;
	size_t n = 0, l;
	int bit;

	if (size == 0)
		return ix_err_set(err, IX_ELIMIT, "no room to print a privilege set");
	buf[0] = '\0';
	ix_privset_all(&all);
	if (ix_privset_eq(s, &all)) {
		if (size < 4)
			goto toolong;
		memcpy(buf, "ALL", 4);
		return 3;
	}
	for (bit = 0; bit < IX_PRIV_BITS; bit++) {
		if (!ix_privset_has(s, bit) || (name = ix_priv_name(bit)) == NULL)
			continue;
		l = strlen(name);
		if (n + (n > 0) + l >= size)
			goto toolong;
		if (n > 0)
			buf[n++] = ',';
		memcpy(buf + n, name, l + 1);
		n += l;
	}
	return (int)n;
toolong:
	return ix_err_set(err, IX_ELIMIT, "privilege set text does not fit in %zu bytes", size);
}

#ifndef NDEBUG
bool
ix_privset_check_text(const struct ix_privset *s)
{
	char text[IX_PRIVSET_TEXT_MAX + 1], again[IX_PRIVSET_TEXT_MAX + 1], why[IX_ERR_MSG_MAX];
	struct ix_privset back;
	enum ix_errcode code;
	size_t pos;
	int n, rc;

	assert(ix_privset_check(s));
	/* every name of the universe, with commas, is far below the limit */
	n = ix_privset_print(s, text, sizeof text, NULL);
	assert(n >= 0);
	rc = parse(text, (size_t)n, &back, why, sizeof why, &pos, &code);
	assert(rc == 0);
	assert(ix_privset_eq(&back, s));
	rc = ix_privset_print(&back, again, sizeof again, NULL);
	assert(rc == n && strcmp(again, text) == 0);
	return true;
}
#endif
