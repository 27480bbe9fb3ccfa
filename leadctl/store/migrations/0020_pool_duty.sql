-- The DCC pool: the duty roster (值班/轮休 [001]) and the escalation ladder's record.
-- A staff member with no roster row works every day; a roster row lists their ISO weekdays ("1,2,3,4,5").
CREATE TABLE duty (
    staff_id INTEGER PRIMARY KEY REFERENCES staff(id),
    weekdays TEXT NOT NULL CHECK (length(weekdays) > 0),
    set_at TEXT NOT NULL
) STRICT;

CREATE TABLE duty_off (
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    day TEXT NOT NULL CHECK (day GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    PRIMARY KEY (staff_id, day)
) STRICT;

-- Each rung an untouched lead reached, once per due day: a contact gives the lead a new due day, and the ladder
-- starts again from there.
CREATE TABLE escalations (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id),
    due_on TEXT NOT NULL,
    rung INTEGER NOT NULL CHECK (rung >= 1),
    at TEXT NOT NULL,
    owner_id INTEGER REFERENCES staff(id),
    action TEXT NOT NULL CHECK (action = 'late' OR action = 'manager'),
    reassigned_to INTEGER REFERENCES staff(id),
    UNIQUE (lead_id, due_on, rung)
) STRICT;
