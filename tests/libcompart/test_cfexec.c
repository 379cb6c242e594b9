/*
 * Context-free execution into a run group (libcompart/cfexec.c), as privd
 * starts every unlabelled action: the child is born in the group (nothing
 * of the program runs outside it), with the identity given; a failed exec
 * is reported with its step and leaves the group empty; the caller's memory
 * is untouched by children that shared it until their exec.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "libcompart/cfexec.h"
#include "libcompart/rungroup.h"

static char hole[64], group[IX_COMPART_NAME_MAX + 1];

static int
setup(void **state)
{
	struct ix_err e;
	char dir[] = "/tmp/ixkit-cfexec-XXXXXX";

	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(hole, sizeof hole, "%s/hole", dir);
	snprintf(group, sizeof group, "test-cfexec-%d", (int)getpid());
	if (ix_blackhole(hole, &e) < 0) {
		fprintf(stderr, "black hole: %s\n", e.msg);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	char dir[64];

	(void)state;
	ix_rungroup_end(group, 2000, &(struct ix_err){ 0 });
	rmdir(hole);
	snprintf(dir, sizeof dir, "%s", hole);
	*strrchr(dir, '/') = '\0';
	rmdir(dir);
	return 0;
}

/* Runs argv in the run group as uid/gid 65534, its stdout into out.
 * Returns ix_cfexec_start's result; *status is the exit status. */
static int
run(char *const *argv, char *out, size_t size, int *status, struct ix_err *e)
{
	struct ix_cfexec s = { 0 };
	int pfd[2], cg, pidfd, r;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	assert_int_equal(pipe2(pfd, O_CLOEXEC), 0);
	cg = ix_rungroup_create(group, e);
	assert_true(cg >= 0);
	s.path = argv[0];
	s.argv = argv;
	s.fds[0] = s.fds[2] = -1;
	s.fds[1] = pfd[1];
	s.ids = (struct ix_ids){ .uid = 65534, .gid = 65534 };
	s.blackhole = hole;
	s.in_cgroup = true;
	s.cgroup = cg;
	r = ix_cfexec_start(&s, &pid, &pidfd, e);
	close(cg);
	close(pfd[1]);
	while (len + 1 < size && (n = read(pfd[0], out + len, size - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(pfd[0]);
	if (r == 0) {
		assert_int_equal(waitpid(pid, status, 0), pid);
		close(pidfd);
	}
	return r;
}

static void
born_in_its_run_group(void **state)
{
	char out[4096], want[128];
	struct ix_err e;
	int st;

	(void)state;
	assert_int_equal(run((char *[]){ "/bin/cat", "/proc/self/cgroup", NULL }, out, sizeof out,
			     &st, &e), 0);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	snprintf(want, sizeof want, "/%s/%s\n", IX_RUNGROUP_PARENT, group);
	if (strstr(out, want) == NULL)
		fail_msg("the child's cgroup is %s, not in %s", out, want);
}

static void
runs_as_the_identity_given(void **state)
{
	char out[64];
	struct ix_err e;
	int st;

	(void)state;
	assert_int_equal(run((char *[]){ "/usr/bin/id", "-u", NULL }, out, sizeof out, &st, &e), 0);
	assert_string_equal(out, "65534\n");
}

static void
failed_exec_names_its_step_and_leaves_the_group_empty(void **state)
{
	char out[64], mnt[256], procs[512];
	struct ix_err e;
	int st, fd;
	ssize_t n;

	(void)state;
	assert_int_equal(run((char *[]){ "/nonexistent/ixkit-program", NULL }, out, sizeof out, &st,
			     &e), -1);
	assert_non_null(strstr(e.msg, "execve"));
	assert_int_equal(ix_cgroup2_mount(mnt, sizeof mnt, &e), 0);
	snprintf(procs, sizeof procs, "%s/%s/%s/cgroup.procs", mnt, IX_RUNGROUP_PARENT, group);
	assert_true((fd = open(procs, O_RDONLY | O_CLOEXEC)) >= 0);
	n = read(fd, out, sizeof out);
	close(fd);
	assert_int_equal(n, 0);
}

/* Children that share the caller's memory until their exec (the fast path)
 * must leave it as it was: a guard value on the heap and the caller's own
 * stack survive many starts, successful and failed. */
static void
caller_memory_survives_many_starts(void **state)
{
	volatile unsigned long guard = 0x1c0ffee5ul;
	unsigned long *heap = malloc(64 * sizeof *heap);
	char out[16];
	struct ix_err e;
	int st;

	(void)state;
	assert_non_null(heap);
	for (int i = 0; i < 64; i++)
		heap[i] = (unsigned long)i * 2654435761ul;
	for (int i = 0; i < 200; i++) {
		if (i % 10 == 9)
			assert_int_equal(run((char *[]){ "/nonexistent/x", NULL }, out, sizeof out, &st, &e),
					 -1);
		else {
			assert_int_equal(run((char *[]){ "/bin/true", NULL }, out, sizeof out, &st, &e), 0);
			assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		}
	}
	assert_true(guard == 0x1c0ffee5ul);
	for (int i = 0; i < 64; i++)
		assert_true(heap[i] == (unsigned long)i * 2654435761ul);
	free(heap);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(born_in_its_run_group),
		cmocka_unit_test(runs_as_the_identity_given),
		cmocka_unit_test(failed_exec_names_its_step_and_leaves_the_group_empty),
		cmocka_unit_test(caller_memory_survives_many_starts),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
