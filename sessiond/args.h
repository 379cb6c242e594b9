/*
 * session's command line, parsed without getopt's global state so that
 * the parse is a pure function (tests/sessiond/test_sessiond.c):
 *
 *	session [-a] [--socket PATH] LABEL [-- CMD [ARG...]]
 *	session -l [--socket PATH]
 *	session -h
 */
#ifndef SESSIOND_ARGS_H
#define SESSIOND_ARGS_H

#include <stdbool.h>
#include <stddef.h>

struct session_args {
	bool admin;		/* -a: an administrator session */
	bool list;		/* -l: list the caller's live sessions */
	bool help;		/* -h, --help */
	const char *socket;	/* --socket PATH, or NULL: the run directory's */
	const char *label;	/* the label asked for (borrowed from argv) */
	char **cmd;		/* the command after "--" (borrowed), or NULL: the shell */
	int ncmd;		/* its words, 0 when cmd is NULL */
};

/*
 * Parses argv[1..argc-1] into *a. Returns 0, or -1 with the reason in why
 * (whysize bytes): the caller prints it with the usage and exits 2.
 */
int session_parse_args(int argc, char **argv, struct session_args *a, char *why,
		       size_t whysize);

#endif
