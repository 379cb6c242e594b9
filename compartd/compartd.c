/*
 * compartd: holds tier 1 of the compartment kernel, the BPF LSM program of
 * compartd/compart.bpf.c.
 *
 * main() narrows step by step: find which hooks this kernel has (vmlinux
 * BTF) and switch off the programs of the missing ones, load and attach
 * everything that is left or nothing at all, pin the maps and the status,
 * give up every capability, then wait for SIGTERM/SIGINT. On the way out
 * it removes its pins and closes its links, which detaches the programs.
 * Exit statuses are listed in compartd(8).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <sys/capability.h>

#include "libixutil/ix_config.h"
#include "libixutil/ix_log.h"
#include "libcompart/tier1.h"
#include "libcompart/compart_maps.h"
#include "compartd/compart.skel.h"

enum {
	EXIT_DONE = 0,		/* stopped by a signal, or --once-check passed */
	EXIT_UNAVAILABLE = 1,	/* this kernel cannot run tier 1 */
	EXIT_USAGE = 2,
	EXIT_SETUP = 3,		/* configuration, log, pin directory, lock */
};

#define BPF_FS_MAGIC 0xcafe4a11
#define MAX_PROGS 4

/* One feature bit: the LSM hooks it needs and the programs that use them.
 * A hook named with a leading '?' is optional: where the kernel lacks it,
 * only its program stays off (file_ioctl_compat, 6.8+: older kernels pass
 * 32-bit ioctls through file_ioctl). */
struct feature {
	uint32_t bit;
	const char *hooks[MAX_PROGS];
	const char *progs[MAX_PROGS];
};

static const struct feature features[] = {
	{ IX_T1_INHERIT, { "task_alloc" }, { "inherit" } },
	{ IX_T1_SEAL_SETUID, { "task_fix_setuid" }, { "seal_setuid" } },
	{ IX_T1_SEAL_EXEC, { "bprm_creds_from_file" }, { "seal_exec" } },
	{ IX_T1_SEAL_USERNS, { "userns_create" }, { "seal_userns" } },
	{ IX_T1_FILE_BLP, { "file_open", "path_link" }, { "blp_open", "blp_link" } },
	{ IX_T1_SIGNAL, { "task_kill" }, { "no_kill" } },
	{ IX_T1_PTRACE, { "ptrace_access_check" }, { "no_ptrace" } },
	{ IX_T1_UNIX, { "unix_stream_connect", "unix_may_send", "socket_post_create" },
	  { "unix_connect", "unix_send", "sock_tag" } },
	{ IX_T1_XATTR, { "inode_setxattr", "inode_removexattr" },
	  { "xattr_set", "xattr_remove" } },
	{ IX_T1_BPF, { "bpf" }, { "no_bpf" } },
	{ IX_T1_TTY, { "file_permission" }, { "tty_rw" } },
	{ IX_T1_PROMPT, { "file_ioctl", "file_permission", "task_free", "?file_ioctl_compat" },
	  { "prompt_ioctl", "prompt_read", "prompt_gone", "prompt_ioctl32" } },
	{ IX_T1_LICENCE, { "file_open", "inode_setattr", "inode_rename", "inode_unlink" },
	  { "licence_open", "licence_setattr", "licence_rename", "licence_unlink" } },
};
#define NFEATURES (sizeof features / sizeof features[0])
#define NPROGS 23

static const char *const pin_names[] = { IX_T1_PIN_TASK, IX_T1_PIN_TTY, IX_T1_PIN_STATUS,
					 IX_T1_PIN_PROMPT_TTY, IX_T1_PIN_PROMPT_TASK };

struct opts {
	int foreground;
	int once_check;
	const char *pindir;
	struct ix_config_flags cfg;
};

struct state {
	struct ix_log *log;
	int log_to_stderr;		/* the log already is standard error */
	struct compart *skel;
	struct bpf_link *links[NPROGS];
	size_t nlinks;
	struct ix_t1_status status;	/* features and why the others are off */
	int pindir_fd;			/* locked (LOCK_EX) while running, or -1 */
	int pinned;			/* pins are ours to remove */
};

static void
usage(FILE *f)
{
	fputs("usage: compartd [-f] [--pin-dir DIR] [--log stderr|syslog|FILE] [--config FILE]\n"
	      "                [--once-check]\n", f);
}

