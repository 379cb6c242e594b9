/* Building, linking and validating a policy in memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libauthtree/pcre.h"
#include "libauthtree/pred_user.h"
#include "libauthtree/policy.h"
#include "libauthtree/splice.h"

struct ix_policy *
ix_policy_new(struct ix_err *err)
{
	struct ix_policy *p = calloc(1, sizeof *p);

	if (p == NULL)
		goto oom;
	p->enc = ix_label_enc_new();
	if (p->enc == NULL)
		goto oom;
	p->decls = ix_rdecls_new(p->enc);
	if (p->decls == NULL)
		goto oom;
	p->relabel = -1;
	return p;
oom:
	ix_policy_free(p);
	ix_err_set(err, IX_ENOMEM, "out of memory");
	return NULL;
}

#include "libauthtree/index.h"

void
ix_policy_free(struct ix_policy *p)
{
	size_t i;

	if (p == NULL)
		return;
	ix_policy_index_free(p->index);
	for (i = 0; i < p->nnodes; i++) {
		free(p->nodes[i].path);
		ix_pred_free(p->nodes[i].pred);
		ix_rights_free(p->nodes[i].rights);
	}
	free(p->nodes);
	for (i = 0; i < p->nrules; i++) {
		struct ix_rule *r = &p->rules[i];

		free(r->name);
		free(r->tmpl_text);
		pcre2_code_free(r->tmpl);
		free(r->prefix);
		free(r->need_text);
		ix_rights_free(r->need);
		ix_action_tmpl_free(r->action);
	}
	free(p->rules);
	for (i = 0; i < p->nclearances; i++)
		free(p->clearances[i].user);
	free(p->clearances);
	for (i = 0; i < p->nports; i++) {
		free(p->ports[i].pattern);
		pcre2_code_free(p->ports[i].re);
	}
	free(p->ports);
	for (i = 0; i < p->nproviders; i++) {
		free(p->providers[i].name);
		free(p->providers[i].path);
	}
	free(p->providers);
	for (i = 0; i < p->nretired; i++)
		free(p->retired[i].name);
	free(p->retired);
	ix_rdecls_free(p->decls);
	ix_label_enc_free(p->enc);
	free(p);
}

/* Grows *arr (of elements of size sz) to hold one more; returns the new
 * slot zeroed, or NULL. Doubling keeps loading 100,000 nodes linear. */
static void *
grow(void **arr, size_t *n, size_t sz, size_t max, struct ix_err *err)
{
	void *na;

	if (*n >= max) {
		ix_err_set(err, IX_ELIMIT, "more than %zu entries", max);
		return NULL;
	}
	/* Capacity is implicit: 16, then doubled whenever n reaches a power
	 * of two, which keeps loading 100,000 nodes linear. */
	if (*n == 0 || (*n >= 16 && (*n & (*n - 1)) == 0)) {
		na = realloc(*arr, (*n == 0 ? 16 : 2 * *n) * sz);
		if (na == NULL) {
			ix_err_set(err, IX_ENOMEM, "out of memory");
			return NULL;
		}
		*arr = na;
	}
	memset((char *)*arr + *n * sz, 0, sz);
	return (char *)*arr + (*n)++ * sz;
}

int
ix_node_path_check(const char *path, size_t len, struct ix_err *err)
{
	size_t i, comp = 0;

	if (len == 0 || path[0] != '/')
		return ix_err_set(err, IX_EINVAL, "node path must start with '/'");
	if (len > IX_NODE_PATH_MAX)
		return ix_err_set(err, IX_ELIMIT, "node path longer than %d bytes", IX_NODE_PATH_MAX);
	if (len == 1)
		return 0;
	for (i = 1; i <= len; i++) {
		char c = i < len ? path[i] : '/';

		if (c == '/') {
			if (comp == 0)
				return ix_err_set(err, IX_EINVAL,
						  "node path has an empty component at column %zu", i + 1);
			if ((comp == 1 && path[i - 1] == '.') ||
			    (comp == 2 && path[i - 1] == '.' && path[i - 2] == '.'))
				return ix_err_set(err, IX_EINVAL,
						  "node path has a '.' or '..' component at column %zu",
						  i - comp + 1);
			comp = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.') {
			comp++;
		} else {
			return ix_err_set(err, IX_EINVAL,
					  "node path: character '%c' not allowed at column %zu "
					  "(letters, digits, '_', '-', '.')",
					  (c >= 0x20 && c < 0x7f) ? c : '?', i + 1);
		}
	}
	return 0;
}

