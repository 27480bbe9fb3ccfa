-- The whole customer card ([003] 客户信息资料卡, [001] 来店(电)客户登记表) in typed columns, its corrections kept
-- as history, visits and follow-ups voided rather than deleted, and the indexes `find` searches.
ALTER TABLE leads ADD COLUMN gender TEXT CHECK (gender IS NULL OR gender = 'male' OR gender = 'female');
ALTER TABLE leads ADD COLUMN birth_year INTEGER CHECK (birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100);
ALTER TABLE leads ADD COLUMN employer TEXT CHECK (employer IS NULL OR length(trim(employer)) > 0);
ALTER TABLE leads ADD COLUMN industry TEXT CHECK (industry IS NULL OR length(trim(industry)) > 0);
ALTER TABLE leads ADD COLUMN wechat TEXT CHECK (wechat IS NULL OR length(trim(wechat)) > 0);
ALTER TABLE leads ADD COLUMN current_vehicle TEXT CHECK (current_vehicle IS NULL OR length(trim(current_vehicle)) > 0);
ALTER TABLE leads ADD COLUMN brand TEXT CHECK (brand IS NULL OR length(trim(brand)) > 0);
ALTER TABLE leads ADD COLUMN series TEXT CHECK (series IS NULL OR length(trim(series)) > 0);
ALTER TABLE leads ADD COLUMN config TEXT CHECK (config IS NULL OR length(trim(config)) > 0);
ALTER TABLE leads ADD COLUMN colour TEXT CHECK (colour IS NULL OR length(trim(colour)) > 0);
ALTER TABLE leads ADD COLUMN competitors TEXT CHECK (competitors IS NULL OR (substr(competitors, 1, 1) = '[' AND substr(competitors, -1) = ']'));
ALTER TABLE leads ADD COLUMN budget_min INTEGER CHECK (budget_min IS NULL OR budget_min >= 0);
ALTER TABLE leads ADD COLUMN budget_max INTEGER
    CHECK (budget_max IS NULL OR (budget_max >= 0 AND (budget_min IS NULL OR budget_max >= budget_min)));
ALTER TABLE leads ADD COLUMN payment TEXT CHECK (payment IS NULL OR payment = 'full' OR payment = 'loan');
ALTER TABLE leads ADD COLUMN purpose TEXT CHECK (purpose IS NULL OR length(trim(purpose)) > 0);
ALTER TABLE leads ADD COLUMN favourable TEXT CHECK (favourable IS NULL OR length(trim(favourable)) > 0);
ALTER TABLE leads ADD COLUMN unfavourable TEXT CHECK (unfavourable IS NULL OR length(trim(unfavourable)) > 0);
ALTER TABLE leads ADD COLUMN objections TEXT CHECK (objections IS NULL OR length(trim(objections)) > 0);
ALTER TABLE leads ADD COLUMN resources TEXT CHECK (resources IS NULL OR length(trim(resources)) > 0);
ALTER TABLE leads ADD COLUMN story TEXT CHECK (story IS NULL OR length(trim(story)) > 0);
-- whether the card held every field the policy required when it was registered (信息登记准确率 [000])
ALTER TABLE leads ADD COLUMN complete_at_entry INTEGER CHECK (complete_at_entry IS NULL OR complete_at_entry = 0
    OR complete_at_entry = 1);

-- the register keeps what was true at each visit: the grade then and the trade-in wish stated (置换意愿)
ALTER TABLE visits ADD COLUMN grade TEXT CHECK (grade IS NULL OR grade = 'O' OR grade = 'H' OR grade = 'A'
    OR grade = 'B' OR grade = 'C' OR grade = 'D' OR grade = 'F' OR grade = 'L' OR grade = 'W');
ALTER TABLE visits ADD COLUMN trade_in INTEGER CHECK (trade_in IS NULL OR trade_in = 0 OR trade_in = 1);
ALTER TABLE visits ADD COLUMN voided_at TEXT;
ALTER TABLE followups ADD COLUMN voided_at TEXT;

