/*
 * Reads a PAM service's stack the way libpam does, only far enough to see
 * which modules it loads (pam_loop.h). The rules below are libpam's
 * (pam_handlers.c, pam_line.c, _pam_tokenize in pam_misc.c; "@include"
 * is Debian's); where we cannot follow it we answer -1, never a guess.
 *
 * Files: NAME is looked up in /etc/pam.d, then in the vendor directory
 * (/usr/lib/pam.d). libpam reads the service's file and also "other",
 * whose modules it loads as well, so both count; a missing service file
 * leaves "other" alone, as in libpam.
 *
 * Physical lines to logical lines: a "#" ends the logical line there
 * (the rest of the physical line is a comment); otherwise a "\" that is
 * the last character before trailing blanks becomes a blank and the next
 * physical line continues the logical one.
 *
 * Fields are separated by blanks (space, tab). A field that starts with
 * "[" runs to the first "]" not written "\]", and ends there.
 *	line     = "@include" NAME
 *	         | ["-"] TYPE CONTROL MODULE [ARG...]
 * When CONTROL is "include" or "substack" (any case), MODULE is a NAME.
 * Otherwise the last "/" component of MODULE is the module's file name.
 * A line with fewer fields, an unclosed "[" or a continuation at the end
 * of the file is an error: libpam would not load what it names, but a
 * stack we cannot read is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "passwdd/pam_loop.h"

#define PAM_LOOP_MODULE "pam_passwdd"
#define PAM_LOOP_OTHER "other"

/* State shared by one walk over a stack. */
struct walk {
	int dirfd[2];		/* pam.d, then the vendor directory; -1: absent */
	int files;		/* files opened so far (PW_PAM_FILES_MAX) */
	struct ix_err *err;
};

static int scan(struct walk *w, const char *name, int depth, int missing_ok);

