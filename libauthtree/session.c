/*
 * The session decision (session.h): clearance, port, ceiling, floor, seal.
 */
#include <stdio.h>
#include <string.h>

#include "libauthtree/pcre.h"
#include "libauthtree/session.h"

static const struct ix_clearance *
clearance_of(const struct ix_policy *p, const char *login)
{
	size_t lo = 0, hi = p->nclearances;

	while (lo < hi) {	/* sorted by user (ix_policy_link) */
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(login, p->clearances[mid].user);

		if (c == 0)
			return &p->clearances[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static bool
in_range(const struct ix_range *r, const struct ix_label *l)
{
	return ix_label_le(&r->low, l) && ix_label_le(l, &r->high);
}

static void
range_text(const struct ix_policy *p, const struct ix_range *r, char *buf, size_t size)
{
	struct ix_err e;

	if (ix_range_print(p->enc, r, buf, size, &e) < 0)
		snprintf(buf, size, "(unprintable)");
}

int
ix_decide_session(const struct ix_policy *p, const char *login, const char *src,
		  const char *label, struct ix_session_grant *g, char *why, size_t whysize,
		  struct ix_err *err)
{
	const struct ix_clearance *c;
	const struct ix_port *port = NULL;
	char range[256];
	struct ix_err e;

	memset(g, 0, sizeof *g);
	if (ix_label_parse(p->enc, label, strlen(label), &g->label, &e) < 0) {
		snprintf(why, whysize, "refused: '%s' is not a label: %s", label, e.msg);
		return 0;
	}
	if (g->label.flags & IX_LABEL_F_NO) {
		snprintf(why, whysize, "refused: nothing can work at NO");
		return 0;
	}
	c = clearance_of(p, login);
	if (c == NULL) {
		snprintf(why, whysize, "refused: %s has no clearance", login);
		return 0;
	}
	range_text(p, &c->range, g->clearance, sizeof g->clearance);
	if (!in_range(&c->range, &g->label)) {
		snprintf(why, whysize, "refused: %s is not within the clearance of %s (%s)", label,
			 login, g->clearance);
		return 0;
	}
	for (size_t i = 0; i < p->nports && port == NULL; i++) {
		int r = ix_pcre_test(p->ports[i].re, src, strlen(src), err);

		if (r < 0)
			return ix_err_prefix(err, "port pattern %s", p->ports[i].pattern);
		if (r == 1)
			port = &p->ports[i];
	}
	if (port == NULL) {
		snprintf(why, whysize, "refused: no port rule admits sessions from %s", src);
		return 0;
	}
	snprintf(g->port, sizeof g->port, "%s", port->pattern);
	if (!in_range(&port->range, &g->label)) {
		range_text(p, &port->range, range, sizeof range);
		snprintf(why, whysize, "refused: the port %s is suitable only for %s, not %s", src,
			 range, label);
		return 0;
	}
	ix_label_meet(&c->range.high, &port->range.high, &g->ceiling);
	g->below_floor = p->has_floor && !ix_label_le(&p->floor, &g->label);
	g->sealed = p->has_seal && in_range(&p->seal, &g->label);
	why[0] = '\0';
	return 1;
}
