/*
 * privtree: the administrator's tool for the authorization tree.
 *
 *	privtree [options] init
 *	privtree [options] import FILE
 *	privtree [options] export
 *	privtree [options] check --user U [--src S] [--password-ok USER]... REQUEST...
 *	privtree [options] verify [--witness FILE|journal]
 *	privtree [options] dot
 *	privtree [options] config
 *	privtree [options] edit [--editor U [--editor-src S] [--editor-password USER]...]
 *	         add PATH PREDICATE RIGHTS | remove PATH | predicate PATH PRED | rights PATH RIGHTS
 *
 * Exit status: 0 done / granted / sound; 1 refused / violation found;
 * 2 usage or parse error; 3 any other error (database, system).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/ixdb.h"
#include "libauthtree/eval.h"
#include "libauthtree/store.h"
#include "libixutil/ix_config.h"
#include "libixutil/ix_log.h"

enum { EX_OK = 0, EX_REFUSED = 1, EX_USAGE = 2, EX_FAIL = 3 };

#define POLICY_FILE_MAX IX_POLICY_TEXT_MAX

struct ctx {
	struct ix_config cfg;
	struct ix_log *log;
	const char *actor;	/* who runs privtree, for the audit record */
};

static void
usage(FILE *f)
{
	fputs("usage: privtree [--db PATH] [--config FILE] [--rundir DIR] [--log DEST]\n"
	      "                [--audit-head PATH] COMMAND [ARGS]\n"
	      "commands:\n"
	      "  init                       create the database if it does not exist\n"
	      "  import FILE                replace the policy with FILE ('-' for stdin)\n"
	      "  export                     print the policy in canonical form\n"
	      "  check --user U [--src S] [--password-ok USER]... REQUEST...\n"
	      "                             decide a request without running it\n"
	      "  verify [--witness FILE|journal]\n"
	      "                             check monotonicity and the audit chain (against\n"
	      "                             the heads witnessed in FILE or the journal)\n"
	      "  dot                        print the tree for Graphviz\n"
	      "  config                     print the configuration in effect, and where\n"
	      "                             each value comes from\n"
	      "  edit [--editor U [--editor-src S] [--editor-password USER]...]\n"
	      "       add PATH PREDICATE RIGHTS | remove PATH |\n"
	      "       predicate PATH PREDICATE | rights PATH RIGHTS\n"
	      "                             one monotone edit of the tree\n"
	      "exit status: 0 granted/done/sound, 1 refused/violation, 2 usage or parse error,\n"
	      "             3 other error\n", f);
}

static int
fail(struct ix_err *e)
{
	fprintf(stderr, "privtree: %s\n", e->msg);
	return e->code == IX_EINVAL || e->code == IX_EVERSION ? EX_USAGE : EX_FAIL;
}

/* A policy file that cannot be imported (syntax, limits, monotonicity, a
 * category bit that would change) is bad input: exit 2, not 3. */
static int
fail_input(struct ix_err *e)
{
	if (e->code == IX_ELIMIT || e->code == IX_ECONFLICT || e->code == IX_EEXIST)
		e->code = IX_EINVAL;
	return fail(e);
}

/* Reads a policy file through its descriptor, bounded. */
static char *
read_policy(const char *path, size_t *len, struct ix_err *e)
{
	int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO)
					: open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	size_t cap = 65536, n = 0;
	char *buf;
	ssize_t r;

	if (fd < 0) {
		ix_err_sys(e, "cannot open %s", path);
		return NULL;
	}
	buf = malloc(cap);
	while (buf != NULL) {
		if (n == cap) {
			char *nb;

			if (cap >= POLICY_FILE_MAX) {
				ix_err_set(e, IX_ELIMIT, "%s is larger than %u bytes", path,
					   POLICY_FILE_MAX);
				goto fail;
			}
			nb = realloc(buf, cap * 2);
			if (nb == NULL)
				break;
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ix_err_sys(e, "cannot read %s", path);
			goto fail;
		}
		if (r == 0) {
			close(fd);
			*len = n;
			return buf;
		}
		n += (size_t)r;
	}
	ix_err_set(e, IX_ENOMEM, "out of memory reading %s", path);
