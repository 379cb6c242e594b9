/*
 * The index of labelled files (database table file_labels). The xattr is
 * the truth; the index only says where to look, so that tier 2 can build
 * its allowlist without walking the whole filesystem. Labels set through
 * ix_flabel_label keep both in step.
 */
#ifndef IX_FLABEL_INDEX_H
#define IX_FLABEL_INDEX_H
#include <stddef.h>
#include "db/ixdb.h"
#include "libcompart/landlock.h"

/*
 * Labels (l != NULL) or unlabels the file open on fd and records it under
 * its canonical path, in one transaction: when the xattr cannot be set,
 * the index is left as it was. fd must be a regular file or a directory.
 */
int ix_flabel_label(struct ixdb *db, int fd, const struct ix_label *l, struct ix_err *err);

/* ix_flabel_label with the xattr set by set(arg, fd, l, err) instead of
 * ix_flabel_set_fd: a confined server asks a privileged one to set it. */
typedef int ix_flabel_setter(void *arg, int fd, const struct ix_label *l, struct ix_err *err);
int ix_flabel_label_via(struct ixdb *db, int fd, const struct ix_label *l, ix_flabel_setter *set,
			void *arg, struct ix_err *err);

/*
 * Every indexed path that is still labelled, with its current label read
 * from the file (a row whose file is gone or lost its label is skipped;
 * *stale counts them). *out is malloc'ed: ix_flabel_index_free.
 */
int ix_flabel_index_load(struct ixdb *db, struct ix_labelled_file **out, size_t *n,
			 size_t *stale, struct ix_err *err);
void ix_flabel_index_free(struct ix_labelled_file *v, size_t n);
#endif
