/*
 * tier1.h over the raw bpf(2) system call: libcompart is linked by many
 * programs, and none of them should carry libbpf for four map operations.
 * Layouts come from compart_maps.h, the header the BPF program uses.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "libcompart/tier1.h"
#include "libcompart/compart_maps.h"

_Static_assert(IX_CAT_WORDS == IX_T1_CAT_WORDS, "category words differ from the kernel's");
_Static_assert(IX_LABEL_F_NO == IX_T1_LABEL_F_NO, "NO flag differs from the kernel's");
_Static_assert(IX_T1_PROMPT == 1u << 11 && IX_T1_LICENCE == 1u << (IX_T1_NFEATURES - 1),
	       "IX_T1_NFEATURES does not match enum ix_t1_feature");

struct ix_t1 {
	int task;	/* pinned task_label (task storage, key pidfd) */
	int tty;	/* pinned tty_label (hash, key kernel dev_t) */
	int status;	/* pinned status (array of one struct ix_t1_status) */
	int prompt_tty;	/* pinned prompt_tty (hash, key kernel dev_t) */
	int prompt_task; /* pinned prompt_task (task storage, key pidfd) */
};

static const char *const feature_names[IX_T1_NFEATURES] = {
	"inherit", "seal-setuid", "seal-exec", "seal-userns", "file-blp",
	"signal", "ptrace", "unix", "xattr", "bpf", "tty", "prompt", "licence",
};

const char *
ix_t1_feature_name(uint32_t one_feature)
{
	for (int i = 0; i < IX_T1_NFEATURES; i++)
		if (one_feature == 1u << i)
			return feature_names[i];
	return "unknown";
}

static long
sys_bpf(int cmd, union bpf_attr *a)
{
	return syscall(SYS_bpf, cmd, a, sizeof *a);
}

static int
map_elem(int cmd, int fd, const void *key, void *value, uint64_t flags)
{
	union bpf_attr a;

	memset(&a, 0, sizeof a);
	a.map_fd = (uint32_t)fd;
	a.key = (uint64_t)(uintptr_t)key;
	a.value = (uint64_t)(uintptr_t)value;
	a.flags = flags;
	return (int)sys_bpf(cmd, &a);
}

/* Opens one pinned map and checks that it is the map this code was built
 * for: a compartd of another version pins maps of other sizes. */
static int
pin_get(const char *dir, const char *name, uint32_t type, uint32_t key_size,
	uint32_t value_size, struct ix_err *err)
{
	struct bpf_map_info info;
	union bpf_attr a;
	char path[PATH_MAX];
	int fd;

	if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
		return ix_err_set(err, IX_ELIMIT, "tier 1 pin directory name too long: %s", dir);
	memset(&a, 0, sizeof a);
	a.pathname = (uint64_t)(uintptr_t)path;
	a.file_flags = 0;
	fd = (int)sys_bpf(BPF_OBJ_GET, &a);
	if (fd < 0) {
		if (errno == ENOENT)
			return ix_err_set(err, IX_ENOENT, "tier 1 not active: %s is not pinned", path);
		return ix_err_sys(err, "tier 1: cannot open pinned map %s", path);
	}
	memset(&info, 0, sizeof info);
	memset(&a, 0, sizeof a);
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = sizeof info;
	a.info.info = (uint64_t)(uintptr_t)&info;
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) < 0) {
		ix_err_sys(err, "tier 1: cannot inspect pinned map %s", path);
		close(fd);
		return -1;
	}
	if (info.type != type || info.key_size != key_size || info.value_size != value_size) {
		close(fd);
		return ix_err_set(err, IX_EVERSION,
				  "tier 1: %s is not the map this program knows (type %u key %u value %u, expected %u/%u/%u): compartd of another version?",
				  path, info.type, info.key_size, info.value_size,
				  type, key_size, value_size);
	}
	return fd;
}

/* compartd holds an exclusive flock on its pin directory while it runs;
 * pins left by a compartd that was killed are not a running tier 1. */