fail:
	free(buf);
	close(fd);
	return NULL;
}

/* Opens the database; a writer's connection witnesses audit heads and
 * first brings the head file up to the chain (ixdb_audit_reconcile). A
 * head it must not repair is reported, not fatal: verify tells the rest. */
static int
open_db(struct ctx *c, unsigned flags, struct ixdb **db, struct ix_err *e)
{
	struct ixdb_reconcile rc;
	struct ix_err re;

	if (ixdb_open(c->cfg.db, flags, db, e) < 0)
		return -1;
	if (flags & IXDB_READONLY)
		return 0;
	ixdb_set_witness(*db, c->cfg.audit_witness, c->cfg.witness_every);
	if (ixdb_audit_reconcile(*db, c->cfg.audit_head, &rc, &re) < 0) {
		fprintf(stderr, "privtree: warning: %s (run privtree verify)\n", re.msg);
		ix_log_event(c->log, "audit-head", "error=%s", re.msg);
	} else if (rc.created || rc.upgraded || rc.extended > 0) {
		ix_log_event(c->log, "audit-head", "file=%s created=%d upgraded=%d from=%lld "
			     "extended=%lld", c->cfg.audit_head, rc.created, rc.upgraded,
			     (long long)rc.from, (long long)rc.extended);
	}
	return 0;
}

static int
cmd_init(struct ctx *c)
{
	struct ixdb *db;
	struct ix_err e;

	if (open_db(c, IXDB_CREATE, &db, &e) < 0)
		return fail(&e);
	printf("database %s ready (schema %d)\n", c->cfg.db, ixdb_schema_version(db));
	ixdb_close(db);
	return EX_OK;
}

/* import is where a tree is written: the host's policy_interpreters count
 * besides the built-in list; a stored tree is loaded with the built-in
 * list alone (libauthtree/splice.h). */
static int
cmd_import(struct ctx *c, const char *file)
{
	const char *interp[IX_INTERPRETERS_MAX + 1];
	const struct ix_policy_opts opts = { ix_config_interpreters(&c->cfg, interp) };
	struct ix_policy *p = NULL;
	struct ixdb *db = NULL;
	struct ix_audit_ref ref;
	struct ix_err e;
	size_t len;
	char *text = read_policy(file, &len, &e);
	int rc;

	if (text == NULL)
		return fail(&e);
	rc = ix_policy_parse(file, text, len, &opts, &p, &e);
	free(text);
	if (rc < 0)
		return fail_input(&e);
	if (open_db(c, IXDB_CREATE, &db, &e) < 0) {
		ix_policy_free(p);
		return fail(&e);
	}
	if (ix_store_save(db, p, c->actor, c->cfg.audit_head, &ref, &e) < 0) {
		ixdb_close(db);
		ix_policy_free(p);
		return fail_input(&e);
	}
	ix_log_event(c->log, "import", "actor=%s file=%s nodes=%zu rules=%zu audit_seq=%lld audit_head=%s",
		     c->actor, file, p->nnodes, p->nrules, (long long)ref.seq, ref.hex);
	printf("imported %s: %zu nodes, %zu rules into %s\n", file, p->nnodes, p->nrules, c->cfg.db);
	ix_policy_free(p);
	ixdb_close(db);
	return EX_OK;
}

static int
load(struct ctx *c, struct ixdb **db, struct ix_policy **p, struct ix_err *e)
{
	if (open_db(c, IXDB_READONLY, db, e) < 0)
		return -1;
	if (ix_store_load(*db, p, e) < 0) {
		ixdb_close(*db);
		*db = NULL;
		return -1;
	}
	return 0;
}

