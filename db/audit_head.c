/*
 * The audit head file: one line "SEQ HEX\n" per record, outside the
 * database, so that whoever can rewrite the database but not this file
 * cannot rewrite the chain unnoticed.
 *
 * Grammar (one line, at most IXDB_HEAD_LINE_MAX bytes with its newline):
 *	line = seq SP hex LF
 *	seq  = nonzero digit, then digits  (1 ... INT64_MAX)
 *	hex  = exactly 64 of [0-9a-f]
 * A line that is a proper prefix of a valid line is the remnant of a write
 * cut short by a crash: it asserts nothing and is skipped. The writer ends
 * such a remnant with LF before appending, so later lines stay lines (it
 * opens the file O_RDWR to read that last byte; writes are O_APPEND).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/audit_head.h"

static int
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int
ixdb_head_append(const char *path, const struct ixdb_pending_head *heads, size_t n,
		 struct ix_err *err)
{
	struct stat st;
	char *buf, last = '\n';
	size_t len = 0;
	int fd, rc = -1;

	if (n > SIZE_MAX / IXDB_HEAD_LINE_MAX - 1)
		return ix_err_set(err, IX_ELIMIT, "%s: too many head lines", path);
	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return ix_err_sys(err, "audit head file %s", path);
	if (fstat(fd, &st) < 0) {
		ix_err_sys(err, "audit head file %s", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ix_err_set(err, IX_EINVAL, "audit head file %s: not a regular file", path);
		goto out;
	}
	if (st.st_size > 0 && pread(fd, &last, 1, st.st_size - 1) != 1) {
		ix_err_sys(err, "audit head file %s", path);
		goto out;
	}
	buf = malloc(1 + n * IXDB_HEAD_LINE_MAX + 1);
	if (buf == NULL) {
		ix_err_set(err, IX_ENOMEM, "audit head file %s: out of memory", path);
		goto out;
	}
	if (last != '\n')
		buf[len++] = '\n';
	for (size_t i = 0; i < n; i++) {
		char hex[2 * IXDB_HASH_LEN + 1];

		ixdb_hex(heads[i].hash, hex);
		len += (size_t)snprintf(buf + len, IXDB_HEAD_LINE_MAX + 1, "%lld %s\n",
					(long long)heads[i].seq, hex);
	}
	if (write_all(fd, buf, len) < 0 || fsync(fd) < 0)
		ix_err_sys(err, "audit head file %s: writing", path);
	else if (st.st_size == 0 && ixdb_fsync_parent(path, err) < 0)
		;
	else
		rc = 0;
	free(buf);
out:
	close(fd);
	return rc;
}

int
ixdb_head_open(struct ixdb_head_reader *r, const char *path, struct ix_err *err)
{
	struct stat st;

	memset(r, 0, sizeof *r);
	r->fd = -1;
	r->path = path;
	r->fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (r->fd < 0) {
		if (errno == ENOENT)
			return 1;
		return ix_err_sys(err, "audit head file %s", path);
	}
	if (fstat(r->fd, &st) < 0) {
		ix_err_sys(err, "audit head file %s", path);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		ix_err_set(err, IX_EINVAL, "audit head file %s: not a regular file", path);
		goto fail;
	}
	/* Lines appended after this point name records that may be newer
	 * than the caller's snapshot of the database: leave them out. */
	r->limit = st.st_size;
	return 0;
fail:
	close(r->fd);
	r->fd = -1;
	return -1;
}

void
ixdb_head_close(struct ixdb_head_reader *r)
{
	if (r != NULL && r->fd >= 0)
		close(r->fd);
	if (r != NULL)
		r->fd = -1;
}

/* Refills the buffer, keeping the unread bytes. Returns bytes added, 0 at
 * the limit, -1 on error. */
