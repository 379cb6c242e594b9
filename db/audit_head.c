/*
 * The audit head file: a header line naming the database, then one line
 * "SEQ HEX\n" per record, outside the database, so that whoever can
 * rewrite the database but not this file cannot rewrite the chain
 * unnoticed. Its last line is the chain's count (records are numbered
 * 1, 2, ... without gaps) and last digest.
 *
 * Grammar (each line at most IXDB_HEAD_LINE_MAX bytes with its newline):
 *	file   = header LF { line LF }
 *	header = "ixkit-audit-head 2 " id	(id: exactly 32 of [0-9a-f])
 *	line   = seq SP hex
 *	seq    = nonzero digit, then digits  (1 ... INT64_MAX)
 *	hex    = exactly 64 of [0-9a-f]
 * A file written before schema 5 has no header (format 1); it is read as
 * it is and upgraded by ixdb_audit_reconcile. The header is written
 * together with the file's creation (ixdb_head_create), so an empty file
 * was never left by ixkit: it was emptied. A line that is a proper prefix
 * of a valid line is the remnant of a write cut short by a crash: it
 * asserts nothing and is skipped. The writer ends such a remnant with LF
 * before appending, so later lines stay lines (it opens the file O_RDWR to
 * read that last byte; writes are O_APPEND).
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

/* The lines of heads[0..n) in a new buffer (lead: an LF first, to end a
 * torn remnant). Returns NULL on overflow or when out of memory. */
static char *
format_lines(const struct ixdb_pending_head *heads, size_t n, int lead, size_t *len)
{
	char *buf;

	if (n > SIZE_MAX / IXDB_HEAD_LINE_MAX - 2)
		return NULL;
	buf = malloc(1 + n * IXDB_HEAD_LINE_MAX + 1);
	if (buf == NULL)
		return NULL;
	*len = 0;
	if (lead)
		buf[(*len)++] = '\n';
	for (size_t i = 0; i < n; i++) {
		char hex[2 * IXDB_HASH_LEN + 1];

		ixdb_hex(heads[i].hash, hex);
		*len += (size_t)snprintf(buf + *len, IXDB_HEAD_LINE_MAX + 1, "%lld %s\n",
					 (long long)heads[i].seq, hex);
	}
	return buf;
}

/* Copies all of from (from offset 0) to fd, streaming, and ends it with
 * LF. Returns 0 or -1 (errno set). */
static int
copy_lines(int from, int fd)
{
	char buf[65536], last = '\n';
	off_t off = 0;
	ssize_t n;

	while ((n = pread(from, buf, sizeof buf, off)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || write_all(fd, buf, (size_t)n) < 0)
			return -1;
		off += n;
		last = buf[n - 1];
	}
	return last == '\n' ? 0 : write_all(fd, "\n", 1);
}

int
ixdb_head_create(const char *path, const char *id, int copy_fd,
		 const struct ixdb_pending_head *heads, size_t n, int replace,
		 struct ix_err *err)
{
	char tmp[4096], header[sizeof IXDB_HEAD_MAGIC + IXDB_AUDIT_ID_HEX + 1], *lines;
	size_t llen;
	int fd, rc = -1;

	if (strlen(id) != IXDB_AUDIT_ID_HEX)
		return ix_err_set(err, IX_EINVAL, "audit head file %s: bad database id", path);
	if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp)
		return ix_err_set(err, IX_ELIMIT, "audit head file %s: path too long", path);
	snprintf(header, sizeof header, "%s%s\n", IXDB_HEAD_MAGIC, id);
	lines = format_lines(heads, n, 0, &llen);
	if (lines == NULL)
		return ix_err_set(err, IX_ENOMEM, "audit head file %s: out of memory", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		free(lines);
		return ix_err_sys(err, "audit head file %s: creating", path);
	}
	if (fchmod(fd, 0600) < 0 || write_all(fd, header, strlen(header)) < 0 ||
	    (copy_fd >= 0 && copy_lines(copy_fd, fd) < 0) || write_all(fd, lines, llen) < 0 ||
	    fsync(fd) < 0) {
		ix_err_sys(err, "audit head file %s: writing", path);
		goto out;
	}
	/* link, not rename, when creating: of two creators the second must
	 * find the first one's file and append to it, not replace it. */
	if (replace ? rename(tmp, path) < 0 : link(tmp, path) < 0) {
		if (!replace && errno == EEXIST)
			rc = 1;
		else
			ix_err_sys(err, "audit head file %s: creating", path);
		goto out;
	}
	rc = ixdb_fsync_parent(path, err) < 0 ? -1 : 0;
out:
	close(fd);
	if (!replace || rc < 0)
		unlink(tmp);
	free(lines);
	return rc;
}

