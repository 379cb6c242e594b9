/*
 * The private path check (see pex.h for what it decides and why).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include "libterm/pex.h"
#include "libterm/refuse.h"
#include "libterm/provider.h"
#include "libterm/ttyholders.h"

#define TIOCSTI_SYSCTL "/proc/sys/dev/tty/legacy_tiocsti"
#define RELAYS_MAX 8
#define PROVIDERS_MAX 64	/* as ix_stream_id */
#define STAT_MAX 1024		/* /proc/PID/stat up to tpgid fits easily */
#define ANCESTORS_MAX 64	/* the client and its ancestors in its session */
#define OTHERS_NAMED 3		/* other holders named in a refusal */
#define COMM_MAX 16		/* /proc/PID/comm: TASK_COMM_LEN */

#define TTY_MAJOR 4		/* virtual consoles 4:1..63 (4:0 is an alias) */
#define VT_LAST_MINOR 63
#define TTYAUX_MAJOR 5		/* 5:0 /dev/tty, 5:1 /dev/console, 5:2 ptmx */
#define PTY_SLAVE_MAJOR_FIRST 136 /* devpts slaves use 136..143 */
#define PTY_SLAVE_MAJOR_LAST 143

/* The fields of /proc/PID/stat pex needs. */
struct pstat {
	char state;		/* R, S, ..., Z for a zombie */
	pid_t ppid;		/* parent */
	pid_t pgrp;
	pid_t sid;
	unsigned int tty_major;	/* controlling terminal, 0:0 for none */
	unsigned int tty_minor;
	pid_t tpgid;		/* its foreground process group, -1 for none */
};

int
ix_pex_legacy_tiocsti(struct ix_err *err)
{
	char buf[16];
	ssize_t n;
	int fd;

	fd = open(TIOCSTI_SYSCTL, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return ix_err_set(err, IX_ENOENT,
			    "dev.tty.legacy_tiocsti does not exist (kernel "
			    "before 6.2): TIOCSTI is always allowed");
		return ix_err_sys(err, "%s", TIOCSTI_SYSCTL);
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0)
		return ix_err_sys(err, "%s", TIOCSTI_SYSCTL);
	buf[n] = '\0';
	if (strcmp(buf, "0\n") == 0)
		return 0;
	if (strcmp(buf, "1\n") == 0)
		return 1;
	return ix_err_set(err, IX_EINVAL, "%s: unexpected value '%.8s'",
			  TIOCSTI_SYSCTL, buf);
}

int
ix_pex_tiocsti_off(int *was, struct ix_err *err)
{
	ssize_t n;
	int fd, now;

	*was = ix_pex_legacy_tiocsti(err);
	if (*was < 0)
		return -1;
	fd = open(TIOCSTI_SYSCTL, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return ix_err_sys(err, "%s", TIOCSTI_SYSCTL);
	n = write(fd, "0\n", 2);
	if (n != 2) {
		if (n >= 0)
			errno = EIO;
		ix_err_sys(err, "writing 0 to %s", TIOCSTI_SYSCTL);
		close(fd);
		return -1;
	}
	close(fd);
	now = ix_pex_legacy_tiocsti(err);
	if (now < 0)
		return -1;
	if (now != 0)
		return ix_err_set(err, IX_ESYS, "%s still reads %d after writing 0",
				  TIOCSTI_SYSCTL, now);
	return 0;
}

/*
 * Reads /proc/PID/stat. Returns 1, 0 when the process is gone, -1 with
 * *err. The command name may hold spaces and ')': fields start after the
 * last ')'.
 */
static int
read_stat(pid_t pid, struct pstat *ps, struct ix_err *err)
{
	char path[64], buf[STAT_MAX];
	unsigned int tty;
	const char *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ESRCH)
			return 0;
		return ix_err_sys(err, "%s", path);
	}
	n = read(fd, buf, sizeof buf - 1);
	if (n < 0 && errno == ESRCH) {
		close(fd);
		return 0;
	}
	close(fd);
	if (n < 0)
		return ix_err_sys(err, "%s", path);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (p == NULL || sscanf(p + 1, " %c %d %d %d %u %d", &ps->state,
				&ps->ppid, &ps->pgrp, &ps->sid, &tty,
				&ps->tpgid) != 6)
		return ix_err_set(err, IX_EINVAL, "%s: unexpected format", path);
	/* The kernel's new_encode_dev: minor bits 0-7 and 20-31, major 8-19. */
	ps->tty_major = (tty >> 8) & 0xfffu;
	ps->tty_minor = (tty & 0xffu) | ((tty >> 12) & 0xfff00u);
	return 1;
}