/* 1 when name is a valid service or include name. */
static int
valid_name(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > PW_PAM_NAME_MAX || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return 0;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

/* Opens name in the first directory that has it: the descriptor, -1
 * with *err, or -2 when no directory has it. */
static int
open_conf(struct walk *w, const char *name)
{
	int i, fd;

	for (i = 0; i < 2; i++) {
		if (w->dirfd[i] < 0)
			continue;
		fd = openat(w->dirfd[i], name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (fd >= 0)
			return fd;
		if (errno != ENOENT)
			return ix_err_sys(w->err, "PAM file %s", name);
	}
	return -2;
}

/* Reads name into buf (NUL-terminated, at most PW_PAM_FILE_MAX bytes).
 * Returns the length, -1 with *err, or -2 when no directory has it. */
static ssize_t
slurp(struct walk *w, const char *name, char *buf)
{
	struct stat st;
	size_t len = 0;
	ssize_t r;
	int fd;

	if (++w->files > PW_PAM_FILES_MAX)
		return ix_err_set(w->err, IX_ELIMIT, "PAM stack reads more than %d files",
				  PW_PAM_FILES_MAX);
	fd = open_conf(w, name);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0) {
		ix_err_sys(w->err, "PAM file %s", name);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		ix_err_set(w->err, IX_EINVAL, "PAM file %s is not a regular file", name);
		goto fail;
	}
	/* One byte more than allowed tells an oversized file. */
	while (len <= PW_PAM_FILE_MAX) {
		r = read(fd, buf + len, PW_PAM_FILE_MAX + 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ix_err_sys(w->err, "PAM file %s", name);
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len > PW_PAM_FILE_MAX) {
		ix_err_set(w->err, IX_ELIMIT, "PAM file %s is larger than %d bytes", name,
			   PW_PAM_FILE_MAX);
		goto fail;
	}
	close(fd);
	if (memchr(buf, '\0', len) != NULL)
		return ix_err_set(w->err, IX_EINVAL, "PAM file %s holds a NUL byte", name);
	buf[len] = '\0';
	return (ssize_t)len;
fail:
	close(fd);
	return -1;
}

/* Next field of *p (advanced past it), NUL-terminated in place, as
 * _pam_tokenize cuts it. NULL at the end of the line; *bad set (with
 * *err) on an unclosed "[". */
static char *
field(char **p, struct ix_err *err, int *bad)
{
	char *s = *p + strspn(*p, " \t"), *end;

	if (*s == '\0')
		return NULL;
	if (*s == '[') {
		for (end = ++s; *end != '\0' && *end != ']'; end++)
			if (*end == '\\' && end[1] == ']')
				end++;
		if (*end == '\0') {
			*bad = 1;
			ix_err_set(err, IX_EINVAL, "unclosed '['");
			return NULL;
		}
	} else {
		end = s + strcspn(s, " \t");
	}
	if (*end != '\0')
		*end++ = '\0';
	*p = end;
	return s;
}

/* Includes name from the file being read; returns scan's answer. */
static int
include(struct walk *w, const char *name, int depth)
{
	if (!valid_name(name))
		return ix_err_set(w->err, IX_EINVAL, "include of '%.80s': not a name of [A-Za-z0-9_.-]",
				  name);
	return scan(w, name, depth + 1, 0);
}

/* One logical line (comments already gone). Returns 1, 0 or -1. */
static int
line(struct walk *w, char *s, int depth)
{
	char *type, *control, *module, *base;
	int bad = 0;

	type = field(&s, w->err, &bad);
	if (type == NULL)
		return bad ? -1 : 0;
	if (strcasecmp(type, "@include") == 0) {
		module = field(&s, w->err, &bad);
		if (module == NULL)
			return bad ? -1 : ix_err_set(w->err, IX_EINVAL, "@include without a name");
		return include(w, module, depth);
	}
	control = field(&s, w->err, &bad);
	module = control == NULL ? NULL : field(&s, w->err, &bad);
	if (module == NULL)
		return bad ? -1 : ix_err_set(w->err, IX_EINVAL, "fewer than three fields");
	if (strcasecmp(control, "include") == 0 || strcasecmp(control, "substack") == 0)
		return include(w, module, depth);
	base = strrchr(module, '/');
	base = base == NULL ? module : base + 1;
	return strncmp(base, PAM_LOOP_MODULE, strlen(PAM_LOOP_MODULE)) == 0;
}

/*
 * Appends the physical line [s, e) to the logical line lb (length *n).
 * Returns 1 when the logical line is complete, 0 when the next physical
 * line continues it, -1 when it grows past PW_PAM_LINE_MAX.
 */
static int
assemble(char *lb, size_t *n, const char *s, const char *e)
{
	const char *hash = memchr(s, '#', (size_t)(e - s));
	const char *t = e;
	int eol = 1;

	if (hash != NULL) {
		e = hash;
	} else {
		while (t > s && (t[-1] == ' ' || t[-1] == '\t'))
			t--;
		if (t > s && t[-1] == '\\') {
			e = t - 1;
			eol = 0;
		}
	}
	if ((size_t)(e - s) + !eol > PW_PAM_LINE_MAX - *n)
		return -1;
	memcpy(lb + *n, s, (size_t)(e - s));
	*n += (size_t)(e - s);
	if (!eol)
		lb[(*n)++] = ' ';	/* the backslash becomes a blank */
	lb[*n] = '\0';
	return eol;
}

/* Reads the file name at depth. Returns 1, 0, -1 with *err, or -2 when
 * it does not exist and missing_ok. */
static int
scan(struct walk *w, const char *name, int depth, int missing_ok)
{
	char *buf, *lb = NULL, *p, *nl;
	size_t n = 0, lineno = 0, first = 1;
	ssize_t len;
	int rc = 0, eol = 1;

	if (depth > PW_PAM_DEPTH_MAX)
		return ix_err_set(w->err, IX_ELIMIT, "PAM includes nested deeper than %d at %s",
				  PW_PAM_DEPTH_MAX, name);
	buf = malloc(PW_PAM_FILE_MAX + 1);
	lb = malloc(PW_PAM_LINE_MAX + 1);
	if (buf == NULL || lb == NULL) {
		rc = ix_err_set(w->err, IX_ENOMEM, "PAM file %s", name);
		goto out;
	}
	len = slurp(w, name, buf);
	if (len == -2 && missing_ok) {
		rc = -2;
		goto out;
	}
	if (len == -2)
		ix_err_set(w->err, IX_ENOENT, "PAM file %s does not exist", name);
	if (len < 0) {
		rc = -1;
		goto out;
	}
	for (p = buf; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		lineno++;
		if (eol)
			first = lineno;
		eol = assemble(lb, &n, p, nl);
		if (eol < 0) {
			rc = ix_err_set(w->err, IX_ELIMIT, "%s:%zu: line longer than %d bytes", name,
					first, PW_PAM_LINE_MAX);
			break;
		}
		if (eol) {
			rc = line(w, lb, depth);
			if (rc < 0)	/* nested errors read as a trace */
				ix_err_prefix(w->err, "%s:%zu", name, first);
			if (rc != 0)
				break;
			n = 0;
		}
		if (*nl == '\0')
			break;
	}
	if (rc == 0 && !eol)
		rc = ix_err_set(w->err, IX_EINVAL, "%s:%zu: line continued past the end of the file",
				name, first);
out:
	free(buf);
	free(lb);
	return rc;
}

/* Opens a pam.d directory: the descriptor, -1 when it does not exist
 * (libpam skips it), or -2 with *err. */
static int
open_dir(const char *path, struct ix_err *err)
{
	int fd;

	if (path == NULL)
		return -1;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && errno != ENOENT) {
		ix_err_sys(err, "PAM directory %s", path);
		return -2;
	}
	return fd;
}

int
pw_pam_service_loops_at(const char *pamd, const char *vendor, const char *service,
    struct ix_err *err)
{
	struct walk w = { .dirfd = { -1, -1 }, .files = 0, .err = err };
	int rc = -1, rc2;

	if (service == NULL || !valid_name(service))
		return ix_err_set(err, IX_EINVAL, "PAM service '%.80s': not a name of [A-Za-z0-9_.-]",
				  service == NULL ? "" : service);
	w.dirfd[0] = open_dir(pamd, err);
	if (w.dirfd[0] == -2)
		return -1;
	w.dirfd[1] = open_dir(vendor, err);
	if (w.dirfd[1] == -2)
		goto out;
	if (w.dirfd[0] < 0 && w.dirfd[1] < 0) {
		ix_err_set(err, IX_ENOENT, "no PAM directory %s%s%s", pamd,
			   vendor != NULL ? " or " : "", vendor != NULL ? vendor : "");
		goto out;
	}
	rc = scan(&w, service, 0, 1);
	if (rc == 1 || rc == -1 || strcmp(service, PAM_LOOP_OTHER) == 0)
		goto out;
	rc2 = scan(&w, PAM_LOOP_OTHER, 0, 1);
	if (rc2 == -2 && rc == -2)
		rc = ix_err_set(err, IX_ENOENT, "neither PAM file %s nor %s exists", service,
				PAM_LOOP_OTHER);
	else if (rc2 != -2)
		rc = rc2;
	else
		rc = 0;
out:
	if (rc == -2)	/* service "other" itself, missing */
		rc = ix_err_set(err, IX_ENOENT, "PAM file %s does not exist", service);
	if (w.dirfd[0] >= 0)
		close(w.dirfd[0]);
	if (w.dirfd[1] >= 0)
		close(w.dirfd[1]);
	return rc;
}

int
pw_pam_service_loops(const char *service, struct ix_err *err)
{
	return pw_pam_service_loops_at(PW_PAM_DIR, PW_PAM_VENDOR_DIR, service, err);
}
