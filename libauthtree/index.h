/* Private to libauthtree: the evaluation indexes of a policy. */
#ifndef IX_AT_INDEX_H
#define IX_AT_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "libauthtree/policy.h"

struct ix_vec {
	size_t *v;		/* node or rule indexes, increasing */
	size_t n, cap;
};

struct ix_map_slot {
	char *key;		/* NULL for an empty slot */
	uint64_t hash;
	struct ix_vec vec;
};

struct ix_map {
	struct ix_map_slot *slots;	/* open addressing, power-of-two size */
	size_t nslots, used;
};

struct ix_policy_index {
	struct ix_map login;		/* login name -> nodes pinned to it */
	struct ix_vec general_nodes;	/* nodes any login may satisfy */
	struct ix_map prefix;		/* first word -> rules starting with it */
	struct ix_vec general_rules;	/* rules without a literal first word */
	int unattended;			/* decl index of plain right "unattended", or -1 */
};

const struct ix_vec *ix_map_get(const struct ix_map *m, const char *key, size_t n);
int ix_map_add(struct ix_map *m, const char *key, size_t x);
void ix_policy_index_free(struct ix_policy_index *ix);

#endif
