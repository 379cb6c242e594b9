/*
 * libipc: the one wire protocol of every ixkit server and client.
 *
 * The format, the limits and the banner rule are specified in
 * libipc/PROTOCOL.md; this header is the C side of that text. Everything
 * here returns errors through struct ix_err and never prints or exits.
 *
 * Ownership in one paragraph: a struct ix_msg is owned by whoever created
 * it (ix_msg_new, ix_msg_decode, ix_ipc_recv) and freed with ix_msg_free.
 * Descriptors added with ix_msg_put_fd stay the caller's (they are only
 * borrowed for sending). Descriptors received with a message belong to the
 * message until ix_msg_get_fd hands one to the caller; ix_msg_free closes
 * those not taken, so a rejected message never leaks a descriptor.
 */
#ifndef IX_IPC_H
#define IX_IPC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libixutil/ix_err.h"

/* Framing (PROTOCOL.md "Framing"). */
#define IX_MSG_HDR_LEN 8		/* u32 length, u16 type, u8 nfds, u8 0 */
#define IX_MSG_MAX_PAYLOAD 65536	/* hard maximum payload, in bytes */
#define IX_MSG_MAX_FDS 4		/* hard maximum descriptors per message */

/* Message type ranges: one block of 256 types per server. */
#define IX_TYPE_RANGE_SIZE 0x100
#define IX_RANGE_COMMON 0x0000
#define IX_RANGE_PRIVD 0x0100
#define IX_RANGE_PASSWDD 0x0200
#define IX_RANGE_SESSIOND 0x0300
#define IX_RANGE_COMPARTD 0x0400

/* Common messages, valid for every service. */
#define IX_MSG_BANNER 0x0001	/* server -> client: str service, u16 version */
#define IX_MSG_HELLO 0x0002	/* client -> server: str service, u16 version */
#define IX_MSG_OK 0x0003	/* either way: u16 negotiated version after HELLO, else empty */
#define IX_MSG_ERROR 0x0004	/* either way: u16 ix_errcode, str message */

#define IX_SERVICE_NAME_MAX 32	/* longest service name in BANNER/HELLO */

struct ix_msg;

/* ---- Building a message ---- */

/* Returns a new empty message of the given type (not 0), or NULL with *err
 * set. The caller frees it with ix_msg_free. */
struct ix_msg *ix_msg_new(uint16_t type, struct ix_err *err);

/* Frees m and closes every received descriptor not taken with
 * ix_msg_get_fd. Accepts NULL. */
void ix_msg_free(struct ix_msg *m);
/* Marks m as carrying a secret: from now on every buffer that held its
 * bytes is wiped before it is freed (by ix_msg_free, or when an append
 * moves the payload). Call it before the secret is appended. */
void ix_msg_set_secret(struct ix_msg *m);

/* Append one field. Each returns 0, or -1 with *err set (IX_ELIMIT when the
 * payload would pass IX_MSG_MAX_PAYLOAD or a string passes max, IX_EINVAL
 * for a bad descriptor). A failed append marks the message broken: sending
 * it is refused, so call sites may check only the final ix_ipc_send. */
int ix_msg_put_u8(struct ix_msg *m, uint8_t v, struct ix_err *err);
int ix_msg_put_u16(struct ix_msg *m, uint16_t v, struct ix_err *err);
int ix_msg_put_u32(struct ix_msg *m, uint32_t v, struct ix_err *err);
int ix_msg_put_u64(struct ix_msg *m, uint64_t v, struct ix_err *err);
/* s must be NUL-terminated and at most max bytes long (without the NUL). */
int ix_msg_put_str(struct ix_msg *m, const char *s, size_t max, struct ix_err *err);
/* n bytes of opaque data (may contain NUL), n <= max. */
int ix_msg_put_blob(struct ix_msg *m, const void *p, size_t n, size_t max,
    struct ix_err *err);
/* fd is borrowed: it must stay open until the message is sent; the message
 * never closes it. At most IX_MSG_MAX_FDS per message. */