/*
 * Whether pidfd still refers to the live process pid (its fdinfo "Pid:"
 * line; -1 or another number once it has exited or was never that pid).
 * Returns 1, 0, or -1 with *err when pidfd is not a pidfd.
 */
static int
pidfd_is(int pidfd, pid_t pid, struct ix_err *err)
{
	char path[64], buf[512];
	const char *p;
	ssize_t n;
	int fd, got;

	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", pidfd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ix_err_sys(err, "client pidfd %d", pidfd);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0)
		return ix_err_sys(err, "client pidfd %d", pidfd);
	buf[n] = '\0';
	p = strstr(buf, "\nPid:");
	if (p == NULL || sscanf(p + 5, "%d", &got) != 1)
		return ix_err_set(err, IX_EINVAL,
		    "descriptor %d is not a pidfd", pidfd);
	return got == pid;
}

/*
 * The client's stat, confirmed against its pidfd after reading. Returns 1,
 * 0 when the client is gone (reason in why), -1 with *err.
 */
static int
read_client(const struct ix_pex_req *r, struct pstat *ps, char *why,
	    size_t whysize, struct ix_err *err)
{
	int rc = read_stat(r->client_pid, ps, err);

	if (rc < 0)
		return -1;
	if (rc == 1 && (ps->state == 'Z' || ps->state == 'X'))
		rc = 0;
	if (rc == 1) {
		rc = pidfd_is(r->client_pidfd, r->client_pid, err);
		if (rc < 0)
			return -1;
	}
	if (rc == 0)
		return ix_term_refuse(why, whysize, "your process %d has exited",
			      (int)r->client_pid);
	return 1;
}

static int
check_req(const struct ix_pex_req *r, char *why, size_t whysize,
	  struct ix_err *err)
{
	if (r == NULL || r->fd < 0 || r->client_pid <= 0 ||
	    r->client_pidfd < 0 || (r->nprov > 0 && r->prov == NULL) ||
	    (why == NULL && whysize > 0))
		return ix_err_set(err, IX_EINVAL,
		    "pex: a descriptor, a client pid and its pidfd are needed");
	if (r->nprov > PROVIDERS_MAX)
		return ix_err_set(err, IX_ELIMIT,
		    "pex: %zu terminal providers, at most %d", r->nprov,
		    PROVIDERS_MAX);
	if (r->nrelays > RELAYS_MAX || (r->nrelays > 0 && r->relays == NULL))
		return ix_err_set(err, IX_ELIMIT,
		    "pex: %zu relays, at most %d", r->nrelays, RELAYS_MAX);
	for (size_t i = 0; i < r->nrelays; i++)
		if (r->relays[i].pid <= 0 || r->relays[i].pidfd < 0)
			return ix_err_set(err, IX_EINVAL,
			    "pex: a relay needs its pid and a pidfd");
	if (whysize > 0)
		why[0] = '\0';
	return 0;
}

/* Refuses while TIOCSTI can inject input. Returns 1, 0 or -1. */
static int
check_tiocsti(char *why, size_t whysize, struct ix_err *err)
{
	struct ix_err e;
	int t = ix_pex_legacy_tiocsti(&e);

	if (t == 0)
		return 1;
	if (t == 1)
		return ix_term_refuse(why, whysize, "dev.tty.legacy_tiocsti is 1: any "
		    "process that can write to your terminal can type into it "
		    "(an administrator must set it to 0)");
	if (e.code == IX_ENOENT)
		return ix_term_refuse(why, whysize, "this kernel has no "
		    "dev.tty.legacy_tiocsti (before 6.2): any process that can "
		    "write to your terminal can type into it");
	if (err != NULL)
		*err = e;
	return -1;
}

/*
 * The descriptor: a pty slave or console open for reading and writing.
 * Sets *pty for a slave and *rdev to the device. Returns 1, 0 or -1.
 */
