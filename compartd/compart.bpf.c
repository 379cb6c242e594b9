// SPDX-License-Identifier: GPL-2.0
/*
 * Tier 1 of the compartment kernel: a BPF LSM program held by compartd.
 *
 * A task is labelled when it has an entry in task_label; only privileged
 * user space creates entries (through a pidfd), and task_alloc copies the
 * parent's entry into every child. Unlabelled tasks are the servers: the
 * hooks below check labelled tasks only, except that a server may not
 * ptrace-attach into a compartment (it may signal into one: privd
 * forwards its client's signals, sessiond ends sessions).
 *
 * The licence guard (licence_*) binds every task, servers included: a
 * file carrying the licence mark is not opened for writing, truncated,
 * chmod-ed, chown-ed, renamed or unlinked by anyone.
 *
 * Verifier rules this file follows (notes/kernel-mechanisms.md §1):
 * never branch on a hook's pointer arguments (the verifier takes them as
 * non-NULL and drops the test), NULL-check pointers walked from them
 * (sock->sk, dentry->d_inode), read kernel_cap_t as 8 raw bytes (its
 * layout changed in 6.3), do not read `ret` where kernels added or may add
 * arguments (bpf, inode_setxattr, inode_setattr, inode_rename), and give
 * the xattr kfuncs a map value as buffer.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "libcompart/compart_maps.h"

#define EPERM 1
#define ENOMEM 12
#define EACCES 13
#define ENODATA 61
#define EOPNOTSUPP 95

#define FMODE_READ 0x1
#define FMODE_WRITE 0x2
#define MAY_WRITE 0x2
#define MAY_READ 0x4
#define MAY_APPEND 0x8
#define PTRACE_MODE_ATTACH 0x2
#define TIOCSPGRP 0x5410
#define TIOCSTI 0x5412
#define AF_UNIX 1
#define ATTR_MODE 0x1
#define ATTR_UID 0x2
#define ATTR_GID 0x4
#define ATTR_SIZE 0x8

#define S_IFMT 0170000
#define S_IFREG 0100000
#define S_IFCHR 0020000
#define S_ISUID 0004000
#define S_ISGID 0002000
#define S_IXGRP 0000010

#define IX_TASK_SEALED 0x1	/* as in tier1.h */
#define KDEV(ma, mi) (((__u32)(ma) << IX_T1_KDEV_MINORBITS) | (__u32)(mi))

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ix_t1_task);
} task_label SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);		/* kernel dev_t of the terminal */
	__type(value, struct ix_t1_label);
} tty_label SEC(".maps");

/* Terminals under a private prompt, and who prompts on each
 * (compart_maps.h, struct ix_t1_prompt). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);		/* kernel dev_t of the terminal */
	__type(value, struct ix_t1_prompt);
} prompt_tty SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ix_t1_prompt);
} prompt_task SEC(".maps");

/* Compartment of the labelled task that created a unix socket; no entry
 * when an unlabelled task (a server) created it. */
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} sock_compart SEC(".maps");

/* Written once by compartd after loading; never read here. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ix_t1_status);
} status SEC(".maps");

/* 6.8+. Not in bpftool 7.1's vmlinux.h, so declared here; __weak lets
 * the object open on kernels without it (compartd then does not load
 * blp_open). */
extern int bpf_get_file_xattr(struct file *file, const char *name__str,
			      struct bpf_dynptr *value_p) __ksym __weak;

/* 6.12+, but it reads security.bpf.* names from 6.13 on only, the release
 * compartd requires for the licence guard. */
extern int bpf_get_dentry_xattr(struct dentry *dentry, const char *name__str,
				struct bpf_dynptr *value_p) __ksym __weak;

/* The kfunc wants the name as a constant string in a read-only map. */
const volatile char flabel_name[32] = "security.bpf.ixkit";	/* IX_FLABEL_XATTR */
const volatile char licence_name[32] = IX_T1_LICENCE_XATTR;

/* Where the kfuncs put the licence mark's value, from every CPU at once:
 * never read, since the mark's presence alone refuses (a dynptr must
 * point into a map value, and no task entry exists for a server). Sized
 * for the value pc_licence_seal writes, so that anything longer is seen
 * as such (-ERANGE). */
