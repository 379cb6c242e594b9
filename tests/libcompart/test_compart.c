/*
 * Properties of the compartment kernel, asserted on whichever tier this
 * host runs: natively in make check (tier 2) and in the QEMU guests
 * (tier 1, compartd running). A property is skipped only when
 * `compartctl status` declares it missing on this host, and the skip
 * prints that declaration. IXKIT_EXPECT_TIER, when set, must match.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <mqueue.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <linux/bpf.h>
#include <sys/xattr.h>

#include "libcompart/compart_int.h"
#include "libcompart/compart_maps.h"
#include "libcompart/compart_ns.h"
#include "libcompart/flabel.h"
#include "libcompart/flabel_index.h"
#include "libcompart/licence.h"
#include "libterm/tty.h"
#include "tests/libcompart/harness.h"
#include "tests/libcompart/probe.h"

#define USER 1000
#define CAP(c) (1ull << (c))
#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static char buf_[8][PATH_MAX];
static int bufi_;

/* T.work-relative path in a rotating static buffer: valid for the next
 * seven calls only, so keep nothing from it across a test. */
static const char *
W(const char *fmt, ...)
{
	char rel[PATH_MAX / 2];
	char *b = buf_[bufi_++ % 8];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof rel, fmt, ap);
	va_end(ap);
	snprintf(b, PATH_MAX, "%s/%s", T.work, rel);
	return b;
}

static bool
skip_unless(const char *prop)
{
	const char *why;

	if (th_prop(prop, &why) != IX_PROP_MISSING)
		return false;
	printf("# skip: %s: declared missing by status: %s\n", prop, why);
	return true;
}

static void
status_names_the_tier(void **state)
{
	const char *want = getenv("IXKIT_EXPECT_TIER"), *why;

	(void)state;
	if (want)
		assert_int_equal(T.st.tier, atoi(want));
	if (T.st.tier == 2) {
		assert_int_equal(th_prop("file labels", &why), IX_PROP_DEGRADED);
		assert_non_null(strstr(why, "entry-time snapshot"));
	} else {
		assert_int_not_equal(T.st.t1_features & IX_T1_INHERIT, 0);
	}
	assert_int_equal(th_prop("compartment tag", NULL), IX_PROP_ENFORCED);
}

static void
sealed_cannot_setuid_to_root(void **state)
{
	struct ix_label u = th_label(UNCLASSIFIED, -1);
	const char *sealed = th_comp("seal-uid", &u, true), *open_ = th_comp("open-uid", &u, false);
	const uint64_t caps = CAP(CAP_SETUID) | CAP(CAP_SETGID);

	(void)state;
	assert_int_equal(th_run(sealed, USER, caps, NULL, NULL, ARGS("setuid", "0"), NULL, NULL), EPERM);
	/* uid_t is 32 bits: an unmasked filter would let this one through. */
	assert_int_equal(th_run(sealed, USER, caps, NULL, NULL, ARGS("setuid", "0x100000000"), NULL, NULL),
			 EPERM);
	assert_int_equal(th_run(sealed, USER, caps, NULL, NULL, ARGS("setresuid0"), NULL, NULL), EPERM);
	/* The same process unsealed can: the refusal is the seal's. */
	assert_int_equal(th_run(open_, USER, caps, NULL, NULL, ARGS("setuid", "0"), NULL, NULL), 0);
}

/* Issue 16: started as root, a sealed compartment's process runs as the
 * compartment's own uid, which owns nothing of root's; two compartments
 * never share one; a user given is kept; unsealed, root stays root. */
static void
sealed_started_as_root_runs_as_its_own_uid(void **state)
{
	struct ix_label u = th_label(UNCLASSIFIED, -1);
	const char *a = th_comp("own-a", &u, true), *b = th_comp("own-b", &u, true),
		   *open_ = th_comp("own-open", &u, false);
	struct ix_compart ca, cb, co;
	struct ix_err e;
	char ua[16];

	(void)state;
	assert_int_equal(ix_compart_get(a, &ca, &e), 0);
	assert_int_equal(ix_compart_get(b, &cb, &e), 0);
	assert_int_equal(ix_compart_get(open_, &co, &e), 0);
	assert_true(ca.uid >= IX_COMPART_UID_MIN && ca.uid <= IX_COMPART_UID_MAX);
	assert_true(cb.uid >= IX_COMPART_UID_MIN && cb.uid <= IX_COMPART_UID_MAX);
	assert_int_not_equal(ca.uid, cb.uid);
	assert_int_equal(co.uid, 0);
	snprintf(ua, sizeof ua, "%u", (unsigned)ca.uid);
	assert_int_equal(th_run(a, 0, 0, NULL, NULL, ARGS("ids", ua), NULL, NULL), 0);
	assert_int_equal(th_run(a, USER, 0, NULL, NULL, ARGS("ids", "1000"), NULL, NULL), 0);
	assert_int_equal(th_run(open_, 0, 0, NULL, NULL, ARGS("ids", "0"), NULL, NULL), 0);
	/* Root's private file: uid 0 passes the owner check without any
	 * capability (the control), the compartment's uid does not. */
	th_file(W("r/private"), 0600);
	assert_int_equal(th_run(open_, 0, 0, NULL, NULL, ARGS("open", W("r/private"), "r"), NULL, NULL), 0);
	assert_int_equal(th_run(a, 0, 0, NULL, NULL, ARGS("open", W("r/private"), "r"), NULL, NULL), EACCES);
}

