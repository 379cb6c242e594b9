/*
 * ixkit.conf: the one configuration routine every program uses.
 *
 * Precedence, per option: command-line flag > environment > file > built-in
 * default (the defaults come from configure). The file is
 *
 *	# comment
 *	key = value
 *
 * with the keys listed in ixkit.conf(5). An unknown key, a repeated key or
 * a malformed line is an error naming file:line; nothing is half-applied.
 * The path "/dev/null" (as IXKIT_CONFIG or --config) means "no file".
 */
#ifndef IX_CONFIG_H
#define IX_CONFIG_H

#include <sys/types.h>
#include "libixutil/ix_err.h"

#define IX_PATH_MAX 4096
#define IX_INTERPRETERS_MAX 64		/* names in policy_interpreters */
#define IX_INTERPRETER_NAME_MAX 64	/* bytes of one such name */

enum ix_config_source {
	IX_SRC_DEFAULT = 0,
	IX_SRC_FILE,
	IX_SRC_ENV,
	IX_SRC_FLAG,
};

struct ix_config {
	char config[IX_PATH_MAX];	/* file read, or "" when none */
	char config_path[IX_PATH_MAX];	/* file looked for (read or absent) */
	char db[IX_PATH_MAX];		/* the authorization tree database */
	char rundir[IX_PATH_MAX];	/* directory of the daemons' sockets */
	char log[IX_PATH_MAX];		/* "stderr", "syslog" or a file path */
	char audit_head[IX_PATH_MAX];	/* append-only copy of the audit chain head */
	char privd_user[IX_PATH_MAX];	/* privd's user (passwdd trusts it), or "" */
	char sessiond_user[IX_PATH_MAX]; /* sessiond's user (passwdd trusts it), or "" */
	char audit_witness[IX_PATH_MAX]; /* "syslog" or a file: where audit heads are witnessed */
	char audit_witness_every[IX_PATH_MAX]; /* text of witness_every */
	long witness_every;		/* witness every N-th audit record; 0: only at verify */
	char passwdd_failure_budget[IX_PATH_MAX]; /* passwdd's per-user budget (a
					 * number, checked by passwdd), or "" */
	char policy_interpreters[IX_PATH_MAX]; /* text of policy_interpreters, or "" */
	char interpreters[IX_INTERPRETERS_MAX][IX_INTERPRETER_NAME_MAX + 1];
					/* its names, split and checked: program
					 * names a tree's writer takes as
					 * interpreters besides the built-in list */
	size_t ninterpreters;		/* how many */
	char compartment_uids[IX_PATH_MAX]; /* text of compartment_uids, or "" */
	uid_t compart_uid_min;		/* its range, checked: the uids sealed */
	uid_t compart_uid_max;		/* compartments run as; 0, 0 when the key is
					 * set nowhere (libcompart's built-in range) */
	enum ix_config_source src_config; /* where config_path came from */
	enum ix_config_source src_db;	/* where db came from */
	enum ix_config_source src_rundir; /* where rundir came from */
	enum ix_config_source src_log;	/* where log came from */
	enum ix_config_source src_audit_head; /* where audit_head came from */
	enum ix_config_source src_privd_user;
	enum ix_config_source src_sessiond_user;
	enum ix_config_source src_audit_witness;
	enum ix_config_source src_audit_witness_every;
	enum ix_config_source src_passwdd_failure_budget;
	enum ix_config_source src_policy_interpreters;
	enum ix_config_source src_compartment_uids;
};

/* Largest audit_witness_every. */
#define IX_WITNESS_EVERY_MAX 1000000

/* Values given on the command line; NULL means "not given". */
struct ix_config_flags {
	const char *config;
	const char *db;
	const char *rundir;
	const char *log;
	const char *audit_head;
	const char *privd_user;
	const char *sessiond_user;
	const char *audit_witness;
	const char *audit_witness_every;
	const char *passwdd_failure_budget;
	const char *policy_interpreters;
	const char *compartment_uids;
};

/*
 * Fills *out from flags (may be NULL), the environment (IXKIT_CONFIG,
 * IXKIT_DB, IXKIT_RUNDIR, IXKIT_LOG, IXKIT_AUDIT_HEAD, IXKIT_PRIVD_USER,
 * IXKIT_SESSIOND_USER, IXKIT_AUDIT_WITNESS, IXKIT_AUDIT_WITNESS_EVERY), the
 * file and the defaults (the users: "", none; the witness: "syslog", every
 * 100 records). audit_witness must be "syslog" or an absolute path,
 * audit_witness_every a number 0..IX_WITNESS_EVERY_MAX (IX_EINVAL).
 * IXKIT_SESSIOND_USER, IXKIT_PASSWDD_FAILURE_BUDGET,
 * IXKIT_POLICY_INTERPRETERS, IXKIT_COMPARTMENT_UIDS), the file and the
 * defaults (the users and the budget: "", none or the program's own).
 * A missing default file is not an error; a missing file named by
 * flag or environment is. When the caller runs as root the file must be a
 * regular file owned by root and not writable by group or others (checked
 * on the open descriptor). The audit head defaults to the database path
 * with "-audit.head" appended. Returns 0, or -1 with *err set.
 */
int ix_config_load(struct ix_config *out, const struct ix_config_flags *flags,
		   struct ix_err *err);

/* The file's text (len bytes, not NUL-terminated necessarily) applied to
 * *c as source "file"; path names it in errors ("path:line:column: ...").
 * Pure: the parser ix_config_load runs, and its fuzz target. All or
 * nothing: on error *c is unchanged. Returns 0 or -1 with *err. */
int ix_config_parse(struct ix_config *c, const char *path, const char *text, size_t len,
		    struct ix_err *err);

/* The names of policy_interpreters as a NULL-terminated list in out,
 * pointing into c (valid while c is); returns out. Empty when the key is
 * set nowhere. The value's syntax, checked wherever it comes from (file,
 * environment or flag; an error names where, the key and the name, code
 * IX_EINVAL):
 *
 *	value	= sep* name (sep+ name)* sep*
 *	sep	= " " | "\t" | ","
 *	name	= [A-Za-z0-9._+-]{1,64}, not "." or ".."   (a program's
 *		  name, the last component of its path)
 *
 * with at most IX_INTERPRETERS_MAX names. */
const char **ix_config_interpreters(const struct ix_config *c,
				    const char *out[IX_INTERPRETERS_MAX + 1]);

/* compartment_uids: the value's syntax, checked wherever it comes from
 * (an error names where and the key, code IX_EINVAL):
 *
 *	value	= uid "-" uid		MIN-MAX, both included, MIN <= MAX
 *	uid	= [0-9]{1,10}		from 1 to IX_CONFIG_UID_TOP
 *
 * The range is libcompart's to use (compart_uid.h): uid 0 can never be in
 * it, nor (uid_t)-1 and (uid_t)-2. */
#define IX_CONFIG_UID_TOP 4294967293u

/* "default", "file", "environment" or "flag". */
const char *ix_config_source_name(enum ix_config_source s);

#endif
