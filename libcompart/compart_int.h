/* Internal to libcompart. */
#ifndef IX_COMPART_INT_H
#define IX_COMPART_INT_H
#include <stdbool.h>
#include "libcompart/compart.h"

/* Opens <cgroup2 mount>/ixkit (created when create is set). */
int ix_compart_parent(bool create, struct ix_err *err);
/* Reads the record of the compartment directory open on fd. */
int ix_compart_read(int fd, const char *name, struct ix_compart *out, struct ix_err *err);
/* True when the process behind pidfd has exited (or pidfd is not a pidfd). */
bool ix_pidfd_gone(int pidfd);
#endif
