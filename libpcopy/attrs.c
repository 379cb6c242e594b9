/*
 * Attribute collect / apply / compare for pcopy (attrs.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "libcompart/flabel.h"
#include "libpcopy/attrs.h"

#define LIST_MAX 65536	/* XATTR_LIST_MAX */

/* The licence mark (IX_T1_LICENCE_XATTR, under security.bpf.ixkit.) is
 * not copied: pc_licence_seal gives it to a licensed copy once in place,
 * from the licences, which are. */
bool
pc_xattr_copied(const char *name)
{
	return strcmp(name, "security.capability") == 0 ||
	       strcmp(name, IX_FLABEL_XATTR) == 0 ||
	       strncmp(name, "security.ixkit.", 15) == 0 ||
	       strncmp(name, "trusted.ixkit.", 14) == 0;
}

void
pc_attrs_free(struct pc_attrs *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->n; i++) {
		free(a->x[i].name);
		free(a->x[i].value);
	}
	free(a->x);
	a->x = NULL;
	a->n = 0;
}

static int
cmp_xattr(const void *p, const void *q)
{
	return strcmp(((const struct pc_xattr *)p)->name, ((const struct pc_xattr *)q)->name);
}

/* The names of all xattrs on fd into buf (LIST_MAX + 1 bytes); *len their
 * total length. A file system without xattrs gives an empty list. */
static int
list_names(int fd, char *buf, size_t *len, struct ix_err *err)
{
	ssize_t n = flistxattr(fd, buf, LIST_MAX);
	if (n < 0) {
		if (errno == ENOTSUP) {
			*len = 0;
			return 0;
		}
		return ix_err_sys(err, "listing xattrs");
	}
	*len = (size_t)n;
	buf[n] = '\0';	/* a last name without its NUL stays bounded */
	return 0;
}

int
pc_attrs_collect(int fd, struct pc_attrs *out, struct ix_err *err)
{
	struct stat st;
	char *names = NULL;
	size_t len = 0;

	memset(out, 0, sizeof *out);
	if (fstat(fd, &st) < 0)
		return ix_err_sys(err, "fstat");
	out->uid = st.st_uid;
	out->gid = st.st_gid;
	out->mode = st.st_mode & 07777;

	names = malloc(LIST_MAX + 1);
	if (names == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	if (list_names(fd, names, &len, err) < 0)
		goto fail;
	out->x = calloc(PC_XATTR_MAX, sizeof *out->x);
	if (out->x == NULL) {
		ix_err_set(err, IX_ENOMEM, "out of memory");
		goto fail;
	}
	for (size_t off = 0; off < len; off += strlen(names + off) + 1) {
		const char *name = names + off;
		struct pc_xattr *x;
		ssize_t n;

		if (!pc_xattr_copied(name))
			continue;
		if (out->n == PC_XATTR_MAX) {
			ix_err_set(err, IX_ELIMIT, "more than %d ixkit xattrs", PC_XATTR_MAX);
			goto fail;
		}
		x = &out->x[out->n];
		x->name = strdup(name);
		x->value = malloc(PC_XATTR_VALUE_MAX);
		if (x->name == NULL || x->value == NULL) {
			free(x->name);
			free(x->value);
			x->name = NULL;
			x->value = NULL;
			ix_err_set(err, IX_ENOMEM, "out of memory");
			goto fail;
		}
		out->n++;
		n = fgetxattr(fd, name, x->value, PC_XATTR_VALUE_MAX);
		if (n < 0) {
			ix_err_sys(err, "reading xattr %s", name);
			goto fail;
		}
		x->len = (size_t)n;
	}
	qsort(out->x, out->n, sizeof *out->x, cmp_xattr);
	free(names);
	return 0;
fail:
	free(names);
	pc_attrs_free(out);
	return -1;
}

static const struct pc_xattr *
find(const struct pc_attrs *a, const char *name)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->x[i].name, name) == 0)
			return &a->x[i];
	return NULL;
}

