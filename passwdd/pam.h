/*
 * The PAM backend: verifies a secret already collected by passwdd against
 * a PAM service's auth stack (pam_authenticate, then pam_acct_mgmt).
 * passwdd never lets PAM talk to the person: the conversation answers
 * every echo-off question with the secret and fails on anything else.
 */
#ifndef PW_PAM_H
#define PW_PAM_H

#include "libixutil/ix_err.h"

/* Returns 1 accepted, 0 refused, -1 with *err (PAM could not start). */
int pw_pam_check(const char *service, const char *user, const char *secret,
    struct ix_err *err);

#endif
