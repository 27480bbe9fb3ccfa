-- A lead's card reads the audit events of leads merged into it: find those without scanning every lead.
CREATE INDEX leads_merged ON leads(merged_into) WHERE merged_into IS NOT NULL;
