-- Who is acting, from the operating system: a `system` role for cron, OS accounts bound to staff, PINs for a
-- desk account several staff share, and the sessions `leadctl login` opens on it.
-- The role CHECK is widened in place, the way 0008 rewrote the CHECK lists (SQLite documents this for changing a
-- CHECK: https://www.sqlite.org/lang_altertable.html#otheralter). A wider list can invalidate no row, and the
-- table keeps its rowids, so the 30 foreign keys that point at staff(id) are untouched: a rebuild of staff would
-- have to copy it, drop it under foreign_keys=OFF and check every referencing table afterwards. The replace()
-- finds the list 0008 wrote; Store.migrate bumps the schema cookie so every connection reads the new CHECK.
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql,
    'role = ''service'' OR role = ''admin'')',
    'role = ''service'' OR role = ''admin'' OR role = ''system'')')
WHERE type = 'table' AND name = 'staff';
PRAGMA writable_schema = OFF;

-- an OS account (by uid) acts as a staff member; one bound to several staff is a shared desk
CREATE TABLE staff_os (
    os_uid INTEGER NOT NULL CHECK (os_uid >= 0),
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    os_name TEXT,
    bound_at TEXT NOT NULL,
    PRIMARY KEY (os_uid, staff_id)
) STRICT;
CREATE INDEX staff_os_staff ON staff_os(staff_id);

-- a staff member's PIN, as scrypt's hash of it with its own salt; wrong tries counted, a lock until a time
CREATE TABLE staff_pins (
    staff_id INTEGER PRIMARY KEY REFERENCES staff(id),
    salt BLOB NOT NULL,
    hash BLOB NOT NULL,
    set_at TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    locked_until TEXT
) STRICT;

-- `leadctl login STAFF` on a shared desk account: that account acts as STAFF until `until`
CREATE TABLE staff_sessions (
    os_uid INTEGER PRIMARY KEY CHECK (os_uid >= 0),
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    started_at TEXT NOT NULL,
    until TEXT NOT NULL
) STRICT;
