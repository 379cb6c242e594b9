/*
 * licpoke: the licence guard test's hands (tests/libcompart/vm-licence.sh),
 * each change to a file made by the one system call that makes it, so
 * that every hook of the guard is reached on its own (busybox's truncate
 * opens for writing, for one, and would never reach inode_setattr).
 *
 *	licpoke seal FILE		pc_licence_seal, as privd and pcopy seal
 *	licpoke unseal FILE		pc_licence_unseal: FS_IMMUTABLE_FL cleared
 *	licpoke setcap FILE		pc_caps_write: cap_net_raw, a licence
 *	licpoke setx FILE NAME VALUE	fsetxattr
 *	licpoke rmx FILE NAME		fremovexattr
 *	licpoke write FILE		open O_WRONLY|O_APPEND, write one byte
 *	licpoke rdtrunc FILE		open O_RDONLY|O_TRUNC
 *	licpoke truncate FILE		truncate(2) to 0, no descriptor
 *	licpoke chmod FILE		chmod 0700
 *	licpoke chown FILE		chown to its own owner and group
 *	licpoke rename-over FILE OTHER	rename OTHER over FILE
 *	licpoke rename-away FILE NEW	rename FILE to NEW
 *	licpoke exchange FILE OTHER	renameat2 RENAME_EXCHANGE
 *	licpoke unlink FILE		unlink
 *
 * Prints "licpoke: OP FILE: ok" or "licpoke: OP FILE: ERRNO-NAME (text)"
 * and exits 0 when the call worked, 1 when it failed, 2 on a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "libpcopy/licence.h"

static const char *
ename(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOENT: return "ENOENT";
	case EEXIST: return "EEXIST";
	case EINVAL: return "EINVAL";
	case ENODATA: return "ENODATA";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default: return "other";
	}
}

static int
said(const char *op, const char *file, int rc, const char *msg)
{
	int e = errno;

	if (rc == 0)
		printf("licpoke: %s %s: ok\n", op, file);
	else if (msg != NULL)
		printf("licpoke: %s %s: %s\n", op, file, msg);
	else
		printf("licpoke: %s %s: %s (%s)\n", op, file, ename(e), strerror(e));
	return rc == 0 ? 0 : 1;
}

/* A descriptor for the libpcopy calls, open for reading as they want. */
static int
lib_op(const char *op, const char *file)
{
	struct ix_err e = { 0 };
	int fd = open(file, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return said(op, file, -1, NULL);
	if (strcmp(op, "seal") == 0)
		rc = pc_licence_seal(fd, &e);
	else if (strcmp(op, "unseal") == 0)
		rc = pc_licence_unseal(fd, &e);
	else
		rc = pc_caps_write(fd, UINT64_C(1) << CAP_NET_RAW, &e);
	close(fd);
	return said(op, file, rc, rc < 0 ? e.msg : NULL);
}

int
main(int argc, char **argv)
{
	const char *op = argc > 2 ? argv[1] : "", *f = argc > 2 ? argv[2] : "";
	const char *other = argc > 3 ? argv[3] : NULL;
	struct stat st;
	int fd, rc;

	if (strcmp(op, "seal") == 0 || strcmp(op, "unseal") == 0 || strcmp(op, "setcap") == 0)
		return lib_op(op, f);
	if (strcmp(op, "setx") == 0 && argc == 5)
		return said(op, f, setxattr(f, argv[3], argv[4], strlen(argv[4]), 0), NULL);
	if (strcmp(op, "rmx") == 0 && other != NULL)
		return said(op, f, removexattr(f, other), NULL);
	if (strcmp(op, "write") == 0) {
		fd = open(f, O_WRONLY | O_APPEND | O_CLOEXEC);
		rc = fd < 0 ? -1 : write(fd, "x", 1) == 1 ? 0 : -1;
		if (fd >= 0)
			close(fd);
		return said(op, f, rc, NULL);
	}
	if (strcmp(op, "rdtrunc") == 0) {
		fd = open(f, O_RDONLY | O_TRUNC | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
		return said(op, f, fd < 0 ? -1 : 0, NULL);
	}
	if (strcmp(op, "truncate") == 0)
		return said(op, f, truncate(f, 0), NULL);
	if (strcmp(op, "chmod") == 0)
		return said(op, f, chmod(f, 0700), NULL);
	if (strcmp(op, "chown") == 0) {
		if (stat(f, &st) < 0)
			return said(op, f, -1, NULL);
		return said(op, f, chown(f, st.st_uid, st.st_gid), NULL);
	}
	if (strcmp(op, "unlink") == 0)
		return said(op, f, unlink(f), NULL);
	if (other != NULL && strcmp(op, "rename-over") == 0)
		return said(op, f, rename(other, f), NULL);
	if (other != NULL && strcmp(op, "rename-away") == 0)
		return said(op, f, rename(f, other), NULL);
	if (other != NULL && strcmp(op, "exchange") == 0)
		return said(op, f, (int)syscall(SYS_renameat2, AT_FDCWD, other, AT_FDCWD, f,
						RENAME_EXCHANGE), NULL);
	fputs("usage: licpoke seal|unseal|setcap|write|rdtrunc|truncate|chmod|chown|unlink FILE\n"
	      "       licpoke rename-over|rename-away|exchange FILE OTHER\n"
	      "       licpoke setx FILE NAME VALUE | rmx FILE NAME\n", stderr);
	return 2;
}