__u8 licence_sink[sizeof(IX_T1_LICENCE_VALUE) - 1];

/* The same for blp_link, which needs only to know that a label is there. */
__u8 flabel_sink[IX_T1_FLABEL_SIZE];

static __always_inline struct ix_t1_task *task_entry(struct task_struct *t)
{
	return bpf_task_storage_get(&task_label, t, 0, 0);
}

static __always_inline struct ix_t1_task *current_entry(void)
{
	return task_entry(bpf_get_current_task_btf());
}

/* a <= b: level and category subset. */
static __always_inline bool label_le(const struct ix_t1_label *a,
				     const struct ix_t1_label *b)
{
	if (a->level > b->level)
		return false;
	for (int i = 0; i < IX_T1_CAT_WORDS; i++)
		if (a->cats[i] & ~b->cats[i])
			return false;
	return true;
}

/* Bell-LaPadula; nothing flows to or from a NO (black hole) label. */
static __always_inline bool can_read(const struct ix_t1_label *proc,
				     const struct ix_t1_label *obj)
{
	if ((proc->flags | obj->flags) & IX_T1_LABEL_F_NO)
		return false;
	return label_le(obj, proc);
}

static __always_inline bool can_write(const struct ix_t1_label *proc,
				      const struct ix_t1_label *obj)
{
	if ((proc->flags | obj->flags) & IX_T1_LABEL_F_NO)
		return false;
	return label_le(proc, obj);
}

/*
 * What a task reads is bounded by its ceiling as well as its label (issue
 * 16, hole 3). Nothing in the kernel raises a label: privileged user space
 * writes the whole entry, and ix_t1_task_set refuses a label above its
 * ceiling; but a map update is not seen here, so an entry written past
 * that check (raw bpf(), a server's bug) must not read above its ceiling
 * either. Writing stays the label's: a task may write only where its label
 * may, never lower.
 */
static __always_inline bool task_can_read(const struct ix_t1_task *t,
					  const struct ix_t1_label *obj)
{
	return can_read(&t->label, obj) && can_read(&t->ceiling, obj);
}

/* Signals and ptrace: a labelled task stays inside its compartment, and
 * nothing outside reaches into one. */
static __always_inline bool crosses(const struct ix_t1_task *a,
				    const struct ix_t1_task *b)
{
	/* Tested one pointer at a time: clang turns "!a && !b" into a|b,
	 * which the verifier refuses (pointer |= pointer). */
	if (a) {
		if (b)
			return a->compart != b->compart;
		return true;
	}
	return b != NULL;
}

/* Unix sockets: servers (unlabelled) talk with every compartment; two
 * labelled ends must share the compartment. */
static __always_inline int unix_check(struct sock *peer)
{
	struct ix_t1_task *me = current_entry();
	__u64 *theirs;

	if (!me || !peer)
		return 0;
	theirs = bpf_sk_storage_get(&sock_compart, peer, 0, 0);
	if (theirs && *theirs != me->compart)
		return -EPERM;
	return 0;
}

SEC("lsm/task_alloc")
int BPF_PROG(inherit, struct task_struct *task, unsigned long clone_flags, int ret)
{
	struct ix_t1_task *p, *c;

	if (ret)
		return ret;
	p = current_entry();
	if (!p)
		return 0;
	c = bpf_task_storage_get(&task_label, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!c)
		return -ENOMEM;	/* an unlabelled child would escape */
	c->label = p->label;
	c->ceiling = p->ceiling;
	c->flags = p->flags;
	c->compart = p->compart;
	return 0;
}

static __always_inline bool becomes_root(__u32 now, __u32 was)
{
	return now == 0 && was != 0;
}

/* A sealed task is never root (libcompart/compart_uid.h): a uid change may
 * only lead away from 0, never keep an id at 0 (setresuid(1000, 1000, 0)
 * would keep root within reach), let alone reach it. */
SEC("lsm/task_fix_setuid")
int BPF_PROG(seal_setuid, struct cred *new, const struct cred *old, int flags, int ret)
{
	struct ix_t1_task *t;

	if (ret)
		return ret;
	t = current_entry();
	if (!t || !(t->flags & IX_TASK_SEALED))
		return 0;
	if (new->uid.val == 0 || new->euid.val == 0 || new->suid.val == 0 || new->fsuid.val == 0)
		return -EPERM;
	return 0;
}