static int
check_terminal(int fd, bool *pty, dev_t *rdev, char *why, size_t whysize,
	       struct ix_err *err)
{
	struct termios t;
	struct stat st;
	unsigned int ma, mi;
	int fl;

	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fstat(fd, &st) < 0)
		return ix_err_sys(err, "pex: descriptor %d", fd);
	if ((fl & O_PATH) || !S_ISCHR(st.st_mode) || tcgetattr(fd, &t) < 0)
		return ix_term_refuse(why, whysize, "not a terminal");
	if ((fl & O_ACCMODE) != O_RDWR)
		return ix_term_refuse(why, whysize, "the terminal is not open for "
			      "reading and writing");
	ma = major(st.st_rdev);
	mi = minor(st.st_rdev);
	*rdev = st.st_rdev;
	*pty = ma >= PTY_SLAVE_MAJOR_FIRST && ma <= PTY_SLAVE_MAJOR_LAST;
	if (*pty || (ma == TTY_MAJOR && mi >= 1 && mi <= VT_LAST_MINOR) ||
	    (ma == TTYAUX_MAJOR && mi == 1))
		return 1;
	if (ma == TTYAUX_MAJOR && mi == 2)
		return ix_term_refuse(why, whysize, "a pty master, not the terminal "
			      "a person types on");
	if ((ma == TTYAUX_MAJOR && mi == 0) || (ma == TTY_MAJOR && mi == 0))
		return ix_term_refuse(why, whysize, "an alias (/dev/tty or /dev/tty0): "
			      "pass the terminal itself");
	return ix_term_refuse(why, whysize, "the terminal %u:%u is neither a pty nor "
		      "a console", ma, mi);
}

/* A provider's binary, once checked as ix_stream_id checks it. */
struct binary {
	dev_t dev;
	ino_t ino;
};

/*
 * Resolves the usable providers into bin (those ix_stream_id would accept:
 * the path checked component by component by ix_stream_providers_check;
 * the file opened without following a last link and checked again, so the
 * inode compared is the one checked). Returns their count.
 */
static size_t
resolve_providers(const struct ix_pex_req *r, struct binary *bin)
{
	struct stat st;
	size_t i, n = 0;
	int fd;

	for (i = 0; i < r->nprov; i++) {
		if (ix_stream_providers_check(&r->prov[i], 1, NULL) < 0)
			continue;
		fd = open(r->prov[i].path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_uid == 0 && (st.st_mode & (S_IWGRP | S_IWOTH)) == 0) {
			bin[n].dev = st.st_dev;
			bin[n].ino = st.st_ino;
			n++;
		}
		close(fd);
	}
	return n;
}

/* Whether pid is the calling process or one of its threads. */
static bool
is_self(pid_t pid)
{
	char path[64];

	if (pid == getpid())
		return true;
	snprintf(path, sizeof path, "/proc/self/task/%d", (int)pid);
	return access(path, F_OK) == 0;
}

/* State of one holder scan. */
struct scan {
	pid_t sid;		/* the client's session */
	const pid_t *own;	/* the client and its ancestors in its session */
	size_t nown;
	pid_t others[OTHERS_NAMED]; /* other holders in the session, first seen */
	size_t nothers;		/* distinct such pids, beyond OTHERS_NAMED too */
	const struct ix_pex_relay *relays; /* allowed slave holders (ix_pex_req) */
	bool relay_used[RELAYS_MAX]; /* excused a holder: confirmed after the scan */
	size_t nrelays;
	const struct binary *bin;
	size_t nbin;
	bool provider;		/* a trusted provider holds the master */
	const struct ix_provider_client *client; /* for the provider check */
	pid_t private_pid[IX_PEX_HOLDERS_MAX]; /* master holders found private */
	size_t nprivate;
	bool refused;		/* why holds the first reason */
	char *why;
	size_t whysize;
	struct ix_pex_seen *seen; /* NULL when not recording */
};

/* Whether pid is the client or one of its ancestors in its session, or
 * a thread of one of them with a descriptor table of its own. */