int ix_msg_put_fd(struct ix_msg *m, int fd, struct ix_err *err);

/* ---- Reading a message ---- */

/* The message's type. */
uint16_t ix_msg_type(const struct ix_msg *m);
/* Payload length in bytes, and number of descriptors carried. */
size_t ix_msg_len(const struct ix_msg *m);
unsigned ix_msg_nfds(const struct ix_msg *m);

/* Read the next field. Each returns 0, or -1 with *err set (IX_EINVAL) and
 * names the message type and payload offset; reading past the end fails.
 * The reader does not advance on failure. */
int ix_msg_get_u8(struct ix_msg *m, uint8_t *v, struct ix_err *err);
int ix_msg_get_u16(struct ix_msg *m, uint16_t *v, struct ix_err *err);
int ix_msg_get_u32(struct ix_msg *m, uint32_t *v, struct ix_err *err);
int ix_msg_get_u64(struct ix_msg *m, uint64_t *v, struct ix_err *err);
/* *s (OUT) points into m, valid until ix_msg_free; it is NUL-terminated,
 * has no interior NUL and is at most max bytes long. */
int ix_msg_get_str(struct ix_msg *m, const char **s, size_t max, struct ix_err *err);
/* *p (OUT) points into m (valid until ix_msg_free), *n (OUT) its length,
 * at most max. */
int ix_msg_get_blob(struct ix_msg *m, const uint8_t **p, size_t *n, size_t max,
    struct ix_err *err);
/* *fd (OUT) is the next descriptor in order; from now on the caller owns
 * it. Messages built by ix_msg_decode without descriptors give -1. */
int ix_msg_get_fd(struct ix_msg *m, int *fd, struct ix_err *err);
/* Returns 0 when every byte and every descriptor was read, else -1
 * (IX_EINVAL). Handlers call it before acting on a request. */
int ix_msg_end(struct ix_msg *m, struct ix_err *err);

/* ---- The pure decoder ---- */

/* Checks one received packet (header and payload, exactly as the kernel
 * delivered it) together with the number of descriptors that came with it,
 * and returns a message for reading in *out (OUT, caller frees).
 * fds may be NULL (the fuzz target, tests): the message then carries -1 in
 * place of each descriptor. On success the message owns the descriptors in
 * fds; on failure the caller still owns them. Returns 0, or -1 with *err
 * set (IX_EINVAL malformed, IX_ELIMIT over a limit, IX_ENOMEM). */
int ix_msg_decode(const uint8_t *pkt, size_t len, const int *fds, size_t nfds,
    struct ix_msg **out, struct ix_err *err);

/* ---- Sockets ---- */

/* Creates a listening AF_UNIX SOCK_SEQPACKET socket at path with the given
 * permission bits, close-on-exec. Never follows a symlink and never
 * replaces anything but a stale socket (one nobody accepts on); a live
 * socket is IX_EEXIST. Returns the descriptor, or -1 with *err set. */
int ix_ipc_listen(const char *path, mode_t mode, int backlog, struct ix_err *err);

/* Makes dir the run directory of a server's socket: created if missing,
 * owned by the caller, 0755, never reached through a link. Returns 0 or
 * -1 (IX_EDENIED when it belongs to someone else or others may write). */
int ix_ipc_rundir(const char *dir, struct ix_err *err);
/* Connects to the server at path; returns a close-on-exec descriptor or
 * -1 with *err set. */
int ix_ipc_connect(const char *path, struct ix_err *err);
/* Accepts one connection (close-on-exec); returns it or -1 with *err set. */
int ix_ipc_accept(int lfd, struct ix_err *err);
/* Socket activation (sd_listen_fds(3)'s protocol). The number of
 * descriptors, from 3 on, that the environment says were passed to this
 * very process; 0 when none. A server calls it before closing stray
 * descriptors, and keeps those. */
