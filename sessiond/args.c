/*
 * session's command line (args.h).
 */
#include <stdio.h>
#include <string.h>

#include "sessiond/args.h"
#include "sessiond/proto.h"

int
session_parse_args(int argc, char **argv, struct session_args *a, char *why, size_t whysize)
{
	int i;

	memset(a, 0, sizeof *a);
	for (i = 1; i < argc; i++) {
		const char *s = argv[i];

		if (strcmp(s, "--") == 0) {
			i++;
			break;
		}
		if (s[0] != '-' || s[1] == '\0')
			break;
		if (strcmp(s, "--socket") == 0) {
			if (++i == argc) {
				snprintf(why, whysize, "--socket needs a path");
				return -1;
			}
			a->socket = argv[i];
		} else if (strncmp(s, "--socket=", 9) == 0) {
			a->socket = s + 9;
		} else if (strcmp(s, "--help") == 0) {
			a->help = true;
		} else if (s[1] == '-') {
			snprintf(why, whysize, "unknown option %s", s);
			return -1;
		} else {
			for (const char *f = s + 1; *f; f++)
				switch (*f) {
				case 'a': a->admin = true; break;
				case 'l': a->list = true; break;
				case 'h': a->help = true; break;
				default:
					snprintf(why, whysize, "unknown option -%c", *f);
					return -1;
				}
		}
	}
	if (a->help)
		return 0;
	if (a->socket != NULL && a->socket[0] == '\0') {
		snprintf(why, whysize, "--socket needs a path");
		return -1;
	}
	if (a->list) {
		if (a->admin || i < argc) {
			snprintf(why, whysize, "-l takes no label, command or -a");
			return -1;
		}
		return 0;
	}
	if (i == argc) {
		snprintf(why, whysize, "no label given");
		return -1;
	}
	a->label = argv[i++];
	if (a->label[0] == '\0' || strlen(a->label) > SESSIOND_LABEL_MAX) {
		snprintf(why, whysize, "a label has 1 to %d bytes", SESSIOND_LABEL_MAX);
		return -1;
	}
	if (i == argc)
		return 0;
	if (strcmp(argv[i], "--") != 0) {
		snprintf(why, whysize, "unexpected '%s' after the label (a command follows --)",
			 argv[i]);
		return -1;
	}
	i++;
	a->ncmd = argc - i;
	if (a->ncmd < 1 || a->ncmd > SESSIOND_ARGC_MAX) {
		snprintf(why, whysize, "a command after -- has 1 to %d words", SESSIOND_ARGC_MAX);
		return -1;
	}
	a->cmd = argv + i;
	return 0;
}
