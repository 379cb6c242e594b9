/*
 * The confinement every server's worker ends its prelude with (the server
 * kit, libipc/srv.h): a process that parses a client's messages and relays
 * them to its monitor needs no file, no new socket, no process and no
 * signal, so it gets none of them. Used as the kit's confine hook.
 */
#ifndef IX_WORKERCONF_H
#define IX_WORKERCONF_H

#include "libixutil/ix_err.h"

/*
 * After no_new_privs: Landlock with every filesystem right of the running
 * kernel handled and none granted (nothing can be opened, created or
 * removed), the signal and abstract-socket scopes where the kernel has
 * them, and a seccomp allow-list of reading and writing its descriptors,
 * memory, time and exit; anything else kills the process. who names the
 * worker in errors. Returns 0, or -1 with *err (a kernel without Landlock
 * is not an error: the seccomp filter still applies).
 */
int ix_worker_confine(const char *who, struct ix_err *err);

#endif
