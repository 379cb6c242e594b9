/*
 * What a session may write (writable.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libcompart/flabel.h"
#include "sessiond/writable.h"

/* The canonical home when a session at label may write it, else NULL
 * (and 0): a home that is missing, not a directory, the root or not the
 * user's own is simply not writable. The allowlist names the path again;
 * a home's parent is root's (/home), so the directory checked here is the
 * one it finds. Where it is not, the shell is still the user, held by DAC
 * and by the labels of the files beneath. */
static int
home_at_level(const char *home, uid_t uid, const struct ix_label *label, char **out,
	      struct ix_err *err)
{
	struct ix_label hl;
	struct stat st;
	bool labelled;
	char *canon;
	int fd, r;

	*out = NULL;
	if (home == NULL || home[0] != '/' || (canon = realpath(home, NULL)) == NULL)
		return 0;
	if (strcmp(canon, "/") == 0) {
		free(canon);
		return 0;
	}
	fd = open(canon, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_uid != uid) {
		if (fd >= 0)
			close(fd);
		free(canon);
		return 0;
	}
	r = ix_flabel_get(fd, &hl, &labelled, err);
	close(fd);
	if (r < 0) {
		free(canon);
		return ix_err_prefix(err, "the label of %s", home);
	}
	if (labelled && !ix_label_can_write(label, &hl)) {
		free(canon);
		return 0;
	}
	*out = canon;
	return 0;
}

int
sess_writable(struct sess_writable *w, const char *home, uid_t uid, const struct ix_label *label,
	      const struct ix_labelled_file *files, size_t nfiles, struct ix_err *err)
{
	memset(w, 0, sizeof *w);
	if (home_at_level(home, uid, label, &w->home, err) < 0)
		return -1;
	w->paths = calloc(nfiles + 1, sizeof *w->paths);
	if (w->paths == NULL) {
		sess_writable_free(w);
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	}
	if (w->home != NULL)
		w->paths[w->n++] = w->home;
	for (size_t i = 0; i < nfiles; i++)
		if (ix_label_eq(&files[i].label, label))
			w->paths[w->n++] = files[i].path;
	return 0;
}

void
sess_writable_free(struct sess_writable *w)
{
	free(w->home);
	free(w->paths);
	memset(w, 0, sizeof *w);
}
