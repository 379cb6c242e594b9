-- Schema 6: the index of labelled files keyed by file identity (issue 16,
-- hole 2). A label lives on an inode, and an inode may have several
-- names; tier 2's allowlist puts Landlock rules on inodes. So each row
-- names a labelled file by its device and inode number, and its path is
-- only where to look first: a path that no longer names that inode is a
-- stale hint, reported, and refreshed when the file is labelled again.
-- Of v5 rows with the same identity (one inode labelled under two names)
-- the one labelled last is kept; a path stays unique, so that labelling
-- the file a name now holds replaces the row of the file it held before.
CREATE TABLE file_labels_v6 (
	dev INTEGER NOT NULL,
	ino INTEGER NOT NULL,
	path TEXT NOT NULL UNIQUE CHECK (substr(path, 1, 1) = '/' AND length(path) <= 4096),
	label BLOB NOT NULL CHECK (length(label) = 40),
	set_at INTEGER NOT NULL,
	PRIMARY KEY (dev, ino)
);
INSERT INTO file_labels_v6 (dev, ino, path, label, set_at)
	SELECT dev, ino, path, label, set_at FROM file_labels WHERE true ORDER BY set_at, path
	ON CONFLICT (dev, ino) DO UPDATE SET path = excluded.path, label = excluded.label,
		set_at = excluded.set_at;
DROP TABLE file_labels;
ALTER TABLE file_labels_v6 RENAME TO file_labels;
