/*
 * The privilege-set lattice: subsets of a fixed universe of named
 * privileges, ordered by inclusion.
 *
 * The universe is every Linux capability, named as in capabilities(7)
 * without the CAP_ prefix and in lower case (bit = capability number,
 * "chown" = 0 ... "checkpoint_restore" = 40), followed by ixkit's own
 * privileges from bit IX_PRIV_OWN_BASE: downgrade, upgrade, setlabel,
 * setlicence, setceiling, nocheck, extern (the paper's "x", external-medium).
 *
 * Text: comma-separated names, optional spaces ("net_admin, sys_time"); the
 * empty string is the empty set; "ALL" is the whole universe. On input a
 * "cap_" prefix and upper case are accepted. Canonical form: names in bit
 * order, separated by "," with no spaces; "ALL" for the universe.
 */
#ifndef IX_PRIVSET_H
#define IX_PRIVSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libixutil/ix_err.h"

#define IX_PRIV_CAP_LAST 40		/* CAP_CHECKPOINT_RESTORE */
#define IX_PRIV_OWN_BASE 64
#define IX_PRIV_BITS 128

enum ix_own_priv {
	IX_PRIV_DOWNGRADE = IX_PRIV_OWN_BASE,
	IX_PRIV_UPGRADE,
	IX_PRIV_SETLABEL,
	IX_PRIV_SETLICENCE,
	IX_PRIV_SETCEILING,
	IX_PRIV_NOCHECK,
	IX_PRIV_EXTERN,
	IX_PRIV_OWN_END,		/* one past the last own privilege */
};

struct ix_privset {
	uint64_t bits[IX_PRIV_BITS / 64];
};

void ix_privset_empty(struct ix_privset *out);
void ix_privset_all(struct ix_privset *out);	/* every named privilege */
bool ix_privset_le(const struct ix_privset *a, const struct ix_privset *b);
bool ix_privset_eq(const struct ix_privset *a, const struct ix_privset *b);
void ix_privset_join(const struct ix_privset *a, const struct ix_privset *b, struct ix_privset *out);
void ix_privset_meet(const struct ix_privset *a, const struct ix_privset *b, struct ix_privset *out);
bool ix_privset_has(const struct ix_privset *s, int bit);
void ix_privset_add(struct ix_privset *s, int bit);

/* Bit of a privilege name (any accepted spelling), or -1. */
int ix_priv_bit(const char *name, size_t len);
/* Canonical name of a bit, or NULL when the bit names nothing. */
const char *ix_priv_name(int bit);

/* Parses len bytes of text. Errors name the unknown privilege and its
 * column. Returns 0 or -1. */
int ix_privset_parse(const char *text, size_t len, struct ix_privset *out, struct ix_err *err);
/* Canonical text into buf. Returns the length or -1 when buf is too small. */
int ix_privset_print(const struct ix_privset *s, char *buf, size_t size, struct ix_err *err);
/* Linux capabilities only (bits 0..IX_PRIV_CAP_LAST) as a 64-bit mask. */
uint64_t ix_privset_caps(const struct ix_privset *s);

#endif
