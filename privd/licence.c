/*
 * COPY, LICENSE, UNLICENSE and REQUIRE in the monitor (licence.h). The
 * file of each step is opened once, before the question, as the client
 * could open it; what is shown is its content hash, and what is done
 * after "yes" is done to that descriptor and checked against that hash.
 * A licensed file stays sealed (immutable) while its licences change, but
 * for the instant the kernel needs it writable to change an xattr; any
 * change to the content in that instant is caught by the hash every
 * dummy licence is bound to, and at tier 1 refused outright to a file
 * already licensed, which keeps its licence mark throughout.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "liblattice/privset.h"
#include "libpcopy/licence.h"
#include "privd/exec.h"
#include "privd/licence.h"

bool
privd_licence_kind(enum ix_step_kind k)
{
	return k == IX_STEP_COPY || k == IX_STEP_LICENSE || k == IX_STEP_UNLICENSE ||
	       k == IX_STEP_REQUIRE;
}

/* path as a regular file open for reading, walked and opened as client. */
static int
open_regular_as(const struct ix_ids *client, const char *path, int cwd, struct privd_step *s,
		struct ix_err *err)
{
	struct stat st, st2;
	int pfd = privd_open_as(client, path, cwd, err), fd;

	if (pfd < 0)
		return -1;
	if (fstat(pfd, &st) < 0) {
		close(pfd);
		return ix_err_sys(err, "%s", path);
	}
	/* Checked on O_PATH: a FIFO or a device is never opened for real. */
	if (!S_ISREG(st.st_mode)) {
		close(pfd);
		return ix_err_set(err, IX_EINVAL, "%s is %s: copies and licences are for regular "
				  "files only", path, pc_kind_name(st.st_mode));
	}
	fd = privd_reopen_as(client, pfd, O_RDONLY, err);
	close(pfd);
	if (fd < 0)
		return ix_err_prefix(err, "%s", path);
	if (fstat(fd, &st2) < 0 || st2.st_dev != st.st_dev || st2.st_ino != st.st_ino) {
		close(fd);
		return ix_err_set(err, IX_ESYS, "%s: reopened, it is not the file found", path);
	}
	s->fd = fd;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	return 0;
}

/* COPY's destination: its directory walked as client, opened for privd's
 * own use (privd writes there what the client may not), the last name. */
static int
open_dst_dir(const struct ix_ids *client, const char *dst, int cwd, struct privd_step *s,
	     struct ix_err *err)
{
	const char *slash = strrchr(dst, '/'), *base = slash ? slash + 1 : dst;
	char dir[IX_ACTION_ARG_MAX + 1], proc[64];
	struct stat st;
	int pfd;

	if (strlen(base) >= sizeof s->base)
		return ix_err_set(err, IX_EINVAL, "%s: its last name is too long", dst);
	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else
		snprintf(dir, sizeof dir, "%.*s", slash == dst ? 1 : (int)(slash - dst), dst);
	if ((pfd = privd_open_as(client, dir, cwd, err)) < 0)
		return ix_err_prefix(err, "the directory of %s", dst);
	if (fstat(pfd, &st) < 0 || !S_ISDIR(st.st_mode)) {
		close(pfd);
		return ix_err_set(err, IX_EINVAL, "%s: %s is not a directory", dst, dir);
	}
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", pfd);
	s->dir_fd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(pfd);
	if (s->dir_fd < 0)
		return ix_err_sys(err, "opening the directory of %s", dst);
	snprintf(s->base, sizeof s->base, "%s", base);
	return 0;
}

static const char *
file_of(const struct privd_step *s)
{
	return s->step->kind == IX_STEP_COPY ? s->step->copy.src : s->step->license.file;
}

