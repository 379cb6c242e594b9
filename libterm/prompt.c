/*
 * The password and confirmation prompts (see prompt.h for the steps and
 * their reasons).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "libixutil/ix_time.h"
#include "libterm/pex.h"
#include "libterm/prompt.h"
#include "libterm/refuse.h"
#include "libterm/tty.h"

#define DRAIN_MAX 64		/* scratch for discarding an overlong answer */
#define WATCH_MS 50		/* the foreground group is read this often */
#define WATCH_SCAN 2		/* and the holders every this many periods */
#define NOTICE_MS 1000		/* for telling the terminal a prompt was voided */

/*
 * Waits until fd is ready for events or, when pidfd >= 0, until that
 * process exits, at most until deadline. Returns 1 ready, 0 deadline
 * passed, 2 the process exited, -1 with *err (EINTR included).
 */
static int
wait_fd(int fd, short events, int pidfd, long long deadline,
	struct ix_err *err)
{
	struct pollfd pf[2] = { { .fd = fd, .events = events },
				{ .fd = pidfd, .events = POLLIN } };
	long long left = deadline - ix_now_ms();
	int n;

	if (left <= 0)
		return 0;
	n = poll(pf, pidfd >= 0 ? 2 : 1, left > 0x7fffffff ? 0x7fffffff : (int)left);
	if (n < 0)
		return ix_err_sys(err, "waiting on descriptor %d", fd);
	if (n == 0)
		return 0;
	if (pidfd >= 0 && pf[1].revents)
		return 2;
	return 1;
}

/* Writes all of s before deadline. Returns 1, 0 deadline, -1 with *err. */
static int
write_all(int fd, const char *s, long long deadline, struct ix_err *err)
{
	size_t len = strlen(s);
	ssize_t n;
	int rc;

	while (len > 0) {
		rc = wait_fd(fd, POLLOUT, -1, deadline, err);
		if (rc != 1)
			return rc;
		n = write(fd, s, len);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			return ix_err_sys(err, "writing the prompt");
		s += n;
		len -= (size_t)n;
	}
	return 1;
}

/* What the terminal was before the prompt, to be put back. */
struct saved {
	struct termios tio;
	struct stat st;
	bool locked;		/* owner and mode changed */
	bool tio_set;		/* termios changed */
};

/*
 * Takes the terminal away from everyone else and sets it up for a secret.
 * Fills *sv so that unlock undoes exactly what was done. Returns 0 or -1.
 */
static int
lock_terminal(int fd, bool echo, struct saved *sv, struct ix_err *err)
{
	struct termios t;

	if (fstat(fd, &sv->st) < 0 || tcgetattr(fd, &sv->tio) < 0)
		return ix_err_sys(err, "terminal");
	sv->locked = true;
	if (fchown(fd, 0, 0) < 0 || fchmod(fd, 0600) < 0)
		return ix_err_sys(err, "taking the terminal for the prompt");
	t = sv->tio;
	t.c_lflag |= ICANON | ECHONL | TOSTOP;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHOKE | ECHOCTL |
				 ECHOPRT | EXTPROC);
	/* A confirmation is seen as it is typed; a secret never. */
	if (echo)
		t.c_lflag |= ECHO | ECHOE | ECHOK;
	t.c_iflag |= ICRNL;
	t.c_iflag &= ~(tcflag_t)(INLCR | IGNCR);
	/* ^Z would stop the client mid-prompt, and its shell's tcsetpgrp to
	 * take the terminal back is refused while tier 1 guards the prompt
	 * (the shell then reads EPERM as end of input and exits). ^C and ^\
	 * still end the client, and with it the prompt. */
	t.c_cc[VSUSP] = _POSIX_VDISABLE;
	sv->tio_set = true;
	if (tcsetattr(fd, TCSANOW, &t) < 0)
		return ix_err_sys(err, "setting the terminal for the prompt");
	/* Anything typed before the prompt was not typed for it. */
	if (tcflush(fd, TCIFLUSH) < 0)
		return ix_err_sys(err, "flushing the terminal's input");
	/* Output stopped with ^S would leave the prompt's write blocked. */
	(void)tcflow(fd, TCOON);
	return 0;
}

