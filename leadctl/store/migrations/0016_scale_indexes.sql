-- Indexes the reports need at a decade's scale: the intent inventory counts active leads by grade and owner
-- (a covering search, not 300k look-ups through leads_grade_contact), and the daily report's deliveries join
-- starts from orders delivered in the period, not from every lead.
CREATE INDEX leads_status_grade_owner ON leads(status, grade, owner_id);
CREATE INDEX orders_delivered ON orders(delivered_at);