/* Tier 1 alone: a task sealed there may change its uids only away from 0,
 * even one that is root (tier 1 can seal any task, where cfexec never
 * starts a sealed one as root): setresuid(1000, 1000, 0) would keep root
 * within reach through the saved uid. The child is sealed in task
 * storage alone, without the seccomp seal: only the LSM hook refuses. */
static void
tier1_sealed_task_keeps_no_root_id(void **state)
{
	struct ix_label u = th_label(UNCLASSIFIED, -1);
	const char *c = th_comp("t1-noroot", &u, true);
	struct ix_task_label tl = { u, u, IX_TASK_SEALED, 0 };
	struct ix_compart comp;
	struct ix_t1 *t1;
	struct ix_err e;
	int go[2], pidfd;
	pid_t p;

	(void)state;
	if (T.st.tier != 1 || !(T.st.t1_features & IX_T1_SEAL_SETUID)) {
		printf("# skip: tier 1's task_fix_setuid is not attached here (tier %d)\n", T.st.tier);
		return;
	}
	assert_int_equal(ix_compart_get(c, &comp, &e), 0);
	tl.compart = comp.id;
	assert_int_equal(pipe2(go, O_CLOEXEC), 0);
	p = fork();
	assert_true(p >= 0);
	if (p == 0) {
		char b;
		long r;

		close(go[1]);
		if (read(go[0], &b, 1) != 1)
			_exit(3);
		r = syscall(SYS_setresuid, 1000, 1000, 0);
		if (r == 0 || errno != EPERM)
			_exit(1);
		_exit(syscall(SYS_setresuid, 1000, 1000, 1000) == 0 ? 0 : 2);
	}
	close(go[0]);
	pidfd = (int)syscall(SYS_pidfd_open, p, 0);
	assert_true(pidfd >= 0);
	assert_int_equal(ix_t1_open(NULL, &t1, &e), 0);
	assert_int_equal(ix_t1_task_set(t1, pidfd, &tl, &e), 0);
	ix_t1_close(t1);
	assert_int_equal(write(go[1], "g", 1), 1);
	close(go[1]);
	/* 0: the saved root refused, the drop to 1000 alone allowed */
	assert_int_equal(th_wait(p), 0);
	close(pidfd);
}

/* A copy of the test binary with a setuid-root bit, and one with file
 * capabilities: the two ways exec hands out root power. */
static void
make_privileged_binaries(void)
{
	const char *suid = W("bin/suid"), *fcap = W("bin/fcap");
	cap_t c = cap_from_text("cap_setuid,cap_dac_override+ep");
	char cmd[PATH_MAX * 3];

	snprintf(cmd, sizeof cmd, "cp %s %s && cp %s %s && chmod 4755 %s", T.exe, suid, T.exe, fcap, suid);
	assert_int_equal(system(cmd), 0);
	assert_non_null(c);
	assert_int_equal(cap_set_file(fcap, c), 0);
	cap_free(c);
}

/* Runs path --probe action as USER without any compartment (control). */
static int
plain_exec(const char *path, const char *action)
{
	pid_t p = fork();

	if (p == 0) {
		if (setgid(USER) < 0 || setuid(USER) < 0)
			_exit(98);
		execl(path, path, "--probe", action, (char *)NULL);
		_exit(97);
	}
	return th_wait(p);
}

static void
sealed_exec_gains_nothing(void **state)
{
	struct ix_label u = th_label(UNCLASSIFIED, -1);
	const char *sealed = th_comp("seal-exec", &u, true);

	(void)state;
	make_privileged_binaries();
	/* Controls: outside a compartment these binaries do give power. */
	assert_int_equal(plain_exec(W("bin/suid"), "euid"), 0);
	assert_int_equal(plain_exec(W("bin/fcap"), "capeff"), 0);
	/* Inside a sealed compartment, as a user and as root, they do not. */
	assert_int_equal(th_run(sealed, USER, 0, NULL, NULL,
				ARGS("exec", W("bin/suid"), "--probe", "euid"), NULL, NULL), 1);
	assert_int_equal(th_run(sealed, USER, 0, NULL, NULL,
				ARGS("exec", W("bin/fcap"), "--probe", "capeff"), NULL, NULL), 1);
	assert_int_equal(th_run(sealed, 0, 0, NULL, NULL,
				ARGS("exec", W("bin/suid"), "--probe", "capeff"), NULL, NULL), 1);
	assert_int_equal(th_run(sealed, 0, 0, NULL, NULL,
				ARGS("exec", W("bin/fcap"), "--probe", "capeff"), NULL, NULL), 1);
}