/* Each role's dummy licence is on fd and bound to hash. */
static int
check_require(int fd, const char *file, const struct ix_step_license *l,
	      const unsigned char hash[PC_HASH_BYTES], struct ix_err *err)
{
	struct pc_dummy d[PC_DUMMY_MAX];
	char now[PC_HASH_TEXT_MAX], was[PC_HASH_TEXT_MAX];
	size_t n, j;

	if (pc_dummy_read(fd, d, PC_DUMMY_MAX, &n, err) < 0)
		return ix_err_prefix(err, "%s", file);
	for (size_t i = 0; i < l->nroles; i++) {
		for (j = 0; j < n && strcmp(d[j].role, l->roles[i]) != 0; j++)
			;
		if (j == n)
			return ix_err_set(err, IX_EDENIED, "%s carries no dummy licence of %s",
					  file, l->roles[i]);
		if (!d[j].well_formed)
			return ix_err_set(err, IX_EDENIED, "%s: the dummy licence of %s is malformed",
					  file, l->roles[i]);
		if (sodium_memcmp(d[j].hash, hash, PC_HASH_BYTES) != 0) {
			pc_hash_text(d[j].hash, was);
			pc_hash_text(hash, now);
			return ix_err_set(err, IX_EDENIED, "%s: hash mismatch: the dummy licence of "
					  "%s is bound to %s, the content is now %s (it changed "
					  "since %s approved it)", file, l->roles[i], was, now,
					  l->roles[i]);
		}
	}
	return 0;
}

/* A licence seals the inode, under every name it has: a file with another
 * name (perhaps one the client linked from elsewhere) is not licensed
 * through this one. */
static int
one_name(const struct privd_step *s, struct ix_err *err)
{
	struct stat st;

	if (fstat(s->fd, &st) < 0)
		return ix_err_sys(err, "%s", file_of(s));
	if (st.st_nlink > 1)
		return ix_err_set(err, IX_EDENIED, "%s has %lu hard links: a licensed file has one "
				  "name", file_of(s), (unsigned long)st.st_nlink);
	return 0;
}

int
privd_licence_same(const struct privd_act *act, size_t i, struct ix_err *err)
{
	const struct privd_step *s = &act->steps[i];

	for (size_t j = 0; j < i; j++) {
		const struct privd_step *t = &act->steps[j];

		if (!privd_licence_kind(t->step->kind) || strcmp(file_of(t), file_of(s)) != 0)
			continue;
		if (t->dev != s->dev || t->ino != s->ino)
			return ix_err_set(err, IX_EDENIED, "%s was replaced while privd opened it "
					  "(inode %llu, then %llu)", file_of(s),
					  (unsigned long long)t->ino, (unsigned long long)s->ino);
	}
	return 0;
}

int
privd_licence_open(struct privd_step *s, const struct ix_ids *client, int cwd,
		   const struct ix_plan *plan, struct ix_err *err)
{
	const struct ix_step *st = s->step;

	if (open_regular_as(client, file_of(s), cwd, s, err) < 0)
		return -1;
	if (pc_hash_fd(s->fd, s->hash, err) < 0)
		return ix_err_prefix(err, "%s", file_of(s));
	switch (st->kind) {
	case IX_STEP_COPY:
		return open_dst_dir(client, st->copy.dst, cwd, s, err);
	case IX_STEP_LICENSE:
		if (one_name(s, err) < 0)
			return -1;
		/* fall through */
	case IX_STEP_UNLICENSE:
		return ix_judge_licence(plan, s->index, err);
	case IX_STEP_REQUIRE:
		return check_require(s->fd, st->license.file, &st->license, s->hash, err);
	default:
		return ix_err_set(err, IX_EINVAL, "not a licence step");
	}
}

static void
caps_text(uint64_t caps, char *buf, size_t size)
{
	struct ix_privset s;
	struct ix_err e;

	ix_privset_empty(&s);
	for (int b = 0; b <= IX_PRIV_CAP_LAST; b++)
		if (caps & (UINT64_C(1) << b))
			ix_privset_add(&s, b);
	if (ix_privset_print(&s, buf, size, &e) <= 0)
		snprintf(buf, size, caps ? "(too many to show)" : "none");
}

