/*
 * Helpers of the confinement tests (test_confined.h).
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/libcompart/test_confined.h"

int
test_confined_run(int (*child)(const void *arg, int ready, int go), const void *arg,
		  char *status, size_t size)
{
	char path[64], c;
	int ready[2], go[2], st, fd;
	ssize_t n;
	pid_t pid;

	status[0] = '\0';
	assert_int_equal(pipe2(ready, O_CLOEXEC), 0);
	assert_int_equal(pipe2(go, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child(arg, ready[1], go[0]));
	close(ready[1]);
	close(go[0]);
	if (read(ready[0], &c, 1) == 1) {
		snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		assert_true(fd >= 0);
		n = read(fd, status, size - 1);
		close(fd);
		assert_true(n > 0);
		status[n] = '\0';
		assert_int_equal(write(go[1], "g", 1), 1);
	}
	close(go[1]);
	close(ready[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

const char *
test_status_field(const char *status, const char *name, char *out, size_t size)
{
	const char *p = strstr(status, name);
	size_t n;

	if (p == NULL)
		return "";
	p += strlen(name);
	p += strspn(p, ":\t ");
	n = strcspn(p, "\n");
	snprintf(out, size, "%.*s", (int)n, p);
	return out;
}

void
test_killed_by(int (*enter)(const void *arg), const void *arg, void (*what)(void))
{
	int st;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		if (enter(arg) < 0)
			_exit(1);
		what();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGSYS);
}
