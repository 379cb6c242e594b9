/*
 * Sessions left open by a monitor that died (sessiond(8), FAULTS): their
 * terminals get their labels back, their compartments are emptied and
 * removed, and the sessions table says how they ended. main does it at
 * start-up for every session a dead sessiond left, and when it reaps a
 * slot for the sessions of that slot's monitor.
 */
#ifndef SESSIOND_ORPHAN_H
#define SESSIOND_ORPHAN_H

#include <sys/types.h>

#include "db/ixdb.h"
#include "libixutil/ix_log.h"

/*
 * Ends the live sessions whose monitor was dead (only == 0: every live
 * session whose monitor is no longer running; else those of the monitor
 * only, which the caller has reaped), recording how. Returns the number
 * ended, or -1 with *err.
 */
int sess_orphans_end(struct ixdb *db, struct ix_log *log, pid_t only, const char *how,
		     struct ix_err *err);

#endif