bool
ix_node_path_within(const char *path, const char *top)
{
	size_t n = strlen(top);

	if (strcmp(top, "/") == 0)
		return path[0] == '/';
	return strncmp(path, top, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int
ix_node_path_parent(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (slash == NULL || strcmp(path, "/") == 0)
		return -1;
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= size)
		return -1;
	memcpy(buf, path, n);
	buf[n] = '\0';
	return 0;
}

bool
ix_rights_text_names(const char *text, const char *name)
{
	size_t n = strlen(name);
	int depth = 0;

	for (const char *s = text; *s != '\0'; s++) {
		if (*s == '(')
			depth++;
		else if (*s == ')' && depth > 0)
			depth--;
		else if (depth == 0 && strncmp(s, name, n) == 0 &&
			 (s == text || strchr(" \t|", s[-1]) != NULL) &&
			 (s[n] == '\0' || strchr(" \t|", s[n]) != NULL))
			return true;
	}
	return false;
}

char *
ix_node_rights_text(const struct ix_rights *r, bool names_unattended, struct ix_err *err)
{
	char *t = ix_rights_print(r, err), *u;

	if (t == NULL || !names_unattended || ix_rights_text_names(t, "unattended"))
		return t;
	/* Printed as ALL: the name would be lost with it. */
	if (asprintf(&u, "%s | unattended", t) < 0) {
		free(t);
		ix_err_set(err, IX_ENOMEM, "out of memory");
		return NULL;
	}
	free(t);
	return u;
}

int
ix_policy_add_node(struct ix_policy *p, const char *path, const char *pred,
		   const char *rights, unsigned line, struct ix_err *err)
{
	struct ix_node *n;
	struct ix_pred *pr = NULL;
	struct ix_rights *rt = NULL;

	if (ix_node_path_check(path, strlen(path), err) < 0)
		return -1;
	if (ix_pred_parse(pred, strlen(pred), &pr, err) < 0)
		return ix_err_prefix(err, "predicate of %s", path);
	if (ix_rights_parse(p->decls, rights, strlen(rights), NULL, 0, &rt, err) < 0) {
		ix_pred_free(pr);
		return ix_err_prefix(err, "rights of %s", path);
	}
	n = grow((void **)&p->nodes, &p->nnodes, sizeof *n, IX_NODES_MAX, err);
	if (n == NULL || (n->path = strdup(path)) == NULL) {
		if (n != NULL)
			p->nnodes--;
		ix_pred_free(pr);
		ix_rights_free(rt);
		return n == NULL ? -1 : ix_err_set(err, IX_ENOMEM, "out of memory");
	}
	n->parent = IX_NO_PARENT;
	n->pred = pr;
	n->rights = rt;
	n->names_unattended = ix_rights_text_names(rights, "unattended");
	n->line = line;
	return 0;
}

/* Checks that every "$n" in text refers to a group the template has. */
static int
check_params(const char *text, uint32_t ngroups, struct ix_err *err)
{
	const char *s;

	for (s = text; *s != '\0'; s++) {
		if (*s == '\\' && s[1] != '\0') {
			s++;
			continue;
		}
		if (*s != '$')
			continue;
		if (s[1] < '1' || s[1] > '9')
			return ix_err_set(err, IX_EINVAL, "'$' at column %zu must be followed by 1-9",
					  (size_t)(s - text) + 1);
		if ((uint32_t)(s[1] - '0') > ngroups)
			return ix_err_set(err, IX_EINVAL,
					  "$%c at column %zu but the template has %u group%s",
					  s[1], (size_t)(s - text) + 1, ngroups,
					  ngroups == 1 ? "" : "s");
	}
	return 0;
}

static int
rule_name_check(const char *name, struct ix_err *err)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > IX_RULE_NAME_MAX)
		return ix_err_set(err, IX_EINVAL, "rule name must be 1 to %d characters",
				  IX_RULE_NAME_MAX);
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return ix_err_set(err, IX_EINVAL,
					  "rule name: character at column %zu not allowed "
					  "(letters, digits, '_', '-')", i + 1);
	}
	return 0;
}

