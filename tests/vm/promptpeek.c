/*
 * promptpeek: the process of a session that turns on a private prompt, for
 * the tier 1 prompt guard test (tests/libcompart/vm-prompt.sh).
 *
 *	promptpeek [-u USER] -w GOFILE -- CMD [ARG...]	(the prompt is CMD's: pwcheck)
 *	promptpeek -g -w GOFILE				(the prompt is our child's)
 *
 * Runs on a terminal as its session leader, as a shell does (ptydrive
 * starts it): opens /dev/tty as well, starts a child in a process group of
 * its own and makes that group the foreground. The child runs CMD (as USER
 * with -u), or with -g registers the terminal with ix_tty_guard itself,
 * says "guarded pid=N", reads one line and says "prompter-read=LINE".
 * Once GOFILE exists (the prompt is up) it tries, ignoring SIGTTOU and
 * SIGTTIN: TIOCSPGRP to its own group on the terminal and on /dev/tty,
 * then on each TIOCSTI of a letter and a newline and a read of a line (cut
 * after a second); then says "attempts-done", waits for the child, and
 * tries the same again. Every attempt is one line:
 *	peek: during|after WHAT=ok|ERRNO-NAME
 * where a read that worked names what it read (read-z=ok).
 * and the child's end "peek: child-status=N". Exit status 0, or 4 on a
 * setup error.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "libterm/tty.h"

static const char *
ename(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case EIO: return "EIO";
	case EAGAIN: return "EAGAIN";
	case EINTR: return "EINTR";
	case EACCES: return "EACCES";
	case ENOTTY: return "ENOTTY";
	default: return strerror(e);
	}
}

static void
report(const char *phase, const char *what, int rc)
{
	printf("peek: %s %s=%s\n", phase, what, rc < 0 ? ename(errno) : "ok");
	fflush(stdout);
}

static void
on_alarm(int sig)
{
	(void)sig;
}

/* One line (up to 15 bytes, its newline dropped) into buf, or -1: a read
 * that would wait is cut after a second. */
static int
read_line(int fd, char *buf)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	ssize_t n;

	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	n = read(fd, buf, 15);
	alarm(0);
	if (n == 0) {
		errno = ENODATA;
		return -1;
	}
	if (n < 0)
		return -1;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/* Pushes c and a newline into fd's input; the first push is reported. */
static int
push(int fd, char c)
{
	if (ioctl(fd, TIOCSTI, &c) < 0)
		return -1;
	return ioctl(fd, TIOCSTI, "\n");
}

static void
try_read(const char *phase, const char *name, int fd)
{
	char buf[16], what[48];
	int rc = read_line(fd, buf);

	snprintf(what, sizeof what, "%s%s%s", name, rc == 0 ? "-" : "", rc == 0 ? buf : "");
	report(phase, what, rc);
}

static void
attempts(const char *phase, int tty, int devtty)
{
	pid_t me = getpgrp();

	report(phase, "tiocspgrp", ioctl(tty, TIOCSPGRP, &me));
	report(phase, "tiocspgrp-devtty", ioctl(devtty, TIOCSPGRP, &me));
	report(phase, "tiocsti", push(tty, 'z'));
	try_read(phase, "read", tty);
	report(phase, "tiocsti-devtty", push(devtty, 'y'));
	try_read(phase, "read-devtty", devtty);
}

static int
drop_to(const char *user)
{
	struct passwd *pw = getpwnam(user);

	return pw == NULL || initgroups(pw->pw_name, pw->pw_gid) < 0 ||
	       setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0 ? -1 : 0;
}

/* -g: the prompter is this process, through the real registration. */
static int
guarded_child(void)
{
	struct ix_tty_guard g;
	struct ix_err e;
	char line[128];
	ssize_t n;
	int rc = 0;

	if (ix_tty_guard(0, &g, &e) < 0) {
		printf("guard-failed: %s\n", e.msg);
		return 5;
	}
	printf("guarded pid=%d held=%d\n", (int)getpid(), g.held);
	fflush(stdout);
	n = read(0, line, sizeof line - 1);
	if (n < 0) {
		printf("prompter-read-failed: %s\n", ename(errno));
		rc = 6;
	} else {
		line[n] = 0;
		line[strcspn(line, "\n")] = 0;
		printf("prompter-read=%s\n", line);
	}
	if (ix_tty_unguard(&g, &e) < 0) {
		printf("unguard-failed: %s\n", e.msg);
		rc = 7;
	}
	return rc;
}

int
main(int argc, char **argv)
{
	const char *user = NULL, *go = NULL;
	int c, guard = 0, devtty, p[2], st;
	struct stat sb;
	pid_t pid;
	char x, after[4096];

	while ((c = getopt(argc, argv, "+u:w:g")) != -1) {
		switch (c) {
		case 'u': user = optarg; break;
		case 'w': go = optarg; break;
		case 'g': guard = 1; break;
		default: return 4;
		}
	}
	if (go == NULL || (!guard && optind >= argc))
		return 4;
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	if ((devtty = open("/dev/tty", O_RDWR | O_CLOEXEC)) < 0 || pipe(p) < 0) {
		perror("promptpeek: /dev/tty");
		return 4;
	}
	pid = fork();
	if (pid < 0)
		return 4;
	if (pid == 0) {
		close(p[1]);
		setpgid(0, 0);
		if (read(p[0], &x, 1) != 1)
			_exit(4);
		signal(SIGTTOU, SIG_DFL);
		signal(SIGTTIN, SIG_DFL);
		if (guard)
			_exit(guarded_child());
		if (user != NULL && drop_to(user) < 0)
			_exit(4);
		execvp(argv[optind], argv + optind);
		_exit(127);
	}
	/* As a shell starts a foreground job. */
	setpgid(pid, pid);
	if (tcsetpgrp(0, pid) < 0) {
		perror("promptpeek: tcsetpgrp");
		return 4;
	}
	close(p[0]);
	if (write(p[1], "", 1) != 1)
		return 4;
	close(p[1]);
	while (stat(go, &sb) < 0)
		usleep(50000);
	attempts("during", 0, devtty);
	printf("attempts-done\n");
	fflush(stdout);
	if (waitpid(pid, &st, 0) < 0)
		return 4;
	printf("peek: child-status=%d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	fflush(stdout);
	/* A killed prompter's entry goes when its task is freed, an RCU
	 * grace period after the reaping: the test says when it has gone. */
	snprintf(after, sizeof after, "%s.after", go);
	while (stat(after, &sb) < 0)
		usleep(50000);
	attempts("after", 0, devtty);
	/* The terminal back to a foreground group that is not ours: ptydrive
	 * copies until nothing holds it. */
	printf("after-done\n");
	fflush(stdout);
	return 0;
}
