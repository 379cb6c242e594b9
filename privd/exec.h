/*
 * What privd's monitor does with root's power, for the steps of the plan
 * it decided itself (libipc/SERVER.md): naming the client's stream
 * (which reads every process's descriptor table), opening a label step's file with the client's filesystem
 * identity, and running an EXEC step context-free in a run group of its
 * own, so that the action is ended whole when it ends, when the monitor
 * dies or when privd stops.
 */
#ifndef PRIVD_EXEC_H
#define PRIVD_EXEC_H

#include <stdbool.h>
#include <sys/types.h>

#include "db/ixdb.h"
#include "libcompart/compart.h"
#include "libterm/pex.h"
#include "libterm/streamid.h"
#include "privd/server.h"

/* The stream identifier of fd into src (ix_stream_id with the providers:
 * a pty's names the provider holding its master), and whether fd is the
 * controlling terminal of the client (pid, pinned by pidfd). Returns 1,
 * 0 with why, -1 with *err. */
int privd_identify(int fd, pid_t pid, int pidfd, const struct ix_stream_provider *prov,
		   size_t nprov, char *src, size_t srcsize, char *why, size_t whysize,
		   struct ix_err *err);

/*
 * Opens path O_PATH without following any link, walked with who's
 * filesystem identity (its fsuid, fsgid and groups): a relative path
 * beneath cwd and nothing outside it, an absolute one from /. The
 * monitor's own identity is back before it returns (it aborts if it
 * cannot be). Returns the descriptor, or -1 with *err (IX_EDENIED for a
 * link or a way out of cwd, IX_ENOENT for a missing file, IX_ESYS).
 */
int privd_open_as(const struct ix_ids *who, const char *path, int cwd, struct ix_err *err);

/* Opens the file found on pathfd (an O_PATH descriptor) again with flags,
 * as who (the same identity as privd_open_as): the client may read what
 * privd reads for it. Returns the descriptor or -1 with *err. */
int privd_reopen_as(const struct ix_ids *who, int pathfd, int flags, struct ix_err *err);

/* An EXEC step running. */
struct privd_run {
	char group[IX_COMPART_NAME_MAX + 1];	/* its run group or compartment */
	bool compartment;			/* CEILING(...): a compartment */
	int kill_fd;				/* the group's cgroup.kill, or -1 */
	pid_t pid;				/* the program */
	int pidfd;
};

/*
 * Starts x in a group named privd-<monitor pid>: a compartment at its
 * ceiling when it has one (the label snapshot read from db), else a run
 * group (libcompart/rungroup.h). *run is filled; its kill_fd is open for
 * a signal handler. Returns 0, or -1 with *err (nothing left running).
 */
int privd_run_start(const struct privd_server *srv, struct ixdb *db, const struct privd_exec *x,
		    struct privd_run *run, struct ix_err *err);

/* Ends run's group whole (everything the action forked) and removes it;
 * closes what run holds. Logs what it cannot do. */
void privd_run_end(const struct privd_server *srv, struct privd_run *run);

/* The group name of the actions of the monitor pid. */
void privd_run_group(pid_t monitor, char *name, size_t size);

/* Ends the group of a monitor that is gone (its run group or its
 * compartment). 0, or -1 with *err. */
int privd_run_abandon(pid_t monitor, struct ix_err *err);

#endif
