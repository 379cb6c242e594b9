/*
 * Landlock's user ABI up to ABI 7, carried here because Debian 12's kernel
 * headers stop at ABI 2 while the kernels it runs go far beyond. Names are
 * prefixed IX_LL_ so they never collide with a newer <linux/landlock.h>.
 */
#ifndef IX_LANDLOCK_COMPAT_H
#define IX_LANDLOCK_COMPAT_H
#include <stdint.h>

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#define __NR_landlock_add_rule 445
#define __NR_landlock_restrict_self 446
#endif

#define IX_LL_CREATE_RULESET_VERSION (1u << 0)
#define IX_LL_RULE_PATH_BENEATH 1
#define IX_LL_RULE_NET_PORT 2

/* Filesystem rights and the ABI that introduced each. */
#define IX_LL_FS_EXECUTE (1ull << 0)
#define IX_LL_FS_WRITE_FILE (1ull << 1)
#define IX_LL_FS_READ_FILE (1ull << 2)
#define IX_LL_FS_READ_DIR (1ull << 3)
#define IX_LL_FS_REMOVE_DIR (1ull << 4)
#define IX_LL_FS_REMOVE_FILE (1ull << 5)
#define IX_LL_FS_MAKE_CHAR (1ull << 6)
#define IX_LL_FS_MAKE_DIR (1ull << 7)
#define IX_LL_FS_MAKE_REG (1ull << 8)
#define IX_LL_FS_MAKE_SOCK (1ull << 9)
#define IX_LL_FS_MAKE_FIFO (1ull << 10)
#define IX_LL_FS_MAKE_BLOCK (1ull << 11)
#define IX_LL_FS_MAKE_SYM (1ull << 12)
#define IX_LL_FS_REFER (1ull << 13)	/* ABI 2 */
#define IX_LL_FS_TRUNCATE (1ull << 14)	/* ABI 3 */
#define IX_LL_FS_IOCTL_DEV (1ull << 15)	/* ABI 5 */

#define IX_LL_NET_BIND_TCP (1ull << 0)	/* ABI 4 */
#define IX_LL_NET_CONNECT_TCP (1ull << 1)

#define IX_LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ull << 0)	/* ABI 6 */
#define IX_LL_SCOPE_SIGNAL (1ull << 1)

struct ix_ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;	/* ABI 4: struct is 16 bytes */
	uint64_t scoped;		/* ABI 6: struct is 24 bytes */
};

struct ix_ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));
#endif
