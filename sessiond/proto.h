/*
 * sessiond's messages, in libipc's IX_RANGE_SESSIOND (libipc/PROTOCOL.md,
 * section "sessiond"). One request per connection: after the banner the
 * client sends OPEN or LIST. OPEN is answered by REFUSED, or by STARTED
 * then, when the session is over, ENDED; while the session runs the
 * client may send WINCH any number of times. LIST is answered by LISTING.
 */
#ifndef SESSIOND_PROTO_H
#define SESSIOND_PROTO_H

#include "libipc/ipc.h"

#define SESSIOND_SERVICE "sessiond"
#define SESSIOND_VERSION 1

#define SESSIOND_LABEL_MAX 1024	/* bytes of the label asked for */
#define SESSIOND_ARGC_MAX 64	/* words of a command */
#define SESSIOND_ARG_MAX 4096	/* bytes of one word */
#define SESSIOND_CMD_MAX 8192	/* bytes of all the words together */
#define SESSIOND_TERM_MAX 64	/* bytes of TERM */
#define SESSIOND_TEXT_MAX 60000	/* bytes of a REFUSED or LISTING text */

/* OPEN flags. */
#define SESSIOND_F_ADMIN 0x1u	/* session -a: an administrator session */

/* client -> server: u8 flags, str label (<= SESSIOND_LABEL_MAX), str
 * TERM (<= SESSIOND_TERM_MAX, may be empty), u16 argc (0: the login
 * shell; else 1..SESSIOND_ARGC_MAX), argc x str (each <= SESSIOND_ARG_MAX,
 * together <= SESSIOND_CMD_MAX); 3 fds: the client's descriptors 0, 1, 2
 * (0 and 1 must be the same terminal). */
#define SESSIOND_MSG_OPEN (IX_RANGE_SESSIOND + 0x01)
/* server -> client: u64 session id, str label (canonical), str tty (the
 * session's pty, /dev/pts/N). The session runs. */
#define SESSIOND_MSG_STARTED (IX_RANGE_SESSIOND + 0x02)
/* server -> client: u8 how (0 exited, 1 killed by a signal, 2 ended
 * otherwise), u8 value (status or signal number), str words (how it
 * ended, <= SESSIOND_TEXT_MAX). */
#define SESSIOND_MSG_ENDED (IX_RANGE_SESSIOND + 0x03)
/* server -> client: u8 code (SESSIOND_EX_*), str reason. */
#define SESSIOND_MSG_REFUSED (IX_RANGE_SESSIOND + 0x04)
/* client -> server, only after STARTED: empty; the size of the client's
 * terminal changed: sessiond copies it to the session's pty. No answer. */
#define SESSIOND_MSG_WINCH (IX_RANGE_SESSIOND + 0x05)
/* client -> server: empty; the caller's live sessions. */
#define SESSIOND_MSG_LIST (IX_RANGE_SESSIOND + 0x06)
/* server -> client: u32 count, str text (one line per session). */
#define SESSIOND_MSG_LISTING (IX_RANGE_SESSIOND + 0x07)

/* session's exit codes (DESIGN.md §6). */
enum {
	SESSIOND_EX_RAN = 0,		/* the session ran and ended */
	SESSIOND_EX_REFUSED = 1,	/* a check refused it */
	SESSIOND_EX_USAGE = 2,		/* usage error */
	SESSIOND_EX_ERROR = 3,		/* an ixkit or system error */
};

/* How a session ended, in ENDED and the sessions table. */
#define SESSIOND_END_EXITED 0
#define SESSIOND_END_SIGNALLED 1
#define SESSIOND_END_OTHER 2

#endif