/* "capabilities net_raw; dummy licences sysadmin (bound to this content)" */
static void
licences_text(int fd, const unsigned char hash[PC_HASH_BYTES], char *buf, size_t size)
{
	struct pc_dummy d[PC_DUMMY_MAX];
	struct ix_err e;
	uint64_t caps;
	bool present;
	size_t n, len;
	char c[512];

	if (pc_caps_read(fd, &caps, &present, &e) < 0)
		snprintf(c, sizeof c, "unreadable (%s)", e.msg);
	else
		caps_text(present ? caps : 0, c, sizeof c);
	len = (size_t)snprintf(buf, size, "capabilities %s; dummy licences", c);
	if (pc_dummy_read(fd, d, PC_DUMMY_MAX, &n, &e) < 0) {
		snprintf(buf + len, size - len, " unreadable (%s)", e.msg);
		return;
	}
	if (n == 0)
		snprintf(buf + len, size - len, " none");
	for (size_t i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s %s (%s)", i ? "," : "", d[i].role,
					!d[i].well_formed ? "malformed" :
					sodium_memcmp(d[i].hash, hash, PC_HASH_BYTES) == 0 ?
					"bound to this content" : "bound to other content");
}

void
privd_licence_describe(const struct privd_step *s, char *buf, size_t size)
{
	char h[PC_HASH_TEXT_MAX], lic[1024], to[128];
	struct stat st;
	size_t len;

	pc_hash_text(s->hash, h);
	len = (size_t)snprintf(buf, size, "%s (device %u:%u, inode %llu): content %s",
			       file_of(s), major((dev_t)s->dev), minor((dev_t)s->dev),
			       (unsigned long long)s->ino, h);
	if (len >= size)
		return;
	if (s->step->kind == IX_STEP_COPY) {
		if (fstatat(s->dir_fd, s->base, &st, AT_SYMLINK_NOFOLLOW) == 0)
			snprintf(to, sizeof to, "replacing inode %llu", (unsigned long long)st.st_ino);
		else
			snprintf(to, sizeof to, "a new file");
		snprintf(buf + len, size - len, "\n    to %s: %s", s->step->copy.dst, to);
		return;
	}
	licences_text(s->fd, s->hash, lic, sizeof lic);
	snprintf(buf + len, size - len, "\n    %s", lic);
}

/* The content is still the one shown: sealed first, so that it cannot
 * change between this hash and the licence bound to it. */
static int
same_content(const struct privd_step *s, bool seal, struct ix_err *err)
{
	unsigned char now[PC_HASH_BYTES];
	char was[PC_HASH_TEXT_MAX], is[PC_HASH_TEXT_MAX];

	if (seal && pc_immutable_set(s->fd, true, err) < 0)
		return -1;
	if (pc_hash_fd(s->fd, now, err) < 0)
		return -1;
	if (sodium_memcmp(now, s->hash, PC_HASH_BYTES) == 0)
		return 0;
	pc_hash_text(s->hash, was);
	pc_hash_text(now, is);
	return ix_err_set(err, IX_ECONFLICT, "its content changed since it was shown (%s, now %s)",
			  was, is);
}

static int
add_licences(const struct privd_step *s, char *report, size_t size, struct ix_err *err)
{
	const struct ix_step_license *l = &s->step->license;
	uint64_t caps;
	bool present;
	int rc = -1;

	if (same_content(s, true, err) < 0)
		goto out;
	if (pc_licence_unseal(s->fd, err) < 0)
		goto out;
	if (l->caps != 0 && (pc_caps_read(s->fd, &caps, &present, err) < 0 ||
			     pc_caps_write(s->fd, (present ? caps : 0) | l->caps, err) < 0))
		goto out;
	for (size_t i = 0; i < l->nroles; i++)
		if (pc_dummy_add(s->fd, l->roles[i], s->hash, err) < 0)
			goto out;
	rc = 0;
out:
	/* Whatever happened, sealed exactly while licensed. */
	if (pc_licence_seal(s->fd, rc == 0 ? err : &(struct ix_err){ 0 }) < 0)
		rc = -1;
	if (rc == 0)
		snprintf(report, size, "%s: licences added", l->file);
	return rc;
}