int ix_ipc_listen_fds(void);
/* Takes the one socket passed (nfds from ix_ipc_listen_fds): it must be a
 * listening AF_UNIX SOCK_SEQPACKET socket bound to path. Removes the
 * LISTEN_* variables, sets close-on-exec. Returns the descriptor, or -1
 * with *err set (IX_EINVAL naming what is wrong). */
int ix_ipc_activated(int nfds, const char *path, struct ix_err *err);

/* Sends m (and its descriptors) as one packet. timeout_ms < 0 waits
 * forever. Returns 0, or -1 with *err set (IX_ELIMIT on timeout, IX_ESYS,
 * IX_EINVAL for a broken message). m is not freed. */
int ix_ipc_send(int fd, struct ix_msg *m, int timeout_ms, struct ix_err *err);
/* ix_ipc_send, then ix_msg_free(m), whatever the outcome: the one call
 * for a message built only to be sent. m NULL (its ix_msg_new failed,
 * *err already set) returns -1. */
int ix_ipc_send_free(int fd, struct ix_msg *m, int timeout_ms, struct ix_err *err);
/* Receives one packet and decodes it. Returns 1 with *out (OUT, caller
 * frees) set, 0 when the peer closed the connection, or -1 with *err set
 * (IX_ELIMIT on timeout or a limit, IX_EINVAL malformed, IX_ESYS). On every
 * rejection the descriptors that came with the packet are closed. */
int ix_ipc_recv(int fd, struct ix_msg **out, int timeout_ms, struct ix_err *err);
/* ix_ipc_recv for a packet that may carry a secret: the packet buffer is
 * wiped before it is freed and *out is marked with ix_msg_set_secret. The
 * caller copies the secret into guarded memory and frees *out at once. */
int ix_ipc_recv_secret(int fd, struct ix_msg **out, int timeout_ms, struct ix_err *err);

/* ---- Peer identity ---- */

struct ix_peer {
	pid_t pid;	/* peer's pid at connect time (SO_PEERCRED) */
	uid_t uid;	/* peer's effective uid at connect time */
	gid_t gid;	/* peer's effective gid at connect time */
	int pidfd;	/* pidfd of the peer process, owned; -1 after close */
	int via_peerpidfd; /* 1: from SO_PEERPIDFD, 0: pidfd_open + re-check */
};

/* Fills *peer (OUT) with the credentials and a pidfd of the process at
 * the other end of the connected socket fd. Uses SO_PEERPIDFD where the
 * kernel has it, else pidfd_open with the re-check described in
 * PROTOCOL.md "Peer identity". Returns 0, or -1 with *err set (IX_ENOENT:
 * the peer has already exited). Release with ix_peer_close. */
int ix_ipc_peer(int fd, struct ix_peer *peer, struct ix_err *err);
/* Returns 1 while the peer process is alive, 0 once it has exited (its pid
 * may then be recycled), -1 with *err set on failure. */
int ix_peer_alive(const struct ix_peer *peer, struct ix_err *err);
/* Closes the pidfd; accepts NULL and a closed peer. */
void ix_peer_close(struct ix_peer *peer);

/* ---- Banner and version (PROTOCOL.md "Banner") ---- */

/* Server half, right after accept: sends BANNER {service, version},
 * receives HELLO and answers OK {negotiated} or ERROR. The client's
 * version must be version or version - 1. Returns 0 with *negotiated (OUT)
 * set, or -1 with *err set (IX_EVERSION naming both versions, IX_EINVAL
 * wrong service or message). */
int ix_ipc_server_banner(int fd, const char *service, uint16_t version,
    int timeout_ms, uint16_t *negotiated, struct ix_err *err);
/* Client half, right after connect: receives BANNER, sends HELLO
 * {service, version}, receives OK or the server's ERROR. Returns 0 with
 * *negotiated (OUT) set, or -1 with *err set. A server that closes the
 * connection or stays silent before its banner is reported as such, with
 * what to check. */
int ix_ipc_client_hello(int fd, const char *service, uint16_t version,
    int timeout_ms, uint16_t *negotiated, struct ix_err *err);