/* Runs after commoncap has computed bprm->cred, so a file capability or a
 * setuid bit shows as a gain over the current credentials; the mode test
 * also refuses setuid/setgid-root files when no_new_privs hides the gain. */
SEC("lsm/bprm_creds_from_file")
int BPF_PROG(seal_exec, struct linux_binprm *bprm, struct file *file, int ret)
{
	struct ix_t1_task *t;
	struct task_struct *me;
	const struct cred *new, *old;
	struct inode *inode;
	__u64 new_caps = 0, old_caps = 0;
	__u16 mode;

	if (ret)
		return ret;
	t = current_entry();
	if (!t || !(t->flags & IX_TASK_SEALED))
		return 0;
	inode = BPF_CORE_READ(file, f_inode);
	mode = BPF_CORE_READ(inode, i_mode);
	if ((mode & S_ISUID) && BPF_CORE_READ(inode, i_uid.val) == 0)
		return -EPERM;
	if ((mode & S_ISGID) && (mode & S_IXGRP) && BPF_CORE_READ(inode, i_gid.val) == 0)
		return -EPERM;
	me = bpf_get_current_task_btf();
	new = BPF_CORE_READ(bprm, cred);
	old = BPF_CORE_READ(me, cred);
	bpf_core_read(&new_caps, sizeof new_caps, &new->cap_permitted);
	bpf_core_read(&old_caps, sizeof old_caps, &old->cap_permitted);
	if (new_caps & ~old_caps)
		return -EPERM;
	if (becomes_root(BPF_CORE_READ(new, euid.val), BPF_CORE_READ(old, euid.val)))
		return -EPERM;
	return 0;
}

SEC("lsm/userns_create")
int BPF_PROG(seal_userns, const struct cred *cred, int ret)
{
	struct ix_t1_task *t;

	if (ret)
		return ret;
	t = current_entry();
	if (t && (t->flags & IX_TASK_SEALED))
		return -EPERM;
	return 0;
}

/* Decodes the flabel.h encoding; false for anything else (fail closed). */
static __always_inline bool flabel_decode(const __u8 *s, struct ix_t1_label *l)
{
	__u16 flags = s[2] | (__u16)s[3] << 8;

	if (s[0] != 1 || s[1] != 0 || s[6] != 0 || s[7] != 0)
		return false;
	if (flags & ~IX_T1_LABEL_F_NO)
		return false;
	l->flags = flags;
	l->level = s[4] | (__u16)s[5] << 8;
	for (int i = 0; i < IX_T1_CAT_WORDS; i++) {
		__u64 w = 0;

		for (int b = 7; b >= 0; b--)
			w = w << 8 | s[8 + 8 * i + b];
		l->cats[i] = w;
	}
	return true;
}

SEC("lsm.s/file_open")	/* sleepable: the kfunc reads the xattr */
int BPF_PROG(blp_open, struct file *file, int ret)
{
	struct ix_t1_task *t;
	struct ix_t1_label fl;
	struct bpf_dynptr dp;
	unsigned int mode;
	int n;

	if (ret)
		return ret;
	t = current_entry();
	if (!t)
		return 0;
	bpf_dynptr_from_mem(t->scratch, sizeof t->scratch, 0, &dp);
	n = bpf_get_file_xattr(file, (const char *)flabel_name, &dp);
	if (n == -ENODATA || n == -EOPNOTSUPP)
		return 0;	/* unlabelled: DAC alone decides */
	if (n != IX_T1_FLABEL_SIZE || !flabel_decode(t->scratch, &fl))
		return -EACCES;
	if (fl.flags & IX_T1_LABEL_F_NO)
		return -EACCES;
	mode = file->f_mode;
	if ((mode & FMODE_READ) && !task_can_read(t, &fl))
		return -EACCES;
	if ((mode & FMODE_WRITE) && !can_write(&t->label, &fl))
		return -EACCES;
	return 0;
}

/*
 * A labelled file gains no name (issue 16, hole 2): tier 2 keeps it out
 * of compartments by the names the label index knows, and a second name
 * would be one it does not. Refused to every task, root and the servers
 * included, since none needs it: pcopy gives its labelled copy, made
 * unnamed (O_TMPFILE, no link yet), its first name here, which is let
 * through. A label in any form refuses, as does any failure to read it:
 * the kfunc reads only what the caller may read (inode_permission
 * MAY_READ), and an owner could otherwise drop its own read permission,
 * link, and restore it.
 */