static bool
is_own(const struct scan *s, pid_t pid)
{
	char path[64];
	size_t i;

	for (i = 0; i < s->nown; i++)
		if (s->own[i] == pid)
			return true;
	for (i = 0; i < s->nown; i++) {
		snprintf(path, sizeof path, "/proc/%d/task/%d", (int)s->own[i],
			 (int)pid);
		if (access(path, F_OK) == 0)
			return true;
	}
	return false;
}

/* Counts a holder of the client's session that is neither the client nor
 * an ancestor (a background job, a process that inherited the terminal),
 * keeping the first few pids to name them. */
static void
note_other(struct scan *s, pid_t pid)
{
	size_t i;

	for (i = 0; i < s->nothers && i < OTHERS_NAMED; i++)
		if (s->others[i] == pid)
			return;
	if (s->nothers < OTHERS_NAMED)
		s->others[s->nothers] = pid;
	else if (s->nothers > OTHERS_NAMED)
		return;		/* already "more": pids past the named are not told apart */
	s->nothers++;
}

static bool
is_relay(struct scan *s, pid_t pid)
{
	for (size_t i = 0; i < s->nrelays; i++)
		if (s->relays[i].pid == pid) {
			s->relay_used[i] = true;
			return true;
		}
	return false;
}

/*
 * Every relay that excused a holder must still be the process its pidfd
 * names: otherwise the pid was another process's by the time it was seen.
 * Returns 1, 0 (reason in why) or -1 with *err.
 */
static int
confirm_relays(const struct scan *s, char *why, size_t whysize,
	       struct ix_err *err)
{
	size_t i;
	int rc;

	for (i = 0; i < s->nrelays; i++) {
		if (!s->relay_used[i])
			continue;
		rc = pidfd_is(s->relays[i].pidfd, s->relays[i].pid, err);
		if (rc < 0)
			return ix_err_prefix(err, "pex: relay %d",
					     (int)s->relays[i].pid);
		if (rc == 0)
			return ix_term_refuse(why, whysize, "the server that passed "
				      "your terminal (pid %d) has exited",
				      (int)s->relays[i].pid);
	}
	return 1;
}

/*
 * The client and its ancestors within its session, client first, into
 * own (ANCESTORS_MAX entries): the processes allowed to hold the terminal
 * besides relays and the checker. The shell that started the client in
 * the foreground holds the terminal and waits for it; the session leader
 * (a login shell) is the last. An ancestor read as gone ends the chain.
 * Returns the count, at least 1, or -1 with *err.
 */
static int
own_chain(pid_t client, const struct pstat *cs, pid_t *own, struct ix_err *err)
{
	struct pstat ps = *cs;
	int n = 0, rc;

	own[n++] = client;
	while (n < ANCESTORS_MAX && ps.ppid > 0) {
		pid_t pid = ps.ppid;

		rc = read_stat(pid, &ps, err);
		if (rc < 0)
			return -1;
		if (rc == 0 || ps.sid != cs->sid)
			break;
		own[n++] = pid;
	}
	return n;
}

/* The name of the terminal rdev, as a person would type it. */
static void
tty_name(dev_t rdev, char *buf, size_t size)
{
	unsigned int ma = major(rdev), mi = minor(rdev);

	if (ma >= PTY_SLAVE_MAJOR_FIRST && ma <= PTY_SLAVE_MAJOR_LAST)
		snprintf(buf, size, "/dev/pts/%u",
			 (ma - PTY_SLAVE_MAJOR_FIRST) * 256 + mi);
	else if (ma == TTY_MAJOR)
		snprintf(buf, size, "/dev/tty%u", mi);
	else if (ma == TTYAUX_MAJOR && mi == 1)
		snprintf(buf, size, "/dev/console");
	else
		snprintf(buf, size, "terminal %u:%u", ma, mi);
}

/* pid's command name (/proc/PID/comm, which the process chooses itself)
 * with anything but printable ASCII shown as '?', so that it cannot
 * drive the terminal it is shown on; "?" when unknown. */
static void
comm_of(pid_t pid, char *buf, size_t size)
{
	char path[64], raw[COMM_MAX + 1];
	ssize_t n = -1;
	size_t i, j = 0;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, raw, sizeof raw - 1);
		close(fd);
	}
	if (n > 0 && raw[n - 1] == '\n')
		n--;
	for (i = 0; n > 0 && i < (size_t)n && j + 1 < size; i++)
		buf[j++] = raw[i] >= 0x20 && raw[i] < 0x7f ? raw[i] : '?';
	if (j == 0 && size > 1)
		buf[j++] = '?';
	if (size > 0)
		buf[j] = '\0';
}

