/*
 * A server worker's confinement (libcompart/workerconf.c), tried as a
 * worker taken over by a hostile client would: opening a file, making a
 * socket, signalling, forking and tracing each end the process; talking
 * on the descriptors it has still works.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "libcompart/workerconf.h"

enum attempt { TALK, OPEN, SOCKET, KILL, FORK, PTRACE, EXEC };

/* Confines a child, makes the attempt, and returns its wait status. */
static int
attempt(enum attempt what)
{
	int sv[2], st;
	pid_t pid;
	char b = 0;

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct ix_err e;

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || ix_worker_confine("test", &e) < 0)
			_exit(100);
		switch (what) {
		case TALK:
			_exit(send(sv[1], "x", 1, 0) == 1 && recv(sv[1], &b, 1, 0) == 1 && b == 'y' ? 0 : 1);
		case OPEN:
			_exit(open("/etc/hostname", O_RDONLY) >= 0 ? 2 : 3);
		case SOCKET:
			_exit(socket(AF_UNIX, SOCK_STREAM, 0) >= 0 ? 2 : 3);
		case KILL:
			_exit(kill(getppid(), 0) == 0 ? 2 : 3);
		case FORK:
			_exit(fork() >= 0 ? 2 : 3);
		case PTRACE:
			_exit(ptrace(PTRACE_ATTACH, getppid(), 0, 0) == 0 ? 2 : 3);
		case EXEC:
			execl("/bin/true", "true", (char *)NULL);
			_exit(3);
		}
		_exit(4);
	}
	close(sv[1]);
	if (what == TALK) {
		assert_int_equal(recv(sv[0], &b, 1, 0), 1);
		assert_int_equal(send(sv[0], "y", 1, 0), 1);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	close(sv[0]);
	return st;
}

static void
talking_on_its_own_sockets_works(void **state)
{
	int st = attempt(TALK);

	(void)state;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void
each_way_out_ends_the_worker(void **state)
{
	static const enum attempt outs[] = { OPEN, SOCKET, KILL, FORK, PTRACE, EXEC };

	(void)state;
	for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++) {
		int st = attempt(outs[i]);

		print_message("attempt %d: %s %d\n", (int)outs[i],
			      WIFSIGNALED(st) ? "signal" : "exit",
			      WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
#ifdef __SANITIZE_ADDRESS__
		/* The sanitizer's runtime needs openat, so a sanitizer build's
		 * filter lets it through: Landlock refuses the open instead. */
		if (outs[i] == OPEN && WIFEXITED(st) && WEXITSTATUS(st) == 3)
			continue;
#endif
		assert_true(WIFSIGNALED(st));
		assert_int_equal(WTERMSIG(st), SIGSYS);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(talking_on_its_own_sockets_works),
		cmocka_unit_test(each_way_out_ends_the_worker),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
