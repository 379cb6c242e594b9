/*
 * Stream identifiers: what SRC(...) of a rule matches (DESIGN.md §6).
 *
 *	/dev/pts/N		a pty slave of this mount namespace's /dev/pts
 *	/dev/pts/N@name		the same, its master held by trusted provider name
 *	/dev/ttyN		virtual console N (0..63; /dev/tty0 is "the
 *				current console" and stays /dev/tty0)
 *	/dev/console		the system console (5:1)
 *	null			/dev/null (1:3)
 *	pipe, socket		a FIFO or pipe; a socket of any family
 *	file			anything else
 *
 * The identifier comes from the open descriptor (fstat and device
 * numbers), never from a path the caller names, so a link or a renamed
 * node cannot change it. Decisions, each failing towards "file", which no
 * terminal pattern matches:
 * - A pty slave is /dev/pts/N only when /dev/pts/N, opened in the caller's
 *   /dev/pts (which must be a devpts), is the very inode of the
 *   descriptor. A slave of another devpts instance (a container's) has the
 *   same device number 136:N but is not the host's /dev/pts/N; it is
 *   "file", as is a slave whose pty has been torn down.
 * - A pty master (ptmx) is "file": it is the providing side of a terminal,
 *   not a terminal a user types on, and naming it like the slave would let
 *   the program driving a pty pass for the person at it.
 * - /dev/tty (5:0) is "file": it is an alias for whatever the opener's
 *   controlling terminal was, and fstat cannot say which devpts it is on.
 * - Serial lines (ttyS*, ttyUSB*), other consoles and other devices are
 *   "file"; block devices, directories and regular files too.
 * - An O_PATH descriptor is "file" whatever it names: opening a node
 *   O_PATH needs no permission on it, so one on /dev/tty1 or on another
 *   user's /dev/pts/N proves nothing. Callers that need to read from the
 *   stream should still check the descriptor's access mode themselves.
 *
 * Providers. The policy names trusted providers as (name, absolute path of
 * a root-owned binary). A provider is recognised by the device and inode
 * of /proc/PID/exe of a process holding the pty's master, never by a
 * process name. The binary must be a regular file owned by root, not
 * writable by group or other, reached from "/" through directories with
 * the same properties and no symbolic link. A provider that fails these
 * checks is ignored by ix_stream_id (the stream simply gets no "@name");
 * ix_stream_providers_check says which and why, for policy tools.
 * What "@name" proves: at the moment of the scan, some process running
 * that binary held the master. It does not prove the binary was started by
 * its service: anyone allowed to execute it can let it inherit a master
 * (the tests do exactly that with /usr/bin/sleep), so name only binaries
 * that close inherited descriptors (sshd, tmux and screen servers do).
 * A provider upgraded on disk is a new inode: processes still running the
 * old one stop being recognised until they are restarted.
 * The scan is a snapshot (see ttyholders.h): descriptors move by
 * SCM_RIGHTS and by fork, so the result is only as fresh as its call.
 */
#ifndef IX_STREAMID_H
#define IX_STREAMID_H
#include <stddef.h>
#include "libixutil/ix_err.h"

/* A trusted terminal provider from the policy, e.g. {"sshd", "/usr/sbin/sshd"}. */
struct ix_stream_provider {
	const char *name;	/* 1..IX_STREAM_PROVIDER_NAME_MAX of [A-Za-z0-9._-] */
	const char *path;	/* absolute path of its binary */
};

#define IX_STREAM_PROVIDER_NAME_MAX 32
/* Longest identifier plus its NUL: "/dev/pts/" + 7 digits + "@" + name. */
#define IX_STREAM_ID_MAX 128

/*
 * Writes the stream identifier of the open descriptor fd into buf (size
 * bytes, the caller's; IX_STREAM_ID_MAX always suffices). For a pty slave
 * named /dev/pts/N, "@name" is appended for the first provider, in the
 * order given, whose binary a process holding the pty's master runs
 * (masters whose devpts instance is unsure are not considered). With
 * nprov == 0 (prov may then be NULL) /proc is not scanned at all.
 * A process whose descriptors cannot be read (an opaque holder, see
 * ttyholders.h) is never taken for a provider. Scanning for providers
 * needs root, or no process but the caller's own is readable.
 * Returns 0, or -1 with *err: IX_ESYS when fd cannot be examined or /proc
 * cannot be scanned, IX_ELIMIT when buf is too small or there are more
 * than 64 providers (buf then holds no identifier).
 */
int ix_stream_id(int fd, const struct ix_stream_provider *prov, size_t nprov,
		 char *buf, size_t size, struct ix_err *err);

/*
 * Checks every provider as ix_stream_id will (name syntax, path safety,
 * root-owned regular binary not writable by group or other). Returns 0
 * when all are usable, or -1 with *err naming the first that is not and
 * why (IX_EINVAL for a bad name or path or unsafe file, IX_ESYS when a
 * component cannot be opened).
 */
int ix_stream_providers_check(const struct ix_stream_provider *prov,
			      size_t nprov, struct ix_err *err);
#endif
