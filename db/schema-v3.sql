-- Schema 3: the sessions sessiond opened (sessiond(8)).
-- One row per session, written when it starts and completed when it ends;
-- a row without an end is a live session, or one whose sessiond died: the
-- next sessiond restores the terminal label recorded here and ends it.
CREATE TABLE sessions (
	id INTEGER PRIMARY KEY,
	login TEXT NOT NULL CHECK (length(login) BETWEEN 1 AND 32),
	uid INTEGER NOT NULL,
	label TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 8192),
	port TEXT NOT NULL CHECK (length(port) BETWEEN 1 AND 128),
	tty TEXT NOT NULL CHECK (length(tty) BETWEEN 1 AND 128),
	tty_rdev INTEGER NOT NULL,
	admin INTEGER NOT NULL CHECK (admin IN (0, 1)),
	user_tty_rdev INTEGER NOT NULL,
	user_tty_label BLOB CHECK (user_tty_label IS NULL OR length(user_tty_label) = 40),
	worker_pid INTEGER NOT NULL,
	started INTEGER NOT NULL,
	ended INTEGER,
	how TEXT CHECK ((ended IS NULL) = (how IS NULL) AND (how IS NULL OR length(how) <= 256))
);
CREATE INDEX sessions_live ON sessions (uid) WHERE ended IS NULL;
