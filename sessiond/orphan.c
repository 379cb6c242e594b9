/*
 * Sessions whose monitor died (orphan.h).
 */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcompart/compart.h"
#include "libcompart/tier1.h"
#include "sessiond/orphan.h"
#include "sessiond/record.h"

struct undo {
	struct ix_log *log;
	pid_t only;	/* the reaped monitor, or 0 */
};

/* Is pid a sessiond process still serving (the same program as this
 * one)? Only asked at start-up: a reaped monitor is known to be dead,
 * and its pid may already be another slot's. */
static int
monitor_alive(pid_t pid)
{
	char path[64];
	struct stat a, b;

	snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
	return pid > 0 && pid != getpid() && stat(path, &a) == 0 && stat("/proc/self/exe", &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* 0 ended (terminal labels restored, compartment gone), 1 still served. */
static int
undo(const struct sess_orphan *o, void *arg)
{
	struct undo *u = arg;
	char name[IX_COMPART_NAME_MAX + 1];
	struct ix_t1 *t1 = NULL;
	struct ix_err e;

	if (u->only == 0 && monitor_alive(o->worker))
		return 1;
	if (ix_t1_open(NULL, &t1, &e) == 0) {
		if (ix_t1_tty_set(t1, o->user_tty_rdev, o->user_tty_labelled ? &o->user_tty_label : NULL,
				  &e) < 0 || ix_t1_tty_set(t1, o->tty_rdev, NULL, &e) < 0)
			ix_log_event(u->log, "error", "session=%lld terminal label not restored: %s",
				     (long long)o->id, e.msg);
		ix_t1_close(t1);
	}
	/* The compartment is named for the monitor that made it. */
	snprintf(name, sizeof name, "session-%d", (int)o->worker);
	if ((ix_compart_kill(name, 5000, &e) < 0 || ix_compart_remove(name, &e) < 0) &&
	    e.code != IX_ENOENT)
		ix_log_event(u->log, "warning", "session=%lld compartment %s not removed: %s",
			     (long long)o->id, name, e.msg);
	ix_log_event(u->log, "orphan", "session=%lld worker=%d ended, terminal label restored",
		     (long long)o->id, (int)o->worker);
	return 0;
}

int
sess_orphans_end(struct ixdb *db, struct ix_log *log, pid_t only, const char *how,
		 struct ix_err *err)
{
	struct undo u = { log, only };

	return sess_record_orphans(db, only, how, undo, &u, err);
}
