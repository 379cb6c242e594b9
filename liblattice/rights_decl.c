/* Declarations of rights identifiers and their lattice kinds. */
#include <stdlib.h>
#include <string.h>

#include "liblattice/rights.h"
#include "liblattice/rights_int.h"

static const char *const kind_names[] = { "plain", "label", "regex", "privset" };

const char *
ix_right_kind_name(enum ix_right_kind k)
{
	if ((unsigned)k >= sizeof kind_names / sizeof kind_names[0])
		return NULL;
	return kind_names[k];
}

int
ix_right_kind_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return (int)i;
	return -1;
}

struct ix_rdecls *
ix_rdecls_new(const struct ix_label_enc *enc)
{
	struct ix_rdecls *d = calloc(1, sizeof *d);

	if (d != NULL)
		d->enc = enc;
	return d;
}

void
ix_rdecls_free(struct ix_rdecls *d)
{
	if (d == NULL)
		return;
	free(d->v);
	free(d);
}

static bool
name_form(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > IX_RIGHT_NAME_MAX || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (i = 1; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

int
ix_rdecls_declare(struct ix_rdecls *d, const char *name, enum ix_right_kind kind,
		  struct ix_err *err)
{
	size_t len;

	if (name == NULL)
		return ix_err_set(err, IX_EINVAL, "missing right name");
	len = strlen(name);
	if (len > IX_RIGHT_NAME_MAX)
		return ix_err_set(err, IX_EINVAL, "right name '%.64s...' is longer than %d bytes",
				  name, IX_RIGHT_NAME_MAX);
	if (!name_form(name, len))
		return ix_err_set(err, IX_EINVAL,
				  "bad right name '%s': use a lower-case letter then lower-case "
				  "letters, digits or '_'", name);
	if (ix_right_kind_name(kind) == NULL)
		return ix_err_set(err, IX_EINVAL, "right '%s' has an unknown kind %d", name,
				  (int)kind);
	if (ix_rdecls_find(d, name, len) >= 0)
		return ix_err_set(err, IX_EEXIST, "right '%s' is declared twice", name);
	if (d->n >= IX_RIGHTS_DECL_MAX)
		return ix_err_set(err, IX_ELIMIT, "too many rights (at most %d)", IX_RIGHTS_DECL_MAX);
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct ix_rdecl *v = realloc(d->v, cap * sizeof *v);

		if (v == NULL)
			return ix_err_set(err, IX_ENOMEM, "out of memory");
		d->v = v;
		d->cap = cap;
	}
	memcpy(d->v[d->n].name, name, len + 1);
	d->v[d->n].kind = kind;
	return (int)d->n++;
}

size_t
ix_rdecls_count(const struct ix_rdecls *d)
{
	return d->n;
}

const char *
ix_rdecls_name(const struct ix_rdecls *d, size_t i)
{
	return i < d->n ? d->v[i].name : NULL;
}

enum ix_right_kind
ix_rdecls_kind(const struct ix_rdecls *d, size_t i)
{
	return i < d->n ? d->v[i].kind : IX_RK_PLAIN;
}

int
ix_rdecls_find(const struct ix_rdecls *d, const char *name, size_t len)
{
	size_t i;

	if (len > IX_RIGHT_NAME_MAX)
		return -1;
	for (i = 0; i < d->n; i++)
		if (strncmp(d->v[i].name, name, len) == 0 && d->v[i].name[len] == '\0')
			return (int)i;
	return -1;
}

const struct ix_label_enc *
ix_rdecls_enc(const struct ix_rdecls *d)
{
	return d->enc;
}
