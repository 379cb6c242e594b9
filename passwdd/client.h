/*
 * The client half of passwdd's protocol, for privd, sessiond, the PAM
 * module and pwcheck. Each call is one connection: connect, banner/hello,
 * one request, one answer. Client functions pair with the server's
 * handlers in passwdd.c (pw_client_verify / answer_verify, ...).
 */
#ifndef PW_CLIENT_H
#define PW_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libixutil/ix_err.h"
#include "passwdd/proto.h"

/*
 * Asks passwdd at socket_path to verify that the person at party_fd is
 * user. client_pidfd is the pidfd of the process for whom the question is
 * asked (-1: this process). The descriptors stay the caller's. timeout_ms
 * bounds each step; the whole verification can take as long as the person
 * takes to answer, so pass the server's prompt timeout and some.
 * Returns the verdict (enum pw_verdict, >= 0), or -1 with *err: the server
 * could not be reached (IX_ESYS), spoke wrongly (IX_EINVAL, IX_EVERSION)
 * or refused the request with an ERROR (its code and words in *err).
 */
int pw_client_verify(const char *socket_path, const char *user, int party_fd,
    int client_pidfd, int timeout_ms, struct ix_err *err);

/* As pw_client_verify, but only a fresh one-time code is asked: no
 * password, whatever the path, and no session tag. For a confirmation
 * over a path that is not private (privd). */
int pw_client_verify_otp(const char *socket_path, const char *user, int party_fd,
    int client_pidfd, int timeout_ms, struct ix_err *err);

/* Registers (replacing) the tag (cgroup, token) for ids[0..n-1], living
 * lifetime seconds. Only sessiond's user may. Returns 0 or -1 with *err. */
int pw_client_tag_register(const char *socket_path, uint64_t cgroup,
    const uint8_t *token, const char *const *ids, size_t n, uint32_t lifetime,
    int timeout_ms, struct ix_err *err);
/* Removes the tag. Returns 0, or -1 with *err (IX_ENOENT: no such tag). */
int pw_client_tag_unregister(const char *socket_path, uint64_t cgroup,
    const uint8_t *token, int timeout_ms, struct ix_err *err);

/* True when e is passwdd's "busy" answer (libipc/SERVER.md): a limit of
 * passwdd(8) was reached for this user or for everyone, nothing was
 * asked, and the same request may succeed a little later. */
bool pw_client_busy(const struct ix_err *e);

/* "granted", "authentication failed", "locked" or "?". */
const char *pw_verdict_name(int verdict);

#endif
