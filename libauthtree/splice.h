/*
 * A parameter is never re-split or re-parsed by a shell (DESIGN.md): the
 * check, at import and edit, of where a rule's action puts its "$n".
 *
 * A "$n" that is a whole argument of EXEC reaches the program as one
 * argument, whatever the request said. Spliced inside a longer argument
 * ("echo shx-$1"), or anywhere in the arguments of an interpreter (a
 * program that reads its arguments as code: sh -c, env, python3 -c, ...),
 * it would reach a parser with whatever the template lets through. Such a
 * "$n" is allowed only when the language of the template's group n is
 * included, by liblattice's own DFA inclusion, in IX_SPLICE_SAFE.
 *
 * Which programs are interpreters: the built-in list below, always, and
 * where a tree is written also the names an administrator adds
 * (ixkit.conf policy_interpreters, passed down as struct ix_policy_opts):
 * privtree import, the one writer of rules (an edit changes nodes only,
 * edit.h). Where a stored tree is loaded (ix_store_load: privd's start and
 * reload, privtree's reading commands) only the built-in list applies.
 * The check with a longer list refuses a superset of what the built-in
 * list refuses, so a tree accepted anywhere still loads everywhere, on
 * every host of a fleet whatever its ixkit.conf says, and no host's
 * configuration can make an existing database fail to load. The added
 * names extend the list and can never shorten it: a name the built-in
 * list holds stays an interpreter whatever the configuration says.
 */
#ifndef IX_SPLICE_H
#define IX_SPLICE_H

#include "libauthtree/action.h"
#include "libixutil/ix_err.h"

/* The characters a spliced parameter may hold: no blank, quote, glob,
 * redirection, substitution or separator of any shell or interpreter. */
#define IX_SPLICE_SAFE "[A-Za-z0-9._,:+@%/=-]*"

/* Program names (last path component) always taken as interpreters. */
extern const char *const ix_splice_default_interpreters[];

/*
 * The span of capture group n (1-9) of the PCRE2 pattern tmpl: its body,
 * between the parentheses. Returns 1 and *start, *len; 0 when the pattern
 * has no group n; -1 with *err when it uses what this scanner does not
 * follow (inline options, \Q...\E, branch reset, verbs), which could
 * change the group's language or numbering.
 */
int ix_pcre_group_span(const char *tmpl, unsigned n, size_t *start, size_t *len,
		       struct ix_err *err);

/*
 * Checks every "$n" of the action t of a rule with template tmpl, as the
 * head of this file says. extra: NULL-terminated program names taken as
 * interpreters besides ix_splice_default_interpreters, or NULL for none;
 * borrowed for the call. Errors name the primitive's column, the argument
 * and the group ("EXEC at column 1: $1 is spliced into 'echo shx-$1', and
 * group 1 '\S+' allows characters outside [A-Za-z0-9._,:+@%/=-]").
 * Returns 0 or -1.
 */
int ix_action_tmpl_check_splices(const struct ix_action_tmpl *t, const char *tmpl,
				 const char *const *extra, struct ix_err *err);

#endif
