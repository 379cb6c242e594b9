/*
 * Between a slot's monitor and its worker (sessiond(8), PROCESSES;
 * libipc/PROTOCOL.md, section "sessiond"): libipc messages of sessiond's
 * range over the slot's SOCK_SEQPACKET pair, from 0x0340 on so that no
 * client message is ever mistaken for one.
 *
 *	monitor -> worker	CONN once, RUNNING once the session runs
 *	worker -> monitor	REQUEST or REJECT once; then WINCH (only
 *				while the session runs) and HANGUP
 *
 * What the worker may send in which state is the monitor's table
 * (monitor.c); anything else is fatal for the worker.
 */
#ifndef SESSIOND_MPROTO_H
#define SESSIOND_MPROTO_H

#include "libipc/ipc.h"

/* monitor -> worker: 1 fd, the client's connection. */
#define SESSIOND_MON_CONN (IX_RANGE_SESSIOND + 0x40)
/* worker -> monitor: the client's one request, canonical (request.h). */
#define SESSIOND_MON_REQUEST (IX_RANGE_SESSIOND + 0x41)
/* worker -> monitor: str stage ("hello" or "request", <= 16), str why
 * (< IX_ERR_MSG_MAX): the client failed the banner or sent no
 * well-formed request; the worker has answered it. */
#define SESSIOND_MON_REJECT (IX_RANGE_SESSIOND + 0x42)
/* worker -> monitor: empty; the client's terminal changed size. */
#define SESSIOND_MON_WINCH (IX_RANGE_SESSIOND + 0x43)
/* worker -> monitor: u8 why (SESSIOND_HANGUP_*): the client went. */
#define SESSIOND_MON_HANGUP (IX_RANGE_SESSIOND + 0x44)
/* monitor -> worker: empty; the session runs, WINCH may follow. */
#define SESSIOND_MON_RUNNING (IX_RANGE_SESSIOND + 0x45)

#define SESSIOND_HANGUP_CLOSED 0	/* the client closed the connection */
#define SESSIOND_HANGUP_PROTOCOL 1	/* it sent what it may not */

#endif
