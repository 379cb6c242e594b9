/*
 * ptydrive: a person at a terminal, for guests without tmux or script(1).
 *
 *	ptydrive [-u USER] [-t SECONDS] [-e TEXT | -s LINE]... -- CMD [ARG...]
 *
 * Runs CMD on a fresh pty as its controlling terminal and copies what it
 * writes there to standard output. The -e and -s steps run in order:
 * -e waits until TEXT appears in the output after the previous match,
 * -s types LINE and Enter. -u drops to USER (uid, gid, groups) before
 * the pty is opened, so that the terminal is the user's own, as a login
 * would leave it. Once the steps are done the output is copied until
 * nothing holds the pty's other side.
 * Exit status: CMD's (128 + signal when killed), 3 when a step or that
 * last copy timed out (each has -t seconds, default 60), 4 on a setup
 * error.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SEEN_MAX 65536	/* output kept for matching, after the last match */

struct step {
	char kind;	/* 'e' or 's' */
	const char *text;
};

static void
usage(void)
{
	fputs("usage: ptydrive [-u USER] [-t SECONDS] [-e TEXT | -s LINE]... -- CMD [ARG...]\n",
	      stderr);
	exit(4);
}

static int
drop_to(const char *user)
{
	struct passwd *pw = getpwnam(user);

	if (pw == NULL) {
		fprintf(stderr, "ptydrive: no user %s\n", user);
		return -1;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 ||
	    setuid(pw->pw_uid) < 0) {
		fprintf(stderr, "ptydrive: cannot become %s: %s\n", user, strerror(errno));
		return -1;
	}
	if (chdir(pw->pw_dir) < 0 && chdir("/") < 0) {
		fprintf(stderr, "ptydrive: chdir /: %s\n", strerror(errno));
		return -1;
	}
	setenv("HOME", pw->pw_dir, 1);
	setenv("USER", pw->pw_name, 1);
	setenv("LOGNAME", pw->pw_name, 1);
	return 0;
}

static int
open_pty(char *slave, size_t size)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0 || ptsname_r(m, slave, size) != 0) {
		fprintf(stderr, "ptydrive: no pty: %s\n", strerror(errno));
		return -1;
	}
	(void)ioctl(m, TIOCSWINSZ, &ws);
	return m;
}

static pid_t
start(const char *slave, char **cmd)
{
	pid_t pid = fork();
	int s;

	if (pid != 0)
		return pid;
	if (setsid() < 0 || (s = open(slave, O_RDWR)) < 0 || ioctl(s, TIOCSCTTY, 0) < 0) {
		fprintf(stderr, "ptydrive: %s as controlling terminal: %s\n", slave, strerror(errno));
		_exit(4);
	}
	if (dup2(s, 0) < 0 || dup2(s, 1) < 0 || dup2(s, 2) < 0)
		_exit(4);
	if (s > 2)
		close(s);
	execvp(cmd[0], cmd);
	fprintf(stderr, "ptydrive: %s: %s\n", cmd[0], strerror(errno));
	_exit(127);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Copies what the pty has to stdout and to seen; 0 when its other side is
 * gone (EIO), 1 otherwise. */
static int
pump(int m, char *seen, size_t *nseen, int timeout_ms)
{
	struct pollfd p = { .fd = m, .events = POLLIN };
	char buf[4096];
	ssize_t n;

	if (poll(&p, 1, timeout_ms) <= 0)
		return 1;
	n = read(m, buf, sizeof buf);
	if (n < 0 && errno == EINTR)
		return 1;
	if (n <= 0)
		return 0;
	fwrite(buf, 1, (size_t)n, stdout);
	fflush(stdout);
	if (*nseen + (size_t)n >= SEEN_MAX) {	/* keep the newest half */
		memmove(seen, seen + SEEN_MAX / 2, *nseen - SEEN_MAX / 2);
		*nseen -= SEEN_MAX / 2;
	}
	if ((size_t)n < SEEN_MAX - *nseen) {
		memcpy(seen + *nseen, buf, (size_t)n);
		*nseen += (size_t)n;
	}
	seen[*nseen] = '\0';
	return 1;
}

int
main(int argc, char **argv)
{
	static struct step steps[64];
	static char seen[SEEN_MAX + 1];
	size_t nsteps = 0, nseen = 0;
	const char *user = NULL;
	char slave[64];
	double timeout = 60;
	int c, m, st, alive = 1;
	pid_t pid;

	while ((c = getopt(argc, argv, "+u:t:e:s:")) != -1) {
		switch (c) {
		case 'u':
			user = optarg;
			break;
		case 't':
			timeout = atof(optarg);
			break;
		case 'e':
		case 's':
			if (nsteps == sizeof steps / sizeof steps[0])
				usage();
			steps[nsteps++] = (struct step){ (char)c, optarg };
			break;
		default:
			usage();
		}
	}
	if (optind >= argc || timeout <= 0)
		usage();
	if (user != NULL && drop_to(user) < 0)
		return 4;
	if ((m = open_pty(slave, sizeof slave)) < 0)
		return 4;
	signal(SIGPIPE, SIG_IGN);
	if ((pid = start(slave, argv + optind)) < 0)
		return 4;
	for (size_t i = 0; i < nsteps && alive; i++) {
		if (steps[i].kind == 's') {
			size_t len = strlen(steps[i].text);

			if (write(m, steps[i].text, len) != (ssize_t)len || write(m, "\r", 1) != 1)
				alive = 0;
			continue;
		}
		double end = now() + timeout;
		char *hit;

		while ((hit = strstr(seen, steps[i].text)) == NULL && alive && now() < end)
			alive = pump(m, seen, &nseen, 100);
		if (hit == NULL) {
			fprintf(stderr, "\nptydrive: %s waiting for '%s'\n",
				alive ? "timed out" : "the terminal closed", steps[i].text);
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return 3;
		}
		hit += strlen(steps[i].text);
		nseen -= (size_t)(hit - seen);
		memmove(seen, hit, nseen + 1);
	}
	for (double end = now() + timeout; alive; ) {
		if (now() >= end) {
			fprintf(stderr, "\nptydrive: the terminal is still held %g s after the last step\n",
				timeout);
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return 3;
		}
		alive = pump(m, seen, &nseen, 100);
	}
	if (waitpid(pid, &st, 0) < 0)
		return 4;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
