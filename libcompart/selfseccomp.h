/*
 * A daemon's seccomp allow-list for its own process (passwdd, privd): the
 * system calls it names, plus a few argument-checked groups, everything
 * else killing the process. Kept apart from seal.h, which builds the
 * filters of the processes a compartment runs.
 */
#ifndef IX_SELFSECCOMP_H
#define IX_SELFSECCOMP_H
#include <stddef.h>
#include "libixutil/ix_err.h"

#define IX_SC_FORK 0x1u	/* clone without a new namespace; clone3 fails ENOSYS (libc
			 * falls back to clone, whose flags a filter can see) */
#define IX_SC_TTY 0x2u	/* the terminal ioctls of a prompt: TCGETS, TCSETS, TCSETSW,
			 * TCSETSF, TCFLSH (ioctl is otherwise a door to every driver) */
#define IX_SC_UNIX 0x4u	/* socket(AF_UNIX, ...) and no other family: no network */

/*
 * Loads a filter on the calling thread (no_new_privs must be set, or
 * CAP_SYS_ADMIN held) that allows the n system calls named (a name this
 * architecture lacks is skipped) and the groups of flags (IX_SC_*), and
 * kills the process on anything else. who names the daemon in errors.
 * Returns 0 or -1 with *err.
 */
int ix_selfseccomp_allow(const char *who, const char *const *names, size_t n, unsigned flags,
			 struct ix_err *err);

/*
 * Stacks a second filter that kills the process on each of the n system
 * calls named and lets the rest through to the filters already loaded: a
 * process narrows what it inherited (a worker that must not fork or exec
 * what its parent may). no_new_privs must be set and the filters already
 * loaded must allow seccomp(2). Returns 0 or -1 with *err.
 */
int ix_selfseccomp_deny(const char *who, const char *const *names, size_t n, struct ix_err *err);
#endif
