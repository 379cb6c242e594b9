/*
 * The paranoid copy (copy.h). Every step works on descriptors: the source
 * and the destination's directory are opened once, without following
 * symbolic links anywhere in their paths, and every later check and
 * action uses those descriptors, so no name is looked up twice except the
 * destination's last component, which is checked again just before the
 * rename that replaces it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "libpcopy/attrs.h"
#include "libpcopy/copy.h"
#include "libpcopy/licence.h"

#define BUF_SIZE (1u << 20)
#define TMP_TRIES 8
#define CFR_MAX ((off_t)1 << 30)	/* bytes asked of one copy_file_range */
#define COPY_STEP ((off_t)8 << 20)	/* the least the copy takes behind h1 */
#define THREAD_MIN ((off_t)1 << 20)	/* the smallest file hashed in a thread */

static int
open_nolinks(int dirfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned long long)flags,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

const char *
pc_kind_name(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFLNK: return "a symbolic link";
	case S_IFDIR: return "a directory";
	case S_IFIFO: return "a FIFO";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFSOCK: return "a socket";
	default: return "not a regular file";
	}
}

/*
 * Opens path for reading as a regular file. It is first opened O_PATH (so
 * that a FIFO or a device is never opened for real: no blocking, no side
 * effect), checked, then reopened through /proc/self/fd, which reaches the
 * same inode without a second lookup of the name. *st is its fstat.
 */