static ssize_t
refill(struct ixdb_head_reader *r, struct ix_err *err)
{
	size_t room;
	ssize_t n;

	memmove(r->buf, r->buf + r->pos, r->len - r->pos);
	r->len -= r->pos;
	r->pos = 0;
	room = sizeof r->buf - r->len;
	if ((off_t)room > r->limit - r->offset)
		room = (size_t)(r->limit - r->offset);
	if (room == 0)
		return 0;
	do
		n = pread(r->fd, r->buf + r->len, room, r->offset);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return ix_err_sys(err, "audit head file %s", r->path);
	if (n == 0)		/* truncated under us: stop at what there is */
		r->limit = r->offset;
	r->len += (size_t)n;
	r->offset += n;
	return n;
}

static int
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static int
hexval(char c)
{
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

/*
 * Parses one line of len bytes (without its newline). Returns 1 and the
 * values for a valid line, 0 for the remnant of a torn write, -1 (with the
 * position of the first bad byte) otherwise.
 */
static int
parse_line(struct ixdb_head_reader *r, const char *s, size_t len, int64_t *seq,
	   unsigned char hash[IXDB_HASH_LEN], struct ix_err *err)
{
	size_t i = 0, digits;
	int64_t v = 0;

	while (i < len && s[i] >= '0' && s[i] <= '9') {
		if (i == 0 && s[i] == '0')
			break;
		if (v > (INT64_MAX - (s[i] - '0')) / 10)
			return ix_err_set(err, IX_ECORRUPT,
					  "audit head file %s:%lu:%zu: sequence number out of range",
					  r->path, r->line, i + 1);
		v = v * 10 + (s[i] - '0');
		i++;
	}
	digits = i;
	if (digits == 0 || (i < len && s[i] != ' '))
		goto bad;
	if (i == len)
		return 0;
	i++;
	for (size_t k = 0; i < len && k < 2 * IXDB_HASH_LEN; k++, i++) {
		if (!is_hex(s[i]))
			goto bad;
		if (k % 2 == 0)
			hash[k / 2] = (unsigned char)(hexval(s[i]) << 4);
		else
			hash[k / 2] |= (unsigned char)hexval(s[i]);
	}
	if (i < len)
		goto bad;
	if (i < digits + 1 + 2 * IXDB_HASH_LEN)
		return 0;
	*seq = v;
	return 1;
bad:
	if (i < len && s[i] == '\0')
		return ix_err_set(err, IX_ECORRUPT, "audit head file %s:%lu:%zu: NUL byte",
				  r->path, r->line, i + 1);
	return ix_err_set(err, IX_ECORRUPT, "audit head file %s:%lu:%zu: expected 'SEQ HEX'",
			  r->path, r->line, i + 1);
}

int
ixdb_head_next(struct ixdb_head_reader *r, int64_t *seq, unsigned char hash[IXDB_HASH_LEN],
	       struct ix_err *err)
{
	for (;;) {
		char *nl = memchr(r->buf + r->pos, '\n', r->len - r->pos);
		size_t len;
		int rc;

		if (nl == NULL) {
			ssize_t n;

			if (r->len - r->pos >= IXDB_HEAD_LINE_MAX)
				return ix_err_set(err, IX_ECORRUPT,
						  "audit head file %s:%lu: line longer than %d bytes",
						  r->path, r->line + 1, IXDB_HEAD_LINE_MAX);
			n = refill(r, err);
			if (n < 0)
				return -1;
			if (n > 0)
				continue;
			if (r->pos == r->len)
				return 0;
			/* The last line has no newline: a crash cut it. */
			r->line++;
			len = r->len - r->pos;
			rc = parse_line(r, r->buf + r->pos, len, seq, hash, err);
			r->pos = r->len;
			return rc < 0 ? -1 : 0;
		}
		len = (size_t)(nl - (r->buf + r->pos));
		r->line++;
		if (len >= IXDB_HEAD_LINE_MAX)
			return ix_err_set(err, IX_ECORRUPT,
					  "audit head file %s:%lu: line longer than %d bytes",
					  r->path, r->line, IXDB_HEAD_LINE_MAX);
		rc = parse_line(r, r->buf + r->pos, len, seq, hash, err);
		r->pos += len + 1;
		if (rc != 0)
			return rc;
	}
}
