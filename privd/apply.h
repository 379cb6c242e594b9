/*
 * The worker's own steps (apply.c): the files of LABEL and DOWNGRADE,
 * opened before the confirmation and relabelled after it, and the text
 * that shows an edit. Kept apart from worker.c, which runs EXEC steps.
 */
#ifndef PRIVD_APPLY_H
#define PRIVD_APPLY_H

#include <stddef.h>
#include <sys/types.h>

#include "db/ixdb.h"
#include "privd/server.h"

/* The client's identity for walking to its files: uid and gid as the
 * connection gave them, the login's groups from the group database.
 * Returns 0 or -1 with *err. */
int privd_client_ids(const char *login, uid_t uid, gid_t gid, struct ix_ids *out,
		     struct ix_err *err);

/*
 * Opens the file of LABEL or DOWNGRADE step s as O_PATH without following
 * any link: a relative operand beneath cwd (the client's working
 * directory, never outside it), an absolute one from /; the way is walked
 * with client's filesystem identity (a directory the client cannot search
 * stops it). Only a regular file or a directory; reads its label and
 * computes the new one (privd_step_label, bounded by granted). Fills
 * s->fd, dev, ino, labelled, before, after. Returns 0, or -1 with *err
 * naming the file (IX_EDENIED for a link or a way out of cwd, IX_EINVAL
 * for the wrong kind of file or a category it lacks, IX_ESYS for a
 * missing file or one the client cannot reach).
 */
int privd_step_open(struct privd_step *s, const struct ix_ids *client, int cwd,
		    const struct ix_policy *p, const struct ix_rights *granted,
		    struct ix_err *err);

/* The line the person confirms: "report (device 0:45, inode 1234):
 * secret:projectbit -> secret". Truncated to size. */
void privd_step_describe(const struct privd_step *s, const struct ix_label_enc *enc,
			 char *buf, size_t size);

/*
 * Relabels the file open on s->fd, after confirmation: fails unchanged
 * (IX_ECONFLICT) when its label is no longer the one shown; sets the
 * label and the index (ix_flabel_label), reads it back and compares.
 * report receives "report (device 0:45, inode 1234): now labelled
 * secret". Returns 0 or -1 with *err.
 */
int privd_step_relabel(struct ixdb *db, const struct privd_step *s,
		       const struct ix_label_enc *enc, char *report, size_t size,
		       struct ix_err *err);

/* The lines the person confirms for an edit ("add node /a/b\n  with
 * predicate ...\n  and rights ..."). Truncated to size. */
void privd_edit_describe(const struct ix_edit *e, char *buf, size_t size);

#endif
