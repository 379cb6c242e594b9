/*
 * The label encodings as the database stores them (tables label_levels
 * and label_categories), for every reader: libauthtree loads them with the
 * rest of the policy, and a program that only names labels (compartctl)
 * reads them here without loading the authorization tree.
 */
#ifndef IXDB_LABELS_H
#define IXDB_LABELS_H

#include "db/ixdb.h"
#include "liblattice/label.h"

/* Called for each retired category (its bit stays taken, its name is
 * never used again); returns 0 or -1 with *err. */
typedef int ixdb_retired_fn(void *arg, const char *name, int bit, struct ix_err *err);

/*
 * Adds to enc every level, lowest rank first, and every category that is
 * not retired; each retired one goes to retired(arg, ...) instead, or is
 * skipped when retired is NULL. enc is the caller's and should be empty.
 * Returns the number of levels read, or -1 (IX_EDB, or enc's own errors
 * for a name it refuses).
 */
int ixdb_labels_read(struct ixdb *db, struct ix_label_enc *enc, ixdb_retired_fn *retired,
		     void *arg, struct ix_err *err);

/*
 * A new table holding the database's encodings, retired categories left
 * out. Returns 0 and *out (the caller frees it with ix_label_enc_free),
 * or -1: IX_ENOENT when the database defines no level yet (no policy was
 * imported; the message names the database and privtree import, as
 * ix_store_load's does), IX_ENOMEM, or ixdb_labels_read's errors.
 */
int ixdb_labels_load(struct ixdb *db, struct ix_label_enc **out, struct ix_err *err);

#endif