static void
sealed_no_user_namespaces(void **state)
{
	struct ix_label u = th_label(UNCLASSIFIED, -1);
	const char *sealed = th_comp("seal-ns", &u, true), *open_ = th_comp("open-ns", &u, false);

	(void)state;
	assert_int_equal(th_run(sealed, 0, 0, NULL, NULL, ARGS("userns"), NULL, NULL), EPERM);
	assert_int_equal(th_run(sealed, USER, 0, NULL, NULL, ARGS("userns"), NULL, NULL), EPERM);
	assert_int_equal(th_run(open_, USER, 0, NULL, NULL, ARGS("userns"), NULL, NULL), 0);
}

/* Started as root, in a sealed compartment (its own uid) and in an
 * unsealed one (uid 0 without capabilities, where only the allowlist
 * stands between it and root's files). */
static void
sealed_root_cannot_write_outside_allowlist(void **state)
{
	struct ix_label u = th_label(UNCLASSIFIED, -1);
	const char *comps[] = { th_comp("seal-w", &u, true), th_comp("open-w", &u, false) };
	const char *const wr[] = { T.wdir, NULL };
	char cg[PATH_MAX], own[PATH_MAX + 64], rootprocs[PATH_MAX + 64];
	struct ix_err e;

	(void)state;
	assert_int_equal(ix_cgroup2_mount(cg, sizeof cg, &e), 0);
	snprintf(rootprocs, sizeof rootprocs, "%s/cgroup.procs", cg);
	th_file(W("r/rootfile"), 0644);
	/* Control: uid 0 without any capability still owns root's files. */
	assert_int_equal(th_run(NULL, 0, 0, NULL, NULL, ARGS("open", W("r/rootfile"), "w"), NULL, NULL), 0);
	assert_int_equal(th_run(NULL, 0, 0, NULL, NULL, ARGS("open", "/dev/kmsg", "w"), NULL, NULL), 0);
	assert_int_equal(th_run(NULL, 0, 0, NULL, NULL, ARGS("open", T.rawdev, "r"), NULL, NULL), 0);
	assert_int_equal(th_run(comps[0], 0, 0, wr, NULL, ARGS("chmod", W("r/rootfile")), NULL, NULL), EPERM);
	for (int i = 0; i < 2; i++) {
		const char *c = comps[i];

		snprintf(own, sizeof own, "%s/%s/%s/cgroup.procs", cg, IX_COMPART_PARENT, c);
		assert_int_equal(th_run(c, 0, 0, wr, NULL, ARGS("open", W("r/rootfile"), "w"), NULL, NULL),
				 EACCES);
		assert_int_equal(th_run(c, 0, 0, wr, NULL, ARGS("cgmove", rootprocs), NULL, NULL), EACCES);
		assert_int_equal(th_run(c, 0, 0, wr, NULL, ARGS("open", own, "w"), NULL, NULL), EACCES);
		assert_int_equal(th_run(c, 0, 0, wr, NULL,
					ARGS("open", "/proc/sys/kernel/domainname", "w"), NULL, NULL), EACCES);
		assert_int_equal(th_run(c, 0, 0, wr, NULL, ARGS("mkdir", "/sys/fs/bpf/escape"), NULL, NULL),
				 EACCES);
		/* Devices: root-owned and open to uid 0 by mode (log forgery,
		 * raw disks), never through the allowlist, not even for reading. */
		assert_int_equal(th_run(c, 0, 0, wr, NULL, ARGS("open", "/dev/kmsg", "w"), NULL, NULL), EACCES);
		assert_int_equal(th_run(c, 0, 0, wr, NULL, ARGS("open", T.rawdev, "r"), NULL, NULL), EACCES);
		assert_int_equal(th_run(c, 0, 0, wr, NULL, ARGS("open", "/dev/null", "w"), NULL, NULL), 0);
		/* ... while its writable directory works. */
		assert_int_equal(th_run(c, 0, 0, wr, NULL, ARGS("open", W("w/new%d", i), "c"), NULL, NULL), 0);
	}
}

static void
signals_and_ptrace_across_compartments_fail(void **state)
{
	struct ix_label s = th_label(SECRET, -1);
	const char *a = th_comp("sig-a", &s, false), *b = th_comp("sig-b", &s, false);
	char pid[16];
	pid_t p;
	int pfd;

	(void)state;
	if (skip_unless("signals across compartments"))
		return;
	assert_int_equal(th_run(a, 0, 0, NULL, NULL, ARGS("sleep"), &p, &pfd), 0);
	snprintf(pid, sizeof pid, "%d", (int)p);
	/* Each compartment has its own pid namespace: a's process has no
	 * pid in b's, and a pidfd of it handed over does not reach it. */
	assert_int_equal(th_run(b, 0, 0, NULL, NULL, ARGS("kill", pid), NULL, NULL), ESRCH);
	assert_int_equal(th_run(b, 0, 0, NULL, NULL, ARGS("ptrace", pid), NULL, NULL), ESRCH);
	assert_int_equal(th_run(b, 0, 0, NULL, (const int[]){ pfd, -1, -1 }, ARGS("killfd"), NULL, NULL),
			 EINVAL);
	/* Controls: within its own tree a compartment signals; an
	 * unlabelled root process reaches the sleeper. */
	assert_int_equal(th_run(b, 0, 0, NULL, NULL, ARGS("killchild"), NULL, NULL), 0);
	assert_int_equal(th_run(NULL, 0, 0, NULL, NULL, ARGS("kill", pid), NULL, NULL), 0);
	kill(p, SIGKILL);
	th_wait(p);
	close(pfd);
}

