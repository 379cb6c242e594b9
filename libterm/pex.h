/*
 * Private path check (pex): may a secret be asked for over this terminal?
 *
 * A client (passwdd's peer: login or su through pam_passwdd, privd,
 * sessiond) hands over a descriptor on which a person is to type. pex
 * passes it only when, at the moment of the check:
 * - dev.tty.legacy_tiocsti is 0, so no process can push characters into
 *   the terminal's input with TIOCSTI (a kernel without the sysctl, before
 *   6.2, always allows TIOCSTI: refused);
 * - the descriptor is open for reading and writing on a terminal that is a
 *   pty slave or a console (/dev/ttyN, N >= 1, or /dev/console), and it is
 *   the client's controlling terminal (/proc/PID/stat tty_nr);
 * - no process holds the terminal open (ttyholders.h) but the client,
 *   its ancestors within its session (the shell that started it in the
 *   foreground and waits for it, the session leader), the relays named
 *   in the request (slave side only) and the caller itself (the checker,
 *   which holds the descriptor it was given). Any other holder is
 *   refused with its pid and command named: outside the session, or
 *   inside it (a background job, a process that inherited the terminal,
 *   a multiplexer started from it), since a holder of the session can
 *   make itself the foreground group (tcsetpgrp, ignoring SIGTTOU) and
 *   read the line meant for the client;
 * - for a pty, every process holding the master runs a trusted provider's
 *   binary, recognised by the device and inode of /proc/PID/exe, which
 *   must be a regular file owned by root and not writable by group or
 *   other; a process name ("sshd" from prctl or argv[0]) never counts. At
 *   least one provider must hold it. Consoles have no master and pass this
 *   part by being consoles. Any process whose descriptors cannot be read
 *   ("opaque", ttyholders.h) refuses the check: it may hold either side.
 * Serial lines, /dev/tty (an alias for the opener's own terminal), /dev/tty0
 * (an alias for the current console) and pty masters are refused.
 *
 * Races. Everything read from /proc is a snapshot: descriptors are
 * inherited, passed with SCM_RIGHTS and opened while the scan runs, and a
 * descriptor in a socket's receive queue is held by no one the scan sees.
 * That is why a prompt (libterm/prompt.c) first takes the slave away from
 * everyone else (owner root, mode 0600, so no new unprivileged open
 * succeeds), then checks, and checks again once the answer is in: a holder
 * that appeared in between voids the answer, and the prompt watches the
 * holders and the foreground group all along (prompt.h). tty_nr names a
 * device number only, and two devpts instances (a container's and the
 * host's) can both have a 136:3; the holder scan matches the very inode.
 * The ancestors are read by their PPid links after the client's pidfd
 * has confirmed it: a live process's parent is alive (an orphan's is the
 * reaper, outside the session), so the chain names the processes of the
 * moment, and each must still be in the client's session.
 *
 * Why refusing other holders closes the background-job hole at tier 2:
 * to read the terminal a process must hold it, through a descriptor on
 * the slave or by opening /dev/tty. A holder other than the client and
 * its waiting ancestors is refused before the prompt; the terminal is
 * then root's, mode 0600, so no unprivileged process opens it anew; and a
 * process of the session that opens /dev/tty (an alias whose holders the
 * scan does not find, and whose open the 0600 mode does not stop) can
 * read only while in the foreground group, which must hold the client
 * alone (ix_pex_foreground) and is watched for the whole prompt. What
 * remains is an excused ancestor turning on the client (a shell that
 * calls tcsetpgrp mid-prompt and reads): the watch voids the prompt
 * within its period, and nothing closes that window but the kernel
 * (tier 1: compartd's BPF program refuses TIOCSPGRP, TIOCSTI and reads
 * on a terminal under a prompt to every process but the prompting one;
 * prompt.h, tty.h).
 *
 * Seeing every process needs root (CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH).
 * This file does not use libbpf.
 */
#ifndef IX_PEX_H
#define IX_PEX_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "libixutil/ix_err.h"
#include "libterm/streamid.h"

/* A relay is named by its pid and a pidfd of that process: a holder is
 * excused as the relay only if, after the scan, the pidfd still names
 * that live pid, so a relay that exited and whose pid another holder took
 * excuses nothing. */
struct ix_pex_relay {
	pid_t pid;
	int pidfd;
};

/* What to check: the caller owns every member; nothing is kept. */
struct ix_pex_req {
	int fd;			/* the party's descriptor (the terminal) */
	pid_t client_pid;	/* the requesting client process */
	int client_pidfd;	/* pidfd of client_pid, proves it is the same process */
	const struct ix_stream_provider *prov; /* trusted providers (policy), may be NULL when nprov is 0 */
	size_t nprov;		/* at most 64 */
	/* Relays: servers that forwarded the descriptor on the client's
	 * behalf (privd, sessiond asking passwdd) and so hold the slave
	 * themselves; each is allowed to, on the slave side only. The
	 * caller names them from its connection's peer credentials (pid
	 * and pidfd) and trusts only servers it already trusts. May be
	 * NULL when nrelays is 0; at most 8. */
	const struct ix_pex_relay *relays;
	size_t nrelays;
};

/* Room for a reason, NUL included; longer reasons are cut. */
#define IX_PEX_WHY_MAX 256

