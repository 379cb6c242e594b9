/*
 * The confinement of passwdd's monitor, entered in each slot once its
 * worker and helper are forked (slot.c): the monitor is the only process
 * that opens the secrets database.
 */
#ifndef PW_CONFINE_H
#define PW_CONFINE_H

#include "libcompart/caps.h"
#include "libixutil/ix_err.h"

#define PW_DEFAULT_USER "ixkit-passwd"

/* The identity of user name: its uid and primary group, no supplementary
 * group. Refuses uid 0 (IX_EDENIED) and an unknown name (IX_ENOENT). */
int pw_confine_ids(const char *name, struct ix_ids *ids, struct ix_err *err);

/*
 * Becomes ids with no capability at all (bounding, ambient and
 * inheritable sets empty, securebits locked), keeping the parent-death
 * signal the caller had (the kernel clears it with the uid), sets
 * no_new_privs, enters a
 * Landlock domain where only dbdir (the directory of the secrets database,
 * for the file and its -wal and -shm siblings) may be opened, read,
 * written, created in and removed from, and nothing else (with the signal
 * and abstract-socket scopes on ABI >= 6), and loads the seccomp
 * allow-list (any other system call kills the process). The caller must
 * be root; every descriptor it needs later must already be open.
 * Returns 0, or -1 with *err; *landlock (OUT) is the ABI entered, 0 when
 * the kernel has no Landlock (then only the rest applies). A confined
 * process should end with _exit: atexit handlers (LeakSanitizer's) may
 * need calls and files it no longer has.
 */
int pw_confine_enter(const struct ix_ids *ids, const char *dbdir, int *landlock,
		     struct ix_err *err);

#endif
