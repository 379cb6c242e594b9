/*
 * The nosh executor: runs a parsed script, one command after another.
 * Exit statuses follow the table in nosh(1), EXIT STATUS.
 */
#ifndef NOSH_EXEC_H
#define NOSH_EXEC_H

#include "nosh/parse.h"

#define NOSH_EXIT_USAGE 2	/* syntax or usage error: nothing ran */
#define NOSH_EXIT_REDIR 124	/* redirection refused: command not run */
#define NOSH_EXIT_NOSTART 125	/* fork, capability or privilege setup failed */
#define NOSH_EXIT_NOEXEC 126	/* execve failed other than "not found" */
#define NOSH_EXIT_NOTFOUND 127	/* the program does not exist */

struct nosh_exec {
	const char *name;	/* script name, for messages */
	int errexit;		/* -e: stop at the first command that fails */
	int status;		/* status of the last command run, 0 before */
};

/* Runs the commands of s in order, printing diagnostics on stderr. Returns
 * 1 when nosh must stop (the exit built-in, or a failure under -e), 0 when
 * every command ran; ex->status then holds nosh's exit status. */
int nosh_exec_script(struct nosh_exec *ex, const struct nosh_script *s);

#endif
