/* passwdd/otp.c and sha1.c against the published vectors: FIPS 180 (SHA-1),
 * RFC 2202 (HMAC-SHA1), RFC 4226 appendix D (HOTP) and RFC 6238 appendix B
 * (TOTP with SHA-1, SHA-256 and SHA-512). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "passwdd/otp.h"
#include "passwdd/sha1.h"

static void
hex(const uint8_t *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

static void
sha1_is(const void *p, size_t n, const char *want)
{
	struct pw_sha1 s;
	uint8_t d[PW_SHA1_LEN];
	char h[2 * PW_SHA1_LEN + 1];

	pw_sha1_init(&s);
	pw_sha1_update(&s, p, n);
	pw_sha1_final(&s, d);
	hex(d, sizeof d, h);
	assert_string_equal(h, want);
}

static void
sha1_matches_fips_examples(void **state)
{
	static char million[1000000];
	struct pw_sha1 s;
	uint8_t d[PW_SHA1_LEN];
	char h[2 * PW_SHA1_LEN + 1];
	size_t i;

	sha1_is("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	sha1_is("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
	sha1_is("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
		"84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	memset(million, 'a', sizeof million);
	sha1_is(million, sizeof million, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	/* The same million bytes fed in odd-sized pieces across block edges. */
	pw_sha1_init(&s);
	for (i = 0; i < sizeof million; i += 7)
		pw_sha1_update(&s, million + i, sizeof million - i < 7 ? sizeof million - i : 7);
	pw_sha1_final(&s, d);
	hex(d, sizeof d, h);
	assert_string_equal(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

static void
hmac_sha1_matches_rfc2202(void **state)
{
	uint8_t k1[20], k6[80], d[PW_SHA1_LEN];
	char h[2 * PW_SHA1_LEN + 1];
	const char *m6 = "Test Using Larger Than Block-Size Key - Hash Key First";

	memset(k1, 0x0b, sizeof k1);
	pw_hmac_sha1(k1, sizeof k1, (const uint8_t *)"Hi There", 8, d);
	hex(d, sizeof d, h);
	assert_string_equal(h, "b617318655057264e28bc0b6fb378c8ef146be00");
	pw_hmac_sha1((const uint8_t *)"Jefe", 4,
		     (const uint8_t *)"what do ya want for nothing?", 28, d);
	hex(d, sizeof d, h);
	assert_string_equal(h, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
	memset(k6, 0xaa, sizeof k6);
	pw_hmac_sha1(k6, sizeof k6, (const uint8_t *)m6, strlen(m6), d);
	hex(d, sizeof d, h);
	assert_string_equal(h, "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

static void
hotp_matches_rfc4226_appendix_d(void **state)
{
	static const char *const want[10] = {
		"755224", "287082", "359152", "969429", "338314",
		"254676", "287922", "162583", "399871", "520489",
	};
	const uint8_t *key = (const uint8_t *)"12345678901234567890";
	char code[PW_OTP_CODE_MAX];
	struct ix_err e;
	unsigned c;

	for (c = 0; c < 10; c++) {
		assert_int_equal(pw_hotp(PW_OTP_SHA1, key, 20, c, 6, code, &e), 0);
		assert_string_equal(code, want[c]);
	}
}

static void
totp_matches_rfc6238_appendix_b_all_hashes(void **state)
{
	static const struct {
		int64_t t;
		const char *code[3];	/* SHA-1, SHA-256, SHA-512 */
	} v[] = {
		{ 59, { "94287082", "46119246", "90693936" } },
		{ 1111111109, { "07081804", "68084774", "25091201" } },
		{ 1111111111, { "14050471", "67062674", "99943326" } },
		{ 1234567890, { "89005924", "91819424", "93441116" } },
		{ 2000000000, { "69279037", "90698825", "38618901" } },
		{ 20000000000LL, { "65353130", "77737706", "47863826" } },
	};
	static const char *const seed[3] = {
		"12345678901234567890",
		"12345678901234567890123456789012",
		"1234567890123456789012345678901234567890123456789012345678901234",
	};
	char code[PW_OTP_CODE_MAX];
	struct ix_err e;
	size_t i;
	int a;

	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		for (a = 0; a < 3; a++) {
			assert_int_equal(strlen(seed[a]), pw_otp_algo_keylen((enum pw_otp_algo)a));
			assert_int_equal(pw_hotp((enum pw_otp_algo)a, (const uint8_t *)seed[a],
						 strlen(seed[a]), pw_totp_step(v[i].t, 30), 8,
						 code, &e), 0);
			assert_string_equal(code, v[i].code[a]);
		}
}

static void
hotp_rejects_bad_digits_and_keys(void **state)
{
	char code[PW_OTP_CODE_MAX];
	uint8_t key[PW_OTP_KEY_MAX + 1] = { 1 };
	struct ix_err e;

	assert_int_equal(pw_hotp(PW_OTP_SHA1, key, 20, 0, 5, code, &e), -1);
	assert_int_equal(e.code, IX_EINVAL);
	assert_int_equal(pw_hotp(PW_OTP_SHA1, key, 20, 0, 9, code, &e), -1);
	assert_int_equal(pw_hotp(PW_OTP_SHA1, key, 0, 0, 6, code, &e), -1);
	assert_int_equal(pw_hotp(PW_OTP_SHA1, key, sizeof key, 0, 6, code, &e), -1);
	assert_int_equal(pw_hotp((enum pw_otp_algo)7, key, 20, 0, 6, code, &e), -1);
}

static void
match_finds_counter_in_window_only(void **state)
{
	const uint8_t *key = (const uint8_t *)"12345678901234567890";
	uint64_t hit = 0;
	struct ix_err e;

	/* 969429 is counter 3 */
	assert_int_equal(pw_otp_match(PW_OTP_SHA1, key, 20, 6, 0, 5, "969429", &hit, &e), 1);
	assert_int_equal(hit, 3);
	assert_int_equal(pw_otp_match(PW_OTP_SHA1, key, 20, 6, 4, 9, "969429", &hit, &e), 0);
	/* Wrong length, non-matching, longer prefix: no match. */
	assert_int_equal(pw_otp_match(PW_OTP_SHA1, key, 20, 6, 0, 5, "96942", &hit, &e), 0);
	assert_int_equal(pw_otp_match(PW_OTP_SHA1, key, 20, 6, 0, 5, "9694290", &hit, &e), 0);
	assert_int_equal(pw_otp_match(PW_OTP_SHA1, key, 20, 6, 0, 5, "000000", &hit, &e), 0);
	/* A window larger than the limit is an error, not a slow search. */
	assert_int_equal(pw_otp_match(PW_OTP_SHA1, key, 20, 6, 0, 1000, "969429", &hit, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
}

static void
algo_names_round_trip_and_reject_unknown(void **state)
{
	enum pw_otp_algo a;
	struct ix_err e;

	assert_int_equal(pw_otp_algo_parse("sha256", &a, &e), 0);
	assert_int_equal(a, PW_OTP_SHA256);
	assert_string_equal(pw_otp_algo_name(PW_OTP_SHA512), "sha512");
	assert_int_equal(pw_otp_algo_parse("md5", &a, &e), -1);
	assert_int_equal(pw_otp_algo_parse("SHA1", &a, &e), -1);
}

static void
base32_matches_rfc4648(void **state)
{
	char out[32];
	struct ix_err e;

	assert_int_equal(pw_base32_encode((const uint8_t *)"foobar", 6, out, sizeof out, &e), 0);
	assert_string_equal(out, "MZXW6YTBOI");
	assert_int_equal(pw_base32_encode((const uint8_t *)"f", 1, out, sizeof out, &e), 0);
	assert_string_equal(out, "MY");
	assert_int_equal(pw_base32_encode((const uint8_t *)"", 0, out, sizeof out, &e), 0);
	assert_string_equal(out, "");
	assert_int_equal(pw_base32_encode((const uint8_t *)"foobar", 6, out, 10, &e), -1);
	assert_int_equal(e.code, IX_ELIMIT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha1_matches_fips_examples),
		cmocka_unit_test(hmac_sha1_matches_rfc2202),
		cmocka_unit_test(hotp_matches_rfc4226_appendix_d),
		cmocka_unit_test(totp_matches_rfc6238_appendix_b_all_hashes),
		cmocka_unit_test(hotp_rejects_bad_digits_and_keys),
		cmocka_unit_test(match_finds_counter_in_window_only),
		cmocka_unit_test(algo_names_round_trip_and_reject_unknown),
		cmocka_unit_test(base32_matches_rfc4648),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
