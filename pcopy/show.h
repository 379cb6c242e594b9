/*
 * pcopy --show FILE: what makes FILE privileged, as a person checking an
 * install reads it (step 5 and 7 of the two-person install): its content
 * hash, owner, group and mode, its capabilities, whether it is sealed
 * (immutable), and each dummy licence with the hash it is bound to and
 * whether that is still the content's.
 */
#ifndef PCOPY_SHOW_H
#define PCOPY_SHOW_H
#include <stdio.h>
#include "libpcopy/copy.h"

/* Prints to out; returns PC_OK, PC_REFUSED (not a regular file, a link on
 * the way) or PC_SYSERR, with *err. */
enum pc_status pc_show(const char *path, FILE *out, struct ix_err *err);
/* pcopy --seal: path immutable exactly while it is licensed (a copy left
 * unsealed by a kill between its rename and its seal). PC_OK, PC_REFUSED
 * or PC_SYSERR with *err. */
enum pc_status pc_seal(const char *path, struct ix_err *err);
#endif
