-- When the claimant's record reached leadctl, where that is not when the collision was opened: a claim an import
-- brings from another system's export (an LMS) was entered there at the row's own time ([001] "电销以LMS系统为准"),
-- so the [003] entry window, which is about cards entered by hand, does not count the days until the import.
-- NULL (a claim at the front desk, and every collision before this column): entered when opened.
ALTER TABLE collisions ADD COLUMN entered_at TEXT;
