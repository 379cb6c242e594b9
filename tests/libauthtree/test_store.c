/* The policy in the database: save/load round trip to the canonical text,
 * category bits fixed forever across imports (renaming or moving a bit is
 * a conflict, a dropped category is retired and its bit never reused), and
 * an import that fails leaves the previous policy, audit chain and
 * generation exactly as they were. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "libauthtree/store.h"
#include "tests/db/test_db_util.h"
#include "tests/libauthtree/test_policy_util.h"
#include "tests/libauthtree/test_store_util.h"

static int
setup(void **state)
{
	tdb_setup(state);
	*state = tdb_open();
	return 0;
}

static int
teardown(void **state)
{
	ixdb_close(*state);
	return tdb_teardown(state);
}

static void
save_ok(struct ixdb *db, const char *text)
{
	struct ix_policy *p = tp_parse("t", text);
	struct ix_err e = { 0 };

	if (ix_store_save(db, p, "root", tdb_head, NULL, &e) != 0)
		fail_msg("ix_store_save: %s", e.msg);
	ix_policy_free(p);
}

/* Rows of label_categories as "bit name retired;..." */
static char *
categories(struct ixdb *db)
{
	sqlite3_stmt *st;
	char *s = calloc(1, 4096);
	size_t n = 0;

	assert_int_equal(sqlite3_prepare_v2(ixdb_sqlite(db),
					    "SELECT bit, name, retired FROM label_categories "
					    "ORDER BY bit", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		n += (size_t)snprintf(s + n, 4096 - n, "%d %s %d;", sqlite3_column_int(st, 0),
				      (const char *)sqlite3_column_text(st, 1),
				      sqlite3_column_int(st, 2));
	sqlite3_finalize(st);
	return s;
}

/* Everything an import may touch, to compare before and after. */
struct snap {
	char *text;	/* exported policy */
	char *cats;	/* label_categories */
	int64_t audit;	/* audit records */
	int64_t gen;	/* generation */
};

static void
snap_take(struct ixdb *db, struct snap *s)
{
	s->text = ts_exported(db);
	s->cats = categories(db);
	s->audit = ts_count(db, "SELECT count(*) FROM audit");
	s->gen = ts_generation(db);
}

static void
snap_assert_same(struct ixdb *db, struct snap *s)
{
	struct snap t;

	snap_take(db, &t);
	assert_string_equal(s->text, t.text);
	assert_string_equal(s->cats, t.cats);
	assert_int_equal(s->audit, t.audit);
	assert_int_equal(s->gen, t.gen);
	assert_false(ixdb_in_transaction(db));
	free(s->text);
	free(s->cats);
	free(t.text);
	free(t.cats);
}

/* Saving text must fail with code and a message containing what, and
 * change nothing. */
static void
save_refused(struct ixdb *db, const char *text, const char *actor, enum ix_errcode code,
	     const char *what)
{
	struct ix_policy *p = tp_parse("t", text);
	struct ix_err e = { 0 };
	struct snap s;

	snap_take(db, &s);
	if (ix_store_save(db, p, actor, tdb_head, NULL, &e) == 0)
		fail_msg("ix_store_save accepted");
	if (e.code != code)
		fail_msg("'%s': code %d, expected %d", e.msg, (int)e.code, (int)code);
	if (strstr(e.msg, what) == NULL)
		fail_msg("'%s' does not contain '%s'", e.msg, what);
	snap_assert_same(db, &s);
	ix_policy_free(p);
}

/* text with every occurrence of from replaced by to (malloc'd). */
static char *
replace(const char *text, const char *from, const char *to)
{
	size_t nf = strlen(from), nt = strlen(to), n = 0;
	char *out = malloc(strlen(text) * (nt > nf ? nt / nf + 1 : 1) + 1);
	const char *s = text, *hit;

	while ((hit = strstr(s, from)) != NULL) {
		memcpy(out + n, s, (size_t)(hit - s));
		n += (size_t)(hit - s);
		memcpy(out + n, to, nt);
		n += nt;
		s = hit + nf;
	}
	strcpy(out + n, s);
	return out;
}

/* The demo policy without the category otherbit. */
static char *
demo_without_otherbit(void)
{
	char *demo = tp_demo_text(NULL), *a, *b, *c;

	a = replace(demo, "category otherbit 1\n", "");
	b = replace(a, "downgrade(projectbit,otherbit)", "downgrade(projectbit)");
	c = replace(b, "topsecret:projectbit,otherbit", "topsecret:projectbit");
	free(demo);
	free(a);
	free(b);
	return c;
}

/* ---- round trip ---- */

static void
load_of_empty_database_is_enoent(void **state)
{
	struct ix_policy *p = NULL;
	struct ix_err e = { 0 };

	assert_int_equal(ix_store_load(*state, &p, &e), -1);
	assert_int_equal(e.code, IX_ENOENT);
	assert_non_null(strstr(e.msg, "holds no policy yet"));
	assert_null(p);
}

static void
save_load_round_trip_equals_canonical_text(void **state)
{
	struct ixdb *db = *state;
	struct ix_policy *demo = tp_demo();
	char *want = tp_print(demo), *got, hex[65], rec[256];
	unsigned char h[32];
	struct ix_audit_ref ref = { 0 };
	struct ix_err e = { 0 };
	sqlite3_stmt *st;

	assert_int_equal(ts_generation(db), 0);
	assert_int_equal(ix_store_save(db, demo, "root", tdb_head, &ref, &e), 0);
	got = ts_exported(db);
	assert_string_equal(want, got);
	assert_int_equal(ts_generation(db), 1);
	assert_int_equal(ref.seq, 1);
	/* The audit record pins the exact canonical text by its hash. */
	crypto_generichash(h, sizeof h, (const unsigned char *)want, strlen(want), NULL, 0);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(rec, sizeof rec, "v1 import nodes=10 rules=10 bytes=%zu policy-blake2b=%s",
		 strlen(want), hex);
	assert_int_equal(sqlite3_prepare_v2(ixdb_sqlite(db),
					    "SELECT kind, actor, text FROM audit WHERE seq = 1", -1,
					    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "import");
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "root");
	assert_string_equal((const char *)sqlite3_column_text(st, 2), rec);
	sqlite3_finalize(st);
	/* Loading again, and saving what was loaded, changes nothing but
	 * the generation and the chain. */
	free(got);
	save_ok(db, want);
	got = ts_exported(db);
	assert_string_equal(want, got);
	assert_int_equal(ts_generation(db), 2);
	assert_int_equal(ts_count(db, "SELECT count(*) FROM audit"), 2);
	free(want);
	free(got);
	ix_policy_free(demo);
}

static void
stored_policy_loads_linked_and_indexed(void **state)
{
	struct ixdb *db = *state;
	struct ix_policy *p = NULL;
	struct ix_err e = { 0 };
	char *demo = tp_demo_text(NULL);
	long i;

	save_ok(db, demo);
	assert_int_equal(ix_store_load(db, &p, &e), 0);
	/* Parents are linked and the rule's need with $1 is kept unparsed. */
	i = ix_policy_find_node(p, "/admin/networks/internet");
	assert_true(i > 0);
	assert_string_equal(p->nodes[p->nodes[i].parent].path, "/admin/networks");
	assert_int_equal(p->nodes[i].line, 0);
	assert_null(p->rules[1].need);
	assert_int_equal(p->rules[1].ngroups, 2);
	assert_int_equal(p->nclearances, 4);
	assert_true(p->has_floor);
	assert_true(p->has_seal);
	assert_int_equal(p->relabel, ix_rdecls_find(p->decls, "downgrade", 9));
	ix_policy_free(p);
	free(demo);
}

static void
load_refuses_a_stored_relabel_of_no_label_right(void **state)
{
	struct ixdb *db = *state;
	struct ix_policy *p = NULL;
	struct ix_err e = { 0 };
	char *demo = tp_demo_text(NULL);

	save_ok(db, demo);
	tdb_raw_exec("UPDATE settings SET value = 'edit' WHERE key = 'relabel'");
	assert_int_equal(ix_store_load(db, &p, &e), -1);
	assert_non_null(strstr(e.msg, "relabel: right 'edit' is of kind regex, not label"));
	assert_null(p);
	free(demo);
}

/* ---- category bits across imports ---- */

static void
reimport_renaming_a_category_bit_conflicts(void **state)
{
	struct ixdb *db = *state;
	char *demo = tp_demo_text(NULL), *renamed = replace(demo, "projectbit", "projectx");
	char *moved = replace(demo, "category otherbit 1", "category otherbit 7");

	save_ok(db, demo);
	save_refused(db, renamed, "root", IX_ECONFLICT,
		     "category bit 0 is 'projectbit' in the database and can never become "
		     "'projectx'");
	save_refused(db, moved, "root", IX_ECONFLICT,
		     "category 'otherbit' has bit 1 in the database and cannot move to bit 7");
	free(demo);
	free(renamed);
	free(moved);
}

static void
dropped_category_is_retired_and_exported_as_such(void **state)
{
	struct ixdb *db = *state;
	char *demo = tp_demo_text(NULL), *without = demo_without_otherbit(), *text, *again;
	char *cats;

	save_ok(db, demo);
	save_ok(db, without);
	cats = categories(db);
	assert_string_equal(cats, "0 projectbit 0;1 otherbit 1;");
	free(cats);
	text = ts_exported(db);
	assert_non_null(strstr(text, "category projectbit 0\ncategory otherbit 1 retired\n"));
	/* The exported text imports again to the same text. */
	save_ok(db, text);
	again = ts_exported(db);
	assert_string_equal(text, again);
	free(demo);
	free(without);
	free(text);
	free(again);
}

static void
retired_category_bit_is_never_reused(void **state)
{
	struct ixdb *db = *state;
	char *demo = tp_demo_text(NULL), *without = demo_without_otherbit();
	char *reuse = replace(without, "category projectbit 0\n",
			      "category projectbit 0\ncategory newcat 1\n");
	char *cats;

	save_ok(db, demo);
	save_ok(db, without);
	save_refused(db, reuse, "root", IX_ECONFLICT, "category bit 1 is 'otherbit'");
	/* Its own name may come back on its own bit. */
	save_ok(db, demo);
	cats = categories(db);
	assert_string_equal(cats, "0 projectbit 0;1 otherbit 0;");
	free(cats);
	free(demo);
	free(without);
	free(reuse);
}

/* ---- failed imports change nothing ---- */

static void
failed_save_rolls_back_every_table(void **state)
{
	struct ixdb *db = *state;
	char *demo = tp_demo_text(NULL), *without = demo_without_otherbit();
	char *smaller = replace(without, "node /services\n", "node /services2\n");

	save_ok(db, demo);
	/* Every row is written before the audit record, which refuses a
	 * control character in the actor: the whole import must vanish,
	 * the retirement of otherbit included. */
	save_refused(db, smaller, "ro\not", IX_EINVAL, "actor");
	free(demo);
	free(without);
	free(smaller);
}

static void
bad_policy_text_never_reaches_the_database(void **state)
{
	struct ixdb *db = *state;
	char *demo = tp_demo_text(NULL);
	/* /admin/networks/internet given more than its parent. */
	char *bad = replace(demo, "\trights netoper\n", "\trights netoper | backup\n");
	struct ix_policy *p = NULL;
	struct ix_err e = { 0 };
	struct snap s;

	save_ok(db, demo);
	snap_take(db, &s);
	assert_int_equal(ix_policy_parse("bad", bad, strlen(bad), NULL, &p, &e), -1);
	assert_int_equal(e.code, IX_ECONFLICT);
	assert_non_null(strstr(e.msg, "node /admin/networks/internet "));
	assert_null(p);
	snap_assert_same(db, &s);
	free(demo);
	free(bad);
}

static void
load_refuses_a_stored_monotonicity_violation(void **state)
{
	struct ixdb *db = *state;
	struct ix_policy *p = NULL;
	struct ix_err e = { 0 };
	char *demo = tp_demo_text(NULL);

	save_ok(db, demo);
	/* Someone with write access to the file, bypassing libauthtree. */
	tdb_raw_exec("UPDATE nodes SET rights = 'netadmin | netoper | backup' "
		     "WHERE path = '/admin/networks'");
	assert_int_equal(ix_store_load(db, &p, &e), -1);
	assert_int_equal(e.code, IX_ECONFLICT);
	assert_non_null(strstr(e.msg, "node /admin/networks "));
	assert_non_null(strstr(e.msg, "parent /admin "));
	assert_non_null(strstr(e.msg, "backup"));
	assert_null(p);
	free(demo);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(load_of_empty_database_is_enoent),
		T(save_load_round_trip_equals_canonical_text),
		T(stored_policy_loads_linked_and_indexed),
		T(load_refuses_a_stored_relabel_of_no_label_right),
		T(reimport_renaming_a_category_bit_conflicts),
		T(dropped_category_is_retired_and_exported_as_such),
		T(retired_category_bit_is_never_reused),
		T(failed_save_rolls_back_every_table),
		T(bad_policy_text_never_reaches_the_database),
		T(load_refuses_a_stored_monotonicity_violation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
