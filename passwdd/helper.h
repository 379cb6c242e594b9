/*
 * passwdd's helper (server.h): the few things its monitor cannot do
 * confined, for one slot only, in a process that stays root with exactly
 * PW_HELPER_CAPS and no Landlock (helper.c). It speaks libipc messages
 * over a SOCK_SEQPACKET pair and reads them through an ix_mon machine
 * (wire.h); a request out of its table or state ends the helper, and so
 * the slot's verification. Typed secrets travel in messages marked
 * secret (libipc wipes their buffers) and live in sodium_malloc'ed memory
 * on both sides.
 *
 * hcall.c is the monitor's side: one call per request, named for it.
 */
#ifndef PW_HELPER_H
#define PW_HELPER_H

#include <linux/capability.h>
#include <stdint.h>
#include <sys/types.h>

#include "libixutil/ix_err.h"
#include "passwdd/wire.h"

/* Capabilities the helper keeps, and why: reading every process's
 * descriptor table for pex and for the check that a relayed descriptor is
 * the peer's (CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH; the latter also lets
 * pam_unix read /etc/shadow), locking the terminal's slave (CAP_CHOWN,
 * CAP_FOWNER), and at tier 1 having the kernel guard the terminal for the
 * prompt (CAP_BPF: bpf() on compartd's pinned maps, libterm/tty.h). */
#define PW_HELPER_CAPS \
	((1ull << CAP_SYS_PTRACE) | (1ull << CAP_DAC_READ_SEARCH) | \
	 (1ull << CAP_CHOWN) | (1ull << CAP_FOWNER) | (1ull << CAP_BPF))

/* The login name of uid into name (PW_USER_MAX + 1 bytes; "" when uid
 * has none). 0 or -1 with *err. */
int pw_hcall_name(int ch, uid_t uid, char *name, struct ix_err *err);

/* The client: party and peer_pidfd must be held by the peer (the process
 * at the other end of the connection), and so must client_pidfd when the
 * peer is trusted: *held (OUT). *pid (OUT) the client's pid (0: exited),
 * *cgid with *has_cg when its cgroup v2 is known, else why not in cgerr
 * ("" when passwdd has no cgroup v2). 0 or -1 with *err. */
int pw_hcall_client(int ch, bool trusted, int party, int client_pidfd, int peer_pidfd,
		    bool *held, pid_t *pid, uint64_t *cgid, bool *has_cg, char *cgerr,
		    size_t cgerrsize, struct ix_err *err);

/* ix_pex_check on the party: 1, 0 with why, -1. relay_pidfd, when >= 0,
 * names the trusted peer that forwarded fd and may hold it too. */
int pw_hcall_pex(int ch, int fd, int pidfd, int relay_pidfd, char *why, size_t whysize,
		 struct ix_err *err);

/* pw_prompt_secret (libterm/prompt.h) in the helper, its prompt naming
 * user ("Password for alice: "): out is the caller's
 * sodium_malloc'ed memory of PW_SECRET_MAX + 2 bytes. Same returns;
 * *pex_first as there (set on every return). */
int pw_hcall_prompt(int ch, const char *user, int fd, int pidfd, int relay_pidfd,
		    int timeout_ms, char *out, int *pex_first, char *why, size_t whysize,
		    struct ix_err *err);

/* pw_pam_check (pam.h) in the helper: 1 accepted, 0 not, -1 with *err. */
int pw_hcall_pam(int ch, const char *service, const char *user, const char *secret,
		 struct ix_err *err);

#endif
