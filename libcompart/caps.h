/*
 * Identity and exact capabilities for a context-free child. Runs in the
 * child between fork and exec: system calls only, no allocation.
 */
#ifndef IX_CAPS_H
#define IX_CAPS_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define IX_CAPS_MAX_GROUPS 64

struct ix_ids {
	uid_t uid;
	gid_t gid;
	gid_t groups[IX_CAPS_MAX_GROUPS];
	size_t ngroups;
};

/*
 * Becomes ids with exactly caps (bit n = capability n) in the permitted,
 * effective, inheritable and ambient sets, every other capability dropped
 * from the bounding set, and the securebits that keep it so locked
 * (NOROOT, NO_SETUID_FIXUP, KEEP_CAPS off, NO_CAP_AMBIENT_RAISE). The
 * caller must be root with CAP_SETPCAP, CAP_SETUID and CAP_SETGID.
 * Returns 0, or -errno with *step naming what failed.
 */
int ix_caps_enter(const struct ix_ids *ids, uint64_t caps, const char **step);

/*
 * Narrows a root daemon to the capabilities keep (bit n = capability n;
 * bits above the running kernel's last are ignored): the bounding set cut
 * to them, the permitted and effective sets exactly them, inheritable and
 * ambient empty. Everything the caller starts inherits the cut bounding
 * set, nothing else: safe before context-free execs, which set their
 * child's capabilities themselves. Returns 0, or -errno with *step.
 */
int ix_caps_narrow(uint64_t keep, const char **step);

/* Highest capability number of the running kernel. */
int ix_caps_last(void);
#endif
