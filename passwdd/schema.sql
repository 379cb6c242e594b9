-- passwdd's secrets database (passwdd.db), schema 1. Its own file and its
-- own PRAGMA user_version sequence, separate from ixkit.db's: nothing but
-- passwdd and passwdd-admin ever opens it.
CREATE TABLE users (
	name TEXT PRIMARY KEY NOT NULL CHECK (length(name) BETWEEN 1 AND 32),
	-- 'own': pwhash below; 'pam': the PAM service named in pam_service
	backend TEXT NOT NULL DEFAULT 'own' CHECK (backend IN ('own', 'pam')),
	pam_service TEXT CHECK (pam_service IS NULL OR length(pam_service) BETWEEN 1 AND 64),
	-- crypto_pwhash_str output (argon2id), or NULL: no classical password
	pwhash TEXT CHECK (pwhash IS NULL OR length(pwhash) < 128),
	CHECK (backend = 'own' OR pam_service IS NOT NULL)
) STRICT;

-- At most one one-time code generator per user.
CREATE TABLE otp (
	user TEXT PRIMARY KEY NOT NULL REFERENCES users(name) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('totp', 'hotp')),
	algo TEXT NOT NULL CHECK (algo IN ('sha1', 'sha256', 'sha512')),
	digits INTEGER NOT NULL CHECK (digits BETWEEN 6 AND 8),
	period INTEGER NOT NULL CHECK (period BETWEEN 1 AND 600),
	secret BLOB NOT NULL CHECK (length(secret) BETWEEN 10 AND 64),
	-- HOTP: next counter to accept; TOTP: unused
	counter INTEGER NOT NULL DEFAULT 0 CHECK (counter >= 0),
	-- TOTP: last time step accepted (a code of this step or earlier is a
	-- replay); -1 before the first
	last_step INTEGER NOT NULL DEFAULT -1
) STRICT;

-- Failed attempts per (user, requester uid, port): back-off and lockout.
-- From schema 2 on, count includes attempts reserved and not yet answered
-- (schema-2.sql).
CREATE TABLE failures (
	user TEXT NOT NULL,
	requester INTEGER NOT NULL,
	port TEXT NOT NULL,
	count INTEGER NOT NULL CHECK (count >= 0),
	last_ms INTEGER NOT NULL,
	PRIMARY KEY (user, requester, port)
) STRICT;

-- Administrator-session tags: identities verified for one sessiond
-- session (its compartment cgroup id and a random token) until expires.
CREATE TABLE tags (
	cgroup INTEGER NOT NULL,
	token BLOB NOT NULL CHECK (length(token) = 32),
	identity TEXT NOT NULL,
	expires INTEGER NOT NULL,
	PRIMARY KEY (cgroup, token, identity)
) STRICT;

PRAGMA user_version = 1;
