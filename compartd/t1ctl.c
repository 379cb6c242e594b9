/*
 * t1ctl: the guest smoke test's hands (compartd/t1-smoke.sh). It
 * labels itself and execs, reads labels through tier1.h, and tries one
 * guarded operation at a time, exiting 0 when the kernel allowed it and 1
 * when it refused (the errno is printed), 2 on a usage or setup error.
 *
 * A label is written LEVEL[:HEX] (HEX = category bits 0..63) or NO.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "libcompart/tier1.h"

static int
die(const char *what, const struct ix_err *e)
{
	fprintf(stderr, "t1ctl: %s: %s\n", what, e ? e->msg : strerror(errno));
	exit(2);
}

static void
parse_label(const char *s, struct ix_label *l)
{
	char *end;

	memset(l, 0, sizeof *l);
	if (strcmp(s, "NO") == 0) {
		l->flags = IX_LABEL_F_NO;
		return;
	}
	l->level = (uint16_t)strtoul(s, &end, 10);
	if (*end == ':')
		l->cats[0] = strtoull(end + 1, &end, 16);
	if (*end != '\0')
		die("bad label (LEVEL[:HEX] or NO)", NULL);
}

static struct ix_t1 *
t1(void)
{
	struct ix_t1 *t;
	struct ix_err e;

	if (ix_t1_open(getenv("T1_PINDIR"), &t, &e) < 0)
		die("open", &e);
	return t;
}

static int
verdict(int rc, const char *what)
{
	if (rc >= 0) {
		printf("%s: allowed\n", what);
		return 0;
	}
	printf("%s: refused (%s)\n", what, strerror(errno));
	return 1;
}

/* Non-root with CAP_SETUID (kept across setresuid), then setuid(0). */
static int
try_setuid0(void)
{
	cap_t c;

	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 || setresuid(1000, 1000, 1000) < 0)
		die("setresuid 1000", NULL);
	c = cap_from_text("cap_setuid=ep");
	if (c == NULL || cap_set_proc(c) < 0)
		die("cap_setuid", NULL);
	return verdict(setuid(0), "setuid(0) with CAP_SETUID");
}

static int
try_bpf(void)
{
	union bpf_attr a;

	memset(&a, 0, sizeof a);
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 4;
	a.max_entries = 1;
	return verdict((int)syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof a), "bpf(MAP_CREATE)");
}

static int
try_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	return verdict(connect(fd, (struct sockaddr *)&sa, sizeof sa), "connect");
}

static int
try_send(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	return verdict((int)sendto(fd, "x", 1, 0, (struct sockaddr *)&sa, sizeof sa), "sendto");
}

static void __attribute__((noreturn))
dgram_on(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	char buf[16];

	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		die("bind", NULL);
	for (;;)
		(void)!recv(fd, buf, sizeof buf, 0);
}

static void __attribute__((noreturn))
listen_on(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 8) < 0)
		die("listen", NULL);
	for (;;) {
		int c = accept(fd, NULL, NULL);

		if (c >= 0)
			close(c);
	}
}

/* Holds a pty open and prints its slave's path. */
static void __attribute__((noreturn))
pty(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);

	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0)
		die("posix_openpt", NULL);
	printf("%s\n", ptsname(m));
	fflush(stdout);
	for (;;)
		pause();
}

/* As uid/gid 1000 (no capabilities left), exec PATH. */
static int
try_exec1000(char **argv)
{
	if (setgroups(0, NULL) < 0 || setresgid(1000, 1000, 1000) < 0 ||
	    setresuid(1000, 1000, 1000) < 0)
		die("drop to 1000", NULL);
	execv(argv[0], argv);
	return verdict(-1, "exec as uid 1000");
}

/* Number of BPF LSM programs loaded in the kernel (ours, in the guest). */
static int
lsm_progs(void)
{
	union bpf_attr a;
	struct bpf_prog_info info;
	uint32_t id = 0;
	int n = 0;

	for (;;) {
		memset(&a, 0, sizeof a);
		a.start_id = id;
		if (syscall(SYS_bpf, BPF_PROG_GET_NEXT_ID, &a, sizeof a) < 0)
			break;
		id = a.next_id;
		memset(&a, 0, sizeof a);
		a.prog_id = id;
		int fd = (int)syscall(SYS_bpf, BPF_PROG_GET_FD_BY_ID, &a, sizeof a);
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof info);
		memset(&a, 0, sizeof a);
		a.info.bpf_fd = (uint32_t)fd;
		a.info.info_len = sizeof info;
		a.info.info = (uint64_t)(uintptr_t)&info;
		if (syscall(SYS_bpf, BPF_OBJ_GET_INFO_BY_FD, &a, sizeof a) == 0 &&
		    info.type == BPF_PROG_TYPE_LSM)
			n++;
		close(fd);
	}
	printf("%d\n", n);
	return 0;
}

