/*
 * Licences on a descriptor (licence.h): the capability xattr in its
 * kernel format (VFS_CAP_REVISION_2 written; 2 and 3 read), dummy
 * licences as security.ixkit.dummy.ROLE xattrs, and the seal that makes a
 * licensed file unchangeable: the immutable attribute and tier 1's
 * licence mark.
 */
#include <errno.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/xattr.h>

#include "libpcopy/licence.h"

#define CAP_XATTR "security.capability"
#define LIST_MAX 65536

bool
pc_role_ok(const char *role)
{
	size_t n = strlen(role);

	if (n == 0 || n > PC_ROLE_MAX || role[0] == '.' || role[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = role[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

void
pc_hash_text(const unsigned char h[PC_HASH_BYTES], char out[PC_HASH_TEXT_MAX])
{
	memcpy(out, "blake2b-256:", 12);
	sodium_bin2hex(out + 12, PC_HASH_TEXT_MAX - 12, h, PC_HASH_BYTES);
}

static bool
parse_hash(const char *v, size_t len, unsigned char out[PC_HASH_BYTES])
{
	size_t got = 0;

	if (len != 12 + 2 * PC_HASH_BYTES || memcmp(v, "blake2b-256:", 12) != 0)
		return false;
	for (size_t i = 12; i < len; i++)	/* lower-case hex only: one spelling */
		if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f')))
			return false;
	return sodium_hex2bin(out, PC_HASH_BYTES, v + 12, len - 12, NULL, &got, NULL) == 0 &&
	       got == PC_HASH_BYTES;
}

static int
cmp_role(const void *a, const void *b)
{
	return strcmp(((const struct pc_dummy *)a)->role, ((const struct pc_dummy *)b)->role);
}

int
pc_dummy_read(int fd, struct pc_dummy *out, size_t max, size_t *n, struct ix_err *err)
{
	size_t plen = strlen(PC_DUMMY_PREFIX);
	char *list = malloc(LIST_MAX);
	ssize_t len;
	int rc = -1;

	*n = 0;
	if (list == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	len = flistxattr(fd, list, LIST_MAX);
	if (len < 0) {
		ix_err_sys(err, "listing its extended attributes");
		goto out;
	}
	for (char *p = list; p < list + len; p += strlen(p) + 1) {
		struct pc_dummy *d;
		char v[PC_HASH_TEXT_MAX + 8];
		ssize_t vl;

		if (strncmp(p, PC_DUMMY_PREFIX, plen) != 0)
			continue;
		if (*n == max) {
			ix_err_set(err, IX_ELIMIT, "more than %zu dummy licences", max);
			goto out;
		}
		d = &out[*n];
		memset(d, 0, sizeof *d);
		/* A name no privileged writer would make is shown as such,
		 * never taken for a licence. */
		snprintf(d->role, sizeof d->role, "%s", p + plen);
		if (!pc_role_ok(p + plen))
			snprintf(d->role, sizeof d->role, "(malformed)");
		vl = fgetxattr(fd, p, v, sizeof v);
		if (vl < 0 && errno != ERANGE) {
			ix_err_sys(err, "reading %s", p);
			goto out;
		}
		d->well_formed = vl > 0 && pc_role_ok(p + plen) && parse_hash(v, (size_t)vl, d->hash);
		(*n)++;
	}
	qsort(out, *n, sizeof *out, cmp_role);
	rc = 0;
out:
	free(list);
	return rc;
}

int
pc_dummy_add(int fd, const char *role, const unsigned char hash[PC_HASH_BYTES], struct ix_err *err)
{
	char name[sizeof PC_DUMMY_PREFIX + PC_ROLE_MAX], v[PC_HASH_TEXT_MAX];

	if (!pc_role_ok(role))
		return ix_err_set(err, IX_EINVAL, "'%s' is not a role name", role);
	snprintf(name, sizeof name, "%s%s", PC_DUMMY_PREFIX, role);
	pc_hash_text(hash, v);
	if (fsetxattr(fd, name, v, strlen(v), 0) < 0)
		return ix_err_sys(err, "setting the dummy licence of %s", role);
	return 0;
}

int
pc_dummy_remove(int fd, const char *role, struct ix_err *err)
{
	char name[sizeof PC_DUMMY_PREFIX + PC_ROLE_MAX];

	if (!pc_role_ok(role))
		return ix_err_set(err, IX_EINVAL, "'%s' is not a role name", role);
	snprintf(name, sizeof name, "%s%s", PC_DUMMY_PREFIX, role);
	if (fremovexattr(fd, name) < 0) {
		if (errno == ENODATA)
			return ix_err_set(err, IX_ENOENT, "it carries no dummy licence of %s", role);
		return ix_err_sys(err, "removing the dummy licence of %s", role);
	}
	return 0;
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void
put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

int
pc_caps_read(int fd, uint64_t *caps, bool *present, struct ix_err *err)
{
	unsigned char v[XATTR_CAPS_SZ_3];
	ssize_t n = fgetxattr(fd, CAP_XATTR, v, sizeof v);
	uint32_t magic;

	*caps = 0;
	*present = false;
	if (n < 0) {
		if (errno == ENODATA)
			return 0;
		return ix_err_sys(err, "reading its capabilities");
	}
	/* Layout (linux/capability.h, vfs_cap_data): magic_etc, then per
	 * 32-bit half {permitted, inheritable}; revision 3 adds a rootid. */
	magic = n >= 4 ? le32(v) & VFS_CAP_REVISION_MASK : 0;
	if (!((magic == VFS_CAP_REVISION_2 && n == XATTR_CAPS_SZ_2) ||
	      (magic == VFS_CAP_REVISION_3 && n == XATTR_CAPS_SZ_3)))
		return ix_err_set(err, IX_ECORRUPT, "its capability xattr is in no format this "
				  "kernel writes (%zd bytes)", n);
	*caps = (uint64_t)le32(v + 4) | (uint64_t)le32(v + 12) << 32;
	*present = true;
	return 0;
}

int
pc_caps_write(int fd, uint64_t caps, struct ix_err *err)
{
	unsigned char v[XATTR_CAPS_SZ_2] = { 0 };

	if (caps == 0) {
		if (fremovexattr(fd, CAP_XATTR) < 0 && errno != ENODATA)
			return ix_err_sys(err, "removing its capabilities");
		return 0;
	}
	put_le32(v, VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE);
	put_le32(v + 4, (uint32_t)caps);
	put_le32(v + 12, (uint32_t)(caps >> 32));
	if (fsetxattr(fd, CAP_XATTR, v, sizeof v, 0) < 0)
		return ix_err_sys(err, "setting its capabilities");
	return 0;
}

int
pc_licensed(int fd, bool *yes, struct ix_err *err)
{
	struct pc_dummy d[PC_DUMMY_MAX];
	uint64_t caps;
	bool present;
	size_t n;

	if (pc_caps_read(fd, &caps, &present, err) < 0)
		return -1;
	/* Too many marks to read is still marked. */
	if (pc_dummy_read(fd, d, PC_DUMMY_MAX, &n, err) < 0 && err->code != IX_ELIMIT)
		return -1;
	*yes = present || n > 0;
	return 0;
}

int
pc_immutable_get(int fd, bool *on, struct ix_err *err)
{
	int flags = 0;

	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0)
		return ix_err_sys(err, "reading its attributes (FS_IOC_GETFLAGS)");
	*on = (flags & FS_IMMUTABLE_FL) != 0;
	return 0;
}

int
pc_immutable_set(int fd, bool on, struct ix_err *err)
{
	int flags = 0;

	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0)
		return ix_err_sys(err, "reading its attributes (FS_IOC_GETFLAGS)");
	if (((flags & FS_IMMUTABLE_FL) != 0) == on)
		return 0;
	flags = on ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL;
	if (ioctl(fd, FS_IOC_SETFLAGS, &flags) < 0)
		return ix_err_sys(err, "%s the immutable attribute", on ? "setting" : "clearing");
	return 0;
}

int
pc_licence_marked(int fd, bool *yes, struct ix_err *err)
{
	*yes = false;
	if (fgetxattr(fd, IX_T1_LICENCE_XATTR, NULL, 0) >= 0) {
		*yes = true;
		return 0;
	}
	if (errno == ENODATA || errno == ENOTSUP)
		return 0;
	return ix_err_sys(err, "reading its licence mark (%s)", IX_T1_LICENCE_XATTR);
}

/* The mark with its one value: rewritten only when absent or different,
 * so that sealing a sealed file again changes nothing. */
static int
mark_set(int fd, struct ix_err *err)
{
	static const char want[] = IX_T1_LICENCE_VALUE;
	char v[sizeof want];
	ssize_t n = fgetxattr(fd, IX_T1_LICENCE_XATTR, v, sizeof v);

	if (n == (ssize_t)sizeof want - 1 && memcmp(v, want, sizeof want - 1) == 0)
		return 0;
	if (n < 0 && errno != ENODATA && errno != ERANGE)
		return ix_err_sys(err, "reading its licence mark (%s)", IX_T1_LICENCE_XATTR);
	if (fsetxattr(fd, IX_T1_LICENCE_XATTR, want, sizeof want - 1, 0) < 0) {
		int saved = errno;
		struct ix_err ignored;
		bool imm = false;

		if (saved == EPERM && pc_immutable_get(fd, &imm, &ignored) == 0 && imm)
			return ix_err_set(err, IX_EDENIED, "it is immutable but lacks the licence "
					  "mark (%s), which an immutable file cannot be given: "
					  "unseal it, then seal it again", IX_T1_LICENCE_XATTR);
		errno = saved;
		return ix_err_sys(err, "setting its licence mark (%s)", IX_T1_LICENCE_XATTR);
	}
	return 0;
}

static int
mark_remove(int fd, struct ix_err *err)
{
	if (fremovexattr(fd, IX_T1_LICENCE_XATTR) < 0 && errno != ENODATA && errno != ENOTSUP)
		return ix_err_sys(err, "removing its licence mark (%s)", IX_T1_LICENCE_XATTR);
	return 0;
}

int
pc_licence_unseal(int fd, struct ix_err *err)
{
	return pc_immutable_set(fd, false, err);
}

int
pc_licence_seal(int fd, struct ix_err *err)
{
	bool yes;

	if (pc_licensed(fd, &yes, err) < 0)
		return -1;
	if (yes)
		return mark_set(fd, err) < 0 ? -1 : pc_immutable_set(fd, true, err);
	return pc_immutable_set(fd, false, err) < 0 ? -1 : mark_remove(fd, err);
}
