-- After the order [003]: the owner's retention card holds the ID number (身份证号), when the policy allows it;
-- each owner-care contact made (thanks, SSI, first service, insurance, birthday, anniversary) is one row, for the
-- day it was due, linked to the follow-up that made it (an SSI call keeps its score); a referred customer names
-- the owner (lead) who referred them (转介绍).
ALTER TABLE retention_cards ADD COLUMN id_number TEXT CHECK (id_number IS NULL OR length(id_number) = 18);
ALTER TABLE leads ADD COLUMN referred_by INTEGER REFERENCES leads(id);
CREATE INDEX leads_referred_by ON leads(referred_by) WHERE referred_by IS NOT NULL;
CREATE TABLE care_contacts (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id),
    kind TEXT NOT NULL CHECK (kind = 'thanks' OR kind = 'ssi' OR kind = 'service' OR kind = 'insurance'
                              OR kind = 'birthday' OR kind = 'anniversary'),
    due_on TEXT NOT NULL CHECK (date(due_on) IS due_on),
    followup_id INTEGER NOT NULL UNIQUE REFERENCES followups(id),
    score INTEGER CHECK (score IS NULL OR (score >= 1 AND score <= 10))
) STRICT;
CREATE UNIQUE INDEX care_contacts_once ON care_contacts(lead_id, kind, due_on);