static int
fail(struct state *s, int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (s->log)
		ix_log_event(s->log, "error", "%s", msg);
	if (!s->log_to_stderr)	/* whoever started us sees why */
		fprintf(stderr, "compartd: %s\n", msg);
	return code;
}

/* libbpf's warnings (a verifier refusal, a failed attach) go to our log. */
static struct ix_log *libbpf_log;

static int
libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	enum { KEEP = 3000 };	/* a log line holds 4096 bytes */
	char *line;
	int n;

	if (level == LIBBPF_DEBUG || libbpf_log == NULL)
		return 0;
	n = vasprintf(&line, fmt, ap);
	if (n < 0)
		return 0;
	while (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	/* A verifier log ends with the reason it refused: keep the end. */
	ix_log_event(libbpf_log, "libbpf", "%s%s", n > KEEP ? "..." : "",
		     n > KEEP ? line + n - KEEP : line);
	free(line);
	return 0;
}

/* "6.12.3-amd64" -> 612; 0 when unreadable. */
static int
release_number(const char *release)
{
	unsigned int major = 0, minor = 0;

	if (sscanf(release, "%u.%u", &major, &minor) != 2)
		return 0;
	return (int)(major * 100 + minor);
}

/* The number of parameters of an LSM hook's BTF prototype, -1 unknown. */
static int
hook_params(const struct btf *vmlinux, const char *hook)
{
	char name[64];
	const struct btf_type *t;
	int id;

	snprintf(name, sizeof name, "bpf_lsm_%s", hook);
	id = btf__find_by_name_kind(vmlinux, name, BTF_KIND_FUNC);
	if (id < 0 || (t = btf__type_by_id(vmlinux, (__u32)id)) == NULL ||
	    (t = btf__type_by_id(vmlinux, t->type)) == NULL || !btf_is_func_proto(t))
		return -1;
	return btf_vlen(t);
}

struct kfunc {
	const char *name;
	const char *since;	/* the first release that has it */
};

/* The xattr kfuncs a feature calls, and the release they read
 * security.bpf.* names from: 6.8 to 6.12 have bpf_get_file_xattr (6.12
 * also bpf_get_dentry_xattr) but refuse those names with EPERM, which
 * would refuse every labelled open, or every licence check. */
static int
probe_kfuncs(const struct btf *vmlinux, const struct kfunc *kfuncs, const char *release,
	     char *why, size_t size)
{
	for (int i = 0; kfuncs[i].name; i++)
		if (btf__find_by_name_kind(vmlinux, kfuncs[i].name, BTF_KIND_FUNC) < 0) {
			snprintf(why, size, "no kfunc %s (kernel before %s)", kfuncs[i].name,
				 kfuncs[i].since);
			return 0;
		}
	if (release_number(release) < 613) {
		snprintf(why, size, "kernel %s refuses security.bpf.* xattrs to BPF (needs 6.13)",
			 release);
		return 0;
	}
	return 1;
}

/* Why f cannot run here, into why; 1 when it can. */
static int
probe(const struct btf *vmlinux, const struct feature *f, const char *release,
      char *why, size_t size)
{
	static const struct kfunc blp_kfuncs[] = { { "bpf_get_file_xattr", "6.8" },
						   { "bpf_get_dentry_xattr", "6.12" },
						   { NULL } };
	static const struct kfunc licence_kfuncs[] = { { "bpf_get_file_xattr", "6.8" },
						       { "bpf_get_dentry_xattr", "6.12" },
						       { NULL } };
	char name[64];

	for (int i = 0; i < MAX_PROGS && f->hooks[i]; i++) {
		if (f->hooks[i][0] == '?')
			continue;
		snprintf(name, sizeof name, "bpf_lsm_%s", f->hooks[i]);
		if (btf__find_by_name_kind(vmlinux, name, BTF_KIND_FUNC) < 0) {
			snprintf(why, size, "no LSM hook %s in this kernel", f->hooks[i]);
			return 0;
		}
	}
	if (f->bit == IX_T1_FILE_BLP)
		return probe_kfuncs(vmlinux, blp_kfuncs, release, why, size);
	if (f->bit != IX_T1_LICENCE)
		return 1;
	if (!probe_kfuncs(vmlinux, licence_kfuncs, release, why, size))
		return 0;
	/* licence_setattr reads its third argument: on a kernel with the
	 * older two-argument hook the verifier would refuse it, and loading
	 * is all or nothing. */
	if (hook_params(vmlinux, "inode_setattr") != 3) {
		snprintf(why, size, "LSM hook inode_setattr is not (idmap, dentry, attr) here");
		return 0;
	}
	return 1;
}

