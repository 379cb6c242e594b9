/*
 * passwdd's secrets database: users and their backend, argon2id password
 * hashes, one-time code generators with their replay state, failure
 * counters and administrator-session tags (schema.sql).
 *
 * Every read-modify-write (a one-time code accepted, a failure counted) is
 * one BEGIN IMMEDIATE transaction, so forked workers of passwdd and
 * passwdd-admin see one consistent state: SQLite's lock is the only lock.
 * Functions return -1 with *err on failure; "found/accepted" answers are 1
 * and "not found/refused" 0.
 */
#ifndef PW_STORE_H
#define PW_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "libixutil/ix_err.h"
#include "passwdd/otp.h"

#define PW_SCHEMA_VERSION 1
#define PW_USER_MAX 32		/* bytes of a login name */
#define PW_PAM_SERVICE_MAX 64	/* bytes of a PAM service name */
#define PW_SECRET_MAX 1024	/* bytes of a classical password */
#define PW_PORT_MAX 128		/* bytes of a port (stream identifier) */
#define PW_TAG_TOKEN_LEN 32	/* bytes of a tag's random token */
#define PW_TAG_IDS_MAX 16	/* identities in one tag */

enum pw_store_flags { PW_STORE_CREATE = 1 };
enum pw_backend { PW_BACKEND_OWN = 0, PW_BACKEND_PAM };
enum pw_otp_kind { PW_OTP_NONE = 0, PW_OTP_TOTP, PW_OTP_HOTP };

struct pw_store;

/* What is known about one user, without any secret. */
struct pw_user {
	char name[PW_USER_MAX + 1];	/* login name */
	enum pw_backend backend;	/* own store or PAM */
	char pam_service[PW_PAM_SERVICE_MAX + 1]; /* "" unless backend is PAM */
	int has_password;		/* 1: an argon2id hash is stored */
	enum pw_otp_kind otp;		/* one-time code generator, if any */
	enum pw_otp_algo algo;		/* its hash */
	unsigned digits;		/* its code length */
	unsigned period;		/* TOTP step in seconds */
	uint64_t counter;		/* HOTP: next counter accepted */
};

/* A login name passwdd accepts: 1..PW_USER_MAX of [A-Za-z0-9._-], not
 * starting with '-'. Returns 0 or -1 (IX_EINVAL). */
int pw_user_name_check(const char *name, struct ix_err *err);

/* Opens (PW_STORE_CREATE: creates with mode 0600) the database at path.
 * Refuses a symbolic link, a non-regular file, a file owned by another
 * user or readable by group or others (IX_EDENIED), a schema newer than
 * PW_SCHEMA_VERSION (IX_EVERSION). Returns 0 with *out, or -1. */
int pw_store_open(const char *path, unsigned flags, struct pw_store **out,
    struct ix_err *err);
void pw_store_close(struct pw_store *st);	/* accepts NULL */

/* The directory holding the database at path, where SQLite creates its
 * -wal and -shm siblings: it must belong to passwdd's user. Returns 0 or
 * -1 (IX_ELIMIT: longer than size). */
int pw_store_dir(const char *path, char *dir, size_t size, struct ix_err *err);

int pw_store_get_user(struct pw_store *st, const char *name, struct pw_user *out,
    struct ix_err *err);
/* Calls fn for every user in name order; stops at fn's first nonzero. */
int pw_store_list(struct pw_store *st, int (*fn)(const struct pw_user *, void *),
    void *ctx, struct ix_err *err);

/* Hashes secret with crypto_pwhash_str (argon2id) and stores it, creating
 * the user when missing. */
int pw_store_set_password(struct pw_store *st, const char *name,
    const char *secret, struct ix_err *err);
/* 1 when secret matches the stored hash, 0 when it does not or the user
 * has none (a dummy verification then takes the same time). */
int pw_store_check_password(struct pw_store *st, const char *name,
    const char *secret, struct ix_err *err);
/* backend PAM needs service (checked as a name); creates the user. */
int pw_store_set_backend(struct pw_store *st, const char *name, enum pw_backend b,
    const char *service, struct ix_err *err);
/* Enrols (replacing any) a generator; resets its replay state. */
int pw_store_set_otp(struct pw_store *st, const char *name, enum pw_otp_kind kind,
    enum pw_otp_algo algo, unsigned digits, unsigned period, const uint8_t *key,
    size_t keylen, struct ix_err *err);
/*
 * Checks a one-time code at unix time now, window steps either side for
 * TOTP (ahead only, 3 * window, for HOTP), in one transaction: an accepted
 * code moves the replay state past it. Returns 1 accepted, 0 refused (with
 * *replay (OUT, may be NULL) 1 when the code was a used one), -1.
 */
int pw_store_check_otp(struct pw_store *st, const char *name, const char *code,
    int64_t now, unsigned window, int *replay, struct ix_err *err);

/* Failure counters of (user, requester, port). */
int pw_store_fail_get(struct pw_store *st, const char *user, uint32_t requester,
    const char *port, unsigned *count, int64_t *last_ms, struct ix_err *err);
/* Adds one failure at now_ms; *count (OUT) is the new total. */
int pw_store_fail_add(struct pw_store *st, const char *user, uint32_t requester,
    const char *port, int64_t now_ms, unsigned *count, struct ix_err *err);
int pw_store_fail_clear(struct pw_store *st, const char *user, uint32_t requester,
    const char *port, struct ix_err *err);
/* Clears every counter of user; *n (OUT, may be NULL) rows cleared. */
int pw_store_unlock(struct pw_store *st, const char *user, unsigned *n,
    struct ix_err *err);

/* Tags. add replaces a tag of the same (cgroup, token). */
int pw_store_tag_add(struct pw_store *st, uint64_t cgroup,
    const uint8_t token[PW_TAG_TOKEN_LEN], const char *const *ids, size_t nids,
    int64_t expires, struct ix_err *err);
/* 1 removed, 0 no such tag. */
int pw_store_tag_remove(struct pw_store *st, uint64_t cgroup,
    const uint8_t token[PW_TAG_TOKEN_LEN], struct ix_err *err);
/* 1 when a tag of cgroup holds identity and expires after now. */
int pw_store_tag_check(struct pw_store *st, uint64_t cgroup, const char *identity,
    int64_t now, struct ix_err *err);
/* Drops expired tags (before == now) or all tags (before == INT64_MAX). */
int pw_store_tag_expire(struct pw_store *st, int64_t before, struct ix_err *err);

#endif
