#include <stdbool.h>

#include "libauthtree/pred.h"
#include "libauthtree/pred_user.h"

/* The message below spells the limit out. */
_Static_assert(IX_USER_NAME_MAX == 32, "update the too-long message");

static bool
user_first(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || c == '_';
}

static bool
user_rest(unsigned char c)
{
	return user_first(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

const char *
ix_user_name_check(const char *s, size_t len, size_t *bad)
{
	size_t i, body = len;

	*bad = 0;
	if (len == 0)
		return "is empty";
	if (len > IX_USER_NAME_MAX) {
		*bad = IX_USER_NAME_MAX;
		return "is longer than 32 bytes";
	}
	if (s[len - 1] == '$')
		body = len - 1;
	if (body == 0 || !user_first((unsigned char)s[0]))
		return "must start with a lower-case letter or '_'";
	for (i = 1; i < body; i++) {
		if (!user_rest((unsigned char)s[i])) {
			*bad = i;
			return "may hold only a-z, 0-9, '_', '.', '-' and a final '$'";
		}
	}
	return NULL;
}
