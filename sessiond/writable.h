/*
 * What a session may write. Tier 2 enforces file labels with a Landlock
 * allowlist that grants writing only beneath the paths given to it, so a
 * compartment given none can write nothing but /dev/null and its pty.
 * A session works at its own level: it may write
 *	- the user's home directory (a directory the user owns, not /), when
 *	  the session's label may write it: unlabelled, or labelled at or
 *	  above the session's label;
 *	- every indexed file and directory labelled exactly at the session's
 *	  label.
 * Labelled files beneath these stay capped by their own labels (the
 * allowlist's constraints): no write down.
 */
#ifndef SESSIOND_WRITABLE_H
#define SESSIOND_WRITABLE_H

#include <stddef.h>
#include <sys/types.h>

#include "libcompart/landlock.h"
#include "libixutil/ix_err.h"

struct sess_writable {
	char *home;		/* canonical home when writable, else NULL */
	const char **paths;	/* home, then paths of the index's files */
	size_t n;
};

/*
 * Fills *w for a session at label of the user uid whose home is home.
 * The paths point into files, which must outlive *w. Returns 0 or -1.
 */
int sess_writable(struct sess_writable *w, const char *home, uid_t uid,
		  const struct ix_label *label, const struct ix_labelled_file *files,
		  size_t nfiles, struct ix_err *err);
void sess_writable_free(struct sess_writable *w);

#endif
