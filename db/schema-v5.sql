-- Schema 5: the audit chain's memory of itself (privtree(8), "The audit
-- head"). audit_records is the number of records ever appended, raised
-- in the transaction of every append and never lowered, so that deleting
-- the last rows also needs an edit of this row; audit_id names this
-- database in its head file's header and in every witnessed head, so that
-- a head file or a witness line of another database is not taken for
-- this one's.
INSERT INTO meta(key, value) VALUES ('audit_id', lower(hex(randomblob(16))));
INSERT INTO meta(key, value)
	VALUES ('audit_records', (SELECT CAST(coalesce(max(seq), 0) AS TEXT) FROM audit));
