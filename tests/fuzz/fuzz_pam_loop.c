/*
 * Fuzz target for the PAM stack reader (passwdd/pam_loop.c): the input is
 * the text of /etc/pam.d/svc in a private directory that also holds
 * "common" (loads pam_passwdd) and "plain" (does not), so includes can
 * reach both. Any input answers 1, 0 or -1 with a message; 1 only when
 * the text names pam_passwdd or could include "common"; the same input
 * always gets the same answer.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "passwdd/pam_loop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/tmp/ixkit-fuzz-pamloop-XXXXXX";

static void
cleanup(void)
{
	char path[sizeof dir + 16];

	snprintf(path, sizeof path, "%s/svc", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/common", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/plain", dir);
	unlink(path);
	rmdir(dir);
}

static void
put(const char *name, const void *text, size_t len)
{
	char path[sizeof dir + 16];
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		abort();
	close(fd);
}

/* memmem for a NUL-free needle over any bytes. */
static int
has(const uint8_t *data, size_t size, const char *s)
{
	return memmem(data, size, s, strlen(s)) != NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct ix_err e1 = { 0 }, e2 = { 0 };
	int r1, r2;

	if (!ready) {
		if (mkdtemp(dir) == NULL)
			abort();
		atexit(cleanup);
		put("common", "auth required pam_passwdd.so\n", 29);
		put("plain", "auth required pam_unix.so\n", 26);
		ready = 1;
	}
	put("svc", data, size);
	r1 = pw_pam_service_loops_at(dir, NULL, "svc", &e1);
	r2 = pw_pam_service_loops_at(dir, NULL, "svc", &e2);
	if (r1 < -1 || r1 > 1 || r1 != r2 || strcmp(e1.msg, e2.msg) != 0)
		abort();
	if (r1 < 0 && e1.msg[0] == '\0')
		abort();
	if (r1 == 1 && !has(data, size, "pam_passwdd") && !has(data, size, "common") &&
	    !has(data, size, "svc"))
		abort();
	return 0;
}
