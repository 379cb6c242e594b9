/*
 * compartctl status: the honest list of what is enforced (status.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "libcompart/compart.h"
#include "libcompart/landlock.h"
#include "libcompart/status.h"
#include "libcompart/tier1.h"

const char *
ix_prop_state_name(enum ix_prop_state s)
{
	return s == IX_PROP_ENFORCED ? "enforced" : s == IX_PROP_DEGRADED ? "degraded" : "missing";
}

static void
prop(struct ix_status *st, const char *name, enum ix_prop_state s, const char *fmt, ...)
{
	struct ix_prop *p;
	va_list ap;

	if (st->nprops == IX_STATUS_MAX)
		return;
	p = &st->props[st->nprops++];
	p->name = name;
	p->state = s;
	va_start(ap, fmt);
	vsnprintf(p->how, sizeof p->how, fmt, ap);
	va_end(ap);
}

static bool
t1(const struct ix_status *st, uint32_t f)
{
	return st->tier == 1 && (st->t1_features & f);
}

static void
seal_props(struct ix_status *st)
{
	prop(st, "seal: no setuid to 0", IX_PROP_ENFORCED, "%s%s",
	     "never root (root's commands run as the compartment's own uid) + no_new_privs + "
	     "seccomp (32-bit masked set*id) + locked securebits",
	     t1(st, IX_T1_SEAL_SETUID) ? " + BPF LSM task_fix_setuid (no id left at 0)" : "");
	prop(st, "seal: no privileged exec", IX_PROP_ENFORCED, "%s%s",
	     "no_new_privs + capability bounding set + SECBIT_NOROOT",
	     t1(st, IX_T1_SEAL_EXEC) ? " + BPF LSM bprm_creds_from_file" : "");
	prop(st, "seal: no user namespaces", IX_PROP_ENFORCED, "%s%s",
	     "seccomp on clone/unshare CLONE_NEWUSER, clone3 ENOSYS",
	     t1(st, IX_T1_SEAL_USERNS) ? " + BPF LSM userns_create" : "");
}

static void
label_props(struct ix_status *st)
{
	int abi = st->landlock_abi;

	if (t1(st, IX_T1_FILE_BLP))
		prop(st, "file labels", IX_PROP_ENFORCED,
		     "live on every open (BPF LSM file_open + bpf_get_file_xattr)");
	else if (abi > 0)
		prop(st, "file labels", IX_PROP_DEGRADED,
		     "entry-time snapshot: Landlock allowlist from the label index%s%s%s",
		     st->tier == 1 ? " (tier 1: " : "", st->tier == 1 ? st->blp_why : "",
		     st->tier == 1 ? ")" : "");
	else
		prop(st, "file labels", IX_PROP_MISSING, "no BPF LSM and no Landlock in this kernel");
	/* Issue 16: tier 2 keeps a labelled file out by its names. */
	if (t1(st, IX_T1_FILE_BLP))
		prop(st, "labelled files keep one name", IX_PROP_ENFORCED,
		     "BPF LSM path_link refuses a new name of a labelled file to every task");
	else
		prop(st, "labelled files keep one name", IX_PROP_DEGRADED,
		     "labelling refuses a second name; later links are searched for at entry, not "
		     "while a compartment runs%s%s%s", st->tier == 1 ? " (tier 1: " : "",
		     st->tier == 1 ? st->blp_why : "", st->tier == 1 ? ")" : "");
	prop(st, "writes outside the allowlist", abi > 0 ? IX_PROP_ENFORCED : IX_PROP_MISSING,
	     abi > 0 ? "Landlock ABI %d (root-owned files, cgroup files, /proc/sys, /sys/fs/bpf)" :
		       "no Landlock in this kernel (ABI %d)", abi);
	if (t1(st, IX_T1_XATTR))
		prop(st, "label changes", IX_PROP_ENFORCED,
		     "BPF LSM inode_setxattr/removexattr + no CAP_SYS_ADMIN in compartments");
	else
		prop(st, "label changes", IX_PROP_ENFORCED,
		     "no CAP_SYS_ADMIN in compartments (security.* xattrs need it)");
	prop(st, "bpf() from compartments", IX_PROP_ENFORCED, "seccomp%s",
	     t1(st, IX_T1_BPF) ? " + BPF LSM bpf hook" : "");
	if (t1(st, IX_T1_TTY))
		prop(st, "terminal labels", IX_PROP_ENFORCED,
		     "BPF LSM file_permission against the tty label map");
	else
		prop(st, "terminal labels", IX_PROP_DEGRADED,
		     "fresh pty per session, owner and mode, hang-up on relabel; /dev/pts not in allowlists");
	/* Whatever the tier, privd and pcopy set the immutable attribute on
	 * every licensed file (libpcopy/licence.c). */
	if (t1(st, IX_T1_LICENCE))
		prop(st, "licensed files unchangeable", IX_PROP_ENFORCED,
		     "immutable attribute + BPF LSM file_open/inode_setattr/inode_rename/inode_unlink on the licence mark, for every task");
	else
		prop(st, "licensed files unchangeable", IX_PROP_DEGRADED,
		     "immutable attribute only: a holder of CAP_LINUX_IMMUTABLE may clear it%s%s%s",
		     st->tier == 1 ? " (tier 1: " : "", st->tier == 1 ? st->licence_why : "",
		     st->tier == 1 ? ")" : "");
	if (t1(st, IX_T1_PROMPT))
		prop(st, "prompt terminals guarded", IX_PROP_ENFORCED,
		     "tier 1: BPF LSM file_ioctl/file_permission refuse TIOCSPGRP, TIOCSTI and reads to all but the prompting process");
	else
		prop(st, "prompt terminals guarded", IX_PROP_DEGRADED,
		     "owner root 0600, holder scan, foreground group watched every 50 ms: a line typed within one period may be read");
}

