/*
 * privd's messages, in libipc's IX_RANGE_PRIVD (libipc/PROTOCOL.md,
 * section "privd"). One request per connection: after the banner the
 * client sends one REQUEST; privd answers DECISION (dry run, list), or
 * REFUSED, or STARTED, any number of REPORTs, then EXITED (or REFUSED when
 * a label or edit step fails); while the action runs the client may send
 * SIGNAL any number of times.
 */
#ifndef PRIVD_PROTO_H
#define PRIVD_PROTO_H

#include "libipc/ipc.h"

#define PRIVD_SERVICE "privd"
#define PRIVD_VERSION 1

#define PRIVD_ARGC_MAX 64	/* words of a request */
#define PRIVD_ARG_MAX 4096	/* bytes of one word */
#define PRIVD_TEXT_MAX 60000	/* bytes of a DECISION, REFUSED or REPORT text */
#define PRIVD_EDIT_PATH_MAX 1024 /* bytes of an edit's node path (IX_NODE_PATH_MAX) */
#define PRIVD_EDIT_TEXT_MAX 8192 /* bytes of an edit's predicate or rights */

/* Request flags. */
#define PRIVD_F_DRYRUN 0x1u	/* priv -n: decide and explain, run nothing */
#define PRIVD_F_LIST 0x2u	/* priv -l: list what the caller may request */
#define PRIVD_F_EDIT 0x4u	/* an edit block follows the words (not with LIST) */

/* client -> server: u8 flags, u16 argc (1..PRIVD_ARGC_MAX; 0 with
 * PRIVD_F_LIST), argc x str (each <= PRIVD_ARG_MAX, joined by single
 * spaces <= IX_REQUEST_MAX); 4 fds: the client's descriptors 0, 1, 2,
 * then its working directory (O_PATH), beneath which the relative file
 * operands of label and copy actions are resolved. The client's pidfd is
 * the connection's (SO_PEERPIDFD), never sent.
 * With PRIVD_F_EDIT, between the words and the descriptors, the edit
 * block the action's EDIT applies: u8 op (0 add, 1 remove, 2 predicate,
 * 3 rights), str path (a node path <= PRIVD_EDIT_PATH_MAX), str predicate,
 * str rights (each <= PRIVD_EDIT_TEXT_MAX; empty exactly when op does
 * not take it: add takes both, remove neither, predicate and rights
 * their own). */
#define PRIVD_MSG_REQUEST (IX_RANGE_PRIVD + 0x01)
/* server -> client: u8 granted (1/0), str text (<= PRIVD_TEXT_MAX). */
#define PRIVD_MSG_DECISION (IX_RANGE_PRIVD + 0x02)
/* server -> client: empty; the action has been started (its first step). */
#define PRIVD_MSG_STARTED (IX_RANGE_PRIVD + 0x03)
/* server -> client: u8 how (0 exited, 1 killed by a signal), u8 value
 * (exit status or signal number). */
#define PRIVD_MSG_EXITED (IX_RANGE_PRIVD + 0x04)
/* server -> client: u8 code (PRIVD_EX_*), str words (<= PRIVD_TEXT_MAX). */
#define PRIVD_MSG_REFUSED (IX_RANGE_PRIVD + 0x05)
/* client -> server, only after STARTED: u8 signal number, one of SIGINT,
 * SIGTERM, SIGHUP, SIGQUIT; privd sends it to the action. No answer. */
#define PRIVD_MSG_SIGNAL (IX_RANGE_PRIVD + 0x06)

/* server -> client, only between STARTED and EXITED: str text (<=
 * PRIVD_TEXT_MAX), what a label or edit step did ("report (device 0:45,
 * inode 1234): now labelled secret"); priv prints it on its stdout. */
#define PRIVD_MSG_REPORT (IX_RANGE_PRIVD + 0x07)

/*
 * Between a slot's monitor and its worker (libipc/SERVER.md), never on
 * privd's socket (whose dispatch table takes none of them): the upper
 * half of privd's range. The monitor's machine (slot.c) says which the
 * worker may send in which state.
 */
/* monitor -> worker, once: fd, the client's connection. */
#define PRIVD_W_CONN (IX_RANGE_PRIVD + 0x80)
/* worker -> monitor: REQUEST's payload written anew (privd_request_write),
 * with the client's four descriptors. */
#define PRIVD_W_REQUEST (IX_RANGE_PRIVD + 0x81)
/* worker -> monitor, right after REQUEST: empty; the worker has closed its
 * copies of the client's descriptors (pex would find it holding the
 * terminal otherwise, and refuse). */
#define PRIVD_W_DROPPED (IX_RANGE_PRIVD + 0x82)
/* worker -> monitor, instead of REQUEST: str why (<= IX_ERR_MSG_MAX); the
 * client broke the protocol or went away before its request. */
#define PRIVD_W_REJECT (IX_RANGE_PRIVD + 0x83)
/* worker -> monitor, while the action runs: u8 signal, one of SIGINT,
 * SIGTERM, SIGHUP, SIGQUIT, sent by the client. */
#define PRIVD_W_SIGNAL (IX_RANGE_PRIVD + 0x84)
/* worker -> monitor, while the action runs: empty; the client hung up or
 * broke the protocol. */
#define PRIVD_W_HANGUP (IX_RANGE_PRIVD + 0x85)

/* priv's exit codes when no action status is returned (DESIGN.md §6, and
 * 124 after timeout(1)'s place below env(1)'s three). */
enum {
	/* granted, but a label step's file does not fit it (missing, not a
	 * regular file or directory, without the category to remove):
	 * nothing was asked or run */
	PRIVD_EX_INAPPLICABLE = 124,
	PRIVD_EX_REFUSED = 125,
	PRIVD_EX_UNCONFIRMED = 126,
	PRIVD_EX_ERROR = 127,
};

#endif