int
ix_policy_add_rule(struct ix_policy *p, const char *name, const char *tmpl,
		   const char *need, const char *action, unsigned line,
		   const struct ix_policy_opts *opts, struct ix_err *err)
{
	struct ix_rule r, *slot;
	uint32_t ng = 0;
	memset(&r, 0, sizeof r);
	if (rule_name_check(name, err) < 0)
		return -1;
	/* Duplicate names are found once, by sorting, in ix_policy_link. */
	r.tmpl = ix_pcre_compile(tmpl, err);
	if (r.tmpl == NULL)
		return ix_err_prefix(err, "template of rule %s", name);
	pcre2_pattern_info(r.tmpl, PCRE2_INFO_CAPTURECOUNT, &ng);
	r.ngroups = ng;
	if (ng > IX_TEMPLATE_GROUPS_MAX) {
		ix_err_set(err, IX_ELIMIT, "template of rule %s has %u groups; at most %d",
			   name, ng, IX_TEMPLATE_GROUPS_MAX);
		goto fail;
	}
	if (check_params(need, ng, err) < 0) {
		ix_err_prefix(err, "need of rule %s", name);
		goto fail;
	}
	/* A need without parameters is parsed once; one with parameters is
	 * parsed per request, after substitution, with typed checks. */
	if (strchr(need, '$') == NULL &&
	    ix_rights_parse(p->decls, need, strlen(need), NULL, 0, &r.need, err) < 0) {
		ix_err_prefix(err, "need of rule %s", name);
		goto fail;
	}
	if (ix_action_parse(p->enc, action, strlen(action), (int)ng, &r.action, err) < 0 ||
	    ix_action_tmpl_check_splices(r.action, tmpl, opts ? opts->interpreters : NULL,
					 err) < 0) {
		ix_err_prefix(err, "action of rule %s", name);
		goto fail;
	}
	r.name = strdup(name);
	r.tmpl_text = strdup(tmpl);
	r.need_text = strdup(need);
	r.prefix = ix_pcre_literal_prefix(tmpl);
	r.line = line;
	if (r.name == NULL || r.tmpl_text == NULL || r.need_text == NULL) {
		ix_err_set(err, IX_ENOMEM, "out of memory");
		goto fail;
	}
	slot = grow((void **)&p->rules, &p->nrules, sizeof r, IX_RULES_MAX, err);
	if (slot == NULL)
		goto fail;
	*slot = r;
	return 0;
fail:
	pcre2_code_free(r.tmpl);
	ix_rights_free(r.need);
	ix_action_tmpl_free(r.action);
	free(r.name);
	free(r.tmpl_text);
	free(r.need_text);
	free(r.prefix);
	return -1;
}

/* Adds delta to the first "column N" of a message, for an error found in
 * a piece of a larger text. */
static void
shift_column(struct ix_err *err, unsigned delta)
{
	char *c = strstr(err->msg, "column "), tail[IX_ERR_MSG_MAX];
	unsigned n;

	if (c == NULL || sscanf(c + 7, "%u", &n) != 1)
		return;
	c += 7;
	snprintf(tail, sizeof tail, "%s", c + strspn(c, "0123456789"));
	snprintf(c, sizeof err->msg - (size_t)(c - err->msg), "%u%s", n + delta, tail);
}

int
ix_range_parse(const struct ix_label_enc *enc, const char *text, struct ix_range *out,
	       struct ix_err *err)
{
	const char *dots = strstr(text, "..");