static void
comm_props(struct ix_status *st)
{
	int abi = st->landlock_abi;
	/* What compart_ns.h gives every compartment: without these its
	 * members could not be started at all. */
	bool ns = access("/proc/self/ns/ipc", F_OK) == 0 && access("/proc/self/ns/pid", F_OK) == 0 &&
		  access("/proc/self/ns/mnt", F_OK) == 0;

	prop(st, "IPC and processes out of view", ns ? IX_PROP_ENFORCED : IX_PROP_MISSING,
	     ns ? "own IPC, pid and mount namespaces per compartment, a /proc of its own; outside, compartctl ps" :
		  "no IPC, pid or mount namespaces in this kernel");
	if (t1(st, IX_T1_SIGNAL))
		prop(st, "signals across compartments", IX_PROP_ENFORCED, "%sBPF LSM task_kill%s",
		     ns ? "own pid namespace + " : "", abi >= 6 ? " + Landlock signal scope" : "");
	else if (abi >= 6)
		prop(st, "signals across compartments", IX_PROP_ENFORCED, "%sLandlock signal scope (ABI %d)",
		     ns ? "own pid namespace + " : "", abi);
	else if (ns)
		prop(st, "signals across compartments", IX_PROP_ENFORCED,
		     "own pid namespace: no other compartment's process can be named (Landlock ABI %d has no signal scope)",
		     abi);
	else
		prop(st, "signals across compartments", IX_PROP_MISSING,
		     "needs the BPF LSM or Landlock ABI 6 (kernel >= 6.12); this kernel has ABI %d", abi);
	if (t1(st, IX_T1_PTRACE))
		prop(st, "ptrace across compartments", IX_PROP_ENFORCED, "%sBPF LSM ptrace_access_check + Landlock",
		     ns ? "own pid namespace + " : "");
	else
		prop(st, "ptrace across compartments", abi > 0 || ns ? IX_PROP_ENFORCED : IX_PROP_MISSING,
		     abi > 0 ? "%sLandlock domains (ABI %d)" : "%sno Landlock (ABI %d)",
		     ns ? "own pid namespace + " : "", abi);
	if (t1(st, IX_T1_UNIX))
		prop(st, "unix connects across compartments", IX_PROP_ENFORCED,
		     "BPF LSM unix_stream_connect/unix_may_send");
	else if (abi >= 6)
		prop(st, "unix connects across compartments", IX_PROP_DEGRADED,
		     "abstract sockets: Landlock scope; pathname sockets: file mode only");
	else
		prop(st, "unix connects across compartments", IX_PROP_MISSING,
		     "needs the BPF LSM or Landlock ABI 6; pathname sockets: file mode only");
	prop(st, "network communication rules", IX_PROP_MISSING, "not built in this release");
}

int
ix_status_probe(const char *pindir, struct ix_status *st, struct ix_err *err)
{
	struct ix_t1 *t = NULL;
	struct utsname u;
	struct ix_err e;

	memset(st, 0, sizeof *st);
	if (uname(&u) == 0)
		snprintf(st->kernel, sizeof st->kernel, "%s", u.release);
	st->landlock_abi = ix_landlock_abi();
	if (ix_cgroup2_mount(st->cgroup2, sizeof st->cgroup2, &e) < 0)
		st->cgroup2[0] = 0;
	st->tier = 2;
	if (ix_t1_open(pindir, &t, &e) == 0) {
		if (ix_t1_features(t, &st->t1_features, &e) == 0 &&
		    ix_t1_why(t, IX_T1_FILE_BLP, st->blp_why, sizeof st->blp_why, NULL, 0, &e) == 0 &&
		    ix_t1_why(t, IX_T1_LICENCE, st->licence_why, sizeof st->licence_why, NULL, 0,
			      &e) == 0)
			st->tier = 1;
		else
			snprintf(st->t1_why, sizeof st->t1_why, "%s", e.msg);
		ix_t1_close(t);
	} else {
		snprintf(st->t1_why, sizeof st->t1_why, "%s", e.msg);
	}
	prop(st, "compartment tag", st->cgroup2[0] ? IX_PROP_ENFORCED : IX_PROP_MISSING,
	     st->cgroup2[0] ? "cgroup v2 at %s (inherited on fork, moved only by root outside)" :
			      "no cgroup2 hierarchy mounted%s", st->cgroup2);
	seal_props(st);
	label_props(st);
	comm_props(st);
	(void)err;
	return 0;
}
