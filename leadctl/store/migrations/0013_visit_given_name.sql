-- A visit whose customer gave another name for a known phone keeps that name here: the lead keeps its own, the
-- difference is shown on the card, and the audit event says only that the names differed (events hold no text
-- a person typed). Purge erases it with the customer's other free text.
ALTER TABLE visits ADD COLUMN given_name TEXT CHECK (given_name IS NULL OR length(trim(given_name)) > 0);
