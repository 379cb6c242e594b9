/*
 * What a command inherits of nosh's capabilities: nothing, unless its line
 * names them with a + prefix (nosh(1), CAPABILITIES).
 */
#ifndef NOSH_PRIV_H
#define NOSH_PRIV_H

#include <stdint.h>

#include "libixutil/ix_err.h"

/* In nosh, before forking: returns 0 if every capability in caps (bit n =
 * capability n) is in nosh's permitted set and bounding set, so that it can
 * be made ambient; else -1 with err naming the first one missing. */
int nosh_priv_check(uint64_t caps, struct ix_err *err);

/* In the child, just before execve: sets the inheritable and ambient sets
 * to exactly caps and, when any uid is 0, sets and locks SECBIT_NOROOT and
 * SECBIT_NO_SETUID_FIXUP so that uid 0 regains nothing at exec. Returns 0,
 * or -1 with err set (the child must then not exec). */
int nosh_priv_child(uint64_t caps, struct ix_err *err);

#endif