SEC("lsm.s/path_link")	/* sleepable from 6.8; inode_link never is */
int BPF_PROG(blp_link, struct dentry *old_dentry, const struct path *new_dir,
	     struct dentry *new_dentry)
{
	struct inode *inode = BPF_CORE_READ(old_dentry, d_inode);
	struct bpf_dynptr dp;
	int n;

	if (!inode || BPF_CORE_READ(inode, i_nlink) == 0)
		return 0;
	bpf_dynptr_from_mem(flabel_sink, sizeof flabel_sink, 0, &dp);
	n = bpf_get_dentry_xattr(old_dentry, (const char *)flabel_name, &dp);
	if (n == -ENODATA || n == -EOPNOTSUPP)
		return 0;
	return -EPERM;
}

/*
 * The licence guard's verdict on one xattr read of the mark: 0 to let the
 * change through, -EPERM (what the immutable attribute answers) to refuse.
 * Refused: the mark in any form, well-formed or not (-ERANGE when longer
 * than any pc_licence_seal writes), and every failure to read it but two.
 * Let through: no mark (-ENODATA; -EOPNOTSUPP: no xattrs there at all),
 * and -EACCES: the kfunc reads only what the caller may read
 * (inode_permission MAY_READ), and refusing then would refuse a user the
 * unlink of another's unreadable file in her own directory, or the write
 * of her own write-only file, system-wide. Such a caller is held back by
 * the immutable attribute alone; root (who may read anything) and every
 * reader of the file are held back by the mark.
 */
static __always_inline int licence_verdict(int n)
{
	if (n == -ENODATA || n == -EOPNOTSUPP || n == -EACCES)
		return 0;
	return -EPERM;
}

static __always_inline bool is_regular(struct inode *inode)
{
	return (BPF_CORE_READ(inode, i_mode) & S_IFMT) == S_IFREG;
}

/* Only regular files carry licences: other dentries (directories, a
 * rename's free target name) are not read. */
static __always_inline int licence_dentry(struct dentry *d)
{
	struct inode *inode = BPF_CORE_READ(d, d_inode);
	struct bpf_dynptr dp;

	if (!inode || !is_regular(inode))
		return 0;
	bpf_dynptr_from_mem(licence_sink, sizeof licence_sink, 0, &dp);
	return licence_verdict(bpf_get_dentry_xattr(d, (const char *)licence_name, &dp));
}

SEC("lsm.s/file_open")
int BPF_PROG(licence_open, struct file *file, int ret)
{
	struct bpf_dynptr dp;

	if (ret)
		return ret;
	if (!(file->f_mode & FMODE_WRITE) || !is_regular(file->f_inode))
		return 0;
	bpf_dynptr_from_mem(licence_sink, sizeof licence_sink, 0, &dp);
	return licence_verdict(bpf_get_file_xattr(file, (const char *)licence_name, &dp));
}

/* Every truncation passes here (truncate, ftruncate, O_TRUNC, even with
 * O_RDONLY, which file_open lets through); so do chmod and chown, which
 * would change what the licence grants (chown also drops the file
 * capability). Times are left alone: they change no content. */
SEC("lsm.s/inode_setattr")
int BPF_PROG(licence_setattr, struct mnt_idmap *idmap, struct dentry *dentry,
	     struct iattr *attr)
{
	if (!(attr->ia_valid & (ATTR_SIZE | ATTR_MODE | ATTR_UID | ATTR_GID)))
		return 0;
	return licence_dentry(dentry);
}

/* Both ends: a licensed file is neither replaced nor moved away (its name
 * would be free for another file); RENAME_EXCHANGE calls this twice, the
 * ends swapped. */
SEC("lsm.s/inode_rename")
int BPF_PROG(licence_rename, struct inode *old_dir, struct dentry *old_dentry,
	     struct inode *new_dir, struct dentry *new_dentry)
{
	int rc = licence_dentry(old_dentry);

	return rc ? rc : licence_dentry(new_dentry);
}

