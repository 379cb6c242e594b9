/*
 * Writing and reading the audit head file (internal to db/).
 */
#ifndef IXDB_AUDIT_HEAD_H
#define IXDB_AUDIT_HEAD_H

#include <sys/types.h>

#include "db/ixdb_int.h"

/* A streaming reader: memory stays bounded however long the file grows. */
struct ixdb_head_reader {
	const char *path;	/* for messages; borrowed */
	int fd;			/* open file, -1 when closed */
	off_t limit;		/* file size when opened; later lines are ignored */
	off_t offset;		/* next byte to read */
	unsigned long line;	/* lines consumed so far */
	off_t line_start;	/* file offset of the line last returned */
	int format;		/* 0 nothing read yet (or empty file), 1 old (no
				 * header), 2 with the header line */
	char id[IXDB_AUDIT_ID_HEX + 1]; /* the header's database id, "" without */
	size_t pos;		/* next unparsed byte in buf */
	size_t len;		/* bytes held in buf */
	char buf[65536];	/* read buffer */
};

/* Opens the head file for reading. Returns 0, 1 when it does not exist
 * (r is then closed), -1 on error. */
int ixdb_head_open(struct ixdb_head_reader *r, const char *path, struct ix_err *err);

/* Reads the next record line (the header, when line 1 is one, is taken
 * into r->format and r->id). Returns 1 and *seq, hash; 0 at the end; -1
 * when a line is malformed (IX_ECORRUPT, "path:line:column: ...") or on
 * error. */
int ixdb_head_next(struct ixdb_head_reader *r, int64_t *seq, unsigned char hash[IXDB_HASH_LEN],
		   struct ix_err *err);

void ixdb_head_close(struct ixdb_head_reader *r);	/* accepts NULL */

/* Lets the reader go on to the file's current end (lines appended since
 * ixdb_head_open). Returns 0 or -1. */
int ixdb_head_extend(struct ixdb_head_reader *r, struct ix_err *err);

/* Creates the head file at path holding the header for id and the lines
 * of heads[0..n): all of it or nothing appears under the name (a
 * temporary file in the same directory, fsync'd, then linked; the
 * directory fsync'd). With replace, an existing file is replaced
 * (rename); without, an existing file is left alone and 1 returned.
 * The whole content of copy_fd (-1: none) goes between the header and
 * the lines, ended with LF if it is not: an old head file's lines kept on
 * its upgrade. Returns 0, 1 or -1. */
int ixdb_head_create(const char *path, const char *id, int copy_fd,
		     const struct ixdb_pending_head *heads, size_t n, int replace,
		     struct ix_err *err);

#endif
