/*
 * File labels: one xattr, one versioned binary encoding carrying the whole
 * label. The same bytes are read by the BPF LSM program (tier 1, through
 * bpf_get_file_xattr) and by libcompart (tier 2 allowlists), so the layout
 * is fixed here and nowhere else.
 *
 * Encoding, IX_FLABEL_SIZE bytes, little endian:
 *	off 0  u8   version (IX_FLABEL_VERSION)
 *	off 1  u8   reserved, 0
 *	off 2  u16  flags (IX_LABEL_F_NO or 0)
 *	off 4  u16  level rank
 *	off 6  u16  reserved, 0
 *	off 8  u64  category bits 0..63, then 64..127, 128..191, 192..255
 * A value of any other length, version or with reserved bits set is
 * rejected: a label that cannot be decoded is never treated as "no label".
 */
#ifndef IX_FLABEL_H
#define IX_FLABEL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "libixutil/ix_err.h"
#include "liblattice/label.h"

#define IX_FLABEL_XATTR "security.bpf.ixkit"
#define IX_FLABEL_VERSION 1
#define IX_FLABEL_SIZE 40

/* Encodes l into out. Returns 0, or -1 when l cannot be represented. */
int ix_flabel_encode(const struct ix_label *l, uint8_t out[IX_FLABEL_SIZE],
		     struct ix_err *err);
/* Decodes n bytes. Returns 0, or -1 (wrong size, version, reserved bits). */
int ix_flabel_decode(const uint8_t *buf, size_t n, struct ix_label *out,
		     struct ix_err *err);

/*
 * The label of the file open on fd (any open mode, O_PATH included).
 * *labelled is false when the file has no label xattr or its filesystem
 * has no xattrs; a present but undecodable label is an error.
 */
int ix_flabel_get(int fd, struct ix_label *out, bool *labelled, struct ix_err *err);

/*
 * Sets (l != NULL) or removes (l == NULL) the label of the file open on fd.
 * Needs CAP_SYS_ADMIN (security.* namespace); privileged servers only.
 * Does not touch the index: see ix_flabel_index_* in compart.h.
 */
int ix_flabel_set_fd(int fd, const struct ix_label *l, struct ix_err *err);
#endif