static void
bell_lapadula_on_open(void **state)
{
	struct ix_label ts = th_label(TOPSECRET, -1), sec = th_label(SECRET, -1),
			unc = th_label(UNCLASSIFIED, -1), s255 = th_label(SECRET, 255);
	const char *const wr[] = { T.wdir, NULL };
	const char *p, *p255;

	(void)state;
	th_file(W("r/ts"), 0644), th_set_label(W("r/ts"), &ts);
	th_file(W("r/sec"), 0644), th_set_label(W("r/sec"), &sec);
	th_file(W("r/unc"), 0644), th_set_label(W("r/unc"), &unc);
	th_file(W("r/s255"), 0644), th_set_label(W("r/s255"), &s255);
	th_file(W("r/plain"), 0644);
	th_file(W("w/wts"), 0666), th_set_label(W("w/wts"), &ts);
	th_file(W("w/wunc"), 0666), th_set_label(W("w/wunc"), &unc);
	th_file(W("w/wplain"), 0666);
	p = th_comp("blp", &sec, false);
	p255 = th_comp("blp255", &s255, false);
	/* No read up, even inside a directory it may otherwise read. */
	assert_int_equal(th_run(p, USER, 0, wr, NULL, ARGS("open", W("r/ts"), "r"), NULL, NULL), EACCES);
	assert_int_equal(th_run(p, USER, 0, wr, NULL, ARGS("open", W("r/s255"), "r"), NULL, NULL), EACCES);
	assert_int_equal(th_run(p, USER, 0, wr, NULL, ARGS("open", W("r/sec"), "r"), NULL, NULL), 0);
	assert_int_equal(th_run(p, USER, 0, wr, NULL, ARGS("open", W("r/unc"), "r"), NULL, NULL), 0);
	assert_int_equal(th_run(p, USER, 0, wr, NULL, ARGS("open", W("r/plain"), "r"), NULL, NULL), 0);
	/* No write down; write up and unlabelled files in its writable place. */
	assert_int_equal(th_run(p, USER, 0, wr, NULL, ARGS("open", W("w/wunc"), "w"), NULL, NULL), EACCES);
	assert_int_equal(th_run(p, USER, 0, wr, NULL, ARGS("open", W("w/wts"), "w"), NULL, NULL), 0);
	assert_int_equal(th_run(p, USER, 0, wr, NULL, ARGS("open", W("w/wplain"), "w"), NULL, NULL), 0);
	/* Category 255, the last bit of the encoding, both ways. */
	assert_int_equal(th_run(p255, USER, 0, wr, NULL, ARGS("open", W("r/s255"), "r"), NULL, NULL), 0);
	assert_int_equal(th_run(p255, USER, 0, wr, NULL, ARGS("open", W("r/ts"), "r"), NULL, NULL), EACCES);
}

/* Issue 16, hole 2: no read up through another name of a labelled file.
 * Tier 1 refuses the name itself, to root outside every compartment too;
 * tier 2 lets it be made and keeps the file out under every name. */
