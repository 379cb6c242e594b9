/*
 * The sockets of a terminal provider (see provider.h): a listening unix
 * socket must be out of the client's reach by its path, and network
 * sockets are refused. Sockets are found in /proc/PID/net/{unix,tcp,...}
 * (the provider's network namespace, checked to be the caller's).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libterm/provider_int.h"

#define SO_ACCEPTCON_FLAG 0x10000	/* __SO_ACCEPTCON in /proc/net/unix */
#define LINE_MAX_BYTES (PATH_MAX + 128)

/* A unix socket as /proc/net/unix lists it. */
struct usock {
	bool found;
	bool listening;
	char path[PATH_MAX];	/* "" unnamed, "@..." abstract */
};

static int
find_unix(pid_t pid, unsigned long ino, struct usock *u, struct ix_err *err)
{
	char path[64], *line = NULL;
	unsigned long flags, inode;
	size_t cap = 0;
	int off;
	FILE *f;

	memset(u, 0, sizeof *u);
	snprintf(path, sizeof path, "/proc/%d/net/unix", (int)pid);
	if ((f = fopen(path, "re")) == NULL)
		return ix_err_sys(err, "%s", path);
	while (getline(&line, &cap, f) > 0) {
		off = 0;
		if (sscanf(line, "%*s %*s %*s %lx %*s %*s %lu%n", &flags, &inode, &off) != 2 ||
		    inode != ino)
			continue;
		u->found = true;
		u->listening = (flags & SO_ACCEPTCON_FLAG) != 0;
		line[strcspn(line, "\n")] = '\0';
		snprintf(u->path, sizeof u->path, "%s", line + off + strspn(line + off, " "));
		break;
	}
	free(line);
	fclose(f);
	return 0;
}

/*
 * Whether ino is one of pid's network sockets anyone on the host may
 * reach: a TCP socket that listens, or any UDP or raw socket. A TCP
 * connection carries what the provider's protocol carries (sshd's, to its
 * authenticated peer), as a unix connection does.
 */
static int
is_inet(pid_t pid, unsigned long ino, bool *inet, struct ix_err *err)
{
	static const char *const tables[] = { "tcp", "tcp6", "udp", "udp6", "raw", "raw6",
					      "udplite", "udplite6" };
	char path[64], *line = NULL;
	unsigned long inode;
	unsigned state;
	size_t cap = 0;
	FILE *f;

	*inet = false;
	for (size_t t = 0; t < sizeof tables / sizeof *tables && !*inet; t++) {
		snprintf(path, sizeof path, "/proc/%d/net/%s", (int)pid, tables[t]);
		if ((f = fopen(path, "re")) == NULL) {
			if (errno == ENOENT)
				continue;	/* no IPv6, no udplite */
			free(line);
			return ix_err_sys(err, "%s", path);
		}
		while (getline(&line, &cap, f) > 0)
			if (sscanf(line, "%*s %*s %*s %x %*s %*s %*s %*s %*s %lu", &state,
				   &inode) == 2 && inode == ino) {
				/* 0A: TCP_LISTEN; tables[0..1] are TCP's. */
				*inet = t >= 2 || state == 0x0A;
				break;
			}
		fclose(f);
	}
	free(line);
	return 0;
}

/*
 * Whether the client can connect to the socket file at path (absolute) as
 * seen from pid's root: every directory on the way searchable and the
 * socket writable. A symbolic link on the way, or a path that does not
 * resolve, counts as reachable: the check cannot follow it safely.
 */
