/*
 * What privd's main hands to each forked worker, and the worker's parts:
 * turning a decided action into a context-free exec (act.c) and listing
 * what a caller may request (list.c).
 */
#ifndef PRIVD_SERVER_H
#define PRIVD_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "libauthtree/policy.h"
#include "libcompart/caps.h"
#include "libcompart/streamid.h"
#include "libixutil/ix_config.h"
#include "libixutil/ix_log.h"

#define PRIVD_PROVIDERS_MAX 64

struct privd_server {
	struct ix_config cfg;		/* db, rundir, log, audit head */
	struct ix_log *log;		/* one line per event */
	char passwdd[IX_PATH_MAX];	/* passwdd's socket, for PW atoms */
	char blackhole[IX_PATH_MAX];	/* cwd of every action */
	const char *action_user;	/* AS(...) when the action names none */
	int prompt_timeout_ms;		/* confirmation and password prompts */
	struct ix_policy *policy;	/* the tree loaded by main, complete */
	int64_t gen;			/* database generation policy was loaded at */
};

/* Serves one connection (in its own process) and returns its exit status:
 * 0 when the conversation ended normally, 1 otherwise. */
int privd_worker(const struct privd_server *srv, int fd);

/* A decided action made ready for ix_cfexec_start. Only EXEC with PRIV,
 * AS, ENV and CEILING is carried out so far; LABEL, DOWNGRADE, EDIT, COPY
 * and LICENSE are refused by privd_act_build (the extension point). */
struct privd_act {
	char *argv[IX_ACTION_ARGS_MAX + 1];	/* borrowed from the action; NULL-terminated */
	char *envp[IX_ACTION_PRIMS_MAX + 1];	/* "NAME=value", owned; NULL-terminated */
	size_t nenv;
	struct ix_ids ids;			/* AS(...) or the default action user */
	char user[IX_USER_NAME_MAX + 1];	/* its name, for the record */
	uint64_t caps;				/* exactly PRIV(...) */
	bool has_ceiling;			/* CEILING(...) given: run in a compartment */
	struct ix_label ceiling;		/* its label */
};

/* Fills *out from a (which must outlive out). Returns 0, or -1 with *err:
 * IX_EINVAL for an action this privd cannot carry out (named), IX_ENOENT
 * for an unknown user. Free with privd_act_free. */
int privd_act_build(const struct ix_action *a, const char *default_user,
		    struct privd_act *out, struct ix_err *err);
void privd_act_free(struct privd_act *a);

/* The listing of priv -l for login at src: one paragraph per rule the
 * caller may request, with its need, the nodes that can grant it and what
 * each demands (passwords). malloc'd text, or NULL with *err. */
char *privd_list(const struct ix_policy *p, const char *login, const char *src,
		 struct ix_err *err);

#endif
