-- One index on the due date, not two: leads_next_due (0021, every lead, for `leads --sort due`) answers every
-- question leads_due (0001, leads with a due date) did, and each index costs every write of a lead (an import of
-- 1,000,000 leads builds one fewer).
DROP INDEX leads_due;
