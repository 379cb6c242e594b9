/*
 * Fuzz target for session's command line (sessiond/args.c), the client's
 * parse of what a user types.
 *
 * Input: the arguments after argv[0], separated by NUL bytes (an empty
 * input is no argument; at most 128). Beyond not crashing, an accepted
 * command line keeps the parser's promises: -l with no label, command or
 * -a; otherwise a label of 1 to SESSIOND_LABEL_MAX bytes and either no
 * command or 1 to SESSIOND_ARGC_MAX words taken from argv; a --socket
 * that is not empty. With -h nothing else is checked (session prints its
 * usage and exits 0). A refusal says why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sessiond/args.h"
#include "sessiond/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ARGS_MAX 128

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[1 << 16];
	char *argv[ARGS_MAX + 2], why[256] = "";
	struct session_args a;
	int argc = 1;

	if (size >= sizeof buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = (char *)"session";
	for (size_t i = 0; size > 0 && i <= size && argc <= ARGS_MAX; i += strlen(buf + i) + 1)
		argv[argc++] = buf + i;
	argv[argc] = NULL;
	if (session_parse_args(argc, argv, &a, why, sizeof why) < 0) {
		if (why[0] == '\0' || strnlen(why, sizeof why) == sizeof why)
			abort();
		return 0;
	}
	if (a.help)	/* -h wins: nothing else is looked at */
		return 0;
	if (a.socket != NULL && a.socket[0] == '\0')
		abort();
	if (a.list) {
		if (a.admin || a.label != NULL || a.ncmd != 0 || a.cmd != NULL)
			abort();
		return 0;
	}
	if (a.label == NULL || a.label[0] == '\0' || strlen(a.label) > SESSIOND_LABEL_MAX)
		abort();
	if ((a.cmd == NULL) != (a.ncmd == 0) || a.ncmd < 0 || a.ncmd > SESSIOND_ARGC_MAX ||
	    (a.cmd != NULL && (a.cmd < argv + 1 || a.cmd + a.ncmd > argv + argc)))
		abort();
	return 0;
}
