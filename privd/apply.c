/*
 * The label steps of an action, carried out by the monitor (no program is
 * run for them): the file is opened once, by descriptor, before the
 * confirmation, and the descriptor shown is the descriptor relabelled. It
 * is opened with no link followed on the way, a relative operand beneath
 * the client's working directory, the way walked with the client's
 * filesystem identity (exec.c); only regular files and directories take
 * labels. And what comes before the question (privd_prepare): the
 * edit block against the action, the files opened, the edit checked, the
 * text shown; and the edit itself, applied with the client's rights.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "libcompart/flabel.h"
#include "libcompart/flabel_index.h"
#include "privd/apply.h"
#include "privd/exec.h"
#include "privd/licence.h"
#include "privd/proto.h"

/* The client's identity for walking to its files: uid and gid as the
 * connection gave them, the login's groups from the group database. */
static int
privd_client_ids(const char *login, uid_t uid, gid_t gid, struct ix_ids *out,
		 struct ix_err *err)
{
	int n = IX_CAPS_MAX_GROUPS;

	out->uid = uid;
	out->gid = gid;
	if (getgrouplist(login, gid, out->groups, &n) < 0)
		return ix_err_set(err, IX_ELIMIT, "%s is in more than %d groups", login,
				  IX_CAPS_MAX_GROUPS);
	out->ngroups = (size_t)n;
	return 0;
}

int
privd_step_open(struct privd_step *s, const struct ix_ids *client, int cwd,
		const struct ix_plan *plan, struct ix_err *err)
{
	const char *path = s->step->label.file;
	struct stat st;
	int fd = privd_open_as(client, path, cwd, err);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0) {
		ix_err_sys(err, "%s", path);
		goto fail;
	}
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		ix_err_set(err, IX_EINVAL, "%s is not a regular file or a directory: only those "
			   "take labels", path);
		goto fail;
	}
	/* Before the question, as ix_flabel_label refuses after it: the
	 * label is on the inode, the person confirms one name of it, and
	 * tier 2 would keep the file out under that name alone. */
	if (S_ISREG(st.st_mode) && st.st_nlink > 1) {
		ix_err_set(err, IX_EDENIED, "%s has %lu hard links: a labelled file has one name",
			   path, (unsigned long)st.st_nlink);
		goto fail;
	}
	if (ix_flabel_get(fd, &s->before, &s->labelled, err) < 0) {
		ix_err_prefix(err, "%s", path);
		goto fail;
	}
	if (!s->labelled)
		ix_label_bottom(plan->policy->enc, &s->before);
	if (ix_judge_label(plan, s->index, s->labelled, &s->before, &s->after, err) < 0)
		goto fail;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->fd = fd;
	return 0;
fail:
	close(fd);
	return -1;
}

static void
label_text(const struct ix_label_enc *enc, bool labelled, const struct ix_label *l, char *buf,
	   size_t size)
{
	struct ix_err e;

	if (!labelled)
		snprintf(buf, size, "(unlabelled)");
	else if (ix_label_print(enc, l, buf, size, &e) < 0)
		snprintf(buf, size, "(a label this policy cannot name)");
}

/* "report (device 0:45, inode 1234)" */
static void
file_text(const struct privd_step *s, char *buf, size_t size)
{
	snprintf(buf, size, "%s (device %u:%u, inode %llu)", s->step->label.file,
		 major((dev_t)s->dev), minor((dev_t)s->dev), (unsigned long long)s->ino);
}

void
privd_step_describe(const struct privd_step *s, const struct ix_label_enc *enc, char *buf,
		    size_t size)
{
	char file[IX_ACTION_ARG_MAX + 64], was[IX_LABEL_TEXT_MAX], will[IX_LABEL_TEXT_MAX];

	file_text(s, file, sizeof file);
	label_text(enc, s->labelled, &s->before, was, sizeof was);
	label_text(enc, true, &s->after, will, sizeof will);
	snprintf(buf, size, "%s: %s -> %s", file, was, will);
}

int
privd_step_relabel(struct ixdb *db, const struct privd_step *s,
		   const struct ix_label_enc *enc, char *report, size_t size, struct ix_err *err)
{
	char file[IX_ACTION_ARG_MAX + 64], now_text[IX_LABEL_TEXT_MAX];
	struct ix_label now;
	bool labelled;

	file_text(s, file, sizeof file);
	/* Labels change only through privileged servers, but one may have
	 * acted while the person read the question: what was confirmed is
	 * "from this label to that one". */
	if (ix_flabel_get(s->fd, &now, &labelled, err) < 0)
		return ix_err_prefix(err, "%s", file);
	if (labelled != s->labelled || (labelled && !ix_label_eq(&now, &s->before))) {
		label_text(enc, labelled, &now, now_text, sizeof now_text);
		return ix_err_set(err, IX_ECONFLICT, "%s: its label changed to %s since it was "
				  "shown; not relabelled", file, now_text);
	}
	if (ix_flabel_label(db, s->fd, &s->after, err) < 0)
		return ix_err_prefix(err, "%s", file);
	if (ix_flabel_get(s->fd, &now, &labelled, err) < 0)
		return ix_err_prefix(err, "%s: relabelled, but reading it back failed", file);
	label_text(enc, labelled, &now, now_text, sizeof now_text);
	if (!labelled || !ix_label_eq(&now, &s->after))
		return ix_err_set(err, IX_ECORRUPT, "%s: relabelled, but it reads back as %s", file,
				  now_text);
	snprintf(report, size, "%s: now labelled %s", file, now_text);
	return 0;
}

