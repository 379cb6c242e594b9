/* Private to libauthtree: the evaluation indexes of a policy. */
#ifndef IX_AT_INDEX_H
#define IX_AT_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "libauthtree/pcre.h"
#include "libauthtree/policy.h"

/* Node or rule indexes, increasing. One index, the common case of a login
 * or a first word, is held in the vector itself (no array to reach). */
struct ix_vec {
	size_t *v;		/* malloc'd array when cap > 0 */
	uint32_t n;		/* number of indexes */
	uint32_t cap;		/* entries of v; 0 while n <= 1 */
	size_t one;		/* the index when cap == 0 and n == 1 */
};

/* The indexes of v, for reading. */
static inline const size_t *
ix_vec_items(const struct ix_vec *v)
{
	return v->cap > 0 ? v->v : &v->one;
}

#define IX_MAP_KEY_INLINE 16	/* keys shorter than this live in the slot */

/* One slot is one cache line (the table is 64-byte aligned): a lookup of a
 * key of ordinary length reads that line alone. */
struct ix_map_slot {
	uint64_t hash;		/* FNV-1a of the key */
	uint32_t used;		/* 0 for an empty slot */
	uint32_t keylen;	/* the key's length */
	char *long_key;		/* malloc'd key when keylen >= IX_MAP_KEY_INLINE */
	struct ix_vec vec;	/* what the key maps to */
	char key[IX_MAP_KEY_INLINE]; /* the key, NUL-terminated, when short */
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
	pcre2_match_context *mctx;	/* bounds of template and port matches,
					 * shared by every match (ix_pcre_match_context) */
};

const struct ix_vec *ix_map_get(const struct ix_map *m, const char *key, size_t n);
int ix_map_add(struct ix_map *m, const char *key, size_t x);
void ix_policy_index_free(struct ix_policy_index *ix);

#endif
