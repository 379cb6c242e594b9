#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "db/labels.h"
#include "libauthtree/store.h"

#define SQLERR(db, err, what) \
	ix_err_set(err, IX_EDB, "%s: %s", what, sqlite3_errmsg(ixdb_sqlite(db)))

static int
prepare(struct ixdb *db, const char *sql, sqlite3_stmt **st, struct ix_err *err)
{
	if (sqlite3_prepare_v2(ixdb_sqlite(db), sql, -1, st, NULL) != SQLITE_OK)
		return SQLERR(db, err, "prepare");
	return 0;
}

static const char *
col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? (const char *)s : "";
}

/* Runs a query and hands each row to fn. */
static int
each_row(struct ixdb *db, const char *sql, int (*fn)(struct ix_policy *, sqlite3_stmt *,
						     struct ix_err *),
	 struct ix_policy *p, struct ix_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (prepare(db, sql, &st, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (fn(p, st, err) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return SQLERR(db, err, "reading the policy");
	return 0;
}

static int
row_decl(struct ix_policy *p, sqlite3_stmt *st, struct ix_err *err)
{
	int k = ix_right_kind_parse(col(st, 1));

	if (k < 0)
		return ix_err_set(err, IX_ECORRUPT, "right %s has unknown kind %s", col(st, 0),
				  col(st, 1));
	return ix_rdecls_declare(p->decls, col(st, 0), (enum ix_right_kind)k, err) < 0 ? -1 : 0;
}

/* A retired category of the stored encodings (ixdb_labels_read). */
static int
add_retired(void *arg, const char *name, int bit, struct ix_err *err)
{
	return ix_policy_add_retired(arg, name, bit, err);
}

static int
row_node(struct ix_policy *p, sqlite3_stmt *st, struct ix_err *err)
{
	return ix_policy_add_node(p, col(st, 0), col(st, 1), col(st, 2), 0, err);
}

static int
row_rule(struct ix_policy *p, sqlite3_stmt *st, struct ix_err *err)
{
	/* The built-in interpreters only: a stored tree loads on every host,
	 * whatever its ixkit.conf adds (splice.h). */
	return ix_policy_add_rule(p, col(st, 0), col(st, 1), col(st, 2), col(st, 3), 0, NULL, err);
}

static int
row_clearance(struct ix_policy *p, sqlite3_stmt *st, struct ix_err *err)
{
	char range[2 * IX_LABEL_TEXT_MAX + 4];

	snprintf(range, sizeof range, "%s..%s", col(st, 1), col(st, 2));
	return ix_policy_add_clearance(p, col(st, 0), range, err);
}

static int
row_port(struct ix_policy *p, sqlite3_stmt *st, struct ix_err *err)
{
	char range[2 * IX_LABEL_TEXT_MAX + 4];

	snprintf(range, sizeof range, "%s..%s", col(st, 1), col(st, 2));
	return ix_policy_add_port(p, col(st, 0), range, err);
}

static int
row_provider(struct ix_policy *p, sqlite3_stmt *st, struct ix_err *err)
{
	return ix_policy_add_provider(p, col(st, 0), col(st, 1), err);
}

static int
row_setting(struct ix_policy *p, sqlite3_stmt *st, struct ix_err *err)
{
	if (strcmp(col(st, 0), "floor") == 0)
		return ix_policy_set_floor(p, col(st, 1), err);
	if (strcmp(col(st, 0), "seal") == 0)
		return ix_policy_set_seal(p, col(st, 1), err);
	if (strcmp(col(st, 0), "relabel") == 0)
		return ix_policy_set_relabel(p, col(st, 1), err);
	return ix_err_set(err, IX_ECORRUPT, "unknown setting %s", col(st, 0));
}

int
ix_store_load(struct ixdb *db, struct ix_policy **out, struct ix_err *err)
{
	struct ix_policy *p = ix_policy_new(err);

	if (p == NULL)
		return -1;
	if (each_row(db, "SELECT name, kind FROM right_decls ORDER BY seq", row_decl, p, err) < 0 ||
	    ixdb_labels_read(db, p->enc, add_retired, p, err) < 0 ||
	    each_row(db, "SELECT path, predicate, rights FROM nodes ORDER BY id", row_node, p,
		     err) < 0 ||
	    each_row(db, "SELECT name, template, need, action FROM rules ORDER BY seq", row_rule,
		     p, err) < 0 ||
	    each_row(db, "SELECT user, low, high FROM clearances", row_clearance, p, err) < 0 ||
	    each_row(db, "SELECT pattern, low, high FROM ports ORDER BY seq", row_port, p, err) < 0 ||
	    each_row(db, "SELECT name, path FROM providers", row_provider, p, err) < 0 ||
	    each_row(db, "SELECT key, value FROM settings", row_setting, p, err) < 0)
		goto fail;
	if (p->nnodes == 0) {
		ix_err_set(err, IX_ENOENT, "the database %s holds no policy yet (privtree import FILE)",
			   ixdb_path(db));
		goto fail;
	}
	if (ix_policy_link(p, err) < 0 || ix_policy_validate(p, err) < 0 ||
	    ix_policy_build_index(p, err) < 0) {
		ix_err_prefix(err, "stored policy");
		goto fail;
	}
	*out = p;
	return 0;
fail:
	ix_policy_free(p);
	return -1;
}

int
ix_store_reload(struct ixdb *db, struct ix_policy **p, int64_t *gen, struct ix_err *err)
{
	struct ix_policy *np;
	int64_t g;

	if (ixdb_generation(db, &g, err) < 0)
		return -1;
	if (g == *gen)
		return 0;
	if (ix_store_load(db, &np, err) < 0) {
		char why[IX_ERR_MSG_MAX];

		snprintf(why, sizeof why, "%s", err->msg);
		return ix_err_set(err, err->code, "generation=%lld error=%s (the previous tree stays)",
				  (long long)g, why);
	}
	ix_policy_free(*p);
	*p = np;
	*gen = g;
	return 1;
}

/* Binds text parameters in order and steps once. */
static int
run(struct ixdb *db, sqlite3_stmt *st, struct ix_err *err, int n, ...)
{
	va_list ap;
	int i, rc;

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	va_start(ap, n);
	for (i = 1; i <= n; i++) {
		const char *s = va_arg(ap, const char *);

		if (s == NULL)
			sqlite3_bind_null(st, i);
		else
			sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	}
	va_end(ap);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return SQLERR(db, err, "writing the policy");
	return rc == SQLITE_ROW ? 1 : 0;
}

/* Category bits are forever: compare p's categories with every bit the
 * database has assigned, retire the ones p dropped, add the new ones. */
static int
save_categories(struct ixdb *db, const struct ix_policy *p, struct ix_err *err)
{
	unsigned char seen[IX_CAT_BITS] = { 0 };
	sqlite3_stmt *st, *up = NULL, *ins = NULL;
	int rc, bit;
	size_t i;

	if (prepare(db, "SELECT bit, name FROM label_categories", &st, err) < 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = col(st, 1), *now;
		int b = sqlite3_column_int(st, 0), nb;

		seen[b] = 1;
		now = ix_label_enc_category_name(p->enc, b);
		for (i = 0; now == NULL && i < p->nretired; i++)
			if (p->retired[i].bit == b)
				now = p->retired[i].name;
		if (now != NULL && strcmp(now, name) != 0) {
			ix_err_set(err, IX_ECONFLICT,
				   "category bit %d is '%s' in the database and can never become '%s'",
				   b, name, now);
			goto fail;
		}
		nb = ix_label_enc_category_bit(p->enc, name);
		if (nb >= 0 && nb != b) {
			ix_err_set(err, IX_ECONFLICT,
				   "category '%s' has bit %d in the database and cannot move to bit %d",
				   name, b, nb);
			goto fail;
		}
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE)
		return SQLERR(db, err, "reading categories");
	if (prepare(db, "UPDATE label_categories SET retired = ?2 WHERE bit = ?1", &up, err) < 0 ||
	    prepare(db, "INSERT INTO label_categories(bit, name, retired) VALUES (?1, ?2, ?3)",
		    &ins, err) < 0)
		goto fail;
	for (bit = 0; bit < IX_CAT_BITS; bit++) {
		const char *name = ix_label_enc_category_name(p->enc, bit);
		char b[8];
		int retired = 0;

		for (i = 0; name == NULL && i < p->nretired; i++)
			if (p->retired[i].bit == bit) {
				name = p->retired[i].name;
				retired = 1;
			}
		snprintf(b, sizeof b, "%d", bit);
		if (seen[bit])
			rc = run(db, up, err, 2, b, name == NULL || retired ? "1" : "0");
		else if (name != NULL)
			rc = run(db, ins, err, 3, b, name, retired ? "1" : "0");
		else
			rc = 0;
		if (rc < 0)
			goto fail;
	}
	sqlite3_finalize(up);
	sqlite3_finalize(ins);
	return 0;
fail:
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	sqlite3_finalize(ins);
	return -1;
}

static int
save_rows(struct ixdb *db, const struct ix_policy *p, struct ix_err *err)
{
	static const char *const wipe =
		"DELETE FROM rules; DELETE FROM nodes; DELETE FROM right_decls;"
		"DELETE FROM label_levels; DELETE FROM clearances; DELETE FROM ports;"
		"DELETE FROM providers; DELETE FROM settings;";
	sqlite3_stmt *st[8] = { NULL };
	char lab[IX_LABEL_TEXT_MAX], lab2[IX_LABEL_TEXT_MAX], id[24], pid[24], n[24];
	char range[2 * IX_LABEL_TEXT_MAX + 4];
	size_t i;
	int rc = -1;

	if (ixdb_exec(db, wipe, err) < 0 || save_categories(db, p, err) < 0)
		return -1;
	if (prepare(db, "INSERT INTO right_decls(seq, name, kind) VALUES (?1, ?2, ?3)", &st[0], err) < 0 ||
	    prepare(db, "INSERT INTO label_levels(rank, name) VALUES (?1, ?2)", &st[1], err) < 0 ||
	    prepare(db, "INSERT INTO nodes(id, path, parent, predicate, rights) VALUES (?1, ?2, ?3, ?4, ?5)",
		    &st[2], err) < 0 ||
	    prepare(db, "INSERT INTO rules(seq, name, template, need, action) VALUES (?1, ?2, ?3, ?4, ?5)",
		    &st[3], err) < 0 ||
	    prepare(db, "INSERT INTO clearances(user, low, high) VALUES (?1, ?2, ?3)", &st[4], err) < 0 ||
	    prepare(db, "INSERT INTO ports(seq, pattern, low, high) VALUES (?1, ?2, ?3, ?4)", &st[5], err) < 0 ||
	    prepare(db, "INSERT INTO providers(name, path) VALUES (?1, ?2)", &st[6], err) < 0 ||
	    prepare(db, "INSERT INTO settings(key, value) VALUES (?1, ?2)", &st[7], err) < 0)
		goto out;
	for (i = 0; i < ix_rdecls_count(p->decls); i++) {
		snprintf(n, sizeof n, "%zu", i);
		if (run(db, st[0], err, 3, n, ix_rdecls_name(p->decls, i),
			ix_right_kind_name(ix_rdecls_kind(p->decls, i))) < 0)
			goto out;
	}
	for (i = 0; i < (size_t)ix_label_enc_nlevels(p->enc); i++) {
		snprintf(n, sizeof n, "%zu", i);
		if (run(db, st[1], err, 2, n, ix_label_enc_level_name(p->enc, (int)i)) < 0)
			goto out;
	}
	for (i = 0; i < p->nnodes; i++) {
		const struct ix_node *nd = &p->nodes[i];
		char *pr = ix_pred_print(nd->pred, err),
		     *rt = pr ? ix_node_rights_text(nd->rights, nd->names_unattended, err) : NULL;
		int r;

		if (rt == NULL) {
			free(pr);
			goto out;
		}
		snprintf(id, sizeof id, "%zu", i + 1);
		snprintf(pid, sizeof pid, "%zu", nd->parent + 1);
		r = run(db, st[2], err, 5, id, nd->path, nd->parent == IX_NO_PARENT ? NULL : pid, pr, rt);
		free(pr);
		free(rt);
		if (r < 0)
			goto out;
	}
	for (i = 0; i < p->nrules; i++) {
		const struct ix_rule *r = &p->rules[i];
		char *ac = ix_action_tmpl_print(r->action, err);
		int x;

		if (ac == NULL)
			goto out;
		snprintf(n, sizeof n, "%zu", i);
		x = run(db, st[3], err, 5, n, r->name, r->tmpl_text, r->need_text, ac);
		free(ac);
		if (x < 0)
			goto out;
	}
	for (i = 0; i < p->nclearances; i++) {
		if (ix_label_print(p->enc, &p->clearances[i].range.low, lab, sizeof lab, err) < 0 ||
		    ix_label_print(p->enc, &p->clearances[i].range.high, lab2, sizeof lab2, err) < 0 ||
		    run(db, st[4], err, 3, p->clearances[i].user, lab, lab2) < 0)
			goto out;
	}
	for (i = 0; i < p->nports; i++) {
		snprintf(n, sizeof n, "%zu", i);
		if (ix_label_print(p->enc, &p->ports[i].range.low, lab, sizeof lab, err) < 0 ||
		    ix_label_print(p->enc, &p->ports[i].range.high, lab2, sizeof lab2, err) < 0 ||
		    run(db, st[5], err, 4, n, p->ports[i].pattern, lab, lab2) < 0)
			goto out;
	}
	for (i = 0; i < p->nproviders; i++)
		if (run(db, st[6], err, 2, p->providers[i].name, p->providers[i].path) < 0)
			goto out;
	if (p->has_floor && (ix_label_print(p->enc, &p->floor, lab, sizeof lab, err) < 0 ||
			     run(db, st[7], err, 2, "floor", lab) < 0))
		goto out;
	if (p->has_seal && (ix_range_print(p->enc, &p->seal, range, sizeof range, err) < 0 ||
			    run(db, st[7], err, 2, "seal", range) < 0))
		goto out;
	if (p->relabel >= 0 &&
	    run(db, st[7], err, 2, "relabel", ix_rdecls_name(p->decls, (size_t)p->relabel)) < 0)
		goto out;
	rc = 0;
out:
	for (i = 0; i < 8; i++)
		sqlite3_finalize(st[i]);
	return rc;
}

int
ix_store_save(struct ixdb *db, const struct ix_policy *p, const char *actor,
	      const char *head_path, struct ix_audit_ref *ref, struct ix_err *err)
{
	unsigned char h[32];
	char hex[65], rec[256];
	char *text = ix_policy_print(p, err);

	if (text == NULL)
		return -1;
	crypto_generichash(h, sizeof h, (const unsigned char *)text, strlen(text), NULL, 0);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(rec, sizeof rec, "v1 import nodes=%zu rules=%zu bytes=%zu policy-blake2b=%s",
		 p->nnodes, p->nrules, strlen(text), hex);
	free(text);
	if (ixdb_begin(db, err) < 0)
		return -1;
	if (save_rows(db, p, err) < 0 || ixdb_bump_generation(db, err) < 0 ||
	    ixdb_audit_append(db, head_path, "import", actor, rec, ref ? &ref->seq : NULL,
			      ref ? ref->hex : NULL, err) < 0 ||
	    ixdb_commit(db, err) < 0) {
		ixdb_rollback(db);
		return -1;
	}
	return 0;
}

static int
apply_edit(struct ixdb *db, const struct ix_policy *p, const struct ix_edit *e,
	   struct ix_err *err)
{
	sqlite3_stmt *st = NULL;
	struct ix_pred *pr = NULL;
	struct ix_rights *rt = NULL;
	char *ptext = NULL, *rtext = NULL, parent[IX_NODE_PATH_MAX + 1], like[IX_NODE_PATH_MAX + 4];
	int rc = -1;

	/* Store canonical text, as import does. */
	if (e->predicate != NULL && (e->op == IX_EDIT_ADD || e->op == IX_EDIT_PREDICATE)) {
		if (ix_pred_parse(e->predicate, strlen(e->predicate), &pr, err) < 0 ||
		    (ptext = ix_pred_print(pr, err)) == NULL)
			goto out;
	}
	if (e->rights != NULL && (e->op == IX_EDIT_ADD || e->op == IX_EDIT_RIGHTS)) {
		if (ix_rights_parse(p->decls, e->rights, strlen(e->rights), NULL, 0, &rt, err) < 0 ||
		    (rtext = ix_node_rights_text(rt, ix_rights_text_names(e->rights, "unattended"),
						 err)) == NULL)
			goto out;
	}
	switch (e->op) {
	case IX_EDIT_ADD:
		ix_node_path_parent(e->path, parent, sizeof parent);
		if (prepare(db, "INSERT INTO nodes(path, parent, predicate, rights) "
			    "SELECT ?1, id, ?3, ?4 FROM nodes WHERE path = ?2", &st, err) < 0 ||
		    run(db, st, err, 4, e->path, parent, ptext, rtext) < 0)
			goto out;
		break;
	case IX_EDIT_REMOVE:
		/* Children go with their parent through ON DELETE CASCADE. */
		snprintf(like, sizeof like, "%s", e->path);
		if (prepare(db, "DELETE FROM nodes WHERE path = ?1", &st, err) < 0 ||
		    run(db, st, err, 1, like) < 0)
			goto out;
		break;
	case IX_EDIT_PREDICATE:
		if (prepare(db, "UPDATE nodes SET predicate = ?2 WHERE path = ?1", &st, err) < 0 ||
		    run(db, st, err, 2, e->path, ptext) < 0)
			goto out;
		break;
	case IX_EDIT_RIGHTS:
		if (prepare(db, "UPDATE nodes SET rights = ?2 WHERE path = ?1", &st, err) < 0 ||
		    run(db, st, err, 2, e->path, rtext) < 0)
			goto out;
		break;
	}
	if (sqlite3_changes(ixdb_sqlite(db)) < 1) {
		ix_err_set(err, IX_EDB, "edit of %s changed no row", e->path);
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	ix_pred_free(pr);
	ix_rights_free(rt);
	free(ptext);
	free(rtext);
	return rc;
}

int
ix_store_edit(struct ixdb *db, const struct ix_edit *e, const struct ix_editor *editor,
	      const char *actor, const char *head_path, struct ix_audit_ref *ref,
	      struct ix_err *err)
{
	return ix_store_edit_plan(db, NULL, e, editor, actor, head_path, ref, err);
}

int
ix_store_edit_plan(struct ixdb *db, const struct ix_plan *plan, const struct ix_edit *e,
		   const struct ix_editor *editor, const char *actor, const char *head_path,
		   struct ix_audit_ref *ref, struct ix_err *err)
{
	struct ix_policy *p = NULL;
	struct ix_rights *er = NULL;
	char *rec = NULL, who[IX_USER_NAME_MAX + 512];
	size_t n;

	snprintf(who, sizeof who, "owner");
	if (editor != NULL)
		snprintf(who, sizeof who, "%s@%s", editor->login, editor->src);
	if (ixdb_begin(db, err) < 0)
		return -1;
	/* Checked against the tree as it is inside this write transaction,
	 * so no concurrent writer can slip a change in between. */
	if (ix_store_load(db, &p, err) < 0)
		goto fail;
	if (editor != NULL &&
	    (er = ix_granted_rights(p, editor->login, editor->src, editor->users,
				    editor->nusers, err)) == NULL)
		goto fail;
	if (plan != NULL && editor == NULL) {
		ix_err_set(err, IX_EINVAL, "an edit of a decided request needs its editor");
		goto fail;
	}
	/* The same judge as before the question, on the tree as it is now. */
	if (ix_judge_edit(plan, p, er, e, err) < 0 || apply_edit(db, p, e, err) < 0)
		goto fail;
	n = strlen(e->path) + (e->predicate ? strlen(e->predicate) : 0) +
	    (e->rights ? strlen(e->rights) : 0) + strlen(who) + 128;
	rec = malloc(n);
	if (rec == NULL) {
		ix_err_set(err, IX_ENOMEM, "out of memory");
		goto fail;
	}
	snprintf(rec, n, "v1 edit op=%s path=%s predicate=%s rights=%s editor=%s",
		 ix_edit_op_name(e->op), e->path, e->predicate ? e->predicate : "-",
		 e->rights ? e->rights : "-", who);
	if (ixdb_bump_generation(db, err) < 0 ||
	    ixdb_audit_append(db, head_path, "edit", actor, rec, ref ? &ref->seq : NULL,
			      ref ? ref->hex : NULL, err) < 0)
		goto fail;
	{
		/* The tree after the edit must still be valid as a whole. */
		struct ix_policy *q = NULL;

		if (ix_store_load(db, &q, err) < 0) {
			/* The judge refuses every edit that breaks monotonicity. */
			assert(err->code != IX_ECONFLICT);
			ix_err_prefix(err, "edit rejected");
			goto fail;
		}
		ix_policy_free(q);
	}
	if (ixdb_commit(db, err) < 0)
		goto fail;
	free(rec);
	ix_rights_free(er);
	ix_policy_free(p);
	return 0;
fail:
	ixdb_rollback(db);
	free(rec);
	ix_rights_free(er);
	ix_policy_free(p);
	return -1;
}

const struct ix_policy *
ix_store_current(struct ixdb *db, const struct ix_policy *p, int64_t gen, struct ix_policy **own,
		 struct ix_err *err)
{
	int64_t now;

	*own = NULL;
	if (ixdb_generation(db, &now, err) < 0)
		return NULL;
	if (now == gen)
		return p;
	if (ix_store_load(db, own, err) < 0)
		return NULL;
	return *own;
}
