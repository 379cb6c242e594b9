/*
 * Whether a terminal provider is a private path for a client: can any
 * program running as the client's uid type into the terminal the provider
 * serves? (issue 13; pex.h uses it for every process on a pty master.)
 *
 * The policy's list of trusted provider binaries (streamid.h) says which
 * programs may provide terminals at all; it says nothing about who drives
 * a running one. A tmux server started by the client's uid runs the same
 * root-owned /usr/bin/tmux as root's, and anyone of that uid can connect
 * to its socket and send keys; sshd's session process runs as the user
 * and holds the master. So a process holding the master is a private
 * path for a client only when, read from /proc at the moment of the check:
 * - the client's uid (its real uid: a set-uid client such as su acts for
 *   its caller) is not root's, whose programs can reach any provider;
 * - the holder is in the checker's user and network namespaces (uids and
 *   sockets are read as the checker sees them), is traced by nobody, and
 *   none of its real, effective, saved and filesystem uids is the
 *   client's: then the client can neither ptrace it nor read its memory,
 *   dumpable or not;
 * - everything it takes input from is out of the client's uid's reach:
 *   a unix socket it listens or receives datagrams on has a path (not
 *   abstract) that the client, from its own root, cannot connect to (a directory on the way it may not search,
 *   or a socket file it may not write; owning a node counts as being
 *   able to change its mode; an ACL counts as access); it holds no
 *   listening TCP socket and no UDP or raw socket (anyone on the host may
 *   connect or send; a TCP connection, like a unix one, carries the
 *   provider's protocol: sshd's to its authenticated peer), nor a
 *   socket of another family but netlink (each socket is judged from a
 *   copy of the descriptor, pidfd_getfd, not from /proc/net text); it
 *   reads no device but the memory devices (1:N), ptmx and terminals; a FIFO, pipe or regular file it reads is neither
 *   owned nor writable by the client, and a pipe's other holders are not
 *   the client's uid; a terminal it reads (a tmux client's terminal
 *   passed to the server) is a console or a pty whose masters pass this
 *   same check, at most IX_PROVIDER_DEPTH terminals deep; a pty whose
 *   master no process in sight holds is refused in the initial pid
 *   namespace (it has none left) and trusted as the namespace creator's
 *   in a pid namespace of its own (the terminal a test or the demo was
 *   started from, served from outside).
 * Pane masters a provider holds bring it its panes' output, not the
 * person's keys, and are not counted as input. A connected socket carries
 * what the provider's protocol carries: those a program of the client
 * could open come through a listening socket, judged where the provider
 * holds it (tmux's server does), and a provider that left its listening
 * socket to another process (sessiond's session monitor) is trusted for
 * what its clients may send on the connection (sessiond: the window
 * size, never a key).
 *
 * What this cannot see: a descriptor in flight in a socket's queue; a
 * socket connected later (the prompts check again after the answer); the
 * provider's own behaviour once it has read its input (a root tmux server
 * whose configuration runs a user's script, or that pastes a buffer a
 * user filled, drives the terminal for that user). Name as providers only
 * programs run by root or by their own users, with their control sockets
 * out of every user's reach.
 */
#ifndef IX_PROVIDER_H
#define IX_PROVIDER_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "libixutil/ix_err.h"

#define IX_PROVIDER_DEPTH 3	/* terminals read through terminals */
#define IX_PROVIDER_GROUPS_MAX 256

/* The client's credentials as /proc gives them. */
struct ix_provider_client {
	pid_t pid;		/* the client process (its root and mounts) */
	uid_t uid;		/* real uid: the "client's uid" above */
	uid_t uids[4];		/* the real uid four times (provider.c says why) */
	gid_t gid;		/* filesystem gid, for permission checks */
	gid_t groups[IX_PROVIDER_GROUPS_MAX];
	size_t ngroups;
};

/*
 * Reads pid's credentials into *c. The caller confirms pid against a pidfd
 * afterwards. Returns 0, or -1 with *err (IX_ENOENT when pid has exited,
 * IX_ELIMIT when it has more than IX_PROVIDER_GROUPS_MAX groups).
 */
int ix_provider_client(pid_t pid, struct ix_provider_client *c,
		       struct ix_err *err);

/*
 * Whether the process holder (on a pty master) is a private path for c.
 * Returns 1 private, 0 not (why says which rule and which descriptor, fit
 * to show the person), -1 with *err when /proc could not be read. A
 * holder that exits during the check is not private.
 */
int ix_provider_private(pid_t holder, const struct ix_provider_client *c,
			char *why, size_t whysize, struct ix_err *err);

/* Used by ix_provider_private for terminals the provider reads: whether
 * every master holder of the pty open on ttyfd passes, depth terminals
 * down. Returns as ix_provider_private. */
int ix_provider_tty_private(int ttyfd, const struct ix_provider_client *c,
			    unsigned depth, char *why, size_t whysize,
			    struct ix_err *err);
#endif
