/*
 * The hash of an audit record.
 *
 * hash(n) = BLAKE2b-256(hash(n-1) || encoding(row n)), hash(0) = 32 zero
 * bytes. The encoding is injective: fixed-width big-endian integers
 * (seq u64, time_us u64, version u32), then kind, actor and text each as a
 * u32 big-endian length followed by the bytes. So no two different rows
 * hash the same input, whatever bytes their strings contain.
 */
#include <sodium.h>

#include "db/ixdb_int.h"

static void
put_be(unsigned char *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

static int
update_bytes(crypto_generichash_state *h, const void *p, size_t len)
{
	unsigned char n[4];

	if (len > UINT32_MAX)
		return -1;
	put_be(n, len, 4);
	if (crypto_generichash_update(h, n, sizeof n) != 0)
		return -1;
	return len == 0 ? 0 : crypto_generichash_update(h, p, len);
}

int
ixdb_audit_hash(const unsigned char prev[IXDB_HASH_LEN], const struct ixdb_audit_row *row,
		unsigned char hash[IXDB_HASH_LEN])
{
	crypto_generichash_state h;
	unsigned char fixed[8 + 8 + 4];

	put_be(fixed, (uint64_t)row->seq, 8);
	put_be(fixed + 8, (uint64_t)row->time_us, 8);
	put_be(fixed + 16, (uint64_t)row->version & 0xffffffffu, 4);
	if (row->version < 0 || row->version > UINT32_MAX)
		return -1;
	if (crypto_generichash_init(&h, NULL, 0, IXDB_HASH_LEN) != 0 ||
	    crypto_generichash_update(&h, prev, IXDB_HASH_LEN) != 0 ||
	    crypto_generichash_update(&h, fixed, sizeof fixed) != 0 ||
	    update_bytes(&h, row->kind, row->kind_len) != 0 ||
	    update_bytes(&h, row->actor, row->actor_len) != 0 ||
	    update_bytes(&h, row->text, row->text_len) != 0 ||
	    crypto_generichash_final(&h, hash, IXDB_HASH_LEN) != 0)
		return -1;
	return 0;
}

void
ixdb_hex(const unsigned char hash[IXDB_HASH_LEN], char hex[2 * IXDB_HASH_LEN + 1])
{
	sodium_bin2hex(hex, 2 * IXDB_HASH_LEN + 1, hash, IXDB_HASH_LEN);
}
