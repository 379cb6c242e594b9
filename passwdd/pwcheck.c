/*
 * pwcheck: asks passwdd to verify that the person at this program's
 * standard input is USER (passwdd(8)).
 *
 *	pwcheck [--socket PATH] [--rundir DIR] [--timeout S] USER
 *
 * Exit status: 0 verified; 1 authentication failed or locked; 2 usage;
 * 3 passwdd could not be asked (not running, protocol or system error);
 * 4 passwdd is busy (a limit of passwdd(8)): nothing was asked, try again.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libixutil/ix_config.h"
#include "passwdd/client.h"

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 'S' },
		{ "rundir", required_argument, NULL, 'r' },
		{ "config", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct ix_config_flags fl = { 0 };
	struct ix_config cfg;
	char sockpath[IX_PATH_MAX];
	const char *sock = NULL;
	int c, v, timeout_s = 120;
	struct ix_err e;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'S': sock = optarg; break;
		case 'r': fl.rundir = optarg; break;
		case 'c': fl.config = optarg; break;
		case 't':
			timeout_s = atoi(optarg);
			if (timeout_s <= 0 || timeout_s > 3600) {
				fputs("pwcheck: --timeout takes 1 to 3600 seconds\n", stderr);
				return 2;
			}
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1)
		goto usage;
	if (sock == NULL) {
		if (ix_config_load(&cfg, &fl, &e) < 0) {
			fprintf(stderr, "pwcheck: %s\n", e.msg);
			return 2;
		}
		snprintf(sockpath, sizeof sockpath, "%s/passwdd.sock", cfg.rundir);
		sock = sockpath;
	}
	v = pw_client_verify(sock, argv[optind], STDIN_FILENO, -1, timeout_s * 1000, &e);
	if (v < 0 && pw_client_busy(&e)) {
		fprintf(stderr, "pwcheck: passwdd is busy, nothing was asked; try again (%s)\n", e.msg);
		return 4;
	}
	if (v < 0) {
		fprintf(stderr, "pwcheck: %s\n", e.msg);
		return e.code == IX_EINVAL && strstr(e.msg, "user name") != NULL ? 2 : 3;
	}
	if (v != PW_VERDICT_OK) {
		fprintf(stderr, "pwcheck: %s\n", pw_verdict_name(v));
		return 1;
	}
	return 0;
usage:
	fputs("usage: pwcheck [--socket PATH] [--rundir DIR] [--timeout S] USER\n", stderr);
	return 2;
}
