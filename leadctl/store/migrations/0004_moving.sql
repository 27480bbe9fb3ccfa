-- Moving leads: DCC invitations (邀约) and their outcome, handover forms, and indexes for the daily sweep.

-- One row per invitation. A new invitation for a lead with an open one closes the old one as 'rescheduled'
-- and names it in `replaces`, so the history of every date offered is kept.
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id),
    invited_by INTEGER NOT NULL REFERENCES staff(id),
    invited_at TEXT NOT NULL,
    expected_at TEXT NOT NULL,
    note TEXT CHECK (note IS NULL OR length(trim(note)) > 0),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','arrived','no-show','rescheduled')),
    closed_at TEXT,
    closed_by INTEGER REFERENCES staff(id),
    visit_id INTEGER REFERENCES visits(id),
    replaces INTEGER REFERENCES invitations(id),
    CHECK (substr(expected_at, 1, 10) >= substr(invited_at, 1, 10)),
    CHECK ((status = 'open') = (closed_at IS NULL)),
    CHECK ((status = 'arrived') = (visit_id IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX invitations_one_open ON invitations(lead_id) WHERE status = 'open';
CREATE UNIQUE INDEX invitations_visit ON invitations(visit_id) WHERE visit_id IS NOT NULL;
CREATE INDEX invitations_lead ON invitations(lead_id, id);
CREATE INDEX invitations_expected ON invitations(expected_at);
CREATE INDEX invitations_open_expected ON invitations(expected_at) WHERE status = 'open';
CREATE INDEX invitations_unarrived ON invitations(invited_at) WHERE status IN ('open','no-show');

-- The handover form of [001], filled when an invited customer has arrived: the lead as it was handed over.
-- The phone is read from the lead (its identity key), not copied: personal data is kept in one place.
CREATE TABLE handovers (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id),
    invitation_id INTEGER NOT NULL UNIQUE REFERENCES invitations(id),
    at TEXT NOT NULL,
    by_id INTEGER NOT NULL REFERENCES staff(id),
    from_id INTEGER REFERENCES staff(id),
    to_id INTEGER NOT NULL REFERENCES staff(id),
    name TEXT,
    model TEXT,
    channel TEXT NOT NULL CHECK (channel IN ('walk-in','call','web','hotline','show','hq','repurchase','referral')),
    expected_on TEXT CHECK (expected_on IS NULL OR expected_on >= substr(at, 1, 10)),
    grade TEXT CHECK (grade IN ('O','H','A','B','C','D','F','L','W')),
    status TEXT NOT NULL CHECK (status IN ('active','ordered','delivered','defeated','lost','closed')),
    CHECK (from_id IS NULL OR from_id != to_id)
) STRICT;
CREATE INDEX handovers_lead ON handovers(lead_id);
CREATE INDEX handovers_at ON handovers(at);

-- The sweep's candidate queries: quiet leads by grade, and the moves each rule has made.
CREATE INDEX leads_grade_contact ON leads(grade, last_contact_at);
CREATE INDEX owners_rule ON owners(lead_id, rule, at) WHERE rule IS NOT NULL;
