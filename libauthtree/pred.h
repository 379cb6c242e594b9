/*
 * Access predicates of authorization-tree nodes.
 *
 * Grammar (whitespace allowed between tokens):
 *	pred  := and ( "|" and )*
 *	and   := prim ( "&" prim )*
 *	prim  := "(" pred ")" | atom
 *	atom  := "ID(" pcre2 ")" | "SRC(" pcre2 ")" | "PW(" user ")"
 *	       | "ANY" | "NONE"
 * ID matches the client's login name, SRC the stream identifier of its
 * standard input (DESIGN.md §6); both are PCRE2 patterns matched against
 * the whole string (anchored at both ends), compiled with JIT. The pattern
 * extends to the ")" that balances the opening one: "\)" and ")" inside a
 * bracket class do not close it. PW(user) is a password demand verified by
 * passwdd; user is a login name ([a-z_][a-z0-9_.-]*, at most 32 bytes,
 * optional trailing "$"). ANY is always true, NONE never.
 *
 * Canonical text: atoms as written (pattern text verbatim), " & " and
 * " | " between operands, parentheses only where an "|" is an operand of
 * "&".
 */
#ifndef IX_PRED_H
#define IX_PRED_H

#include <stdbool.h>
#include <stddef.h>

#include "libixutil/ix_err.h"

#define IX_PRED_TEXT_MAX 8192
#define IX_PRED_DEPTH_MAX 64
#define IX_USER_NAME_MAX 32

enum ix_tv { IX_TV_FALSE = 0, IX_TV_TRUE = 1, IX_TV_UNKNOWN = 2 };

struct ix_pred;

/* Parses len bytes. Errors carry the 1-based column ("column 9: unknown
 * atom 'IDX'"), including PCRE2's own compile error with its offset
 * translated to a column of text. Returns 0 and a new *out, or -1. */
int ix_pred_parse(const char *text, size_t len, struct ix_pred **out, struct ix_err *err);
void ix_pred_free(struct ix_pred *p);

/* Canonical text, malloc'd (caller frees), or NULL with *err set. */
char *ix_pred_print(const struct ix_pred *p, struct ix_err *err);

/*
 * Three-valued evaluation, left to right with short circuit. pw(arg, user)
 * answers a PW atom: IX_TV_TRUE or IX_TV_FALSE when known for this request,
 * IX_TV_UNKNOWN when not yet asked; pw NULL treats every PW as unknown.
 * login and src are NUL-terminated.
 */
typedef enum ix_tv (*ix_pw_oracle)(void *arg, const char *user);
enum ix_tv ix_pred_eval(const struct ix_pred *p, const char *login, const char *src,
			ix_pw_oracle pw, void *arg);

/* Calls fn(arg, user) once for each distinct user named by a PW atom, in
 * order of first appearance. */
void ix_pred_pw_users(const struct ix_pred *p, void (*fn)(void *arg, const char *user), void *arg);

/*
 * If every way of satisfying p requires the login to be one of a finite set
 * of literal names (e.g. ID(ches) & PW(ches), ID(alice|bob), ID(a) | ID(b)),
 * calls fn(arg, name) for each name and returns 1: the node can be indexed
 * by login. Returns 0 when p may hold for logins not known in advance.
 */
int ix_pred_login_keys(const struct ix_pred *p, void (*fn)(void *arg, const char *name), void *arg);

/* Does p contain an SRC atom / a PW atom? */
bool ix_pred_has_src(const struct ix_pred *p);
bool ix_pred_has_pw(const struct ix_pred *p);

#endif
