/*
 * The nosh script parser: text in, a list of commands out, nothing run.
 *
 * The grammar and the state table it is coded from are in nosh/GRAMMAR.md.
 * The parser never prints and never exits: the first error stops it and is
 * returned as "NAME:LINE:COLUMN: message" in a struct ix_err, so that a
 * script with a mistake anywhere runs nothing.
 */
#ifndef NOSH_PARSE_H
#define NOSH_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "libixutil/ix_err.h"

#define NOSH_SCRIPT_MAX (1u << 20)	/* bytes in one script */
#define NOSH_WORD_MAX 65536u		/* bytes in one word */
#define NOSH_ARGS_MAX 4096u		/* words in one command */
#define NOSH_CMDS_MAX 65536u		/* commands in one script */

enum nosh_kind {
	NOSH_RUN,	/* execute argv[0] */
	NOSH_CD,	/* built-in cd: argv[1] is the directory */
	NOSH_EXIT,	/* built-in exit: status in exit_status, or -1 */
};

struct nosh_cmd {
	enum nosh_kind kind;	/* what to do */
	unsigned line;		/* 1-based line of the command, for messages */
	char **argv;		/* NULL-terminated; argv[0] is the program path */
	size_t argc;		/* words in argv */
	uint64_t caps;		/* bit n: capability n requested by the + prefix */
	char *out;		/* stdout redirection target, or NULL */
	int append;		/* 1 for >>, 0 for > */
	int exit_status;	/* NOSH_EXIT: 0..255, or -1 for "last status" */
};

struct nosh_script {
	struct nosh_cmd *cmds;	/* in script order; owned by the script */
	size_t n;		/* number of commands */
};

/* Parses len bytes of text (a whole script, which need not end in a newline)
 * named name in messages. On success fills *out, which the caller frees with
 * nosh_script_free, and returns 0. On error returns -1 with err set and *out
 * empty. first_line is the number given to the first line (interactive mode
 * counts lines across inputs). */
int nosh_parse(const char *name, const char *text, size_t len,
	       unsigned first_line, struct nosh_script *out, struct ix_err *err);

/* Frees what nosh_parse stored in s and empties it; s may be NULL. */
void nosh_script_free(struct nosh_script *s);

#endif
