/*
 * Terminal labels. devpts takes no xattrs: tier 1 keeps a terminal's label
 * in a map keyed by its device number and checks every read and write;
 * tier 2 relies on the fresh pty each session gets, its owner and mode,
 * and hangs the terminal up on relabel so that no descriptor opened under
 * the old label keeps working.
 */
#ifndef IX_TTY_H
#define IX_TTY_H
#include <sys/types.h>
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
#endif
