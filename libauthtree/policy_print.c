/* Canonical policy text: the same policy always prints the same bytes, so
 * export -> import -> export is a fixed point and diffs are meaningful. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libauthtree/pcre.h"
#include "libauthtree/policy.h"

struct sbuf {
	char *s;
	size_t len, cap;
	int failed;
};

static void
sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->failed = 1;
			return;
		}
		if (b->s != NULL && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		{
			size_t ncap = b->cap ? b->cap : 4096;
			char *ns;

			while (ncap <= b->len + (size_t)n)
				ncap *= 2;
			ns = realloc(b->s, ncap);
			if (ns == NULL) {
				b->failed = 1;
				return;
			}
			b->s = ns;
			b->cap = ncap;
		}
	}
}

char *
ix_policy_print(const struct ix_policy *p, struct ix_err *err)
{
	struct sbuf b = { 0 };
	char lab[IX_LABEL_TEXT_MAX * 2 + 4];
	size_t i;
	int bit;

	sb_printf(&b, "ixkit-policy %d\n", IX_POLICY_VERSION);
	if (ix_rdecls_count(p->decls) > 0)
		sb_printf(&b, "\n");
	for (i = 0; i < ix_rdecls_count(p->decls); i++)
		sb_printf(&b, "right %s %s\n", ix_rdecls_name(p->decls, i),
			  ix_right_kind_name(ix_rdecls_kind(p->decls, i)));
	if (p->relabel >= 0)
		sb_printf(&b, "relabel %s\n", ix_rdecls_name(p->decls, (size_t)p->relabel));
	sb_printf(&b, "\n");
	for (i = 0; i < (size_t)ix_label_enc_nlevels(p->enc); i++)
		sb_printf(&b, "level %s\n", ix_label_enc_level_name(p->enc, (int)i));
	for (bit = 0; bit < IX_CAT_BITS; bit++) {
		const char *n = ix_label_enc_category_name(p->enc, bit);

		if (n != NULL)
			sb_printf(&b, "category %s %d\n", n, bit);
		for (i = 0; i < p->nretired; i++)
			if (p->retired[i].bit == bit)
				sb_printf(&b, "category %s %d retired\n", p->retired[i].name, bit);
	}
	for (i = 0; i < p->nnodes && !b.failed; i++) {
		char *pr = ix_pred_print(p->nodes[i].pred, err);
		char *rt = pr ? ix_node_rights_text(p->nodes[i].rights, p->nodes[i].names_unattended, err)
			      : NULL;

		if (rt == NULL) {
			free(pr);
			free(b.s);
			return NULL;
		}
		sb_printf(&b, "\nnode %s\n\tpredicate %s\n\trights %s\n", p->nodes[i].path, pr, rt);
		free(pr);
		free(rt);
	}
	for (i = 0; i < p->nrules && !b.failed; i++) {
		const struct ix_rule *r = &p->rules[i];
		char *ac = ix_action_tmpl_print(r->action, err);
		char *nd = NULL;

		if (ac == NULL) {
			free(b.s);
			return NULL;
		}
		/* A need with parameters is kept as written: it is only a
		 * rights value once the captures are known. */
		if (r->need != NULL && (nd = ix_rights_print(r->need, err)) == NULL) {
			free(ac);
			free(b.s);
			return NULL;
		}
		sb_printf(&b, "\nrule %s\n\ttemplate %s\n\tneed %s\n\taction %s\n", r->name,
			  r->tmpl_text, nd ? nd : r->need_text, ac);
		free(nd);
		free(ac);
	}
	if (p->nclearances + p->nports + p->nproviders > 0 || p->has_floor || p->has_seal)
		sb_printf(&b, "\n");
	for (i = 0; i < p->nclearances; i++) {
		if (ix_range_print(p->enc, &p->clearances[i].range, lab, sizeof lab, err) < 0)
			goto fail;
		sb_printf(&b, "clearance %s %s\n", p->clearances[i].user, lab);
	}
	for (i = 0; i < p->nports; i++) {
		if (ix_range_print(p->enc, &p->ports[i].range, lab, sizeof lab, err) < 0)
			goto fail;
		sb_printf(&b, "port %s %s\n", lab, p->ports[i].pattern);
	}
	for (i = 0; i < p->nproviders; i++)
		sb_printf(&b, "provider %s %s\n", p->providers[i].name, p->providers[i].path);
	if (p->has_floor) {
		if (ix_label_print(p->enc, &p->floor, lab, sizeof lab, err) < 0)
			goto fail;
		sb_printf(&b, "floor %s\n", lab);
	}
	if (p->has_seal) {
		if (ix_range_print(p->enc, &p->seal, lab, sizeof lab, err) < 0)
			goto fail;
		sb_printf(&b, "seal %s\n", lab);
	}
	if (b.failed) {
		ix_err_set(err, IX_ENOMEM, "out of memory printing the policy");
		goto fail;
	}
	return b.s;
fail:
	free(b.s);
	return NULL;
}