static int
reachable(pid_t pid, const char *path, const struct ix_provider_client *c,
	  bool *reach, struct ix_err *err)
{
	char root[64], comp[NAME_MAX + 1];
	const char *p = path;
	struct stat st;
	int dir, next;
	size_t len;

	*reach = true;
	snprintf(root, sizeof root, "/proc/%d/root", (int)pid);
	if ((dir = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : ix_err_sys(err, "%s", root);
	for (;;) {
		if (fstat(dir, &st) < 0) {
			close(dir);
			return ix_err_sys(err, "%s", path);
		}
		p += strspn(p, "/");
		len = strcspn(p, "/");
		if (len == 0 || len > NAME_MAX)
			break;	/* a path ending in '/' names no socket */
		if (!ix_prov_may(dir, &st, c, 1)) {
			*reach = false;	/* a directory the client cannot search */
			break;
		}
		memcpy(comp, p, len);
		comp[len] = '\0';
		p += len;
		next = openat(dir, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		close(dir);
		if (next < 0)
			return 0;
		dir = next;
		if (fstat(dir, &st) < 0) {
			close(dir);
			return ix_err_sys(err, "%s", path);
		}
		if (p[strspn(p, "/")] == '\0') {
			*reach = !S_ISSOCK(st.st_mode) || ix_prov_may(dir, &st, c, 2);
			break;
		}
		if (!S_ISDIR(st.st_mode))
			break;	/* a link or a file on the way: reachable */
	}
	close(dir);
	return 0;
}

int
ix_prov_holders_foreign(const char *link, pid_t except, bool *held,
			const struct ix_provider_client *c, char *why, size_t whysize,
			struct ix_err *err)
{
	char path[64], l[256], comm[32];
	struct ix_prov_status st;
	struct dirent *p, *f;
	DIR *pd, *fd;
	ssize_t len;
	int rc = 1;

	*held = false;
	if ((pd = opendir("/proc")) == NULL)
		return ix_err_sys(err, "/proc");
	while (rc == 1 && (p = readdir(pd)) != NULL) {
		pid_t pid = (pid_t)atoi(p->d_name);

		if (pid <= 0 || pid == except)
			continue;
		snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
		if ((fd = opendir(path)) == NULL)
			continue;	/* exited, or a kernel thread */
		while ((f = readdir(fd)) != NULL) {
			if (f->d_name[0] == '.')
				continue;
			snprintf(path, sizeof path, "/proc/%d/fd/%.16s", (int)pid, f->d_name);
			len = readlink(path, l, sizeof l - 1);
			if (len < 0)
				continue;
			l[len] = '\0';
			if (strcmp(l, link) != 0)
				continue;
			*held = true;
			if (ix_prov_status(pid, &st, err) < 0) {
				if (err->code != IX_ENOENT)
					rc = -1;
				break;
			}
			if (ix_prov_uid_is_clients(st.uids, c)) {
				ix_prov_comm(pid, comm, sizeof comm);
				rc = ix_term_refuse(why, whysize, "the terminal's provider "
				    "talks through %s with pid %d (%s), which runs as uid %u: "
				    "a program of yours can drive it", link, (int)pid, comm,
				    (unsigned)st.uids[0]);
			}
			break;
		}
		closedir(fd);
	}
	closedir(pd);
	return rc;
}

int
ix_prov_socket(pid_t pid, const char *comm, int fdnum, unsigned long ino,
	       const struct ix_provider_client *c, char *why, size_t whysize,
	       struct ix_err *err)
{
	struct usock u;
	bool inet, reach;

	if (find_unix(pid, ino, &u, err) < 0)
		return -1;
	if (!u.found) {
		if (is_inet(pid, ino, &inet, err) < 0)
			return -1;
		if (inet)
			return ix_term_refuse(why, whysize, "the terminal's provider, pid %d "
			    "(%s), holds a listening or datagram network socket "
			    "(descriptor %d): anyone on the host may reach it", (int)pid, comm,
			    fdnum);
		return 1;	/* netlink and the like: the kernel's */
	}
	if (u.listening) {
		if (u.path[0] != '/')
			return ix_term_refuse(why, whysize, "the terminal's provider, pid %d "
			    "(%s), listens on %s socket %s, which anyone may connect to",
			    (int)pid, comm, u.path[0] == '@' ? "abstract" : "unnamed", u.path);
		if (reachable(pid, u.path, c, &reach, err) < 0)
			return -1;
		return reach ? ix_term_refuse(why, whysize, "the terminal's provider, pid %d "
			"(%s), listens on %s, which you can connect to: a program of yours "
			"can drive it", (int)pid, comm, u.path) : 1;
	}
	/* A connection: what it carries is the provider's protocol. Those
	 * a client of the provider's uid could open come through a listening
	 * socket, judged above where the provider holds it. */
	return 1;
}
