/*
 * Compartment uids (compart_uid.h).
 *
 * The record is the compartment's own directory: a uid is taken exactly
 * while some directory under the parent carries it, so removing the
 * compartment releases it and no crash can leave it held by nothing that
 * exists. A directory cut short before its flags were set still holds its
 * uid until it is removed.
 *
 * There is no lock: any user can open the parent and hold a flock on it
 * for ever, and each sealed compartment made would wait on them. Drawing
 * claims instead, then looks: it writes a uid no other directory showed,
 * reads every record again, and if another directory shows the same uid
 * it takes its own back, waits a random moment and starts over. Two
 * drawers can never both keep a uid: each looks after it wrote, so the
 * later look sees the earlier claim. Only root (CAP_SYS_ADMIN) writes
 * trusted.* attributes, so only root can make a drawer start over.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdbool.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "libcompart/compart_uid.h"

#define XA_UID "trusted.ixkit.uid"
/* The cursor of the range starting at %u: one per range, so that drawers
 * from different ranges do not reset each other's turn. */
#define XA_UID_NEXT "trusted.ixkit.uid_next.%u"
/* Uids of the range the user database may claim before drawing gives up:
 * beyond this the range is the administrator's mistake, not a search. */
#define NSS_TAKEN_MAX 65536
#define NSS_BUF 16384
/* Claims that met another drawer's before drawing gives up, and the
 * longest wait between two (a random part of it). */
#define CLAIMS_MAX 100
#define CLAIM_WAIT_NS (16 * 1000 * 1000)

static void
put32(uint8_t b[4], uint32_t v)
{
	b[0] = (uint8_t)v, b[1] = (uint8_t)(v >> 8), b[2] = (uint8_t)(v >> 16), b[3] = (uint8_t)(v >> 24);
}

static uint32_t
get32(const uint8_t b[4])
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

int
ix_compart_uid_read(int dir, const char *name, uid_t *uid, struct ix_err *err)
{
	uint8_t b[5];
	ssize_t n = fgetxattr(dir, XA_UID, b, sizeof b);

	*uid = 0;
	if (n < 0 && errno == ENODATA)
		return 0;
	if (n < 0)
		return ix_err_sys(err, "compartment '%s': reading its uid", name);
	if (n != 4 || get32(b) == 0)
		return ix_err_set(err, IX_ECORRUPT, "compartment '%s': its uid record is not a uid",
				  name);
	*uid = get32(b);
	return 0;
}

static int
cmp_uid(const void *a, const void *b)
{
	uid_t x = *(const uid_t *)a, y = *(const uid_t *)b;

	return (x > y) - (x < y);
}

/* Whether u is among the sorted used. */
static bool
held(uid_t u, const uid_t *used, size_t nused)
{
	/* bsearch's array may not be NULL even when empty (C11 7.22.5). */
	return nused > 0 && bsearch(&u, used, nused, sizeof *used, cmp_uid) != NULL;
}

/* Every uid recorded under the parent but on self (the directory being
 * made), sorted into *out (malloc'ed). */
static int
recorded(int parent, const char *self, uid_t **out, size_t *n, struct ix_err *err)
{
	uid_t *v = NULL;
	size_t cnt = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int fd = fcntl(parent, F_DUPFD_CLOEXEC, 3);

	*out = NULL;
	*n = 0;
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return ix_err_sys(err, "listing compartments for their uids");
	}
	rewinddir(d);	/* the duplicate shares the parent's offset */
	while ((de = readdir(d))) {
		uid_t u;
		int sub;

		if (de->d_type != DT_DIR || de->d_name[0] == '.' || !strcmp(de->d_name, self))
			continue;
		sub = openat(dirfd(d), de->d_name, O_DIRECTORY | O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (sub < 0)
			continue;	/* removed meanwhile: its uid with it */
		if (ix_compart_uid_read(sub, de->d_name, &u, err) < 0) {
			close(sub);
			goto fail;
		}
		close(sub);
		if (u == 0)
			continue;
		if (cnt == cap) {
			uid_t *nv = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof *v);
			if (!nv) {
				ix_err_set(err, IX_ENOMEM, "listing compartment uids: out of memory");
				goto fail;
			}
			v = nv;
		}
		v[cnt++] = u;
	}
	closedir(d);
	if (cnt)
		qsort(v, cnt, sizeof *v, cmp_uid);
	*out = v;
	*n = cnt;
	return 0;
fail:
	closedir(d);
	free(v);
	return -1;
}

/* Whether the user database knows u as a user or a group: 1 it does, 0 it
 * does not, -1 it cannot say (fail closed: the uid is not drawn). */
