-- Staff, policy, leads, visits, grade history, follow-ups, owner history, collisions, audit events.
CREATE TABLE staff (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    role TEXT NOT NULL CHECK (role IN
        ('receptionist','consultant','telesales','direct-sales','manager','service','admin')),
    team TEXT CHECK (team IN ('showroom','dcc')),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE policy (
    id INTEGER PRIMARY KEY,
    set_at TEXT NOT NULL,
    set_by INTEGER REFERENCES staff(id),
    name TEXT NOT NULL,
    body TEXT NOT NULL
) STRICT;

CREATE TABLE leads (
    id INTEGER PRIMARY KEY,
    name TEXT,
    phone TEXT,
    channel TEXT NOT NULL CHECK (channel IN ('walk-in','call','web','hotline','show','hq','repurchase','referral')),
    info_source TEXT CHECK (info_source IN
        ('phone','newspaper','radio','magazine','friends','passing','internet','other')),
    model TEXT,
    trade_in INTEGER NOT NULL DEFAULT 0 CHECK (trade_in IN (0, 1)),
    fleet INTEGER NOT NULL DEFAULT 0 CHECK (fleet IN (0, 1)),
    grade TEXT CHECK (grade IN ('O','H','A','B','C','D','F','L','W')),
    grade_basis TEXT CHECK (grade_basis IN ('stated','horizon','assessment')),
    status TEXT NOT NULL DEFAULT 'active'
        CHECK (status IN ('active','ordered','delivered','defeated','lost','closed')),
    owner_id INTEGER REFERENCES staff(id),
    registered_by INTEGER REFERENCES staff(id),
    created_at TEXT NOT NULL,
    last_contact_at TEXT,
    followup_count INTEGER NOT NULL DEFAULT 0 CHECK (followup_count >= 0),
    planned_on TEXT,
    next_due TEXT,
    CHECK (phone IS NOT NULL OR grade = 'W')
) STRICT;
CREATE UNIQUE INDEX leads_phone ON leads(phone) WHERE phone IS NOT NULL;
CREATE INDEX leads_owner_due ON leads(owner_id, next_due) WHERE next_due IS NOT NULL;
CREATE INDEX leads_due ON leads(next_due) WHERE next_due IS NOT NULL;
CREATE INDEX leads_created ON leads(created_at);

CREATE TABLE visits (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id),
    kind TEXT NOT NULL CHECK (kind IN ('visit','call','list')),
    channel TEXT NOT NULL CHECK (channel IN ('walk-in','call','web','hotline','show','hq','repurchase','referral')),
    arrived_at TEXT NOT NULL,
    left_at TEXT CHECK (left_at IS NULL OR left_at >= arrived_at),
    party INTEGER NOT NULL DEFAULT 1 CHECK (party >= 1),
    first_visit INTEGER NOT NULL CHECK (first_visit IN (0, 1)),
    left_contact INTEGER NOT NULL CHECK (left_contact IN (0, 1)),
    test_drive INTEGER NOT NULL DEFAULT 0 CHECK (test_drive IN (0, 1)),
    model TEXT,
    staff_id INTEGER REFERENCES staff(id),
    registered_by INTEGER REFERENCES staff(id)
) STRICT;
CREATE INDEX visits_lead ON visits(lead_id);
CREATE INDEX visits_arrived ON visits(arrived_at);

CREATE TABLE grades (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id),
    at TEXT NOT NULL,
    by_id INTEGER REFERENCES staff(id),
    grade TEXT NOT NULL CHECK (grade IN ('O','H','A','B','C','D','F','L','W')),
    previous TEXT CHECK (previous IN ('O','H','A','B','C','D','F','L','W')),
    basis TEXT NOT NULL CHECK (basis IN ('stated','horizon','assessment','workflow')),
    detail TEXT,
    reason TEXT
) STRICT;
CREATE INDEX grades_lead ON grades(lead_id, at);
CREATE INDEX grades_at ON grades(at);

CREATE TABLE followups (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id),
    at TEXT NOT NULL,
    by_id INTEGER REFERENCES staff(id),
    method TEXT NOT NULL CHECK (method IN ('phone','sms','wechat','visit','store')),
    result TEXT NOT NULL CHECK (length(trim(result)) > 0),
    grade TEXT CHECK (grade IN ('O','H','A','B','C','D','F','L','W')),
    next_on TEXT
) STRICT;
CREATE INDEX followups_lead ON followups(lead_id, at);
CREATE INDEX followups_at ON followups(at);

CREATE TABLE owners (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id),
    at TEXT NOT NULL,
    by_id INTEGER REFERENCES staff(id),
    from_id INTEGER REFERENCES staff(id),
    to_id INTEGER REFERENCES staff(id),
    reason TEXT NOT NULL
) STRICT;
CREATE INDEX owners_lead ON owners(lead_id, at);

CREATE TABLE collisions (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id),
    visit_id INTEGER NOT NULL REFERENCES visits(id),
    owner_id INTEGER REFERENCES staff(id),
    claimant_id INTEGER NOT NULL REFERENCES staff(id),
    opened_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','ruled'))
) STRICT;
CREATE INDEX collisions_open ON collisions(status, lead_id);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER REFERENCES staff(id),
    action TEXT NOT NULL,
    lead_id INTEGER REFERENCES leads(id),
    detail TEXT NOT NULL
) STRICT;
CREATE INDEX events_lead ON events(lead_id) WHERE lead_id IS NOT NULL;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'audit events cannot be deleted'); END;
