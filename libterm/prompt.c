/*
 * The password and confirmation prompts (see prompt.h for the steps and
 * their reasons).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "libixutil/ix_time.h"
#include "libterm/pex.h"
#include "libterm/prompt.h"

#define DRAIN_MAX 64		/* scratch for discarding an overlong answer */

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

static int __attribute__((format(printf, 3, 4)))
refuse(char *why, size_t whysize, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whysize, fmt, ap);
	va_end(ap);
	return 0;
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
lock_terminal(int fd, struct saved *sv, struct ix_err *err)
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
	t.c_iflag |= ICRNL;
	t.c_iflag &= ~(tcflag_t)(INLCR | IGNCR);
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

/*
 * Reads one canonical line of the secret into out. Returns 1, 0 (reason in
 * why), or -1 with *err (IX_ELIMIT: too long, the line discarded).
 */
static int
read_secret(const struct pw_party *p, char *out, size_t max,
	    long long deadline, int timeout_ms, char *why, size_t whysize,
	    struct ix_err *err)
{
	char drain[DRAIN_MAX];
	size_t len = 0;
	ssize_t n;
	bool over = false;
	int rc;

	for (;;) {
		rc = wait_fd(p->fd, POLLIN, p->client_pidfd, deadline, err);
		if (rc == 0)
			return refuse(why, whysize, "no answer within %d.%03d "
				      "seconds", timeout_ms / 1000,
				      timeout_ms % 1000);
		if (rc == 2)
			return refuse(why, whysize, "your process %d exited "
				      "during the prompt", (int)p->client_pid);
		if (rc < 0)
			return -1;
		/* Past the room in out, the rest of the line is discarded. */
		if (over)
			n = read(p->fd, drain, sizeof drain);
		else
			n = read(p->fd, out + len, max - 1 - len);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if ((n < 0 && errno == EIO) || n == 0)
			return refuse(why, whysize, "the terminal closed before "
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

/* After the answer: the same checks, and no holder that was not there. */
static int
recheck_party(const struct ix_pex_req *r, const struct ix_pex_seen *before,
	      struct ix_pex_seen *now, char *why, size_t whysize,
	      struct ix_err *err)
{
	char reason[IX_PEX_WHY_MAX];
	pid_t pid;
	int rc = check_party(r, now, reason, sizeof reason, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return refuse(why, whysize, "your answer was not accepted: %s",
			      reason);
	if (ix_pex_new_holder(before, now, &pid))
		return refuse(why, whysize, "your answer was not accepted: "
			      "pid %d opened your terminal during the prompt",
			      (int)pid);
	return 1;
}

int
pw_prompt_secret(const struct pw_party *p, const char *prompt, char *out,
		 size_t max, int timeout_ms, bool *pex_first, char *why,
		 size_t whysize, struct ix_err *err)
{
	struct ix_pex_req r;
	struct saved sv = { .locked = false, .tio_set = false };
	struct ix_pex_seen before, after;	/* about 3 KiB each */
	long long deadline = ix_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	int rc;

	if (p == NULL || prompt == NULL || out == NULL || max < 2 ||
	    timeout_ms < 0 || why == NULL || whysize == 0)
		return ix_err_set(err, IX_EINVAL, "pw_prompt_secret: bad "
				  "arguments");
	explicit_bzero(out, max);
	why[0] = '\0';
	r = (struct ix_pex_req){ .fd = p->fd, .client_pid = p->client_pid,
		.client_pidfd = p->client_pidfd, .prov = p->prov,
		.nprov = p->nprov, .relays = p->relays, .nrelays = p->nrelays };
	/* A refused terminal is left exactly as it was. */
	rc = ix_pex_check(&r, why, whysize, err);
	if (pex_first != NULL)
		*pex_first = rc != 1;
	if (rc != 1)
		return rc;
	rc = lock_terminal(p->fd, &sv, err);
	if (rc == 0)
		rc = check_party(&r, &before, why, whysize, err);
	if (rc == 1 && (rc = write_all(p->fd, prompt, deadline, err)) == 0)
		refuse(why, whysize, "the terminal did not take the prompt "
		       "within %d.%03d seconds", timeout_ms / 1000,
		       timeout_ms % 1000);
	if (rc == 1)
		rc = read_secret(p, out, max, deadline, timeout_ms, why,
				 whysize, err);
	if (rc == 1)
		rc = recheck_party(&r, &before, &after, why, whysize,
				   err);
	if (unlock_terminal(p->fd, &sv, rc < 0 ? NULL : err) < 0)
		rc = -1;
	if (rc != 1)
		explicit_bzero(out, max);
	return rc;
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
