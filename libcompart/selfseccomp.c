/*
 * A daemon's own seccomp filters (selfseccomp.h), with libseccomp.
 *
 * The default is to kill the process, not EPERM: a daemon does a small,
 * fixed set of things, so an unlisted call is a bug or an attack; EPERM
 * would let an attacker probe calls one by one and would send the code
 * down error paths nobody tested under confinement.
 */
#include <errno.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <sys/socket.h>

#include "libcompart/selfseccomp.h"

#define NS_FLAGS (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | \
		  CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET)

static const unsigned tty_ioctls[] = {
	0x5401 /* TCGETS */, 0x5402 /* TCSETS */, 0x5403 /* TCSETSW */, 0x5404 /* TCSETSF */,
	0x540B /* TCFLSH */,
};

static int
add_names(scmp_filter_ctx c, uint32_t action, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int nr = seccomp_syscall_resolve_name(names[i]);

		if (nr != __NR_SCMP_ERROR && seccomp_rule_add(c, action, nr, 0) < 0)
			return -1;
	}
	return 0;
}

static int
add_groups(scmp_filter_ctx c, unsigned flags)
{
	if ((flags & IX_SC_FORK) &&
	    (seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
			      SCMP_A0(SCMP_CMP_MASKED_EQ, NS_FLAGS, 0)) < 0 ||
	     seccomp_rule_add(c, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) < 0))
		return -1;
	if (flags & IX_SC_TTY)
		for (size_t i = 0; i < sizeof tty_ioctls / sizeof tty_ioctls[0]; i++)
			if (seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
					     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffull, tty_ioctls[i])) < 0)
				return -1;
	if ((flags & IX_SC_UNIX) &&
	    seccomp_rule_add(c, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
			     SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffffull, AF_UNIX)) < 0)
		return -1;
	return 0;
}

static int
load(scmp_filter_ctx c, const char *who, struct ix_err *err)
{
	int rc = seccomp_load(c);

	seccomp_release(c);
	if (rc < 0) {
		errno = -rc;
		return ix_err_sys(err, "seccomp: loading %s's filter", who);
	}
	return 0;
}

int
ix_selfseccomp_allow(const char *who, const char *const *names, size_t n, unsigned flags,
		     struct ix_err *err)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_KILL_PROCESS);

	if (c == NULL)
		return ix_err_set(err, IX_ENOMEM, "seccomp: out of memory");
	/* A binary tree rather than a list: a daemon's every system call
	 * passes the filter, and its list is long. */
	if (seccomp_attr_set(c, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0 ||
	    add_names(c, SCMP_ACT_ALLOW, names, n) < 0 || add_groups(c, flags) < 0) {
		seccomp_release(c);
		return ix_err_set(err, IX_ESYS, "seccomp: building %s's allow-list failed", who);
	}
	return load(c, who, err);
}

int
ix_selfseccomp_deny(const char *who, const char *const *names, size_t n, struct ix_err *err)
{
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_ALLOW);

	if (c == NULL)
		return ix_err_set(err, IX_ENOMEM, "seccomp: out of memory");
	/* no_new_privs is set already, and prctl is no call a filtered
	 * process keeps: only seccomp(2) loads this one. */
	if (seccomp_attr_set(c, SCMP_FLTATR_CTL_NNP, 0) < 0 ||
	    add_names(c, SCMP_ACT_KILL_PROCESS, names, n) < 0) {
		seccomp_release(c);
		return ix_err_set(err, IX_ESYS, "seccomp: building %s's deny-list failed", who);
	}
	return load(c, who, err);
}
