/*
 * The other names of labelled files (issue 16, hole 2). A label is on an
 * inode, the label index knows one name of it, and tier 2's allowlist
 * keeps a file out by its names: a hard link made after labelling (tier 2
 * cannot refuse one; tier 1 refuses it in inode_link) would be a name the
 * allowlist never heard of. Such a file has a link count above the names
 * known, and only then is its filesystem searched.
 */
#ifndef IX_FLABEL_LINKS_H
#define IX_FLABEL_LINKS_H
#include <stddef.h>
#include <stdint.h>
#include "libixutil/ix_err.h"

/* A labelled regular file whose names are sought. */
struct ix_flink_want {
	uint64_t dev, ino;	/* its identity */
	const char *path;	/* its known name: absolute, canonical; not reported */
	size_t missing;		/* names still to find; lowered as they are */
};

/* Called once for each other name found of want[i]; a return of -1
 * (with *err) stops the search. */
typedef int ix_flink_found(void *arg, size_t i, const char *path, struct ix_err *err);

/*
 * Searches the filesystem of each want[i] with missing > 0, nearest
 * directories first (the known name's directory, then each ancestor's
 * subtree on the same filesystem, then every other mount of it), each
 * directory once, never leaving the filesystem and never following a
 * symbolic link; it stops once nothing is missing. A want whose missing
 * stays above 0 has names no path of this mount namespace reaches (under
 * a mount, or made during the search). Returns 0, or -1 with *err when a
 * directory could not be read (the search would be incomplete).
 */
int ix_flabel_find_links(struct ix_flink_want *want, size_t n, ix_flink_found *found, void *arg,
			 struct ix_err *err);
#endif