	if (dots == NULL) {
		if (ix_label_parse(enc, text, strlen(text), &out->low, err) < 0)
			return -1;
		out->high = out->low;
		return 0;
	}
	if (ix_label_parse(enc, text, (size_t)(dots - text), &out->low, err) < 0)
		return ix_err_prefix(err, "low end of range");
	if (ix_label_parse(enc, dots + 2, strlen(dots + 2), &out->high, err) < 0) {
		shift_column(err, (unsigned)(dots + 2 - text));
		return ix_err_prefix(err, "high end of range");
	}
	if (!ix_label_le(&out->low, &out->high))
		return ix_err_set(err, IX_EINVAL, "range %s: low end does not lie below the high end",
				  text);
	return 0;
}

int
ix_range_print(const struct ix_label_enc *enc, const struct ix_range *r, char *buf,
	       size_t size, struct ix_err *err)
{
	int a, b;

	a = ix_label_print(enc, &r->low, buf, size, err);
	if (a < 0 || (size_t)a + 3 > size)
		return ix_err_set(err, IX_ELIMIT, "range too long to print");
	memcpy(buf + a, "..", 3);
	b = ix_label_print(enc, &r->high, buf + a + 2, size - (size_t)a - 2, err);
	return b < 0 ? -1 : a + 2 + b;
}

/* The same login-name syntax as PW(user) and AS(user). */
static int
user_name_check(const char *u, struct ix_err *err)
{
	size_t bad;
	const char *why = ix_user_name_check(u, strlen(u), &bad);

	if (why != NULL)
		return ix_err_set(err, IX_EINVAL, "user name '%s' %s at column %zu", u, why, bad + 1);
	return 0;
}

int
ix_policy_add_clearance(struct ix_policy *p, const char *user, const char *range,
			struct ix_err *err)
{
	struct ix_clearance *c;
	struct ix_range r;
	size_t i;

	if (user_name_check(user, err) < 0 || ix_range_parse(p->enc, range, &r, err) < 0)
		return -1;
	for (i = 0; i < p->nclearances; i++)
		if (strcmp(p->clearances[i].user, user) == 0)
			return ix_err_set(err, IX_EEXIST, "clearance of %s given twice", user);
	c = grow((void **)&p->clearances, &p->nclearances, sizeof *c, IX_NODES_MAX, err);
	if (c == NULL)
		return -1;
	c->range = r;
	c->user = strdup(user);
	if (c->user == NULL) {
		p->nclearances--;
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	}
	return 0;
}

int
ix_policy_add_port(struct ix_policy *p, const char *pattern, const char *range,
		   struct ix_err *err)
{
	struct ix_port *pt;
	struct ix_range r;
	pcre2_code *re;

	if (ix_range_parse(p->enc, range, &r, err) < 0)
		return -1;
	re = ix_pcre_compile(pattern, err);
	if (re == NULL)
		return ix_err_prefix(err, "port pattern");
	pt = grow((void **)&p->ports, &p->nports, sizeof *pt, IX_NODES_MAX, err);
	if (pt == NULL) {
		pcre2_code_free(re);
		return -1;
	}
	pt->re = re;
	pt->range = r;
	pt->pattern = strdup(pattern);
	if (pt->pattern == NULL) {
		pcre2_code_free(re);
		p->nports--;
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	}
	return 0;
}

int
ix_policy_add_provider(struct ix_policy *p, const char *name, const char *path,
		       struct ix_err *err)
{
	struct ix_provider *pv;
	size_t i;

	if (rule_name_check(name, err) < 0)
		return ix_err_prefix(err, "provider");
	if (path[0] != '/' || strstr(path, "/../") != NULL || strstr(path, "//") != NULL)
		return ix_err_set(err, IX_EINVAL, "provider %s: path must be absolute and normalised",
				  name);
	for (i = 0; i < p->nproviders; i++)
		if (strcmp(p->providers[i].name, name) == 0)
			return ix_err_set(err, IX_EEXIST, "provider %s given twice", name);
	pv = grow((void **)&p->providers, &p->nproviders, sizeof *pv, 1024, err);
	if (pv == NULL)
		return -1;
	pv->name = strdup(name);
	pv->path = strdup(path);
	if (pv->name == NULL || pv->path == NULL) {
		free(pv->name);
		free(pv->path);
		p->nproviders--;
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	}
	return 0;
}

