-- Schema 4: the actions privd carries out (privd(8)).
-- One row per confirmed request, written in the transaction of its
-- confirmation record, before anything of it runs, and completed when it
-- ends. A row without an end belongs to a monitor that is still running
-- it, or to one that died: privd's main (for a monitor it saw die) and a
-- restarted privd (for every such row) end its run group and record it
-- as abandoned.
CREATE TABLE actions (
	id INTEGER PRIMARY KEY,
	req TEXT NOT NULL UNIQUE CHECK (length(req) = 16),
	monitor_pid INTEGER NOT NULL,
	client_pid INTEGER NOT NULL,
	login TEXT NOT NULL CHECK (length(login) BETWEEN 1 AND 32),
	request TEXT NOT NULL CHECK (length(request) BETWEEN 1 AND 8192),
	started INTEGER NOT NULL,
	ended INTEGER,
	how TEXT CHECK ((ended IS NULL) = (how IS NULL) AND (how IS NULL OR length(how) <= 256))
);
CREATE INDEX actions_open ON actions (monitor_pid) WHERE ended IS NULL;
