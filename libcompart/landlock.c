/*
 * Landlock system calls: ABI probe and entering a domain. No library: the
 * three system calls are called directly with the compat structures, sized
 * by ABI so that an older kernel never sees fields it would reject.
 */
#include <errno.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "libcompart/landlock.h"
#include "libcompart/landlock_compat.h"

int
ix_landlock_abi(void)
{
	long v = syscall(__NR_landlock_create_ruleset, NULL, 0, IX_LL_CREATE_RULESET_VERSION);

	return v < 0 ? 0 : (int)v;
}

int
ix_landlock_enter(const struct ix_allowlist *al, bool scopes, struct ix_err *err)
{
	struct ix_ll_ruleset_attr ra = { 0 };
	int abi = ix_landlock_abi();
	size_t size = 8;
	int rfd;

	if (abi <= 0)
		return ix_err_set(err, IX_ESYS, "Landlock is not available in this kernel");
	if (al) {
		if (al->abi > abi)
			return ix_err_set(err, IX_EINVAL, "allowlist built for Landlock ABI %d, kernel has %d",
					  al->abi, abi);
		ra.handled_access_fs = al->handled;
	}
	if (scopes && abi >= 6) {
		ra.scoped = IX_LL_SCOPE_SIGNAL | IX_LL_SCOPE_ABSTRACT_UNIX_SOCKET;
		size = 24;
	}
	if (!ra.handled_access_fs && !ra.scoped)
		return 0;	/* nothing this kernel can restrict */
	rfd = (int)syscall(__NR_landlock_create_ruleset, &ra, size, 0);
	if (rfd < 0)
		return ix_err_sys(err, "creating the Landlock ruleset");
	for (size_t i = 0; al && i < al->n; i++) {
		struct ix_ll_path_beneath_attr pb = {
			.allowed_access = al->rules[i].access,
			.parent_fd = al->rules[i].fd,
		};
		if (syscall(__NR_landlock_add_rule, rfd, IX_LL_RULE_PATH_BENEATH, &pb, 0) < 0) {
			int e = errno;
			close(rfd);
			errno = e;
			return ix_err_sys(err, "adding Landlock rule %zu", i);
		}
	}
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) {
		close(rfd);
		return ix_err_set(err, IX_EINVAL, "Landlock needs no_new_privs set first");
	}
	if (syscall(__NR_landlock_restrict_self, rfd, 0) < 0) {
		int e = errno;
		close(rfd);
		errno = e;
		return ix_err_sys(err, "entering the Landlock domain");
	}
	close(rfd);
	return 0;
}