int
ix_policy_set_floor(struct ix_policy *p, const char *label, struct ix_err *err)
{
	if (p->has_floor)
		return ix_err_set(err, IX_EEXIST, "system floor given twice");
	if (ix_label_parse(p->enc, label, strlen(label), &p->floor, err) < 0)
		return -1;
	p->has_floor = true;
	return 0;
}

int
ix_policy_set_seal(struct ix_policy *p, const char *range, struct ix_err *err)
{
	if (p->has_seal)
		return ix_err_set(err, IX_EEXIST, "seal range given twice");
	if (ix_range_parse(p->enc, range, &p->seal, err) < 0)
		return -1;
	p->has_seal = true;
	return 0;
}

int
ix_policy_set_relabel(struct ix_policy *p, const char *right, struct ix_err *err)
{
	int i = ix_rdecls_find(p->decls, right, strlen(right));

	if (p->relabel >= 0)
		return ix_err_set(err, IX_EEXIST, "the relabel right is named twice");
	if (i < 0)
		return ix_err_set(err, IX_EINVAL, "relabel: no right '%s' is declared", right);
	if (ix_rdecls_kind(p->decls, (size_t)i) != IX_RK_LABEL)
		return ix_err_set(err, IX_EINVAL, "relabel: right '%s' is of kind %s, not label",
				  right, ix_right_kind_name(ix_rdecls_kind(p->decls, (size_t)i)));
	p->relabel = i;
	return 0;
}

int
ix_policy_add_retired(struct ix_policy *p, const char *name, int bit, struct ix_err *err)
{
	struct ix_retired_cat *r;
	size_t i;

	if (bit < 0 || bit >= IX_CAT_BITS)
		return ix_err_set(err, IX_EINVAL, "category bit %d out of range 0..%d", bit,
				  IX_CAT_BITS - 1);
	if (ix_label_enc_category_name(p->enc, bit) != NULL)
		return ix_err_set(err, IX_ECONFLICT, "bit %d is in use by category %s", bit,
				  ix_label_enc_category_name(p->enc, bit));
	for (i = 0; i < p->nretired; i++)
		if (p->retired[i].bit == bit || strcmp(p->retired[i].name, name) == 0)
			return ix_err_set(err, IX_ECONFLICT, "retired category %s (bit %d) given twice",
					  name, bit);
	r = grow((void **)&p->retired, &p->nretired, sizeof *r, IX_CAT_BITS, err);
	if (r == NULL)
		return -1;
	r->bit = bit;
	r->name = strdup(name);
	if (r->name == NULL) {
		p->nretired--;
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	}
	return 0;
}

static int
cmp_node_path(const void *a, const void *b)
{
	const struct ix_node *x = a, *y = b;
	const unsigned char *s = (const unsigned char *)x->path;
	const unsigned char *t = (const unsigned char *)y->path;

	/* '/' sorts before every other character, so that "/a/b" follows "/a"
	 * directly and a parent always precedes its subtree (preorder). */
	for (; *s != '\0' && *s == *t; s++, t++)
		;
	if (*s == *t)
		return 0;
	if (*s == '/')
		return *t == '\0' ? 1 : -1;
	if (*t == '/')
		return *s == '\0' ? -1 : 1;
	return *s < *t ? -1 : 1;
}

static int
cmp_clearance(const void *a, const void *b)
{
	return strcmp(((const struct ix_clearance *)a)->user,
		      ((const struct ix_clearance *)b)->user);
}

