/*
 * Run groups: a cgroup v2 directory <cgroup2 mount>/ixkit-run/<name> for
 * each privileged action a server starts, so that the action is ended
 * whole — its program and everything it forked, background children
 * included — when it ends, when its monitor dies, or when the server
 * stops (cgroup.kill). Not a compartment: no label, no Landlock; an
 * action with a ceiling runs in a compartment instead (compart.h), which
 * is ended the same way.
 */
#ifndef IX_RUNGROUP_H
#define IX_RUNGROUP_H

#include <stddef.h>

#include "libcompart/compart.h"

#define IX_RUNGROUP_PARENT "ixkit-run"	/* directory under the cgroup2 mount */

/* Creates the run group name (a compartment name's syntax), replacing a
 * stale one of that name after emptying it. Returns its directory
 * (O_DIRECTORY|O_CLOEXEC, for CLONE_INTO_CGROUP), or -1 with *err. */
int ix_rungroup_create(const char *name, struct ix_err *err);
/* Opens cgroup.kill of the run group name for writing "1" later, from a
 * signal handler if need be. Returns the descriptor or -1 with *err. */
int ix_rungroup_kill_fd(const char *name, struct ix_err *err);
/* Kills every member of the run group name, waits up to timeout_ms for it
 * to be empty, and removes it. An absent group is not an error. Returns
 * 0, or -1 with *err. */
int ix_rungroup_end(const char *name, int timeout_ms, struct ix_err *err);
/* The names of the run groups that begin with prefix, in *names (malloc'd
 * array of IX_COMPART_NAME_MAX + 1 byte names; free it). Returns 0 (none:
 * *n 0, also when no run group was ever made) or -1 with *err. */
int ix_rungroup_list(const char *prefix, char (**names)[IX_COMPART_NAME_MAX + 1], size_t *n,
		     struct ix_err *err);

#endif