SEC("lsm.s/inode_unlink")
int BPF_PROG(licence_unlink, struct inode *dir, struct dentry *dentry)
{
	return licence_dentry(dentry);
}

/* /dev/tty and /dev/console stand for another terminal: find it through
 * the tty_file_private that tty_open left in private_data. */
static __always_inline __u32 real_tty(struct file *file)
{
	struct tty_file_private *priv = BPF_CORE_READ(file, private_data);
	struct tty_struct *tty = BPF_CORE_READ(priv, tty);
	struct tty_driver *drv = BPF_CORE_READ(tty, driver);

	if (!drv)
		return 0;
	return KDEV(BPF_CORE_READ(drv, major),
		    BPF_CORE_READ(drv, minor_start) + BPF_CORE_READ(tty, index));
}

/* The terminal a character device file stands for (its kernel dev_t,
 * /dev/tty and /dev/console resolved), 0 for any other file. */
static __always_inline __u32 tty_key(struct file *file)
{
	struct inode *inode = file->f_inode;
	__u32 dev;

	if ((BPF_CORE_READ(inode, i_mode) & S_IFMT) != S_IFCHR)
		return 0;
	dev = BPF_CORE_READ(inode, i_rdev);
	if (dev == KDEV(5, 0) || dev == KDEV(5, 1))
		dev = real_tty(file);
	return dev;
}

SEC("lsm/file_permission")
int BPF_PROG(tty_rw, struct file *file, int mask, int ret)
{
	struct ix_t1_task *t;
	struct ix_t1_label *l;
	__u32 dev;

	if (ret)
		return ret;
	t = current_entry();
	if (!t)
		return 0;
	dev = tty_key(file);
	if (!dev)
		return 0;
	l = bpf_map_lookup_elem(&tty_label, &dev);
	if (!l)
		return 0;
	if ((mask & MAY_READ) && !task_can_read(t, l))
		return -EACCES;
	if ((mask & (MAY_WRITE | MAY_APPEND)) && !can_write(&t->label, l))
		return -EACCES;
	return 0;
}

/*
 * A terminal under a private prompt: every task but the prompting one is
 * refused (labelled or not, root included). -EPERM when file is such a
 * terminal and the current task is not its prompter.
 */
static __always_inline int prompt_guard(struct file *file)
{
	struct ix_t1_prompt *p, *me;
	__u32 dev = tty_key(file);

	if (!dev)
		return 0;
	p = bpf_map_lookup_elem(&prompt_tty, &dev);
	if (!p)
		return 0;
	me = bpf_task_storage_get(&prompt_task, bpf_get_current_task_btf(), 0, 0);
	if (me && me->tty == dev && me->cookie == p->cookie)
		return 0;
	return -EPERM;
}

/* Taking the foreground (and with it the line being typed) and pushing
 * characters into the prompt's input. */
static __always_inline int prompt_ioctl_check(struct file *file, unsigned int cmd, int ret)
{
	if (ret)
		return ret;
	if (cmd != TIOCSPGRP && cmd != TIOCSTI)
		return 0;
	return prompt_guard(file);
}

SEC("lsm/file_ioctl")
int BPF_PROG(prompt_ioctl, struct file *file, unsigned int cmd, unsigned long arg, int ret)
{
	return prompt_ioctl_check(file, cmd, ret);
}

/* 6.8+: 32-bit ioctls go through their own hook (before, file_ioctl). */
SEC("lsm/file_ioctl_compat")
int BPF_PROG(prompt_ioctl32, struct file *file, unsigned int cmd, unsigned long arg, int ret)
{
	return prompt_ioctl_check(file, cmd, ret);
}

/* Reading the line meant for the prompt (read, readv, splice, io_uring:
 * all pass rw_verify_area). Writes are left alone: TOSTOP stops the
 * session's background jobs, and a write takes nothing away. */
SEC("lsm/file_permission")
int BPF_PROG(prompt_read, struct file *file, int mask, int ret)
{
	if (ret)
		return ret;
	if (!(mask & MAY_READ))
		return 0;
	return prompt_guard(file);
}

/* A prompter that ends without clearing its terminal (killed outright)
 * leaves it guarded only until its task is freed (after it is reaped):
 * here its entry goes, if it is still its own. */
