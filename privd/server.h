/*
 * What privd's main hands to each slot (libipc/SERVER.md), and the
 * monitor's parts: turning a decided action into steps (act.c, pure),
 * carrying out its label and edit steps (apply.c) and listing what a
 * caller may request (list.c).
 */
#ifndef PRIVD_SERVER_H
#define PRIVD_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "db/ixdb.h"
#include "libauthtree/edit.h"
#include "libauthtree/plan.h"
#include "libauthtree/policy.h"
#include "libpcopy/copy.h"
#include "libcompart/caps.h"
#include "libipc/srv.h"
#include "libixutil/ix_config.h"
#include "libixutil/ix_log.h"
#include "libterm/streamid.h"

#define PRIVD_PROVIDERS_MAX 64
#define PRIVD_WORKER_USER "ixkit-privd-worker"

struct privd_server {
	struct ix_config cfg;		/* db, rundir, log, audit head */
	struct ix_log *log;		/* one line per event */
	char passwdd[IX_PATH_MAX];	/* passwdd's socket, for PW atoms */
	char blackhole[IX_PATH_MAX];	/* cwd of every action */
	const char *action_user;	/* AS(...) when the action names none */
	int prompt_timeout_ms;		/* confirmation and password prompts */
	bool nonprivate_refuse;		/* --nonprivate refuse: no one-time-code confirmation */
	struct ix_policy *policy;	/* the tree loaded by main, complete */
	int64_t gen;			/* database generation policy was loaded at */
	struct ixdb *db;		/* main's own connection (never a slot's) */
	uid_t worker_uid;		/* the workers' user */
	gid_t worker_gid;
	struct ix_srv_limits limits;	/* main's (privd(8), LIMITS) */
};

/* An EXEC step as the monitor runs it: ix_cfexec's inputs. */
struct privd_exec {
	char *const *argv;		/* argv[0] is the absolute program path */
	char *const *envp;		/* "NAME=value", NULL-terminated */
	struct ix_ids ids;
	uint64_t caps;
	bool has_ceiling;		/* run in a compartment of this label */
	struct ix_label ceiling;
	int fds[3];			/* the client's 0, 1, 2 */
};

/* A slot of the kit (slot.c): prepares the monitor, forks the worker,
 * serves one connection. Returns its exit status. arg is the server. */
int privd_slot(void *arg, int ctl);

/* The worker (worker.c), run by the kit's prelude as the workers' user
 * with mon its socket to the monitor. Returns its exit status. */
int privd_worker_run(void *arg, int mon);

/* The worker's confinement (the kit's confine hook). */
int privd_worker_confine(void *arg, struct ix_err *err);

/*
 * One step of the plan ix_decide returned (libauthtree/plan.h), in the
 * action's order, with what the monitor observed of it: EXEC runs
 * through the context-free exec, LABEL and DOWNGRADE relabel a file
 * (opened with the client's filesystem identity), EDIT applies the
 * request's edit block to the tree.
 */
struct privd_step {
	const struct ix_step *step;	/* the plan's step, borrowed */
	size_t index;			/* its number in the plan (for the judges) */
	/* LABEL, DOWNGRADE: the file, opened and judged before confirmation
	 * (privd_step_open) so that the file shown is the file relabelled. */
	int fd;				/* O_PATH, never through a link; -1 until opened */
	uint64_t dev, ino;		/* its device and inode, for the record */
	bool labelled;			/* whether it carried a label then */
	struct ix_label before;		/* that label (bottom when unlabelled) */
	struct ix_label after;		/* the label ix_judge_label gives it */
	/* COPY, LICENSE, UNLICENSE, REQUIRE (licence.c): fd is the file (COPY:
	 * the source) open for reading, as the client could open it; its
	 * content hash as shown to the person; COPY's destination directory
	 * (dir_fd, O_RDONLY) and the name in it. */
	unsigned char hash[PC_HASH_BYTES];
	int dir_fd;			/* -1 until opened */
	char base[256];
};

/* A plan made ready to run: its steps, and for its EXEC the identity it
 * runs as. */
struct privd_act {
	struct privd_step steps[IX_ACTION_PRIMS_MAX];	/* in the action's order */
	size_t nsteps;
	const struct ix_step_exec *exec;	/* the EXEC step's inputs, or NULL */
	struct ix_ids ids;			/* AS(...) or the default action user */
	char user[IX_USER_NAME_MAX + 1];	/* its name, for the record */
};

/* Fills *out from plan (which must outlive out). Returns 0, or -1 with
 * *err: IX_EINVAL for a step this privd cannot carry out (named),
 * IX_ENOENT for an unknown user. Free with privd_act_free (which also
 * closes the files privd_step_open opened). */
int privd_act_build(const struct ix_plan *plan, const char *default_user,
		    struct privd_act *out, struct ix_err *err);
void privd_act_free(struct privd_act *a);

/* The listing of priv -l for login at src: one paragraph per rule the
 * caller may request, with its need, the nodes that can grant it and what
 * each demands (passwords). malloc'd text, or NULL with *err. */
char *privd_list(const struct ix_policy *p, const char *login, const char *src,
		 struct ix_err *err);

#endif
