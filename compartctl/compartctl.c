/*
 * compartctl: the administrator's view of the compartment kernel.
 *
 *	compartctl status                 which tier, what is enforced and how
 *	compartctl create NAME --label L [--ceiling C] [--seal]
 *	compartctl remove NAME
 *	compartctl run ... -- CMD ARGS    (compartctl_run.c)
 *	compartctl label FILE [LABEL | --remove]
 *	compartctl label --check          the label index's problems
 *	compartctl ps                     processes in compartments
 *
 * Exit status: 0 done, 1 the operation failed or was refused, 2 usage,
 * 3 system or database error; run returns the command's status.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "compartctl/compartctl.h"
#include "db/labels.h"
#include "libcompart/compart.h"
#include "libcompart/compart_ns.h"
#include "libcompart/flabel.h"
#include "libcompart/flabel_index.h"
#include "libcompart/status.h"

static void
usage(FILE *f)
{
	fputs("usage: compartctl [--db PATH] [--config FILE] [--rundir DIR] COMMAND ...\n"
	      "  status                                what is enforced on this host, and how\n"
	      "  create NAME --label L [--ceiling C] [--seal]\n"
	      "  remove NAME                           remove an empty compartment\n"
	      "  run (--label L [--ceiling C] [--seal] | --compartment NAME)\n"
	      "      [--user U] [--caps LIST] [--write PATH]... [--env NAME=VALUE]... -- CMD [ARG...]\n"
	      "  label FILE [LABEL | --remove]         show or set a file's label\n"
	      "  label --check                         what the label index no longer matches\n"
	      "  ps                                    processes in compartments\n"
	      "exit status: 0 done, 1 failed or refused, 2 usage, 3 system error;\n"
	      "run: the command's status, 125 compartctl failed, 126 cannot execute, 127 not found\n",
	      f);
}

int
cc_fail(const struct ix_err *e, int code)
{
	fprintf(stderr, "compartctl: %s\n", e->msg);
	return code;
}

int
cc_open(struct cc *c, bool rw, struct ix_err *e)
{
	/* ixdb_open's messages begin with the path already. */
	if (!c->db && ixdb_open(c->cfg.db, rw ? 0 : IXDB_READONLY, &c->db, e) < 0)
		return -1;
	if (!c->enc && ixdb_labels_load(c->db, &c->enc, e) < 0)
		return ix_err_prefix(e, "label encodings");
	return 0;
}

int
cc_parse_label(struct cc *c, const char *text, struct ix_label *out, struct ix_err *e)
{
	if (cc_open(c, false, e) < 0)
		return -1;
	if (ix_label_parse(c->enc, text, strlen(text), out, e) < 0)
		return ix_err_prefix(e, "label '%s'", text);
	return 0;
}

void
cc_print_label(struct cc *c, const struct ix_label *l, char *buf, size_t size)
{
	struct ix_err e;

	if ((!c->enc || ix_label_print(c->enc, l, buf, size, &e) < 0) &&
	    ix_label_print_raw(l, buf, size, &e) < 0)
		snprintf(buf, size, "?");
}

static int
cmd_status(void)
{
	struct ix_status st;
	struct ix_err e;

	if (ix_status_probe(NULL, &st, &e) < 0)
		return cc_fail(&e, CC_ERROR);
	printf("tier: %d (%s)\n", st.tier,
	       st.tier == 1 ? "BPF LSM program held by compartd, plus stock mechanisms" :
			      "stock mechanisms only: Landlock, seccomp, cgroup v2");
	if (st.tier == 2)
		printf("%s\n", st.t1_why);
	printf("kernel: %s\nlandlock: ABI %d\n", st.kernel, st.landlock_abi);
	for (int i = 0; i < st.nprops; i++)
		printf("%-36s %-9s %s\n", st.props[i].name, ix_prop_state_name(st.props[i].state),
		       st.props[i].how);
	return CC_OK;
}