-- every correction of a card field, visit or follow-up: one row per field changed, nothing overwritten silently
CREATE TABLE card_history (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES leads(id),
    subject TEXT NOT NULL CHECK (subject = 'lead' OR subject = 'visit' OR subject = 'followup'),
    subject_id INTEGER NOT NULL,
    field TEXT NOT NULL,
    old TEXT,
    new TEXT,
    by_id INTEGER REFERENCES staff(id),
    at TEXT NOT NULL,
    reason TEXT
) STRICT;
CREATE INDEX card_history_lead ON card_history(lead_id, id);

-- what every report and due date counts: the visits and follow-ups not voided (one place)
CREATE VIEW live_visits AS SELECT * FROM visits WHERE voided_at IS NULL;
CREATE VIEW live_followups AS SELECT * FROM followups WHERE voided_at IS NULL;

-- find: full-text indexes of each lead's name, its pinyin and its card's free text, and of each follow-up's result
-- (Chinese written as overlapping pairs of characters, store/search.py: any two characters or more inside a text are
-- found through the index); with the pinyin and initials of each name.
-- SQLite refuses virtual tables inside triggers while trusted_schema is off (the connection recipe), so triggers
-- queue what changed (search_dirty) in the writing transaction, and `find` (or `check --fix-index`) indexes the
-- queue before it searches: what it finds is always current.
CREATE VIRTUAL TABLE search_leads USING fts5(name, pinyin, card);
CREATE VIRTUAL TABLE search_followups USING fts5(result);
CREATE TABLE name_keys (
    lead_id INTEGER PRIMARY KEY REFERENCES leads(id),
    pinyin TEXT NOT NULL,
    initials TEXT NOT NULL
) STRICT;
CREATE INDEX name_keys_pinyin ON name_keys(pinyin);
CREATE INDEX name_keys_initials ON name_keys(initials);
CREATE TABLE search_dirty (
    tbl TEXT NOT NULL CHECK (tbl = 'leads' OR tbl = 'followups'),
    id INTEGER NOT NULL,
    PRIMARY KEY (tbl, id)
) STRICT, WITHOUT ROWID;
INSERT INTO search_dirty (tbl, id) SELECT 'leads', id FROM leads;
INSERT INTO search_dirty (tbl, id) SELECT 'followups', id FROM followups;
CREATE TRIGGER leads_search_ai AFTER INSERT ON leads
    BEGIN INSERT OR IGNORE INTO search_dirty (tbl, id) VALUES ('leads', new.id); END;
CREATE TRIGGER leads_search_au AFTER UPDATE OF name, story, favourable, unfavourable, objections, resources,
    employer, industry, address, current_vehicle, purpose, wechat ON leads
    BEGIN INSERT OR IGNORE INTO search_dirty (tbl, id) VALUES ('leads', new.id); END;
CREATE TRIGGER followups_search_ai AFTER INSERT ON followups
    BEGIN INSERT OR IGNORE INTO search_dirty (tbl, id) VALUES ('followups', new.id); END;
CREATE TRIGGER followups_search_au AFTER UPDATE OF result, voided_at ON followups
    BEGIN INSERT OR IGNORE INTO search_dirty (tbl, id) VALUES ('followups', new.id); END;

-- find by name (leads_name, below), the last four digits of a phone, a plate: the indexes each way of asking uses
CREATE INDEX leads_phone_tail ON leads(substr(phone, -4)) WHERE phone IS NOT NULL;
CREATE INDEX retention_cards_plate ON retention_cards(plate) WHERE plate IS NOT NULL;
-- leads --sort: created (leads_created), grade (leads_grade_contact), and these
CREATE INDEX leads_last_contact ON leads(last_contact_at);
CREATE INDEX leads_next_due ON leads(next_due);
CREATE INDEX leads_name ON leads(name);