/* Switches off the programs of every feature this kernel lacks. Without
 * inheritance no label survives a fork, so nothing else would hold. */
static int
select_programs(struct state *s, const char *release)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();

	if (vmlinux == NULL)
		return fail(s, EXIT_UNAVAILABLE,
			    "tier 1 unavailable: no kernel BTF (/sys/kernel/btf/vmlinux): %s",
			    strerror(errno));
	for (size_t i = 0; i < NFEATURES; i++) {
		const struct feature *f = &features[i];
		char *why = s->status.why[__builtin_ctz(f->bit)];

		if (probe(vmlinux, f, release, why, IX_T1_WHY_MAX)) {
			s->status.features |= f->bit;
			for (int p = 0; p < MAX_PROGS && f->progs[p]; p++) {
				char name[64];

				if (f->hooks[p][0] != '?')
					continue;
				snprintf(name, sizeof name, "bpf_lsm_%s", f->hooks[p] + 1);
				if (btf__find_by_name_kind(vmlinux, name, BTF_KIND_FUNC) < 0)
					bpf_program__set_autoload(bpf_object__find_program_by_name(
						s->skel->obj, f->progs[p]), false);
			}
			continue;
		}
		for (int p = 0; p < MAX_PROGS && f->progs[p]; p++)
			bpf_program__set_autoload(
				bpf_object__find_program_by_name(s->skel->obj, f->progs[p]), false);
	}
	btf__free(vmlinux);
	if (!(s->status.features & IX_T1_INHERIT))
		return fail(s, EXIT_UNAVAILABLE, "tier 1 unavailable: %s",
			    s->status.why[__builtin_ctz(IX_T1_INHERIT)]);
	return 0;
}

/* The bpf LSM must be in the active list (lsm= on the kernel command line
 * or the built-in default) for its hooks to be called at all. */
static int
check_lsm_active(struct state *s)
{
	char list[512];
	char *tok, *save = NULL;
	FILE *f = fopen("/sys/kernel/security/lsm", "re");
	size_t n;

	if (f == NULL)	/* no securityfs: loading will tell */
		return 0;
	n = fread(list, 1, sizeof list - 1, f);
	fclose(f);
	list[n] = '\0';
	list[strcspn(list, "\n")] = '\0';
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (strcmp(tok, "bpf") == 0)
			return 0;
	return fail(s, EXIT_UNAVAILABLE,
		    "tier 1 unavailable: the bpf LSM is not active (/sys/kernel/security/lsm: %s)",
		    list);
}

static int
load(struct state *s)
{
	int rc = compart__load(s->skel);

	if (rc == -EPERM)
		return fail(s, EXIT_UNAVAILABLE,
			    "tier 1 unavailable: BPF LSM programs cannot be loaded here (EPERM from BPF_PROG_LOAD even as root: this kernel refuses trampoline-attached programs)");
	if (rc < 0)
		return fail(s, EXIT_UNAVAILABLE,
			    "tier 1 unavailable: loading the BPF LSM programs failed: %s (libbpf lines above)",
			    strerror(-rc));
	return 0;
}

static int
attach(struct state *s)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, s->skel->obj) {
		struct bpf_link *l;

		if (!bpf_program__autoload(prog))
			continue;
		if (s->nlinks == NPROGS)	/* compart.bpf.c grew: raise NPROGS */
			return fail(s, EXIT_UNAVAILABLE, "more BPF programs than NPROGS");
		l = bpf_program__attach(prog);
		if (l == NULL)
			return fail(s, EXIT_UNAVAILABLE,
				    "tier 1 unavailable: attaching %s failed: %s",
				    bpf_program__name(prog), strerror(errno));
		s->links[s->nlinks++] = l;
	}
	return 0;
}

/* The pin directory: created 0700, on bpffs, owned by us, locked for as
 * long as we run (ix_t1_open tests the lock to tell live pins from stale
 * ones); stale pins of a killed compartd are removed. */
