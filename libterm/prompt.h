/*
 * Asking the person at the far end of a descriptor: a classical secret
 * over a private path (pex, libterm/pex.h), or a one-time code over any
 * descriptor.
 *
 * Link with $(TERM_LIBS) (libterm/local.mk).
 * Both functions block up to their timeout and return on a signal (EINTR)
 * after restoring the terminal; they keep no state between calls.
 *
 * Privileges pw_prompt_secret needs: reading every process's descriptor
 * table (CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH; a process whose table
 * cannot be read makes pex refuse), fchown of the terminal to root and
 * back (CAP_CHOWN), fchmod of a file the caller does not own (CAP_FOWNER).
 * It cannot run under Landlock, which hides other processes' /proc
 * entries. pw_prompt_line needs nothing beyond the descriptor.
 */
#ifndef PW_PROMPT_H
#define PW_PROMPT_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "libixutil/ix_err.h"
#include "libterm/pex.h"
#include "libterm/streamid.h"

/* The party to ask; the caller owns every member, nothing is kept. */
struct pw_party {
	int fd;			/* the party's terminal, open read-write */
	pid_t client_pid;	/* the requesting client (passwdd's peer's requester) */
	int client_pidfd;	/* its pidfd: confirms the pid; its exit ends the prompt */
	const struct ix_stream_provider *prov; /* trusted terminal providers */
	size_t nprov;		/* entries in prov, at most 64 */
	const struct ix_pex_relay *relays; /* servers that forwarded fd (ix_pex_req), or NULL */
	size_t nrelays;		/* entries in relays, at most 8 */
};

/*
 * Asks for a secret over a descriptor that passes pex, and only then.
 *
 * Steps: pex (nothing is touched when it refuses); the terminal taken away
 * from everyone else: owner root:root, mode 0600, so that no unprivileged
 * process can open it anew (a /proc scan is only a snapshot); termios set
 * to canonical input with echo off (the newline alone is echoed), CR read
 * as NL, TOSTOP so that background jobs of the session stop instead of
 * writing over the prompt, typed-ahead input flushed; pex again, now that
 * the terminal is locked, recording its holders; the foreground process
 * group checked to hold only the client (ix_pex_foreground: it must be the
 * client's own group and have no other member, because every member of
 * the foreground group can read the terminal); the prompt written and one
 * line read before the deadline, while the private path is watched: the
 * client's terminal's foreground group is read every 50 ms, and every
 * 100 ms and before each read the whole check runs again (pex, the
 * foreground group's members), and a holder that was not there before
 * counts as a change too (a process that opened the terminal during the
 * prompt, even of the client's session or root); after the line, the
 * same full check once more. Any change at any moment voids the prompt:
 * typed input is flushed, the answer wiped, and the terminal told
 * "prompt voided: REASON; nothing typed was used" (also the why).
 *
 * What the watch can and cannot do. pex refuses, before anything, every
 * holder but the client and its waiting ancestors (pex.h), and the
 * terminal is root's, mode 0600, until the prompt ends: so the only
 * processes left that could read the line are those excused ancestors
 * (and, through /dev/tty, members of the foreground group, which must be
 * the client alone). A background job that holds the terminal is refused
 * up front; one that does not hold it cannot read it. An excused ancestor
 * that turns attacker (a shell calling tcsetpgrp to take the foreground
 * in the middle of the prompt and reading in canonical mode, where its
 * read competes with ours) is seen within one period and the prompt is
 * voided, but a line typed inside that period may already be its: the
 * watch narrows that window, and only the kernel closes it. At tier 1
 * (compartd running with its prompt feature) the prompt registers the
 * terminal with ix_tty_guard (tty.h) once it is locked and until it is
 * restored, on every return: the kernel then refuses TIOCSPGRP, TIOCSTI
 * and reads on it (the slave or /dev/tty) to every process but the
 * prompting one, excused ancestors and root included. A prompter killed
 * outright leaves the registration until it is reaped (compartd(8)).
 * At tier 1 the prompt needs CAP_BPF as well, and a registration that
 * fails is an error (-1), not a silent fall-back to the watch alone.
 * Job control is refused as well at tier 1: a ^Z that stopped the client
 * mid-prompt would leave its shell unable to take the terminal back (its
 * tcsetpgrp and reads get EPERM; busybox ash took them for end of input
 * and exited), so the prompt disables the suspend character (VSUSP) for
 * its duration, at both tiers: ^Z is then an ordinary character of the
 * answer. ^C and ^\ still end the client and with it the prompt.
 *
 * Termios, owner and mode are restored on every return,
 * including timeout, end of input, the client's exit (its pidfd is polled)
 * and a signal (EINTR). A process killed outright cannot restore anything.
 *
 * out: memory of max bytes (2 <= max), the caller's, from sodium_malloc;
 * on return 1 it holds the answer without its newline, NUL-terminated; on
 * any other return it is wiped. An answer of max-1 bytes or more is
 * refused as an error (IX_ELIMIT) after the rest of its line is read and
 * discarded, so that no part of a secret is left for the shell to read.
 * timeout_ms: for the whole prompt (>= 0).
 * why: whysize bytes, the caller's (IX_PEX_WHY_MAX suffices).
 * Returns 1 answer read, 0 refused by pex, no answer (timeout, end of
 * input, client exited) or answer voided, with the reason in words in
 * why; -1 with *err on an error (bad arguments, a system call failed,
 * interrupted by a signal, the terminal could not be restored).
 * *pex_first (may be NULL) is set to true when the return comes from the
 * first pex, before the terminal was touched (refused, or the check could
 * not be made): the caller may then fall back to a one-time code, as if
 * it had run ix_pex_check itself, without a second scan.
 */
int pw_prompt_secret(const struct pw_party *p, const char *prompt, char *out,
		     size_t max, int timeout_ms, bool *pex_first, char *why,
		     size_t whysize, struct ix_err *err);

/*
 * A confirmation over the private path: pw_prompt_secret with the answer
 * echoed as it is typed (privd asks "type yes"), the same checks, lock
 * and watch. *lost (may be NULL) is set to true when a return of 0 comes
 * from the private path failing (refused by pex before or after the
 * terminal was locked, or the prompt voided) rather than from the person
 * (timeout, end of input, the client's exit). *pex_first as
 * pw_prompt_secret's: the first pex refused, nothing was touched (privd
 * then asks over the path that is not private with a one-time code).
 * Returns as pw_prompt_secret.
 */
int pw_prompt_confirm(const struct pw_party *p, const char *prompt, char *out,
		      size_t max, int timeout_ms, bool *pex_first, bool *lost,
		      char *why, size_t whysize, struct ix_err *err);

/*
 * Asks for a one-time code over any descriptor (terminal, pipe, socket):
 * writes prompt (not when fd is open read-only, as a pipe's read end is;
 * prompt may be NULL), then reads one line of at most max-1 bytes, one
 * byte at a time so that nothing past the newline is consumed. A terminal
 * is read in canonical mode with echo on and its termios restored after.
 * The newline (and a CR before it) is stripped; out (max >= 2 bytes, the
 * caller's) is NUL-terminated, and wiped on any return but 1.
 * Returns 1 a line was read, 0 timeout or end of input (a last line
 * without a newline counts as end of input), -1 with *err: IX_ELIMIT for a
 * longer line, IX_ESYS for a failed call or a signal, IX_EINVAL for bad
 * arguments.
 */
int pw_prompt_line(int fd, const char *prompt, char *out, size_t max,
		   int timeout_ms, struct ix_err *err);
#endif
