-- Schema 2: the index of labelled files.
-- The label xattr on the file is authoritative; this table only says where
-- labelled files are, so that tier 2 of the compartment kernel can compute
-- a Landlock allowlist when a process enters a compartment. Rows are
-- written by libcompart in the same step as the xattr; a row whose file is
-- gone or whose dev/ino no longer match is stale and ignored on use.
CREATE TABLE file_labels (
	path TEXT PRIMARY KEY CHECK (substr(path, 1, 1) = '/' AND length(path) <= 4096),
	dev INTEGER NOT NULL,
	ino INTEGER NOT NULL,
	label BLOB NOT NULL CHECK (length(label) = 40),
	set_at INTEGER NOT NULL
);
