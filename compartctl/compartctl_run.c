/*
 * compartctl run: start one command in a compartment through the
 * context-free exec routine, wait for it, and remove the compartment it
 * created for the run.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compartctl/compartctl.h"
#include "libcompart/cfexec.h"
#include "libcompart/compart.h"
#include "libcompart/flabel_index.h"

#define RUN_LIST_MAX 64
#define SAFE_PATH "/usr/local/bin:/usr/bin:/bin"
#define SAFE_PATH_ROOT "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct run_opts {
	const char *label, *ceiling, *compart, *user, *caps;
	bool seal;
	const char *writable[RUN_LIST_MAX];
	size_t nwritable;
	char *env[RUN_LIST_MAX + 3];
	size_t nenv;
};

static volatile sig_atomic_t child_pidfd = -1;

/* Termination requests go on to the command; compartctl itself waits. */
static void
forward(int sig)
{
	if (child_pidfd >= 0)
		syscall(SYS_pidfd_send_signal, (int)child_pidfd, sig, NULL, 0);
}

static int
parse(int argc, char **argv, struct run_opts *o)
{
	static const struct option lo[] = {
		{ "label", required_argument, NULL, 'l' }, { "ceiling", required_argument, NULL, 'c' },
		{ "seal", no_argument, NULL, 's' }, { "compartment", required_argument, NULL, 'C' },
		{ "user", required_argument, NULL, 'u' }, { "caps", required_argument, NULL, 'k' },
		{ "write", required_argument, NULL, 'w' }, { "env", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* 0: GNU getopt reinitialises its permutation state */
	while ((c = getopt_long(argc, argv, "+", lo, NULL)) != -1) {
		switch (c) {
		case 'l': o->label = optarg; break;
		case 'c': o->ceiling = optarg; break;
		case 's': o->seal = true; break;
		case 'C': o->compart = optarg; break;
		case 'u': o->user = optarg; break;
		case 'k': o->caps = optarg; break;
		case 'w':
			if (o->nwritable == RUN_LIST_MAX || optarg[0] != '/') {
				fprintf(stderr, "compartctl: --write takes up to %d absolute paths\n", RUN_LIST_MAX);
				return -1;
			}
			o->writable[o->nwritable++] = optarg;
			break;
		case 'e':
			if (o->nenv == RUN_LIST_MAX || !strchr(optarg, '=') || optarg[0] == '=') {
				fprintf(stderr, "compartctl: --env takes up to %d NAME=VALUE\n", RUN_LIST_MAX);
				return -1;
			}
			o->env[o->nenv++] = optarg;
			break;
		default: return -1;
		}
	}
	if (optind >= argc || (!o->label == !o->compart) ||
	    (o->compart && (o->ceiling || o->seal))) {
		fputs("compartctl: usage: run (--label L [--ceiling C] [--seal] | --compartment NAME) "
		      "[--user U] [--caps LIST] [--write PATH]... [--env NAME=VALUE]... -- CMD [ARG...]\n",
		      stderr);
		return -1;
	}
	return optind;
}

/* An absolute program path: given, or found on the fixed search path. */
static int
resolve(const char *cmd, bool root, char *out, size_t size)
{
	char path[] = SAFE_PATH_ROOT, *dir, *save = NULL;

	if (strchr(cmd, '/'))
		return realpath(cmd, out) ? 0 : -1;
	for (dir = strtok_r(root ? path : strcpy(path, SAFE_PATH), ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		if (snprintf(out, size, "%s/%s", dir, cmd) < (int)size && access(out, X_OK) == 0)
			return 0;
	}
	errno = ENOENT;
	return -1;
}

static int
ids_for(const char *user, struct ix_ids *ids)
{
	struct passwd *pw = user ? getpwnam(user) : getpwuid(getuid());
	int n = IX_CAPS_MAX_GROUPS;

	if (!pw) {
		fprintf(stderr, "compartctl: no user '%s'\n", user ? user : "(caller)");
		return -1;
	}
	ids->uid = pw->pw_uid;
	ids->gid = pw->pw_gid;
	if (getgrouplist(pw->pw_name, pw->pw_gid, ids->groups, &n) < 0) {
		fprintf(stderr, "compartctl: %s is in more than %d groups\n", pw->pw_name, IX_CAPS_MAX_GROUPS);
		return -1;
	}
	ids->ngroups = (size_t)n;
	return 0;
}

/* --user root is refused where the compartment is sealed: started by
 * root without --user, a command runs as the compartment's own uid, and
 * asking for root by name would be asking for what the seal rules out. */
static int
refuse_root(const struct run_opts *o, const struct ix_ids *ids)
{
	struct ix_compart comp;
	struct ix_err e;
	bool sealed = o->seal;

	if (!o->user || ids->uid != 0)
		return 0;
	/* A compartment that cannot be read is reported by the run itself. */
	if (o->compart && ix_compart_get(o->compart, &comp, &e) == 0)
		sealed = comp.flags & IX_TASK_SEALED;
	if (!sealed)
		return 0;
	fprintf(stderr, "compartctl: --user %s: a sealed compartment never runs as root (started "
		"by root without --user, a command runs as the compartment's own uid)\n", o->user);
	return -1;
}

static int
caps_for(const char *list, uint64_t *out)
{
	char buf[1024], *name, *save = NULL;

	*out = 0;
	if (!list || !*list)
		return 0;
	if (snprintf(buf, sizeof buf, "%s", list) >= (int)sizeof buf)
		return -1;
	for (name = strtok_r(buf, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		cap_value_t v;
		if (cap_from_name(name, &v) < 0 || v < 0 || v > 63) {
			fprintf(stderr, "compartctl: unknown capability '%s'\n", name);
			return -1;
		}
		*out |= 1ull << v;
	}
	return 0;
}

static int
make_compart(struct cc *c, const struct run_opts *o, char *name, struct ix_err *e)
{
	struct ix_compart comp = { 0 };
	const struct ix_uid_range uids = { c->cfg.compart_uid_min, c->cfg.compart_uid_max };

	snprintf(comp.name, sizeof comp.name, "run-%d", (int)getpid());
	comp.flags = o->seal ? IX_TASK_SEALED : 0;
	if (cc_parse_label(c, o->label, &comp.label, e) < 0 ||
	    cc_parse_label(c, o->ceiling ? o->ceiling : o->label, &comp.ceiling, e) < 0 ||
	    ix_compart_create_uids(&comp, &uids, e) < 0)
		return -1;
	strcpy(name, comp.name);
	return 0;
}

static int
wait_child(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return CC_RUN_ERROR;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int
cc_run(struct cc *c, int argc, char **argv)
{
	struct run_opts o = { 0 };
	struct ix_cfexec spec = { 0 };
	struct ix_labelled_file *files = NULL;
	char prog[4096], hole[4096], made[IX_COMPART_NAME_MAX + 1] = "";
	size_t nfiles = 0, stale = 0;
	struct sigaction sa = { .sa_handler = forward };
	struct ix_err e = { 0 };
	int first, pidfd, rc = CC_RUN_ERROR;
	pid_t pid;

	if ((first = parse(argc, argv, &o)) < 0)
		return CC_USAGE;
	if (geteuid() != 0) {
		fputs("compartctl: run needs root: it creates compartments and sets identities and capabilities\n",
		      stderr);
		return CC_RUN_ERROR;
	}
	if (ids_for(o.user, &spec.ids) < 0 || refuse_root(&o, &spec.ids) < 0 ||
	    caps_for(o.caps, &spec.caps) < 0)
		return CC_RUN_ERROR;
	if (resolve(argv[first], spec.ids.uid == 0, prog, sizeof prog) < 0) {
		fprintf(stderr, "compartctl: %s: %s\n", argv[first], strerror(errno));
		return CC_RUN_NOTFOUND;
	}
	o.env[o.nenv++] = spec.ids.uid == 0 ? "PATH=" SAFE_PATH_ROOT : "PATH=" SAFE_PATH;
	o.env[o.nenv] = NULL;
	if (cc_open(c, false, &e) < 0 || ix_flabel_index_load(c->db, &files, &nfiles, &stale, &e) < 0)
		return cc_fail(&e, CC_RUN_ERROR);
	if (stale)
		fprintf(stderr, "compartctl: warning: the label index has %zu problems: stale names, "
			"or names of labelled files it did not know (compartctl label --check names "
			"them)\n", stale);
	if (snprintf(hole, sizeof hole, "%s/blackhole", c->cfg.rundir) >= (int)sizeof hole ||
	    (mkdir(c->cfg.rundir, 0755) < 0 && errno != EEXIST) || ix_blackhole(hole, &e) < 0) {
		if (!e.msg[0] || errno == ENAMETOOLONG)
			ix_err_sys(&e, "runtime directory %s", c->cfg.rundir);
		goto out;
	}
	if (!o.compart) {
		if (make_compart(c, &o, made, &e) < 0)
			goto out;
		o.compart = made;
	}
	spec.path = prog;
	spec.argv = argv + first;
	spec.envp = o.env;
	spec.fds[0] = 0, spec.fds[1] = 1, spec.fds[2] = 2;
	spec.compart = o.compart;
	spec.writable = o.writable;
	spec.nwritable = o.nwritable;
	spec.files = files;
	spec.nfiles = nfiles;
	spec.blackhole = hole;
	signal(SIGCHLD, SIG_DFL);	/* an ignored SIGCHLD would lose the status */
	signal(SIGINT, SIG_IGN);	/* the terminal sends it to the command too */
	signal(SIGQUIT, SIG_IGN);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (ix_cfexec_start(&spec, &pid, &pidfd, &e) < 0) {
		rc = e.sys_errno == ENOENT ? CC_RUN_NOTFOUND :
		     e.sys_errno == EACCES ? CC_RUN_NOEXEC : CC_RUN_ERROR;
		goto out;
	}
	child_pidfd = pidfd;
	rc = wait_child(pid);
	child_pidfd = -1;
	close(pidfd);
	e.msg[0] = 0;
out:
	if (e.msg[0])
		fprintf(stderr, "compartctl: %s\n", e.msg);
	if (made[0] && ix_compart_remove(made, &e) < 0)
		fprintf(stderr, "compartctl: warning: %s\n", e.msg);
	ix_flabel_index_free(files, nfiles);
	return rc;
}
