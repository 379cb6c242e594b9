/*
 * Exact capability sets. capset(2) is called directly: libcap allocates,
 * and this runs after fork in a process that may have had threads.
 */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcompart/caps.h"

int
ix_caps_last(void)
{
	static int last = -1;
	FILE *f;

	if (last >= 0)
		return last;
	f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	if (f) {
		if (fscanf(f, "%d", &last) != 1 || last < 0 || last > 63)
			last = -1;
		fclose(f);
	}
	if (last < 0)
		last = CAP_LAST_CAP;
	return last;
}

static int
capset_all(uint64_t p, uint64_t e, uint64_t i)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {
		{ (uint32_t)e, (uint32_t)p, (uint32_t)i },
		{ (uint32_t)(e >> 32), (uint32_t)(p >> 32), (uint32_t)(i >> 32) },
	};

	return (int)syscall(SYS_capset, &h, d);
}

#define FAIL(s) do { *step = (s); return -errno; } while (0)

int
ix_caps_narrow(uint64_t keep, const char **step)
{
	const int last = ix_caps_last();

	if (last < 63)
		keep &= (1ull << (last + 1)) - 1;
	for (int c = 0; c <= last; c++)
		if (!(keep & (1ull << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
			FAIL("dropping the capability bounding set");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		FAIL("clearing ambient capabilities");
	if (capset_all(keep, keep, 0) < 0)
		FAIL("capset");
	return 0;
}

int
ix_caps_enter(const struct ix_ids *ids, uint64_t caps, const char **step)
{
	const int last = ix_caps_last();
	const uint64_t setpcap = 1ull << CAP_SETPCAP;
	const int locked = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
			   SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED;

	/* Keep the permitted set across the uid change; dropped below. */
	if (prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS, 0, 0, 0) < 0)
		FAIL("setting securebits");
	for (int c = 0; c <= last; c++)
		if (!(caps & (1ull << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
			FAIL("dropping the capability bounding set");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		FAIL("clearing ambient capabilities");
	if (setgroups(ids->ngroups, ids->groups) < 0)
		FAIL("setgroups");
	if (setresgid(ids->gid, ids->gid, ids->gid) < 0)
		FAIL("setresgid");
	if (setresuid(ids->uid, ids->uid, ids->uid) < 0)
		FAIL("setresuid");
	/* CAP_SETPCAP is still permitted (KEEP_CAPS); it is needed to raise
	 * ambient capabilities and to lock the securebits. */
	if (capset_all(caps | setpcap, caps | setpcap, caps) < 0)
		FAIL("capset");
	for (int c = 0; c <= last; c++)
		if ((caps & (1ull << c)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
			FAIL("raising ambient capabilities");
	if (prctl(PR_SET_SECUREBITS, locked | SECBIT_NO_CAP_AMBIENT_RAISE |
		  SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED, 0, 0, 0) < 0)
		FAIL("locking securebits");
	if (capset_all(caps, caps, caps) < 0)
		FAIL("capset");
	return 0;
}
