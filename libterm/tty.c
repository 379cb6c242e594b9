/*
 * Terminal labels (tty.h).
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "libcompart/tier1.h"
#include "libterm/tty.h"

int
ix_tty_relabel(int fd, const struct ix_label *l, uid_t uid, gid_t gid, mode_t mode, unsigned flags,
	       struct ix_err *err)
{
	struct ix_t1 *t1 = NULL;
	struct stat st;

	if (fstat(fd, &st) < 0)
		return ix_err_sys(err, "terminal descriptor %d", fd);
	if (!S_ISCHR(st.st_mode) || !isatty(fd))
		return ix_err_set(err, IX_EINVAL, "descriptor %d is not a terminal", fd);
	/* Owner and mode first: from here on nobody new can open it. */
	if (fchown(fd, uid, gid) < 0 || fchmod(fd, mode & 0777) < 0)
		return ix_err_sys(err, "giving the terminal to %d:%d", (int)uid, (int)gid);
	if ((flags & IX_TTY_REVOKE) && ioctl(fd, TIOCVHANGUP) < 0)
		return ix_err_sys(err, "hanging up the terminal");
	if (ix_t1_open(NULL, &t1, err) < 0)
		return err->code == IX_ENOENT ? 0 : -1;
	if (ix_t1_tty_set(t1, st.st_rdev, l, err) < 0) {
		ix_t1_close(t1);
		return -1;
	}
	ix_t1_close(t1);
	return 0;
}

int
ix_tty_guard(int fd, struct ix_tty_guard *g, struct ix_err *err)
{
	struct stat st;
	uint32_t features;

	g->t1 = NULL;
	g->held = false;
	g->hold.pidfd = -1;
	if (fstat(fd, &st) < 0)
		return ix_err_sys(err, "terminal descriptor %d", fd);
	if (ix_t1_open(NULL, &g->t1, err) < 0)
		return err->code == IX_ENOENT ? 0 : -1;
	if (ix_t1_features(g->t1, &features, err) < 0)
		goto fail;
	if (!(features & IX_T1_PROMPT)) {
		ix_t1_close(g->t1);
		g->t1 = NULL;
		return 0;
	}
	if (ix_t1_prompt_begin(g->t1, st.st_rdev, &g->hold, err) < 0)
		goto fail;
	g->held = true;
	return 0;
fail:
	ix_t1_close(g->t1);
	g->t1 = NULL;
	return -1;
}

int
ix_tty_unguard(struct ix_tty_guard *g, struct ix_err *err)
{
	int rc = 0;

	if (g->held && ix_t1_prompt_end(g->t1, &g->hold, err) < 0)
		rc = -1;
	g->held = false;
	ix_t1_close(g->t1);
	g->t1 = NULL;
	return rc;
}
