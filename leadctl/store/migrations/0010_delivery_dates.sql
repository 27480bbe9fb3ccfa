-- Follow-up does not stop at the order [003]: an ordered lead is followed up until delivery, with a contact the
-- day before the planned delivery day. The order keeps its current planned day; every day set or changed is kept
-- in delivery_dates (who, when, the day before the change, and why).
ALTER TABLE orders ADD COLUMN delivery_on TEXT CHECK (delivery_on IS NULL OR date(delivery_on) IS delivery_on);
CREATE TABLE delivery_dates (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders(id),
    at TEXT NOT NULL,
    by_id INTEGER NOT NULL REFERENCES staff(id),
    delivery_on TEXT NOT NULL CHECK (date(delivery_on) IS delivery_on),
    previous TEXT CHECK (previous IS NULL OR date(previous) IS previous),
    reason TEXT CHECK (reason IS NULL OR length(trim(reason)) > 0)
) STRICT;
CREATE INDEX delivery_dates_order ON delivery_dates(order_id, id);