/* A client's whole opening: connects to the server at path, then
 * ix_ipc_client_hello. Returns the connection (close-on-exec, the
 * caller's), or -1 with *err set, a message naming the service and,
 * when the server went away before its banner, path. */
int ix_ipc_client_open(const char *path, const char *service, uint16_t version,
    int timeout_ms, uint16_t *negotiated, struct ix_err *err);
/* The pure check the server half applies to a received HELLO. Returns 0
 * with *negotiated (OUT) set, or -1 with *err set. */
int ix_ipc_check_hello(struct ix_msg *hello, const char *service,
    uint16_t version, uint16_t *negotiated, struct ix_err *err);

/* Sends ERROR {e->code, e->msg}. Returns 0 or -1 with *err set. */
int ix_ipc_send_error(int fd, const struct ix_err *e, int timeout_ms,
    struct ix_err *err);
/* Turns a received ERROR message into *remote (OUT). Returns 0, or -1 with
 * *err set when m is not a well-formed ERROR. */
int ix_ipc_read_error(struct ix_msg *m, struct ix_err *remote, struct ix_err *err);

/* ---- Dispatch table (PROTOCOL.md "Dispatch") ---- */

#define IX_DISPATCH_MAX 64		/* entries per table */
#define IX_STATE_HELLO 0x1u		/* state bit: banner exchange done */

/* Entry flags. */
#define IX_DISPATCH_ONCE 0x1u		/* permitted at most once per connection */
#define IX_DISPATCH_AFTER_HELLO 0x2u	/* needs IX_STATE_HELLO */

struct ix_dispatch;

/* A request handler. It reads m, calls ix_msg_end before acting, may set
 * state bits with ix_dispatch_set_state, and returns 0 or -1 with *err
 * set. m stays owned by the caller of ix_dispatch_one. */
typedef int ix_dispatch_fn(struct ix_dispatch *d, struct ix_msg *m, void *ctx,
    struct ix_err *err);

struct ix_dispatch_entry {
	uint16_t type;		/* message type, inside the server's range */
	const char *name;	/* request name used in error messages */
	unsigned flags;		/* IX_DISPATCH_ONCE, IX_DISPATCH_AFTER_HELLO */
	unsigned requires;	/* state bits that must all be set */
	ix_dispatch_fn *handler; /* called with the message */
};

struct ix_dispatch {
	const char *service;	/* service name for error messages */
	uint16_t range;		/* first type of the server's range */
	const struct ix_dispatch_entry *table; /* permitted requests, borrowed */
	size_t n;		/* number of entries */
	unsigned state;		/* state bits reached so far */
	uint64_t used;		/* bit i: entry i already ran (for ONCE) */
};

/* Prepares *d (OUT) over a table of permitted requests. Fails (IX_EINVAL)
 * when the table has more than IX_DISPATCH_MAX entries, an entry outside
 * the range, a duplicate type or no handler. */
int ix_dispatch_init(struct ix_dispatch *d, const char *service, uint16_t range,
    const struct ix_dispatch_entry *table, size_t n, struct ix_err *err);
/* Adds state bits (e.g. IX_STATE_HELLO after ix_ipc_server_banner). */
void ix_dispatch_set_state(struct ix_dispatch *d, unsigned bits);
/* Finds the entry permitted for type in the current state. Returns it, or
 * NULL with *err set naming the type and why (IX_EDENIED: outside the
 * range, unknown, out of order, repeated ONCE). Marks a ONCE entry used. */
const struct ix_dispatch_entry *ix_dispatch_permit(struct ix_dispatch *d,
    uint16_t type, struct ix_err *err);
/* Permits m's type and runs its handler. Returns the handler's result; a
 * refused request or a handler that returned 0 without ix_msg_end fails.
 * Any failure should end the conversation. */
int ix_dispatch_one(struct ix_dispatch *d, struct ix_msg *m, void *ctx,
    struct ix_err *err);

#endif
