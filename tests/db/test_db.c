/* db/: opening, file checks, connection settings, schema versions,
 * transactions, the policy generation and the label encodings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "db/ixdb.h"
#include "db/labels.h"
#include "tests/db/test_db_util.h"

/* The first column of the first row of sql, as an integer or text. */
static int64_t
query_int(struct ixdb *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(ixdb_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void
query_text(struct ixdb *db, const char *sql, char *buf, size_t len)
{
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(ixdb_sqlite(db), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

static void
create_then_reopen_keeps_schema(void **state)
{
	struct ixdb *db = tdb_open();
	struct ix_err e;

	(void)state;
	assert_int_equal(ixdb_schema_version(db), IXDB_SCHEMA_VERSION);
	assert_string_equal(ixdb_path(db), tdb_path);
	assert_int_equal(ixdb_exec(db, "INSERT INTO settings VALUES ('k', 'v')", &e), 0);
	ixdb_close(db);
	assert_int_equal(ixdb_open(tdb_path, 0, &db, &e), 0);
	assert_int_equal(ixdb_schema_version(db), IXDB_SCHEMA_VERSION);
	assert_int_equal(query_int(db, "SELECT count(*) FROM settings WHERE key = 'k'"), 1);
	/* A second open with IXDB_CREATE neither fails nor wipes the file. */
	ixdb_close(db);
	db = tdb_open();
	assert_int_equal(query_int(db, "SELECT count(*) FROM settings"), 1);
	ixdb_close(db);
}

static void
open_missing_without_create_fails(void **state)
{
	struct ixdb *db = (void *)1;
	struct ix_err e;

	(void)state;
	assert_int_equal(ixdb_open(tdb_path, 0, &db, &e), -1);
	assert_null(db);
	assert_int_equal(e.code, IX_ENOENT);
	assert_non_null(strstr(e.msg, tdb_path));
	assert_int_equal(access(tdb_path, F_OK), -1);
}

static void
created_file_has_mode_0600(void **state)
{
	mode_t old = umask(0);
	struct ixdb *db = tdb_open();
	struct stat st;

	(void)state;
	umask(old);
	assert_int_equal(stat(tdb_path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	ixdb_close(db);
}

static void
connection_runs_wal_foreign_keys_synchronous_full(void **state)
{
	struct ixdb *db = tdb_open();
	char mode[16];

	(void)state;
	query_text(db, "PRAGMA journal_mode", mode, sizeof mode);
	assert_string_equal(mode, "wal");
	assert_int_equal(query_int(db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(query_int(db, "PRAGMA synchronous"), 2);	/* FULL */
	ixdb_close(db);
}

static void
foreign_keys_are_enforced(void **state)
{
	struct ixdb *db = tdb_open();
	struct ix_err e;

	(void)state;
	assert_int_equal(ixdb_exec(db, "INSERT INTO nodes VALUES (1, '/', NULL, 'true', '')", &e), 0);
	assert_int_equal(ixdb_exec(db, "INSERT INTO nodes VALUES (2, '/a', 99, 'true', '')", &e), -1);
	assert_int_equal(e.code, IX_EDB);
	assert_non_null(strstr(e.msg, "FOREIGN KEY"));
	ixdb_close(db);
}

static void
open_refuses_symlink(void **state)
{
	char link[300];
	struct ixdb *db = tdb_open();
	struct ix_err e;

	(void)state;
	ixdb_close(db);
	snprintf(link, sizeof link, "%s/link.db", tdb_dir);
	assert_int_equal(symlink(tdb_path, link), 0);
	db = NULL;
	assert_int_equal(ixdb_open(link, 0, &db, &e), -1);
	assert_null(db);
	assert_int_equal(e.code, IX_EINVAL);
	assert_non_null(strstr(e.msg, "symbolic link"));
	/* IXDB_CREATE must not follow it either. */
	assert_int_equal(ixdb_open(link, IXDB_CREATE, &db, &e), -1);
	assert_non_null(strstr(e.msg, "symbolic link"));
}

static void
open_refuses_directory(void **state)
{
	struct ixdb *db = NULL;
	struct ix_err e;

	(void)state;
	assert_int_equal(ixdb_open(tdb_dir, 0, &db, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_non_null(strstr(e.msg, "not a regular file"));
}

/* sqlite's own word is "unable to open database file", for the database,
 * its -wal or its -shm alike; the message carries the system's reason.
 * (A -wal that is a directory fails for root too, as EACCES would not.) */
static void
open_failure_gives_the_system_reason(void **state)
{
	struct ixdb *db = tdb_open();
	struct ix_err e;
	char wal[300];

	(void)state;
	ixdb_close(db);
	snprintf(wal, sizeof wal, "%s-wal", tdb_path);
	unlink(wal);
	assert_int_equal(mkdir(wal, 0700), 0);
	assert_int_equal(ixdb_open(tdb_path, IXDB_READONLY, &db, &e), -1);
	assert_int_equal(e.code, IX_ESYS);
	assert_int_equal(strncmp(e.msg, tdb_path, strlen(tdb_path)), 0);
	assert_non_null(strstr(e.msg, "unable to open database file: "));
	assert_int_not_equal(e.sys_errno, 0);
	assert_non_null(strstr(e.msg, strerror(e.sys_errno)));
	/* the path once: callers add none of their own */
	assert_null(strstr(e.msg + strlen(tdb_path), tdb_path));
	rmdir(wal);
}

static void
open_refuses_group_writable_file(void **state)
{
	struct ixdb *db = tdb_open();
	struct ix_err e;

	(void)state;
	ixdb_close(db);
	assert_int_equal(chmod(tdb_path, 0620), 0);
	db = NULL;
	assert_int_equal(ixdb_open(tdb_path, 0, &db, &e), -1);
	assert_int_equal(e.code, IX_EDENIED);
	assert_non_null(strstr(e.msg, "0620"));
}

static void
open_refuses_newer_schema_naming_both_versions(void **state)
{
	struct ixdb *db = tdb_open();
	struct ix_err e;
	char want[128];

	(void)state;
	ixdb_close(db);
	tdb_raw_exec("PRAGMA user_version = 99");
	db = NULL;
	assert_int_equal(ixdb_open(tdb_path, 0, &db, &e), -1);
	assert_null(db);
	assert_int_equal(e.code, IX_EVERSION);
	snprintf(want, sizeof want, "database schema 99 is newer than this build's %d",
		 IXDB_SCHEMA_VERSION);
	assert_non_null(strstr(e.msg, want));
	/* Read-only too: reading tables of unknown meaning is no better. */
	assert_int_equal(ixdb_open(tdb_path, IXDB_READONLY, &db, &e), -1);
	assert_int_equal(e.code, IX_EVERSION);
}

static void
readonly_open_of_unmigrated_file_is_refused(void **state)
{
	struct ixdb *db = NULL;
	struct ix_err e;

	(void)state;
	tdb_raw_exec("CREATE TABLE t(x)");	/* a sqlite file at user_version 0 */
	assert_int_equal(chmod(tdb_path, 0600), 0);
	assert_int_equal(ixdb_open(tdb_path, IXDB_READONLY, &db, &e), -1);
	assert_int_equal(e.code, IX_EVERSION);
	assert_non_null(strstr(e.msg, "schema 0 is older"));
}

static void
readonly_open_cannot_write(void **state)
{
	struct ixdb *db = tdb_open();
	struct ix_err e;

	(void)state;
	ixdb_close(db);
	assert_int_equal(ixdb_open(tdb_path, IXDB_READONLY, &db, &e), 0);
	assert_int_equal(ixdb_schema_version(db), IXDB_SCHEMA_VERSION);
	assert_int_equal(ixdb_exec(db, "INSERT INTO settings VALUES ('k', 'v')", &e), -1);
	assert_int_equal(e.code, IX_EDB);
	ixdb_close(db);
}

static void
failed_migration_leaves_file_untouched(void **state)
{
	struct ixdb *db = NULL;
	struct ix_err e;

	(void)state;
	/* A foreign table named like ours makes migration 1 fail half-way:
	 * nothing of it may remain, user_version stays 0. */
	tdb_raw_exec("CREATE TABLE audit(x)");
	assert_int_equal(chmod(tdb_path, 0600), 0);
	assert_int_equal(ixdb_open(tdb_path, 0, &db, &e), -1);
	assert_int_equal(e.code, IX_EDB);
	assert_non_null(strstr(e.msg, "migrating to schema 1"));
	{
		sqlite3 *sq;
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_open(tdb_path, &sq), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(sq, "SELECT count(*) FROM sqlite_schema WHERE name = 'meta'",
						    -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 0);
		sqlite3_finalize(st);
		assert_int_equal(sqlite3_prepare_v2(sq, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 0);
		sqlite3_finalize(st);
		sqlite3_close(sq);
	}
}

/* Schema 6 keys the label index by file identity (issue 16): schema 5's
 * rows keep their paths as hints, and of two paths of one inode the one
 * labelled last stays; afterwards neither an identity nor a path appears
 * twice. */
static void
label_index_migrates_to_file_identity(void **state)
{
	struct ixdb *db = tdb_open();
	char path[16];
	struct ix_err e;

	(void)state;
	ixdb_close(db);
	tdb_raw_exec("DROP TABLE file_labels; "
		     "CREATE TABLE file_labels (path TEXT PRIMARY KEY, dev INTEGER NOT NULL, "
		     "ino INTEGER NOT NULL, label BLOB NOT NULL, set_at INTEGER NOT NULL); "
		     "INSERT INTO file_labels VALUES ('/b', 1, 10, zeroblob(40), 7), "
		     "('/a', 1, 10, zeroblob(40), 5), ('/c', 1, 11, zeroblob(40), 6); "
		     "PRAGMA user_version = 5");
	assert_int_equal(ixdb_open(tdb_path, 0, &db, &e), 0);
	assert_int_equal(ixdb_schema_version(db), 6);
	assert_int_equal(query_int(db, "SELECT count(*) FROM file_labels"), 2);
	query_text(db, "SELECT path FROM file_labels WHERE dev = 1 AND ino = 10", path, sizeof path);
	assert_string_equal(path, "/b");
	query_text(db, "SELECT path FROM file_labels WHERE dev = 1 AND ino = 11", path, sizeof path);
	assert_string_equal(path, "/c");
	assert_int_equal(ixdb_exec(db, "INSERT INTO file_labels VALUES (1, 10, '/d', zeroblob(40), 8)",
				   &e), -1);
	assert_int_equal(ixdb_exec(db, "INSERT INTO file_labels VALUES (1, 12, '/c', zeroblob(40), 8)",
				   &e), -1);
	ixdb_close(db);
}

static void
exec_error_names_the_statement(void **state)
{
	struct ixdb *db = tdb_open();
	struct ix_err e;

	(void)state;
	assert_int_equal(ixdb_exec(db, "SELECT 1; INSERT INTO nosuch VALUES (1)", &e), -1);
	assert_int_equal(e.code, IX_EDB);
	assert_non_null(strstr(e.msg, "INSERT INTO nosuch"));
	assert_non_null(strstr(e.msg, "no such table"));
	ixdb_close(db);
}

static void
transactions_do_not_nest(void **state)
{
	struct ixdb *db = tdb_open();
	struct ix_err e;

	(void)state;
	assert_int_equal(ixdb_in_transaction(db), 0);
	assert_int_equal(ixdb_begin(db, &e), 0);
	assert_int_equal(ixdb_in_transaction(db), 1);
	assert_int_equal(ixdb_begin(db, &e), -1);
	assert_non_null(strstr(e.msg, "do not nest"));
	assert_int_equal(ixdb_in_transaction(db), 1);	/* the outer one is intact */
	assert_int_equal(ixdb_commit(db, &e), 0);
	assert_int_equal(ixdb_in_transaction(db), 0);
	assert_int_equal(ixdb_commit(db, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	ixdb_close(db);
}

static void
rollback_discards_the_edit(void **state)
{
	struct ixdb *db = tdb_open();
	struct ix_err e;

	(void)state;
	assert_int_equal(ixdb_begin(db, &e), 0);
	assert_int_equal(ixdb_exec(db, "INSERT INTO settings VALUES ('k', 'v')", &e), 0);
	ixdb_rollback(db);
	assert_int_equal(ixdb_in_transaction(db), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM settings"), 0);
	ixdb_rollback(db);	/* without a transaction: harmless */
	ixdb_rollback(NULL);
	ixdb_close(NULL);
	ixdb_close(db);
}

static void
generation_bumps_and_survives_reopen(void **state)
{
	struct ixdb *db = tdb_open();
	struct ix_err e;
	int64_t g = -1;

	(void)state;
	assert_int_equal(ixdb_generation(db, &g, &e), 0);
	assert_int_equal(g, 0);
	assert_int_equal(ixdb_bump_generation(db, &e), 0);
	assert_int_equal(ixdb_bump_generation(db, &e), 0);
	assert_int_equal(ixdb_generation(db, &g, &e), 0);
	assert_int_equal(g, 2);
	ixdb_close(db);
	db = tdb_open();
	assert_int_equal(ixdb_generation(db, &g, &e), 0);
	assert_int_equal(g, 2);
	ixdb_close(db);
}

static void
generation_bump_rolls_back_with_its_edit(void **state)
{
	struct ixdb *db = tdb_open();
	struct ix_err e;
	int64_t g = -1;

	(void)state;
	assert_int_equal(ixdb_begin(db, &e), 0);
	assert_int_equal(ixdb_bump_generation(db, &e), 0);
	assert_int_equal(ixdb_generation(db, &g, &e), 0);
	assert_int_equal(g, 1);
	ixdb_rollback(db);
	assert_int_equal(ixdb_generation(db, &g, &e), 0);
	assert_int_equal(g, 0);
	ixdb_close(db);
}

static void
damaged_generation_is_reported(void **state)
{
	struct ixdb *db = tdb_open();
	struct ix_err e;
	int64_t g;

	(void)state;
	assert_int_equal(ixdb_exec(db, "UPDATE meta SET value = '7x' WHERE key = 'generation'", &e), 0);
	assert_int_equal(ixdb_generation(db, &g, &e), -1);
	assert_int_equal(e.code, IX_ECORRUPT);
	assert_int_equal(ixdb_bump_generation(db, &e), -1);
	assert_int_equal(e.code, IX_ECORRUPT);
	ixdb_close(db);
}

static void
category_bit_is_never_renamed_or_deleted(void **state)
{
	struct ixdb *db = tdb_open();
	struct ix_err e;

	(void)state;
	assert_int_equal(ixdb_exec(db, "INSERT INTO label_categories(bit, name) VALUES (3, 'projectbit')", &e), 0);
	assert_int_equal(ixdb_exec(db, "UPDATE label_categories SET name = 'other' WHERE bit = 3", &e), -1);
	assert_non_null(strstr(e.msg, "never renamed or reused"));
	assert_int_equal(ixdb_exec(db, "UPDATE label_categories SET bit = 4 WHERE bit = 3", &e), -1);
	assert_non_null(strstr(e.msg, "never renamed or reused"));
	assert_int_equal(ixdb_exec(db, "DELETE FROM label_categories WHERE bit = 3", &e), -1);
	assert_non_null(strstr(e.msg, "retired, never deleted"));
	/* Retiring is the allowed change. */
	assert_int_equal(ixdb_exec(db, "UPDATE label_categories SET retired = 1 WHERE bit = 3", &e), 0);
	ixdb_close(db);
}

/* Levels inserted out of rank order, a live and a retired category. */
static struct ixdb *
labelled_db(void)
{
	struct ixdb *db = tdb_open();
	struct ix_err e;

	assert_int_equal(ixdb_exec(db, "INSERT INTO label_levels(rank, name) VALUES "
				   "(2, 'topsecret'), (0, 'unclassified'), (1, 'secret');"
				   "INSERT INTO label_categories(bit, name, retired) VALUES "
				   "(5, 'crypto', 0), (3, 'projectbit', 0), (7, 'oldproject', 1)", &e), 0);
	return db;
}

static void
labels_load_reads_levels_by_rank_and_leaves_retired_categories_out(void **state)
{
	struct ixdb *db = labelled_db();
	struct ix_label_enc *enc = NULL;
	struct ix_label l;
	struct ix_err e;
	char buf[IX_LABEL_TEXT_MAX];

	(void)state;
	assert_int_equal(ixdb_labels_load(db, &enc, &e), 0);
	assert_int_equal(ix_label_enc_nlevels(enc), 3);
	assert_string_equal(ix_label_enc_level_name(enc, 0), "unclassified");
	assert_string_equal(ix_label_enc_level_name(enc, 2), "topsecret");
	assert_int_equal(ix_label_enc_category_bit(enc, "projectbit"), 3);
	assert_int_equal(ix_label_enc_category_bit(enc, "oldproject"), -1);
	assert_int_equal(ix_label_parse(enc, "secret:projectbit,crypto", 24, &l, &e), 0);
	assert_true(ix_label_print(enc, &l, buf, sizeof buf, &e) > 0);
	assert_string_equal(buf, "secret:projectbit,crypto");
	ix_label_enc_free(enc);
	ixdb_close(db);
}

static int
count_retired(void *arg, const char *name, int bit, struct ix_err *err)
{
	assert_string_equal(name, "oldproject");
	assert_int_equal(bit, 7);
	(*(int *)arg)++;
	return 0;
}

static void
labels_read_hands_each_retired_category_to_the_caller(void **state)
{
	struct ixdb *db = labelled_db();
	struct ix_label_enc *enc = ix_label_enc_new();
	struct ix_err e;
	int retired = 0;

	(void)state;
	assert_non_null(enc);
	assert_int_equal(ixdb_labels_read(db, enc, count_retired, &retired, &e), 3);
	assert_int_equal(retired, 1);
	assert_null(ix_label_enc_category_name(enc, 7));
	ix_label_enc_free(enc);
	ixdb_close(db);
}

static void
labels_load_without_a_policy_says_to_import_one(void **state)
{
	struct ixdb *db = tdb_open();
	struct ix_label_enc *enc = NULL;
	struct ix_err e;

	(void)state;
	assert_int_equal(ixdb_labels_load(db, &enc, &e), -1);
	assert_int_equal(e.code, IX_ENOENT);
	assert_non_null(strstr(e.msg, "holds no policy yet (privtree import FILE)"));
	assert_null(enc);
	ixdb_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(create_then_reopen_keeps_schema, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(open_missing_without_create_fails, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(created_file_has_mode_0600, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(connection_runs_wal_foreign_keys_synchronous_full, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(foreign_keys_are_enforced, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(open_refuses_symlink, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(open_refuses_directory, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(open_failure_gives_the_system_reason, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(open_refuses_group_writable_file, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(open_refuses_newer_schema_naming_both_versions, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(readonly_open_of_unmigrated_file_is_refused, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(readonly_open_cannot_write, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(failed_migration_leaves_file_untouched, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(label_index_migrates_to_file_identity, tdb_setup,
						tdb_teardown),
		cmocka_unit_test_setup_teardown(exec_error_names_the_statement, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(transactions_do_not_nest, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(rollback_discards_the_edit, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(generation_bumps_and_survives_reopen, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(generation_bump_rolls_back_with_its_edit, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(damaged_generation_is_reported, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(category_bit_is_never_renamed_or_deleted, tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(labels_load_reads_levels_by_rank_and_leaves_retired_categories_out,
						tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(labels_read_hands_each_retired_category_to_the_caller,
						tdb_setup, tdb_teardown),
		cmocka_unit_test_setup_teardown(labels_load_without_a_policy_says_to_import_one,
						tdb_setup, tdb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