static int
cmd_export(struct ctx *c)
{
	struct ix_policy *p;
	struct ixdb *db;
	struct ix_err e;
	char *text;

	if (load(c, &db, &p, &e) < 0)
		return fail(&e);
	text = ix_policy_print(p, &e);
	ix_policy_free(p);
	ixdb_close(db);
	if (text == NULL)
		return fail(&e);
	fputs(text, stdout);
	free(text);
	return EX_OK;
}

struct pwctx {
	char **ok;	/* users whose password counts as verified */
	size_t nok;
};

static int
assumed_password(void *arg, const char *user, struct ix_err *err)
{
	const struct pwctx *pc = arg;
	size_t i;

	for (i = 0; i < pc->nok; i++)
		if (strcmp(pc->ok[i], user) == 0)
			return 1;
	return 0;
}

static char *
join_args(int argc, char **argv)
{
	size_t n = 1;
	int i;
	char *s;

	for (i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	s = calloc(1, n);
	if (s == NULL)
		return NULL;
	for (i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

/*
 * What kind of path a stream identifier names, as privd will judge it at
 * the request (privd(8), PRIVATE PATHS): privtree sees no process, so for
 * a pty it says what the provider must be.
 */
static const char *
path_kind(const char *src)
{
	unsigned n;
	char end;

	if (strcmp(src, "/dev/console") == 0 ||
	    (sscanf(src, "/dev/tty%u%c", &n, &end) == 1 && n >= 1 && n <= 63))
		return "private: a local console";
	if (strncmp(src, "/dev/pts/", 9) == 0 && strchr(src, '@') != NULL)
		return "private only if, at the request, every process holding the pty's "
		       "master runs the named provider under another uid than the user, "
		       "untraced, with all its input out of the user's reach; otherwise a "
		       "confirmation needs a one-time code after yes";
	if (strncmp(src, "/dev/pts/", 9) == 0)
		return "not private: no trusted provider holds the pty's master; a "
		       "confirmation needs a one-time code after yes";
	return "not a terminal: nobody can be asked to confirm; only unattended actions run";
}

static int
cmd_check(struct ctx *c, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "src", required_argument, NULL, 's' },
		{ "password-ok", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	struct pwctx pc = { NULL, 0 };
	const char *user = NULL, *src = "unknown";
	struct ix_decision d;
	struct ix_request rq;
	struct ix_policy *p;
	struct ixdb *db;
	struct ix_err e;
	char *text, *desc;
	int o, rc;
	size_t i;

	pc.ok = calloc((size_t)argc + 1, sizeof *pc.ok);
	if (pc.ok == NULL)
		return EX_FAIL;
	optind = 1;
	while ((o = getopt_long(argc, argv, "+u:s:p:", lo, NULL)) != -1) {
		switch (o) {
		case 'u': user = optarg; break;
		case 's': src = optarg; break;
		case 'p': pc.ok[pc.nok++] = optarg; break;
		default:
			free(pc.ok);
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (user == NULL || optind >= argc) {
		fprintf(stderr, "privtree: check needs --user USER and a REQUEST\n");
		free(pc.ok);
		return EX_USAGE;
	}
	text = join_args(argc - optind, argv + optind);
	if (text == NULL || load(c, &db, &p, &e) < 0) {
		free(text);
		free(pc.ok);
		return text ? fail(&e) : EX_FAIL;
	}
	memset(&rq, 0, sizeof rq);
	rq.login = user;
	rq.uid = (uid_t)-1;
	rq.src = src;
	rq.text = text;
	rq.password = assumed_password;
	rq.password_arg = &pc;
	if (ix_decide(p, &rq, &d, &e) < 0) {
		rc = fail(&e);
		goto out;
	}
	printf("%s: %s\n", d.allow ? "GRANTED" : "REFUSED", text);
	printf("  login %s, stream %s\n", user, src);
	printf("  path: %s\n", path_kind(src));
	printf("  %s\n", d.explanation);
	for (i = 0; i < d.npw; i++)
		printf("  password of %s would be asked: %s\n", d.pw[i].user,
		       d.pw[i].verified ? "assumed verified (--password-ok)"
					: "assumed NOT verified (no --password-ok for this user)");
	if (d.allow) {
		desc = ix_action_describe(d.action, p->enc, &e);
		if (desc != NULL) {
			char *line, *save = NULL;

			printf("  action%s:\n", d.unattended ? " (unattended: runs without confirmation)"
							     : " (shown to the user for confirmation)");
			for (line = strtok_r(desc, "\n", &save); line != NULL;
			     line = strtok_r(NULL, "\n", &save))
				printf("    %s\n", line);
			free(desc);
		}
	}
	rc = d.allow ? EX_OK : EX_REFUSED;
	ix_decision_free(&d);
out:
	ix_policy_free(p);
	ixdb_close(db);
	free(text);
	free(pc.ok);
	return rc;
}

/* Runs journalctl for the witnessed heads; *pid is its process. Returns
 * its output to read, or NULL with *e. */
static FILE *
open_journal(pid_t *pid, struct ix_err *e)
{
	int p[2];
	FILE *f;

	if (pipe2(p, O_CLOEXEC) < 0) {
		ix_err_sys(e, "journal: pipe");
		return NULL;
	}
	*pid = fork();
	if (*pid < 0) {
		ix_err_sys(e, "journal: fork");
		close(p[0]);
		close(p[1]);
		return NULL;
	}
	if (*pid == 0) {
		if (dup2(p[1], STDOUT_FILENO) < 0)
			_exit(127);
		/* _UID=0: the tag alone is anyone's (logger -t ixkit-audit);
		 * journald records the sender's uid itself, and heads are
		 * witnessed by privd and privtree run as root. */
		execlp("journalctl", "journalctl", "--no-pager", "-q", "-t", "ixkit-audit",
		       "_UID=0", "-o", "cat", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	f = fdopen(p[0], "r");
	if (f == NULL) {
		ix_err_sys(e, "journal");
		close(p[0]);
	}
	return f;
}

/* Checks the chain against the witnessed heads in src ("journal" or a
 * file). Returns EX_OK, EX_REFUSED (a head does not hold) or EX_FAIL. */
static int
check_witness(struct ixdb *db, const char *src)
{
	struct ixdb_witness w;
	struct ix_err e;
	pid_t pid = -1;
	int r, status = 0;
	FILE *f = strcmp(src, "journal") == 0 ? open_journal(&pid, &e) : fopen(src, "re");

	if (f == NULL) {
		if (pid < 0 && strcmp(src, "journal") != 0)
			ix_err_sys(&e, "witness %s", src);
		return fail(&e);
	}
	r = ixdb_witness_check(db, f, &w, &e);
	fclose(f);
	if (pid > 0) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "privtree: witness journal: journalctl %s (status %d); is "
				"journald running and journalctl installed?\n",
				WIFEXITED(status) && WEXITSTATUS(status) == 127 ? "could not run"
										 : "failed",
				WIFEXITED(status) ? WEXITSTATUS(status) : -1);
			return EX_FAIL;
		}
	}
	if (r < 0)
		return fail(&e);
	if (r == 1) {
		printf("audit: witness: BROKEN: %s\n", w.reason);
		return EX_REFUSED;
	}
	if (w.heads == 0)
		printf("audit: witness: %s holds no head of this database (%lld lines read)\n", src,
		       (long long)w.lines);
	else
		printf("audit: witness: %lld heads in %s, up to record %lld, all in the chain\n",
		       (long long)w.heads, src, (long long)w.latest);
	return EX_OK;
}

static const char *
head_state_name(enum ixdb_head_state s)
{
	switch (s) {
	case IXDB_HEAD_MISSING: return "missing";
	case IXDB_HEAD_EMPTY: return "empty";
	case IXDB_HEAD_OLD: return "old format, no header";
	default: return NULL;
	}
}

static void
print_sides(const struct ctx *c, const struct ixdb_verify *v)
{
	const char *st = head_state_name(v->head_state);

	printf("audit: chain: %lld records, last digest %s; the database has held %lld\n",
	       (long long)v->nrecords, v->chain_hex[0] ? v->chain_hex : "-", (long long)v->ever);
	printf("audit: head: %lld records, last digest %s (%s%s%s)\n", (long long)v->head_seq,
	       v->head_hex[0] ? v->head_hex : "-", c->cfg.audit_head, st ? ", " : "", st ? st : "");
}

static int
cmd_verify(struct ctx *c, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "witness", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	const char *witness = NULL;
	struct ixdb_verify v;
	struct ix_policy *p = NULL;
	struct ixdb *db;
	struct ix_err e;
	int rc = EX_OK, r, o;

	optind = 1;
	while ((o = getopt_long(argc, argv, "+w:", lo, NULL)) != -1) {
		if (o != 'w') {
			usage(stderr);
			return EX_USAGE;
		}
		witness = optarg;
	}
	if (optind != argc) {
		usage(stderr);
		return EX_USAGE;
	}
	if (open_db(c, IXDB_READONLY, &db, &e) < 0)
		return fail(&e);
	if (ix_store_load(db, &p, &e) < 0) {
		if (e.code != IX_ECONFLICT && e.code != IX_EINVAL) {
			ixdb_close(db);
			return fail(&e);
		}
		printf("tree: VIOLATION: %s\n", e.msg);
		rc = EX_REFUSED;
	} else {
		printf("tree: %zu nodes, %zu rules; every node's rights are dominated by its parent's\n",
		       p->nnodes, p->nrules);
		ix_policy_free(p);
	}
	r = ixdb_audit_verify(db, c->cfg.audit_head, &v, &e);
	if (r < 0) {
		ixdb_close(db);
		return fail(&e);
	}
	print_sides(c, &v);
	if (r == 1) {
		printf("audit: BROKEN: %s\n", v.reason);
		rc = EX_REFUSED;
	} else {
		printf("audit: %lld records, chain sound; head file %s at record %lld",
		       (long long)v.nrecords, c->cfg.audit_head, (long long)v.head_seq);
		if (v.head_lag > 0)
			printf(" (%lld newer records not yet in the head file: a crash or a running "
			       "writer; the next privd start or privtree write appends them)",
			       (long long)v.head_lag);
		printf("\n");
	}
	if (witness != NULL && (o = check_witness(db, witness)) != EX_OK)
		rc = o > rc ? o : rc;
	ixdb_close(db);
	/* A sound head is witnessed, so that a later cut shows against it. */
	if (rc == EX_OK && v.nrecords > 0 &&
	    ixdb_witness_write(c->cfg.audit_witness, c->cfg.db, v.id, v.nrecords, v.chain_hex, &e) < 0)
		fprintf(stderr, "privtree: warning: head not witnessed: %s\n", e.msg);
	return rc;
}

static void
dot_escape(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
}

static int
cmd_dot(struct ctx *c)
{
	struct ix_policy *p;
	struct ixdb *db;
	struct ix_err e;
	size_t i;

	if (load(c, &db, &p, &e) < 0)
		return fail(&e);
	printf("digraph authtree {\n\tnode [shape=box, fontname=\"monospace\"];\n");
	for (i = 0; i < p->nnodes; i++) {
		char *pr = ix_pred_print(p->nodes[i].pred, &e);
		char *rt = ix_rights_print(p->nodes[i].rights, &e);

		printf("\tn%zu [label=\"", i);
		dot_escape(p->nodes[i].path);
		printf("\\n");
		dot_escape(pr ? pr : "?");
		printf("\\n");
		dot_escape(rt ? rt : "?");
		printf("\"];\n");
		if (p->nodes[i].parent != IX_NO_PARENT)
			printf("\tn%zu -> n%zu;\n", p->nodes[i].parent, i);
		free(pr);
		free(rt);
	}
	printf("}\n");
	ix_policy_free(p);
	ixdb_close(db);
	return EX_OK;
}

static int
cmd_edit(struct ctx *c, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "editor", required_argument, NULL, 'u' },
		{ "editor-src", required_argument, NULL, 's' },
		{ "editor-password", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *editor = NULL, *src = "unknown";
	const char **pw = calloc((size_t)argc + 1, sizeof *pw);
	struct ix_editor ed_who;
	struct ix_audit_ref ref;
	struct ix_edit ed;
	struct ixdb *db = NULL;
	struct ix_err e;
	char desc[512];
	size_t npw = 0;
	int o, op, want, rc = EX_FAIL;

	if (pw == NULL)
		return EX_FAIL;
	optind = 1;
	while ((o = getopt_long(argc, argv, "+u:s:p:", lo, NULL)) != -1) {
		switch (o) {
		case 'u': editor = optarg; break;
		case 's': src = optarg; break;
		case 'p':
			if (npw == IX_PW_DEMANDS_MAX) {
				fprintf(stderr, "privtree: at most %d --editor-password options\n",
					IX_PW_DEMANDS_MAX);
				free(pw);
				return EX_USAGE;
			}
			pw[npw++] = optarg;
			break;
		default:
			usage(stderr);
			free(pw);
			return EX_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	op = argc > 0 ? ix_edit_op_parse(argv[0]) : -1;
	want = op == IX_EDIT_ADD ? 4 : op == IX_EDIT_REMOVE ? 2 : 3;
	if (op < 0 || argc != want) {
		fprintf(stderr, "privtree: edit needs add PATH PREDICATE RIGHTS | remove PATH |"
				" predicate PATH PREDICATE | rights PATH RIGHTS\n");
		free(pw);
		return EX_USAGE;
	}
	memset(&ed, 0, sizeof ed);
	ed.op = (enum ix_edit_op)op;
	ed.path = argv[1];
	ed.predicate = op == IX_EDIT_ADD || op == IX_EDIT_PREDICATE ? argv[2] : NULL;
	ed.rights = op == IX_EDIT_ADD ? argv[3] : op == IX_EDIT_RIGHTS ? argv[2] : NULL;
	if (open_db(c, 0, &db, &e) < 0)
		goto failed;
	snprintf(desc, sizeof desc, "owner");
	if (editor != NULL) {
		ed_who.login = editor;
		ed_who.src = src;
		ed_who.users = pw;
		ed_who.nusers = npw;
		snprintf(desc, sizeof desc, "%s@%s", editor, src);
	}
	if (ix_store_edit(db, &ed, editor ? &ed_who : NULL, c->actor, c->cfg.audit_head, &ref,
			  &e) < 0) {
		fprintf(stderr, "privtree: edit refused: %s\n", e.msg);
		rc = e.code == IX_EDENIED || e.code == IX_ECONFLICT || e.code == IX_EEXIST ||
		     e.code == IX_ENOENT ? EX_REFUSED : e.code == IX_EINVAL ? EX_USAGE : EX_FAIL;
		goto out;
	}
	ix_log_event(c->log, "edit", "actor=%s editor=%s op=%s path=%s audit_seq=%lld audit_head=%s",
		     c->actor, desc, argv[0], ed.path, (long long)ref.seq, ref.hex);
	printf("edit %s %s: done\n", argv[0], ed.path);
	rc = EX_OK;
	goto out;
failed:
	rc = fail(&e);
out:
	ixdb_close(db);
	free(pw);
	return rc;
}

/* What every program would use here: an administrator asks where the
 * database is, and a build installed under another prefix tells where it
 * reads its configuration file (scripts/demo asks exactly that). */
static int
cmd_config(struct ctx *c)
{
	const struct ix_config *g = &c->cfg;

	printf("config %s # %s%s\n", g->config_path, ix_config_source_name(g->src_config),
	       strcmp(g->config_path, "/dev/null") == 0 ? ", no file"
	       : g->config[0] == '\0' ? ", absent" : "");
	printf("db %s # %s\n", g->db, ix_config_source_name(g->src_db));
	printf("rundir %s # %s\n", g->rundir, ix_config_source_name(g->src_rundir));
	printf("log %s # %s\n", g->log, ix_config_source_name(g->src_log));
	printf("audit_head %s # %s\n", g->audit_head, ix_config_source_name(g->src_audit_head));
	printf("privd_user %s # %s\n", g->privd_user[0] ? g->privd_user : "-",
	       ix_config_source_name(g->src_privd_user));
	printf("sessiond_user %s # %s\n", g->sessiond_user[0] ? g->sessiond_user : "-",
	       ix_config_source_name(g->src_sessiond_user));
	printf("audit_witness %s # %s\n", g->audit_witness, ix_config_source_name(g->src_audit_witness));
	printf("audit_witness_every %ld # %s\n", g->witness_every,
	       ix_config_source_name(g->src_audit_witness_every));
	printf("policy_interpreters");
	for (size_t i = 0; i < g->ninterpreters; i++)
		printf("%s%s", i == 0 ? " " : ",", g->interpreters[i]);
	printf("%s # %s\n", g->ninterpreters == 0 ? " -" : "",
	       ix_config_source_name(g->src_policy_interpreters));
	return fflush(stdout) == 0 ? EX_OK : EX_FAIL;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "rundir", required_argument, NULL, 'r' },
		{ "log", required_argument, NULL, 'l' },
		{ "audit-head", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ix_config_flags fl = { 0 };
	struct passwd *pw;
	struct ctx c;
	struct ix_err e;
	const char *cmd;
	int o, rc;

	memset(&c, 0, sizeof c);
	while ((o = getopt_long(argc, argv, "+h", lo, NULL)) != -1) {
		switch (o) {
		case 'd': fl.db = optarg; break;
		case 'c': fl.config = optarg; break;
		case 'r': fl.rundir = optarg; break;
		case 'l': fl.log = optarg; break;
		case 'a': fl.audit_head = optarg; break;
		case 'h': usage(stdout); return EX_OK;
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EX_USAGE;
	}
	if (ix_config_load(&c.cfg, &fl, &e) < 0)
		return fail(&e);
	c.log = ix_log_open(c.cfg.log, "privtree", &e);
	if (c.log == NULL)
		return fail(&e);
	pw = getpwuid(getuid());
	c.actor = pw ? pw->pw_name : "?";
	umask(077);
	cmd = argv[optind];
	argc -= optind;
	argv += optind;
	if (strcmp(cmd, "init") == 0 && argc == 1)
		rc = cmd_init(&c);
	else if (strcmp(cmd, "import") == 0 && argc == 2)
		rc = cmd_import(&c, argv[1]);
	else if (strcmp(cmd, "export") == 0 && argc == 1)
		rc = cmd_export(&c);
	else if (strcmp(cmd, "check") == 0)
		rc = cmd_check(&c, argc, argv);
	else if (strcmp(cmd, "verify") == 0)
		rc = cmd_verify(&c, argc, argv);
	else if (strcmp(cmd, "dot") == 0 && argc == 1)
		rc = cmd_dot(&c);
	else if (strcmp(cmd, "config") == 0 && argc == 1)
		rc = cmd_config(&c);
	else if (strcmp(cmd, "edit") == 0)
		rc = cmd_edit(&c, argc, argv);
	else {
		fprintf(stderr, "privtree: unknown command or wrong arguments: %s\n", cmd);
		usage(stderr);
		rc = EX_USAGE;
	}
	ix_log_close(c.log);
	return rc;
}
