/*
 * Administrator-session tags: which identities sessiond verified for one
 * of its sessions and until when, so that passwdd need not ask again for
 * a client running inside that session.
 *
 * A session is named by its compartment cgroup's id (the cgroup v2
 * directory's inode number: 64 bits, never reused while the system runs)
 * and a random token that only sessiond knows, so that no one else can
 * remove or replace a tag. The tags are rows of the secrets database, so
 * every worker sees the same table; passwdd drops them all when it starts.
 */
#ifndef PW_TAGS_H
#define PW_TAGS_H

#include <stdint.h>
#include <sys/types.h>

#include "libixutil/ix_err.h"
#include "passwdd/store.h"

/* The pid a pidfd refers to (its fdinfo "Pid:" line). Returns the pid,
 * 0 when the process has exited, or -1 with *err (not a pidfd). */
pid_t pw_pidfd_pid(int pidfd, struct ix_err *err);

/* The id of the cgroup v2 that pid lives in, read from /proc/PID/cgroup
 * and the inode of that directory under cgroot (normally /sys/fs/cgroup),
 * then confirmed: the pidfd must still name a live process afterwards, so
 * a recycled pid is never taken for the client. Returns 0 with *id, or -1
 * with *err (IX_ENOENT: the process exited). */
int pw_client_cgroup(int pidfd, pid_t pid, const char *cgroot, uint64_t *id,
    struct ix_err *err);

/* Is the client (pid behind pidfd) inside a tagged session that holds
 * identity and has not expired at now? Expired tags are dropped first;
 * cgroot NULL (no cgroup v2 mounted) never matches.
 * Returns 1 yes, 0 no, -1 with *err. */
int pw_tag_covers(struct pw_store *st, int pidfd, pid_t pid, const char *cgroot,
    const char *identity, int64_t now, struct ix_err *err);

#endif