static void
no_read_up_through_a_hard_link(void **state)
{
	static const char *const names[] = { "r/lts", "l/far", "r/lts2" };
	struct ix_label ts = th_label(TOPSECRET, -1), sec = th_label(SECRET, -1);
	bool t1 = th_prop("labelled files keep one name", NULL) == IX_PROP_ENFORCED;
	struct ix_err e;
	const char *p;
	int fd;

	(void)state;
	assert_true(mkdir(W("l"), 0755) == 0 || errno == EEXIST);
	th_file(W("r/lts"), 0644), th_set_label(W("r/lts"), &ts);
	th_file(W("r/lplain"), 0644);
	p = th_comp("link", &sec, false);
	if (t1) {
		assert_int_equal(link(W("r/lts"), W("l/far")), -1);
		assert_int_equal(errno, EPERM);
		assert_int_equal(link(W("r/lts"), W("r/lts2")), -1);
		assert_int_equal(errno, EPERM);
		assert_int_equal(link(W("r/lplain"), W("l/plain")), 0);	/* unlabelled: linked */
	} else {
		/* In another directory, and in its own (a rule given to that
		 * name would be on the inode, opening every name). */
		assert_int_equal(link(W("r/lts"), W("l/far")), 0);
		assert_int_equal(link(W("r/lts"), W("r/lts2")), 0);
	}
	for (size_t i = 0; i < (t1 ? 1 : 3); i++)
		assert_int_equal(th_run(p, USER, 0, NULL, NULL, ARGS("open", W("%s", names[i]), "r"),
					NULL, NULL), EACCES);
	assert_int_equal(th_run(p, USER, 0, NULL, NULL, ARGS("open", W("r/lplain"), "r"), NULL, NULL), 0);
	/* A file with a second name is not labelled at all. */
	th_file(W("r/two"), 0644);
	assert_int_equal(link(W("r/two"), W("l/two")), 0);
	fd = open(W("r/two"), O_PATH | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(ix_flabel_label(T.db, fd, &ts, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_non_null(strstr(e.msg, "has 2 hard links"));
	close(fd);
}

/* Tier 1 by hand, past ix_t1_task_set's own check: the forked child
 * writes its task entry as label over ceiling with a raw map update (as
 * root, before it is labelled and loses bpf()), then opens path for
 * reading. Returns the child's status: 0 read, else the errno. */
static int
raw_entry_open(const struct ix_label *label, const struct ix_label *ceiling, const char *path)
{
	pid_t p = fork();

	assert_true(p >= 0);
	if (p == 0) {
		char pin[PATH_MAX];
		struct ix_t1_task v;
		union bpf_attr a;
		int map, pidfd, fd;

		snprintf(pin, sizeof pin, "%s/%s", IX_T1_PINDIR, IX_T1_PIN_TASK);
		memset(&a, 0, sizeof a);
		a.pathname = (uintptr_t)pin;
		map = (int)syscall(SYS_bpf, BPF_OBJ_GET, &a, sizeof a);
		pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
		if (map < 0 || pidfd < 0)
			_exit(99);
		memset(&v, 0, sizeof v);
		v.label.level = label->level;
		v.ceiling.level = ceiling->level;
		memcpy(v.label.cats, label->cats, sizeof v.label.cats);
		memcpy(v.ceiling.cats, ceiling->cats, sizeof v.ceiling.cats);
		memset(&a, 0, sizeof a);
		a.map_fd = (uint32_t)map;
		a.key = (uintptr_t)&pidfd;
		a.value = (uintptr_t)&v;
		a.flags = BPF_ANY;
		if (syscall(SYS_bpf, BPF_MAP_UPDATE_ELEM, &a, sizeof a) < 0)
			_exit(98);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		_exit(fd < 0 ? errno : 0);
	}
	return th_wait(p);
}

/* Issue 16, hole 3: the ceiling bounds the label. Nothing raises a
 * running task's label; labels are written whole by the privileged
 * side, so the ceiling is enforced where they are written and where they
 * are read: a compartment is not created, nor run, with its label above
 * its ceiling (the record edited after creation, as a relabel would), and
 * at tier 1 a task entry written past that check (raw bpf()) reads
 * nothing above its ceiling. */
static void
ceiling_bounds_the_label(void **state)
{
	struct ix_label ts = th_label(TOPSECRET, -1), sec = th_label(SECRET, -1);
	struct ix_compart c;
	uint8_t enc[IX_FLABEL_SIZE];
	struct ix_err e;
	const char *p, *why;
	int fd;

	(void)state;
	th_file(W("r/cts"), 0644), th_set_label(W("r/cts"), &ts);
	th_file(W("r/csec"), 0644), th_set_label(W("r/csec"), &sec);
	/* Creation: a label above its ceiling is refused. */
	memset(&c, 0, sizeof c);
	snprintf(c.name, sizeof c.name, "t%d-ceilbad", (int)getpid());
	c.label = ts;
	c.ceiling = sec;
	assert_int_equal(ix_compart_create(&c, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	/* The record raised above its ceiling after creation: not run. */
	p = th_comp("ceil", &sec, false);
	assert_int_equal(th_run(p, USER, 0, NULL, NULL, ARGS("open", W("r/csec"), "r"), NULL, NULL), 0);
	fd = ix_compart_open(p, &e);
	assert_true(fd >= 0);
	assert_int_equal(ix_flabel_encode(&ts, enc, &e), 0);
	assert_int_equal(fsetxattr(fd, "trusted.ixkit.label", enc, sizeof enc, 0), 0);
	close(fd);
	assert_int_equal(th_run(p, USER, 0, NULL, NULL, ARGS("open", W("r/cts"), "r"), NULL, NULL), -1);
	assert_int_equal(th_run(p, USER, 0, NULL, NULL, ARGS("open", W("r/csec"), "r"), NULL, NULL), -1);
	/* Tier 1: an entry over its ceiling reads up to the ceiling only. */
	if (th_prop("file labels", &why) != IX_PROP_ENFORCED) {
		printf("# skip: tier 1 entry over its ceiling: file labels are %s here: %s\n",
		       ix_prop_state_name(th_prop("file labels", NULL)), why);
		return;
	}
	assert_int_equal(raw_entry_open(&ts, &sec, W("r/cts")), EACCES);
	assert_int_equal(raw_entry_open(&ts, &sec, W("r/csec")), 0);
	assert_int_equal(raw_entry_open(&ts, &ts, W("r/cts")), 0);	/* control */
}

static void
labels_set_after_entry(void **state)
{
	struct ix_label ts = th_label(TOPSECRET, -1), sec = th_label(SECRET, -1);
	const char *p = th_comp("late", &sec, false), *why;
	pid_t pid;
	int st;

	(void)state;
	th_file(W("r/late"), 0644);
	assert_int_equal(th_run(p, USER, 0, NULL, NULL, ARGS("waitopen", W("go-late"), W("r/late"), "r"),
				&pid, NULL), 0);
	th_set_label(W("r/late"), &ts);
	th_file(W("go-late"), 0644);
	st = th_wait(pid);
	if (th_prop("file labels", &why) == IX_PROP_ENFORCED)
		assert_int_equal(st, EACCES);	/* the kernel checks every open */
	else
		assert_int_equal(st, 0);	/* declared: a snapshot taken at entry */
}

static void
labelled_process_cannot_change_labels(void **state)
{
	struct ix_label sec = th_label(SECRET, -1);
	const char *open_ = th_comp("xa-open", &sec, false), *sealed = th_comp("xa-seal", &sec, true);
	const char *const wr[] = { T.wdir, NULL };

	(void)state;
	th_file(W("w/xa"), 0666), th_set_label(W("w/xa"), &sec);
	assert_int_equal(th_run(open_, 0, 0, wr, NULL, ARGS("setxattr", W("w/xa"), IX_FLABEL_XATTR), NULL, NULL),
			 EPERM);
	assert_int_equal(th_run(open_, 0, 0, wr, NULL, ARGS("rmxattr", W("w/xa"), IX_FLABEL_XATTR), NULL, NULL),
			 EPERM);
	assert_int_equal(th_run(sealed, 0, 0, wr, NULL, ARGS("rmxattr", W("w/xa"), IX_FLABEL_XATTR), NULL, NULL),
			 EPERM);
	assert_int_equal(th_run(open_, 0, 0, wr, NULL, ARGS("bpf"), NULL, NULL), EPERM);
	/* A compartment cannot even ask for the capability that would. */
	assert_int_equal(th_run(open_, 0, CAP(CAP_SYS_ADMIN), wr, NULL, ARGS("bpf"), NULL, NULL), -1);
}

/* Starts ttywait on a fresh pty inside comp; returns the probe's report
 * after (optionally) relabelling the terminal. */
static void
tty_session(const char *comp, bool relabel, unsigned flags, char *report, size_t size)
{
	struct ix_label unc = th_label(UNCLASSIFIED, -1);
	const char *go = W("go-tty-%d-%u", relabel, flags);
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC), s, pipefd[2];
	char pts[64], nopen[64];
	ssize_t n;
	pid_t p;

	assert_true(m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0);
	assert_int_equal(ptsname_r(m, pts, sizeof pts), 0);
	s = open(pts, O_RDWR | O_NOCTTY | O_CLOEXEC);
	assert_true(s >= 0);
	assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
	/* The terminal cannot be reopened by name from inside. */
	snprintf(nopen, sizeof nopen, "%s", pts);
	assert_int_equal(th_run(comp, USER, 0, NULL, NULL, ARGS("open", nopen, "r"), NULL, NULL), EACCES);
	assert_int_equal(th_run(comp, USER, 0, NULL, (const int[]){ s, s, pipefd[1] },
				ARGS("ttywait", go), &p, NULL), 0);
	close(pipefd[1]);
	if (relabel) {
		struct ix_err e;
		assert_int_equal(ix_tty_relabel(s, &unc, 0, 0, 0600, flags, &e), 0);
	}
	th_file(go, 0644);
	n = read(pipefd[0], report, size - 1);
	report[n > 0 ? n : 0] = 0;
	th_wait(p);
	close(pipefd[0]);
	close(s);
	close(m);
}

static void
terminal_left_behind_is_cut_off(void **state)
{
	struct ix_label sec = th_label(SECRET, -1);
	const char *c = th_comp("tty", &sec, false);
	char before[64], after[64];

	(void)state;
	tty_session(c, false, 0, before, sizeof before);
	assert_string_equal(before, "w=0 r=11\n");	/* writes; read would block (EAGAIN) */
	tty_session(c, true, IX_TTY_REVOKE, after, sizeof after);
	assert_int_equal(strncmp(after, "w=0 ", 4) != 0, 1);	/* write refused */
	assert_int_equal(strstr(after, " r=0\n") == NULL, 1);	/* read refused or end of file */
	if (th_prop("terminal labels", NULL) == IX_PROP_ENFORCED) {
		/* Tier 1 without hang-up: the label alone refuses the write
		 * down to unclassified, and still lets it read. */
		tty_session(c, true, 0, after, sizeof after);
		assert_string_equal(after, "w=13 r=11\n");
	}
}

static void
abstract_unix_connect_across_fails(void **state)
{
	struct ix_label sec = th_label(SECRET, -1);
	const char *a = th_comp("unix-a", &sec, false), *b = th_comp("unix-b", &sec, false);
	struct timespec t = { 0, 20 * 1000 * 1000 };
	char name[64];
	int r = -1;
	pid_t p;

	(void)state;
	if (skip_unless("unix connects across compartments"))
		return;
	snprintf(name, sizeof name, "@ixkit-test-%d", (int)getpid());
	assert_int_equal(th_run(a, USER, 0, NULL, NULL, ARGS("listen", name), &p, NULL), 0);
	/* Control, and the wait for the listener: from outside it connects
	 * (servers are unlabelled). */
	for (int i = 0; i < 100 && r != 0; i++, nanosleep(&t, NULL))
		r = th_run(NULL, USER, 0, NULL, NULL, ARGS("unix", name), NULL, NULL);
	assert_int_equal(r, 0);
	assert_int_equal(th_run(b, USER, 0, NULL, NULL, ARGS("unix", name), NULL, NULL), EPERM);
	kill(p, SIGKILL);
	th_wait(p);
}

static void
licences_round_trip_and_stay_out_of_reach(void **state)
{
	struct ix_label sec = th_label(SECRET, -1);
	const char *c = th_comp("lic", &sec, false);
	const char *const wr[] = { T.wdir, NULL };
	const uint64_t want = CAP(CAP_NET_BIND_SERVICE) | CAP(CAP_CHOWN);
	char cmd[PATH_MAX * 2 + 16], lic[PATH_MAX];
	uint64_t got;
	bool licensed;
	struct ix_err e;
	int fd;

	(void)state;
	snprintf(lic, sizeof lic, "%s/licensed", T.wdir);
	snprintf(cmd, sizeof cmd, "cp %s %s", T.exe, lic);
	assert_int_equal(system(cmd), 0);
	fd = open(lic, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(ix_licence_get(fd, &got, &licensed, &e), 0);
	assert_false(licensed);
	assert_int_equal(ix_licence_set(fd, want, &e), 0);
	assert_int_equal(ix_licence_get(fd, &got, &licensed, &e), 0);
	assert_true(licensed);
	assert_int_equal(got, want);
	/* The licence works for an ordinary user outside compartments ... */
	assert_int_equal(plain_exec(lic, "capeff"), 0);
	/* ... and no labelled process, even root in a writable place, can
	 * take it off (or put one on). */
	assert_int_equal(th_run(c, 0, 0, wr, NULL, ARGS("rmxattr", lic, "security.capability"), NULL, NULL),
			 EPERM);
	assert_int_equal(ix_licence_get(fd, &got, &licensed, &e), 0);
	assert_true(licensed);
	assert_int_equal(ix_licence_set(fd, 0, &e), 0);
	assert_int_equal(ix_licence_get(fd, &got, &licensed, &e), 0);
	assert_false(licensed);
	close(fd);
}

/* The ids of the namespaces of pid, "ipc:[N]" and so on, into ids. */
static void
ns_ids(pid_t pid, char ids[3][64])
{
	static const char *const ns[3] = { "ipc", "pid", "mnt" };
	char path[64];

	for (int i = 0; i < 3; i++) {
		ssize_t n;

		snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)pid, ns[i]);
		n = readlink(path, ids[i], 63);
		ids[i][n > 0 ? n : 0] = '\0';
	}
}

/* Whether a live process is in one of the namespaces ids. A zombie
 * still names its pid namespace until whoever reaps orphans reaps it;
 * it runs nothing and holds no other namespace. */
static bool
ns_in_use(char ids[3][64])
{
	bool found = false;
	DIR *d = opendir("/proc");
	struct dirent *de;

	assert_non_null(d);
	while (!found && (de = readdir(d))) {
		char theirs[3][64], path[64], stat[512], *p;
		ssize_t n;
		int fd;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		n = read(fd, stat, sizeof stat - 1);
		close(fd);
		stat[n > 0 ? n : 0] = '\0';
		if ((p = strrchr(stat, ')')) == NULL || p[1] != ' ' || p[2] == 'Z' || p[2] == 'X')
			continue;
		ns_ids((pid_t)atoi(de->d_name), theirs);
		for (int i = 0; i < 3; i++)
			found |= ids[i][0] && !strcmp(ids[i], theirs[i]);
	}
	closedir(d);
	return found;
}

static void
compartments_have_own_ipc_and_processes(void **state)
{
	struct ix_label u = th_label(UNCLASSIFIED, -1);
	const char *a = th_comp("ipc-a", &u, false), *b = th_comp("ipc-b", &u, false);
	char host_key[32], a_key[32], host_mq[64], a_mq[64], self[16], ids[3][64];
	key_t hk = (key_t)(0x1a000000 | (getpid() & 0xffff) << 4), ak = hk + 1;
	int hshm, pfd, initfd;
	mqd_t hq;
	pid_t sleeper, init;
	struct ix_err e;

	(void)state;
	snprintf(host_key, sizeof host_key, "%d", (int)hk);
	snprintf(a_key, sizeof a_key, "%d", (int)ak);
	snprintf(host_mq, sizeof host_mq, "/ixkit-test-%d-host", (int)getpid());
	snprintf(a_mq, sizeof a_mq, "/ixkit-test-%d-a", (int)getpid());
	snprintf(self, sizeof self, "%d", (int)getpid());
	hshm = shmget(hk, 4096, IPC_CREAT | IPC_EXCL | 0600);
	assert_true(hshm >= 0);
	hq = mq_open(host_mq, O_CREAT | O_EXCL | O_RDWR, 0600, NULL);
	assert_true(hq != (mqd_t)-1);
	/* The host's objects are not there, for root inside either. */
	assert_int_equal(th_run(a, 0, 0, NULL, NULL, ARGS("shmget", host_key), NULL, NULL), ENOENT);
	assert_int_equal(th_run(a, 0, 0, NULL, NULL, ARGS("mqopen", host_mq), NULL, NULL), ENOENT);
	/* What one member makes, a later member of the same compartment
	 * finds (its init holds the namespace), another compartment and the
	 * host do not. */
	assert_int_equal(th_run(a, USER, 0, NULL, NULL, ARGS("shmget", a_key, "create"), NULL, NULL), 0);
	assert_int_equal(th_run(a, USER, 0, NULL, NULL, ARGS("mqopen", a_mq, "create"), NULL, NULL), 0);
	assert_int_equal(th_run(a, USER, 0, NULL, NULL, ARGS("shmget", a_key), NULL, NULL), 0);
	assert_int_equal(th_run(a, USER, 0, NULL, NULL, ARGS("mqopen", a_mq), NULL, NULL), 0);
	assert_int_equal(th_run(b, 0, 0, NULL, NULL, ARGS("shmget", a_key), NULL, NULL), ENOENT);
	assert_int_equal(th_run(b, 0, 0, NULL, NULL, ARGS("mqopen", a_mq), NULL, NULL), ENOENT);
	assert_true(shmget(ak, 0, 0) < 0 && errno == ENOENT);
	assert_true(mq_open(a_mq, O_RDWR) == (mqd_t)-1 && errno == ENOENT);
	/* Processes: the init and itself; a member's sleeper is seen in
	 * its own compartment alone; the host's pids name nothing inside. */
	assert_int_equal(th_run(a, USER, 0, NULL, NULL, ARGS("procs", "2"), NULL, NULL), 0);
	assert_int_equal(th_run(a, USER, 0, NULL, NULL, ARGS("sleep"), &sleeper, &pfd), 0);
	assert_int_equal(th_run(a, USER, 0, NULL, NULL, ARGS("procs", "3"), NULL, NULL), 0);
	assert_int_equal(th_run(b, USER, 0, NULL, NULL, ARGS("procs", "2"), NULL, NULL), 0);
	assert_int_equal(th_run(a, 0, 0, NULL, NULL, ARGS("kill", self), NULL, NULL), ESRCH);
	/* From outside the sleeper has its host pid, which signals it. */
	assert_int_equal(ix_compart_ns_init_pid(a, &init, &e), 0);
	assert_true(init > 0);
	ns_ids(init, ids);
	assert_true(ids[0][0] && ids[1][0] && ids[2][0]);
	assert_int_equal(kill(sleeper, SIGKILL), 0);
	assert_int_equal(th_wait(sleeper), 128 + SIGKILL);
	close(pfd);
	/* Removed, the compartment leaves nothing in its namespaces: its
	 * IPC objects go with them. */
	initfd = (int)syscall(SYS_pidfd_open, init, 0);
	assert_true(initfd >= 0);
	assert_int_equal(ix_compart_remove(a, &e), 0);
	for (int i = 0; i < 200 && !ix_pidfd_gone(initfd); i++)
		usleep(10000);
	assert_true(ix_pidfd_gone(initfd));
	close(initfd);
	assert_false(ns_in_use(ids));
	shmctl(hshm, IPC_RMID, NULL);
	mq_close(hq);
	mq_unlink(host_mq);
}

static int
teardown(void **state)
{
	(void)state;
	th_cleanup();
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(status_names_the_tier),
		cmocka_unit_test(sealed_cannot_setuid_to_root),
		cmocka_unit_test(sealed_started_as_root_runs_as_its_own_uid),
		cmocka_unit_test(tier1_sealed_task_keeps_no_root_id),
		cmocka_unit_test(sealed_exec_gains_nothing),
		cmocka_unit_test(sealed_no_user_namespaces),
		cmocka_unit_test(sealed_root_cannot_write_outside_allowlist),
		cmocka_unit_test(signals_and_ptrace_across_compartments_fail),
		cmocka_unit_test(compartments_have_own_ipc_and_processes),
		cmocka_unit_test(bell_lapadula_on_open),
		cmocka_unit_test(no_read_up_through_a_hard_link),
		cmocka_unit_test(ceiling_bounds_the_label),
		cmocka_unit_test(labels_set_after_entry),
		cmocka_unit_test(labelled_process_cannot_change_labels),
		cmocka_unit_test(terminal_left_behind_is_cut_off),
		cmocka_unit_test(abstract_unix_connect_across_fails),
		cmocka_unit_test(licences_round_trip_and_stay_out_of_reach),
	};

	if (argc >= 2 && !strcmp(argv[1], "--probe"))
		return probe_main(argc - 2, argv + 2);
	th_setup();
	return cmocka_run_group_tests_name("compart", tests, NULL, teardown);
}
