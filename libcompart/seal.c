/*
 * Seccomp for compartments, with libseccomp in the parent and a raw prctl
 * in the child.
 *
 * Argument comparisons are masked to 32 bits: uid_t is 32 bits, so
 * setuid(0x100000000) is setuid(0) to the kernel, and an unmasked
 * "arg == 0" comparison lets it through (see notes/kernel-mechanisms.md).
 * Foreign system-call ABIs (i386 through int 0x80, x32) are not added to
 * the filter, so libseccomp's default bad-arch action kills the process
 * instead of letting the compat set*uid32 calls slip past.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "libcompart/seal.h"

#define Z(n) SCMP_CMP((n), SCMP_CMP_MASKED_EQ, 0xffffffffull, 0)
#define DENY SCMP_ACT_ERRNO(EPERM)

static int
deny_to_zero(scmp_filter_ctx c, int nr, unsigned nargs)
{
	for (unsigned i = 0; i < nargs; i++)
		if (seccomp_rule_add(c, DENY, nr, 1, Z(i)) < 0)
			return -1;
	return 0;
}

static int
add_rules(scmp_filter_ctx c, unsigned flags)
{
	if (flags & (IX_SEAL_LABELLED | IX_SEAL_SEALED))
		if (seccomp_rule_add(c, DENY, SCMP_SYS(bpf), 0) < 0)
			return -1;
	if (flags & IX_SEAL_SEALED) {
		if (deny_to_zero(c, SCMP_SYS(setuid), 1) < 0 || deny_to_zero(c, SCMP_SYS(setreuid), 2) < 0 ||
		    deny_to_zero(c, SCMP_SYS(setresuid), 3) < 0 || deny_to_zero(c, SCMP_SYS(setfsuid), 1) < 0 ||
		    deny_to_zero(c, SCMP_SYS(setgid), 1) < 0 || deny_to_zero(c, SCMP_SYS(setregid), 2) < 0 ||
		    deny_to_zero(c, SCMP_SYS(setresgid), 3) < 0 || deny_to_zero(c, SCMP_SYS(setfsgid), 1) < 0)
			return -1;
		if (seccomp_rule_add(c, DENY, SCMP_SYS(unshare), 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER)) < 0 ||
		    seccomp_rule_add(c, DENY, SCMP_SYS(clone), 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER)) < 0)
			return -1;
		/* clone3 passes its flags in memory seccomp cannot read;
		 * ENOSYS makes libc fall back to clone, which is checked. */
		if (seccomp_rule_add(c, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) < 0)
			return -1;
		/* io_uring performs opens and socket calls that seccomp never sees. */
		if (seccomp_rule_add(c, DENY, SCMP_SYS(io_uring_setup), 0) < 0 ||
		    seccomp_rule_add(c, DENY, SCMP_SYS(io_uring_enter), 0) < 0 ||
		    seccomp_rule_add(c, DENY, SCMP_SYS(io_uring_register), 0) < 0)
			return -1;
	}
	return 0;
}

int
ix_seal_prepare(unsigned flags, struct ix_seal_prog *out, struct ix_err *err)
{
	scmp_filter_ctx c;
	int mfd = -1;
	off_t len;

	memset(out, 0, sizeof *out);
	c = seccomp_init(SCMP_ACT_ALLOW);
	if (!c)
		return ix_err_set(err, IX_ENOMEM, "seccomp: out of memory");
	if (seccomp_attr_set(c, SCMP_FLTATR_CTL_NNP, 0) < 0 || add_rules(c, flags) < 0) {
		seccomp_release(c);
		return ix_err_set(err, IX_ESYS, "seccomp: building the compartment filter failed");
	}
	/* libseccomp 2.5 exports only to a descriptor. */
	mfd = memfd_create("ixkit-seal", MFD_CLOEXEC);
	if (mfd < 0) {
		seccomp_release(c);
		return ix_err_sys(err, "seccomp: memfd_create");
	}
	if (seccomp_export_bpf(c, mfd) < 0 || (len = lseek(mfd, 0, SEEK_END)) <= 0 ||
	    len % sizeof(struct sock_filter) || len > 65536) {
		seccomp_release(c);
		close(mfd);
		return ix_err_set(err, IX_ESYS, "seccomp: exporting the filter failed");
	}
	seccomp_release(c);
	out->insns = malloc((size_t)len);
	if (!out->insns) {
		close(mfd);
		return ix_err_set(err, IX_ENOMEM, "seccomp: out of memory");
	}
	if (pread(mfd, out->insns, (size_t)len, 0) != len) {
		close(mfd);
		ix_seal_free(out);
		return ix_err_sys(err, "seccomp: reading the exported filter");
	}
	close(mfd);
	out->len = (size_t)len / sizeof(struct sock_filter);
	return 0;
}

void
ix_seal_free(struct ix_seal_prog *p)
{
	free(p->insns);
	memset(p, 0, sizeof *p);
}

int
ix_seal_load(const struct ix_seal_prog *p)
{
	struct sock_fprog prog = { .len = (unsigned short)p->len, .filter = p->insns };

	if (!p->len)
		return 0;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		return -errno;
	return 0;
}