int
pc_attrs_apply(int fd, const struct pc_attrs *a, struct ix_err *err)
{
	char *names;
	size_t len = 0;

	/* chown first: it clears set-id bits and the file capability. */
	if (fchown(fd, a->uid, a->gid) < 0)
		return ix_err_sys(err, "setting owner %u and group %u",
				  (unsigned)a->uid, (unsigned)a->gid);
	names = malloc(LIST_MAX + 1);
	if (names == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	if (list_names(fd, names, &len, err) < 0) {
		free(names);
		return -1;
	}
	for (size_t off = 0; off < len; off += strlen(names + off) + 1) {
		const char *name = names + off;
		if (pc_xattr_copied(name) && find(a, name) == NULL &&
		    fremovexattr(fd, name) < 0 && errno != ENODATA) {
			ix_err_sys(err, "removing xattr %s", name);
			free(names);
			return -1;
		}
	}
	free(names);
	for (size_t i = 0; i < a->n; i++)
		if (fsetxattr(fd, a->x[i].name, a->x[i].value, a->x[i].len, 0) < 0)
			return ix_err_sys(err, "setting xattr %s", a->x[i].name);
	/* mode last: after chown, so set-id bits survive. */
	if (fchmod(fd, a->mode) < 0)
		return ix_err_sys(err, "setting mode %04o", (unsigned)a->mode);
	return 0;
}

static void
hex(const unsigned char *v, size_t n, char *out, size_t size)
{
	size_t i;
	for (i = 0; i < n && 2 * i + 3 <= size; i++)
		snprintf(out + 2 * i, 3, "%02x", v[i]);
	out[2 * i] = '\0';
}

size_t
pc_attrs_compare(const struct pc_attrs *a, const struct pc_attrs *b,
		 void (*report)(void *arg, const char *line), void *arg)
{
	char line[512], va[129], vb[129];
	size_t diffs = 0;

	if (a->uid != b->uid) {
		snprintf(line, sizeof line, "owner: %u (source) %u (copy)",
			 (unsigned)a->uid, (unsigned)b->uid);
		report(arg, line);
		diffs++;
	}
	if (a->gid != b->gid) {
		snprintf(line, sizeof line, "group: %u (source) %u (copy)",
			 (unsigned)a->gid, (unsigned)b->gid);
		report(arg, line);
		diffs++;
	}
	if (a->mode != b->mode) {
		snprintf(line, sizeof line, "mode: %04o (source) %04o (copy)",
			 (unsigned)a->mode, (unsigned)b->mode);
		report(arg, line);
		diffs++;
	}
	for (size_t i = 0; i < a->n; i++) {
		const struct pc_xattr *y = find(b, a->x[i].name);
		if (y == NULL) {
			snprintf(line, sizeof line, "xattr %s: only on the source", a->x[i].name);
		} else if (y->len != a->x[i].len ||
			   (y->len > 0 && memcmp(y->value, a->x[i].value, y->len) != 0)) {
			/* Values are shown up to 64 bytes, in hex. */
			hex(a->x[i].value, a->x[i].len, va, sizeof va);
			hex(y->value, y->len, vb, sizeof vb);
			snprintf(line, sizeof line, "xattr %s: %s (source) %s (copy)",
				 a->x[i].name, va, vb);
		} else {
			continue;
		}
		report(arg, line);
		diffs++;
	}
	for (size_t i = 0; i < b->n; i++) {
		if (find(a, b->x[i].name) != NULL)
			continue;
		snprintf(line, sizeof line, "xattr %s: only on the copy", b->x[i].name);
		report(arg, line);
		diffs++;
	}
	return diffs;
}

static void
ignore(void *arg, const char *line)
{
	(void)arg;
	(void)line;
}

bool
pc_attrs_equal(const struct pc_attrs *a, const struct pc_attrs *b)
{
	return pc_attrs_compare(a, b, ignore, NULL) == 0;
}