/*
 * Runs the check. Returns 1 when it passes (why is then ""), 0 when it is
 * refused, with the reason in words in why ("terminal held by pid 4242
 * outside your session"), fit to show the person at the terminal; or -1
 * with *err when the check could not be made (bad request, /proc
 * unreadable). why is the caller's, whysize bytes (IX_PEX_WHY_MAX always
 * suffices). The client pid is confirmed against its pidfd after /proc
 * has been read, so a pid reused by another process is never checked in
 * the client's place; a client that has exited is refused.
 */
int ix_pex_check(const struct ix_pex_req *r, char *why, size_t whysize,
		 struct ix_err *err);

/*
 * The value of dev.tty.legacy_tiocsti: 0 or 1. Returns -1 when it cannot
 * be known: *err is IX_ENOENT when the sysctl does not exist (a kernel
 * before 6.2, where TIOCSTI is always allowed: treat it as 1), IX_ESYS or
 * IX_EINVAL when it could not be read or parsed.
 */
int ix_pex_legacy_tiocsti(struct ix_err *err);

/*
 * Sets dev.tty.legacy_tiocsti to 0 (needs CAP_SYS_ADMIN in the initial
 * user namespace) and puts its previous value, 0 or 1, in *was. Returns 0,
 * or -1 with *err: IX_ENOENT when the kernel has no such sysctl (before
 * 6.2), IX_ESYS when it could not be written or read back as 0.
 */
int ix_pex_tiocsti_off(int *was, struct ix_err *err);

/*
 * The one part of the check that also binds requests that skip the
 * private path (privd's unattended actions): when fd is a terminal, it
 * must be the client's controlling terminal, so the stream identifier a
 * decision reads from it (SRC(/dev/console)) names the terminal the
 * client runs on and not one it merely holds open (an inherited
 * /dev/tty1, a descriptor passed to it). A terminal is a character
 * device that answers tcgetattr, or any device of the console and pty
 * slave majors (an O_PATH descriptor answers nothing). A descriptor that
 * is not a terminal (pipe, file, socket, /dev/null) passes: its stream
 * identifier says what it is. Device numbers are compared, as tty_nr
 * gives them (see the races above). Needs r's fd, client_pid and
 * client_pidfd only. Returns 1 passes, 0 refused (reason in why), -1
 * error.
 */
int ix_pex_controlling(const struct ix_pex_req *r, char *why, size_t whysize,
		       struct ix_err *err);

/* Whether fd is a terminal as ix_pex_controlling means it: 1 or 0, -1
 * with *err when fd cannot be examined. Reads nothing of other processes:
 * a caller without privilege knows from it that ix_pex_controlling would
 * pass fd at once. */
int ix_pex_is_terminal(int fd, struct ix_err *err);

/* Holders seen by one check, for comparing a later one (prompts). */
#define IX_PEX_HOLDERS_MAX 256
struct ix_pex_holder {
	pid_t pid;		/* process (or thread with its own table) */
	int fd;			/* its descriptor number, -1 when opaque */
	bool master;		/* on the pty master */
};
struct ix_pex_seen {
	size_t n;		/* entries used in h */
	struct ix_pex_holder h[IX_PEX_HOLDERS_MAX];
};

/*
 * ix_pex_check that also records, in *seen (the caller's; may be NULL),
 * every holder other than the caller. A terminal held by more than
 * IX_PEX_HOLDERS_MAX descriptors is refused. Returns as ix_pex_check.
 */
int ix_pex_check_seen(const struct ix_pex_req *r, struct ix_pex_seen *seen,
		      char *why, size_t whysize, struct ix_err *err);

/*
 * Whether a holder in now (pid, fd, side) was not in before. Returns true
 * and sets *pid to the first such holder's pid. A pid that exited and was
 * reused by a process holding the same descriptor number is not noticed.
 */
bool ix_pex_new_holder(const struct ix_pex_seen *before,
		       const struct ix_pex_seen *now, pid_t *pid);

/*
 * The foreground process group of the client's controlling terminal must
 * hold only the client: it must be the client's own process group, and no
 * other process may be in it (any member of the foreground group can read
 * the terminal alongside the client; a pipeline "sudo x | less" is
 * refused). Only processes of the terminal's session can ever be in its
 * foreground group, so "only the client" is the strict form of "only the
 * client's session". Scans all of /proc (a snapshot: a process of the
 * session may join the group with setpgid, or the shell may move the
 * foreground with tcsetpgrp, after the scan; prompts check again after
 * the answer). Returns 1 passes, 0 refused (reason in why), -1 error.
 */
int ix_pex_foreground(const struct ix_pex_req *r, char *why, size_t whysize,
		      struct ix_err *err);

/*
 * The cheap part of ix_pex_foreground, for watching a prompt: whether the
 * client is still in process group pgrp and that group is still its
 * terminal's foreground group (one read of /proc/CLIENT/stat). Returns 1
 * yes; 0 with why naming the group that took the terminal ("the
 * foreground process group changed (pid 4242 (sleep) took the
 * terminal)"), or saying the client left pgrp or exited; -1 with *err.
 */
int ix_pex_foreground_still(const struct ix_pex_req *r, pid_t pgrp, char *why,
			    size_t whysize, struct ix_err *err);
#endif
