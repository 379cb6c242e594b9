/*
 * File labels: the binary encoding of flabel.h and the xattr that carries
 * it. Reading goes through the open descriptor (fgetxattr, or the
 * /proc/self/fd path for O_PATH descriptors, which fgetxattr refuses), so
 * the label read is the label of the file the caller holds, never of
 * whatever a path names by the time it is looked up again.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>

#include "libcompart/flabel.h"

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

int
ix_flabel_encode(const struct ix_label *l, uint8_t out[IX_FLABEL_SIZE], struct ix_err *err)
{
	if (l->flags & ~(uint16_t)IX_LABEL_F_NO)
		return ix_err_set(err, IX_EINVAL, "label has unknown flags 0x%x", l->flags);
	memset(out, 0, IX_FLABEL_SIZE);
	out[0] = IX_FLABEL_VERSION;
	put16(out + 2, l->flags);
	put16(out + 4, l->level);
	for (int w = 0; w < IX_CAT_WORDS; w++)
		for (int b = 0; b < 8; b++)
			out[8 + 8 * w + b] = (uint8_t)(l->cats[w] >> (8 * b));
	return 0;
}

int
ix_flabel_decode(const uint8_t *buf, size_t n, struct ix_label *out, struct ix_err *err)
{
	if (n != IX_FLABEL_SIZE)
		return ix_err_set(err, IX_ECORRUPT, "file label is %zu bytes, expected %d",
				  n, IX_FLABEL_SIZE);
	if (buf[0] != IX_FLABEL_VERSION)
		return ix_err_set(err, IX_EVERSION, "file label version %u, this build reads %d",
				  buf[0], IX_FLABEL_VERSION);
	if (buf[1] || get16(buf + 6) || (get16(buf + 2) & ~(uint16_t)IX_LABEL_F_NO))
		return ix_err_set(err, IX_ECORRUPT, "file label has reserved bits set");
	memset(out, 0, sizeof *out);
	out->flags = get16(buf + 2);
	out->level = get16(buf + 4);
	for (int w = 0; w < IX_CAT_WORDS; w++)
		for (int b = 0; b < 8; b++)
			out->cats[w] |= (uint64_t)buf[8 + 8 * w + b] << (8 * b);
	return 0;
}

/* fgetxattr/fsetxattr refuse O_PATH descriptors (EBADF); the magic link of
 * the descriptor reaches the same inode without a second path lookup of
 * the file's name. */
static void
fd_path(int fd, char *buf, size_t size)
{
	snprintf(buf, size, "/proc/self/fd/%d", fd);
}

int
ix_flabel_get(int fd, struct ix_label *out, bool *labelled, struct ix_err *err)
{
	uint8_t buf[IX_FLABEL_SIZE + 1];
	char path[32];
	ssize_t n;

	n = fgetxattr(fd, IX_FLABEL_XATTR, buf, sizeof buf);
	if (n < 0 && errno == EBADF) {
		fd_path(fd, path, sizeof path);
		n = getxattr(path, IX_FLABEL_XATTR, buf, sizeof buf);
	}
	if (n < 0) {
		if (errno == ENODATA || errno == ENOTSUP) {
			*labelled = false;
			return 0;
		}
		if (errno == ERANGE)
			return ix_err_set(err, IX_ECORRUPT, "file label is longer than %d bytes",
					  IX_FLABEL_SIZE);
		return ix_err_sys(err, "reading the label of descriptor %d", fd);
	}
	if (ix_flabel_decode(buf, (size_t)n, out, err) < 0)
		return -1;
	*labelled = true;
	return 0;
}

int
ix_flabel_set_fd(int fd, const struct ix_label *l, struct ix_err *err)
{
	uint8_t buf[IX_FLABEL_SIZE];
	char path[32];
	int r;

	if (!l) {
		r = fremovexattr(fd, IX_FLABEL_XATTR);
		if (r < 0 && errno == EBADF) {
			fd_path(fd, path, sizeof path);
			r = removexattr(path, IX_FLABEL_XATTR);
		}
		if (r < 0 && errno != ENODATA)
			return ix_err_sys(err, "removing the label of descriptor %d", fd);
		return 0;
	}
	if (ix_flabel_encode(l, buf, err) < 0)
		return -1;
	r = fsetxattr(fd, IX_FLABEL_XATTR, buf, sizeof buf, 0);
	if (r < 0 && errno == EBADF) {
		fd_path(fd, path, sizeof path);
		r = setxattr(path, IX_FLABEL_XATTR, buf, sizeof buf, 0);
	}
	if (r < 0) {
		if (errno == ENOTSUP)
			return ix_err_sys(err, "the filesystem of descriptor %d cannot hold labels", fd);
		return ix_err_sys(err, "setting the label of descriptor %d", fd);
	}
	return 0;
}
