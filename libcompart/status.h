/*
 * What the compartment kernel enforces on this host, property by property.
 * Nothing is reported as enforced that the running kernel does not
 * enforce: each line names the mechanism, or why it is degraded/missing.
 */
#ifndef IX_STATUS_H
#define IX_STATUS_H
#include <stdint.h>
#include "libixutil/ix_err.h"

enum ix_prop_state { IX_PROP_ENFORCED, IX_PROP_DEGRADED, IX_PROP_MISSING };

#define IX_STATUS_MAX 24

struct ix_prop {
	const char *name;		/* e.g. "file labels" */
	enum ix_prop_state state;
	char how[200];			/* mechanism, or why not */
};

struct ix_status {
	int tier;			/* 1: BPF LSM active, 2: stock mechanisms only */
	char kernel[65];		/* uname release */
	int landlock_abi;		/* 0: none */
	uint32_t t1_features;		/* IX_T1_* attached by compartd */
	char t1_why[IX_ERR_MSG_MAX];		/* why tier 1 is not active, when tier == 2 */
	char blp_why[96];		/* compartd's reason when tier 1 has no file labels */
	char licence_why[96];		/* ... and when it has no licence guard */
	char cgroup2[256];		/* cgroup2 mount point, "" when none */
	struct ix_prop props[IX_STATUS_MAX];
	int nprops;
};

/* Probes the running system (pindir: compartd's pins, NULL = default). */
int ix_status_probe(const char *pindir, struct ix_status *st, struct ix_err *err);
const char *ix_prop_state_name(enum ix_prop_state s);
#endif
