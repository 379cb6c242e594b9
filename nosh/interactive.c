/*
 * The interactive front end. Each line is a script of its own: a syntax
 * error runs nothing of that line and the session goes on.
 */
#include <histedit.h>
#include <stdio.h>
#include <unistd.h>

#include "nosh/interactive.h"

static char *
prompt(EditLine *el)
{
	return geteuid() == 0 ? "nosh# " : "nosh$ ";
}

int
nosh_interactive(struct nosh_exec *ex, int parse_only)
{
	EditLine *el = el_init("nosh", stdin, stdout, stderr);
	unsigned line = 1;
	const char *text;
	int len;

	if (el == NULL) {
		fprintf(stderr, "nosh: cannot start line editing\n");
		return NOSH_EXIT_USAGE;
	}
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_PROMPT, prompt);
	/* Tab is a character, not a file name completion. */
	el_set(el, EL_BIND, "^I", "ed-insert", NULL);
	while ((text = el_gets(el, &len)) != NULL) {
		struct nosh_script s;
		struct ix_err err;

		if (nosh_parse(ex->name, text, (size_t)len, line++, &s, &err) < 0) {
			fprintf(stderr, "nosh: %s\n", err.msg);
			ex->status = NOSH_EXIT_USAGE;
			continue;
		}
		if (!parse_only && nosh_exec_script(ex, &s)) {
			nosh_script_free(&s);
			break;
		}
		nosh_script_free(&s);
	}
	el_end(el);
	return ex->status;
}