/* Puts back termios, owner and mode. Returns 0, or -1 with *err. */
static int
unlock_terminal(int fd, const struct saved *sv, struct ix_err *err)
{
	int rc = 0;

	if (sv->tio_set && tcsetattr(fd, TCSANOW, &sv->tio) < 0)
		rc = ix_err_sys(err, "restoring the terminal's settings");
	if (sv->locked && (fchown(fd, sv->st.st_uid, sv->st.st_gid) < 0 ||
			   fchmod(fd, sv->st.st_mode & 07777) < 0))
		rc = ix_err_sys(err, "restoring the terminal's owner and mode");
	return rc;
}

/* The checks made before and after the answer. Returns 1, 0 or -1. */
static int
check_party(const struct ix_pex_req *r, struct ix_pex_seen *seen, char *why,
	    size_t whysize, struct ix_err *err)
{
	int rc = ix_pex_check_seen(r, seen, why, whysize, err);

	if (rc != 1)
		return rc;
	return ix_pex_foreground(r, why, whysize, err);
}

/* What the prompt watches while it waits for the line. */
struct watch {
	const struct ix_pex_req *r;	/* the party, as pex sees it */
	const struct ix_pex_seen *before; /* holders when the terminal was locked */
	struct ix_pex_seen *now;	/* scratch for each scan, the caller's */
	pid_t pgrp;			/* the client's group: the foreground throughout */
	unsigned int ticks;		/* periods waited so far */
	bool voided;			/* a check failed: the prompt is void */
};

/*
 * Whether the private path still holds: the foreground group every time,
 * and when full the whole check (pex, the foreground group's members) and
 * no holder that was not there when the prompt began. Returns 1, 0 with
 * why ("prompt voided: ...") and w->voided set, or -1 with *err.
 */
static int
watch_check(struct watch *w, bool full, char *why, size_t whysize,
	    struct ix_err *err)
{
	char reason[IX_PEX_WHY_MAX];
	pid_t pid;
	int rc;

	rc = ix_pex_foreground_still(w->r, w->pgrp, reason, sizeof reason, err);
	if (rc == 1 && full)
		rc = check_party(w->r, w->now, reason, sizeof reason, err);
	if (rc == 1 && full && ix_pex_new_holder(w->before, w->now, &pid)) {
		snprintf(reason, sizeof reason, "pid %d opened your terminal "
			 "during the prompt", (int)pid);
		rc = 0;
	}
	if (rc != 0)
		return rc;
	w->voided = true;
	return ix_term_refuse(why, whysize, "prompt voided: %s; nothing typed was used",
		      reason);
}

/*
 * Reads one canonical line of the answer into out, running the watch
 * every WATCH_MS and before each read. Returns 1, 0 (reason in why), or
 * -1 with *err (IX_ELIMIT: too long, the line discarded).
 */
static int
read_secret(const struct pw_party *p, struct watch *w, char *out, size_t max,
	    long long deadline, int timeout_ms, char *why, size_t whysize,
	    struct ix_err *err)
{
	char drain[DRAIN_MAX];
	size_t len = 0;
	ssize_t n;
	bool over = false;
	long long tick;
	int rc, v;