enum pc_status
pc_open_regular(const char *path, int *fdp, struct stat *st, struct ix_err *err)
{
	char proc[64];
	struct stat st2;
	int pfd, fd;

	pfd = open_nolinks(AT_FDCWD, path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pfd < 0) {
		if (errno == ELOOP || errno == EXDEV) {
			ix_err_set(err, IX_EDENIED, "%s: refused: its path has a symbolic link", path);
			return PC_REFUSED;
		}
		ix_err_sys(err, "%s", path);
		return PC_SYSERR;
	}
	if (fstat(pfd, st) < 0) {
		ix_err_sys(err, "%s: fstat", path);
		close(pfd);
		return PC_SYSERR;
	}
	if (!S_ISREG(st->st_mode)) {
		ix_err_set(err, IX_EDENIED, "%s: refused: it is %s, pcopy copies only regular files",
			   path, pc_kind_name(st->st_mode));
		close(pfd);
		return PC_REFUSED;
	}
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", pfd);
	fd = open(proc, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	close(pfd);
	if (fd < 0) {
		ix_err_sys(err, "%s: reopening for reading (is /proc mounted?)", path);
		return PC_SYSERR;
	}
	if (fstat(fd, &st2) < 0 || st2.st_dev != st->st_dev || st2.st_ino != st->st_ino) {
		ix_err_set(err, IX_ESYS, "%s: reopened file is not the one checked", path);
		close(fd);
		return PC_SYSERR;
	}
	*fdp = fd;
	return PC_OK;
}

/*
 * h1's progress through the source, shared by the thread that hashes it
 * and the one that copies it. The copy reads no byte before h1 has read
 * it, and h2 starts only once the copy is over: every byte is read by h1,
 * by the copy and by h2 in that order, as when the three ran one after
 * the other, so equal hashes still mean that no byte changed between its
 * read by h1 and its read by h2, with its copy read in between.
 */
struct progress {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	off_t hashed;		/* bytes of the source h1 has read */
	bool hash_over;		/* h1 read to the end, or failed */
	bool hash_failed;
	bool copy_over;		/* the copy is complete, or failed */
	bool copy_failed;
};

static void
progress_hashed(struct progress *p, off_t hashed)
{
	pthread_mutex_lock(&p->mu);
	p->hashed = hashed;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* Ends h1 or the copy (over and failed, the fields of either). */
static void
progress_end(struct progress *p, bool *over, bool *failed, bool fail)
{
	pthread_mutex_lock(&p->mu);
	*over = true;
	*failed = fail;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* How many bytes from off the copy may read: those h1 has read, once
 * they are COPY_STEP or h1 is over (large steps make copy_file_range
 * and the writeback efficient). 0 once the copy reached h1's end; -1
 * when h1 failed. */
static off_t
hashed_ahead(struct progress *p, off_t off)
{
	off_t n;

	pthread_mutex_lock(&p->mu);
	while (!p->hash_over && p->hashed - off < COPY_STEP)
		pthread_cond_wait(&p->cv, &p->mu);
	n = p->hash_failed ? -1 : p->hashed - off;
	pthread_mutex_unlock(&p->mu);
	return n;
}

/* Waits for the end of the copy; true when it succeeded. */
static bool
copy_wait(struct progress *p)
{
	bool ok;

	pthread_mutex_lock(&p->mu);
	while (!p->copy_over)
		pthread_cond_wait(&p->cv, &p->mu);
	ok = !p->copy_failed;
	pthread_mutex_unlock(&p->mu);
	return ok;
}

/* BLAKE2b-256 of the whole content of fd, read with pread from offset 0;
 * with p, each step published for the copy to follow. */
static int
hash_fd(int fd, unsigned char out[PC_HASH_BYTES], unsigned char *buf, struct progress *p,
	struct ix_err *err)
{
	crypto_generichash_state st;
	off_t off = 0;

	crypto_generichash_init(&st, NULL, 0, PC_HASH_BYTES);
	for (;;) {
		ssize_t n = pread(fd, buf, BUF_SIZE, off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return ix_err_sys(err, "reading for the hash");
		}
		if (n == 0)
			break;
		crypto_generichash_update(&st, buf, (unsigned long long)n);
		off += n;
		if (p != NULL)
			progress_hashed(p, off);
	}
	crypto_generichash_final(&st, out, PC_HASH_BYTES);
	return 0;
}

/* copy_file_range of up to len bytes at off; -1 with errno on failure. */
static ssize_t
cfr_chunk(int in, int out, off_t off, off_t len)
{
	loff_t off_in = off, off_out = off;
	ssize_t n;

	do
		n = copy_file_range(in, &off_in, out, &off_out,
				    (size_t)(len < CFR_MAX ? len : CFR_MAX), 0);
	while (n < 0 && errno == EINTR);
	return n;
}

static bool
cfr_unsupported(int e)
{
	return e == EXDEV || e == EINVAL || e == EOPNOTSUPP || e == ENOSYS;
}

/* pread then pwrite of up to len bytes at off, through buf. */
static ssize_t
rw_chunk(int in, int out, off_t off, off_t len, unsigned char *buf, struct ix_err *err)
{
	ssize_t n, w;

	do
		n = pread(in, buf, (size_t)(len < BUF_SIZE ? len : BUF_SIZE), off);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return ix_err_sys(err, "reading the source");
	for (ssize_t done = 0; done < n; done += w) {
		w = pwrite(out, buf + done, (size_t)(n - done), off + done);
		if (w < 0) {
			if (errno != EINTR)
				return ix_err_sys(err, "writing the copy");
			w = 0;
		}
	}
	return n;
}

/* Starts writing a copied range to disk while the hashes keep the CPUs
 * busy, so that the fsync before the rename finds little left to do. A
 * hint only: its failure is ignored, the fsync reports write errors. */
static void
start_writeback(int fd, off_t off, off_t len)
{
	(void)sync_file_range(fd, off, len, SYNC_FILE_RANGE_WRITE);
}

/* Copies in to out from offset 0, never past what h1 has read (p), up to
 * h1's end or the source's if it comes first: copy_file_range first,
 * read and write where the file systems do not support it. -1 without
 * *err set when h1 failed. */
static int
copy_content(int in, int out, unsigned char *buf, struct progress *p, struct ix_err *err)
{
	bool fallback = false;
	off_t off = 0, ahead;
	ssize_t n = -1;

	while ((ahead = hashed_ahead(p, off)) > 0) {
		if (!fallback) {
			n = cfr_chunk(in, out, off, ahead);
			if (n < 0 && !cfr_unsupported(errno))
				return ix_err_sys(err, "copy_file_range");
			fallback = n < 0;
		}
		if (fallback && (n = rw_chunk(in, out, off, ahead, buf, err)) < 0)
			return -1;
		/* A source shorter than h1 read: h2 and h3 tell. */
		if (n == 0)
			return 0;
		start_writeback(out, off, n);
		off += n;
	}
	return ahead < 0 ? -1 : 0;
}

/* The source's side: h1, then h2 once the copy is over. On a large file
 * it runs in a thread of its own, so that h1 runs alongside the copy and
 * h2 alongside h3 on the other core. */
struct source_side {
	int fd;
	struct progress *p;
	unsigned char *buf;
	unsigned char h1[PC_HASH_BYTES], h2[PC_HASH_BYTES];
	int rc;
	struct ix_err err;
};

static int
hash_before(struct source_side *s)
{
	s->rc = hash_fd(s->fd, s->h1, s->buf, s->p, &s->err);
	progress_end(s->p, &s->p->hash_over, &s->p->hash_failed, s->rc < 0);
	return s->rc;
}

static void
hash_after(struct source_side *s)
{
	if (copy_wait(s->p))
		s->rc = hash_fd(s->fd, s->h2, s->buf, NULL, &s->err);
}

static void *
source_thread(void *arg)
{
	struct source_side *s = arg;

	if (hash_before(s) == 0)
		hash_after(s);
	return NULL;
}

/* Starts source_thread with every signal blocked: signals stay the
 * caller's threads' to take. False when no thread could be made. */
static bool
start_source_thread(pthread_t *th, struct source_side *s)
{
	sigset_t all, old;
	bool ok;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ok = pthread_create(th, NULL, source_thread, s) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ok;
}

/* h1 of the source, its copy into tfd, h2 of the source once the copy is
 * over and h3 of the copy read back from tfd; 0 when all four ran. From
 * THREAD_MIN bytes, where a hash pass takes a millisecond against tens
 * of microseconds to make a thread, the source's side has a thread of
 * its own; below it, or when no thread can be made, the steps run one
 * after the other, in the same order. */
static int
copy_and_hash(int sfd, int tfd, off_t size, unsigned char h1[PC_HASH_BYTES],
	      unsigned char h2[PC_HASH_BYTES], unsigned char h3[PC_HASH_BYTES],
	      const char *src, const char *dst, struct ix_err *err)
{
	struct progress p = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
	struct source_side s = {.fd = sfd, .p = &p, .buf = malloc(BUF_SIZE)};
	unsigned char *buf = malloc(BUF_SIZE);
	bool threaded = false, copied, read_back;
	pthread_t th;
	int rc = -1;

	if (buf == NULL || s.buf == NULL) {
		ix_err_set(err, IX_ENOMEM, "out of memory");
		goto out;
	}
	threaded = size >= THREAD_MIN && start_source_thread(&th, &s);
	if (!threaded)
		hash_before(&s);
	copied = copy_content(sfd, tfd, buf, &p, err) == 0;
	progress_end(&p, &p.copy_over, &p.copy_failed, !copied);
	if (copied && !threaded)
		hash_after(&s);
	read_back = copied && hash_fd(tfd, h3, buf, NULL, err) == 0;
	if (threaded)
		pthread_join(th, NULL);
	/* The source's error first: when h1 fails, the copy stops without one. */
	if (s.rc < 0) {
		*err = s.err;
		rc = ix_err_prefix(err, "%s", src);
	} else if (!copied) {
		rc = ix_err_prefix(err, "%s to %s", src, dst);
	} else if (!read_back) {
		rc = ix_err_prefix(err, "%s: reading the copy back", dst);
	} else {
		rc = 0;
	}
	memcpy(h1, s.h1, PC_HASH_BYTES);
	memcpy(h2, s.h2, PC_HASH_BYTES);
out:
	free(s.buf);
	free(buf);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	return rc;
}

/* Splits dst into its directory (in dir, size bytes) and last component. */
static enum pc_status
split_dst(const char *dst, char *dir, size_t size, const char **base, struct ix_err *err)
{
	const char *slash = strrchr(dst, '/');
	size_t n;

	if (slash == NULL) {
		snprintf(dir, size, ".");
		*base = dst;
	} else {
		n = slash == dst ? 1 : (size_t)(slash - dst);
		if (n >= size) {
			ix_err_set(err, IX_ELIMIT, "%s: path too long", dst);
			return PC_USAGE;
		}
		memcpy(dir, dst, n);
		dir[n] = '\0';
		*base = slash + 1;
	}
	if (**base == '\0' || strcmp(*base, ".") == 0 || strcmp(*base, "..") == 0) {
		ix_err_set(err, IX_EINVAL, "%s: the destination must name a file", dst);
		return PC_USAGE;
	}
	return PC_OK;
}

/* Checks what is now at base in the directory dfd (device ddev): nothing,
 * or a regular file on the directory's file system, with one link (unless
 * split_links), and not the source itself. */
static enum pc_status
check_dst(int dfd, const char *base, dev_t ddev, const struct stat *src,
	  const struct pc_opts *o, const char *dst, struct ix_err *err)
{
	char mark_path[PATH_MAX];
	struct statx sx;
	struct stat st;

	/* statx for STATX_ATTR_MOUNT_ROOT: a file bind-mounted from the same
	 * file system has the directory's st_dev, and only that attribute
	 * tells it is a mount point. */
	if (statx(dfd, base, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx) < 0) {
		if (errno == ENOENT)
			return PC_OK;
		ix_err_sys(err, "%s", dst);
		return PC_SYSERR;
	}
	st.st_mode = sx.stx_mode;
	st.st_dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
	st.st_ino = sx.stx_ino;
	st.st_nlink = sx.stx_nlink;
	if ((sx.stx_attributes_mask & STATX_ATTR_IMMUTABLE) &&
	    (sx.stx_attributes & STATX_ATTR_IMMUTABLE)) {
		ix_err_set(err, IX_EDENIED, "%s: refused: the destination is immutable (a licensed "
			   "file is never changed); its licences must be removed first", dst);
		return PC_REFUSED;
	}
	/* Marked but not immutable: a licensed file whose attribute someone
	 * cleared. Tier 1 would refuse the rename over it; refused here on
	 * every tier, before anything is written. */
	if (snprintf(mark_path, sizeof mark_path, "/proc/self/fd/%d/%s", dfd, base) >=
	    (int)sizeof mark_path) {
		ix_err_set(err, IX_ELIMIT, "%s: path too long", dst);
		return PC_USAGE;
	}
	if (lgetxattr(mark_path, IX_T1_LICENCE_XATTR, NULL, 0) >= 0) {
		ix_err_set(err, IX_EDENIED, "%s: refused: the destination carries the licence mark "
			   "(%s: a licensed file is never changed); its licences must be removed "
			   "first", dst, IX_T1_LICENCE_XATTR);
		return PC_REFUSED;
	}
	if (errno != ENODATA && errno != ENOTSUP) {
		ix_err_sys(err, "%s: its licence mark", dst);
		return PC_SYSERR;
	}
	if ((sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
	    (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT)) {
		ix_err_set(err, IX_EDENIED, "%s: refused: the destination is a mount point", dst);
		return PC_REFUSED;
	}
	if (!S_ISREG(st.st_mode)) {
		ix_err_set(err, IX_EDENIED, "%s: refused: the destination is %s", dst, pc_kind_name(st.st_mode));
		return PC_REFUSED;
	}
	if (st.st_dev != ddev) {
		ix_err_set(err, IX_EDENIED, "%s: refused: the destination is on another file system "
			   "than its directory (a mount point)", dst);
		return PC_REFUSED;
	}
	if (st.st_dev == src->st_dev && st.st_ino == src->st_ino) {
		ix_err_set(err, IX_EDENIED, "%s: refused: the destination is the source", dst);
		return PC_REFUSED;
	}
	if (st.st_nlink > 1 && !o->split_links) {
		ix_err_set(err, IX_EDENIED, "%s: refused: the destination has %lu hard links; "
			   "replacing it would split them (--split-links to do so)",
			   dst, (unsigned long)st.st_nlink);
		return PC_REFUSED;
	}
	return PC_OK;
}

/* The owner a copy into a system directory takes: the replaced file's,
 * else the directory's. A user's staging file becomes a system file only
 * under the system's owner. */
static int
system_owner(int dfd, const char *base, struct pc_attrs *a, const char *dst, struct ix_err *err)
{
	struct stat st;

	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT || fstat(dfd, &st) < 0)
			return ix_err_sys(err, "%s: its owner", dst);
	}
	a->uid = st.st_uid;
	a->gid = st.st_gid;
	return 0;
}

static bool
same_stat(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Links the unnamed file tfd to a fresh random name in dfd, then renames
 * that name over base: base is the old file or the new one, never absent
 * or partial. The random name is removed on every failure. */
static enum pc_status
link_into_place(int tfd, int dfd, const char *base, const char *dst, struct ix_err *err)
{
	char proc[64], tmp[64];
	unsigned char r[8];
	int i;

	snprintf(proc, sizeof proc, "/proc/self/fd/%d", tfd);
	for (i = 0; i < TMP_TRIES; i++) {
		randombytes_buf(r, sizeof r);
		snprintf(tmp, sizeof tmp, ".pcopy.%02x%02x%02x%02x%02x%02x%02x%02x",
			 r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
		if (linkat(AT_FDCWD, proc, dfd, tmp, AT_SYMLINK_FOLLOW) == 0)
			break;
		if (errno != EEXIST) {
			ix_err_sys(err, "%s: linking the copy into its directory", dst);
			return PC_SYSERR;
		}
	}
	if (i == TMP_TRIES) {
		ix_err_set(err, IX_EEXIST, "%s: no free temporary name", dst);
		return PC_SYSERR;
	}
	if (renameat(dfd, tmp, dfd, base) < 0) {
		ix_err_sys(err, "%s: renaming the copy into place", dst);
		unlinkat(dfd, tmp, 0);
		return PC_SYSERR;
	}
	return PC_OK;
}

int
pc_hash_fd(int fd, unsigned char out[PC_HASH_BYTES], struct ix_err *err)
{
	unsigned char *buf = malloc(BUF_SIZE);
	int rc;

	if (buf == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	if (sodium_init() < 0) {
		free(buf);
		return ix_err_set(err, IX_ESYS, "libsodium failed to initialise");
	}
	rc = hash_fd(fd, out, buf, NULL, err);
	free(buf);
	return rc;
}

static void
hash_hex(const unsigned char h[PC_HASH_BYTES], char out[2 * PC_HASH_BYTES + 1])
{
	sodium_bin2hex(out, 2 * PC_HASH_BYTES + 1, h, PC_HASH_BYTES);
}

enum pc_status
pc_copy(const char *src, const char *dst, const struct pc_opts *o,
	unsigned char hash[PC_HASH_BYTES], struct ix_err *err)
{
	struct stat st0;
	char dir[4096];
	const char *base;
	int sfd = -1, dfd = -1;
	enum pc_status rc;

	rc = split_dst(dst, dir, sizeof dir, &base, err);
	if (rc != PC_OK)
		return rc;
	rc = pc_open_regular(src, &sfd, &st0, err);
	if (rc != PC_OK)
		return rc;
	dfd = open_nolinks(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		if (errno == ELOOP || errno == EXDEV) {
			ix_err_set(err, IX_EDENIED, "%s: refused: its path has a symbolic link", dir);
			rc = PC_REFUSED;
		} else {
			ix_err_sys(err, "%s: the destination's directory", dir);
			rc = PC_SYSERR;
		}
		close(sfd);
		return rc;
	}
	rc = pc_copy_fd(sfd, src, dfd, base, dst, o, hash, err);
	close(dfd);
	close(sfd);
	return rc;
}

enum pc_status
pc_copy_fd(int sfd, const char *src, int dfd, const char *base, const char *dst,
	   const struct pc_opts *o, unsigned char hash[PC_HASH_BYTES], struct ix_err *err)
{
	unsigned char h1[PC_HASH_BYTES], h2[PC_HASH_BYTES], h3[PC_HASH_BYTES];
	struct pc_attrs a0 = {0}, a1 = {0};
	struct stat st0, st1, dst_dir;
	int tfd = -1;
	enum pc_status rc = PC_SYSERR;
	bool licensed;

	if (sodium_init() < 0) {
		ix_err_set(err, IX_ESYS, "libsodium failed to initialise");
		return PC_SYSERR;
	}
	if (strchr(base, '/') != NULL || *base == '\0' || strcmp(base, ".") == 0 ||
	    strcmp(base, "..") == 0) {
		ix_err_set(err, IX_EINVAL, "%s: the destination must name a file", dst);
		return PC_USAGE;
	}
	if (fstat(sfd, &st0) < 0) {
		ix_err_sys(err, "%s: fstat", src);
		return PC_SYSERR;
	}
	if (!S_ISREG(st0.st_mode)) {
		ix_err_set(err, IX_EDENIED, "%s: refused: it is %s, pcopy copies only regular files",
			   src, pc_kind_name(st0.st_mode));
		return PC_REFUSED;
	}
	if (fstat(dfd, &dst_dir) < 0) {
		ix_err_sys(err, "%s: fstat of its directory", dst);
		goto out;
	}
	rc = check_dst(dfd, base, dst_dir.st_dev, &st0, o, dst, err);
	if (rc != PC_OK)
		goto out;
	rc = PC_SYSERR;
	if (pc_attrs_collect(sfd, &a0, err) < 0) {
		ix_err_prefix(err, "%s", src);
		goto out;
	}
	/* Unnamed, mode 0600 until the attributes are set: nobody can open
	 * it by a name while it is written. */
	tfd = openat(dfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (tfd < 0) {
		ix_err_sys(err, "%s: an unnamed temporary file (O_TMPFILE) in its directory", dst);
		goto out;
	}
	if (copy_and_hash(sfd, tfd, st0.st_size, h1, h2, h3, src, dst, err) < 0)
		goto out;
	/* The content a person approved (privd's COPY): checked on h1, the
	 * source as it was copied; the copy is still unnamed. */
	if (o->expect != NULL && sodium_memcmp(h1, o->expect, PC_HASH_BYTES) != 0) {
		ix_err_set(err, IX_ECONFLICT, "%s: its content is not the one expected (it changed "
			   "since it was shown); %s not changed", src, dst);
		rc = PC_CHANGED;
		goto out;
	}
	/* The source after the copy: same hash, size, times and attributes,
	 * or the copy may hold a mix of before and after. */
	if (fstat(sfd, &st1) < 0 || pc_attrs_collect(sfd, &a1, err) < 0) {
		ix_err_prefix(err, "%s", src);
		goto out;
	}
	if (sodium_memcmp(h1, h2, PC_HASH_BYTES) != 0 || !same_stat(&st0, &st1) ||
	    !pc_attrs_equal(&a0, &a1)) {
		ix_err_set(err, IX_ECONFLICT, "%s: the source changed during the copy; %s not changed",
			   src, dst);
		rc = PC_CHANGED;
		goto out;
	}
	if (sodium_memcmp(h1, h3, PC_HASH_BYTES) != 0) {
		char x1[2 * PC_HASH_BYTES + 1], x3[2 * PC_HASH_BYTES + 1];
		hash_hex(h1, x1);
		hash_hex(h3, x3);
		ix_err_set(err, IX_ECORRUPT, "%s: the copy read back (%s) differs from the source "
			   "(%s); %s not changed", src, x3, x1, dst);
		rc = PC_CHANGED;
		goto out;
	}
	if (o->system_owner && system_owner(dfd, base, &a0, dst, err) < 0)
		goto out;
	if (pc_attrs_apply(tfd, &a0, err) < 0) {
		ix_err_prefix(err, "%s", dst);
		goto out;
	}
	if (pc_licensed(tfd, &licensed, err) < 0) {
		ix_err_prefix(err, "%s", dst);
		goto out;
	}
	if (fsync(tfd) < 0) {
		ix_err_sys(err, "%s: fsync of the copy", dst);
		goto out;
	}
	/* Again, just before the rename: the name may have changed since. */
	rc = check_dst(dfd, base, dst_dir.st_dev, &st0, o, dst, err);
	if (rc != PC_OK)
		goto out;
	rc = link_into_place(tfd, dfd, base, dst, err);
	if (rc != PC_OK)
		goto out;
	/* A licensed copy is sealed once in place: an immutable file cannot
	 * be linked into its directory, and tier 1 refuses to rename a marked
	 * one (which is why the mark is not among the attributes copied).
	 * Only root reaches it meanwhile, through the directory pcopy was
	 * allowed to write. */
	if (licensed && pc_licence_seal(tfd, err) < 0) {
		ix_err_prefix(err, "%s: the copy is in place, but", dst);
		rc = PC_SYSERR;
		goto out;
	}
	if (fsync(dfd) < 0) {
		ix_err_sys(err, "%s: fsync of the directory (the copy is in place)", dst);
		rc = PC_SYSERR;
		goto out;
	}
	memcpy(hash, h1, PC_HASH_BYTES);
	rc = PC_OK;
out:
	pc_attrs_free(&a0);
	pc_attrs_free(&a1);
	if (tfd >= 0)
		close(tfd);
	return rc;
}

enum pc_status
pc_verify(const char *src, const char *dst,
	  void (*report)(void *arg, const char *line), void *arg, struct ix_err *err)
{
	unsigned char hs[PC_HASH_BYTES], hd[PC_HASH_BYTES];
	struct pc_attrs as = {0}, ad = {0};
	struct stat sts, std;
	unsigned char *buf = NULL;
	int sfd = -1, dfd = -1;
	enum pc_status rc;
	size_t diffs = 0;

	if (sodium_init() < 0) {
		ix_err_set(err, IX_ESYS, "libsodium failed to initialise");
		return PC_SYSERR;
	}
	rc = pc_open_regular(src, &sfd, &sts, err);
	if (rc != PC_OK)
		return rc;
	rc = pc_open_regular(dst, &dfd, &std, err);
	if (rc != PC_OK)
		goto out;
	rc = PC_SYSERR;
	buf = malloc(BUF_SIZE);
	if (buf == NULL) {
		ix_err_set(err, IX_ENOMEM, "out of memory");
		goto out;
	}
	if (pc_attrs_collect(sfd, &as, err) < 0 || hash_fd(sfd, hs, buf, NULL, err) < 0) {
		ix_err_prefix(err, "%s", src);
		goto out;
	}
	if (pc_attrs_collect(dfd, &ad, err) < 0 || hash_fd(dfd, hd, buf, NULL, err) < 0) {
		ix_err_prefix(err, "%s", dst);
		goto out;
	}
	if (sodium_memcmp(hs, hd, PC_HASH_BYTES) != 0) {
		char xs[2 * PC_HASH_BYTES + 1], xd[2 * PC_HASH_BYTES + 1], line[256];
		hash_hex(hs, xs);
		hash_hex(hd, xd);
		snprintf(line, sizeof line, "content: blake2b-256:%s (source) blake2b-256:%s (copy)",
			 xs, xd);
		report(arg, line);
		diffs++;
	}
	diffs += pc_attrs_compare(&as, &ad, report, arg);
	rc = diffs == 0 ? PC_OK : PC_DIFFER;
out:
	pc_attrs_free(&as);
	pc_attrs_free(&ad);
	free(buf);
	if (dfd >= 0)
		close(dfd);
	close(sfd);
	return rc;
}
