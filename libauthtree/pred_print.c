/*
 * Canonical text of a predicate. The tree is flat already (pred_int.h), so
 * the only decision is where parentheses go: around an "|" that is an
 * operand of "&", nowhere else.
 */
#include <stdlib.h>
#include <string.h>

#include "libauthtree/pred_int.h"

static const char *
atom_name(enum pnode_kind k)
{
	switch (k) {
	case PN_ID: return "ID";
	case PN_SRC: return "SRC";
	case PN_PW: return "PW";
	case PN_ANY: return "ANY";
	case PN_NONE: return "NONE";
	case PN_AND:
	case PN_OR:
		break;
	}
	return "";
}

/* Writes the text of n at buf (when buf is not NULL) and returns its
 * length, so the same walk both measures and prints. */
static size_t
emit(const struct pnode *n, char *buf)
{
	size_t len = 0, i, k;
	const char *name;

#define PUT(str, slen)                                   \
	do {                                             \
		if (buf != NULL)                         \
			memcpy(buf + len, (str), (slen)); \
		len += (slen);                           \
	} while (0)

	if (n->kind == PN_AND || n->kind == PN_OR) {
		for (i = 0; i < n->nkids; i++) {
			bool paren = n->kind == PN_AND && n->kids[i]->kind == PN_OR;

			if (i > 0)
				PUT(n->kind == PN_AND ? " & " : " | ", 3);
			if (paren)
				PUT("(", 1);
			k = emit(n->kids[i], buf != NULL ? buf + len : NULL);
			len += k;
			if (paren)
				PUT(")", 1);
		}
		return len;
	}
	name = atom_name(n->kind);
	PUT(name, strlen(name));
	if (n->text != NULL) {
		PUT("(", 1);
		PUT(n->text, strlen(n->text));
		PUT(")", 1);
	}
	return len;
#undef PUT
}

size_t
ix_pred_canon_len(const struct ix_pred *p)
{
	return emit(p->root, NULL);
}

char *
ix_pred_print(const struct ix_pred *p, struct ix_err *err)
{
	size_t len;
	char *buf;

	if (p == NULL) {
		ix_err_set(err, IX_EINVAL, "no predicate");
		return NULL;
	}
	len = emit(p->root, NULL);
	buf = malloc(len + 1);
	if (buf == NULL) {
		ix_err_set(err, IX_ENOMEM, "out of memory");
		return NULL;
	}
	emit(p->root, buf);
	buf[len] = '\0';
	return buf;
}