	for (;;) {
		tick = ix_now_ms() + WATCH_MS;
		rc = wait_fd(p->fd, POLLIN, p->client_pidfd,
			     tick < deadline ? tick : deadline, err);
		if (rc == 0 && ix_now_ms() >= deadline)
			return ix_term_refuse(why, whysize, "no answer within %d.%03d "
				      "seconds", timeout_ms / 1000,
				      timeout_ms % 1000);
		if (rc == 2)
			return ix_term_refuse(why, whysize, "your process %d exited "
				      "during the prompt", (int)p->client_pid);
		if (rc < 0)
			return -1;
		/* Input is read only after a full check; between inputs the
		 * foreground group is read every period, the holders every
		 * WATCH_SCAN periods. */
		v = watch_check(w, rc == 1 || ++w->ticks % WATCH_SCAN == 0,
				why, whysize, err);
		if (v != 1)
			return v;
		if (rc == 0)
			continue;
		/* Past the room in out, the rest of the line is discarded. */
		if (over)
			n = read(p->fd, drain, sizeof drain);
		else
			n = read(p->fd, out + len, max - 1 - len);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if ((n < 0 && errno == EIO) || n == 0)
			return ix_term_refuse(why, whysize, "the terminal closed before "
				      "an answer");
		if (n < 0)
			return ix_err_sys(err, "reading the answer");
		if (over) {
			if (drain[n - 1] == '\n')
				break;
			continue;
		}
		len += (size_t)n;
		if (out[len - 1] == '\n') {
			out[len - 1] = '\0';
			explicit_bzero(drain, sizeof drain);
			return 1;
		}
		/* Canonical reads stop at a line's end: a short read without
		 * a newline is a line ended by ^D. */
		if (len < max - 1) {
			out[len] = '\0';
			return 1;
		}
		over = true;
	}
	explicit_bzero(drain, sizeof drain);
	return ix_err_set(err, IX_ELIMIT, "the answer is longer than %zu bytes",
			  max - 2);
}

/*
 * Tells the person at the terminal that the prompt was voided, and drops
 * what was typed meanwhile, so that nothing of it is left for the shell.
 * Best effort: the terminal may be gone or blocked.
 */
static void
tell_voided(int fd, const char *why)
{
	char line[IX_PEX_WHY_MAX + 8];
	struct ix_err e;

	(void)tcflush(fd, TCIFLUSH);
	snprintf(line, sizeof line, "\n%s\n", why);
	(void)write_all(fd, line, ix_now_ms() + NOTICE_MS, &e);
}

/*
 * The private prompt behind pw_prompt_secret and pw_prompt_confirm (see
 * prompt.h); echo says whether the answer is echoed. *pex_first as
 * pw_prompt_secret's; *lost (may be NULL) is set when a return of 0 comes
 * from a check of the private path (first or later) rather than from the
 * person (timeout, end of input, the client's exit).
 */
static int
private_prompt(const struct pw_party *p, bool echo, const char *prompt,
	       char *out, size_t max, int timeout_ms, bool *pex_first,
	       bool *lost, char *why, size_t whysize, struct ix_err *err)
{
	struct ix_pex_req r;
	struct saved sv = { .locked = false, .tio_set = false };
	struct ix_pex_seen before, now;	/* about 3 KiB each */
	struct watch w = { .r = &r, .before = &before, .now = &now };
	struct ix_tty_guard guard = { .held = false };
	long long deadline = ix_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	int rc;

	if (pex_first != NULL)
		*pex_first = false;
	if (lost != NULL)
		*lost = false;
	if (p == NULL || prompt == NULL || out == NULL || max < 2 ||
	    timeout_ms < 0 || why == NULL || whysize == 0)
		return ix_err_set(err, IX_EINVAL, "pw_prompt: bad arguments");
	explicit_bzero(out, max);
	why[0] = '\0';
	r = (struct ix_pex_req){ .fd = p->fd, .client_pid = p->client_pid,
		.client_pidfd = p->client_pidfd, .prov = p->prov,
		.nprov = p->nprov, .relays = p->relays, .nrelays = p->nrelays };
	/* A refused terminal is left exactly as it was. */
	rc = ix_pex_check(&r, why, whysize, err);
	if (pex_first != NULL)
		*pex_first = rc != 1;
	if (lost != NULL)
		*lost = rc == 0;
	if (rc != 1)
		return rc;
	rc = lock_terminal(p->fd, echo, &sv, err);
	/* At tier 1 the kernel now refuses TIOCSPGRP, TIOCSTI and reads on
	 * the terminal to everyone but us, until it is restored: the window
	 * the watch leaves (prompt.h) is closed. */
	if (rc == 0 && ix_tty_guard(p->fd, &guard, err) < 0)
		rc = -1;
	if (rc == 0 && (rc = check_party(&r, &before, why, whysize, err)) == 0 &&
	    lost != NULL)
		*lost = true;
	/* The group that passed is the one watched: the pid is pinned by
	 * the client's pidfd, and a group changed in between is seen at
	 * the first period. */
	if (rc == 1 && (w.pgrp = getpgid(p->client_pid)) < 0)
		rc = ix_err_sys(err, "process group of %d", (int)p->client_pid);
	if (rc == 1 && (rc = write_all(p->fd, prompt, deadline, err)) == 0)
		ix_term_refuse(why, whysize, "the terminal did not take the prompt "
		       "within %d.%03d seconds", timeout_ms / 1000,
		       timeout_ms % 1000);
	if (rc == 1)
		rc = read_secret(p, &w, out, max, deadline, timeout_ms, why,
				 whysize, err);
	/* After the line: everything once more, as the watch does. */
	if (rc == 1)
		rc = watch_check(&w, true, why, whysize, err);
	if (w.voided) {
		explicit_bzero(out, max);
		tell_voided(p->fd, why);
		if (lost != NULL)
			*lost = true;
	}
	if (unlock_terminal(p->fd, &sv, rc < 0 ? NULL : err) < 0)
		rc = -1;
	if (ix_tty_unguard(&guard, rc < 0 ? NULL : err) < 0)
		rc = -1;
	if (rc != 1)
		explicit_bzero(out, max);
	return rc;
}

