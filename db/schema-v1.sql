-- Schema version 1 of ixkit.db (applied by db/migrations.c, embedded at
-- build time). The policy tables hold canonical text per element; the
-- in-memory compiled tree is built from them by libauthtree.
CREATE TABLE meta (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;
INSERT INTO meta(key, value) VALUES ('generation', '0');

CREATE TABLE right_decls (
	seq INTEGER PRIMARY KEY,		-- declaration order
	name TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL CHECK (kind IN ('plain', 'label', 'regex', 'privset'))
) STRICT;

CREATE TABLE label_levels (
	rank INTEGER PRIMARY KEY CHECK (rank BETWEEN 0 AND 255),
	name TEXT NOT NULL UNIQUE
) STRICT;

-- A category's bit is fixed once assigned: it may be retired, never
-- renamed, reused or deleted (file labels on disk store bits).
CREATE TABLE label_categories (
	bit INTEGER PRIMARY KEY CHECK (bit BETWEEN 0 AND 255),
	name TEXT NOT NULL UNIQUE,
	retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1))
) STRICT;
CREATE TRIGGER label_categories_fixed BEFORE UPDATE OF bit, name ON label_categories
BEGIN SELECT RAISE(ABORT, 'a category bit is never renamed or reused'); END;
CREATE TRIGGER label_categories_kept BEFORE DELETE ON label_categories
BEGIN SELECT RAISE(ABORT, 'a category bit is retired, never deleted'); END;

CREATE TABLE nodes (
	id INTEGER PRIMARY KEY,
	path TEXT NOT NULL UNIQUE,
	parent INTEGER REFERENCES nodes(id) ON DELETE CASCADE,
	predicate TEXT NOT NULL,
	rights TEXT NOT NULL,
	CHECK ((path = '/') = (parent IS NULL))
) STRICT;
CREATE INDEX nodes_parent ON nodes(parent);

CREATE TABLE rules (
	seq INTEGER PRIMARY KEY,		-- listing order
	name TEXT NOT NULL UNIQUE,
	template TEXT NOT NULL,
	need TEXT NOT NULL,
	action TEXT NOT NULL
) STRICT;

CREATE TABLE clearances (
	user TEXT PRIMARY KEY,
	low TEXT NOT NULL,
	high TEXT NOT NULL
) STRICT;

CREATE TABLE ports (
	seq INTEGER PRIMARY KEY,		-- first matching pattern wins
	pattern TEXT NOT NULL,
	low TEXT NOT NULL,
	high TEXT NOT NULL
) STRICT;

CREATE TABLE providers (
	name TEXT PRIMARY KEY,
	path TEXT NOT NULL
) STRICT;

CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE audit (
	seq INTEGER PRIMARY KEY,
	time_us INTEGER NOT NULL,
	version INTEGER NOT NULL,
	kind TEXT NOT NULL,
	actor TEXT NOT NULL,
	text TEXT NOT NULL,
	prev BLOB NOT NULL,
	hash BLOB NOT NULL
) STRICT;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END;
