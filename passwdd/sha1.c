/*
 * SHA-1 after FIPS 180-4 §6.1, and HMAC over it after RFC 2104. Tested
 * against the FIPS examples and RFC 2202 in tests/passwdd/test_otp.c.
 */
#include <string.h>
#include <sodium.h>

#include "passwdd/sha1.h"

static uint32_t
rol(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static void
block(uint32_t h[5], const uint8_t p[PW_SHA1_BLOCK])
{
	uint32_t w[80], a, b, c, d, e, f, k, t;
	unsigned i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20)
			f = (b & c) | (~b & d), k = 0x5a827999;
		else if (i < 40)
			f = b ^ c ^ d, k = 0x6ed9eba1;
		else if (i < 60)
			f = (b & c) | (b & d) | (c & d), k = 0x8f1bbcdc;
		else
			f = b ^ c ^ d, k = 0xca62c1d6;
		t = rol(a, 5) + f + e + k + w[i];
		e = d, d = c, c = rol(b, 30), b = a, a = t;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
	sodium_memzero(w, sizeof w);
}

void
pw_sha1_init(struct pw_sha1 *s)
{
	static const uint32_t iv[5] = {
		0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0,
	};

	memcpy(s->h, iv, sizeof iv);
	s->len = 0;
	s->nbuf = 0;
}

void
pw_sha1_update(struct pw_sha1 *s, const void *p, size_t n)
{
	const uint8_t *q = p;

	s->len += n;
	while (n > 0) {
		size_t take = PW_SHA1_BLOCK - s->nbuf;

		if (take > n)
			take = n;
		memcpy(s->buf + s->nbuf, q, take);
		s->nbuf += take, q += take, n -= take;
		if (s->nbuf == PW_SHA1_BLOCK) {
			block(s->h, s->buf);
			s->nbuf = 0;
		}
	}
}

void
pw_sha1_final(struct pw_sha1 *s, uint8_t out[PW_SHA1_LEN])
{
	uint64_t bits = s->len * 8;
	uint8_t pad = 0x80, len[8];
	unsigned i;

	pw_sha1_update(s, &pad, 1);
	pad = 0;
	while (s->nbuf != PW_SHA1_BLOCK - 8)
		pw_sha1_update(s, &pad, 1);
	for (i = 0; i < 8; i++)
		len[i] = (uint8_t)(bits >> (56 - 8 * i));
	pw_sha1_update(s, len, 8);
	for (i = 0; i < 5; i++) {
		out[4 * i] = (uint8_t)(s->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)s->h[i];
	}
	sodium_memzero(s, sizeof *s);
}

void
pw_hmac_sha1(const uint8_t *key, size_t keylen, const uint8_t *msg,
    size_t msglen, uint8_t out[PW_SHA1_LEN])
{
	uint8_t k[PW_SHA1_BLOCK], pad[PW_SHA1_BLOCK], inner[PW_SHA1_LEN];
	struct pw_sha1 s;
	unsigned i;

	memset(k, 0, sizeof k);
	if (keylen > PW_SHA1_BLOCK) {
		pw_sha1_init(&s);
		pw_sha1_update(&s, key, keylen);
		pw_sha1_final(&s, k);
	} else if (keylen > 0) {
		memcpy(k, key, keylen);
	}
	for (i = 0; i < PW_SHA1_BLOCK; i++)
		pad[i] = k[i] ^ 0x36;
	pw_sha1_init(&s);
	pw_sha1_update(&s, pad, sizeof pad);
	pw_sha1_update(&s, msg, msglen);
	pw_sha1_final(&s, inner);
	for (i = 0; i < PW_SHA1_BLOCK; i++)
		pad[i] = k[i] ^ 0x5c;
	pw_sha1_init(&s);
	pw_sha1_update(&s, pad, sizeof pad);
	pw_sha1_update(&s, inner, sizeof inner);
	pw_sha1_final(&s, out);
	sodium_memzero(k, sizeof k);
	sodium_memzero(pad, sizeof pad);
	sodium_memzero(inner, sizeof inner);
}
