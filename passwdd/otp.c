/*
 * HOTP/TOTP. Dynamic truncation as in RFC 4226 §5.3; TOTP is HOTP of the
 * time step (RFC 6238 §4). HMAC-SHA256/512 come from libsodium, HMAC-SHA1
 * from sha1.c.
 */
#include <string.h>
#include <sodium.h>

#include "passwdd/otp.h"
#include "passwdd/sha1.h"

static const char *const algo_names[] = { "sha1", "sha256", "sha512" };

int
pw_otp_algo_parse(const char *s, enum pw_otp_algo *out, struct ix_err *err)
{
	unsigned i;

	for (i = 0; i < sizeof algo_names / sizeof algo_names[0]; i++)
		if (s != NULL && strcmp(s, algo_names[i]) == 0) {
			*out = (enum pw_otp_algo)i;
			return 0;
		}
	return ix_err_set(err, IX_EINVAL, "unknown one-time code hash '%s' (sha1, sha256 or sha512)",
			  s != NULL ? s : "");
}

const char *
pw_otp_algo_name(enum pw_otp_algo a)
{
	return (unsigned)a < 3 ? algo_names[a] : "?";
}

size_t
pw_otp_algo_keylen(enum pw_otp_algo a)
{
	return a == PW_OTP_SHA512 ? 64 : a == PW_OTP_SHA256 ? 32 : 20;
}

int
pw_hotp(enum pw_otp_algo a, const uint8_t *key, size_t keylen, uint64_t counter,
    unsigned digits, char out[PW_OTP_CODE_MAX], struct ix_err *err)
{
	static const uint32_t pow10[] = { 1000000, 10000000, 100000000 };
	uint8_t msg[8], mac[crypto_auth_hmacsha512_BYTES];
	size_t maclen;
	uint32_t bin;
	unsigned off, i;

	if (digits < PW_OTP_DIGITS_MIN || digits > PW_OTP_DIGITS_MAX)
		return ix_err_set(err, IX_EINVAL, "one-time codes have 6 to 8 digits, not %u", digits);
	if (key == NULL || keylen == 0 || keylen > PW_OTP_KEY_MAX)
		return ix_err_set(err, IX_EINVAL, "one-time code key of %zu bytes (1 to %d)",
				  keylen, PW_OTP_KEY_MAX);
	for (i = 0; i < 8; i++)
		msg[i] = (uint8_t)(counter >> (56 - 8 * i));
	switch (a) {
	case PW_OTP_SHA1:
		pw_hmac_sha1(key, keylen, msg, sizeof msg, mac);
		maclen = PW_SHA1_LEN;
		break;
	case PW_OTP_SHA256: {
		crypto_auth_hmacsha256_state st;

		crypto_auth_hmacsha256_init(&st, key, keylen);
		crypto_auth_hmacsha256_update(&st, msg, sizeof msg);
		crypto_auth_hmacsha256_final(&st, mac);
		sodium_memzero(&st, sizeof st);
		maclen = crypto_auth_hmacsha256_BYTES;
		break;
	}
	case PW_OTP_SHA512: {
		crypto_auth_hmacsha512_state st;

		crypto_auth_hmacsha512_init(&st, key, keylen);
		crypto_auth_hmacsha512_update(&st, msg, sizeof msg);
		crypto_auth_hmacsha512_final(&st, mac);
		sodium_memzero(&st, sizeof st);
		maclen = crypto_auth_hmacsha512_BYTES;
		break;
	}
	default:
		return ix_err_set(err, IX_EINVAL, "unknown one-time code hash %d", (int)a);
	}
	off = mac[maclen - 1] & 0x0f;
	bin = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 |
	      (uint32_t)mac[off + 2] << 8 | mac[off + 3];
	bin %= pow10[digits - PW_OTP_DIGITS_MIN];
	for (i = digits; i > 0; i--) {
		out[i - 1] = (char)('0' + bin % 10);
		bin /= 10;
	}
	out[digits] = '\0';
	sodium_memzero(mac, sizeof mac);
	return 0;
}

uint64_t
pw_totp_step(int64_t now, unsigned period)
{
	return now <= 0 || period == 0 ? 0 : (uint64_t)now / period;
}

int
pw_otp_match(enum pw_otp_algo a, const uint8_t *key, size_t keylen, unsigned digits,
    uint64_t first, uint64_t last, const char *code, uint64_t *hit, struct ix_err *err)
{
	char want[PW_OTP_CODE_MAX];
	uint64_t c;
	int found = 0;

	if (last < first || last - first > 3 * PW_OTP_WINDOW_MAX)
		return ix_err_set(err, IX_ELIMIT, "one-time code window of %llu steps",
				  (unsigned long long)(last - first + 1));
	if (code == NULL || strnlen(code, PW_OTP_CODE_MAX) != digits)
		return 0;
	for (c = first;; c++) {
		if (pw_hotp(a, key, keylen, c, digits, want, err) < 0)
			return -1;
		if (sodium_memcmp(want, code, digits) == 0 && !found) {
			found = 1;
			*hit = c;
		}
		if (c == last)
			break;
	}
	sodium_memzero(want, sizeof want);
	return found;
}

int
pw_base32_encode(const uint8_t *p, size_t n, char *out, size_t size, struct ix_err *err)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	size_t need = (n * 8 + 4) / 5 + 1, o = 0, i;
	unsigned acc = 0, bits = 0;

	if (size < need)
		return ix_err_set(err, IX_ELIMIT, "base32 of %zu bytes needs %zu bytes", n, need);
	for (i = 0; i < n; i++) {
		acc = (acc << 8) | p[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = al[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[o++] = al[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	sodium_memzero(&acc, sizeof acc);
	return 0;
}
