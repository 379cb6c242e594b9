/*
 * Map values shared by the BPF LSM program (compartd/compart.bpf.c), its
 * loader (compartd/compartd.c) and the raw-syscall user side (tier1.c).
 * It lives here, in the lower layer, so that libcompart never includes
 * compartd/. Fixed-width types only, explicit padding, no bitfields: the
 * kernel program and user space see the same bytes. Bump
 * IX_T1_MAPS_VERSION on any change; tier1.c refuses a status map of
 * another version.
 */
#ifndef IX_COMPART_MAPS_H
#define IX_COMPART_MAPS_H
#ifndef __VMLINUX_H__
#include <linux/types.h>	/* user space; the BPF side has vmlinux.h */
#endif

#define IX_T1_MAPS_VERSION 3

/* Pin names under the pin directory. */
#define IX_T1_PIN_TASK "task_label"
#define IX_T1_PIN_TTY "tty_label"
#define IX_T1_PIN_STATUS "status"
#define IX_T1_PIN_PROMPT_TTY "prompt_tty"
#define IX_T1_PIN_PROMPT_TASK "prompt_task"

#define IX_T1_CAT_WORDS 4
#define IX_T1_LABEL_F_NO 0x1	/* the black hole, as IX_LABEL_F_NO */

/* A label as the kernel keeps it (same field order as struct ix_label). */
struct ix_t1_label {
	__u16 level;			/* rank, 0 = lowest */
	__u16 flags;			/* IX_T1_LABEL_F_NO or 0 */
	__u32 pad;			/* 0 */
	__u64 cats[IX_T1_CAT_WORDS];	/* bit i of word i/64 = category i */
};

#define IX_T1_FLABEL_SIZE 40	/* = IX_FLABEL_SIZE of flabel.h */

/* Value of the task storage map task_label, keyed by pidfd from user space. */
struct ix_t1_task {
	struct ix_t1_label label;	/* current label */
	struct ix_t1_label ceiling;	/* highest label it may be raised to */
	__u32 flags;			/* IX_TASK_* of tier1.h */
	__u32 pad;			/* 0 */
	__u64 compart;			/* compartment (cgroup) id, 0 = none */
	/* Kernel-only: where bpf_get_file_xattr writes the file label (a
	 * dynptr must point into a map value, and a per-task buffer cannot
	 * race while the sleepable program sleeps). User space writes 0. */
	__u8 scratch[IX_T1_FLABEL_SIZE];
};

/* Key of tty_label: the kernel's dev_t, (major << 20) | minor. */
#define IX_T1_KDEV_MINORBITS 20

/*
 * A terminal under a private prompt (libterm/prompt.c). The same value in
 * two maps: prompt_tty (hash, key: the terminal's kernel dev_t, as
 * tty_label's) says the terminal is guarded; prompt_task (task storage,
 * key: pidfd of the prompting process from user space) says which task
 * prompts on it. A task is the prompter of a guarded terminal when its own
 * prompt_task entry names that terminal with the same cookie. When the
 * prompter's task is freed the kernel program removes the prompt_tty
 * entry whose cookie is its own, so a prompter killed outright does not
 * leave its terminal guarded.
 */
struct ix_t1_prompt {
	__u32 tty;			/* kernel dev_t of the terminal */
	__u32 pid;			/* the prompter's pid, for people (bpftool) */
	__u64 cookie;			/* random, per prompt */
};

/*
 * The licence mark: present on a regular file exactly while it carries a
 * licence (file capabilities or a dummy licence), set and removed by the
 * privileged side with the immutable attribute (libpcopy/licence.c,
 * pc_licence_seal). Its value is IX_T1_LICENCE_VALUE, but the kernel
 * program refuses changes to a file carrying the name whatever its value.
 * Under security.bpf. because only that prefix is readable by the BPF
 * LSM's xattr kfuncs (6.13+) apart from user.*, which a file's owner may
 * set and remove; security.* needs CAP_SYS_ADMIN, and labelled tasks are
 * refused every security.bpf.* change (xattr_guard).
 */
#define IX_T1_LICENCE_XATTR "security.bpf.ixkit.licensed"
#define IX_T1_LICENCE_VALUE "1"

#define IX_T1_NFEATURES 13	/* bits of enum ix_t1_feature */
#define IX_T1_RELEASE_MAX 80
#define IX_T1_WHY_MAX 96

/* The one entry (key 0) of the array map status, written by compartd. */
struct ix_t1_status {
	__u32 version;			/* IX_T1_MAPS_VERSION */
	__u32 features;			/* enum ix_t1_feature bits attached */
	char release[IX_T1_RELEASE_MAX];	/* uname -r compartd saw */
	char why[IX_T1_NFEATURES][IX_T1_WHY_MAX];	/* per bit, why missing */
};
#endif
