/*
 * nosh at a terminal: a prompt and line editing through libedit, with no
 * history file, no completion and no ~/.editrc (that would be a profile).
 */
#ifndef NOSH_INTERACTIVE_H
#define NOSH_INTERACTIVE_H

#include "nosh/exec.h"

/* Reads lines from the terminal on stdin until end of file or exit; each
 * line is parsed completely and then run (only parsed when parse_only).
 * Returns nosh's exit status. */
int nosh_interactive(struct nosh_exec *ex, int parse_only);

#endif