static int
open_pindir(struct state *s, const char *dir)
{
	struct statfs sfs;
	struct stat st;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return fail(s, EXIT_SETUP,
			    "cannot create pin directory %s: %s (is bpffs mounted on its parent?)",
			    dir, strerror(errno));
	s->pindir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s->pindir_fd < 0)
		return fail(s, EXIT_SETUP, "cannot open pin directory %s: %s", dir,
			    strerror(errno));
	if (fstatfs(s->pindir_fd, &sfs) < 0 || fstat(s->pindir_fd, &st) < 0)
		return fail(s, EXIT_SETUP, "cannot inspect %s: %s", dir, strerror(errno));
	if ((unsigned long)sfs.f_type != BPF_FS_MAGIC)
		return fail(s, EXIT_SETUP,
			    "%s is not on a bpf filesystem (mount -t bpf bpf /sys/fs/bpf)", dir);
	if (st.st_uid != geteuid() || (st.st_mode & 077))
		return fail(s, EXIT_SETUP, "%s must be owned by uid %u and mode 0700 (is %u, %04o)",
			    dir, (unsigned)geteuid(), (unsigned)st.st_uid,
			    (unsigned)(st.st_mode & 07777));
	if (flock(s->pindir_fd, LOCK_EX | LOCK_NB) < 0)
		return fail(s, EXIT_SETUP, "%s is held by another compartd (%s)", dir,
			    errno == EWOULDBLOCK ? "locked" : strerror(errno));
	for (size_t i = 0; i < sizeof pin_names / sizeof pin_names[0]; i++)
		if (unlinkat(s->pindir_fd, pin_names[i], 0) == 0)
			ix_log_event(s->log, "stale-pin", "removed=%s/%s", dir, pin_names[i]);
	return 0;
}

static int
pin_maps(struct state *s, const char *dir)
{
	struct bpf_map *maps[] = { s->skel->maps.task_label, s->skel->maps.tty_label,
				   s->skel->maps.status, s->skel->maps.prompt_tty,
				   s->skel->maps.prompt_task };
	uint32_t zero = 0;
	char path[4096];
	int fd = bpf_map__fd(s->skel->maps.status);

	/* The status is written once and frozen: no one rewrites it later. */
	if (bpf_map_update_elem(fd, &zero, &s->status, BPF_ANY) < 0 || bpf_map_freeze(fd) < 0)
		return fail(s, EXIT_SETUP, "cannot write the status map: %s", strerror(errno));
	s->pinned = 1;
	for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, pin_names[i]);
		if (bpf_map__pin(maps[i], path) < 0)
			return fail(s, EXIT_SETUP, "cannot pin %s: %s", path, strerror(errno));
	}
	return 0;
}

static void
log_features(struct state *s)
{
	ix_log_event(s->log, "start", "release=%s maps_version=%u features=0x%x",
		     s->status.release, IX_T1_MAPS_VERSION, s->status.features);
	for (size_t i = 0; i < NFEATURES; i++) {
		const char *name = ix_t1_feature_name(features[i].bit);

		if (s->status.features & features[i].bit)
			ix_log_event(s->log, "feature", "name=%s state=attached", name);
		else
			ix_log_event(s->log, "feature", "name=%s state=missing why=\"%s\"", name,
				     s->status.why[__builtin_ctz(features[i].bit)]);
	}
}

/* Nothing is left to do but wait and then unlink pins in our own
 * directory: that needs no capability at all. */
static int
confine(struct state *s)
{
	cap_t none = cap_init();
	int rc = none ? cap_set_proc(none) : -1;

	cap_free(none);
	if (rc < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return fail(s, EXIT_SETUP, "cannot drop capabilities: %s", strerror(errno));
	return 0;
}

/* Without -f: the parent returns only once the child has pinned the maps
 * (status 0) or failed (the child's own status). */
static int
daemonize(int *notify)
{
	int p[2], st;
	char c;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0) {
		close(p[1]);
		if (read(p[0], &c, 1) == 1)
			_exit(EXIT_DONE);
		if (waitpid(pid, &st, 0) == pid && WIFEXITED(st))
			_exit(WEXITSTATUS(st));
		_exit(EXIT_SETUP);
	}
	close(p[0]);
	*notify = p[1];
	return setsid() < 0 ? -1 : 0;
}