static int
check_alive(const char *dir, struct ix_err *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			return ix_err_set(err, IX_ENOENT, "tier 1 not active: no %s", dir);
		return ix_err_sys(err, "tier 1: cannot open %s", dir);
	}
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		close(fd);
		return ix_err_set(err, IX_ENOENT,
				  "tier 1 not active: no compartd holds %s (stale pins?)", dir);
	}
	if (errno != EWOULDBLOCK) {
		ix_err_sys(err, "tier 1: cannot test the lock on %s", dir);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int
ix_t1_open(const char *pindir, struct ix_t1 **out, struct ix_err *err)
{
	const char *dir = pindir ? pindir : IX_T1_PINDIR;
	struct ix_t1 *t;
	struct ix_t1_status st;
	uint32_t zero = 0;

	*out = NULL;
	if (check_alive(dir, err) < 0)
		return -1;
	t = calloc(1, sizeof *t);
	if (t == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	t->task = t->tty = t->status = t->prompt_tty = t->prompt_task = -1;
	t->status = pin_get(dir, IX_T1_PIN_STATUS, BPF_MAP_TYPE_ARRAY, sizeof(uint32_t),
			    sizeof(struct ix_t1_status), err);
	if (t->status < 0)
		goto fail;
	if (map_elem(BPF_MAP_LOOKUP_ELEM, t->status, &zero, &st, 0) < 0) {
		ix_err_sys(err, "tier 1: cannot read %s/%s", dir, IX_T1_PIN_STATUS);
		goto fail;
	}
	if (st.version != IX_T1_MAPS_VERSION) {
		ix_err_set(err, IX_EVERSION, "tier 1: maps version %u, this program knows %u",
			   st.version, IX_T1_MAPS_VERSION);
		goto fail;
	}
	t->task = pin_get(dir, IX_T1_PIN_TASK, BPF_MAP_TYPE_TASK_STORAGE, sizeof(int),
			  sizeof(struct ix_t1_task), err);
	if (t->task < 0)
		goto fail;
	t->tty = pin_get(dir, IX_T1_PIN_TTY, BPF_MAP_TYPE_HASH, sizeof(uint32_t),
			 sizeof(struct ix_t1_label), err);
	if (t->tty < 0)
		goto fail;
	t->prompt_tty = pin_get(dir, IX_T1_PIN_PROMPT_TTY, BPF_MAP_TYPE_HASH, sizeof(uint32_t),
				sizeof(struct ix_t1_prompt), err);
	if (t->prompt_tty < 0)
		goto fail;
	t->prompt_task = pin_get(dir, IX_T1_PIN_PROMPT_TASK, BPF_MAP_TYPE_TASK_STORAGE,
				 sizeof(int), sizeof(struct ix_t1_prompt), err);
	if (t->prompt_task < 0)
		goto fail;
	*out = t;
	return 0;
fail:
	ix_t1_close(t);
	return -1;
}

void
ix_t1_close(struct ix_t1 *t)
{
	if (t == NULL)
		return;
	if (t->task >= 0)
		close(t->task);
	if (t->tty >= 0)
		close(t->tty);
	if (t->status >= 0)
		close(t->status);
	if (t->prompt_tty >= 0)
		close(t->prompt_tty);
	if (t->prompt_task >= 0)
		close(t->prompt_task);
	free(t);
}

int
ix_t1_features(struct ix_t1 *t, uint32_t *features, struct ix_err *err)
{
	struct ix_t1_status st;
	uint32_t zero = 0;

	if (map_elem(BPF_MAP_LOOKUP_ELEM, t->status, &zero, &st, 0) < 0)
		return ix_err_sys(err, "tier 1: cannot read the status map");
	*features = st.features;
	return 0;
}

int
ix_t1_why(struct ix_t1 *t, uint32_t one_feature, char *why, size_t whysize, char *release,
	  size_t relsize, struct ix_err *err)
{
	struct ix_t1_status st;
	uint32_t zero = 0;
	int bit = __builtin_ffs((int)one_feature) - 1;

	if (bit < 0 || bit >= IX_T1_NFEATURES || one_feature != (1u << bit))
		return ix_err_set(err, IX_EINVAL, "tier 1: 0x%x is not one feature", one_feature);
	if (map_elem(BPF_MAP_LOOKUP_ELEM, t->status, &zero, &st, 0) < 0)
		return ix_err_sys(err, "tier 1: cannot read the status map");
	/* compartd wrote these; bound them whatever it wrote. */
	st.release[sizeof st.release - 1] = 0;
	st.why[bit][sizeof st.why[bit] - 1] = 0;
	if (why)
		snprintf(why, whysize, "%s", (st.features & one_feature) ? "" : st.why[bit]);
	if (release)
		snprintf(release, relsize, "%s", st.release);
	return 0;
}

static int
label_to_kernel(const struct ix_label *l, struct ix_t1_label *k, const char *what,
		struct ix_err *err)
{
	if (l->flags & ~IX_LABEL_F_NO)
		return ix_err_set(err, IX_EINVAL, "tier 1: %s has unknown flags 0x%x", what,
				  (unsigned)l->flags);
	memset(k, 0, sizeof *k);
	k->level = l->level;
	k->flags = l->flags;
	memcpy(k->cats, l->cats, sizeof k->cats);
	return 0;
}

static void
label_from_kernel(const struct ix_t1_label *k, struct ix_label *l)
{
	memset(l, 0, sizeof *l);
	l->level = k->level;
	l->flags = k->flags;
	memcpy(l->cats, k->cats, sizeof l->cats);
}

/* The task storage map resolves the pidfd itself: EBADF for something
 * that is not a pidfd, ENOENT once the task has exited. */
static int
task_errno(const char *op, struct ix_err *err)
{
	if (errno == EBADF)
		return ix_err_set(err, IX_EINVAL, "tier 1: %s: not a pidfd", op);
	if (errno == ESRCH || errno == ENOENT)
		return ix_err_set(err, IX_ENOENT, "tier 1: %s: the process has exited", op);
	return ix_err_sys(err, "tier 1: %s", op);
}

int
ix_t1_task_set(struct ix_t1 *t, int pidfd, const struct ix_task_label *tl,
	       struct ix_err *err)
{
	struct ix_t1_task v;

	if (tl == NULL) {	/* clear: the task becomes unlabelled */
		if (map_elem(BPF_MAP_DELETE_ELEM, t->task, &pidfd, NULL, 0) < 0 && errno != ENOENT)
			return task_errno("clearing the task label", err);
		return 0;
	}
	if (tl->flags & ~IX_TASK_SEALED)
		return ix_err_set(err, IX_EINVAL, "tier 1: unknown task flags 0x%x",
				  (unsigned)tl->flags);
	if (!ix_label_le(&tl->label, &tl->ceiling))
		return ix_err_set(err, IX_EINVAL, "tier 1: the label is not below the ceiling");
	memset(&v, 0, sizeof v);
	if (label_to_kernel(&tl->label, &v.label, "label", err) < 0 ||
	    label_to_kernel(&tl->ceiling, &v.ceiling, "ceiling", err) < 0)
		return -1;
	v.flags = tl->flags;
	v.compart = tl->compart;
	if (map_elem(BPF_MAP_UPDATE_ELEM, t->task, &pidfd, &v, BPF_ANY) < 0)
		return task_errno("setting the task label", err);
	return 0;
}

int
ix_t1_task_get(struct ix_t1 *t, int pidfd, struct ix_task_label *tl, bool *labelled,
	       struct ix_err *err)
{
	struct ix_t1_task v;

	memset(tl, 0, sizeof *tl);
	*labelled = false;
	if (map_elem(BPF_MAP_LOOKUP_ELEM, t->task, &pidfd, &v, 0) < 0) {
		/* ENOENT is "no entry" for a live task; an exited one also
		 * gives ENOENT through the pidfd, and is unlabelled too. */
		if (errno == ENOENT)
			return 0;
		return task_errno("reading the task label", err);
	}
	label_from_kernel(&v.label, &tl->label);
	label_from_kernel(&v.ceiling, &tl->ceiling);
	tl->flags = v.flags;
	tl->compart = v.compart;
	*labelled = true;
	return 0;
}

/* User space dev_t (glibc's 64-bit encoding, as in st_rdev) to the
 * kernel's internal one, (major << 20) | minor, which is the key of
 * tty_label because the BPF program reads inode->i_rdev. */
static int
kdev(dev_t rdev, uint32_t *key, struct ix_err *err)
{
	unsigned int ma = major(rdev), mi = minor(rdev);

	if (ma >= 1u << (32 - IX_T1_KDEV_MINORBITS) || mi >= 1u << IX_T1_KDEV_MINORBITS)
		return ix_err_set(err, IX_EINVAL, "tier 1: device %u:%u out of the kernel's range",
				  ma, mi);
	*key = (uint32_t)ma << IX_T1_KDEV_MINORBITS | mi;
	return 0;
}

int
ix_t1_tty_set(struct ix_t1 *t, dev_t rdev, const struct ix_label *l, struct ix_err *err)
{
	struct ix_t1_label v;
	uint32_t key;

	if (kdev(rdev, &key, err) < 0)
		return -1;
	if (l == NULL) {
		if (map_elem(BPF_MAP_DELETE_ELEM, t->tty, &key, NULL, 0) < 0 && errno != ENOENT)
			return ix_err_sys(err, "tier 1: removing the label of tty %u:%u",
					  major(rdev), minor(rdev));
		return 0;
	}
	if (label_to_kernel(l, &v, "terminal label", err) < 0)
		return -1;
	if (map_elem(BPF_MAP_UPDATE_ELEM, t->tty, &key, &v, BPF_ANY) < 0) {
		if (errno == E2BIG)
			return ix_err_set(err, IX_ELIMIT, "tier 1: too many labelled terminals");
		return ix_err_sys(err, "tier 1: labelling tty %u:%u", major(rdev), minor(rdev));
	}
	return 0;
}

int
ix_t1_tty_get(struct ix_t1 *t, dev_t rdev, struct ix_label *l, bool *labelled,
	      struct ix_err *err)
{
	struct ix_t1_label v;
	uint32_t key;

	memset(l, 0, sizeof *l);
	*labelled = false;
	if (kdev(rdev, &key, err) < 0)
		return -1;
	if (map_elem(BPF_MAP_LOOKUP_ELEM, t->tty, &key, &v, 0) < 0) {
		if (errno == ENOENT)
			return 0;
		return ix_err_sys(err, "tier 1: reading the label of tty %u:%u",
				  major(rdev), minor(rdev));
	}
	label_from_kernel(&v, l);
	*labelled = true;
	return 0;
}

int
ix_t1_prompt_begin(struct ix_t1 *t, dev_t rdev, struct ix_t1_prompt_hold *h,
		   struct ix_err *err)
{
	struct ix_t1_prompt v;

	h->pidfd = -1;
	if (kdev(rdev, &h->key, err) < 0)
		return -1;
	if (getrandom(&h->cookie, sizeof h->cookie, 0) != (ssize_t)sizeof h->cookie)
		return ix_err_sys(err, "tier 1: a cookie for the prompt");
	h->pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	if (h->pidfd < 0)
		return ix_err_sys(err, "tier 1: pidfd of the prompting process");
	memset(&v, 0, sizeof v);
	v.tty = h->key;
	v.pid = (uint32_t)getpid();
	v.cookie = h->cookie;
	/* The task first: once the terminal is guarded, its prompter is known. */
	if (map_elem(BPF_MAP_UPDATE_ELEM, t->prompt_task, &h->pidfd, &v, BPF_ANY) < 0) {
		task_errno("marking the prompting process", err);
		goto fail;
	}
	if (map_elem(BPF_MAP_UPDATE_ELEM, t->prompt_tty, &h->key, &v, BPF_ANY) < 0) {
		if (errno == E2BIG)
			ix_err_set(err, IX_ELIMIT, "tier 1: too many terminals under a prompt");
		else
			ix_err_sys(err, "tier 1: guarding tty %u:%u", major(rdev), minor(rdev));
		(void)map_elem(BPF_MAP_DELETE_ELEM, t->prompt_task, &h->pidfd, NULL, 0);
		goto fail;
	}
	return 0;
fail:
	close(h->pidfd);
	h->pidfd = -1;
	return -1;
}

int
ix_t1_prompt_end(struct ix_t1 *t, struct ix_t1_prompt_hold *h, struct ix_err *err)
{
	struct ix_t1_prompt v;
	int rc = 0;

	if (h->pidfd < 0)
		return 0;
	/* Only our own hold: a later prompt on the terminal replaced it. */
	if (map_elem(BPF_MAP_LOOKUP_ELEM, t->prompt_tty, &h->key, &v, 0) == 0) {
		if (v.cookie == h->cookie &&
		    map_elem(BPF_MAP_DELETE_ELEM, t->prompt_tty, &h->key, NULL, 0) < 0 &&
		    errno != ENOENT)
			rc = ix_err_sys(err, "tier 1: releasing the terminal after the prompt");
	} else if (errno != ENOENT) {
		rc = ix_err_sys(err, "tier 1: reading the prompt's terminal entry");
	}
	if (map_elem(BPF_MAP_DELETE_ELEM, t->prompt_task, &h->pidfd, NULL, 0) < 0 &&
	    errno != ENOENT && rc == 0)
		rc = task_errno("unmarking the prompting process", err);
	close(h->pidfd);
	h->pidfd = -1;
	return rc;
}
