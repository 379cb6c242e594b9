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

#define PW_SCHEMA_VERSION 2
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

/*
 * Failures and reserved attempts (store_fail.c). An attempt is reserved
 * before anything is asked, in the one transaction that decides whether
 * it may be made: it counts as a failure of its key (user, requester,
 * port) and of its user at once, so attempts in flight count, and a
 * monitor that dies before the answer leaves it counted. Its answer then
 * either keeps it (failed) or releases it (passed).
 */
#define PW_BUDGET_WINDOW_MS 3600000	/* the user-wide budget counts one hour */

/* What the store holds about an attempt's key and user when it decides. */
struct pw_attempt_seen {
	unsigned key_count;	/* failures of (user, requester, port), reserved ones included */
	int64_t key_last_ms;	/* when the latest of them is made (may lie ahead) */
	unsigned user_count;	/* the user's attempts in the window, on every key */
	int64_t user_last_ms;	/* when the latest of those is made */
};

/* Decides, inside the reservation's transaction: returns 1 with *at_ms
 * (OUT: when the attempt will be made, >= now_ms) to reserve, 0 to refuse,
 * -1 with *err. ctx is the caller's. */
typedef int pw_attempt_decide_fn(void *ctx, const struct pw_attempt_seen *seen, int64_t now_ms,
    int64_t *at_ms, struct ix_err *err);

/*
 * In one BEGIN IMMEDIATE transaction: forgets user's attempts made
 * window_ms or more before now_ms, reads *seen (OUT), asks decide, and
 * when it allows, adds one to the key's count (last_ms = *at_ms) and
 * records the attempt pending at *at_ms. Returns 1 reserved with *id
 * (OUT), 0 refused (nothing counted), -1.
 */
int pw_store_attempt_reserve(struct pw_store *st, const char *user, uint32_t requester,
    const char *port, int64_t now_ms, int64_t window_ms, pw_attempt_decide_fn *decide,
    void *ctx, struct pw_attempt_seen *seen, int64_t *at_ms, int64_t *id, struct ix_err *err);
/* Attempt id failed: it stays counted, no longer pending. */
int pw_store_attempt_failed(struct pw_store *st, int64_t id, struct ix_err *err);
/* Attempt id of (user, requester, port) succeeded, in one transaction:
 * its record goes, and the key's count becomes the number of its
 * attempts still pending (its failures are forgotten). The user's other
 * attempts, this key's earlier ones too, stay in the budget until they
 * leave the window: a success must not refill a budget spent elsewhere. */
int pw_store_attempt_passed(struct pw_store *st, const char *user, uint32_t requester,
    const char *port, int64_t id, struct ix_err *err);
/* Forgets every user's attempts made before before_ms (housekeeping:
 * looks first, so that the common case takes no write lock). */
int pw_store_attempt_expire(struct pw_store *st, int64_t before_ms, struct ix_err *err);
/* Clears every counter and attempt of user, in one transaction; *keys
 * and *attempts (OUT, may be NULL): the keys and the attempts cleared. */
int pw_store_unlock(struct pw_store *st, const char *user, unsigned *keys, unsigned *attempts,
    struct ix_err *err);

/* One key's failures, for passwdd-admin. */
struct pw_fail_row {
	char user[PW_USER_MAX + 1];	/* claimed identity */
	uint32_t requester;		/* uid that asked */
	char port[PW_PORT_MAX + 1];	/* stream identifier */
	unsigned count;			/* failures, reserved attempts included */
	int64_t last_ms;		/* the latest, in ms since the epoch */
};
/* One user's budget: attempts made at or after since_ms. */
struct pw_budget_row {
	char user[PW_USER_MAX + 1];	/* claimed identity */
	unsigned failed;		/* answered and failed */
	unsigned pending;		/* reserved, not answered (or their monitor died) */
	int64_t last_ms;		/* the latest */
};
/* Calls fn for every key with failures (user NULL: of every user), in
 * user, requester, port order; stops at fn's first nonzero. */
int pw_store_fail_list(struct pw_store *st, const char *user,
    int (*fn)(const struct pw_fail_row *, void *), void *ctx, struct ix_err *err);
/* Calls fn for every user with attempts at or after since_ms (user NULL:
 * every user), in user order; stops at fn's first nonzero. */
int pw_store_budget_list(struct pw_store *st, const char *user, int64_t since_ms,
    int (*fn)(const struct pw_budget_row *, void *), void *ctx, struct ix_err *err);

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
