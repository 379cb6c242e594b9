/*
 * The seccomp side of a compartment, prepared by the privileged parent
 * and loaded by the child with one prctl (no allocation after fork).
 */
#ifndef IX_SEAL_H
#define IX_SEAL_H
#include <stddef.h>
#include <linux/filter.h>
#include "libixutil/ix_err.h"

enum ix_seal_flags {
	IX_SEAL_LABELLED = 1u << 0,	/* bpf() refused: labels are the server's */
	IX_SEAL_SEALED = 1u << 1,	/* no set*id to 0, no user namespaces, no io_uring */
};

struct ix_seal_prog {
	struct sock_filter *insns;	/* malloc'ed */
	size_t len;
};

/* Builds the filter for flags. Returns 0 or -1. */
int ix_seal_prepare(unsigned flags, struct ix_seal_prog *out, struct ix_err *err);
void ix_seal_free(struct ix_seal_prog *p);
/* In the child, after no_new_privs: loads the filter. Returns 0 or -errno. */
int ix_seal_load(const struct ix_seal_prog *p);
#endif