static int
nss_knows(uid_t u, struct ix_err *err)
{
	char buf[NSS_BUF];
	struct passwd pw, *pr = NULL;
	struct group gr, *gp = NULL;
	int r;

	/* ERANGE: an entry too large for buf, so one that exists. */
	if ((r = getpwuid_r(u, &pw, buf, sizeof buf, &pr)) == ERANGE)
		return 1;
	if (r != 0 && r != ENOENT && r != ESRCH) {
		errno = r;
		return ix_err_sys(err, "the user database cannot say whether uid %u is free", (unsigned)u);
	}
	if (pr)
		return 1;
	if ((r = getgrgid_r(u, &gr, buf, sizeof buf, &gp)) == ERANGE)
		return 1;
	if (r != 0 && r != ENOENT && r != ESRCH) {
		errno = r;
		return ix_err_sys(err, "the user database cannot say whether gid %u is free", (unsigned)u);
	}
	return gp != NULL;
}

/* The cursor on the parent, or min when absent or outside the range (the
 * range was changed). */
static uid_t
cursor(int parent, uid_t min, uid_t max)
{
	char xa[64];
	uint8_t b[4];
	uid_t c;

	snprintf(xa, sizeof xa, XA_UID_NEXT, (unsigned)min);
	if (fgetxattr(parent, xa, b, sizeof b) != sizeof b)
		return min;
	c = get32(b);
	return c < min || c > max ? min : c;
}

/* Picks the first free uid from the cursor on, wrapping once. */
static int
pick(int parent, uid_t min, uid_t max, const uid_t *used, size_t nused, uid_t *out,
     struct ix_err *err)
{
	const uint64_t size = (uint64_t)max - min + 1;
	const uint64_t start = cursor(parent, min, max) - min;
	size_t taken = 0, inside = 0;

	for (uint64_t i = 0; i < size; i++) {
		uid_t u = (uid_t)(min + (start + i) % size);
		int k;

		if (u == 65534 || u == 65535 || held(u, used, nused))
			continue;
		if ((k = nss_knows(u, err)) < 0)
			return -1;
		if (k == 0) {
			*out = u;
			return 0;
		}
		if (++taken == NSS_TAKEN_MAX)
			break;
	}
	for (size_t i = 0; i < nused; i++)
		inside += used[i] >= min && used[i] <= max;
	return ix_err_set(err, IX_ELIMIT, "no free compartment uid in %u-%u (%zu held by compartments, "
			  "%zu%s by the user database)", (unsigned)min, (unsigned)max, inside, taken,
			  taken == NSS_TAKEN_MAX ? " or more" : "");
}

/* Waits a random moment below CLAIM_WAIT_NS, so that drawers that met
 * do not meet again. */
static void
back_off(void)
{
	uint32_t r = 0;
	struct timespec t;

	if (getrandom(&r, sizeof r, GRND_NONBLOCK) != sizeof r)
		r = (uint32_t)getpid() * 2654435761u;
	t.tv_sec = 0;
	t.tv_nsec = (long)(r % CLAIM_WAIT_NS);
	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

int
ix_compart_uid_draw(int parent, int dir, const char *name, const struct ix_uid_range *range,
		    uid_t *uid, struct ix_err *err)
{
	uid_t min = IX_COMPART_UID_MIN, max = IX_COMPART_UID_MAX, u = 0, *used = NULL;
	size_t nused = 0;
	char xa[64];
	uint8_t b[4];

	if (range && (range->min || range->max)) {
		min = range->min;
		max = range->max;
	}
	if (min == 0 || min > max || max >= (uid_t)-2)
		return ix_err_set(err, IX_EINVAL, "compartment uids %u-%u: not a range of uids other "
				  "than 0", (unsigned)min, (unsigned)max);
	for (int claim = 0; claim < CLAIMS_MAX; claim++) {
		bool met;

		if (claim > 0)
			back_off();
		if (recorded(parent, name, &used, &nused, err) < 0 ||
		    pick(parent, min, max, used, nused, &u, err) < 0)
			goto fail;
		free(used);
		used = NULL;
		put32(b, u);
		if (fsetxattr(dir, XA_UID, b, sizeof b, 0) < 0) {
			ix_err_sys(err, "compartment '%s': recording its uid %u", name, (unsigned)u);
			goto fail;
		}
		if (recorded(parent, name, &used, &nused, err) < 0)
			goto fail;
		met = held(u, used, nused);
		free(used);
		used = NULL;
		if (met) {
			if (fremovexattr(dir, XA_UID) < 0) {
				ix_err_sys(err, "compartment '%s': taking back its claim on uid %u", name,
					   (unsigned)u);
				goto fail;
			}
			continue;
		}
		/* The cursor only spreads reuse out; the records decide. */
		snprintf(xa, sizeof xa, XA_UID_NEXT, (unsigned)min);
		put32(b, u == max ? min : u + 1);
		(void)fsetxattr(parent, xa, b, sizeof b, 0);
		*uid = u;
		return 0;
	}
	return ix_err_set(err, IX_ELIMIT, "compartment '%s': no uid drawn in %d tries, each met "
			  "another drawer's claim", name, CLAIMS_MAX);
fail:
	free(used);
	/* A claim left behind goes with the directory the caller removes. */
	return -1;
}
