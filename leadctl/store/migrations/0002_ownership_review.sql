-- Pools, sweep rules on owner moves, collision rulings, merges, and managers' reviews of follow-ups.
ALTER TABLE leads ADD COLUMN pool TEXT CHECK (pool IN ('dcc','manager'));
ALTER TABLE leads ADD COLUMN merged_into INTEGER REFERENCES leads(id);
CREATE INDEX leads_pool ON leads(pool) WHERE pool IS NOT NULL;
CREATE INDEX leads_owner_status ON leads(owner_id, status);

ALTER TABLE owners ADD COLUMN rule TEXT;

ALTER TABLE collisions ADD COLUMN ruled_to INTEGER REFERENCES staff(id);
ALTER TABLE collisions ADD COLUMN ruled_at TEXT;
ALTER TABLE collisions ADD COLUMN ruled_by INTEGER REFERENCES staff(id);
ALTER TABLE collisions ADD COLUMN ruling TEXT;

ALTER TABLE followups ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0 CHECK (reviewed IN (0, 1));
CREATE INDEX followups_unreviewed ON followups(at) WHERE reviewed = 0;

CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    followup_id INTEGER NOT NULL REFERENCES followups(id),
    at TEXT NOT NULL,
    by_id INTEGER NOT NULL REFERENCES staff(id),
    comment TEXT NOT NULL CHECK (length(trim(comment)) > 0)
) STRICT;
CREATE INDEX reviews_followup ON reviews(followup_id);