static int
remove_licences(const struct privd_step *s, char *report, size_t size, struct ix_err *err)
{
	const struct ix_step_license *l = &s->step->license;
	struct pc_dummy d[PC_DUMMY_MAX];
	uint64_t caps;
	bool present;
	size_t n;
	int rc = -1;

	if (pc_licence_unseal(s->fd, err) < 0)
		goto out;
	if (l->nnames == 0) {	/* every licence */
		if (pc_caps_write(s->fd, 0, err) < 0 ||
		    pc_dummy_read(s->fd, d, PC_DUMMY_MAX, &n, err) < 0)
			goto out;
		for (size_t i = 0; i < n; i++)
			if (d[i].well_formed && pc_dummy_remove(s->fd, d[i].role, err) < 0)
				goto out;
	} else {
		if (l->caps != 0 && (pc_caps_read(s->fd, &caps, &present, err) < 0 ||
				     pc_caps_write(s->fd, present ? caps & ~l->caps : 0, err) < 0))
			goto out;
		for (size_t i = 0; i < l->nroles; i++)
			if (pc_dummy_remove(s->fd, l->roles[i], err) < 0)
				goto out;
	}
	rc = 0;
out:
	if (pc_licence_seal(s->fd, rc == 0 ? err : &(struct ix_err){ 0 }) < 0)
		rc = -1;
	if (rc == 0)
		snprintf(report, size, "%s: %s removed", l->file,
			 l->nnames == 0 ? "every licence" : "licences");
	return rc;
}

/* COPY's precondition at the moment of the copy: a licensed file is
 * never replaced (the copy would drop what sealed it). */
static int
dst_unlicensed(const struct privd_step *s, struct ix_err *err)
{
	const char *dst = s->step->copy.dst;
	struct stat st;
	char proc[64];
	bool yes = false;
	int pfd = openat(s->dir_fd, s->base, O_PATH | O_NOFOLLOW | O_CLOEXEC), fd;

	if (pfd < 0)
		return errno == ENOENT ? 0 : ix_err_sys(err, "%s", dst);
	if (fstat(pfd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(pfd);
		return 0;	/* pcopy refuses it, and says why */
	}
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", pfd);
	fd = open(proc, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	close(pfd);
	if (fd < 0)
		return ix_err_sys(err, "%s", dst);
	if (pc_licensed(fd, &yes, err) < 0) {
		close(fd);
		return ix_err_prefix(err, "%s", dst);
	}
	close(fd);
	if (yes)
		return ix_err_set(err, IX_EDENIED, "%s carries licences, and a licensed file is "
				  "never changed: UNLICENSE it first", dst);
	return 0;
}

static int
copy(const struct privd_step *s, char *report, size_t size, struct ix_err *err)
{
	const struct ix_step_copy *c = &s->step->copy;
	struct pc_opts o = { .expect = s->hash, .system_owner = true };
	unsigned char h[PC_HASH_BYTES];
	char text[PC_HASH_TEXT_MAX];

	if (dst_unlicensed(s, err) < 0)
		return -1;
	switch (pc_copy_fd(s->fd, c->src, s->dir_fd, s->base, c->dst, &o, h, err)) {
	case PC_OK:
		break;
	case PC_CHANGED:
		err->code = IX_ECONFLICT;
		return -1;
	case PC_REFUSED:
		err->code = IX_EDENIED;
		return -1;
	default:
		return -1;
	}
	pc_hash_text(h, text);
	snprintf(report, size, "copied %s to %s: %s", c->src, c->dst, text);
	return 0;
}

int
privd_licence_apply(const struct privd_step *s, char *report, size_t size, struct ix_err *err)
{
	unsigned char now[PC_HASH_BYTES];

	switch (s->step->kind) {
	case IX_STEP_COPY:
		return copy(s, report, size, err);
	case IX_STEP_LICENSE:
		if (add_licences(s, report, size, err) < 0)
			return ix_err_prefix(err, "%s", s->step->license.file);
		return 0;
	case IX_STEP_UNLICENSE:
		if (remove_licences(s, report, size, err) < 0)
			return ix_err_prefix(err, "%s", s->step->license.file);
		return 0;
	case IX_STEP_REQUIRE:
		/* Again, on the content as it is now, just before what it guards. */
		if (pc_hash_fd(s->fd, now, err) < 0 ||
		    check_require(s->fd, s->step->license.file, &s->step->license, now, err) < 0)
			return -1;
		snprintf(report, size, "%s: dummy licences present and bound to its content",
			 s->step->license.file);
		return 0;
	default:
		return ix_err_set(err, IX_EINVAL, "not a licence step");
	}
}