void
privd_edit_describe(const struct ix_edit *e, char *buf, size_t size)
{
	switch (e->op) {
	case IX_EDIT_ADD:
		snprintf(buf, size, "add node %s\n  with predicate %s\n  and rights %s", e->path,
			 e->predicate, e->rights);
		break;
	case IX_EDIT_REMOVE:
		snprintf(buf, size, "remove node %s and every node below it", e->path);
		break;
	case IX_EDIT_PREDICATE:
		snprintf(buf, size, "set the predicate of node %s to %s", e->path, e->predicate);
		break;
	case IX_EDIT_RIGHTS:
		snprintf(buf, size, "set the rights of node %s to %s", e->path, e->rights);
		break;
	}
}

/* The users whose passwords the decision verified: they bound an edit. */
static size_t
verified_users(const struct ix_decision *dec, const char *users[IX_PW_DEMANDS_MAX])
{
	size_t n = 0;

	for (size_t i = 0; i < dec->npw; i++)
		if (dec->pw[i].verified == 1)
			users[n++] = dec->pw[i].user;
	return n;
}

/* A file beyond the granted right is refused; a file the step cannot
 * apply to is the request's mistake, which the caller must not take for
 * an ixkit failure (privd_step_open's codes). */
static uint8_t
step_code(const struct ix_err *e)
{
	switch (e->code) {
	case IX_EDENIED:
		return PRIVD_EX_REFUSED;
	case IX_EINVAL:
	case IX_ENOENT:
		return PRIVD_EX_INAPPLICABLE;
	default:
		return PRIVD_EX_ERROR;
	}
}

uint8_t
privd_edit_code(const struct ix_err *e)
{
	return e->code == IX_EDENIED || e->code == IX_ECONFLICT || e->code == IX_EEXIST ||
	       e->code == IX_ENOENT ? PRIVD_EX_REFUSED : PRIVD_EX_ERROR;
}

int
privd_edit_apply(struct ixdb *db, const struct ix_edit *e, const struct privd_client *who,
		 const struct ix_decision *dec, const char *head, struct ix_audit_ref *ref,
		 struct ix_err *err)
{
	const char *users[IX_PW_DEMANDS_MAX];
	struct ix_editor ed = { who->login, who->src, users, verified_users(dec, users) };

	/* judged again, by the same ix_judge_edit, inside the transaction */
	return ix_store_edit_plan(db, &dec->plan, e, &ed, who->login, head, ref, err);
}

int
privd_prepare(const struct ix_policy *p, struct privd_act *act, const struct ix_decision *dec,
	      const struct privd_client *who, const struct ix_edit *edit, char **text,
	      uint8_t *code, struct ix_err *err)
{
	bool have_client = false;
	struct ix_ids client;
	char *desc = NULL, *out = NULL, line[IX_ACTION_ARG_MAX + 2 * IX_LABEL_TEXT_MAX + 64];
	size_t len = 0;
	FILE *f;
	int rc = -1;

	*code = PRIVD_EX_ERROR;
	/* The edit block against the plan: its EDIT step's subtree, the tree's
	 * monotonicity and the requester's rights, one check. */
	if (ix_judge_edit(&dec->plan, p, dec->plan.held, edit, err) < 0) {
		*code = privd_edit_code(err);
		if (err->code != IX_EINVAL)	/* a block without its EDIT, or the reverse */
			ix_err_prefix(err, "edit refused");
		return -1;
	}
	for (size_t i = 0; i < act->nsteps; i++) {
		enum ix_step_kind k = act->steps[i].step->kind;

		bool lic = privd_licence_kind(k);

		if (k != IX_STEP_LABEL && k != IX_STEP_DOWNGRADE && !lic)
			continue;
		/* Only file steps need these: an EXEC-only action pays nothing. */
		if (!have_client &&
		    privd_client_ids(who->login, who->uid, who->gid, &client, err) < 0)
			goto out;
		have_client = true;
		if ((lic ? privd_licence_open(&act->steps[i], &client, who->cwd, &dec->plan, err)
			 : privd_step_open(&act->steps[i], &client, who->cwd, &dec->plan, err)) < 0) {
			*code = step_code(err);
			goto out;
		}
		if (lic && privd_licence_same(act, i, err) < 0) {
			*code = PRIVD_EX_REFUSED;
			goto out;
		}
	}
	if (dec->unattended) {	/* no question: nothing to show */
		rc = 0;
		goto out;
	}
	if ((desc = ix_action_describe(dec->action, p->enc, err)) == NULL)
		goto out;
	if ((f = open_memstream(&out, &len)) == NULL) {
		ix_err_sys(err, "open_memstream");
		goto out;
	}
	fputs(desc, f);
	for (size_t i = 0; i < act->nsteps; i++) {
		enum ix_step_kind k = act->steps[i].step->kind;

		if (k == IX_STEP_LABEL || k == IX_STEP_DOWNGRADE) {
			privd_step_describe(&act->steps[i], p->enc, line, sizeof line);
			fprintf(f, "  %s\n", line);
		} else if (k == IX_STEP_EDIT) {
			privd_edit_describe(edit, line, sizeof line);
			fprintf(f, "  %s\n", line);
		} else if (privd_licence_kind(k)) {
			privd_licence_describe(&act->steps[i], line, sizeof line);
			fprintf(f, "  %s\n", line);
		}
	}
	if (fclose(f) != 0) {
		ix_err_sys(err, "composing the action's text");
		goto out;
	}
	/* confirm() shows at most this much: never a question cut short. */
	if (len > IX_ACTION_TEXT_MAX) {
		ix_err_set(err, IX_ELIMIT, "the action takes more than %d bytes to show; privd "
			   "asks no question it cannot show whole", IX_ACTION_TEXT_MAX);
		goto out;
	}
	*text = out;
	out = NULL;
	rc = 0;
out:
	free(out);
	free(desc);
	return rc;
}
