-- The audit trail becomes tamper-evident: each event's hash chains it to the one before (leadctl/store/audit.py;
-- the runner chains the events already here, in id order, right after these statements). An event may then be
-- changed in two ways only: its hash set once where it has none, and its detail blanked by a purge (the blank
-- keeps the digest the chain was computed over). Purged customers leave a tombstone, a salted SHA-256 of their
-- phone and of their lead, so that a restored backup cannot bring them back.
DROP TRIGGER events_no_update;
ALTER TABLE events ADD COLUMN hash TEXT;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    WHEN NOT (NEW.id IS OLD.id AND NEW.at IS OLD.at AND NEW.actor_id IS OLD.actor_id AND NEW.action IS OLD.action
              AND NEW.lead_id IS OLD.lead_id
              AND ((OLD.hash IS NULL AND NEW.detail IS OLD.detail)
                   OR (NEW.hash IS OLD.hash AND substr(NEW.detail, 1, 30) = '{"redacted":"purge","sha256":"')))
    BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END;

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO settings (key, value) VALUES ('tombstone_salt', lower(hex(randomblob(16))));

CREATE TABLE tombstones (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind = 'phone' OR kind = 'lead'),
    salt TEXT NOT NULL,
    digest TEXT NOT NULL,
    purged_at TEXT NOT NULL,
    UNIQUE (kind, salt, digest)
) STRICT;
