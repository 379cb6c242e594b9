/*
 * Finding the session a client lives in, and asking the tag table.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "passwdd/tags.h"

/* Longest /proc line read: "0::" and a cgroup path. */
#define CG_LINE_MAX 4096

pid_t
pw_pidfd_pid(int pidfd, struct ix_err *err)
{
	char path[64], line[256];
	FILE *f;
	long pid = -2;

	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", pidfd);
	f = fopen(path, "re");
	if (f == NULL)
		return ix_err_sys(err, "reading %s", path);
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "Pid:", 4) == 0) {
			pid = strtol(line + 4, NULL, 10);
			break;
		}
	fclose(f);
	if (pid == -2)
		return ix_err_set(err, IX_EINVAL, "descriptor %d is not a pidfd", pidfd);
	return pid > 0 ? (pid_t)pid : 0;	/* -1: exited (Linux >= 6.9), 0: reaped */
}

static int
alive(int pidfd)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };

	return poll(&p, 1, 0) == 0;
}

int
pw_client_cgroup(int pidfd, pid_t pid, const char *cgroot, uint64_t *id, struct ix_err *err)
{
	char path[64], *line, *full;
	struct stat sb;
	FILE *f;
	int rc = -1;

	snprintf(path, sizeof path, "/proc/%d/cgroup", (int)pid);
	line = malloc(CG_LINE_MAX);
	full = malloc(CG_LINE_MAX + IX_ERR_MSG_MAX);
	if (line == NULL || full == NULL) {
		ix_err_set(err, IX_ENOMEM, "out of memory");
		goto out;
	}
	f = fopen(path, "re");
	if (f == NULL) {
		if (errno == ENOENT)
			ix_err_set(err, IX_ENOENT, "client %d has exited", (int)pid);
		else
			ix_err_sys(err, "reading %s", path);
		goto out;
	}
	/* On a cgroup v2 host the one line is "0::/path". */
	rc = -2;
	while (fgets(line, CG_LINE_MAX, f) != NULL)
		if (strncmp(line, "0::/", 4) == 0) {
			line[strcspn(line, "\n")] = '\0';
			rc = 0;
			break;
		}
	fclose(f);
	if (rc == -2) {
		rc = ix_err_set(err, IX_EINVAL, "%s: no cgroup v2 line", path);
		goto out;
	}
	snprintf(full, CG_LINE_MAX + IX_ERR_MSG_MAX, "%s%s", cgroot, line + 3);
	if (stat(full, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		rc = ix_err_sys(err, "cgroup %s of client %d", full, (int)pid);
		goto out;
	}
	if (!alive(pidfd)) {
		rc = ix_err_set(err, IX_ENOENT, "client %d exited while its cgroup was read", (int)pid);
		goto out;
	}
	*id = (uint64_t)sb.st_ino;
	rc = 0;
out:
	free(line);
	free(full);
	return rc;
}

int
pw_tag_covers(struct pw_store *st, int pidfd, pid_t pid, const char *cgroot,
    const char *identity, int64_t now, struct ix_err *err)
{
	uint64_t id;

	if (pw_store_tag_expire(st, now, err) < 0)
		return -1;
	if (cgroot == NULL)
		return 0;
	if (pw_client_cgroup(pidfd, pid, cgroot, &id, err) < 0)
		return -1;
	return pw_store_tag_check(st, id, identity, now, err);
}
