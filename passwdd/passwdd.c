/*
 * passwdd: the password server (passwdd(8)). Its main is daemon.c's,
 * served by the production worker (worker.c); the compromised-worker test
 * builds the same daemon with a worker of its own
 * (tests/passwdd/pwforged.c), so this binary has no test hook.
 */
#include "passwdd/server.h"

int
main(int argc, char **argv)
{
	return pw_daemon(argc, argv, pw_worker_run);
}
