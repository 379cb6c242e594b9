/*
 * The monitor's label and edit steps (apply.c): what comes before the
 * question (the files of LABEL and DOWNGRADE opened, the edit checked, the
 * text shown), the relabel after it and the edit. Kept apart from
 * monitor.c, which talks to the client and runs EXEC steps.
 */
#ifndef PRIVD_APPLY_H
#define PRIVD_APPLY_H

#include <stddef.h>
#include <sys/types.h>

#include "db/ixdb.h"
#include "libauthtree/eval.h"
#include "libauthtree/store.h"
#include "privd/server.h"

/*
 * Opens the file of LABEL or DOWNGRADE step s as O_PATH without
 * following any link (privd_open_as): a relative operand beneath cwd (the
 * client's working directory, never outside it), an absolute one from /;
 * the way is walked with client's filesystem identity (a directory the
 * client cannot search stops it). Only a regular file or a directory;
 * reads its label and judges the new one (ix_judge_label, bounded by the plan's grant). Fills
 * s->fd, dev, ino, labelled, before, after. Returns 0, or -1 with *err
 * naming the file (IX_EDENIED for a link, a way out of cwd or a label
 * beyond the granted right or a regular file with more than one name
 * (hard links), IX_EINVAL for the wrong kind of file or a
 * category it lacks, IX_ENOENT for a missing file, IX_ESYS for one the
 * client cannot reach).
 */
int privd_step_open(struct privd_step *s, const struct ix_ids *client, int cwd,
		    const struct ix_plan *plan, struct ix_err *err);

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

/* Who asks, as the monitor established it from the connection. */
struct privd_client {
	const char *login;	/* login name of the peer's uid */
	const char *src;	/* stream identifier of its descriptor 0 */
	uid_t uid;		/* SO_PEERCRED */
	gid_t gid;
	int cwd;		/* its working directory (O_PATH) */
};

/*
 * Everything before the question: the edit block (edit, NULL when the
 * request carried none) judged against the plan and tree p
 * (ix_judge_edit: the EDIT step's subtree, monotonicity, the requester's
 * rights), the files of the label steps opened and judged
 * (privd_step_open, walked as who); *text is what the person confirms
 * (malloc'd; left NULL for an unattended decision, which asks nothing). Returns 0,
 * or -1 with *err and *code the PRIVD_EX_* status the refusal gives
 * (PRIVD_EX_INAPPLICABLE for a file the action cannot apply to).
 */
int privd_prepare(const struct ix_policy *p, struct privd_act *act,
		  const struct ix_decision *dec, const struct privd_client *who,
		  const struct ix_edit *edit, char **text, uint8_t *code, struct ix_err *err);

/* Applies edit e for who (ix_store_edit_plan: one transaction, judged
 * again on the tree as it is then, bounded by who's login, stream and the
 * passwords dec verified, audited with who as actor). ref receives the audit record's place.
 * Returns 0 or -1 with *err. */
int privd_edit_apply(struct ixdb *db, const struct ix_edit *e, const struct privd_client *who,
		     const struct ix_decision *dec, const char *head, struct ix_audit_ref *ref,
		     struct ix_err *err);

/* PRIVD_EX_REFUSED for an edit the tree or the editor's rights refuse,
 * PRIVD_EX_ERROR for anything else. */
uint8_t privd_edit_code(const struct ix_err *e);

/* The lines the person confirms for an edit ("add node /a/b\n  with
 * predicate ...\n  and rights ..."). Truncated to size. */
void privd_edit_describe(const struct ix_edit *e, char *buf, size_t size);

#endif