static int
cmp_provider(const void *a, const void *b)
{
	return strcmp(((const struct ix_provider *)a)->name,
		      ((const struct ix_provider *)b)->name);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

long
ix_policy_find_node(const struct ix_policy *p, const char *path)
{
	struct ix_node key;
	const struct ix_node *hit;

	key.path = (char *)path;
	if (p->nnodes == 0)
		return -1;
	hit = bsearch(&key, p->nodes, p->nnodes, sizeof key, cmp_node_path);
	return hit ? (long)(hit - p->nodes) : -1;
}

int
ix_policy_link(struct ix_policy *p, struct ix_err *err)
{
	char parent[IX_NODE_PATH_MAX + 1];
	size_t i;

	/* qsort's array must not be NULL, even for zero elements. */
	if (p->nnodes > 0)
		qsort(p->nodes, p->nnodes, sizeof *p->nodes, cmp_node_path);
	if (p->nclearances > 0)
		qsort(p->clearances, p->nclearances, sizeof *p->clearances, cmp_clearance);
	if (p->nproviders > 0)
		qsort(p->providers, p->nproviders, sizeof *p->providers, cmp_provider);
	for (i = 1; i < p->nnodes; i++)
		if (strcmp(p->nodes[i].path, p->nodes[i - 1].path) == 0)
			return ix_err_set(err, IX_EEXIST, "node %s defined twice", p->nodes[i].path);
	if (p->nrules > 1) {
		const char **names = malloc(p->nrules * sizeof *names);

		if (names == NULL)
			return ix_err_set(err, IX_ENOMEM, "out of memory");
		for (i = 0; i < p->nrules; i++)
			names[i] = p->rules[i].name;
		qsort(names, p->nrules, sizeof *names, cmp_str);
		for (i = 1; i < p->nrules; i++)
			if (strcmp(names[i], names[i - 1]) == 0) {
				ix_err_set(err, IX_EEXIST, "rule %s defined twice", names[i]);
				free(names);
				return -1;
			}
		free(names);
	}
	for (i = 0; i < p->nnodes; i++) {
		long pi;

		if (ix_node_path_parent(p->nodes[i].path, parent, sizeof parent) < 0) {
			p->nodes[i].parent = IX_NO_PARENT;
			continue;
		}
		pi = ix_policy_find_node(p, parent);
		if (pi < 0)
			return ix_err_set(err, IX_EINVAL, "node %s has no parent node %s",
					  p->nodes[i].path, parent);
		p->nodes[i].parent = (size_t)pi;
	}
	return 0;
}

int
ix_policy_validate(const struct ix_policy *p, struct ix_err *err)
{
	size_t i;

	if (p->nnodes == 0 || strcmp(p->nodes[0].path, "/") != 0)
		return ix_err_set(err, IX_EINVAL, "the policy has no root node \"/\"");
	if (!ix_rights_is_top(p->nodes[0].rights))
		return ix_err_set(err, IX_ECONFLICT,
				  "the root node / must grant ALL (the root holds every right)");
	for (i = 1; i < p->nnodes; i++) {
		const struct ix_node *n = &p->nodes[i], *up = &p->nodes[n->parent];
		char *why;
		int le = ix_rights_le(n->rights, up->rights, err);

		if (le < 0)
			return -1;
		if (le)
			continue;
		why = ix_rights_explain_missing(up->rights, n->rights, err);
		ix_err_set(err, IX_ECONFLICT,
			   "monotonicity: node %s grants more than its parent %s (%s)",
			   n->path, up->path, why ? why : "rights not dominated");
		free(why);
		return -1;
	}
	return 0;
}

bool
ix_policy_is_monotone(const struct ix_policy *p)
{
	struct ix_err e;

	if (p->nnodes == 0 || p->nodes[0].parent != IX_NO_PARENT ||
	    !ix_rights_is_top(p->nodes[0].rights))
		return false;
	for (size_t i = 1; i < p->nnodes; i++) {
		const struct ix_node *n = &p->nodes[i];

		/* Preorder: a parent comes before its children. */
		if (n->parent >= i || ix_rights_le(n->rights, p->nodes[n->parent].rights, &e) != 1)
			return false;
	}
	return true;
}
