/*
 * Tier 1 of the compartment kernel, seen from user space: the maps that
 * compartd pins in its bpffs directory. Every function here is for
 * privileged servers (CAP_BPF + CAP_SYS_ADMIN); a labelled task is refused
 * bpf() by the kernel program itself.
 *
 * compartd loads the BPF LSM program, pins its maps and a status map under
 * pindir (default IX_T1_PINDIR) and stays running; when it exits the
 * programs detach. ix_t1_open fails with IX_ENOENT when nothing is pinned
 * there, which callers read as "tier 1 not active".
 */
#ifndef IX_TIER1_H
#define IX_TIER1_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "libixutil/ix_err.h"
#include "liblattice/label.h"

#define IX_T1_PINDIR "/sys/fs/bpf/ixkit"

#define IX_TASK_SEALED 0x1u	/* no setuid 0, no privileged exec, no userns */

/* What the kernel holds for one task. */
struct ix_task_label {
	struct ix_label label;	/* current label */
	struct ix_label ceiling;	/* highest label the task may be raised to */
	uint32_t flags;		/* IX_TASK_* */
	uint64_t compart;	/* cgroup id of the task's compartment, 0 = none */
};

/* Features, one bit per hook or kfunc that compartd found and attached. */
enum ix_t1_feature {
	IX_T1_INHERIT = 1u << 0,	/* task_alloc: labels inherited on fork */
	IX_T1_SEAL_SETUID = 1u << 1,	/* task_fix_setuid */
	IX_T1_SEAL_EXEC = 1u << 2,	/* bprm_creds_from_file / bprm_check */
	IX_T1_SEAL_USERNS = 1u << 3,	/* userns_create */
	IX_T1_FILE_BLP = 1u << 4,	/* file_open, path_link + the xattr kfuncs, security.bpf.* */
	IX_T1_SIGNAL = 1u << 5,		/* task_kill */
	IX_T1_PTRACE = 1u << 6,		/* ptrace_access_check */
	IX_T1_UNIX = 1u << 7,		/* unix_stream_connect, unix_may_send */
	IX_T1_XATTR = 1u << 8,		/* inode_setxattr/removexattr on the label */
	IX_T1_BPF = 1u << 9,		/* bpf(): refused to labelled tasks */
	IX_T1_TTY = 1u << 10,		/* file_permission on labelled terminals */
	IX_T1_PROMPT = 1u << 11,	/* file_ioctl/file_permission/task_free: prompt terminals */
	IX_T1_LICENCE = 1u << 12,	/* file_open/inode_setattr/inode_rename/inode_unlink:
					 * licensed files unchangeable, for every task */
};

struct ix_t1;

/* Opens the pinned maps under pindir (NULL = IX_T1_PINDIR). */
int ix_t1_open(const char *pindir, struct ix_t1 **out, struct ix_err *err);
void ix_t1_close(struct ix_t1 *t);	/* accepts NULL */

/* Features attached (bitwise or of ix_t1_feature). */
int ix_t1_features(struct ix_t1 *t, uint32_t *features, struct ix_err *err);
/* For one feature, compartd's reason when it is missing ("" when
 * attached) into why, and the kernel release compartd saw into release
 * (either may be NULL). */
int ix_t1_why(struct ix_t1 *t, uint32_t one_feature, char *why, size_t whysize,
	      char *release, size_t relsize, struct ix_err *err);
const char *ix_t1_feature_name(uint32_t one_feature);

/* Label of the task behind pidfd: set (tl == NULL clears it), read
 * (labelled=false when the task has no entry). A label above its
 * ceiling is refused. */
int ix_t1_task_set(struct ix_t1 *t, int pidfd, const struct ix_task_label *tl,
		   struct ix_err *err);
int ix_t1_task_get(struct ix_t1 *t, int pidfd, struct ix_task_label *tl,
		   bool *labelled, struct ix_err *err);

/* Terminal labels, keyed by the tty's device number (st_rdev): devpts has
 * no xattrs. l == NULL removes the entry. */
int ix_t1_tty_set(struct ix_t1 *t, dev_t rdev, const struct ix_label *l,
		  struct ix_err *err);
int ix_t1_tty_get(struct ix_t1 *t, dev_t rdev, struct ix_label *l,
		  bool *labelled, struct ix_err *err);

/*
 * A terminal under a private prompt (libterm/prompt.c through tty.h):
 * while the hold lasts the kernel refuses TIOCSPGRP, TIOCSTI and reads on
 * the terminal (the device rdev, and /dev/tty or /dev/console standing
 * for it) to every task but the calling one. Holds are per task: a task
 * prompts on one terminal at a time, and its children and other threads
 * are refused like everyone else. A later hold on the same terminal, by
 * any task, replaces an earlier one. ix_t1_prompt_end undoes exactly its
 * own hold (not one that replaced it); a task that exits without it (killed
 * outright) loses its hold when its task is freed, once it is reaped.
 * Only the IX_T1_PROMPT feature enforces a hold: without it (ix_t1_features)
 * the maps take it and nothing reads them. The kernel knows the prompter by
 * its task, through the pidfd, so pid namespaces do not matter.
 */
struct ix_t1_prompt_hold {
	uint32_t key;		/* the terminal's kernel dev_t */
	uint64_t cookie;	/* this hold's, random */
	int pidfd;		/* of the calling process, -1 when not held */
};
int ix_t1_prompt_begin(struct ix_t1 *t, dev_t rdev, struct ix_t1_prompt_hold *h,
		       struct ix_err *err);
int ix_t1_prompt_end(struct ix_t1 *t, struct ix_t1_prompt_hold *h, struct ix_err *err);
#endif
