-- Imports (leadctl import): a log of every file imported, and the keys of rows imported without a time, so
-- that importing the same rows again attaches nothing twice.

-- One row per import that changed something: who, which file (name and sha256), from which source, and the counts.
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    by_id INTEGER REFERENCES staff(id),
    file TEXT NOT NULL CHECK (length(trim(file)) > 0),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    source TEXT NOT NULL CHECK (length(trim(source)) > 0),
    kind TEXT NOT NULL CHECK (kind IN ('leads','visits','followups')),
    read INTEGER NOT NULL CHECK (read >= 0),
    new INTEGER NOT NULL CHECK (new >= 0),
    merged INTEGER NOT NULL CHECK (merged >= 0),
    skipped INTEGER NOT NULL CHECK (skipped >= 0),
    rejected INTEGER NOT NULL CHECK (rejected >= 0)
) STRICT;
CREATE INDEX imports_sha256 ON imports(sha256);

-- Rows with a time are recognised by what they recorded: a visit of that lead at that arrival time, a follow-up
-- at that time. A row without a time (an HQ list) is recorded here instead, keyed by the lead row holding the
-- phone (`holder_id`: unlike a lead_id it stays put when leads are merged), what it recorded and its source, so
-- the same list sent twice is received once. No phone is copied here: a purged lead takes its keys with it.
CREATE TABLE import_rows (
    holder_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    record TEXT NOT NULL CHECK (record IN ('visit','followup')),
    source TEXT NOT NULL CHECK (length(trim(source)) > 0),
    import_id INTEGER NOT NULL REFERENCES imports(id),
    PRIMARY KEY (holder_id, record, source)
) STRICT, WITHOUT ROWID;
CREATE INDEX import_rows_import ON import_rows(import_id);
