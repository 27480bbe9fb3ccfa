-- Targets [004]: the year's order plan by month (versioned: a re-plan or a roll adds a version, the old one
-- stays), the month's breakdown by model, customer type, channel and person with its lead targets, the personal
-- target confirmations (个人目标确认书), the weekly plans and summaries (周计划/周总结) with the manager's
-- signature [003], and customer service's check of new entries (客服部检核反馈表) [004].
CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2999),
    version INTEGER NOT NULL CHECK (version >= 1),
    kind TEXT NOT NULL CHECK (kind = 'year' OR kind = 'roll'),
    rolled_from TEXT,
    made_at TEXT NOT NULL,
    made_by INTEGER NOT NULL REFERENCES staff(id),
    orders INTEGER NOT NULL CHECK (orders >= 0),
    deliveries INTEGER CHECK (deliveries IS NULL OR deliveries >= 0),
    basis TEXT NOT NULL CHECK (basis = 'history' OR basis = 'policy'),
    history_years INTEGER NOT NULL CHECK (history_years >= 0),
    UNIQUE (year, version)
) STRICT;

CREATE TABLE plan_months (
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    month TEXT NOT NULL CHECK (length(month) = 7),
    share REAL NOT NULL CHECK (share >= 0),
    orders INTEGER NOT NULL CHECK (orders >= 0),
    deliveries INTEGER CHECK (deliveries IS NULL OR deliveries >= 0),
    actual INTEGER CHECK (actual IS NULL OR actual >= 0),
    PRIMARY KEY (plan_id, month)
) STRICT;

CREATE TABLE month_plans (
    id INTEGER PRIMARY KEY,
    month TEXT NOT NULL CHECK (length(month) = 7),
    version INTEGER NOT NULL CHECK (version >= 1),
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    made_at TEXT NOT NULL,
    made_by INTEGER NOT NULL REFERENCES staff(id),
    orders INTEGER NOT NULL CHECK (orders >= 0),
    even INTEGER NOT NULL CHECK (even = 0 OR even = 1),
    window_from TEXT NOT NULL,
    window_to TEXT NOT NULL,
    UNIQUE (month, version)
) STRICT;

CREATE TABLE month_cells (
    month_plan_id INTEGER NOT NULL REFERENCES month_plans(id),
    dimension TEXT NOT NULL CHECK (dimension = 'model' OR dimension = 'type' OR dimension = 'channel'
                                   OR dimension = 'person'),
    key TEXT NOT NULL CHECK (length(key) > 0),
    staff_id INTEGER REFERENCES staff(id),
    orders INTEGER NOT NULL CHECK (orders >= 0),
    leads INTEGER CHECK (leads IS NULL OR leads >= 0),
    new_ha INTEGER CHECK (new_ha IS NULL OR new_ha >= 0),
    bc_upgrades INTEGER CHECK (bc_upgrades IS NULL OR bc_upgrades >= 0),
    overridden INTEGER NOT NULL DEFAULT 0 CHECK (overridden = 0 OR overridden = 1),
    PRIMARY KEY (month_plan_id, dimension, key)
) STRICT;

CREATE TABLE confirmations (
    id INTEGER PRIMARY KEY,
    month_plan_id INTEGER NOT NULL REFERENCES month_plans(id),
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    at TEXT NOT NULL,
    orders INTEGER NOT NULL CHECK (orders >= 0),
    UNIQUE (month_plan_id, staff_id)
) STRICT;

CREATE TABLE week_forms (
    id INTEGER PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    week TEXT NOT NULL CHECK (length(week) = 8),
    kind TEXT NOT NULL CHECK (kind = 'plan' OR kind = 'summary'),
    at TEXT NOT NULL,
    body TEXT NOT NULL CHECK (length(trim(body)) > 0),
    numbers TEXT,
    figures TEXT NOT NULL,
    signed_at TEXT,
    signed_by INTEGER REFERENCES staff(id),
    CHECK ((signed_at IS NULL) = (signed_by IS NULL)),
    UNIQUE (staff_id, week, kind)
) STRICT;

CREATE TABLE entry_checks (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id),
    owner_id INTEGER REFERENCES staff(id),
    week TEXT NOT NULL CHECK (length(week) = 8),
    queued_at TEXT NOT NULL,
    queued_by INTEGER NOT NULL REFERENCES staff(id),
    checked_at TEXT,
    checked_by INTEGER REFERENCES staff(id),
    passed INTEGER CHECK (passed IS NULL OR passed = 0 OR passed = 1),
    note TEXT CHECK (note IS NULL OR length(trim(note)) > 0),
    corrected_at TEXT,
    CHECK ((checked_at IS NULL) = (checked_by IS NULL) AND (checked_at IS NULL) = (passed IS NULL)),
    UNIQUE (lead_id, week)
) STRICT;
CREATE INDEX entry_checks_due ON entry_checks(owner_id) WHERE passed = 0 AND corrected_at IS NULL;

CREATE TABLE entry_check_fields (
    check_id INTEGER NOT NULL REFERENCES entry_checks(id),
    field TEXT NOT NULL CHECK (length(trim(field)) > 0),
    ok INTEGER NOT NULL CHECK (ok = 0 OR ok = 1),
    PRIMARY KEY (check_id, field)
) STRICT;
