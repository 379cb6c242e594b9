/*
 * Who holds a terminal open: a scan of every process's descriptor table in
 * /proc (notes/kernel-mechanisms.md §5).
 *
 * A pty slave is matched by its devpts inode (device and inode number), so
 * /dev/pts/3 of a container's devpts instance is never confused with the
 * host's /dev/pts/3 although both have device number 136:3. A master is a
 * descriptor on ptmx (5:2) whose /proc/PID/fdinfo says "tty-index: N" and
 * whose devpts instance is the slave's: either the ptmx node is on that
 * devpts itself (/dev/pts/ptmx, or a bind mount of it), or it is a node
 * elsewhere (/dev/ptmx on devtmpfs) whose sibling "pts", looked up the way
 * the kernel does at open (in the holder's root, no symlinks), is that
 * devpts. A master whose instance cannot be settled either way is listed
 * with unsure set: counted, so that "who else holds this terminal" does not
 * miss it, but never to be trusted as a particular provider.
 * Other terminals (/dev/ttyN, /dev/console, serial lines) are matched by
 * device number, so every node for the same device counts.
 *
 * Threads: a thread that called unshare(CLONE_FILES), or was cloned without
 * CLONE_FILES, has its own table under /proc/PID/task/TID/fd; such tables
 * are scanned too (told apart from the shared one with kcmp(KCMP_FILES)),
 * and their holders carry the thread id.
 *
 * This is a snapshot: descriptors are passed with SCM_RIGHTS, inherited,
 * duplicated and closed while the scan runs, and a descriptor sitting in a
 * unix socket's receive queue is held by nobody the scan can see. A
 * process that exits during the scan is left out. A process whose
 * descriptors the caller may not read (not root; or a non-dumpable task
 * with capabilities the caller lacks, such as a sandbox's init) is not
 * left out either: it is reported as one opaque holder, "may hold it on
 * either side", so the list never looks more complete than it is; callers
 * looking for who else can reach a terminal must count opaque holders,
 * callers looking for a trusted master must ignore them. Any other failure
 * to read /proc is an error. Seeing every process needs root
 * (CAP_SYS_PTRACE) and a /proc without hidepid=invisible; the scan refuses
 * to start when process 1 is not even listed.
 * Opening /dev/tty gives an alias (5:0) whose holders are not found here.
 */
#ifndef IX_TTYHOLDERS_H
#define IX_TTYHOLDERS_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "libixutil/ix_err.h"

/* One descriptor that refers to the terminal. */
struct ix_tty_holder {
	pid_t pid;	/* process, or thread with its own descriptor table */
	int fd;		/* descriptor number in that table */
	bool master;	/* on the pty master (ptmx) rather than the terminal */
	bool unsure;	/* master whose devpts instance could not be confirmed */
	bool opaque;	/* pid's descriptors could not be read: it may hold
			 * the terminal, on either side; fd is -1 */
	pid_t sid;	/* session id of pid, -1 if it exited meanwhile */
	dev_t exe_dev;	/* device of /proc/PID/exe, 0 when unknown */
	ino_t exe_ino;	/* inode of /proc/PID/exe, 0 when unknown */
	uid_t exe_uid;	/* owner of that file, (uid_t)-1 when unknown */
	mode_t exe_mode; /* type and mode of that file, 0 when unknown */
};

/*
 * Called once per holder found; h is only valid during the call. Returns 0
 * to go on, or -1 with *err set to stop the scan (the scan returns -1).
 */
typedef int (*ix_tty_holder_fn)(const struct ix_tty_holder *h, void *arg,
				struct ix_err *err);

/*
 * Calls fn for every descriptor, in every process, that holds the terminal
 * open on ttyfd (the terminal side: a pty slave, a virtual console, a
 * serial line, /dev/console). ttyfd itself is reported too, as one of the
 * caller's descriptors. Returns 0 when the whole of /proc was scanned
 * (opaque holders included); -1 with *err: IX_EINVAL when ttyfd is not a
 * terminal or is a pty master or /dev/tty, IX_ESYS when /proc could not be
 * read, or what fn set.
 */
int ix_tty_holders_each(int ttyfd, ix_tty_holder_fn fn, void *arg,
			struct ix_err *err);

/*
 * The same scan into out[0..max-1] (the caller owns out; it may be NULL
 * when max is 0). *n is set to the number of holders found, even beyond
 * max; then the return is -1 with IX_ELIMIT and out holds the first max.
 * Returns 0, or -1 as ix_tty_holders_each.
 */
int ix_tty_holders(int ttyfd, struct ix_tty_holder *out, size_t max,
		   size_t *n, struct ix_err *err);
#endif