static int
cmd_create(struct cc *c, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "label", required_argument, NULL, 'l' },
		{ "ceiling", required_argument, NULL, 'c' },
		{ "seal", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *label = NULL, *ceiling = NULL;
	struct ix_compart comp = { 0 };
	struct ix_err e;
	int o;

	optind = 0;	/* 0: GNU getopt reinitialises; options before or after NAME */
	while ((o = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (o) {
		case 'l': label = optarg; break;
		case 'c': ceiling = optarg; break;
		case 's': comp.flags |= IX_TASK_SEALED; break;
		default: return CC_USAGE;
		}
	}
	if (optind != argc - 1 || !label) {
		fputs("compartctl: usage: create NAME --label L [--ceiling C] [--seal]\n", stderr);
		return CC_USAGE;
	}
	if (snprintf(comp.name, sizeof comp.name, "%s", argv[optind]) >= (int)sizeof comp.name) {
		fprintf(stderr, "compartctl: compartment name longer than %d\n", IX_COMPART_NAME_MAX);
		return CC_USAGE;
	}
	if (cc_parse_label(c, label, &comp.label, &e) < 0 ||
	    cc_parse_label(c, ceiling ? ceiling : label, &comp.ceiling, &e) < 0)
		return cc_fail(&e, e.code == IX_EINVAL ? CC_USAGE : CC_ERROR);
	if (ix_compart_create_uids(&comp, &(const struct ix_uid_range){ c->cfg.compart_uid_min,
								c->cfg.compart_uid_max }, &e) < 0)
		return cc_fail(&e, e.code == IX_ESYS ? CC_ERROR : CC_FAIL);
	return CC_OK;
}

static int
cmd_remove(int argc, char **argv)
{
	struct ix_err e;

	if (argc != 2) {
		fputs("compartctl: usage: remove NAME\n", stderr);
		return CC_USAGE;
	}
	if (ix_compart_remove(argv[1], &e) < 0)
		return cc_fail(&e, e.code == IX_ESYS ? CC_ERROR : CC_FAIL);
	return CC_OK;
}

static void
report_problem(void *arg, const char *path, const char *what)
{
	(void)arg;
	printf("%s: %s\n", path, what);
}

/* Exit 1 when the index has problems, so that a cron job can say so. */
static int
label_check(struct cc *c)
{
	size_t files, problems;
	struct ix_err e;

	if (cc_open(c, false, &e) < 0 ||
	    ix_flabel_index_check(c->db, report_problem, NULL, &files, &problems, &e) < 0)
		return cc_fail(&e, CC_ERROR);
	printf("label index: %zu labelled names, %zu problems\n", files, problems);
	return problems ? CC_FAIL : CC_OK;
}

static int
cmd_label(struct cc *c, int argc, char **argv)
{
	char text[IX_LABEL_TEXT_MAX];
	struct ix_label l;
	struct ix_err e;
	bool labelled;
	int fd, rc = CC_OK;

	if (argc == 2 && !strcmp(argv[1], "--check"))
		return label_check(c);
	if (argc < 2 || argc > 3) {
		fputs("compartctl: usage: label FILE [LABEL | --remove] | label --check\n", stderr);
		return CC_USAGE;
	}
	fd = open(argv[1], O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "compartctl: %s: %s\n", argv[1], strerror(errno));
		return CC_FAIL;
	}
	if (argc == 2) {
		if (ix_flabel_get(fd, &l, &labelled, &e) < 0) {
			close(fd);
			return cc_fail(&e, CC_FAIL);
		}
		/* The label is read from the file, by whoever can open it;
		 * only its names need the database, which few users may read. */
		if (labelled && cc_open(c, false, &e) < 0)
			fprintf(stderr, "compartctl: %s: label shown by number (level#rank:#bit), "
				"as its names need the database: %s\n", argv[1], e.msg);
		if (labelled)
			cc_print_label(c, &l, text, sizeof text);
		printf("%s\t%s\n", argv[1], labelled ? text : "(unlabelled)");
	} else if (cc_open(c, true, &e) < 0) {
		rc = cc_fail(&e, CC_ERROR);
	} else if (strcmp(argv[2], "--remove") != 0 && cc_parse_label(c, argv[2], &l, &e) < 0) {
		rc = cc_fail(&e, CC_USAGE);
	} else if (ix_flabel_label(c->db, fd, strcmp(argv[2], "--remove") ? &l : NULL, &e) < 0) {
		rc = cc_fail(&e, e.code == IX_EINVAL || e.code == IX_EDENIED ? CC_FAIL : CC_ERROR);
	}
	close(fd);
	return rc;
}

