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
	size_t pos;		/* next unparsed byte in buf */
	size_t len;		/* bytes held in buf */
	char buf[65536];	/* read buffer */
};

/* Opens the head file for reading. Returns 0, 1 when it does not exist
 * (r is then closed), -1 on error. */
int ixdb_head_open(struct ixdb_head_reader *r, const char *path, struct ix_err *err);

/* Reads the next line. Returns 1 and *seq, hash; 0 at the end; -1 when a
 * line is malformed (IX_ECORRUPT, "path:line:column: ...") or on error. */
int ixdb_head_next(struct ixdb_head_reader *r, int64_t *seq, unsigned char hash[IXDB_HASH_LEN],
		   struct ix_err *err);

void ixdb_head_close(struct ixdb_head_reader *r);	/* accepts NULL */

#endif
