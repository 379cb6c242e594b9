/*
 * What the three processes of a passwdd slot say to each other
 * (server.h), in libipc messages of passwdd's range above the client
 * protocol's types (proto.h): 0x0280-0x028f between worker and monitor,
 * 0x02c0-0x02df between monitor and helper. Each receiving side reads
 * them through an ix_mon machine with explicit states (libipc/mon.h);
 * anything outside its table or its state ends the sender's part.
 *
 * The handlers here only read, check and record (into struct pw_wreq or
 * struct pw_hreq); the caller acts once the message is accepted, so the
 * fuzz targets run every handler in every state without a database, a
 * terminal or PAM.
 *
 * Worker -> monitor, one message per connection:
 *
 *	START	--(monitor hands the connection)-->	RELAYING
 *	RELAYING --VERIFY-->		VERIFY
 *	RELAYING --TAG_REGISTER, TAG_UNREGISTER--> TAG
 *	RELAYING --REJECT-->		REJECTED
 *	VERIFY, TAG, REJECTED --(monitor answered)--> DONE
 *
 * (the worker may send nothing in START, VERIFY, TAG, REJECTED or DONE:
 * it sends one message, then ends)
 *
 * Monitor -> helper, one verification at most:
 *
 *	START	--NAME-->	NAMED
 *	START, NAMED --CLIENT--> KNOWN
 *	KNOWN	--PEX-->	CHECKED	  (a one-time code follows, in the monitor)
 *	KNOWN	--PROMPT-->	PROMPTED
 *	PROMPTED --PAM-->	DONE
 */
#ifndef PW_WIRE_H
#define PW_WIRE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "libipc/ipc.h"
#include "libipc/mon.h"
#include "passwdd/store.h"

/* ---- worker <-> monitor ---- */

/* monitor -> worker: u32 the peer's uid, u8 PW_PEER_* flags, str the
 * peer's login name ("" when not asked: a trusted peer); 1 fd: the
 * connection. The worker checks the client's request against them. */
#define PW_W_CONN (IX_RANGE_PASSWDD + 0x80)
/* worker -> monitor: str user; 2 fds: the party's descriptor, the
 * client's pidfd (as the client sent them). */
#define PW_W_VERIFY (IX_RANGE_PASSWDD + 0x81)
/* worker -> monitor: as PW_W_VERIFY, for the client's VERIFY_OTP. */
#define PW_W_VERIFY_OTP (IX_RANGE_PASSWDD + 0x85)
/* worker -> monitor: as the client's TAG_REGISTER (proto.h). */
#define PW_W_TAG_REGISTER (IX_RANGE_PASSWDD + 0x82)
/* worker -> monitor: as the client's TAG_UNREGISTER. */
#define PW_W_TAG_UNREGISTER (IX_RANGE_PASSWDD + 0x83)
/* worker -> monitor: the client's request is refused: u8 answered (1:
 * the worker's banner already told the client), u16 ix_errcode, str
 * stage (<= PW_STAGE_MAX), str message (< IX_ERR_MSG_MAX). The monitor
 * logs it and, unless answered, sends the client the ERROR. */
#define PW_W_REJECT (IX_RANGE_PASSWDD + 0x84)

#define PW_PEER_TRUSTED 0x1u	/* root, privd's or sessiond's user: anyone */
#define PW_PEER_SESSIOND 0x2u	/* sessiond's user: tags too */
#define PW_STAGE_MAX 16

enum pw_mon_state {
	PW_MS_START = 0, PW_MS_RELAYING, PW_MS_VERIFY, PW_MS_TAG, PW_MS_REJECTED, PW_MS_DONE,
	PW_MS_N
};

enum pw_wkind { PW_WREQ_NONE = 0, PW_WREQ_VERIFY, PW_WREQ_TAG_ADD, PW_WREQ_TAG_DEL, PW_WREQ_REJECT };

/* What the monitor knows of its peer by itself, and the one request the
 * worker relayed. Descriptors are the context's until pw_wreq_clear. */
struct pw_wreq {
	/* the monitor's own facts, set before dispatch */
	uid_t peer_uid;			/* from the connection (ix_ipc_peer) */
	unsigned peer_flags;		/* PW_PEER_* */
	char peer_name[PW_USER_MAX + 1]; /* the peer's login name ("" unknown) */
	/* the relayed request */
	enum pw_wkind kind;
	char user[PW_USER_MAX + 1];	/* VERIFY */
	int party_fd;			/* VERIFY: the party's descriptor, or -1 */
	int pidfd;			/* VERIFY: the client's pidfd, or -1 */
	bool otp_only;			/* VERIFY: VERIFY_OTP, a one-time code only */
	uint64_t cgroup;		/* TAG_* */
	uint8_t token[PW_TAG_TOKEN_LEN]; /* TAG_* */
	uint32_t lifetime;		/* TAG_REGISTER, seconds */
	uint8_t nids;			/* TAG_REGISTER: identities in ids */
	char ids[PW_TAG_IDS_MAX][PW_USER_MAX + 1];
	bool answered;			/* REJECT: the client has its ERROR */
	struct ix_err reject;		/* REJECT: code and words */
	char stage[PW_STAGE_MAX + 1];	/* REJECT */
};

