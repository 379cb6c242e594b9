/* Internal to libcompart. */
#ifndef IX_COMPART_INT_H
#define IX_COMPART_INT_H
#include <stdbool.h>
#include "libcompart/compart.h"

/* Opens <cgroup2 mount>/dir (created when create is set); IX_ENOENT when
 * it is absent and not to be created. */
int ix_cgroup_top(const char *dir, bool create, struct ix_err *err);
/* Opens <cgroup2 mount>/ixkit (created when create is set). */
int ix_compart_parent(bool create, struct ix_err *err);
/* Reads the record of the compartment directory open on fd. */
int ix_compart_read(int fd, const char *name, struct ix_compart *out, struct ix_err *err);
/* Kills every member of the cgroup directory open on dir (cgroup.kill)
 * and waits up to timeout_ms until it is empty; what names it in errors.
 * 0, or -1 with *err (IX_ELIMIT: members remain). */
int ix_cgroup_kill_dir(int dir, const char *what, int timeout_ms, struct ix_err *err);
/* True when the process behind pidfd has exited (or pidfd is not a pidfd). */
bool ix_pidfd_gone(int pidfd);
#endif
