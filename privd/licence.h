/*
 * The monitor's COPY and licence steps (licence.c): the paranoid copy of
 * pcopy(1) and the licences of libpcopy/licence.h, carried out on
 * descriptors opened as the client's filesystem identity before the
 * question, so that the files shown are the files acted on, and privd
 * reads nothing for a client that the client could not read itself.
 */
#ifndef PRIVD_LICENCE_H
#define PRIVD_LICENCE_H

#include <stddef.h>

#include "libauthtree/plan.h"
#include "libcompart/caps.h"
#include "privd/server.h"

/* True for the step kinds of this file. */
bool privd_licence_kind(enum ix_step_kind k);

/*
 * Before the question, for a COPY, LICENSE, UNLICENSE or REQUIRE step s:
 * its file (COPY: its source) opened for reading as client, a regular file
 * reached through no link (a relative operand beneath cwd), its content
 * hashed; COPY's destination directory walked as client and opened; the
 * roles judged (ix_judge_licence); REQUIRE checked now, so that a request
 * that would fail is refused before anyone is asked. Returns 0, or -1
 * with *err (IX_EDENIED refused, IX_EINVAL / IX_ENOENT inapplicable).
 */
int privd_licence_open(struct privd_step *s, const struct ix_ids *client, int cwd,
		       const struct ix_plan *plan, struct ix_err *err);

/* Steps before act->steps[i] that name the same file (COPY: its source)
 * opened the same inode: otherwise the name was swapped between the
 * opens, and REQUIRE would vouch for one file while COPY copied another.
 * Returns 0, or -1 with *err (IX_EDENIED). */
int privd_licence_same(const struct privd_act *act, size_t i, struct ix_err *err);

/* The lines the person confirms for s ("  new/P (device 8:1, inode 12):
 * content blake2b-256:..., capabilities none, dummy licences sysadmin
 * (bound to this content)"). Truncated to size. */
void privd_licence_describe(const struct privd_step *s, char *buf, size_t size);

/*
 * After the confirmation, immediately before its effect: the step s
 * carried out. COPY: the destination, if it exists, carries no licence;
 * the source's content is still the one shown; pcopy's copy. LICENSE:
 * the file sealed, its content still the one shown, then each capability
 * and dummy licence (bound to that content) added, the seal kept.
 * UNLICENSE: the named licences (or all) removed, the file sealed exactly
 * while licensed. REQUIRE: the dummy licences checked again against the
 * content as it is now. report receives one line for the person and the
 * record. Returns 0, or -1 with *err (IX_ECONFLICT for a file changed
 * since it was shown, IX_EDENIED for a failed REQUIRE or a licensed
 * destination).
 */
int privd_licence_apply(const struct privd_step *s, char *report, size_t size,
			struct ix_err *err);

#endif
