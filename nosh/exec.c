/*
 * The nosh executor. A command runs in a child with an empty environment,
 * its stdout redirected if asked, and only the capabilities its line names.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nosh/exec.h"
#include "nosh/outfile.h"
#include "nosh/priv.h"

static void
say(const struct nosh_exec *ex, const struct nosh_cmd *c, const char *msg)
{
	fprintf(stderr, "nosh: %s:%u: %s\n", ex->name, c->line, msg);
}

static _Noreturn void
child(const struct nosh_exec *ex, const struct nosh_cmd *c, int fd)
{
	static char *const empty_env[] = { NULL };
	struct ix_err err;

	if (fd >= 0 && dup2(fd, STDOUT_FILENO) < 0) {
		say(ex, c, "cannot redirect standard output");
		_exit(NOSH_EXIT_REDIR);
	}
	if (nosh_priv_child(c->caps, &err) < 0) {
		say(ex, c, err.msg);
		_exit(NOSH_EXIT_NOSTART);
	}
	execve(c->argv[0], c->argv, empty_env);
	fprintf(stderr, "nosh: %s:%u: %s: %s\n", ex->name, c->line, c->argv[0],
		strerror(errno));
	_exit(errno == ENOENT ? NOSH_EXIT_NOTFOUND : NOSH_EXIT_NOEXEC);
}

static int
run(const struct nosh_exec *ex, const struct nosh_cmd *c)
{
	struct ix_err err;
	int fd = -1, ws;
	pid_t pid;

	if (c->kind == NOSH_CD) {
		if (chdir(c->argv[1]) == 0)
			return 0;
		fprintf(stderr, "nosh: %s:%u: cd: %s: %s\n", ex->name, c->line,
			c->argv[1], strerror(errno));
		return 1;
	}
	if (c->caps && nosh_priv_check(c->caps, &err) < 0) {
		say(ex, c, err.msg);
		return NOSH_EXIT_NOSTART;
	}
	if (c->out && (fd = nosh_open_out(c->out, c->append, &err)) < 0) {
		say(ex, c, err.msg);
		return NOSH_EXIT_REDIR;
	}
	pid = fork();
	if (pid == 0)
		child(ex, c, fd);
	if (fd >= 0)
		close(fd);
	if (pid < 0) {
		say(ex, c, strerror(errno));
		return NOSH_EXIT_NOSTART;
	}
	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			return NOSH_EXIT_NOSTART;
	if (WIFSIGNALED(ws)) {
		fprintf(stderr, "nosh: %s:%u: %s killed by signal %d (%s)\n", ex->name,
			c->line, c->argv[0], WTERMSIG(ws), strsignal(WTERMSIG(ws)));
		return 128 + WTERMSIG(ws);
	}
	return WEXITSTATUS(ws);
}

int
nosh_exec_script(struct nosh_exec *ex, const struct nosh_script *s)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct nosh_cmd *c = &s->cmds[i];

		if (c->kind == NOSH_EXIT) {
			if (c->exit_status >= 0)
				ex->status = c->exit_status;
			return 1;
		}
		ex->status = run(ex, c);
		if (ex->errexit && ex->status != 0) {
			fprintf(stderr, "nosh: %s:%u: -e: stopping, %s failed with "
				"status %d\n", ex->name, c->line, c->argv[0], ex->status);
			return 1;
		}
	}
	return 0;
}