/* The refusal naming the other holders of the client's session. */
static int
refuse_others(const struct scan *s, dev_t rdev, char *why, size_t whysize)
{
	char name[32], list[160] = "", comm[COMM_MAX + 1];
	size_t i, len = 0;

	tty_name(rdev, name, sizeof name);
	for (i = 0; i < s->nothers && i < OTHERS_NAMED; i++) {
		comm_of(s->others[i], comm, sizeof comm);
		len += (size_t)snprintf(list + len, len < sizeof list ?
					sizeof list - len : 0, "%spid %d (%s)",
					i == 0 ? "" : ", ", (int)s->others[i],
					comm);
	}
	return ix_term_refuse(why, whysize, "%s is also held by %s%s: stop or close "
		      "%s (kill %%1 for a background job, or run the command "
		      "from a terminal with no other jobs) and try again",
		      name, list, s->nothers > OTHERS_NAMED ? " and others" : "",
		      s->nothers > 1 ? "them" : "it");
}

static bool
trusted_master(const struct scan *s, const struct ix_tty_holder *h)
{
	size_t i;

	if (h->unsure || h->exe_uid != 0 || !S_ISREG(h->exe_mode) ||
	    (h->exe_mode & (S_IWGRP | S_IWOTH)))
		return false;
	for (i = 0; i < s->nbin; i++)
		if (s->bin[i].dev == h->exe_dev && s->bin[i].ino == h->exe_ino)
			return true;
	return false;
}

/*
 * Whether the trusted provider pid is also out of the client's reach
 * (provider.h). A process holding several masters is checked once.
 */
static bool
private_master(struct scan *s, pid_t pid, char *why, size_t size)
{
	char buf[IX_PEX_WHY_MAX];
	struct ix_err e;
	int rc;

	for (size_t i = 0; i < s->nprivate; i++)
		if (s->private_pid[i] == pid)
			return true;
	rc = ix_provider_private(pid, s->client, buf, sizeof buf, &e);
	if (rc < 0) {
		ix_term_refuse(why, size, "the terminal's provider, pid %d, could not be "
		       "judged: %s", (int)pid, e.msg);
		return false;
	}
	if (rc == 0) {
		ix_term_refuse(why, size, "%s", buf);
		return false;
	}
	if (s->nprivate < IX_PEX_HOLDERS_MAX)
		s->private_pid[s->nprivate++] = pid;
	return true;
}

/*
 * Judges one holder: 0 refused (reason in why), 1 acceptable. Sets
 * s->provider when it is a trusted provider on the master.
 */
static int
judge(struct scan *s, const struct ix_tty_holder *h, char *why, size_t size)
{
	/* Exited during the scan: holds nothing now, proves nothing. */
	if (!h->opaque && h->sid == -1)
		return 1;
	if (h->opaque)
		return ix_term_refuse(why, size, "your terminal may be held by pid %d, "
			      "whose descriptors cannot be read", (int)h->pid);
	if (h->master && h->unsure)
		return ix_term_refuse(why, size, "the pty master is held by pid %d on "
			      "a terminal instance that cannot be confirmed",
			      (int)h->pid);
	if (h->master && !trusted_master(s, h))
		return ix_term_refuse(why, size, "the pty master is held by pid %d, "
			      "which is not a trusted terminal provider",
			      (int)h->pid);
	if (h->master && !private_master(s, h->pid, why, size))
		return 0;
	if (h->master)
		s->provider = true;
	else if (is_relay(s, h->pid) || is_own(s, h->pid))
		return 1;
	else if (h->sid != s->sid)
		return ix_term_refuse(why, size, "terminal held by pid %d outside your "
			      "session", (int)h->pid);
	else
		note_other(s, h->pid);
	return 1;
}

