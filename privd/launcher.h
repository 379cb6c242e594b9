/*
 * privd's launcher: the one part of privd that keeps root's power. main
 * starts it before anything else (launcher.c) and then confines itself
 * (confine.c); so do its workers, which parse, decide, ask passwdd, write
 * the audit chain and talk to the person. What needs power is asked of the
 * launcher over a SOCK_SEQPACKET socketpair (lcall.c is the worker's
 * side), one libipc message per request and per answer:
 *
 * - the stream identifier of a terminal and the private-path checks (pex):
 *   both read every process's descriptor table, so CAP_SYS_PTRACE and
 *   CAP_DAC_READ_SEARCH, which a process that can read any memory and any
 *   file must not share with one that parses requests;
 * - walking to the file of a label step with the client's filesystem
 *   identity (setfsuid, setgroups) and setting a label (CAP_SYS_ADMIN);
 * - running an EXEC step through the context-free exec: the action is the
 *   launcher's child, so it inherits none of the workers' confinement
 *   (filter, bounding set), and the launcher reports how it ended.
 *
 * The launcher's main process only hands out channels: a worker, while it
 * is still a spare, creates a socketpair and sends one end
 * (PRIVD_L_CHANNEL); the launcher forks a server for that channel alone,
 * which lives until the worker closes it. The channel's peer credentials
 * name the worker (socketpair records its creator), which pex excuses as
 * a relay of the terminal it passes.
 *
 * The launcher trusts a worker's word on what was decided, within what
 * the policy could grant at all: it starts a program only when some rule's
 * EXEC names it (or takes it as a parameter) and only with capabilities
 * some rule's PRIV(...) names, so a compromised worker cannot have a
 * program run that no rule runs, or given a capability no rule gives. It
 * also checks the shape of every request (bounds, an absolute program
 * path, a label it can decode, a regular file or directory to label), so
 * that a malformed request is refused rather than half carried out.
 */
#ifndef PRIVD_LAUNCHER_H
#define PRIVD_LAUNCHER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "libcompart/caps.h"
#include "libipc/ipc.h"
#include "liblattice/label.h"
#include "libterm/pex.h"
#include "privd/server.h"

/* Types on the channels only, never on privd's socket (whose dispatch
 * table takes none of them): the upper half of privd's range. */
enum privd_lop {
	PRIVD_L_CHANNEL = IX_RANGE_PRIVD + 0x80, /* fd: serve it (launcher's main process) */
	PRIVD_L_IDENTIFY,	/* u32 pid, providers, fd, pidfd -> OK u8 verdict, str why,
				 * str stream identifier */
	PRIVD_L_PEX,		/* u8 foreground, u32 pid, providers, fd, pidfd
				 * -> OK u8 verdict, str why, blob seen */
	PRIVD_L_OPEN,		/* u32 uid, u32 gid, u16 n, n x u32 group, str path, fd cwd
				 * -> OK with the O_PATH fd */
	PRIVD_L_LABEL,		/* blob label (IX_FLABEL_SIZE), fd -> OK */
	PRIVD_L_EXEC,		/* the spec (lcall.c), fds 0, 1, 2 -> OK u32 pid, and
				 * when it ends EXITED */
	PRIVD_L_SIGNAL,		/* u8 signal, while an EXEC runs; no answer */
	PRIVD_L_OK,		/* answers; a failure is libipc's ERROR */
	PRIVD_L_EXITED,		/* u32 wait status */
};
/* Providers (the policy's trusted terminal providers) on the wire: u16 n,
 * then n x (str name, str path). */

/* An EXEC step as the launcher runs it: ix_cfexec's inputs. */
struct privd_exec {
	char *const *argv;		/* argv[0] is the absolute program path */
	char *const *envp;		/* "NAME=value", NULL-terminated */
	struct ix_ids ids;
	uint64_t caps;
	bool has_ceiling;		/* run in a compartment of this label */
	struct ix_label ceiling;
	int fds[3];			/* the client's 0, 1, 2 */
};

/*
 * Starts the launcher (fork) while the caller is root with every
 * capability and no filter: the child keeps them, and serves until every
 * copy of the shared channel is closed. srv is copied by the fork (its
 * configuration, log, black hole, action limits); descriptors 3 to
 * 3 + activated - 1 (systemd's sockets) are closed in the child. Returns
 * 0 with *chan (the caller's end, close-on-exec) and *pid, or -1 with
 * *err.
 */
int privd_launcher_start(const struct privd_server *srv, int activated, int *chan, pid_t *pid,
			 struct ix_err *err);

/* ---- the worker's side (lcall.c); each returns -1 with *err on failure,
 * the launcher's own words included ---- */

/* Opens this worker's own channel through the shared one. */
int privd_lcall_channel(int shared, struct ix_err *err);

/* The stream identifier of fd (ix_stream_id with the providers: a pty's
 * names the provider holding its master) into src, and ix_pex_controlling
 * on fd for the client pid (named by pidfd too, which pex checks against
 * pid): 1, 0 with why, -1. */
int privd_lcall_identify(int ch, int fd, pid_t pid, int pidfd,
			 const struct ix_stream_provider *prov, size_t nprov, char *src,
			 size_t srcsize, char *why, size_t whysize, struct ix_err *err);

/* ix_pex_check_seen on fd, then, when foreground and it passed,
 * ix_pex_foreground: 1, 0 with why, -1. *seen receives the holders. */
int privd_lcall_pex(int ch, int fd, pid_t pid, int pidfd, const struct ix_stream_provider *prov,
		    size_t nprov, bool foreground, struct ix_pex_seen *seen, char *why,
		    size_t whysize, struct ix_err *err);

/* Opens path O_PATH without following links, walked as who (beneath cwd
 * when relative). Returns the descriptor or -1. */
int privd_lcall_open(int ch, const struct ix_ids *who, const char *path, int cwd,
		     struct ix_err *err);

/* Sets the label of the file open on fd (ix_flabel_set_fd). An
 * ix_flabel_setter (flabel_index.h) with arg the channel. */
int privd_lcall_label(void *ch, int fd, const struct ix_label *l, struct ix_err *err);

/* Starts x; returns 0 with *pid once it runs. The launcher then sends
 * EXITED when it ends (privd_lcall_exited). */
int privd_lcall_exec(int ch, const struct privd_exec *x, pid_t *pid, struct ix_err *err);

/* Asks the launcher to send sig to the running action. */
int privd_lcall_signal(int ch, int sig, struct ix_err *err);

/* Reads one message from ch, which must be EXITED: 0 with *status (a
 * wait status), -1 with *err (the channel closed, or another message). */
int privd_lcall_exited(int ch, int *status, struct ix_err *err);

#endif
