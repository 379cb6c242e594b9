/*
 * pam_passwdd.so: the PAM auth module that hands the question "is the
 * person at this terminal USER?" to passwdd (man/pam_passwdd.8).
 *
 * It asks nothing itself: it picks the descriptor the application talks
 * to the person on, passes it with PAM_USER to passwdd through
 * pw_client_verify, and maps the verdict to a PAM code. passwdd decides
 * which prompt that descriptor deserves (a private terminal: the
 * password; anything else: a one-time code only).
 *
 * Loaded into login, su and sudo, which live long: no global state,
 * nothing allocated survives a call, every descriptor opened here is
 * closed (pw_client_verify closes its own). Only the pam_sm_* symbols are
 * exported (pam_passwdd.map).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>
#include <fcntl.h>

#define PAM_SM_AUTH
#include <security/pam_modules.h>
#include <security/pam_ext.h>

#include "passwdd/client.h"
#include "passwdd/store.h"

#ifndef IX_DEFAULT_RUNDIR
#define IX_DEFAULT_RUNDIR "/run/ixkit"
#endif

/* Compiled with -fvisibility=hidden: only these entry points are seen by
 * libpam (and pam_passwdd.map keeps everything else local). */
#define PAM_PW_EXPORT __attribute__((visibility("default")))

#define PAM_PW_DEFAULT_SOCKET IX_DEFAULT_RUNDIR "/passwdd.sock"
/* passwdd's prompt timeout (60 s by default) plus its back-off: the whole
 * verification waits for a person, so the default is generous. */
#define PAM_PW_DEFAULT_TIMEOUT 120
#define PAM_PW_TIMEOUT_MAX 3600

struct pam_pw_opts {
	const char *socket;	/* passwdd's socket; points into argv */
	int timeout_s;		/* bound on each step of the exchange */
	int debug;		/* log the chosen descriptor and the verdict */
};

/* Parses the module arguments; an unknown or malformed one is logged and
 * makes the module refuse (PAM_SERVICE_ERR): a typo in a stack must not
 * silently change where the question goes. Returns 0 or -1. */
static int
parse_opts(pam_handle_t *pamh, int argc, const char **argv, struct pam_pw_opts *o)
{
	int i;

	o->socket = PAM_PW_DEFAULT_SOCKET;
	o->timeout_s = PAM_PW_DEFAULT_TIMEOUT;
	o->debug = 0;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "debug") == 0) {
			o->debug = 1;
		} else if (strncmp(a, "socket=", 7) == 0 && a[7] == '/' &&
			   strlen(a + 7) < 108) {	/* sun_path */
			o->socket = a + 7;
		} else if (strncmp(a, "timeout=", 8) == 0) {
			char *end;
			long v;

			errno = 0;
			v = strtol(a + 8, &end, 10);
			if (errno != 0 || end == a + 8 || *end != '\0' || v < 1 ||
			    v > PAM_PW_TIMEOUT_MAX) {
				pam_syslog(pamh, LOG_ERR, "timeout= takes 1 to %d seconds: %s",
					   PAM_PW_TIMEOUT_MAX, a);
				return -1;
			}
			o->timeout_s = (int)v;
		} else {
			pam_syslog(pamh, LOG_ERR,
				   "unknown or malformed argument '%s' (socket=/PATH, timeout=S, debug)", a);
			return -1;
		}
	}
	return 0;
}

/* 1 when descriptor fd is open on a terminal whose device is rdev. */
static int
fd_is_tty(int fd, dev_t rdev)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == rdev && isatty(fd);
}

/*
 * The descriptor the application talks to the person on. PAM_TTY names
 * the terminal the application says it serves ("/dev/pts/3", "tty1");
 * it counts only when the same device is open on 0, 1 or 2, so that a
 * caller cannot point passwdd at a terminal it does not itself use (the
 * module never opens a terminal). Else fd 0 when it is a terminal; else
 * fd 0 anyway (a pipe, a socket): passwdd then accepts only a one-time
 * code over it. Returns the descriptor, or -1 when fd 0 is not open.
 */
static int
party_fd(pam_handle_t *pamh, int debug)
{
	const void *item = NULL;
	char path[PATH_MAX];
	struct stat st;
	int fd;

	if (pam_get_item(pamh, PAM_TTY, &item) == PAM_SUCCESS && item != NULL &&
	    *(const char *)item != '\0') {
		const char *tty = item;

		if (snprintf(path, sizeof path, "%s%s", tty[0] == '/' ? "" : "/dev/", tty) <
			(int)sizeof path &&
		    stat(path, &st) == 0 && S_ISCHR(st.st_mode)) {
			for (fd = 0; fd <= 2; fd++) {
				if (fd_is_tty(fd, st.st_rdev)) {
					if (debug)
						pam_syslog(pamh, LOG_DEBUG, "PAM_TTY %s is open on fd %d", tty, fd);
					return fd;
				}
			}
		}
		if (debug)
			pam_syslog(pamh, LOG_DEBUG, "PAM_TTY %s is not open on 0, 1 or 2", tty);
	}
	if (fcntl(0, F_GETFD) < 0)
		return -1;
	if (debug)
		pam_syslog(pamh, LOG_DEBUG, "fd 0 %s a terminal", isatty(0) ? "is" : "is not");
	return 0;
}

PAM_PW_EXPORT PAM_EXTERN int
pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	struct pam_pw_opts o;
	struct ix_err e = { 0 };
	const char *user = NULL;
	int fd, v;

	if (parse_opts(pamh, argc, argv, &o) < 0)
		return PAM_SERVICE_ERR;
	if (pam_get_user(pamh, &user, NULL) != PAM_SUCCESS || user == NULL || *user == '\0')
		return PAM_USER_UNKNOWN;
	/* passwdd takes names of at most PW_USER_MAX bytes; no longer name
	 * can ever be verified there. */
	if (strlen(user) > PW_USER_MAX) {
		pam_syslog(pamh, LOG_NOTICE, "user name longer than %d bytes", PW_USER_MAX);
		return PAM_USER_UNKNOWN;
	}
	fd = party_fd(pamh, o.debug);
	if (fd < 0) {
		pam_syslog(pamh, LOG_ERR, "no descriptor 0 to pass to passwdd");
		return PAM_AUTHINFO_UNAVAIL;
	}
	v = pw_client_verify(o.socket, user, fd, -1, o.timeout_s * 1000, &e);
	if (v < 0 && pw_client_busy(&e)) {
		/* A limit of passwdd(8): nothing was asked. The stack may fall
		 * back, and the person may simply try again. */
		pam_syslog(pamh, LOG_WARNING, "passwdd at %s is busy, nothing was asked: %s",
			   o.socket, e.msg);
		pam_info(pamh, "passwdd is busy; try again in a moment");
		return PAM_AUTHINFO_UNAVAIL;
	}
	if (v < 0) {
		/* Unreachable or misbehaving: let the stack fall back. */
		pam_syslog(pamh, LOG_ERR, "passwdd at %s: %s", o.socket, e.msg);
		return PAM_AUTHINFO_UNAVAIL;
	}
	if (o.debug || v != PW_VERDICT_OK)
		pam_syslog(pamh, v == PW_VERDICT_OK ? LOG_DEBUG : LOG_NOTICE, "user %s: %s",
			   user, pw_verdict_name(v));
	switch (v) {
	case PW_VERDICT_OK:
		return PAM_SUCCESS;
	case PW_VERDICT_LOCKED:
		return PAM_MAXTRIES;
	default:
		return PAM_AUTH_ERR;
	}
}

PAM_PW_EXPORT PAM_EXTERN int
pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return PAM_SUCCESS;
}
