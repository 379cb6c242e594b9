/*
 * Login-name syntax, shared by PW(user) predicates and the action
 * language's AS(user): [a-z_][a-z0-9_.-]*, at most IX_USER_NAME_MAX bytes,
 * an optional trailing "$" (Samba machine accounts) included in the count.
 */
#ifndef IX_PRED_USER_H
#define IX_PRED_USER_H

#include <stddef.h>

/* Returns NULL when s[0..len) is a login name; otherwise a reason for the
 * message ("is empty", ...) and, in *bad, the offset of the offending byte
 * (len for an empty or over-long name's end). */
const char *ix_user_name_check(const char *s, size_t len, size_t *bad);

#endif
