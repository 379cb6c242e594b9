/*
 * Licences: file capabilities (security.capability), the IX notion of a
 * program licensed to hold some privileges when it runs. Set only by
 * privileged servers (CAP_SETFCAP); labelled processes can neither set
 * nor remove them (tier 1 hook; tier 2 never grants CAP_SETFCAP inside a
 * compartment). Writing to a file clears its licence (the kernel does).
 */
#ifndef IX_LICENCE_H
#define IX_LICENCE_H
#include <stdbool.h>
#include <stdint.h>
#include "libixutil/ix_err.h"

/* The permitted set licensed to the regular file open on fd (bit n =
 * capability n); *licensed false when it has none. */
int ix_licence_get(int fd, uint64_t *caps, bool *licensed, struct ix_err *err);
/* Licenses the file for exactly caps (permitted and effective); caps == 0
 * removes the licence. fd must be a regular file opened for reading. */
int ix_licence_set(int fd, uint64_t caps, struct ix_err *err);
#endif
