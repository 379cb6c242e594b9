/*
 * passwdd's privileged helper: the few things a confined worker cannot do
 * itself, served by a process that stays root with four capabilities and
 * is not under Landlock (helper.c), over SOCK_SEQPACKET socketpairs
 * (hcall.c is the worker's side).
 *
 * The helper's main process only hands out channels: a worker creates a
 * socketpair and sends one end (PW_H_CHANNEL); the helper forks a child
 * that serves that channel alone until it closes, so that two prompts
 * never wait for each other. Each request is one datagram: a fixed
 * header, the descriptors it names (SCM_RIGHTS), and for PW_H_PAM the
 * secret; each answer likewise, the typed secret following PW_H_PROMPT's
 * header. Secrets are received straight into sodium_malloc'ed memory and
 * wiped after use on both sides.
 */
#ifndef PW_HELPER_H
#define PW_HELPER_H

#include <linux/capability.h>
#include <stdint.h>
#include <sys/types.h>

#include "libixutil/ix_err.h"
#include "libterm/pex.h"
#include "passwdd/server.h"
#include "passwdd/store.h"

enum pw_hop {
	PW_H_CHANNEL = 1,	/* fd: serve this channel (to the helper's main process) */
	PW_H_STOP,		/* to the main process: remove the socket, exit */
	PW_H_CLIENT,		/* pidfd -> pid, cgroup id */
	PW_H_OWN_NAME,		/* uid, user -> is user the login name of uid? */
	PW_H_PEX,		/* party fd, pidfd[, relay pidfd] -> pex verdict, why */
	PW_H_PROMPT,		/* party fd, pidfd[, relay pidfd], timeout -> secret or why */
	PW_H_PAM,		/* service, user, secret -> accepted? */
};

/* Capabilities the helper keeps, and why: reading every process's
 * descriptor table for pex (CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH; the
 * latter also lets pam_unix read /etc/shadow), locking the terminal's
 * slave (CAP_CHOWN, CAP_FOWNER). */
#define PW_HELPER_CAPS \
	((1ull << CAP_SYS_PTRACE) | (1ull << CAP_DAC_READ_SEARCH) | \
	 (1ull << CAP_CHOWN) | (1ull << CAP_FOWNER))

/*
 * Starts the helper (fork) while the caller is still root: the child
 * keeps uid 0 with exactly PW_HELPER_CAPS, sets no_new_privs, and serves
 * until PW_H_STOP or until every copy of the channel is closed. srv is
 * copied by the fork (providers, socket path, log). Returns 0 with *chan
 * (the caller's end, close-on-exec) and *pid, or -1 with *err.
 */
int pw_helper_start(const struct pw_server *srv, int *chan, pid_t *pid, struct ix_err *err);

/* Asks the helper to remove the listening socket and exit, then reaps it. */
void pw_helper_stop(int chan, pid_t pid);

/* ---- the worker's side (hcall.c) ---- */

/* Opens this worker's own channel through the shared one. Returns the
 * channel or -1 with *err. */
int pw_hcall_open(int shared, struct ix_err *err);

/* The client behind pidfd, in two halves so that the worker can read its
 * database meanwhile: pw_hcall_client_ask sends the question (0 or -1
 * with *err), and pw_hcall_client, the next call on ch, takes the answer:
 * *pid (0: exited) and, when its cgroup v2 is known, *cgid with *has_cg
 * 1; otherwise why not in cgerr ("" when passwdd has no cgroup v2).
 * Returns 0 or -1 with *err (not a pidfd). */
int pw_hcall_client_ask(int ch, int pidfd, struct ix_err *err);
int pw_hcall_client(int ch, pid_t *pid, uint64_t *cgid, int *has_cg, char *cgerr,
		    size_t cgerrsize, struct ix_err *err);

/* 1 when user is uid's login name, 0 when not, -1 with *err. */
int pw_hcall_own_name(int ch, uid_t uid, const char *user, struct ix_err *err);

/* ix_pex_check on the party (libterm/pex.h): 1, 0 with why, -1.
 * pidfd names the client; relay_pidfd, when >= 0, the trusted server
 * (the worker's peer) that forwarded fd and may hold it too. */
int pw_hcall_pex(int ch, int fd, int pidfd, int relay_pidfd, char *why, size_t whysize,
		 struct ix_err *err);

/* pw_prompt_secret (prompt.h) in the helper: out is the caller's
 * sodium_malloc'ed memory of PW_SECRET_MAX + 2 bytes. Same returns;
 * *pex_first as there (set on every return). */
int pw_hcall_prompt(int ch, int fd, int pidfd, int relay_pidfd, int timeout_ms, char *out,
		    int *pex_first, char *why, size_t whysize, struct ix_err *err);

/* pw_pam_check (pam.h) in the helper. Same returns. */
int pw_hcall_pam(int ch, const char *service, const char *user, const char *secret,
		 struct ix_err *err);

/* ---- the wire, shared by both sides ---- */

#define PW_H_FDS_MAX 3
#define PW_H_TEXT_MAX IX_ERR_MSG_MAX

struct pw_hmsg {
	uint32_t op;		/* enum pw_hop (requests); echoed in answers */
	int32_t rc;		/* answers: the call's return */
	int32_t code;		/* answers: enum ix_errcode when rc < 0 */
	int32_t timeout_ms;	/* PW_H_PROMPT */
	uint32_t uid;		/* PW_H_OWN_NAME */
	int32_t pid;		/* PW_H_CLIENT answer */
	uint32_t has_cg;	/* PW_H_CLIENT answer */
	uint64_t cgid;		/* PW_H_CLIENT answer */
	uint32_t pex_first;	/* PW_H_PROMPT answer: rc is the first pex's */
	char user[PW_USER_MAX + 1];
	char service[PW_PAM_SERVICE_MAX + 1];
	char text[PW_H_TEXT_MAX];	/* answers: why, or the error */
};

/* Sends m, nfds descriptors and, when secret is not NULL, the string
 * secret (NUL included). Returns 0 or -1 with *err. */
int pw_hmsg_send(int fd, const struct pw_hmsg *m, const int *fds, unsigned nfds,
		 const char *secret, struct ix_err *err);

/* Receives one datagram: the header into m, up to PW_H_FDS_MAX
 * descriptors into fds (*nfds; the rest closed, every slot -1 first), a
 * trailing secret into secret (PW_SECRET_MAX + 2 bytes, sodium memory, or
 * NULL: a secret is then refused), NUL-terminated. Returns 1, 0 at end
 * of stream, -1 with *err (short or malformed datagram). */
int pw_hmsg_recv(int fd, struct pw_hmsg *m, int *fds, unsigned *nfds, char *secret,
		 struct ix_err *err);

#endif
