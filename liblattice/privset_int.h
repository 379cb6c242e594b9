/*
 * Private to liblattice: the privilege-set parser without column
 * formatting, for callers that parse a set embedded in a larger text.
 */
#ifndef IX_PRIVSET_INT_H
#define IX_PRIVSET_INT_H

#include "liblattice/privset.h"

/* Longest privilege-set text accepted. */
#define IX_PRIVSET_TEXT_MAX 4096

/* On error, why holds the message without position and *pos the 0-based
 * offset in text. Returns 0, or -1 with *code set. */
int ix_privset_parse_pos(const char *text, size_t len, struct ix_privset *out,
			 char *why, size_t whysize, size_t *pos, enum ix_errcode *code);

bool ix_privset_is_empty(const struct ix_privset *s);

#endif
