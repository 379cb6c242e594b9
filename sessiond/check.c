/*
 * Whether the screen is cleared (check.h).
 */
#include "sessiond/check.h"

bool
sess_must_clear(const struct ix_label *from, const struct ix_label *to)
{
	return !ix_label_le(from, to);
}
