-- Complaints (客户投诉) [001]: the register, every act on a complaint, and the index of open deadlines for `due`.

-- One row per complaint. A customer who is a lead is linked by `lead_id` and their name and phone are read from the
-- lead (kept in one place); otherwise the complaint keeps the name given and the normalised phone. `responsible_id` is
-- who registered it until it is escalated to someone; `level` indexes the policy's escalation list.
-- `next_deadline`/`next_what` is the earliest deadline still owed (kept by every act): NULL once nothing is owed.
CREATE TABLE complaints (
    id INTEGER PRIMARY KEY,
    received_at TEXT NOT NULL,
    registered_by INTEGER NOT NULL REFERENCES staff(id),
    lead_id INTEGER REFERENCES leads(id),
    name TEXT CHECK (name IS NULL OR length(trim(name)) > 0),
    phone TEXT CHECK (phone IS NULL OR length(phone) > 0),
    channel TEXT NOT NULL CHECK (channel IN ('onsite','phone','callcenter','email','media','letter','fax')),
    kind TEXT NOT NULL CHECK (kind IN ('service','product')),
    summary TEXT NOT NULL CHECK (length(trim(summary)) > 0),
    department TEXT CHECK (department IS NULL OR length(trim(department)) > 0),
    responsible_id INTEGER NOT NULL REFERENCES staff(id),
    level INTEGER NOT NULL DEFAULT 0 CHECK (level >= 0),
    replied_at TEXT CHECK (replied_at IS NULL OR replied_at >= received_at),
    reply TEXT CHECK (reply IS NULL OR length(trim(reply)) > 0),
    contacted_at TEXT CHECK (contacted_at IS NULL OR contacted_at >= received_at),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','resolved')),
    resolved_at TEXT CHECK (resolved_at IS NULL OR resolved_at >= received_at),
    resolved_by INTEGER REFERENCES staff(id),
    valid INTEGER CHECK (valid IN (0, 1)),
    action TEXT CHECK (action IS NULL OR length(trim(action)) > 0),
    product_category TEXT CHECK (product_category IS NULL OR length(trim(product_category)) > 0),
    product_model TEXT CHECK (product_model IS NULL OR length(trim(product_model)) > 0),
    product_date TEXT CHECK (product_date IS NULL OR date(product_date) IS product_date),
    surveyed_at TEXT CHECK (surveyed_at IS NULL OR surveyed_at >= resolved_at),
    surveyed_by INTEGER REFERENCES staff(id),
    score INTEGER CHECK (score IS NULL OR score BETWEEN 1 AND 5),
    survey_note TEXT CHECK (survey_note IS NULL OR length(trim(survey_note)) > 0),
    next_deadline TEXT,
    next_what TEXT CHECK (next_what IN ('plan','reply','contact','progress','result')),
    CHECK (lead_id IS NOT NULL OR phone IS NOT NULL),
    CHECK ((replied_at IS NULL) = (reply IS NULL)),
    CHECK ((status = 'resolved') = (resolved_at IS NOT NULL)),
    CHECK ((resolved_at IS NULL) = (resolved_by IS NULL) AND (resolved_at IS NULL) = (valid IS NULL)
           AND (resolved_at IS NULL) = (action IS NULL)),
    CHECK (kind = 'service' OR resolved_at IS NULL
           OR (product_category IS NOT NULL AND product_model IS NOT NULL AND product_date IS NOT NULL)),
    CHECK ((surveyed_at IS NULL) = (surveyed_by IS NULL) AND (surveyed_at IS NULL) = (score IS NULL)),
    CHECK ((next_deadline IS NULL) = (next_what IS NULL)),
    CHECK (status = 'open' OR next_deadline IS NULL)
) STRICT;
CREATE INDEX complaints_due ON complaints(next_deadline) WHERE next_deadline IS NOT NULL;
CREATE INDEX complaints_responsible_due ON complaints(responsible_id, next_deadline) WHERE next_deadline IS NOT NULL;
CREATE INDEX complaints_received ON complaints(received_at);
CREATE INDEX complaints_open ON complaints(id) WHERE status = 'open';
CREATE INDEX complaints_lead ON complaints(lead_id) WHERE lead_id IS NOT NULL;

-- Every act on a complaint, with who and when: registration, the first reply or plan, progress notes (which reset a
-- call-center ticket's progress deadline), escalations (to whom, at which level), the resolution and the survey.
CREATE TABLE complaint_acts (
    id INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints(id),
    at TEXT NOT NULL,
    by_id INTEGER NOT NULL REFERENCES staff(id),
    act TEXT NOT NULL CHECK (act IN ('new','reply','progress','escalate','resolve','survey')),
    text TEXT CHECK (text IS NULL OR length(trim(text)) > 0),
    contacted INTEGER NOT NULL DEFAULT 0 CHECK (contacted IN (0, 1)),
    to_id INTEGER REFERENCES staff(id),
    level TEXT,
    CHECK ((act = 'escalate') = (to_id IS NOT NULL))
) STRICT;
CREATE INDEX complaint_acts_complaint ON complaint_acts(complaint_id, act, at);
