/*
 * Shared by the tests of a daemon's own confinement (test_pwconfine,
 * test_privconfine): a forked child that confines itself, looked at from
 * outside through /proc/PID/status, and calls that must kill.
 */
#ifndef TEST_CONFINED_H
#define TEST_CONFINED_H
#include <stddef.h>

/*
 * Forks child(arg, ready, go): it confines itself, writes one byte on
 * ready, waits for a byte on go, then tries what it should and should not
 * be able to do and returns its exit code. Between the two bytes the
 * parent copies the child's /proc/PID/status into status (size bytes).
 * Returns the child's wait status.
 */
int test_confined_run(int (*child)(const void *arg, int ready, int go), const void *arg,
		      char *status, size_t size);

/* The value of field name ("\nCapEff") in status, into out; "" when absent. */
const char *test_status_field(const char *status, const char *name, char *out, size_t size);

/* Forks a child that runs enter(arg) (0: confined) and then what(), and
 * asserts that it was killed by SIGSYS. */
void test_killed_by(int (*enter)(const void *arg), const void *arg, void (*what)(void));

#endif
