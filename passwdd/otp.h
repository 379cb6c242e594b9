/*
 * One-time codes: HOTP (RFC 4226) and TOTP (RFC 6238) over HMAC-SHA1,
 * HMAC-SHA256 and HMAC-SHA512, 6 to 8 digits. Pure functions: no clock, no
 * database; the caller passes the time step or counter and keeps the
 * replay state (store.c).
 */
#ifndef PW_OTP_H
#define PW_OTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "libixutil/ix_err.h"

enum pw_otp_algo { PW_OTP_SHA1 = 0, PW_OTP_SHA256, PW_OTP_SHA512 };

#define PW_OTP_DIGITS_MIN 6
#define PW_OTP_DIGITS_MAX 8
#define PW_OTP_CODE_MAX (PW_OTP_DIGITS_MAX + 1)	/* digits and NUL */
#define PW_OTP_KEY_MAX 64			/* bytes of shared secret */
#define PW_OTP_WINDOW_MAX 10			/* steps either side, at most */

/* "sha1", "sha256", "sha512" <-> enum. parse returns 0 or -1 (IX_EINVAL). */
int pw_otp_algo_parse(const char *s, enum pw_otp_algo *out, struct ix_err *err);
const char *pw_otp_algo_name(enum pw_otp_algo a);
/* Key length RFC 6238 appendix B uses per hash, the enrolment default. */
size_t pw_otp_algo_keylen(enum pw_otp_algo a);

/* Writes the code for counter into out (digits digits and a NUL). Returns 0,
 * or -1 with *err (IX_EINVAL: digits out of range, empty or oversized key). */
int pw_hotp(enum pw_otp_algo a, const uint8_t *key, size_t keylen,
    uint64_t counter, unsigned digits, char out[PW_OTP_CODE_MAX], struct ix_err *err);

/* The TOTP time step of unix time now (T0 = 0); period > 0. */
uint64_t pw_totp_step(int64_t now, unsigned period);

/* Looks for code among the counters first..last (inclusive, last - first
 * at most 3 * PW_OTP_WINDOW_MAX), comparing every
 * candidate in constant time, and without stopping at the first match so
 * the time taken does not say which counter matched. Returns 1 with *hit
 * (OUT) the lowest matching counter, 0 when none matches (or code is not
 * digits long), -1 with *err. */
int pw_otp_match(enum pw_otp_algo a, const uint8_t *key, size_t keylen,
    unsigned digits, uint64_t first, uint64_t last, const char *code,
    uint64_t *hit, struct ix_err *err);

/* RFC 4648 base32 without padding, for otpauth:// URIs. Returns 0, or -1
 * (IX_ELIMIT) when out (size bytes) is too small. */
int pw_base32_encode(const uint8_t *p, size_t n, char *out, size_t size,
    struct ix_err *err);

#endif
