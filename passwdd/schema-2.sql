-- passwdd's secrets database, from schema 1 to 2: attempts reserved
-- before they are verified, for the user-wide failure budget.
--
-- An attempt is written, pending, in the transaction that decides it may
-- be made (before the prompt), and counted in failures at once: a burst
-- of requests finds the ones before it, and a monitor that dies before
-- the answer leaves it counted. A failure keeps the row (pending = 0); a
-- success deletes it. Rows older than the budget's window (an hour) are
-- deleted; the per-(user, requester, port) counts in failures are not.
CREATE TABLE attempts (
	id INTEGER PRIMARY KEY,
	user TEXT NOT NULL CHECK (length(user) BETWEEN 1 AND 32),
	requester INTEGER NOT NULL,
	port TEXT NOT NULL CHECK (length(port) <= 128),
	-- when the attempt is made: the reservation's time plus its back-off
	at_ms INTEGER NOT NULL,
	-- 1: reserved, not yet answered (or its monitor died); 0: failed
	pending INTEGER NOT NULL DEFAULT 1 CHECK (pending IN (0, 1))
) STRICT;
CREATE INDEX attempts_user ON attempts(user, at_ms);

PRAGMA user_version = 2;
