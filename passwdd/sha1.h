/*
 * SHA-1 and HMAC-SHA1 (FIPS 180-4, RFC 2104), only for HOTP/TOTP: RFC 4226
 * codes are defined over HMAC-SHA1 and libsodium has no SHA-1. HMAC-SHA1 is
 * still sound as a PRF; nothing else in ixkit may use this file.
 */
#ifndef PW_SHA1_H
#define PW_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define PW_SHA1_LEN 20
#define PW_SHA1_BLOCK 64

struct pw_sha1 {
	uint32_t h[5];			/* chaining state */
	uint64_t len;			/* bytes hashed so far */
	uint8_t buf[PW_SHA1_BLOCK];	/* partial block */
	size_t nbuf;			/* bytes in buf */
};

void pw_sha1_init(struct pw_sha1 *s);
void pw_sha1_update(struct pw_sha1 *s, const void *p, size_t n);
/* Writes the digest to out and wipes *s. */
void pw_sha1_final(struct pw_sha1 *s, uint8_t out[PW_SHA1_LEN]);

/* out = HMAC-SHA1(key, msg). Intermediate state is wiped. */
void pw_hmac_sha1(const uint8_t *key, size_t keylen, const uint8_t *msg,
    size_t msglen, uint8_t out[PW_SHA1_LEN]);

#endif
