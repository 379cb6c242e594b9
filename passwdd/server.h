/*
 * passwdd's server side: the settings main() builds and the worker that
 * serves one connection (worker.c).
 */
#ifndef PW_SERVER_H
#define PW_SERVER_H

#include <stddef.h>
#include <sys/types.h>

#include "libixutil/ix_config.h"
#include "libixutil/ix_log.h"
#include "libterm/streamid.h"
#include "passwdd/lockout.h"

#define PW_PROVIDERS_MAX 16

struct pw_server {
	char secrets_db[IX_PATH_MAX];	/* the secrets database */
	char socket[IX_PATH_MAX];	/* the listening socket */
	const char *cgroot;		/* cgroup v2 mount, for tags; NULL: none */
	uid_t privd_uid;		/* may ask for any identity; (uid_t)-1: none */
	uid_t sessiond_uid;		/* any identity, and tags; (uid_t)-1: none */
	struct pw_lockout_policy lock;	/* back-off and lockout */
	unsigned otp_window;		/* one-time code steps accepted either side */
	int prompt_timeout_ms;		/* how long a person has to answer */
	struct ix_stream_provider prov[PW_PROVIDERS_MAX]; /* trusted terminal providers */
	size_t nprov;			/* entries in prov */
	struct ix_log *log;		/* where events go */
	int helper;			/* shared channel to the helper (helper.h) */
};

struct pw_store;

/* Serves the one request of the accepted connection fd in this (forked)
 * process and returns the process's exit status. st and hch are this
 * process's connection to the secrets database and channel to the helper,
 * opened before the connection arrived and taken over (closed here); NULL
 * and -1: the worker opens them itself. */
int pw_worker(const struct pw_server *srv, struct pw_store *st, int hch, int fd);

#endif
