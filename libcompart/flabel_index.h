/*
 * The index of labelled files (database table file_labels). The xattr is
 * the truth; the index only says where to look, so that tier 2 can build
 * its allowlist without walking the whole filesystem. Labels set through
 * ix_flabel_label keep both in step.
 *
 * A row is a file's identity, its device and inode number, with one name
 * of it as a hint (issue 16, hole 2: a label is on an inode, which may
 * have other names). A labelled regular file has one name when it is
 * labelled; a name it gains afterwards (a hard link tier 2 cannot refuse)
 * is searched for when the index is read, and a hint that no longer
 * names its file is reported.
 */
#ifndef IX_FLABEL_INDEX_H
#define IX_FLABEL_INDEX_H
#include <stddef.h>
#include "db/ixdb.h"
#include "libcompart/landlock.h"

/*
 * Labels (l != NULL) or unlabels the file open on fd and records it under
 * its identity with its canonical path as the hint, in one transaction:
 * when the xattr cannot be set, the index is left as it was. fd must be a
 * regular file or a directory, and a regular file to be labelled must
 * have one name (IX_EDENIED naming its link count otherwise: its other
 * names would escape tier 2). A row whose hint is the same path but
 * another identity (a file replaced since) goes.
 */
int ix_flabel_label(struct ixdb *db, int fd, const struct ix_label *l, struct ix_err *err);

/* ix_flabel_label with the xattr set by set(arg, fd, l, err) instead of
 * ix_flabel_set_fd: a confined server asks a privileged one to set it. */
typedef int ix_flabel_setter(void *arg, int fd, const struct ix_label *l, struct ix_err *err);
int ix_flabel_label_via(struct ixdb *db, int fd, const struct ix_label *l, ix_flabel_setter *set,
			void *arg, struct ix_err *err);

/*
 * Every labelled file the index knows, with its current label read from
 * the file, once under each name found: the hint when it still names the
 * file, and the other names of a file whose link count says it has more
 * (ix_flabel_find_links). A hint that now names another labelled file
 * yields that file too. *problems counts what an administrator should
 * look at: hints that no longer name their file, names found beyond the
 * hint, names not found (ix_flabel_index_check says which). *out is
 * malloc'ed: ix_flabel_index_free. Returns 0, or -1 (a label that cannot
 * be decoded, a directory that could not be searched: no allowlist could
 * be trusted).
 */
int ix_flabel_index_load(struct ixdb *db, struct ix_labelled_file **out, size_t *n,
			 size_t *problems, struct ix_err *err);
void ix_flabel_index_free(struct ix_labelled_file *v, size_t n);

/* One problem of the index: path, and a sentence saying what is wrong. */
typedef void ix_flabel_report(void *arg, const char *path, const char *what);

/* ix_flabel_index_load that reports each problem; *files receives the
 * number of labelled files found (each name counted). Returns 0 or -1. */
int ix_flabel_index_check(struct ixdb *db, ix_flabel_report *report, void *arg, size_t *files,
			  size_t *problems, struct ix_err *err);
#endif
