/*
 * The decision procedure of eval.h.
 *
 * Passwords: predicates have no negation, so the outcome is monotone in the
 * answers to password demands. A demand is made only when some set of
 * answers still to come would grant the request, and only of a user in the
 * smallest such set; a request that needs PW(alice) & PW(bob) therefore
 * stops at the first failure (after it no set remains).
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libauthtree/eval.h"
#include "libauthtree/index.h"
#include "libauthtree/pcre.h"

#define BRUTE_FORCE_USERS 10	/* 2^10 assignments at most */
#define EXPLAIN_MAX 4096
/* Candidate nodes and rules a decision keeps on its stack; more go to the
 * heap. A request usually has a handful of each. */
#define STACK_NODES 32
#define STACK_RULES 8

struct cand_rule {
	size_t rule;			/* index in p->rules */
	struct ix_rights *need;		/* owned unless == rule's own need */
	struct ix_action *action;	/* substituted */
};

struct pwstate {
	const struct ix_pw_demand *known;	/* answers so far */
	size_t nknown;
	const char *const *extra;		/* hypothetical answers */
	size_t nextra;
	unsigned mask;				/* bit i: extra[i] verified */
};

static enum ix_tv
oracle(void *arg, const char *user)
{
	const struct pwstate *s = arg;
	size_t i;

	for (i = 0; i < s->nknown; i++)
		if (strcmp(s->known[i].user, user) == 0)
			return s->known[i].verified ? IX_TV_TRUE : IX_TV_FALSE;
	for (i = 0; i < s->nextra; i++)
		if (strcmp(s->extra[i], user) == 0)
			return (s->mask >> i) & 1 ? IX_TV_TRUE : IX_TV_FALSE;
	return IX_TV_UNKNOWN;
}

/* Explanation text, bounded. */
struct text {
	char buf[EXPLAIN_MAX];
	size_t len;
};

static void
say(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len >= sizeof t->buf - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, sizeof t->buf - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len = t->len + (size_t)n >= sizeof t->buf ? sizeof t->buf - 1 : t->len + (size_t)n;
}

/* say(t, "%s%s...", ...) for the strings up to a NULL, without printf's
 * parsing (the explanation of every decision is mostly such pieces). */
static void __attribute__((sentinel))
tell(struct text *t, ...)
{
	va_list ap;
	const char *s;

	va_start(ap, t);
	while ((s = va_arg(ap, const char *)) != NULL) {
		size_t n = strlen(s), room = sizeof t->buf - 1 - t->len;

		if (n > room)
			n = room;
		memcpy(t->buf + t->len, s, n);
		t->len += n;
		t->buf[t->len] = '\0';
	}
	va_end(ap);
}

static void
say_rights(struct text *t, const struct ix_rights *r)
{
	struct ix_err e;
	char *s = ix_rights_print(r, &e);

	tell(t, s ? s : "?", NULL);
	free(s);
}

static void
say_pred(struct text *t, const struct ix_pred *p)
{
	struct ix_err e;
	char *s = ix_pred_print(p, &e);

	tell(t, s ? s : "?", NULL);
	free(s);
}

/* Candidate nodes for a login: those indexed under it merged with the
 * general ones, in increasing order. Returns buf (STACK_NODES entries)
 * when they fit, else a malloc'd array. */
static size_t *
candidate_nodes(const struct ix_policy *p, const char *login, size_t *buf, size_t *n,
		struct ix_err *err)
{
	const struct ix_policy_index *ix = p->index;
	const struct ix_vec *lv = ix_map_get(&ix->login, login, strlen(login));
	const size_t *l = lv ? ix_vec_items(lv) : NULL, *g = ix_vec_items(&ix->general_nodes);
	size_t nl = lv ? lv->n : 0, ng = ix->general_nodes.n, i = 0, j = 0, k = 0;
	size_t *out = nl + ng <= STACK_NODES ? buf : malloc((nl + ng + 1) * sizeof *out);

