/*
 * Rights: a map identifier -> value, an element of the product of the
 * lattices of the declared identifiers (DESIGN.md §3).
 *
 * Each identifier is declared once (struct ix_rdecls) with its kind:
 *	plain    "netoper"                  top of a two-element lattice
 *	label    "downgrade(projectbit)"    value in the label lattice
 *	regex    "edit(/admin(/.*)?)"       value a regular language (re.h)
 *	privset  "priv(net_admin,sys_time)" value a privilege set (privset.h)
 * An identifier absent from a rights value is at the bottom of its lattice;
 * a label, regex or privset identifier present with the bottom value
 * (empty category set at the lowest level, empty language, empty set) is
 * the same element and is not printed.
 *
 * R1 <= R2 iff every identifier of R1 is in R2 with a value that dominates.
 *
 * Text: items separated by "|" (the join), spaces allowed around them:
 *	netadmin | netoper | downgrade(projectbit) | edit(/dept/physics(/.*)?)
 * "ALL" is the top (every declared identifier at the top of its lattice:
 * TOP, ".*", every privilege); the empty string or "NONE" is the bottom.
 * A value extends to the matching ")" (parentheses inside a regex value
 * nest; "\)" and ")" inside a bracket class do not close it). An identifier
 * given twice is joined. Canonical form: identifiers in declaration order,
 * " | " between items, each value canonical (ix_re_text for regexes, with
 * an unescaped "$" written "\$", as this parser reads it); "ALL" and
 * "NONE" for top and bottom.
 *
 * Substitution: when parsing a need from an action rule, "$1".."$9" in a
 * value are replaced by the template's captures, typed by the identifier's
 * kind: in a regex value the capture becomes an escaped literal (never a
 * pattern); in a label value it must be a label name list; in a privset
 * value privilege names. A capture containing anything its kind does not
 * allow is an error naming the parameter. "\$" is a literal dollar.
 */
#ifndef IX_RIGHTS_H
#define IX_RIGHTS_H

#include <stdbool.h>
#include <stddef.h>

#include "libixutil/ix_err.h"
#include "liblattice/label.h"
#include "liblattice/privset.h"
#include "liblattice/re.h"

#define IX_RIGHTS_DECL_MAX 1024
#define IX_RIGHT_NAME_MAX 64
#define IX_RIGHTS_TEXT_MAX 65536

enum ix_right_kind {
	IX_RK_PLAIN = 0,
	IX_RK_LABEL,
	IX_RK_REGEX,
	IX_RK_PRIVSET,
};

struct ix_rdecls;	/* declarations; borrows the label encodings */
struct ix_rights;	/* a value; borrows its declarations */

/* New empty declaration table using enc for label names (enc must outlive
 * it). NULL when out of memory. */
struct ix_rdecls *ix_rdecls_new(const struct ix_label_enc *enc);
void ix_rdecls_free(struct ix_rdecls *d);

/* Declares name ([a-z][a-z0-9_]*, not ALL/NONE) with kind. Returns its
 * index or -1 (bad name, declared twice, too many). */
int ix_rdecls_declare(struct ix_rdecls *d, const char *name, enum ix_right_kind kind,
		      struct ix_err *err);
size_t ix_rdecls_count(const struct ix_rdecls *d);
const char *ix_rdecls_name(const struct ix_rdecls *d, size_t i);
enum ix_right_kind ix_rdecls_kind(const struct ix_rdecls *d, size_t i);
int ix_rdecls_find(const struct ix_rdecls *d, const char *name, size_t len);	/* index or -1 */
const struct ix_label_enc *ix_rdecls_enc(const struct ix_rdecls *d);
/* "plain", "label", "regex", "privset"; parse returns -1 when unknown. */
const char *ix_right_kind_name(enum ix_right_kind k);
int ix_right_kind_parse(const char *s);

struct ix_rights *ix_rights_new(const struct ix_rdecls *d);	/* bottom; NULL on ENOMEM */
struct ix_rights *ix_rights_top(const struct ix_rdecls *d);	/* ALL; NULL on ENOMEM */
struct ix_rights *ix_rights_dup(const struct ix_rights *r);
void ix_rights_free(struct ix_rights *r);

/* Parses text. caps is NULL (then "$" is an error) or an array of ncaps
 * strings where caps[0] is the whole match and caps[n] is "$n" (NULL when
 * group n did not take part). Errors carry the 1-based column. */
int ix_rights_parse(const struct ix_rdecls *d, const char *text, size_t len,
		    const char *const *caps, size_t ncaps,
		    struct ix_rights **out, struct ix_err *err);
/* Canonical text in a new malloc'd string (caller frees) or NULL. */
char *ix_rights_print(const struct ix_rights *r, struct ix_err *err);

/* 1 when a <= b, 0 when not, -1 on error. */
int ix_rights_le(const struct ix_rights *a, const struct ix_rights *b, struct ix_err *err);
int ix_rights_eq(const struct ix_rights *a, const struct ix_rights *b, struct ix_err *err);
bool ix_rights_is_top(const struct ix_rights *r);
bool ix_rights_is_bottom(const struct ix_rights *r);
/* New values, or NULL with *err set. */
struct ix_rights *ix_rights_join(const struct ix_rights *a, const struct ix_rights *b, struct ix_err *err);
struct ix_rights *ix_rights_meet(const struct ix_rights *a, const struct ix_rights *b, struct ix_err *err);
/* In-place join: *a = a | b. Returns 0, or -1 with *err, a then holding
 * part of the join (callers free it). */
int ix_rights_join_into(struct ix_rights *a, const struct ix_rights *b, struct ix_err *err);

/*
 * Explains why have does not dominate need, item by item, as
 * "needs downgrade(projectbit); granted downgrade(otherbit)" or
 * "needs netoper; granted nothing of it". Returns a malloc'd string (NULL
 * when have >= need, or on error with *err set).
 */
char *ix_rights_explain_missing(const struct ix_rights *have, const struct ix_rights *need,
				struct ix_err *err);

/* Does r mention identifier i with a non-bottom value? */
bool ix_rights_has(const struct ix_rights *r, size_t i);
/* Value accessors; NULL when the identifier is absent or of another kind.
 * Owned by r. */
const struct ix_label *ix_rights_label(const struct ix_rights *r, size_t i);
const struct ix_re *ix_rights_regex(const struct ix_rights *r, size_t i);
const struct ix_privset *ix_rights_privset(const struct ix_rights *r, size_t i);

#endif