static void
comm_of(pid_t pid, char *buf, size_t size)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	buf[0] = 0;
	if ((f = fopen(path, "re"))) {
		if (fgets(buf, (int)size, f))
			buf[strcspn(buf, "\n")] = 0;
		fclose(f);
	}
}

static int
cmd_ps(struct cc *c)
{
	struct ix_compart *v;
	struct ix_err e;
	size_t n;

	if (ix_compart_list(&v, &n, &e) < 0)
		return cc_fail(&e, CC_ERROR);
	if (n && cc_open(c, false, &e) < 0)
		fprintf(stderr, "compartctl: labels shown by number (level#rank:#bit), as their "
			"names need the database: %s\n", e.msg);
	printf("%-8s %-20s %-6s %-24s %s\n", "PID", "COMPARTMENT", "SEALED", "LABEL", "COMMAND");
	for (size_t i = 0; i < n; i++) {
		pid_t *pids, *more, init = 0;
		size_t np;
		if (ix_compart_pids(v[i].name, &pids, &np, &e) < 0)
			continue;	/* removed meanwhile */
		/* Not a member, yet a process of the compartment's: the init
		 * that holds its namespaces (compart_ns.h). */
		if (ix_compart_ns_init_pid(v[i].name, &init, &e) == 0 && init > 0 &&
		    (more = realloc(pids, (np + 1) * sizeof *pids)) != NULL) {
			pids = more;
			pids[np++] = init;
		}
		for (size_t j = 0; j < np; j++) {
			char label[IX_LABEL_TEXT_MAX], comm[32];
			struct ix_task_label tl;
			bool labelled = false;
			int pfd = (int)syscall(SYS_pidfd_open, pids[j], 0);
			if (pfd < 0)
				continue;	/* exited */
			if (ix_proc_label(pids[j], pfd, &tl, &labelled, &e) < 0 || !labelled)
				tl.label = v[i].label;
			close(pfd);
			cc_print_label(c, &tl.label, label, sizeof label);
			comm_of(pids[j], comm, sizeof comm);
			printf("%-8d %-20s %-6s %-24s %s\n", (int)pids[j], v[i].name,
			       v[i].flags & IX_TASK_SEALED ? "yes" : "no", label, comm);
		}
		free(pids);
	}
	free(v);
	return CC_OK;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "config", required_argument, NULL, 'c' },
		{ "rundir", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ix_config_flags fl = { 0 };
	struct cc c = { 0 };
	struct ix_err e;
	const char *cmd;
	int o, rc;

	while ((o = getopt_long(argc, argv, "+h", lo, NULL)) != -1) {
		switch (o) {
		case 'd': fl.db = optarg; break;
		case 'c': fl.config = optarg; break;
		case 'r': fl.rundir = optarg; break;
		case 'h': usage(stdout); return CC_OK;
		default: usage(stderr); return CC_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return CC_USAGE;
	}
	if (ix_config_load(&c.cfg, &fl, &e) < 0)
		return cc_fail(&e, CC_USAGE);
	cmd = argv[optind];
	argc -= optind;
	argv += optind;
	if (!strcmp(cmd, "status") && argc == 1)
		rc = cmd_status();
	else if (!strcmp(cmd, "create"))
		rc = cmd_create(&c, argc, argv);
	else if (!strcmp(cmd, "remove"))
		rc = cmd_remove(argc, argv);
	else if (!strcmp(cmd, "run"))
		rc = cc_run(&c, argc, argv);
	else if (!strcmp(cmd, "label"))
		rc = cmd_label(&c, argc, argv);
	else if (!strcmp(cmd, "ps") && argc == 1)
		rc = cmd_ps(&c);
	else {
		fprintf(stderr, "compartctl: unknown command or arguments: %s\n", cmd);
		usage(stderr);
		rc = CC_USAGE;
	}
	ix_label_enc_free(c.enc);
	ixdb_close(c.db);
	return rc;
}