	if (out == NULL) {
		ix_err_set(err, IX_ENOMEM, "out of memory");
		return NULL;
	}
	while (i < nl || j < ng) {
		if (j == ng || (i < nl && l[i] < g[j]))
			out[k++] = l[i++];
		else
			out[k++] = g[j++];
	}
	*n = k;
	return out;
}

/* Join of the rights of nodes (from cand) whose predicate is TRUE under s.
 * tv (may be NULL) receives each candidate's truth value. */
static struct ix_rights *
join_true(const struct ix_policy *p, const char *login, const char *src, const size_t *cand,
	  size_t ncand, struct pwstate *s, enum ix_tv *tv, struct ix_err *err)
{
	struct ix_rights *acc = ix_rights_new(p->decls);
	size_t i;

	if (acc == NULL) {
		ix_err_set(err, IX_ENOMEM, "out of memory");
		return NULL;
	}
	for (i = 0; i < ncand; i++) {
		const struct ix_node *n = &p->nodes[cand[i]];
		enum ix_tv v = ix_pred_eval(n->pred, login, src, oracle, s);

		if (tv != NULL)
			tv[i] = v;
		if (v == IX_TV_TRUE && ix_rights_join_into(acc, n->rights, err) < 0) {
			ix_rights_free(acc);
			return NULL;
		}
	}
	return acc;
}

/* Index of the first candidate rule whose need r dominates, -1 if none,
 * -2 on error. */
static long
first_granted(const struct cand_rule *cr, size_t ncr, const struct ix_rights *r,
	      struct ix_err *err)
{
	size_t i;

	for (i = 0; i < ncr; i++) {
		int le = ix_rights_le(cr[i].need, r, err);

		if (le < 0)
			return -2;
		if (le)
			return (long)i;
	}
	return -1;
}

struct userlist {
	const char *u[64];
	size_t n;
	const struct ix_pw_demand *known;
	size_t nknown;
};

static void
collect_user(void *arg, const char *user)
{
	struct userlist *l = arg;
	size_t i;

	for (i = 0; i < l->nknown; i++)
		if (strcmp(l->known[i].user, user) == 0)
			return;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->u[i], user) == 0)
			return;
	if (l->n < sizeof l->u / sizeof l->u[0])
		l->u[l->n++] = user;
}

/*
 * Chooses whose password to demand next among the unknown users, or -1
 * when no answer can change the outcome. With few users the outcome of
 * every combination of answers is computed; the demand goes to a member of
 * the smallest set of users whose passwords together would grant the
 * request (preferring a set with the requester in it, and the requester
 * first), so that ches is asked for ches's password rather than for the
 * two administrators' that would also do. Beyond BRUTE_FORCE_USERS the
 * first unknown user is asked.
 */
static long
choose_user(const struct ix_policy *p, const struct ix_request *req, const size_t *cand,
	    size_t ncand, struct pwstate *base, const struct userlist *ul,
	    const struct cand_rule *cr, size_t ncr, struct ix_err *err)
{
	unsigned char outcome[1u << BRUTE_FORCE_USERS];
	unsigned full, mask, best = 0, i;
	int best_bits = 99, best_self = 0;
	long self = -1;

	if (ul->n == 0)
		return -1;
	if (ul->n > BRUTE_FORCE_USERS)
		return 0;
	for (i = 0; i < ul->n; i++)
		if (strcmp(ul->u[i], req->login) == 0)
			self = (long)i;
	full = (1u << ul->n) - 1;
	for (mask = 0; mask <= full; mask++) {
		struct pwstate s = *base;
		struct ix_rights *r;
		long g;

		s.extra = ul->u;
		s.nextra = ul->n;
		s.mask = mask;
		r = join_true(p, req->login, req->src, cand, ncand, &s, NULL, err);
		if (r == NULL)
			return -2;
		g = first_granted(cr, ncr, r, err);
		ix_rights_free(r);
		if (g == -2)
			return -2;
		outcome[mask] = g >= 0;
	}
	if (!outcome[full])
		return -1;	/* even every password at once would not do */
	for (mask = 1; mask <= full; mask++) {
		int bits = __builtin_popcount(mask), has_self;

		if (!outcome[mask])
			continue;
		has_self = self >= 0 && ((mask >> self) & 1);
		if (bits < best_bits || (bits == best_bits && has_self && !best_self)) {
			best = mask;
			best_bits = bits;
			best_self = has_self;
		}
	}
	if (best_self)
		return self;
	return (long)__builtin_ctz(best);
}