static int
on_holder(const struct ix_tty_holder *h, void *arg, struct ix_err *err)
{
	struct scan *s = arg;

	(void)err;
	if (!h->opaque && is_self(h->pid))
		return 0;
	/* The first reason is kept; the scan goes on to fill seen. */
	if (judge(s, h, s->refused ? NULL : s->why,
		  s->refused ? 0 : s->whysize) == 0)
		s->refused = true;
	if (s->seen == NULL)
		return 0;
	if (s->seen->n == IX_PEX_HOLDERS_MAX) {
		if (!s->refused)
			ix_term_refuse(s->why, s->whysize, "your terminal is held by "
			       "more than %d descriptors", IX_PEX_HOLDERS_MAX);
		s->refused = true;
		return 0;
	}
	s->seen->h[s->seen->n].pid = h->pid;
	s->seen->h[s->seen->n].fd = h->fd;
	s->seen->h[s->seen->n].master = h->master;
	s->seen->n++;
	return 0;
}

/* A character device that answers tcgetattr, or any device of the
 * console and pty slave majors (an O_PATH descriptor answers nothing). */
static bool
terminal(int fd, const struct stat *st)
{
	struct termios t;
	unsigned int ma = major(st->st_rdev);

	return S_ISCHR(st->st_mode) &&
	       (tcgetattr(fd, &t) == 0 || ma == TTY_MAJOR || ma == TTYAUX_MAJOR ||
		(ma >= PTY_SLAVE_MAJOR_FIRST && ma <= PTY_SLAVE_MAJOR_LAST));
}

int
ix_pex_is_terminal(int fd, struct ix_err *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return ix_err_sys(err, "pex: descriptor %d", fd);
	return terminal(fd, &st);
}

int
ix_pex_controlling(const struct ix_pex_req *r, char *why, size_t whysize,
		   struct ix_err *err)
{
	struct pstat ps;
	struct stat st;
	unsigned int ma;
	int rc;

	if (check_req(r, why, whysize, err) < 0)
		return -1;
	if (fstat(r->fd, &st) < 0)
		return ix_err_sys(err, "pex: descriptor %d", r->fd);
	ma = major(st.st_rdev);
	if (!terminal(r->fd, &st))
		return 1;
	if ((rc = read_client(r, &ps, why, whysize, err)) != 1)
		return rc;
	if (ps.tty_major == 0 && ps.tty_minor == 0)
		return ix_term_refuse(why, whysize, "standard input is a terminal, and you "
			      "have no controlling terminal");
	if (ps.tty_major != ma || ps.tty_minor != minor(st.st_rdev))
		return ix_term_refuse(why, whysize, "standard input is a terminal that is "
			      "not your controlling terminal");
	return 1;
}

int
ix_pex_check_seen(const struct ix_pex_req *r, struct ix_pex_seen *seen,
		  char *why, size_t whysize, struct ix_err *err)
{
	struct binary bin[PROVIDERS_MAX];
	struct ix_provider_client client;
	struct scan s = { .bin = bin, .why = why, .whysize = whysize,
			  .seen = seen };
	pid_t own[ANCESTORS_MAX];
	struct pstat ps;
	dev_t rdev;
	bool pty;
	int rc, n;

	if (check_req(r, why, whysize, err) < 0)
		return -1;
	if (seen != NULL)
		seen->n = 0;
	if ((rc = check_tiocsti(why, whysize, err)) != 1)
		return rc;
	if ((rc = check_terminal(r->fd, &pty, &rdev, why, whysize, err)) != 1)
		return rc;
	if ((rc = read_client(r, &ps, why, whysize, err)) != 1)
		return rc;
	if (ps.tty_major == 0 && ps.tty_minor == 0)
		return ix_term_refuse(why, whysize, "you have no controlling terminal");
	if (ps.tty_major != major(rdev) || ps.tty_minor != minor(rdev))
		return ix_term_refuse(why, whysize, "this terminal is not your "
			      "controlling terminal");
	if (pty && ix_provider_client(r->client_pid, &client, err) < 0)
		return ix_err_prefix(err, "pex: your process");
	s.client = &client;
	if ((n = own_chain(r->client_pid, &ps, own, err)) < 0)
		return ix_err_prefix(err, "pex");
	s.sid = ps.sid;
	s.own = own;
	s.nown = (size_t)n;
	s.relays = r->relays;
	s.nrelays = r->nrelays;
	s.nbin = pty ? resolve_providers(r, bin) : 0;
	if (ix_tty_holders_each(r->fd, on_holder, &s, err) < 0)
		return ix_err_prefix(err, "pex");
	if (s.refused)
		return 0;
	if (s.nothers > 0)
		return refuse_others(&s, rdev, why, whysize);
	if ((rc = confirm_relays(&s, why, whysize, err)) != 1)
		return rc;
	if (pty && !s.provider)
		return ix_term_refuse(why, whysize, "no trusted terminal provider holds "
			      "the pty master");
	return 1;
}