static int
try_op(int argc, char **argv)
{
	const char *op = argv[0], *arg = argc > 1 ? argv[1] : "";
	char buf[1];
	int fd;

	if (strcmp(op, "setuid0") == 0)
		return try_setuid0();
	if (strcmp(op, "bpf") == 0)
		return try_bpf();
	if (strcmp(op, "exec1000") == 0 && argc >= 2)
		return try_exec1000(argv + 1);
	if (strcmp(op, "connect") == 0)
		return try_connect(arg);
	if (strcmp(op, "sendto") == 0)
		return try_send(arg);
	if (strcmp(op, "setxattr") == 0 && argc == 3)
		return verdict(setxattr(arg, argv[2], "x", 1, 0), "setxattr");
	if (strcmp(op, "removexattr") == 0 && argc == 3)
		return verdict(removexattr(arg, argv[2]), "removexattr");
	if (strcmp(op, "read") == 0) {
		/* Some /proc files check at read(), not at open(). */
		fd = open(arg, O_RDONLY | O_CLOEXEC);
		return verdict(fd < 0 ? -1 : (int)read(fd, buf, 1), "open and read");
	}
	if (strcmp(op, "open") == 0)
		return verdict(open(arg, O_RDONLY | O_CLOEXEC), "open");
	if (strcmp(op, "readlink") == 0) {
		char link[256];

		return verdict((int)readlink(arg, link, sizeof link), "readlink");
	}
	if (strcmp(op, "write") == 0)
		return verdict(open(arg, O_WRONLY | O_CLOEXEC), "open for writing");
	if (strcmp(op, "tty-write") == 0 || strcmp(op, "tty-read") == 0) {
		fd = open(arg, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			die(arg, NULL);
		if (op[4] == 'w')
			return verdict((int)write(fd, "x", 1), "tty write");
		/* EAGAIN: the permission check passed, nothing to read. */
		if (read(fd, buf, 1) < 0 && errno == EAGAIN)
			return verdict(0, "tty read");
		return verdict(-1, "tty read");
	}
	fprintf(stderr, "t1ctl: unknown try %s\n", op);
	return 2;
}

static int
get(pid_t pid)
{
	struct ix_task_label tl;
	struct ix_err e;
	bool labelled;
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (pidfd < 0)
		die("pidfd_open", NULL);
	if (ix_t1_task_get(t1(), pidfd, &tl, &labelled, &e) < 0)
		die("get", &e);
	if (!labelled)
		printf("unlabelled\n");
	else
		printf("level=%u flags=%u cats=%llx compart=%llu seal=%u\n", tl.label.level,
		       tl.label.flags, (unsigned long long)tl.label.cats[0],
		       (unsigned long long)tl.compart, tl.flags);
	return 0;
}

/* setctty PTS CMD...: a new session whose controlling terminal is PTS,
 * so that CMD reaches PTS through /dev/tty. */
static int
setctty(char **argv)
{
	if (setsid() < 0 || open(argv[0], O_RDWR) < 0)
		die(argv[0], NULL);
	execvp(argv[1], argv + 1);
	die(argv[1], NULL);
	return 2;
}

/* run LABEL COMPART SEALED CMD...: label ourselves, then exec CMD. */
static int
run(char **argv)
{
	struct ix_task_label tl;
	struct ix_err e;
	int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);

	memset(&tl, 0, sizeof tl);
	parse_label(argv[0], &tl.label);
	tl.ceiling = tl.label;
	tl.compart = strtoull(argv[1], NULL, 10);
	tl.flags = strcmp(argv[2], "sealed") == 0 ? IX_TASK_SEALED : 0;
	if (pidfd < 0)
		die("pidfd_open", NULL);
	if (ix_t1_task_set(t1(), pidfd, &tl, &e) < 0)
		die("set", &e);
	execvp(argv[3], argv + 3);
	die(argv[3], NULL);
	return 2;
}

static int
features(void)
{
	uint32_t f;
	struct ix_err e;

	if (ix_t1_features(t1(), &f, &e) < 0)
		die("features", &e);
	for (uint32_t b = 1; b != 0 && b <= IX_T1_LICENCE; b <<= 1)
		printf("%s %s\n", ix_t1_feature_name(b), f & b ? "on" : "off");
	return 0;
}

static int
tty_label(const char *dev, const char *label)
{
	struct ix_label l;
	struct ix_err e;
	struct stat st;

	if (stat(dev, &st) < 0)
		die(dev, NULL);
	parse_label(label, &l);
	if (ix_t1_tty_set(t1(), st.st_rdev, &l, &e) < 0)
		die("tty label", &e);
	return 0;
}

/* The flabel.h encoding of LABEL as setfattr's 0x... value. */
static int
flabel_hex(const char *label)
{
	struct ix_label l;

	parse_label(label, &l);
	printf("0x01%02x%02x%02x%02x%02x0000", 0, l.flags & 0xff, l.flags >> 8,
	       l.level & 0xff, l.level >> 8);
	for (int w = 0; w < IX_CAT_WORDS; w++)
		for (int b = 0; b < 8; b++)
			printf("%02x", (unsigned)(l.cats[w] >> (8 * b)) & 0xff);
	printf("\n");
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "features") == 0)
		return features();
	if (argc == 3 && strcmp(argv[1], "get") == 0)
		return get((pid_t)atoi(argv[2]));
	if (argc >= 6 && strcmp(argv[1], "run") == 0)
		return run(argv + 2);
	if (argc >= 3 && strcmp(argv[1], "try") == 0)
		return try_op(argc - 2, argv + 2);
	if (argc == 3 && strcmp(argv[1], "listen") == 0)
		listen_on(argv[2]);
	if (argc >= 4 && strcmp(argv[1], "setctty") == 0)
		return setctty(argv + 2);
	if (argc == 2 && strcmp(argv[1], "progs") == 0)
		return lsm_progs();
	if (argc == 3 && strcmp(argv[1], "dgram") == 0)
		dgram_on(argv[2]);
	if (argc == 2 && strcmp(argv[1], "pty") == 0)
		pty();
	if (argc == 4 && strcmp(argv[1], "tty-label") == 0)
		return tty_label(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "flabel") == 0)
		return flabel_hex(argv[2]);
	fprintf(stderr, "usage: t1ctl features | get PID | run LABEL COMPART sealed|open CMD...\n"
			"       | try OP [ARG...] | listen PATH | dgram PATH | pty | tty-label DEV LABEL\n"
			"       | flabel LABEL | progs | setctty PTS CMD...\n");
	return 2;
}