static void
free_cands(struct cand_rule *cr, size_t n, const struct ix_policy *p,
	   const struct cand_rule *buf)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (cr[i].need != p->rules[cr[i].rule].need)
			ix_rights_free(cr[i].need);
		ix_action_free(cr[i].action);
	}
	if (cr != buf)
		free(cr);
}

/* Matching rules in policy order, with substituted needs and actions. A
 * rule whose parameters fail their type checks is noted and skipped.
 * Returns buf (STACK_RULES entries) when the candidates fit, else a
 * malloc'd array. */
static struct cand_rule *
match_rules(const struct ix_policy *p, const char *text, struct cand_rule *buf, size_t *ncr,
	    struct text *notes, struct ix_err *err)
{
	const struct ix_policy_index *ix = p->index;
	size_t wl = strcspn(text, " ");
	const struct ix_vec *pv = ix_map_get(&ix->prefix, text, wl);
	const size_t *pr = pv ? ix_vec_items(pv) : NULL, *g = ix_vec_items(&ix->general_rules);
	size_t np = pv ? pv->n : 0, ng = ix->general_rules.n, i = 0, j = 0, k = 0;
	struct cand_rule *cr = np + ng <= STACK_RULES ? buf : calloc(np + ng + 1, sizeof *cr);

	if (cr == NULL) {
		ix_err_set(err, IX_ENOMEM, "out of memory");
		return NULL;
	}
	while (i < np || j < ng) {
		size_t ri = (j == ng || (i < np && pr[i] < g[j])) ? pr[i++] : g[j++];
		const struct ix_rule *r = &p->rules[ri];
		char *caps[IX_PCRE_MAX_GROUPS + 1];
		size_t ncaps = 0;
		struct ix_err e;
		int m = ix_pcre_match(r->tmpl, ix->mctx, text, strlen(text), caps, &ncaps, &e);

		if (m < 0) {
			say(notes, "rule %s: %s; ", r->name, e.msg);
			continue;
		}
		if (m == 0)
			continue;
		cr[k].rule = ri;
		cr[k].need = r->need;
		if (cr[k].need == NULL &&
		    ix_rights_parse(p->decls, r->need_text, strlen(r->need_text),
				    (const char *const *)caps, ncaps, &cr[k].need, &e) < 0) {
			say(notes, "rule %s matches but its need rejects the request: %s; ", r->name,
			    e.msg);
			ix_pcre_caps_free(caps, ncaps);
			continue;
		}
		if (ix_action_subst(r->action, p->enc, (const char *const *)caps, ncaps,
				    &cr[k].action, &e) < 0) {
			say(notes, "rule %s matches but its action rejects the request: %s; ", r->name,
			    e.msg);
			if (cr[k].need != r->need)
				ix_rights_free(cr[k].need);
			ix_pcre_caps_free(caps, ncaps);
			continue;
		}
		ix_pcre_caps_free(caps, ncaps);
		k++;
	}
	*ncr = k;
	return cr;
}

static int
check_request(const struct ix_request *req, struct text *why)
{
	const char *s;

	if (strlen(req->text) > IX_REQUEST_MAX) {
		say(why, "the request is longer than %d bytes", IX_REQUEST_MAX);
		return -1;
	}
	for (s = req->text; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f) {
			say(why, "the request contains a control character at column %zu",
			    (size_t)(s - req->text) + 1);
			return -1;
		}
	return 0;
}