int
pw_prompt_secret(const struct pw_party *p, const char *prompt, char *out,
		 size_t max, int timeout_ms, bool *pex_first, char *why,
		 size_t whysize, struct ix_err *err)
{
	return private_prompt(p, false, prompt, out, max, timeout_ms,
			      pex_first, NULL, why, whysize, err);
}

int
pw_prompt_confirm(const struct pw_party *p, const char *prompt, char *out,
		  size_t max, int timeout_ms, bool *pex_first, bool *lost,
		  char *why, size_t whysize, struct ix_err *err)
{
	return private_prompt(p, true, prompt, out, max, timeout_ms, pex_first,
			      lost, why, whysize, err);
}

int
pw_prompt_line(int fd, const char *prompt, char *out, size_t max,
	       int timeout_ms, struct ix_err *err)
{
	struct termios saved, t;
	long long deadline = ix_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	bool tty;
	size_t len = 0;
	ssize_t n;
	char c;
	int fl, rc = 1;

	if (fd < 0 || out == NULL || max < 2 || timeout_ms < 0)
		return ix_err_set(err, IX_EINVAL, "pw_prompt_line: bad "
				  "arguments");
	explicit_bzero(out, max);
	fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return ix_err_sys(err, "descriptor %d", fd);
	tty = tcgetattr(fd, &saved) == 0;
	if (tty) {
		t = saved;
		t.c_lflag |= ICANON | ECHO;
		t.c_iflag |= ICRNL;
		if (tcsetattr(fd, TCSANOW, &t) < 0)
			return ix_err_sys(err, "setting the terminal");
	}
	if (prompt != NULL && (fl & O_ACCMODE) != O_RDONLY)
		rc = write_all(fd, prompt, deadline, err);
	/* One byte at a time: what follows the newline is not ours. */
	while (rc == 1) {
		rc = wait_fd(fd, POLLIN, -1, deadline, err);
		if (rc != 1)
			break;
		n = read(fd, &c, 1);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n == 0 || (n < 0 && errno == EIO && tty)) {
			rc = 0;
			break;
		}
		if (n < 0) {
			rc = ix_err_sys(err, "reading descriptor %d", fd);
			break;
		}
		if (c == '\n')
			break;
		if (len == max - 1) {
			rc = ix_err_set(err, IX_ELIMIT, "the line is longer "
					"than %zu bytes", max - 1);
			break;
		}
		out[len++] = c;
	}
	if (rc == 1 && len > 0 && out[len - 1] == '\r')
		len--;
	out[len] = '\0';
	if (tty && tcsetattr(fd, TCSANOW, &saved) < 0 && rc >= 0)
		rc = ix_err_sys(err, "restoring the terminal");
	if (rc != 1)
		explicit_bzero(out, max);
	return rc;
}