int
ix_pex_check(const struct ix_pex_req *r, char *why, size_t whysize,
	     struct ix_err *err)
{
	return ix_pex_check_seen(r, NULL, why, whysize, err);
}

bool
ix_pex_new_holder(const struct ix_pex_seen *before,
		  const struct ix_pex_seen *now, pid_t *pid)
{
	size_t i, j;

	for (i = 0; i < now->n; i++) {
		for (j = 0; j < before->n; j++)
			if (before->h[j].pid == now->h[i].pid &&
			    before->h[j].fd == now->h[i].fd &&
			    before->h[j].master == now->h[i].master)
				break;
		if (j == before->n) {
			*pid = now->h[i].pid;
			return true;
		}
	}
	return false;
}

/* Whether a /proc entry name is a process id; sets *pid. */
static bool
proc_pid(const char *name, pid_t *pid)
{
	char *end;
	long v;

	if (name[0] < '1' || name[0] > '9')
		return false;
	errno = 0;
	v = strtol(name, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0 || v > 0x7fffffffL)
		return false;
	*pid = (pid_t)v;
	return true;
}

int
ix_pex_foreground(const struct ix_pex_req *r, char *why, size_t whysize,
		  struct ix_err *err)
{
	struct pstat ps, other;
	struct dirent *de;
	pid_t pid, intruder = 0;
	DIR *d;
	int rc;

	if (check_req(r, why, whysize, err) < 0)
		return -1;
	if ((rc = read_client(r, &ps, why, whysize, err)) != 1)
		return rc;
	if (ps.tpgid <= 0 || ps.tpgid != ps.pgrp)
		return ix_term_refuse(why, whysize, "you are not in your terminal's "
			      "foreground process group");
	d = opendir("/proc");
	if (d == NULL)
		return ix_err_sys(err, "pex: /proc");
	while (intruder == 0) {
		errno = 0;
		de = readdir(d);
		if (de == NULL)
			break;
		if (!proc_pid(de->d_name, &pid) || pid == r->client_pid)
			continue;
		rc = read_stat(pid, &other, err);
		if (rc < 0) {
			closedir(d);
			return -1;
		}
		/* A zombie keeps its group but can read nothing. */
		if (rc == 1 && other.pgrp == ps.tpgid && other.state != 'Z' &&
		    other.state != 'X')
			intruder = pid;
	}
	rc = errno;
	closedir(d);
	if (intruder == 0 && rc != 0) {
		errno = rc;
		return ix_err_sys(err, "pex: reading /proc");
	}
	if (intruder != 0)
		return ix_term_refuse(why, whysize, "pid %d is also in your terminal's "
			      "foreground process group", (int)intruder);
	return 1;
}

int
ix_pex_foreground_still(const struct ix_pex_req *r, pid_t pgrp, char *why,
			size_t whysize, struct ix_err *err)
{
	char comm[COMM_MAX + 1];
	struct pstat ps;
	int rc;

	if (check_req(r, why, whysize, err) < 0)
		return -1;
	if ((rc = read_client(r, &ps, why, whysize, err)) != 1)
		return rc;
	if (ps.pgrp != pgrp)
		return ix_term_refuse(why, whysize, "your process %d left its process "
			      "group", (int)r->client_pid);
	if (ps.tpgid == pgrp)
		return 1;
	if (ps.tpgid <= 0)
		return ix_term_refuse(why, whysize, "the foreground process group "
			      "changed (the terminal has none now)");
	comm_of(ps.tpgid, comm, sizeof comm);
	return ix_term_refuse(why, whysize, "the foreground process group changed "
		      "(pid %d (%s) took the terminal)", (int)ps.tpgid, comm);
}