static int
finish(struct ix_decision *d, struct text *t, struct ix_err *err)
{
	d->explanation = strdup(t->buf);
	if (d->explanation == NULL) {
		ix_decision_free(d);
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	}
	return 0;
}

/* Records the granting nodes: a single node that dominates the need alone
 * when there is one (the clearest answer), else every TRUE node that holds
 * part of the need. Also decides "unattended". */
static int
record_grant(const struct ix_policy *p, struct ix_decision *d, const size_t *cand,
	     size_t ncand, const enum ix_tv *tv, const struct ix_rights *need,
	     struct ix_err *err)
{
	int una = p->index->unattended;
	size_t i, k, alone = SIZE_MAX;

	d->nodes = malloc((ncand + 1) * sizeof *d->nodes);
	if (d->nodes == NULL)
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	for (i = 0; i < ncand; i++) {
		int le;

		if (tv[i] != IX_TV_TRUE)
			continue;
		le = ix_rights_le(need, p->nodes[cand[i]].rights, err);
		if (le < 0)
			return -1;
		if (le && alone == SIZE_MAX)
			alone = i;
		if (le && una >= 0 && p->nodes[cand[i]].names_unattended &&
		    ix_rights_has(p->nodes[cand[i]].rights, (size_t)una))
			d->unattended = true;
	}
	if (alone != SIZE_MAX) {
		d->nodes[0] = cand[alone];
		d->nnodes = 1;
		return 0;
	}
	for (i = 0, k = 0; i < ncand; i++) {
		size_t j;

		if (tv[i] != IX_TV_TRUE)
			continue;
		for (j = 0; j < ix_rdecls_count(p->decls); j++)
			if (ix_rights_has(need, j) && ix_rights_has(p->nodes[cand[i]].rights, j)) {
				d->nodes[k++] = cand[i];
				break;
			}
	}
	d->nnodes = k;
	return 0;
}

/* The plan of an allowed decision: the granting nodes' join (the one node's
 * rights when it alone dominates the need, as it mostly does; nothing when
 * the need is NONE and no node holds), and held, the requester's join
 * computed by the loop of ix_decide, taken over. */
static int
make_plan(const struct ix_policy *p, struct ix_decision *d, struct ix_rights *held,
	  struct ix_err *err)
{
	struct ix_rights *g = d->nnodes > 0 ? ix_rights_dup(p->nodes[d->nodes[0]].rights)
					    : ix_rights_new(p->decls);
	struct ix_err e;

	if (g == NULL) {
		ix_rights_free(held);
		return ix_err_set(err, IX_ENOMEM, "out of memory");
	}
	for (size_t i = 1; i < d->nnodes; i++)
		if (ix_rights_join_into(g, p->nodes[d->nodes[i]].rights, err) < 0) {
			ix_rights_free(g);
			ix_rights_free(held);
			return -1;
		}
	if (ix_plan_build(p, d->action, g, held, &d->plan, err) < 0)
		return -1;
	/* An edit of the tree is always shown and confirmed, whatever the
	 * granting node names: it is what changes every later decision. */
	for (size_t i = 0; i < d->plan.nsteps; i++)
		if (d->plan.steps[i].kind == IX_STEP_EDIT)
			d->unattended = false;
	assert(ix_rights_le(d->need, d->plan.granted, &e) == 1);
	assert(ix_rights_le(d->plan.granted, d->plan.held, &e) == 1);
	return 0;
}

static void
explain_passwords(struct text *t, const struct ix_decision *d)
{
	size_t i;

	for (i = 0; i < d->npw; i++)
		tell(t, "; password of ", d->pw[i].user, d->pw[i].verified ? " verified" :
		     " NOT verified", NULL);
}

/* Why a matched rule was refused: what it needs, what was granted, and
 * which candidate nodes would have granted it had their predicate held. */
