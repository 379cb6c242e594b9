/*
 * nosh, the no-surprise shell: nosh [-en] [-c TEXT | FILE]. See nosh(1).
 *
 * main reads the whole script, parses all of it, and only then runs it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nosh/exec.h"
#include "nosh/interactive.h"

static int
usage(void)
{
	fprintf(stderr, "usage: nosh [-en] [-c text | file]\n");
	return NOSH_EXIT_USAGE;
}

/* Reads all of fd into *text (caller frees), at most NOSH_SCRIPT_MAX + 1
 * bytes so that the parser sees and rejects an oversized script. */
static int
slurp(int fd, char **text, size_t *len)
{
	size_t cap = NOSH_SCRIPT_MAX + 1;
	char *buf = malloc(cap);
	ssize_t n;

	*len = 0;
	if (buf == NULL)
		return -1;
	while (*len < cap && (n = read(fd, buf + *len, cap - *len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return -1;
		}
		*len += (size_t)n;
	}
	*text = buf;
	return 0;
}

int
main(int argc, char **argv)
{
	struct nosh_exec ex = { .name = "<stdin>" };
	const char *ctext = NULL, *file = NULL;
	int parse_only = 0, i, fd = STDIN_FILENO, rc;
	struct nosh_script s;
	struct ix_err err;
	char *text;
	size_t len;

	/* Commands inherit standard input, output and error, nothing else. */
	close_range(3, ~0U, 0);

	/* By hand rather than getopt(3), which consults POSIXLY_CORRECT. */
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'e')
				ex.errexit = 1;
			else if (*o == 'n')
				parse_only = 1;
			else if (*o == 'c' && o[1] == '\0' && i + 1 < argc && !ctext)
				ctext = argv[++i];
			else
				return usage();
			if (*o == 'c')
				break;
		}
	}
	if (i < argc)
		file = argv[i++];
	if (i < argc || (ctext && file))
		return usage();

	if (ctext == NULL && file == NULL && isatty(STDIN_FILENO))
		return nosh_interactive(&ex, parse_only);
	if (ctext) {
		ex.name = "-c";
		text = strdup(ctext);
		len = strlen(ctext);
		if (text == NULL)
			return NOSH_EXIT_USAGE;
	} else {
		if (file) {
			ex.name = file;
			fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		}
		if (fd < 0 || slurp(fd, &text, &len) < 0) {
			fprintf(stderr, "nosh: %s: %s\n", ex.name, strerror(errno));
			return NOSH_EXIT_USAGE;
		}
		if (file)
			close(fd);
	}
	rc = nosh_parse(ex.name, text, len, 1, &s, &err);
	free(text);
	if (rc < 0) {
		fprintf(stderr, "nosh: %s\n", err.msg);
		return NOSH_EXIT_USAGE;
	}
	if (!parse_only)
		nosh_exec_script(&ex, &s);
	nosh_script_free(&s);
	return ex.status;
}