static void
detach_all(struct state *s, const char *dir)
{
	if (s->pinned && s->pindir_fd >= 0)
		for (size_t i = 0; i < sizeof pin_names / sizeof pin_names[0]; i++)
			if (unlinkat(s->pindir_fd, pin_names[i], 0) < 0 && errno != ENOENT)
				ix_log_event(s->log, "error", "cannot unpin %s/%s: %s", dir,
					     pin_names[i], strerror(errno));
	for (size_t i = 0; i < s->nlinks; i++)
		bpf_link__destroy(s->links[i]);
	s->nlinks = 0;
	compart__destroy(s->skel);
	s->skel = NULL;
}

static int
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "pin-dir", required_argument, NULL, 'p' },
		{ "log", required_argument, NULL, 'l' },
		{ "config", required_argument, NULL, 'c' },
		{ "once-check", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof *o);
	o->pindir = IX_T1_PINDIR;
	while ((c = getopt_long(argc, argv, "+fh", lo, NULL)) != -1) {
		switch (c) {
		case 'f': o->foreground = 1; break;
		case 'p': o->pindir = optarg; break;
		case 'l': o->cfg.log = optarg; break;
		case 'c': o->cfg.config = optarg; break;
		case 'o': o->once_check = 1; break;
		case 'h': usage(stdout); exit(EXIT_DONE);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc || o->pindir[0] != '/' || strlen(o->pindir) > 1024) {
		usage(stderr);
		return -1;
	}
	return 0;
}

static int
run(struct state *s, const struct opts *o)
{
	struct utsname u;
	sigset_t stop;
	int sig, rc, notify = -1;

	uname(&u);
	snprintf(s->status.release, sizeof s->status.release, "%s", u.release);
	s->status.version = IX_T1_MAPS_VERSION;
	if ((rc = check_lsm_active(s)) != 0)
		return rc;
	s->skel = compart__open();
	if (s->skel == NULL)
		return fail(s, EXIT_UNAVAILABLE, "tier 1 unavailable: cannot open the BPF object: %s",
			    strerror(errno));
	if ((rc = select_programs(s, u.release)) != 0 || (rc = load(s)) != 0)
		return rc;
	/* Locked before attaching: a second compartd stops here, and never
	 * attaches a second copy of every program. */
	if (!o->once_check && (rc = open_pindir(s, o->pindir)) != 0)
		return rc;
	if ((rc = attach(s)) != 0)
		return rc;
	log_features(s);
	if (o->once_check)
		return EXIT_DONE;
	if (!o->foreground && daemonize(&notify) < 0)
		return fail(s, EXIT_SETUP, "cannot become a daemon: %s", strerror(errno));
	if ((rc = pin_maps(s, o->pindir)) != 0 || (rc = confine(s)) != 0)
		return rc;
	ix_log_event(s->log, "ready", "pin_dir=%s", o->pindir);
	if (notify >= 0) {
		/* Whoever started us may wait for the end of our output. */
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			if (!s->log_to_stderr)
				dup2(null, STDERR_FILENO);
			close(null);
		}
		if (write(notify, "", 1) != 1)
			return fail(s, EXIT_SETUP, "cannot notify the parent: %s", strerror(errno));
		close(notify);
	}
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	do
		sig = sigwaitinfo(&stop, NULL);
	while (sig < 0 && errno == EINTR);
	ix_log_event(s->log, "stop", "signal=%d", sig);
	return EXIT_DONE;
}

int
main(int argc, char **argv)
{
	struct state s = { .pindir_fd = -1 };
	struct ix_config cfg;
	struct ix_err e;
	struct opts o;
	sigset_t stop;
	int rc;

	if (parse_args(argc, argv, &o) < 0)
		return EXIT_USAGE;
	/* Blocked from the start: a SIGTERM during loading must still end in
	 * a clean detach, never in a half-pinned state. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	if (ix_config_load(&cfg, &o.cfg, &e) < 0) {
		fprintf(stderr, "compartd: %s\n", e.msg);
		return EXIT_SETUP;
	}
	s.log = ix_log_open(cfg.log, "compartd", &e);
	if (s.log == NULL) {
		fprintf(stderr, "compartd: %s\n", e.msg);
		return EXIT_SETUP;
	}
	s.log_to_stderr = strcmp(cfg.log, "stderr") == 0;
	libbpf_log = s.log;
	libbpf_set_print(libbpf_print);
	umask(077);
	rc = run(&s, &o);
	detach_all(&s, o.pindir);
	if (s.pindir_fd >= 0)
		close(s.pindir_fd);
	ix_log_close(s.log);
	return rc;
}