static void
explain_refusal(const struct ix_policy *p, const struct ix_request *req, struct text *t,
		const struct cand_rule *cr, const struct ix_rights *granted,
		const size_t *cand, size_t ncand, const enum ix_tv *tv)
{
	const struct ix_rule *r = &p->rules[cr->rule];
	struct ix_err e;
	char *miss = ix_rights_explain_missing(granted, cr->need, &e);
	size_t i, shown = 0, ntrue = 0;

	tell(t, "rule ", r->name, " ", miss ? miss : "is not granted", NULL);
	free(miss);
	for (i = 0; i < ncand; i++)
		if (tv[i] == IX_TV_TRUE)
			ntrue++;
	if (ntrue == 0)
		say(t, "; no node's predicate holds for login %s from %s", req->login, req->src);
	for (i = 0; i < ncand && shown < 3; i++) {
		const struct ix_node *n = &p->nodes[cand[i]];

		if (tv[i] == IX_TV_TRUE || ix_rights_le(cr->need, n->rights, &e) != 1)
			continue;
		tell(t, "; node ", n->path, " would grant it but its predicate ", NULL);
		say_pred(t, n->pred);
		if (ix_pred_has_src(n->pred) && !ix_pred_has_pw(n->pred))
			tell(t, " does not hold for stream ", req->src, NULL);
		else
			tell(t, " does not hold", NULL);
		if (cand[i] == 0)
			tell(t, " (the root)", NULL);
		shown++;
	}
}

int
ix_decide(const struct ix_policy *p, const struct ix_request *req, struct ix_decision *d,
	  struct ix_err *err)
{
	struct text t, notes;	/* not zeroed: 8 KiB a decision; say() keeps the NUL */
	struct cand_rule cr_buf[STACK_RULES], *cr = NULL;
	size_t cand_buf[STACK_NODES];
	enum ix_tv tv_buf[STACK_NODES];
	size_t ncr = 0, ncand = 0;
	size_t *cand = NULL;
	enum ix_tv *tv = NULL;
	struct ix_rights *granted = NULL;
	int rc = -1;

