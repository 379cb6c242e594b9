/*
 * privd's own confinement: main enters it once the launcher is started and
 * the socket bound; its workers inherit it through fork and narrow it.
 */
#ifndef PRIVD_CONFINE_H
#define PRIVD_CONFINE_H

#include "libixutil/ix_err.h"
#include "privd/server.h"

/*
 * Stays uid 0 with no capability at all (bounding, ambient and
 * inheritable sets empty, securebits locked), sets no_new_privs, enters a
 * Landlock domain (the database's and the audit head's directories read
 * and written, the run directory's socket removable at the end, /etc and
 * /usr readable, files under /proc readable, nothing else; signal and
 * abstract-socket scopes on ABI
 * >= 6) and loads the seccomp allow-list (any other system call kills the
 * process; socket() only for AF_UNIX: no network). The caller must be
 * root with every capability. Returns 0, or -1 with *err; *landlock (OUT)
 * is the ABI entered, 0 when the kernel has none (the rest applies).
 */
int privd_confine_main(const struct privd_server *srv, int *landlock, struct ix_err *err);

/* Narrows a worker, once its launcher channel is open: no fork, no exec,
 * no new socketpair. Returns 0 or -1 with *err. */
int privd_confine_worker(struct ix_err *err);

#endif
