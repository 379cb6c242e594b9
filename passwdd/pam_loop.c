/*
 * Reads a PAM service's stack the way libpam does, only far enough to see
 * which modules it loads (pam_loop.h).
 *
 * Grammar of one file, after joining "\<newline>" continuations and
 * removing "#" comments (libpam's _pam_assemble_line):
 *	line     = "@include" NAME
 *	         | ["-"] TYPE CONTROL MODULE [ARG...]
 *	CONTROL  = WORD | "[" ... "]"		(may hold blanks)
 * When CONTROL is "include" or "substack", MODULE is a service NAME read
 * from the same directory. Anything else is a module path whose last
 * component is compared. Blank lines are skipped; a line with fewer than
 * three fields is an error (libpam refuses it too, and we must not guess).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "passwdd/pam_loop.h"

#define PAM_LOOP_MODULE "pam_passwdd"

/* State shared by one walk over a stack. */
struct walk {
	int dirfd;		/* the pam.d directory */
	int files;		/* files opened so far (PW_PAM_FILES_MAX) */
	struct ix_err *err;
};

static int scan(struct walk *w, const char *name, int depth, int top);

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

/* Reads name from the directory into buf (NUL-terminated, at most
 * PW_PAM_FILE_MAX bytes). Returns the length, -1 with *err, or -2 when
 * the file does not exist (errno ENOENT, nothing in *err). */
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
	fd = openat(w->dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return errno == ENOENT ? -2 : ix_err_sys(w->err, "PAM file %s", name);
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

/* Next blank-separated field of *p (advanced past it), NUL-terminated in
 * place; a field starting with "[" runs to the next "]". NULL at the end
 * of the line or, with *err set, on an unclosed "[". */
static char *
field(char **p, struct ix_err *err, int *bad)
{
	char *s = *p, *start;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0')
		return NULL;
	start = s;
	if (*s == '[') {
		s = strchr(s, ']');
		if (s == NULL) {
			*bad = 1;
			ix_err_set(err, IX_EINVAL, "unclosed '['");
			return NULL;
		}
		s++;
	}
	while (*s != '\0' && *s != ' ' && *s != '\t')
		s++;
	if (*s != '\0')
		*s++ = '\0';
	*p = s;
	return start;
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
	if (strcmp(type, "@include") == 0) {
		module = field(&s, w->err, &bad);
		if (module == NULL)
			return bad ? -1 : ix_err_set(w->err, IX_EINVAL, "@include without a name");
		return include(w, module, depth);
	}
	control = field(&s, w->err, &bad);
	module = control == NULL ? NULL : field(&s, w->err, &bad);
	if (module == NULL)
		return bad ? -1 : ix_err_set(w->err, IX_EINVAL, "fewer than three fields");
	if (strcmp(control, "include") == 0 || strcmp(control, "substack") == 0)
		return include(w, module, depth);
	base = strrchr(module, '/');
	base = base == NULL ? module : base + 1;
	return strncmp(base, PAM_LOOP_MODULE, strlen(PAM_LOOP_MODULE)) == 0;
}

/* Reads the file name at depth; top: a missing file means "other". */
static int
scan(struct walk *w, const char *name, int depth, int top)
{
	char *buf, *lb = NULL, *p;
	size_t n = 0, lineno = 1, first = 1;
	ssize_t len;
	int rc = 0;

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
	if (len == -2 && top && strcmp(name, "other") != 0) {
		free(buf);
		free(lb);
		return scan(w, "other", depth, 1);
	}
	if (len == -2)
		ix_err_set(w->err, IX_ENOENT, "PAM file %s does not exist", name);
	if (len < 0) {
		rc = -1;
		goto out;
	}
	/* Assemble logical lines: "\<newline>" joins, "#" comments to the
	 * end of the physical line. */
	for (p = buf;; p++) {
		int comment_skip = 0;

		if (*p == '\\' && p[1] == '\n') {
			p++;
			lineno++;
			continue;
		}
		if (*p == '#') {
			while (p[1] != '\0' && p[1] != '\n')
				p++;
			comment_skip = 1;
		}
		if (*p == '\n' || *p == '\0') {
			lb[n] = '\0';
			rc = line(w, lb, depth);
			if (rc < 0)	/* nested errors read as a trace */
				ix_err_prefix(w->err, "%s:%zu", name, first);
			if (rc != 0 || *p == '\0')
				break;
			n = 0;
			first = ++lineno;
			continue;
		}
		if (comment_skip)
			continue;
		if (n == PW_PAM_LINE_MAX) {
			rc = ix_err_set(w->err, IX_ELIMIT, "%s:%zu: line longer than %d bytes", name,
					first, PW_PAM_LINE_MAX);
			break;
		}
		lb[n++] = *p == '\t' || *p == '\r' ? ' ' : *p;
	}
out:
	free(buf);
	free(lb);
	return rc;
}

int
pw_pam_service_loops_at(const char *pamd, const char *service, struct ix_err *err)
{
	struct walk w = { .files = 0, .err = err };
	int rc;

	if (service == NULL || !valid_name(service))
		return ix_err_set(err, IX_EINVAL, "PAM service '%.80s': not a name of [A-Za-z0-9_.-]",
				  service == NULL ? "" : service);
	w.dirfd = open(pamd, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w.dirfd < 0)
		return ix_err_sys(err, "PAM directory %s", pamd);
	rc = scan(&w, service, 0, 1);
	close(w.dirfd);
	return rc;
}

int
pw_pam_service_loops(const char *service, struct ix_err *err)
{
	return pw_pam_service_loops_at(PW_PAM_DIR, service, err);
}