	memset(d, 0, sizeof *d);
	d->rule = -1;
	t.len = notes.len = 0;
	t.buf[0] = notes.buf[0] = '\0';
	if (check_request(req, &t) < 0)
		return finish(d, &t, err);
	cr = match_rules(p, req->text, cr_buf, &ncr, &notes, err);
	if (cr == NULL)
		return -1;
	if (ncr == 0) {
		say(&t, "no rule matches '%s'", req->text);
		if (notes.len > 0)
			say(&t, " (%.*s)", (int)notes.len - 2, notes.buf);
		free_cands(cr, 0, p, cr_buf);
		return finish(d, &t, err);
	}
	cand = candidate_nodes(p, req->login, cand_buf, &ncand, err);
	tv = ncand <= STACK_NODES ? memset(tv_buf, 0, sizeof tv_buf) : calloc(ncand + 1, sizeof *tv);
	if (cand == NULL || tv == NULL) {
		ix_err_set(err, IX_ENOMEM, "out of memory");
		goto out;
	}
	for (;;) {
		struct pwstate s = { d->pw, d->npw, NULL, 0, 0 };
		struct userlist ul = { .n = 0, .known = d->pw, .nknown = d->npw };
		long g, pick;
		size_t i;

		ix_rights_free(granted);
		granted = join_true(p, req->login, req->src, cand, ncand, &s, tv, err);
		if (granted == NULL)
			goto out;
		g = first_granted(cr, ncr, granted, err);
		if (g == -2)
			goto out;
		if (g >= 0) {
			const struct ix_rule *r = &p->rules[cr[g].rule];

			d->allow = true;
			d->rule = (long)cr[g].rule;
			d->action = cr[g].action;
			cr[g].action = NULL;
			d->need = cr[g].need == r->need ? ix_rights_dup(r->need) : cr[g].need;
			if (cr[g].need != r->need)
				cr[g].need = r->need;	/* ownership moved to d */
			if (d->need == NULL || record_grant(p, d, cand, ncand, tv, d->need, err) < 0) {
				ix_err_set(err, IX_ENOMEM, "out of memory");
				ix_decision_free(d);
				goto out;
			}
			if (make_plan(p, d, granted, err) < 0) {
				granted = NULL;
				ix_decision_free(d);
				goto out;
			}
			granted = NULL;	/* the plan's now */
			tell(&t, "granted by rule ", r->name, " (needs ", NULL);
			say_rights(&t, d->need);
			tell(&t, ")", NULL);
			for (i = 0; i < d->nnodes; i++) {
				const struct ix_node *n = &p->nodes[d->nodes[i]];

				tell(&t, i ? ", node " : "; from node ", n->path, " [", NULL);
				say_pred(&t, n->pred);
				tell(&t, "] granting ", NULL);
				say_rights(&t, n->rights);
			}
			explain_passwords(&t, d);
			if (d->unattended)
				tell(&t, "; unattended: no confirmation", NULL);
			break;
		}
		for (i = 0; i < ncand; i++)
			if (tv[i] == IX_TV_UNKNOWN)
				ix_pred_pw_users(p->nodes[cand[i]].pred, collect_user, &ul);
		pick = ul.n > 0 && d->npw < IX_PW_DEMANDS_MAX
		       ? choose_user(p, req, cand, ncand, &s, &ul, cr, ncr, err) : -1;
		if (pick == -2)
			goto out;
		if (pick < 0) {
			tell(&t, "refused: ", NULL);
			explain_refusal(p, req, &t, &cr[0], granted, cand, ncand, tv);
			for (i = 1; i < ncr; i++) {
				tell(&t, "; also ", NULL);
				explain_refusal(p, req, &t, &cr[i], granted, cand, ncand, tv);
			}
			explain_passwords(&t, d);
			if (notes.len > 0)
				say(&t, "; %.*s", (int)notes.len - 2, notes.buf);
			break;
		}
		{
			struct ix_pw_demand *dm = &d->pw[d->npw];
			int v;

			snprintf(dm->user, sizeof dm->user, "%s", ul.u[pick]);
			v = req->password ? req->password(req->password_arg, dm->user, err) : 0;
			if (v < 0) {
				ix_err_prefix(err, "password of %s", dm->user);
				ix_decision_free(d);
				goto out;
			}
			dm->verified = v;
			d->npw++;
		}
	}
	rc = finish(d, &t, err);
out:
	ix_rights_free(granted);
	if (tv != tv_buf)
		free(tv);
	if (cand != cand_buf)
		free(cand);
	free_cands(cr, ncr, p, cr_buf);
	return rc;
}

void
ix_decision_free(struct ix_decision *d)
{
	if (d == NULL)
		return;
	ix_plan_free(&d->plan);
	free(d->nodes);
	ix_action_free(d->action);
	ix_rights_free(d->need);
	free(d->explanation);
	memset(d, 0, sizeof *d);
	d->rule = -1;
}

struct ix_rights *
ix_granted_rights(const struct ix_policy *p, const char *login, const char *src,
		  const char *const *users, size_t nusers, struct ix_err *err)
{
	struct ix_pw_demand known[IX_PW_DEMANDS_MAX];
	struct pwstate s = { known, 0, NULL, 0, 0 };
	struct ix_rights *r;
	size_t cand_buf[STACK_NODES], *cand, ncand, i;

	for (i = 0; i < nusers && i < IX_PW_DEMANDS_MAX; i++) {
		snprintf(known[i].user, sizeof known[i].user, "%s", users[i]);
		known[i].verified = 1;
	}
	s.nknown = i;
	cand = candidate_nodes(p, login, cand_buf, &ncand, err);
	if (cand == NULL)
		return NULL;
	/* Unknown passwords count as not given: only what was verified. */
	r = join_true(p, login, src, cand, ncand, &s, NULL, err);
	if (cand != cand_buf)
		free(cand);
	return r;
}