SEC("lsm/task_free")
int BPF_PROG(prompt_gone, struct task_struct *task)
{
	struct ix_t1_prompt *me, *p;
	__u32 dev;

	me = bpf_task_storage_get(&prompt_task, task, 0, 0);
	if (!me)
		return 0;
	dev = me->tty;
	p = bpf_map_lookup_elem(&prompt_tty, &dev);
	if (p && p->cookie == me->cookie)
		bpf_map_delete_elem(&prompt_tty, &dev);
	return 0;
}

SEC("lsm/task_kill")
int BPF_PROG(no_kill, struct task_struct *p, struct kernel_siginfo *info, int sig,
	     const struct cred *cred, int ret)
{
	struct ix_t1_task *me;

	if (ret)
		return ret;
	/* An unlabelled sender is a server or supervisor: privd forwards its
	 * client's signals to the action, sessiond ends sessions. A signal
	 * carries nothing out of a compartment, so only labelled senders
	 * are confined (as Landlock's signal scope does on tier 2). */
	me = current_entry();
	if (!me)
		return 0;
	return crosses(me, task_entry(p)) ? -EPERM : 0;
}

/* Also guards /proc/PID/{mem,environ,fd,...}: an unlabelled server may
 * still read (the terminal holder scan needs /proc/PID/fd), not attach. */
SEC("lsm/ptrace_access_check")
int BPF_PROG(no_ptrace, struct task_struct *child, unsigned int mode, int ret)
{
	struct ix_t1_task *me;

	if (ret)
		return ret;
	me = current_entry();
	if (!me && !(mode & PTRACE_MODE_ATTACH))
		return 0;
	return crosses(me, task_entry(child)) ? -EPERM : 0;
}

SEC("lsm/socket_post_create")
int BPF_PROG(sock_tag, struct socket *sock, int family, int type, int protocol,
	     int kern, int ret)
{
	struct ix_t1_task *me;
	struct sock *sk;
	__u64 *v;

	if (ret || family != AF_UNIX || kern)
		return ret;
	me = current_entry();
	if (!me)
		return 0;
	sk = sock->sk;
	if (!sk)
		return -ENOMEM;	/* an untagged socket would pass as a server's */
	v = bpf_sk_storage_get(&sock_compart, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (!v)
		return -ENOMEM;
	*v = me->compart;
	return 0;
}

SEC("lsm/unix_stream_connect")
int BPF_PROG(unix_connect, struct sock *sock, struct sock *other, struct sock *newsk,
	     int ret)
{
	if (ret)
		return ret;
	return unix_check(other);
}

SEC("lsm/unix_may_send")
int BPF_PROG(unix_send, struct socket *sock, struct socket *other, int ret)
{
	if (ret)
		return ret;
	return unix_check(other->sk);
}

/* The label xattrs and file capabilities are out of reach of labelled
 * tasks, whatever their uid. */
static __always_inline int xattr_guard(const char *name)
{
	static const char bpf_prefix[] = "security.bpf.";
	static const char caps[] = "security.capability";
	char buf[sizeof caps + 1];
	long n;
	int i;

	if (!current_entry())
		return 0;
	n = bpf_probe_read_kernel_str(buf, sizeof buf, name);
	if (n < 0)
		return -EPERM;
	for (i = 0; i < (int)sizeof bpf_prefix - 1; i++)
		if (buf[i] != bpf_prefix[i])
			break;
	if (i == (int)sizeof bpf_prefix - 1)
		return -EPERM;
	if (n != sizeof caps)
		return 0;
	for (i = 0; i < (int)sizeof caps - 1; i++)
		if (buf[i] != caps[i])
			return 0;
	return -EPERM;
}

/* First argument: struct user_namespace * before 6.3, struct mnt_idmap *
 * after; the name is the third in both. */
SEC("lsm/inode_setxattr")
int BPF_PROG(xattr_set, void *idmap, struct dentry *dentry, const char *name)
{
	return xattr_guard(name);
}

SEC("lsm/inode_removexattr")
int BPF_PROG(xattr_remove, void *idmap, struct dentry *dentry, const char *name)
{
	return xattr_guard(name);
}

SEC("lsm/bpf")
int BPF_PROG(no_bpf, int cmd)
{
	return current_entry() ? -EPERM : 0;
}