int
ixdb_head_append(const char *path, const char *id, const struct ixdb_pending_head *heads,
		 size_t n, struct ix_err *err)
{
	struct stat st;
	char *buf, last = '\n';
	size_t len = 0;
	int fd, rc = -1;

	fd = open(path, O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && n > 0 && heads[0].first) {
		if (id == NULL)
			return ix_err_set(err, IX_ECORRUPT, "audit head file %s: no database id", path);
		rc = ixdb_head_create(path, id, -1, heads, n, 0, err);
		if (rc <= 0)
			return rc;
		/* Another writer created it first: append to theirs. */
		fd = open(path, O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0) {
		if (errno == ENOENT)
			return ix_err_set(err, IX_ECORRUPT,
					  "audit head file %s is missing; not recreating it "
					  "(it anchored records before %lld)",
					  path, n > 0 ? (long long)heads[0].seq : 0LL);
		return ix_err_sys(err, "audit head file %s", path);
	}
	rc = -1;
	if (fstat(fd, &st) < 0) {
		ix_err_sys(err, "audit head file %s", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ix_err_set(err, IX_EINVAL, "audit head file %s: not a regular file", path);
		goto out;
	}
	if (st.st_size == 0) {
		ix_err_set(err, IX_ECORRUPT, "audit head file %s is empty (its header is gone); "
			   "not writing to it", path);
		goto out;
	}
	if (pread(fd, &last, 1, st.st_size - 1) != 1) {
		ix_err_sys(err, "audit head file %s", path);
		goto out;
	}
	buf = format_lines(heads, n, last != '\n', &len);
	if (buf == NULL) {
		ix_err_set(err, IX_ENOMEM, "audit head file %s: out of memory", path);
		goto out;
	}
	if (write_all(fd, buf, len) < 0 || fsync(fd) < 0)
		ix_err_sys(err, "audit head file %s: writing", path);
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

int
ixdb_head_extend(struct ixdb_head_reader *r, struct ix_err *err)
{
	struct stat st;

	if (fstat(r->fd, &st) < 0)
		return ix_err_sys(err, "audit head file %s", r->path);
	if (st.st_size > r->limit)
		r->limit = st.st_size;
	return 0;
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

/* Parses line 1 when it is a header: returns 1 (r->format, r->id set), 0
 * when the line is not a header (an old file), -1 when it is a damaged
 * one. */
static int
parse_header(struct ixdb_head_reader *r, const char *s, size_t len, struct ix_err *err)
{
	size_t m = sizeof IXDB_HEAD_MAGIC - 1;

	if (len < 5 || memcmp(s, IXDB_HEAD_MAGIC, 5) != 0)
		return 0;
	for (size_t i = 0; i < len; i++) {
		int ok = i < m ? s[i] == IXDB_HEAD_MAGIC[i] : is_hex(s[i]);

		if (!ok || i >= m + IXDB_AUDIT_ID_HEX)
			return ix_err_set(err, IX_ECORRUPT,
					  "audit head file %s:1:%zu: expected '%s' and a %d-digit id",
					  r->path, i + 1, IXDB_HEAD_MAGIC, IXDB_AUDIT_ID_HEX);
	}
	if (len != m + IXDB_AUDIT_ID_HEX)
		return ix_err_set(err, IX_ECORRUPT, "audit head file %s:1:%zu: header cut short",
				  r->path, len + 1);
	memcpy(r->id, s + m, IXDB_AUDIT_ID_HEX);
	r->id[IXDB_AUDIT_ID_HEX] = '\0';
	r->format = 2;
	return 1;
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
			/* The last line has no newline: a crash cut it. A
			 * header is never cut (it is created whole). */
			r->line++;
			if (r->line == 1 && parse_header(r, r->buf + r->pos, r->len - r->pos, err) != 0)
				return ix_err_set(err, IX_ECORRUPT,
						  "audit head file %s:1: header without its newline",
						  r->path);
			if (r->line == 1)
				r->format = 1;
			len = r->len - r->pos;
			rc = parse_line(r, r->buf + r->pos, len, seq, hash, err);
			r->pos = r->len;
			return rc < 0 ? -1 : 0;
		}
		len = (size_t)(nl - (r->buf + r->pos));
		r->line++;
		r->line_start = r->offset - (off_t)(r->len - r->pos);
		if (len >= IXDB_HEAD_LINE_MAX)
			return ix_err_set(err, IX_ECORRUPT,
					  "audit head file %s:%lu: line longer than %d bytes",
					  r->path, r->line, IXDB_HEAD_LINE_MAX);
		if (r->line == 1) {
			rc = parse_header(r, r->buf + r->pos, len, err);
			if (rc < 0)
				return -1;
			if (rc == 1) {
				r->pos += len + 1;
				continue;
			}
			r->format = 1;
		}
		rc = parse_line(r, r->buf + r->pos, len, seq, hash, err);
		r->pos += len + 1;
		if (rc != 0)
			return rc;
	}
}
