/*
 * Terminal labels. devpts takes no xattrs: tier 1 keeps a terminal's label
 * in a map keyed by its device number and checks every read and write;
 * tier 2 relies on the fresh pty each session gets, its owner and mode,
 * and hangs the terminal up on relabel so that no descriptor opened under
 * the old label keeps working.
 */
#ifndef IX_TTY_H
#define IX_TTY_H
#include <stdbool.h>
#include <sys/types.h>
#include "libcompart/tier1.h"
#include "libixutil/ix_err.h"
#include "liblattice/label.h"

#define IX_TTY_REVOKE 0x1u	/* hang up every descriptor open on it (vhangup) */

/*
 * Relabels the terminal open on fd (l == NULL: unlabelled), gives it to
 * uid:gid with mode, and with IX_TTY_REVOKE hangs it up: fd itself is hung
 * up too; reopen the slave (e.g. TIOCGPTPEER on the master) to go on.
 * Needs CAP_SYS_ADMIN (and CAP_BPF for tier 1). Returns 0 or -1.
 */
int ix_tty_relabel(int fd, const struct ix_label *l, uid_t uid, gid_t gid, mode_t mode,
		   unsigned flags, struct ix_err *err);

/* A terminal guarded for a prompt (ix_tty_guard). */
struct ix_tty_guard {
	struct ix_t1 *t1;		/* open while held */
	struct ix_t1_prompt_hold hold;
	bool held;			/* tier 1 holds the terminal for us */
};

/*
 * At tier 1 (compartd running with the prompt feature), has the kernel
 * refuse TIOCSPGRP, TIOCSTI and reads on the terminal open on fd (also
 * through /dev/tty) to every process but the calling one until
 * ix_tty_unguard (ix_t1_prompt_begin). Without tier 1, or on a kernel
 * where compartd could not attach the prompt hooks, it does nothing
 * (g->held false): the prompt's /proc watch is all there is. A tier 1
 * that is running but cannot take the hold is an error, not a silent
 * fall-back. Needs CAP_BPF (or CAP_SYS_ADMIN) at tier 1. Returns 0 or -1.
 */
int ix_tty_guard(int fd, struct ix_tty_guard *g, struct ix_err *err);

/* Ends what ix_tty_guard began (nothing when it held nothing; g may have
 * been zeroed only). Returns 0 or -1 with *err (may be NULL). */
int ix_tty_unguard(struct ix_tty_guard *g, struct ix_err *err);
#endif
