/* db/: the audit hash chain, its head file, and what verify catches. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <sodium.h>

#include "db/ixdb.h"
#include "tests/db/test_db_util.h"

static void
append_n(struct ixdb *db, int n)
{
	struct ix_err e;
	char text[64];

	for (int i = 0; i < n; i++) {
		snprintf(text, sizeof text, "v1 request number %d", i);
		if (ixdb_audit_append(db, tdb_head, "request", "alice", text, NULL, NULL, &e) < 0)
			fail_msg("append: %s", e.msg);
	}
}

static int
verify(struct ixdb *db, const char *headp, struct ixdb_verify *v)
{
	struct ix_err e;
	int rc = ixdb_audit_verify(db, headp, v, &e);

	if (rc < 0)
		fail_msg("verify: %s", e.msg);
	return rc;
}

/* Lines of the head file after its header line. */
static long
count_lines(const char *p)
{
	FILE *f = fopen(p, "r");
	char magic[20] = "";
	long n = 0;
	int c;

	if (f == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	rewind(f);
	if (fgets(magic, sizeof magic, f) != NULL && strcmp(magic, "ixkit-audit-head 2 ") == 0)
		n--;
	fclose(f);
	return n;
}

static void
write_head(const char *text, const char *mode)
{
	FILE *f = fopen(tdb_head, mode);

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
append_reports_seq_and_hash_and_chain_verifies(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;
	struct ix_err e;
	int64_t seq = 0;
	char hex[65], line[128];
	FILE *f;

	(void)state;
	append_n(db, 4);
	assert_int_equal(ixdb_audit_append(db, tdb_head, "edit", "root", "v1 add /a", &seq, hex, &e), 0);
	assert_int_equal(seq, 5);
	assert_int_equal(strlen(hex), 64);
	assert_int_equal(verify(db, tdb_head, &v), 0);
	assert_int_equal(v.nrecords, 5);
	assert_int_equal(v.first_bad, 0);
	assert_int_equal(v.head_seq, 5);
	assert_int_equal(v.head_lag, 0);
	assert_string_equal(v.reason, "");
	/* The head file's last line is exactly "SEQ HEX". */
	f = fopen(tdb_head, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL)
		;
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	assert_string_equal(line + 2, hex);
	assert_int_equal(strncmp(line, "5 ", 2), 0);
	assert_int_equal(count_lines(tdb_head), 5);
	ixdb_close(db);
}

static void
head_file_is_created_0600(void **state)
{
	mode_t old = umask(0);
	struct ixdb *db = tdb_open();
	struct stat st;

	(void)state;
	append_n(db, 1);
	umask(old);
	assert_int_equal(stat(tdb_head, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	ixdb_close(db);
}

static void
empty_chain_is_sound(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;

	(void)state;
	assert_int_equal(verify(db, tdb_head, &v), 0);
	assert_int_equal(v.nrecords, 0);
	assert_int_equal(v.head_lag, 0);
	ixdb_close(db);
}

static void
triggers_refuse_update_and_delete_of_audit(void **state)
{
	struct ixdb *db = tdb_open();
	struct ix_err e;

	(void)state;
	append_n(db, 2);
	assert_int_equal(ixdb_exec(db, "UPDATE audit SET text = 'x' WHERE seq = 1", &e), -1);
	assert_non_null(strstr(e.msg, "append-only"));
	assert_int_equal(ixdb_exec(db, "DELETE FROM audit WHERE seq = 2", &e), -1);
	assert_non_null(strstr(e.msg, "append-only"));
	ixdb_close(db);
}

static void
modified_text_is_found_at_its_record(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;

	(void)state;
	append_n(db, 6);
	tdb_raw_exec("DROP TRIGGER audit_no_update; UPDATE audit SET text = 'v1 nothing happened' WHERE seq = 4");
	/* Chain alone and with the head file: both find record 4. */
	assert_int_equal(verify(db, NULL, &v), 1);
	assert_int_equal(v.first_bad, 4);
	assert_string_equal(v.reason, "record 4: hash does not match its contents");
	assert_int_equal(verify(db, tdb_head, &v), 1);
	assert_int_equal(v.first_bad, 4);
	assert_int_equal(v.nrecords, 6);
	ixdb_close(db);
}

static void
broken_prev_link_is_found(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;

	(void)state;
	append_n(db, 5);
	tdb_raw_exec("DROP TRIGGER audit_no_update; UPDATE audit SET prev = zeroblob(32) WHERE seq = 3");
	assert_int_equal(verify(db, NULL, &v), 1);
	assert_int_equal(v.first_bad, 3);
	assert_non_null(strstr(v.reason, "record 3: its link to record 2 is broken"));
	ixdb_close(db);
}

static void
gap_in_sequence_is_found(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;

	(void)state;
	append_n(db, 5);
	tdb_raw_exec("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 2");
	assert_int_equal(verify(db, NULL, &v), 1);
	assert_int_equal(v.first_bad, 2);
	assert_string_equal(v.reason, "record 2 is missing (the next record is 3)");
	assert_int_equal(v.nrecords, 4);
	ixdb_close(db);
}

/* The documented encoding, written out independently of db/: what an
 * attacker who read the source would compute. */
static void
attacker_hash(const unsigned char prev[32], sqlite3_stmt *st, unsigned char out[32])
{
	crypto_generichash_state h;
	unsigned char buf[8];

	crypto_generichash_init(&h, NULL, 0, 32);
	crypto_generichash_update(&h, prev, 32);
	for (int col = 0; col < 3; col++) {
		uint64_t v = (uint64_t)sqlite3_column_int64(st, col);
		int n = col == 2 ? 4 : 8;

		for (int i = n - 1; i >= 0; i--, v >>= 8)
			buf[i] = v & 0xff;
		crypto_generichash_update(&h, buf, n);
	}
	for (int col = 3; col < 6; col++) {
		uint32_t len = (uint32_t)sqlite3_column_bytes(st, col);
		unsigned char lb[4] = { len >> 24, len >> 16, len >> 8, len };

		crypto_generichash_update(&h, lb, 4);
		crypto_generichash_update(&h, sqlite3_column_text(st, col), len);
	}
	crypto_generichash_final(&h, out, 32);
}

/* Changes record `victim`'s text and recomputes every link after it, so
 * that the chain in the database is consistent again. */
static void
rewrite_chain(int victim, const char *text)
{
	sqlite3 *sq;
	sqlite3_stmt *sel, *upd;
	unsigned char prev[32] = { 0 }, hash[32];
	char sql[200];

	assert_int_equal(sqlite3_open(tdb_path, &sq), SQLITE_OK);
	assert_int_equal(sqlite3_exec(sq, "DROP TRIGGER IF EXISTS audit_no_update", NULL, NULL, NULL), SQLITE_OK);
	snprintf(sql, sizeof sql, "UPDATE audit SET text = '%s' WHERE seq = %d", text, victim);
	assert_int_equal(sqlite3_exec(sq, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(sq, "SELECT seq, time_us, version, kind, actor, text "
					    "FROM audit ORDER BY seq", -1, &sel, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(sq, "UPDATE audit SET prev = ?, hash = ? WHERE seq = ?",
					    -1, &upd, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(sq, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	while (sqlite3_step(sel) == SQLITE_ROW) {
		attacker_hash(prev, sel, hash);
		sqlite3_bind_blob(upd, 1, prev, 32, SQLITE_TRANSIENT);
		sqlite3_bind_blob(upd, 2, hash, 32, SQLITE_TRANSIENT);
		sqlite3_bind_int64(upd, 3, sqlite3_column_int64(sel, 0));
		assert_int_equal(sqlite3_step(upd), SQLITE_DONE);
		sqlite3_reset(upd);
		memcpy(prev, hash, 32);
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	assert_int_equal(sqlite3_exec(sq, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(sq);
}

static void
consistent_rewrite_of_chain_fails_against_head_file(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;

	(void)state;
	append_n(db, 8);
	rewrite_chain(3, "v1 request number 3 was never made");
	/* The rewrite is consistent: the chain alone cannot tell... */
	assert_int_equal(verify(db, NULL, &v), 0);
	/* ...but the head file recorded the original hashes. */
	assert_int_equal(verify(db, tdb_head, &v), 1);
	assert_int_equal(v.first_bad, 3);
	assert_non_null(strstr(v.reason, "head file says record 3 has hash "));
	assert_non_null(strstr(v.reason, ", database has "));
	ixdb_close(db);
}

static void
rewrite_with_sqlite3_tool_fails_against_head_file(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;
	char cmd[512];

	(void)state;
	append_n(db, 3);
	ixdb_close(db);
	/* The sqlite3 shell edits the file; the hashes are then recomputed. */
	snprintf(cmd, sizeof cmd,
		 "sqlite3 '%s' \"DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'mallory' WHERE seq = 1;\"",
		 tdb_path);
	if (system(cmd) != 0)
		skip();
	rewrite_chain(1, "v1 request number 0");
	db = tdb_open();
	assert_int_equal(verify(db, NULL, &v), 0);
	assert_int_equal(verify(db, tdb_head, &v), 1);
	assert_int_equal(v.first_bad, 1);
	ixdb_close(db);
}

static void
deleted_last_records_are_reported_as_truncation(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;

	(void)state;
	append_n(db, 7);
	tdb_raw_exec("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq >= 6");
	/* What is left is a sound chain; the count in table meta and the head
	 * file know better. */
	assert_int_equal(verify(db, NULL, &v), 1);
	assert_string_equal(v.reason, "the database has held 7 audit records but its chain ends at "
			    "record 5: records 6 to 7 were deleted");
	assert_int_equal(verify(db, tdb_head, &v), 1);
	assert_int_equal(v.first_bad, 6);
	assert_int_equal(v.nrecords, 5);
	assert_int_equal(v.head_seq, 7);
	assert_string_equal(v.reason, "head file says record 6 exists, database ends at record 5 (truncated)");
	ixdb_close(db);
}

static void
records_newer_than_head_file_are_lag_not_breakage(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;
	struct ix_err e;

	(void)state;
	append_n(db, 3);
	for (int i = 0; i < 2; i++)
		assert_int_equal(ixdb_audit_append(db, NULL, "request", "bob", "v1 x", NULL, NULL, &e), 0);
	assert_int_equal(verify(db, tdb_head, &v), 0);
	assert_int_equal(v.nrecords, 5);
	assert_int_equal(v.head_seq, 3);
	assert_int_equal(v.head_lag, 2);
	ixdb_close(db);
}

/* Someone who can rewrite the database could also delete the head file;
 * that must not turn a rewritten chain into a sound one. */
static void
missing_head_file_with_records_is_broken(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;

	(void)state;
	append_n(db, 3);
	assert_int_equal(unlink(tdb_head), 0);
	assert_int_equal(verify(db, tdb_head, &v), 1);
	assert_int_equal(v.head_seq, 0);
	assert_int_equal(v.head_lag, 3);
	assert_non_null(strstr(v.reason, "is missing but the database holds 3 audit records"));
	ixdb_close(db);
}

static void
rolled_back_append_leaves_no_row_and_no_head_line(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;
	struct ix_err e;
	int64_t seq;

	(void)state;
	append_n(db, 2);
	assert_int_equal(ixdb_begin(db, &e), 0);
	assert_int_equal(ixdb_audit_append(db, tdb_head, "edit", "root", "v1 a", &seq, NULL, &e), 0);
	assert_int_equal(seq, 3);
	assert_int_equal(ixdb_audit_append(db, tdb_head, "edit", "root", "v1 b", &seq, NULL, &e), 0);
	assert_int_equal(seq, 4);
	assert_int_equal(count_lines(tdb_head), 2);	/* nothing before the commit */
	ixdb_rollback(db);
	assert_int_equal(count_lines(tdb_head), 2);
	assert_int_equal(verify(db, tdb_head, &v), 0);
	assert_int_equal(v.nrecords, 2);
	/* The next append reuses seq 3; its commit writes only its own line. */
	assert_int_equal(ixdb_begin(db, &e), 0);
	assert_int_equal(ixdb_audit_append(db, tdb_head, "edit", "root", "v1 c", &seq, NULL, &e), 0);
	assert_int_equal(seq, 3);
	assert_int_equal(ixdb_commit(db, &e), 0);
	assert_int_equal(count_lines(tdb_head), 3);
	assert_int_equal(verify(db, tdb_head, &v), 0);
	assert_int_equal(v.head_lag, 0);
	ixdb_close(db);
}

static void
appends_in_transaction_reach_head_file_on_commit(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;
	struct ix_err e;

	(void)state;
	assert_int_equal(ixdb_begin(db, &e), 0);
	append_n(db, 3);
	assert_int_equal(count_lines(tdb_head), 0);
	assert_int_equal(ixdb_commit(db, &e), 0);
	assert_int_equal(count_lines(tdb_head), 3);
	assert_int_equal(verify(db, tdb_head, &v), 0);
	assert_int_equal(v.head_seq, 3);
	ixdb_close(db);
}

static void
raw_commit_with_pending_heads_is_turned_into_rollback(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;
	struct ix_err e;

	(void)state;
	assert_int_equal(ixdb_begin(db, &e), 0);
	append_n(db, 1);
	/* Committing behind ixdb_commit's back would leave the record
	 * without a head line; sqlite's commit hook refuses it. */
	assert_int_not_equal(sqlite3_exec(ixdb_sqlite(db), "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(ixdb_in_transaction(db), 0);
	assert_int_equal(verify(db, tdb_head, &v), 0);
	assert_int_equal(v.nrecords, 0);
	assert_int_equal(count_lines(tdb_head), 0);
	ixdb_close(db);
}

static void
append_in_foreign_transaction_is_refused(void **state)
{
	struct ixdb *db = tdb_open();
	struct ix_err e;

	(void)state;
	assert_int_equal(ixdb_exec(db, "BEGIN", &e), 0);
	assert_int_equal(ixdb_audit_append(db, tdb_head, "edit", "root", "v1", NULL, NULL, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_non_null(strstr(e.msg, "not opened by ixdb_begin"));
	ixdb_rollback(db);
	ixdb_close(db);
}

static void
append_rejects_bad_kind_actor_and_text(void **state)
{
	struct ixdb *db = tdb_open();
	struct ix_err e;
	char *big = malloc(IXDB_AUDIT_TEXT_MAX + 2);

	(void)state;
	assert_non_null(big);
	assert_int_equal(ixdb_audit_append(db, tdb_head, "", "root", "t", NULL, NULL, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_int_equal(ixdb_audit_append(db, tdb_head, "edit", "ro\not", "t", NULL, NULL, &e), -1);
	assert_string_equal(e.msg, "audit actor: control byte at column 3");
	assert_int_equal(ixdb_audit_append(db, tdb_head, "a-kind-that-is-far-too-long-to-be-a-word", "root",
					   "t", NULL, NULL, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
	memset(big, 'x', IXDB_AUDIT_TEXT_MAX + 1);
	big[IXDB_AUDIT_TEXT_MAX + 1] = '\0';
	assert_int_equal(ixdb_audit_append(db, tdb_head, "edit", "root", big, NULL, NULL, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
	big[IXDB_AUDIT_TEXT_MAX] = '\0';	/* exactly the maximum is fine */
	assert_int_equal(ixdb_audit_append(db, tdb_head, "edit", "root", big, NULL, NULL, &e), 0);
	assert_int_equal(count_lines(tdb_head), 1);
	free(big);
	ixdb_close(db);
}

static void
malformed_head_line_is_an_error_with_position(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;
	struct ix_err e;
	char want[300];

	(void)state;
	append_n(db, 2);
	write_head("3 XYZ\n", "a");
	assert_int_equal(ixdb_audit_verify(db, tdb_head, &v, &e), -1);
	assert_int_equal(e.code, IX_ECORRUPT);
	snprintf(want, sizeof want, "audit head file %s:4:3: expected 'SEQ HEX'", tdb_head);
	assert_string_equal(e.msg, want);
	ixdb_close(db);
}

static void
head_line_with_nul_overlong_or_huge_seq_is_rejected(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;
	struct ix_err e;
	FILE *f;

	(void)state;
	append_n(db, 1);
	f = fopen(tdb_head, "a");
	fwrite("2\0\n", 1, 3, f);
	fclose(f);
	assert_int_equal(ixdb_audit_verify(db, tdb_head, &v, &e), -1);
	assert_non_null(strstr(e.msg, ":3:2: NUL byte"));
	write_head("", "w");
	write_head("1 0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\n", "w");
	assert_int_equal(ixdb_audit_verify(db, tdb_head, &v, &e), -1);
	assert_non_null(strstr(e.msg, ":1: line longer than"));
	write_head("9223372036854775808 00\n", "w");	/* INT64_MAX + 1 */
	assert_int_equal(ixdb_audit_verify(db, tdb_head, &v, &e), -1);
	assert_non_null(strstr(e.msg, ":1:19: sequence number out of range"));
	write_head("01 00\n", "w");
	assert_int_equal(ixdb_audit_verify(db, tdb_head, &v, &e), -1);
	assert_non_null(strstr(e.msg, ":1:1: expected"));
	ixdb_close(db);
}

static void
torn_last_head_line_is_skipped_and_terminated_by_next_append(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;

	(void)state;
	append_n(db, 2);
	write_head("3 ab12", "a");	/* a crash cut this line */
	assert_int_equal(verify(db, tdb_head, &v), 0);
	assert_int_equal(v.head_seq, 2);
	append_n(db, 1);
	assert_int_equal(count_lines(tdb_head), 4);	/* remnant ended, then line 3 */
	assert_int_equal(verify(db, tdb_head, &v), 0);
	assert_int_equal(v.head_seq, 3);
	assert_int_equal(v.head_lag, 0);
	ixdb_close(db);
}

static void
head_write_failure_is_reported_but_record_stays_committed(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;
	struct ix_err e;

	(void)state;
	/* A directory where the head file should be: the write must fail. */
	assert_int_equal(mkdir(tdb_head, 0700), 0);
	assert_int_equal(ixdb_audit_append(db, tdb_head, "edit", "root", "v1", NULL, NULL, &e), -1);
	assert_int_equal(strncmp(e.msg, "committed, but the audit head was not recorded: ", 48), 0);
	assert_int_equal(rmdir(tdb_head), 0);
	/* The record has no anchor outside the database: verify says so. */
	assert_int_equal(verify(db, tdb_head, &v), 1);
	assert_int_equal(v.nrecords, 1);
	assert_int_equal(v.head_lag, 1);
	assert_non_null(strstr(v.reason, "is missing"));
	ixdb_close(db);
}

/* A child appends in a loop and is killed at a random instant: the chain
 * must be sound and the head file at most one record behind. */
static void
kill_during_appends_leaves_sound_chain(void **state)
{
	struct ixdb *db;
	struct ixdb_verify v;
	int64_t total = 0;

	(void)state;
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	db = tdb_open();
	ixdb_close(db);
	for (int round = 0; round < 5; round++) {
		int ready[2];
		pid_t pid;
		int status;
		char go;

		/* The kill comes at a random moment, but only once this round's
		 * child has committed a record: a loaded machine that is slow to
		 * open the database must not make the round find nothing new. */
		assert_int_equal(pipe(ready), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			struct ixdb *c = NULL;
			struct ix_err e;
			bool told = false;

			close(ready[0]);
			if (ixdb_open(tdb_path, 0, &c, &e) < 0)
				_exit(2);
			for (;;) {
				if (ixdb_audit_append(c, tdb_head, "request", "alice", "v1 crash test",
						      NULL, NULL, &e) < 0)
					_exit(3);
				if (!told && write(ready[1], "r", 1) == 1)
					told = true;
			}
		}
		close(ready[1]);
		assert_int_equal(read(ready[0], &go, 1), 1);
		close(ready[0]);
		usleep((useconds_t)(rand() % 150000));
		assert_int_equal(kill(pid, SIGKILL), 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status));
		db = tdb_open();
		assert_int_equal(verify(db, tdb_head, &v), 0);
		assert_true(v.nrecords > total);
		assert_true(v.head_lag <= 1);
		total = v.nrecords;
		ixdb_close(db);
	}
}


/* Hole 6: an attacker who dropped the triggers deletes the last rows and
 * empties the head file (": > head"), and edits the count in meta too. */
static void
emptied_head_file_with_deleted_last_rows_is_damage(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;

	(void)state;
	append_n(db, 5);
	tdb_raw_exec("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq >= 4;"
		     "UPDATE meta SET value = '3' WHERE key = 'audit_records'");
	write_head("", "w");
	assert_int_equal(verify(db, tdb_head, &v), 1);
	assert_int_equal(v.head_state, IXDB_HEAD_EMPTY);
	assert_non_null(strstr(v.reason, "is empty"));
	assert_non_null(strstr(v.reason, "it was emptied"));
	ixdb_close(db);
}

/* Every row deleted and the head file emptied, or removed. */
static void
erased_chain_with_emptied_or_removed_head_is_damage(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;

	(void)state;
	append_n(db, 3);
	tdb_raw_exec("DROP TRIGGER audit_no_delete; DELETE FROM audit");
	write_head("", "w");
	assert_int_equal(verify(db, tdb_head, &v), 1);
	assert_int_equal(v.nrecords, 0);
	assert_int_equal(v.ever, 3);
	assert_int_equal(unlink(tdb_head), 0);
	assert_int_equal(verify(db, tdb_head, &v), 1);
	assert_int_equal(v.head_state, IXDB_HEAD_MISSING);
	/* The lowest finding: the deleted records themselves. */
	assert_non_null(strstr(v.reason, "records 1 to 3 were deleted"));
	/* With the count in meta edited as well, an emptied head file still
	 * tells (ixkit never leaves one)... */
	tdb_raw_exec("UPDATE meta SET value = '0' WHERE key = 'audit_records'");
	write_head("", "w");
	assert_int_equal(verify(db, tdb_head, &v), 1);
	assert_non_null(strstr(v.reason, "it was emptied"));
	/* ...a removed one cannot: that erasure is consistent, the witness's
	 * job (tests/scenario/audit_head.sh). */
	assert_int_equal(unlink(tdb_head), 0);
	assert_int_equal(verify(db, tdb_head, &v), 0);
	ixdb_close(db);
}

static void
head_file_of_another_database_is_damage(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;

	(void)state;
	append_n(db, 2);
	tdb_raw_exec("UPDATE meta SET value = '0123456789abcdef0123456789abcdef' WHERE key = 'audit_id'");
	assert_int_equal(verify(db, tdb_head, &v), 1);
	assert_non_null(strstr(v.reason, "belongs to the database with audit id "));
	ixdb_close(db);
}

/* Keeps the header and the first n record lines of the head file. */
static void
cut_head(int n)
{
	char cmd[600];

	snprintf(cmd, sizeof cmd, "head -n %d '%s' > '%s.t' && mv '%s.t' '%s'", n + 1, tdb_head,
		 tdb_head, tdb_head, tdb_head);
	assert_int_equal(system(cmd), 0);
}

static void
head_short_by_more_than_the_lag_bound_is_damage(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;

	(void)state;
	append_n(db, IXDB_HEAD_LAG_MAX + 3);
	cut_head(3);
	assert_int_equal(verify(db, tdb_head, &v), 0);	/* a crash can leave this */
	assert_int_equal(v.head_lag, IXDB_HEAD_LAG_MAX);
	cut_head(2);
	assert_int_equal(verify(db, tdb_head, &v), 1);
	assert_int_equal(v.first_bad, 3);
	assert_non_null(strstr(v.reason, "the head file was cut"));
	ixdb_close(db);
}

static void
verify_reports_both_sides(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;

	(void)state;
	append_n(db, 4);
	assert_int_equal(verify(db, tdb_head, &v), 0);
	assert_int_equal(v.head_state, IXDB_HEAD_OK);
	assert_int_equal(v.ever, 4);
	assert_int_equal(strlen(v.chain_hex), 64);
	assert_string_equal(v.chain_hex, v.head_hex);
	assert_int_equal(strlen(v.id), IXDB_AUDIT_ID_HEX);
	ixdb_close(db);
}

static void
removed_head_file_is_not_recreated_by_the_next_append(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_verify v;
	struct ix_err e;

	(void)state;
	append_n(db, 2);
	assert_int_equal(unlink(tdb_head), 0);
	assert_int_equal(ixdb_audit_append(db, tdb_head, "edit", "root", "v1", NULL, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "is missing; not recreating it"));
	assert_int_equal(access(tdb_head, F_OK), -1);
	write_head("", "w");
	assert_int_equal(ixdb_audit_append(db, tdb_head, "edit", "root", "v1", NULL, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "is empty"));
	assert_int_equal(verify(db, tdb_head, &v), 1);
	ixdb_close(db);
}

static void
reconcile_appends_lines_a_crash_kept_back(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_reconcile rc;
	struct ixdb_verify v;
	struct ix_err e;

	(void)state;
	append_n(db, 5);
	cut_head(2);
	assert_int_equal(ixdb_audit_reconcile(db, tdb_head, &rc, &e), 0);
	assert_int_equal(rc.from, 2);
	assert_int_equal(rc.extended, 3);
	assert_int_equal(count_lines(tdb_head), 5);
	assert_int_equal(verify(db, tdb_head, &v), 0);
	assert_int_equal(v.head_lag, 0);
	ixdb_close(db);
}

static void
reconcile_leaves_damage_as_it_finds_it(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_reconcile rc;
	struct ix_err e;

	(void)state;
	append_n(db, IXDB_HEAD_LAG_MAX + 2);
	cut_head(1);
	assert_int_equal(ixdb_audit_reconcile(db, tdb_head, &rc, &e), -1);
	assert_int_equal(e.code, IX_ECORRUPT);
	assert_int_equal(count_lines(tdb_head), 1);
	write_head("", "w");
	assert_int_equal(ixdb_audit_reconcile(db, tdb_head, &rc, &e), -1);
	assert_non_null(strstr(e.msg, "is empty but the database has held"));
	assert_int_equal(unlink(tdb_head), 0);
	assert_int_equal(ixdb_audit_reconcile(db, tdb_head, &rc, &e), -1);
	assert_non_null(strstr(e.msg, "is missing but the database has held"));
	assert_int_equal(access(tdb_head, F_OK), -1);
	ixdb_close(db);
}

static void
reconcile_creates_head_of_new_database_and_upgrades_old_one(void **state)
{
	struct ixdb *db = tdb_open();
	struct ixdb_reconcile rc;
	struct ixdb_verify v;
	struct ix_err e;
	char cmd[600];

	(void)state;
	assert_int_equal(ixdb_audit_reconcile(db, tdb_head, &rc, &e), 0);
	assert_int_equal(rc.created, 1);
	assert_int_equal(unlink(tdb_head), 0);
	assert_int_equal(verify(db, tdb_head, &v), 0);	/* never held a record */
	append_n(db, 3);
	/* A head file as written before schema 5: no header. */
	snprintf(cmd, sizeof cmd, "sed -i 1d '%s'", tdb_head);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(verify(db, tdb_head, &v), 0);
	assert_int_equal(v.head_state, IXDB_HEAD_OLD);
	assert_int_equal(ixdb_audit_reconcile(db, tdb_head, &rc, &e), 0);
	assert_int_equal(rc.upgraded, 1);
	assert_int_equal(verify(db, tdb_head, &v), 0);
	assert_int_equal(v.head_state, IXDB_HEAD_OK);
	assert_int_equal(v.head_seq, 3);
	ixdb_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, tdb_setup, tdb_teardown)
		T(append_reports_seq_and_hash_and_chain_verifies),
		T(head_file_is_created_0600),
		T(empty_chain_is_sound),
		T(triggers_refuse_update_and_delete_of_audit),
		T(modified_text_is_found_at_its_record),
		T(broken_prev_link_is_found),
		T(gap_in_sequence_is_found),
		T(consistent_rewrite_of_chain_fails_against_head_file),
		T(rewrite_with_sqlite3_tool_fails_against_head_file),
		T(deleted_last_records_are_reported_as_truncation),
		T(records_newer_than_head_file_are_lag_not_breakage),
		T(missing_head_file_with_records_is_broken),
		T(rolled_back_append_leaves_no_row_and_no_head_line),
		T(appends_in_transaction_reach_head_file_on_commit),
		T(raw_commit_with_pending_heads_is_turned_into_rollback),
		T(append_in_foreign_transaction_is_refused),
		T(append_rejects_bad_kind_actor_and_text),
		T(malformed_head_line_is_an_error_with_position),
		T(head_line_with_nul_overlong_or_huge_seq_is_rejected),
		T(torn_last_head_line_is_skipped_and_terminated_by_next_append),
		T(head_write_failure_is_reported_but_record_stays_committed),
		T(kill_during_appends_leaves_sound_chain),
		T(emptied_head_file_with_deleted_last_rows_is_damage),
		T(erased_chain_with_emptied_or_removed_head_is_damage),
		T(head_file_of_another_database_is_damage),
		T(head_short_by_more_than_the_lag_bound_is_damage),
		T(verify_reports_both_sides),
		T(removed_head_file_is_not_recreated_by_the_next_append),
		T(reconcile_appends_lines_a_crash_kept_back),
		T(reconcile_leaves_damage_as_it_finds_it),
		T(reconcile_creates_head_of_new_database_and_upgrades_old_one),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