/* The monitor's machine over worker messages. */
extern const struct ix_mon_machine pw_mon_machine;

/* Empties r of its request (closing its descriptors), keeping the peer's
 * facts. */
void pw_wreq_clear(struct pw_wreq *r);

/* The checks the worker and the monitor both make on a request (the
 * worker to answer its client, the monitor because it trusts no worker).
 * Each returns 0, or -1 with *err in the words a client is told. */
int pw_check_may_ask(uid_t peer_uid, unsigned flags, const char *peer_name, const char *user,
		     struct ix_err *err);
int pw_check_tags(uid_t peer_uid, unsigned flags, struct ix_err *err);
/* A tag's fields as TAG_REGISTER carries them (tlen the token's). */
int pw_check_tag_fields(size_t tlen, uint32_t life, unsigned n, struct ix_err *err);

/* ---- monitor <-> helper ---- */

/* u32 uid -> NAME_R: str login name ("" none). */
#define PW_H_NAME (IX_RANGE_PASSWDD + 0xc1)
/* u8 trusted; 3 fds: the party, the client's pidfd, the peer's pidfd ->
 * CLIENT_R: u8 held (the peer holds the party and, when trusted, the
 * client's pidfd: they are the descriptors it sent), u32 the client's
 * pid (0: exited), u8 has_cg, u64 cgroup id, str why no cgroup. */
#define PW_H_CLIENT (IX_RANGE_PASSWDD + 0xc2)
/* 2 or 3 fds: the party, the client's pidfd[, the relay's pidfd] ->
 * PEX_R: u8 verdict (1 private path), str why not. */
#define PW_H_PEX (IX_RANGE_PASSWDD + 0xc3)
/* u32 timeout in ms; fds as PEX -> PROMPT_R: u8 rc (1 answer, 0 none),
 * u8 pex_first, str why, blob secret (empty unless rc is 1). */
#define PW_H_PROMPT (IX_RANGE_PASSWDD + 0xc4)
/* str PAM service, str user, blob secret -> PAM_R: u8 accepted. */
#define PW_H_PAM (IX_RANGE_PASSWDD + 0xc5)
/* An answer is its request's type + PW_H_ANSWER; a failure is ERROR. */
#define PW_H_ANSWER 0x10

#define PW_H_WHY_MAX 512	/* bytes of a reason */

enum pw_helper_state {
	PW_HS_START = 0, PW_HS_NAMED, PW_HS_KNOWN, PW_HS_CHECKED, PW_HS_PROMPTED, PW_HS_DONE,
	PW_HS_N
};

/* One request to the helper, as read. */
struct pw_hreq {
	uint16_t type;			/* PW_H_* */
	uint32_t uid;			/* NAME */
	bool trusted;			/* CLIENT */
	int fds[3];			/* CLIENT, PEX, PROMPT: owned, -1 unused */
	unsigned nfds;
	uint32_t timeout_ms;		/* PROMPT */
	char service[PW_PAM_SERVICE_MAX + 1]; /* PAM */
	char user[PW_USER_MAX + 1];	/* PROMPT (whose password), PAM */
	char *secret;			/* PAM: the caller's PW_SECRET_MAX + 2
					 * bytes (guarded memory), filled here */
};

extern const struct ix_mon_machine pw_helper_machine;

/* Closes r's descriptors and wipes its secret (the buffer stays). */
void pw_hreq_clear(struct pw_hreq *r);

/* The answers, read by the monitor (hcall.c); pure, fuzzed. Each returns
 * 0, or -1 with *err: an ERROR answer (its code and words) or a malformed
 * one (IX_EINVAL, IX_ECORRUPT for an answer of the wrong type). */
struct pw_hanswer {
	char name[PW_USER_MAX + 1];	/* NAME_R */
	bool held;			/* CLIENT_R */
	pid_t pid;			/* CLIENT_R */
	bool has_cg;			/* CLIENT_R */
	uint64_t cgid;			/* CLIENT_R */
	int rc;				/* PEX_R verdict, PROMPT_R rc, PAM_R accepted */
	bool pex_first;			/* PROMPT_R */
	char why[PW_H_WHY_MAX];		/* CLIENT_R, PEX_R, PROMPT_R */
};
/* secret: PROMPT_R's, into the caller's PW_SECRET_MAX + 2 bytes (NULL for
 * the others); wiped unless rc is 1. */
int pw_hanswer_read(struct ix_msg *m, uint16_t request, struct pw_hanswer *a, char *secret,
		    struct ix_err *err);

#endif
