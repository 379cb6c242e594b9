/*
 * One structured line per event, to stderr, syslog (authpriv) or a file
 * (DESIGN.md §6): "2026-11-23T18:20:00Z privtree[123] import seq=4 ...".
 * The destination is chosen by --log / IXKIT_LOG / ixkit.conf.
 */
#ifndef IX_LOG_H
#define IX_LOG_H

#include "libixutil/ix_err.h"

struct ix_log;

/* spec: "stderr", "syslog" or an absolute file path (opened O_APPEND,
 * created 0600, never through a symlink). Returns NULL with *err. */
struct ix_log *ix_log_open(const char *spec, const char *prog, struct ix_err *err);
void ix_log_close(struct ix_log *l);	/* accepts NULL */

/* Writes "event" then the formatted key=value text on one line. Control
 * characters in the text are replaced so that one event is one line. */
void ix_log_event(struct ix_log *l, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
