/*
 * Fuzz target for the audit head file reader (db/audit_head.c): the file
 * lives outside the database and may have been tampered with, so any bytes
 * must be read without a crash, and every line accepted must be valid.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/audit_head.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/ixkit-fuzz-db-head-XXXXXX";
	int fd = mkstemp(path);
	struct ixdb_head_reader *r;
	unsigned char hash[IXDB_HASH_LEN];
	struct ix_err e;
	int64_t seq;
	int rc;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	r = malloc(sizeof *r);
	if (r == NULL)
		abort();
	if (ixdb_head_open(r, path, &e) != 0)
		abort();
	while ((rc = ixdb_head_next(r, &seq, hash, &e)) == 1)
		if (seq <= 0)
			abort();
	if (rc < 0 && (e.code != IX_ECORRUPT || strstr(e.msg, path) == NULL))
		abort();
	ixdb_head_close(r);
	free(r);
	unlink(path);
	return 0;
}
