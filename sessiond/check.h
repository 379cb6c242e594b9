/*
 * What sessiond decides for itself, a pure function: whether the screen
 * is cleared. Whether a user may work at a label from a port, with which
 * ceiling and which shell, is the tree's: ix_decide_session
 * (libauthtree/session.h).
 */
#ifndef SESSIOND_CHECK_H
#define SESSIOND_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "libauthtree/policy.h"
#include "libauthtree/session.h"

#define SESSIOND_WHY_MAX 512

/* Whether the screen must be cleared when moving from label from to label
 * to: everything on it may be read at to only when to dominates from. */
bool sess_must_clear(const struct ix_label *from, const struct ix_label *to);

#endif
