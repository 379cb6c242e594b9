/* passwdd/tags.c: finding a client's session (pidfd -> pid -> cgroup id)
 * and asking the tag table with it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <sodium.h>

#include "tests/passwdd/test_pw_util.h"
#include "passwdd/tags.h"

static int
pidfd_of(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* Where cgroup v2 is mounted: /sys/fs/cgroup, or /sys/fs/cgroup/unified
 * on a hybrid host (passwdd itself asks /proc/self/mountinfo). */
static const char *
cgroot(void)
{
	struct statfs sf;

	if (statfs("/sys/fs/cgroup", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC)
		return "/sys/fs/cgroup";
	assert_int_equal(statfs("/sys/fs/cgroup/unified", &sf), 0);
	assert_true(sf.f_type == CGROUP2_SUPER_MAGIC);
	return "/sys/fs/cgroup/unified";
}

/* The inode of our own cgroup directory, found independently. */
static uint64_t
own_cgroup(void)
{
	char line[4096], path[4200];
	struct stat sb;
	FILE *f = fopen("/proc/self/cgroup", "r");

	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL && strncmp(line, "0::/", 4) != 0)
		;
	fclose(f);
	assert_memory_equal(line, "0::/", 4);
	line[strcspn(line, "\n")] = '\0';
	snprintf(path, sizeof path, "%s%s", cgroot(), line + 3);
	assert_int_equal(stat(path, &sb), 0);
	return (uint64_t)sb.st_ino;
}

static void
pidfd_pid_names_the_process_or_refuses_other_fds(void **state)
{
	struct ix_err e;
	int fd = pidfd_of(getpid());

	assert_true(fd >= 0);
	assert_int_equal(pw_pidfd_pid(fd, &e), getpid());
	close(fd);
	assert_int_equal(pw_pidfd_pid(STDERR_FILENO, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
}

static void
pidfd_pid_of_exited_process_is_zero(void **state)
{
	struct ix_err e;
	pid_t pid = fork();
	int fd, st;

	if (pid == 0)
		_exit(0);
	fd = pidfd_of(pid);
	assert_true(fd >= 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(pw_pidfd_pid(fd, &e), 0);
	close(fd);
}

static void
client_cgroup_is_the_cgroup_directory_inode(void **state)
{
	struct ix_err e;
	uint64_t id = 0;
	int fd = pidfd_of(getpid());

	assert_int_equal(pw_client_cgroup(fd, getpid(), cgroot(), &id, &e), 0);
	assert_int_equal(id, own_cgroup());
	/* A wrong cgroup root finds no such directory. */
	assert_int_equal(pw_client_cgroup(fd, getpid(), "/nonexistent", &id, &e), -1);
	close(fd);
}

static void
exited_client_has_no_cgroup(void **state)
{
	struct ix_err e;
	uint64_t id;
	pid_t pid = fork();
	int fd, st;

	if (pid == 0)
		_exit(0);
	fd = pidfd_of(pid);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(pw_client_cgroup(fd, pid, cgroot(), &id, &e), -1);
	assert_int_equal(e.code, IX_ENOENT);
	close(fd);
}

static void
tag_covers_only_its_cgroup_identities_until_expiry(void **state)
{
	struct pw_fx *f = *state;
	const char *ids[] = { "root" };
	uint8_t tok[PW_TAG_TOKEN_LEN];
	struct ix_err e;
	int fd = pidfd_of(getpid());

	randombytes_buf(tok, sizeof tok);
	assert_int_equal(pw_tag_covers(f->st, fd, getpid(), cgroot(), "root", 100, &e), 0);
	assert_int_equal(pw_store_tag_add(f->st, own_cgroup(), tok, ids, 1, 200, &e), 0);
	assert_int_equal(pw_tag_covers(f->st, fd, getpid(), cgroot(), "root", 100, &e), 1);
	assert_int_equal(pw_tag_covers(f->st, fd, getpid(), cgroot(), "alice", 100, &e), 0);
	assert_int_equal(pw_store_tag_add(f->st, own_cgroup() + 1, tok, ids, 1, 200, &e), 0);
	assert_int_equal(pw_store_tag_remove(f->st, own_cgroup(), tok, &e), 1);
	/* A tag of another cgroup does not cover us. */
	assert_int_equal(pw_tag_covers(f->st, fd, getpid(), cgroot(), "root", 100, &e), 0);
	assert_int_equal(pw_store_tag_add(f->st, own_cgroup(), tok, ids, 1, 200, &e), 0);
	/* Expired at 200, and dropped from the table. */
	assert_int_equal(pw_tag_covers(f->st, fd, getpid(), cgroot(), "root", 200, &e), 0);
	assert_int_equal(pw_store_tag_remove(f->st, own_cgroup(), tok, &e), 0);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pidfd_pid_names_the_process_or_refuses_other_fds),
		cmocka_unit_test(pidfd_pid_of_exited_process_is_zero),
		cmocka_unit_test(client_cgroup_is_the_cgroup_directory_inode),
		cmocka_unit_test(exited_client_has_no_cgroup),
		cmocka_unit_test_setup_teardown(tag_covers_only_its_cgroup_identities_until_expiry,
						pw_fx_setup, pw_fx_teardown),
	};

	if (sodium_init() < 0)
		return 1;
	umask(077);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
