/*
 * passwdd's messages, in libipc's IX_RANGE_PASSWDD (libipc/PROTOCOL.md,
 * section "passwdd"). One request per connection: after the banner the
 * client sends exactly one of the requests below, reads the answer and
 * passwdd closes the connection.
 */
#ifndef PW_PROTO_H
#define PW_PROTO_H

#include "libipc/ipc.h"

#define PW_SERVICE "passwdd"
#define PW_VERSION 1

/* client -> server: str user (<= PW_USER_MAX); 2 fds: the party's
 * descriptor, then the pidfd of the client process for whom the question
 * is asked. Answer: PW_MSG_RESULT, or ERROR for a protocol/system problem. */
#define PW_MSG_VERIFY (IX_RANGE_PASSWDD + 0x01)
/* server -> client: u8 verdict (enum pw_verdict). */
#define PW_MSG_RESULT (IX_RANGE_PASSWDD + 0x02)
/* client -> server: as VERIFY, but only a fresh one-time code proves the
 * person (no password, no session tag): privd's confirmation over a path
 * that is not private. Answer: as VERIFY. */
#define PW_MSG_VERIFY_OTP (IX_RANGE_PASSWDD + 0x03)
/* sessiond -> server: u64 cgroup id, blob token (PW_TAG_TOKEN_LEN bytes),
 * u32 lifetime in seconds (1..PW_TAG_LIFETIME_MAX), u8 n (1..PW_TAG_IDS_MAX),
 * n x str identity. Answer: OK or ERROR. */
#define PW_MSG_TAG_REGISTER (IX_RANGE_PASSWDD + 0x10)
/* sessiond -> server: u64 cgroup id, blob token. Answer: OK, or ERROR
 * IX_ENOENT when no such tag exists. */
#define PW_MSG_TAG_UNREGISTER (IX_RANGE_PASSWDD + 0x11)

#define PW_TAG_LIFETIME_MAX 86400	/* a tag lives one day at most */

enum pw_verdict {
	PW_VERDICT_OK = 0,	/* the identity was verified */
	PW_VERDICT_FAILED = 1,	/* "authentication failed", nothing more */
	PW_VERDICT_LOCKED = 2,	/* too many failures from this requester and
				 * port, or of this user on every port */
};

#endif
