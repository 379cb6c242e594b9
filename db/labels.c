/*
 * The label encodings read from their two tables (labels.h).
 */
#include <stddef.h>

#include "db/ixdb_int.h"
#include "db/labels.h"

static const char *
text_col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? (const char *)s : "";
}

int
ixdb_labels_read(struct ixdb *db, struct ix_label_enc *enc, ixdb_retired_fn *retired,
		 void *arg, struct ix_err *err)
{
	sqlite3_stmt *lv = NULL, *cat = NULL;
	int rc, n = 0;

	if (sqlite3_prepare_v2(db->sq, "SELECT name FROM label_levels ORDER BY rank", -1, &lv,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->sq, "SELECT bit, name, retired FROM label_categories ORDER BY bit",
			       -1, &cat, NULL) != SQLITE_OK) {
		ixdb_err_sqlite(db, err, "label encodings");
		goto fail;
	}
	while ((rc = sqlite3_step(lv)) == SQLITE_ROW) {
		if (ix_label_enc_add_level(enc, text_col(lv, 0), err) < 0)
			goto fail;
		n++;
	}
	if (rc != SQLITE_DONE) {
		ixdb_err_sqlite(db, err, "label encodings");
		goto fail;
	}
	while ((rc = sqlite3_step(cat)) == SQLITE_ROW) {
		int bit = sqlite3_column_int(cat, 0);
		const char *name = text_col(cat, 1);

		if (!sqlite3_column_int(cat, 2)) {
			if (ix_label_enc_add_category(enc, name, bit, err) < 0)
				goto fail;
		} else if (retired != NULL && retired(arg, name, bit, err) < 0) {
			goto fail;
		}
	}
	if (rc != SQLITE_DONE) {
		ixdb_err_sqlite(db, err, "label encodings");
		goto fail;
	}
	sqlite3_finalize(lv);
	sqlite3_finalize(cat);
	return n;
fail:
	sqlite3_finalize(lv);
	sqlite3_finalize(cat);
	return -1;
}

int
ixdb_labels_load(struct ixdb *db, struct ix_label_enc **out, struct ix_err *err)
{
	struct ix_label_enc *enc = ix_label_enc_new();
	int n;

	if (enc == NULL)
		return ix_err_set(err, IX_ENOMEM, "label encodings: out of memory");
	n = ixdb_labels_read(db, enc, NULL, NULL, err);
	if (n == 0)
		ix_err_set(err, IX_ENOENT, "the database %s holds no policy yet (privtree import FILE)",
			   db->path);
	if (n <= 0) {
		ix_label_enc_free(enc);
		return -1;
	}
	*out = enc;
	return 0;
}
